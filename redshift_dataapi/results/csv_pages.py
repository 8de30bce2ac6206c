"""Parsing GetStatementResultV2's ``CSVRecords`` chunks.

The service writes RFC 4180 CSV without a header: NULL is an empty *unquoted*
field and the empty string is ``""``; a chunk ends on a row boundary.  The
standard ``csv`` module (Python < 3.12) cannot tell those two apart, so:

* a chunk with no ``""`` in it cannot contain an empty string, and every empty
  field it yields is a NULL: it goes through the C ``csv`` reader (fast);
* any other chunk goes through an exact tokenizer that keeps the difference.

Both return rows as lists of ``str | None`` (None = NULL).
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from .. import types as _types
from ..types import call as _call
from ..types import identity

__all__ = ["C_LEVEL", "convert_chunk", "parse_chunk"]

# Built-in converters and C-level callables giving the same value whenever they
# succeed (on failure the Python converter runs, with its own fallbacks).
C_LEVEL: dict[Any, Callable[[str], Any]] = {
    _types._to_decimal: Decimal,
    _types._to_float: float,
    _types._to_date: _dt.date.fromisoformat,
    _types._to_time: _dt.time.fromisoformat,
    _types._to_timestamp: _dt.datetime.fromisoformat,
    _types._to_bool: {
        text: value
        for value, words in (
            (True, ("true", "t", "1", "yes", "y", "on")),
            (False, ("false", "f", "0", "no", "n", "off")),
        )
        for word in words
        for text in (word, word.upper())
    }.__getitem__,
    int: int,
    identity: str,  # str(text) is text itself
}

# csv.reader reads a blank line as a row of no fields.
_BLANK_LINE = ("",)

_FIELD = re.compile(r'"((?:[^"]|"")*)"|([^,\r\n"]*)')


def parse_chunk(chunk: str) -> list[list[str | None]]:
    """Rows of one CSVRecords chunk, NULL as None and the empty string as ''.

    A blank line is a row of one NULL (a one-column result's NULL).
    """
    if '""' not in chunk:
        return [
            [value if value else None for value in row] if row else [None]
            for row in csv.reader(io.StringIO(chunk, newline=""))
        ]
    return _parse_exact(chunk)


def _parse_exact(chunk: str) -> list[list[str | None]]:
    rows: list[list[str | None]] = []
    row: list[str | None] = []
    pos = 0
    n = len(chunk)
    match = _FIELD.match
    while pos < n:
        m = match(chunk, pos)
        if m is None:  # pragma: no cover - the pattern matches the empty string
            raise ValueError(f"malformed CSV at offset {pos}")
        quoted = m.group(1)
        if quoted is not None:
            row.append(quoted.replace('""', '"'))
        else:
            plain = m.group(2)
            row.append(plain if plain else None)
        pos = m.end()
        if pos >= n:
            rows.append(row)
            return rows
        ch = chunk[pos]
        if ch == ",":
            pos += 1
            if pos >= n:
                row.append(None)
                rows.append(row)
                return rows
        elif ch == "\r" or ch == "\n":
            rows.append(row)
            row = []
            pos += 2 if chunk.startswith("\r\n", pos) else 1
        else:
            raise ValueError(f"malformed CSV at offset {pos}: unexpected {ch!r} after a field")
    return rows


# Where an empty unquoted field (a NULL) shows in a chunk without '""': a field
# start (the chunk's start, a comma, a line end) right before a field end (a
# comma, a line end, the chunk's end).  "\r\n" is one line end, not a field.
# A match inside quoted text merely sends the chunk down the slower path.
_EMPTY_FIELD_PAIRS = (",,", ",\r", ",\n", "\n,", "\r,", "\n\n", "\n\r", "\r\r")


def _has_empty_field(chunk: str) -> bool:
    """Whether ``chunk`` may hold a NULL (substring tests: no regex over 1 MB)."""
    if chunk.startswith((",", "\r", "\n")) or chunk.endswith(","):
        return True
    return any(pair in chunk for pair in _EMPTY_FIELD_PAIRS)


def convert_chunk(chunk: str, converters: Sequence[Callable[[str], Any]]) -> list[tuple[Any, ...]]:
    """Parse one chunk and convert each field with its column's converter.

    A chunk with no NULL and no empty string (the common case) is converted
    row by row with ``map`` over C-level callables (``int``, ``Decimal``,
    ``datetime.fromisoformat``...) wherever one gives the converter's value,
    so most values cost no Python frame.  Any other chunk, or one where a
    C-level callable refuses a value (``infinity``), goes value by value.
    """
    if '""' not in chunk:
        if not _has_empty_field(chunk):
            direct = [C_LEVEL.get(conv, conv) for conv in converters]
            try:
                return [
                    tuple(map(_call, direct, row))
                    for row in csv.reader(io.StringIO(chunk, newline=""))
                ]
            except (ValueError, TypeError, ArithmeticError, LookupError):
                pass  # e.g. 'infinity': the Python converters keep their text
        # Every empty field is a NULL; a blank line is the NULL of a one-column row.
        wrapped = [_null_if_empty(conv) for conv in converters]
        return [
            tuple(map(_call, wrapped, row or _BLANK_LINE))
            for row in csv.reader(io.StringIO(chunk, newline=""))
        ]
    nullable = [_null_if_none(conv) for conv in converters]
    return [tuple(map(_call, nullable, row)) for row in _parse_exact(chunk)]


def _null_if_empty(conv: Callable[[str], Any]) -> Callable[[str], Any]:
    if conv is identity:
        return _str_or_none

    def wrapped(text: str) -> Any:
        return conv(text) if text else None

    return wrapped


def _str_or_none(text: str) -> str | None:
    return text if text else None


def _null_if_none(conv: Callable[[str], Any]) -> Callable[[str | None], Any]:
    def wrapped(text: str | None) -> Any:
        return None if text is None else conv(text)

    return wrapped
