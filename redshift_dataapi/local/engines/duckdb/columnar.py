"""Large DuckDB results fetched as Arrow, not as a Python object per value.

Turning a 100,000 x 8 result into Python rows took DuckDB 0.15 s, and the
encoder then spent as long again writing the text forms of its numerics,
dates and timestamps value by value.  Fetched as Arrow it takes 0.01 s, and
Arrow's casts write those text forms for a whole column at once.

:func:`fetch_rows` reads the first :data:`COLUMNAR_AFTER_ROWS` rows as
Python rows (a small result is a plain list, as before) and, for a larger
result of plain column types, the rest as an Arrow table, wrapped in
:class:`ArrowTailRows`.  Exactness rules:

* Python values of integers, floats, booleans and strings come from
  ``to_pylist``, the same values DuckDB's own fetch builds.  Every other
  type's values, and whole rows, come from DuckDB converting the Arrow
  table (``from_arrow(...).fetchall()``), so they are DuckDB's own
  conversion, ``infinity`` dates and out-of-range timestamps included.
* Text forms come from Arrow only for numeric (``decimal128``), date
  (``date32``) and timestamp (``timestamp[us]`` without a zone) columns whose
  values all lie within Python's years 1 to 9999; they equal what
  ``runtime.encoding`` writes for the Python values
  (``tests/unit/local/duckdb_engine/test_columnar.py`` compares them).
"""

from __future__ import annotations

import datetime as dt
import threading
import warnings
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from ..base import ColumnarRows

__all__ = ["COLUMNAR_AFTER_ROWS", "COLUMNAR_TYPES", "ArrowTailRows", "fetch_rows"]

#: Results longer than this are fetched column by column after their first rows.
COLUMNAR_AFTER_ROWS = 2048

#: DuckDB result types (``DuckDBPyType.id``) whose Arrow form keeps the values
#: exactly and that need no converter (see ``types.column_info``).
COLUMNAR_TYPES = frozenset(
    {
        "boolean",
        "tinyint",
        "smallint",
        "integer",
        "bigint",
        "utinyint",
        "usmallint",
        "uinteger",
        "float",
        "double",
        "decimal",
        "varchar",
        "date",
        "timestamp",
    }
)

# DuckDB warns that Arrow output of a DB-API result copies the rows: the copy
# costs a fraction of what the Python objects it replaces cost.
warnings.filterwarnings(
    "ignore", message="Arrow output on a DB-API result makes an extra copy", category=UserWarning
)

_EPOCH_DAY = dt.date(1970, 1, 1).toordinal()
#: Python's date range in date32 days and timestamp[us] microseconds.
_DAYS = (dt.date.min.toordinal() - _EPOCH_DAY, dt.date.max.toordinal() - _EPOCH_DAY)
_MICROS = (_DAYS[0] * 86_400_000_000, (_DAYS[1] + 1) * 86_400_000_000 - 1)

_lock = threading.Lock()
_converter: duckdb.DuckDBPyConnection | None = None


def _duckdb_rows(table: pa.Table) -> list[tuple[Any, ...]]:
    """DuckDB's own Python rows of ``table`` (a private connection; one thread at a time)."""
    global _converter
    with _lock:
        if _converter is None:
            _converter = duckdb.connect()
        return _converter.from_arrow(table).fetchall()


def _plain_values(kind: pa.DataType) -> bool:
    """Whether ``to_pylist`` gives the values DuckDB's fetch gives."""
    return bool(
        pa.types.is_integer(kind)
        or pa.types.is_floating(kind)
        or pa.types.is_boolean(kind)
        or pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
    )


def _within(column: pa.ChunkedArray, bounds: tuple[int, int]) -> bool:
    """Whether every value's number (date32: days, timestamp: units) is within ``bounds``."""
    number = pa.int32() if pa.types.is_date32(column.type) else pa.int64()
    low_high = pc.min_max(column.cast(number))
    low, high = low_high["min"].as_py(), low_high["max"].as_py()
    return bool(low is None or (bounds[0] <= low and high <= bounds[1]))


def _texts(column: pa.ChunkedArray, type_name: str) -> pa.ChunkedArray | None:
    kind = column.type
    if type_name in ("numeric", "decimal") and pa.types.is_decimal(kind):
        # Arrow writes a value below 1e-6 in exponent form (0E-10), as str(Decimal)
        # does; the encoder never does: such a column takes the values.
        text = pc.cast(column, pa.string())
        return None if pc.any(pc.match_substring(text, "E")).as_py() else text
    if type_name == "date" and pa.types.is_date32(kind):
        return pc.cast(column, pa.string()) if _within(column, _DAYS) else None
    if (
        type_name == "timestamp"
        and pa.types.is_timestamp(kind)
        and kind.unit == "us"
        and kind.tz is None
        and _within(column, _MICROS)
    ):
        # Arrow writes all six fraction digits; the encoder trims trailing zeros
        # and drops an all-zero fraction with its dot (the dot stops the first
        # trim, so the seconds' own zeros stay).
        text = pc.ascii_rtrim(pc.cast(column, pa.string()), characters="0")
        return pc.ascii_rtrim(text, characters=".")
    return None


class ArrowTailRows(ColumnarRows):
    """The first rows as DuckDB fetched them, the rest as an Arrow table."""

    def __init__(self, head: list[tuple[Any, ...]], tail: pa.Table) -> None:
        super().__init__(head)
        self.tail = tail
        self._tail_rows: list[tuple[Any, ...]] | None = None

    def tail_length(self) -> int:
        return int(self.tail.num_rows)

    def tail_rows(self) -> list[tuple[Any, ...]]:
        if self._tail_rows is None:
            self._tail_rows = _duckdb_rows(self.tail)
        return self._tail_rows

    def tail_values(self, index: int) -> list[Any]:
        column = self.tail.column(index)
        if _plain_values(column.type):
            return column.to_pylist()  # type: ignore[no-any-return]
        return [row[index] for row in self.tail_rows()]

    def tail_array(self, index: int) -> pa.ChunkedArray:
        return self.tail.column(index)

    def tail_text_array(self, index: int, type_name: str) -> pa.ChunkedArray | None:
        return _texts(self.tail.column(index), type_name.lower())


def fetch_rows(
    cur: duckdb.DuckDBPyConnection, columnar: bool
) -> list[tuple[Any, ...]] | ArrowTailRows:
    """Every row of the result on ``cur``; past the first rows as Arrow when ``columnar``."""
    head = cur.fetchmany(COLUMNAR_AFTER_ROWS)
    if len(head) < COLUMNAR_AFTER_ROWS:
        return head
    if not columnar:
        return head + cur.fetchall()
    return ArrowTailRows(head, cur.to_arrow_table())
