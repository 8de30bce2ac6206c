"""The driver's internal core: settings, the client factory, the statement runner, limits.

Nothing here is public API; the PEP 249 surface (``connection``, ``cursor``) and
the command line build on it.
"""

__all__: list[str] = []
