"""Redshift SQL text on the client side.

* :mod:`.lexer`: the one Redshift SQL lexer (placeholders, literals, quoted
  identifiers, comments), shared with the local endpoint and the translator;
* :mod:`.params`: PEP 249 ``named`` parameters -> the Data API's Parameters;
* :mod:`.batching`: executemany as multi-row INSERTs or batches.
"""

__all__: list[str] = []
