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
  unquoted field, stays distinct from ``""``, the empty string);
* a text column of the built-in bool, date or timestamp converter is then
  converted by Arrow compute and NumPy in one go, where that provably gives
  the converter's values (see :func:`_bool_values`, :func:`_date_values`,
  :func:`_timestamp_values`): about a third of what one C-level call per
  value costs;
* every other text column, and one of those whose values Arrow will not
  vouch for, goes through the same converters as
  :func:`.csv_pages.convert_chunk`: the C-level twin of a built-in converter
  (``Decimal``, ``datetime.fromisoformat``...) where it accepts every value
  of the column, else the converter itself, value by value.

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

#: pyarrow's CSV block size: larger than any page, so that a page is one block.
_BLOCK_SIZE = 1 << 26


def _may_hold_hex(chunk: str) -> bool:
    """Whether ``chunk`` holds ``0x`` or ``0X``, which Arrow's int parser reads as hex.

    One-character searches first: they run at memchr's speed, where a
    two-character search of a page full of zeros costs about 1.5 ms.
    """
    if "x" in chunk and "0x" in chunk:
        return True
    return "X" in chunk and "0X" in chunk


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
        self._options: dict[tuple[bool, bool], tuple[Any, Any, Any]] = {}

    def read(self, chunk: str) -> tuple[Any, bool] | None:
        """pyarrow's table of ``chunk`` and whether its ints are typed; None: the Python path."""
        if len(chunk) < MIN_CHARS:
            return None
        libs = pyarrow_csv()
        if libs is None:
            return None
        pa, csv, _ = libs
        typed_ints = not _may_hold_hex(chunk)
        # Without a quote no value can hold a line end, and pyarrow then
        # splits without tracking quoted newlines: twice as fast.
        quoted = '"' in chunk
        read, parse, convert = self._csv_options(csv, pa, typed_ints, quoted)
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

    def _csv_options(
        self, csv: Any, pa: Any, typed_ints: bool, quoted: bool
    ) -> tuple[Any, Any, Any]:
        options = self._options.get((typed_ints, quoted))
        if options is None:
            names = [f"c{i}" for i in range(len(self.kinds))]  # labels may repeat
            arrow_types = {_INT: pa.int64(), _FLOAT: pa.float64(), _TEXT: pa.string()}
            types = {
                name: arrow_types[_TEXT if kind == _INT and not typed_ints else kind]
                for name, kind in zip(names, self.kinds, strict=True)
            }
            options = (
                # One block for a whole page (a page is at most a few MB):
                # splitting a page into 1 MB blocks costs more than it saves.
                csv.ReadOptions(column_names=names, use_threads=True, block_size=_BLOCK_SIZE),
                # A blank line is a row: the NULL of a one-column result.
                csv.ParseOptions(newlines_in_values=quoted, ignore_empty_lines=False),
                csv.ConvertOptions(
                    column_types=types,
                    null_values=[""],
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=False,
                ),
            )
            self._options[typed_ints, quoted] = options
        return options

    def _column(self, column: Any, kind: str, conv: Callable[[str], Any]) -> list[Any]:
        if kind != _TEXT:
            if column.null_count == 0 and _numpy() is not None:
                values: list[Any] = column.to_numpy().tolist()
                return values
            return list(column.to_pylist())
        vectorized = _VECTORIZED.get(conv)
        if vectorized is not None and _numpy() is not None:
            vectorized_values = vectorized(column)
            if vectorized_values is not None:
                return vectorized_values
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


# --- text columns converted by Arrow compute ----------------------------------
#
# Each takes a text column (a pyarrow ChunkedArray, NULLs as nulls) and returns
# exactly what its converter gives value by value, NULL as None, or None when
# it cannot vouch for that (the column then goes value by value).  Casting
# text to date32 / timestamp[us] is stricter than ``fromisoformat`` except for
# year 0, which Arrow reads and Python refuses, so a column reaching below
# year 1 goes value by value.  NumPy's ``tolist`` turns datetime64 values of
# years 1-9999 into ``date`` / ``datetime`` and NaT into None.

#: What ``_to_bool`` reads as True (after ``lower()``); anything else is False.
_TRUE_WORDS = ("true", "t", "1", "yes", "y", "on")
#: 0001-01-01 in days and in microseconds since the epoch.
_FIRST_DAY = -719162
_FIRST_MICROSECOND = _FIRST_DAY * 86_400_000_000


def _bool_values(column: Any) -> list[Any] | None:
    """``_to_bool``: True exactly when ``text.lower()`` is one of its words.

    ASCII lowering is enough: no non-ASCII character lowers to a letter of
    those words, so a text with one is False both ways.
    """
    pa, pc = _compute()
    truth = pc.is_in(pc.ascii_lower(column), value_set=pa.array(_TRUE_WORDS))
    if column.null_count:
        truth = pc.if_else(pc.is_null(column), pa.scalar(None, pa.bool_()), truth)
    values: list[Any] = truth.to_numpy().tolist()
    return values


def _date_values(column: Any) -> list[Any] | None:
    """``_to_date`` when every value is a plain ``YYYY-MM-DD`` of years 1-9999."""
    pa, _ = _compute()
    return _cast_values(column, pa.date32(), pa.int32(), _FIRST_DAY)


def _timestamp_values(column: Any) -> list[Any] | None:
    """``_to_timestamp`` when Arrow reads every value as a naive timestamp of years 1-9999.

    Arrow refuses what would come back aware in Python (a zone suffix) and
    more than six fractional digits, which Python truncates.
    """
    pa, _ = _compute()
    return _cast_values(column, pa.timestamp("us"), pa.int64(), _FIRST_MICROSECOND)


def _cast_values(column: Any, to: Any, as_int: Any, first: int) -> list[Any] | None:
    """``column`` cast to ``to`` as Python values, or None when a value fails or is below ``first``.

    ``first`` is the first day of year 1 in ``to``'s unit, compared as ``as_int``.
    """
    pa, pc = _compute()
    try:
        cast = pc.cast(column, to)
    except pa.ArrowException:
        return None  # e.g. 'infinity', BC dates: the converter keeps the text
    low = pc.min(cast.cast(as_int)).as_py()
    if low is not None and low < first:
        return None
    values: list[Any] = cast.to_numpy().tolist()
    return values


def _numpy() -> Any:
    libs = pyarrow_csv()
    return None if libs is None else libs[2]


@functools.cache
def _compute() -> tuple[Any, Any]:
    import pyarrow
    import pyarrow.compute

    return pyarrow, pyarrow.compute


_VECTORIZED: dict[Any, Callable[[Any], list[Any] | None]] = {
    _types._to_bool: _bool_values,
    _types._to_date: _date_values,
    _types._to_timestamp: _timestamp_values,
}
