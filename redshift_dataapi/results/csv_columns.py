"""CSVRecords chunks split by pyarrow's CSV reader and converted per column.

Python's ``csv`` reader costs about 250 ns per field and then every field
still has to be converted; pyarrow's reader splits a chunk in C++ on its own
threads with the GIL released.  When pyarrow is installed (the ``arrow``
extra) and a chunk is large enough to be worth it (:data:`MIN_CHARS`; smaller
ones, and every chunk without pyarrow, take :func:`.csv_pages.convert_chunk`),
a chunk is read as one Arrow column per result column and each column is
turned into Python values in one go:

* a column whose converter is the built-in ``int`` or ``float`` one is
  parsed by Arrow as int64 / float64 (every text Arrow accepts gives the
  value Python's ``int()`` / ``float()`` gives; Arrow's int parser also
  takes ``0x`` hex, which Python refuses, so a chunk holding ``0x`` or ``0X``
  reads its int columns as text instead) and converted through NumPy's
  ``tolist``, about 10 ns a value;
* every other column is read as text, exactly as written (NULL, an empty
  unquoted field, stays distinct from ``""``, the empty string), and goes
  through the same converters as :func:`.csv_pages.convert_chunk`: the
  C-level twin of a built-in converter (``Decimal``,
  ``datetime.fromisoformat``...) where it accepts every value of the column,
  else the converter itself, value by value.

So the values, their types, NULLs and the empty strings are those of the
Python path.  The split runs when the page is converted, on the reader's
thread: with read-ahead the next page's call is then already under way, and
pyarrow frees the GIL while it reads.  (Splitting on the read-ahead thread
instead would add the split to every page's fetch, the longer of the two
when each call costs a round trip.)  A chunk pyarrow refuses (rows of another width, a value a
typed column cannot parse, text that is not UTF-8 encodable) goes through
the Python path whole.
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Callable, Sequence
from typing import Any

from .. import types as _types
from .csv_pages import C_LEVEL

__all__ = ["MIN_CHARS", "ColumnwiseChunks", "pyarrow_csv"]

logger = logging.getLogger(__name__)

#: Chunks shorter than this (characters) are converted by the Python path:
#: pyarrow is then never imported for small results, and a small chunk gains
#: less than pyarrow's fixed cost per read.
MIN_CHARS = 64 * 1024

#: How a column is read: parsed by Arrow, or as text for a Python converter.
_INT, _FLOAT, _TEXT = "int", "float", "text"

_CONVERSION_ERRORS = (ValueError, TypeError, ArithmeticError, LookupError)


@functools.cache
def pyarrow_csv() -> tuple[Any, Any, Any] | None:
    """``(pyarrow, pyarrow.csv, numpy or None)``, or None when pyarrow is missing."""
    try:
        import pyarrow
        import pyarrow.csv
    except ImportError:
        return None
    try:
        import numpy
    except ImportError:  # pragma: no cover - pyarrow >= 16 runs without NumPy
        return pyarrow, pyarrow.csv, None
    return pyarrow, pyarrow.csv, numpy


class ColumnwiseChunks:
    """Converts the CSV chunks of one result, built once from its column converters."""

    def __init__(self, converters: Sequence[Callable[[str], Any]]) -> None:
        self.converters = list(converters)
        self.kinds = [
            _INT if conv is int else _FLOAT if conv is _types._to_float else _TEXT
            for conv in self.converters
        ]
        self._options: dict[bool, tuple[Any, Any, Any]] = {}

    def read(self, chunk: str) -> tuple[Any, bool] | None:
        """pyarrow's table of ``chunk`` and whether its ints are typed; None: the Python path."""
        if len(chunk) < MIN_CHARS:
            return None
        libs = pyarrow_csv()
        if libs is None:
            return None
        pa, csv, _ = libs
        typed_ints = "0x" not in chunk and "0X" not in chunk
        read, parse, convert = self._csv_options(csv, pa, typed_ints)
        try:
            data = chunk.encode("utf-8")
            table = csv.read_csv(
                io.BytesIO(data), read_options=read, parse_options=parse, convert_options=convert
            )
        except (UnicodeEncodeError, pa.ArrowException) as exc:
            logger.debug("pyarrow's CSV reader refused a chunk (%s): converting in Python", exc)
            return None
        return table, typed_ints

    def convert(self, chunk: str) -> list[tuple[Any, ...]] | None:
        """The rows of ``chunk``, or None when the Python path must convert it."""
        read = self.read(chunk)
        if read is None:
            return None
        table, typed_ints = read
        columns = [
            self._column(column, kind if typed_ints or kind != _INT else _TEXT, conv)
            for column, kind, conv in zip(table.columns, self.kinds, self.converters, strict=True)
        ]
        return list(zip(*columns, strict=True))

    def _csv_options(self, csv: Any, pa: Any, typed_ints: bool) -> tuple[Any, Any, Any]:
        options = self._options.get(typed_ints)
        if options is None:
            names = [f"c{i}" for i in range(len(self.kinds))]  # labels may repeat
            arrow_types = {_INT: pa.int64(), _FLOAT: pa.float64(), _TEXT: pa.string()}
            types = {
                name: arrow_types[_TEXT if kind == _INT and not typed_ints else kind]
                for name, kind in zip(names, self.kinds, strict=True)
            }
            options = (
                csv.ReadOptions(column_names=names, use_threads=True),
                # A blank line is a row: the NULL of a one-column result.
                csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
                csv.ConvertOptions(
                    column_types=types,
                    null_values=[""],
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=False,
                ),
            )
            self._options[typed_ints] = options
        return options

    def _column(self, column: Any, kind: str, conv: Callable[[str], Any]) -> list[Any]:
        if kind != _TEXT:
            libs = pyarrow_csv()
            if column.null_count == 0 and libs is not None and libs[2] is not None:
                values: list[Any] = column.to_numpy().tolist()
                return values
            return list(column.to_pylist())
        texts: list[Any] = column.to_pylist()
        if conv is _types.identity:
            return texts
        fast = C_LEVEL.get(conv)
        nulls = column.null_count != 0
        if fast is not None:
            try:
                if nulls:
                    return [None if text is None else fast(text) for text in texts]
                return list(map(fast, texts))
            except _CONVERSION_ERRORS:
                pass  # e.g. 'infinity': the Python converter keeps its text
        if nulls:
            return [None if text is None else conv(text) for text in texts]
        return list(map(conv, texts))
