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
from ..types import identity

__all__ = ["C_LEVEL", "convert_chunk", "convert_column", "convert_rows", "parse_chunk"]

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
}

_FIELD = re.compile(r'"((?:[^"]|"")*)"|([^,\r\n"]*)')


def parse_chunk(chunk: str) -> list[list[str | None]]:
    """Rows of one CSVRecords chunk, NULL as None and the empty string as ''."""
    if '""' not in chunk:
        return [
            [value if value else None for value in row]
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


def convert_chunk(chunk: str, converters: Sequence[Callable[[str], Any]]) -> list[tuple[Any, ...]]:
    """Parse one chunk and convert it column by column (see :func:`convert_columns`)."""
    if '""' not in chunk:
        # Fast path: the C reader, and every empty field is a NULL.
        rows: list[list[Any]] = list(csv.reader(io.StringIO(chunk, newline="")))
        null: str | None = ""
    else:
        rows = _parse_exact(chunk)
        null = None
    return convert_rows(rows, converters, null)


def convert_rows(
    rows: Sequence[Sequence[str | None]],
    converters: Sequence[Callable[[str], Any]],
    null: str | None,
) -> list[tuple[Any, ...]]:
    """Rows of text converted per column; ``null`` is the field that means NULL.

    A column without NULLs is converted with one ``map`` of its converter (a
    C-level callable where one gives the same value); a column with NULLs
    value by value.  Rows whose width differs from the column count are
    converted row by row, as before.
    """
    if not rows:
        return []
    width = len(converters)
    if width == 0 or set(map(len, rows)) != {width}:
        pairs = (zip(converters, row, strict=False) for row in rows)
        return [
            tuple(None if text == null else conv(text) for conv, text in pair)  # type: ignore[arg-type]
            for pair in pairs
        ]
    columns = zip(*rows, strict=True)
    return list(
        zip(
            *[
                convert_column(column, conv, null)
                for column, conv in zip(columns, converters, strict=True)
            ],
            strict=True,
        )
    )


def convert_column(
    column: Sequence[str | None], conv: Callable[[str], Any], null: str | None
) -> list[Any] | Sequence[Any]:
    """One column's values: NULL (``null``) as None, the rest through ``conv``."""
    if null in column:
        if conv is identity:
            return [None if text == null else text for text in column]
        return [None if text == null else conv(text) for text in column]  # type: ignore[arg-type]
    if conv is identity:
        return column
    fast = C_LEVEL.get(conv)
    if fast is not None:
        try:
            return list(map(fast, column))  # type: ignore[arg-type]
        except (ValueError, TypeError, ArithmeticError, LookupError):
            pass  # e.g. 'infinity': the Python converter keeps its text
    return list(map(conv, column))  # type: ignore[arg-type]
