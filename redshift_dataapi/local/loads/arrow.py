"""Redshift column types as Arrow types, and rows as Arrow tables.

One mapping for both directions: COPY builds the Arrow table it inserts
with it, UNLOAD writes Parquet with it, so that Parquet files carry the
logical types Redshift writes (DECIMAL(p,s), TIMESTAMP in microseconds,
with UTC for TIMESTAMPTZ, DATE, INT16/32/64, FLOAT/DOUBLE, BOOLEAN,
strings).  Types Arrow has no match for (intervals, geometry...) travel as
strings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from ..engines.base import ColumnInfo

__all__ = ["arrow_schema", "arrow_type", "rows_to_table"]

_FIXED: dict[str, pa.DataType] = {
    "int2": pa.int16(),
    "int4": pa.int32(),
    "int8": pa.int64(),
    "float4": pa.float32(),
    "float8": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
    "timestamptz": pa.timestamp("us", tz="UTC"),
    "time": pa.time64("us"),
    "varbyte": pa.binary(),
}
#: Largest precision an Arrow decimal128 holds.
_MAX_DECIMAL_PRECISION = 38


def arrow_type(column: ColumnInfo) -> pa.DataType:
    """The Arrow type of a Redshift column (strings for anything without a match)."""
    fixed = _FIXED.get(column.type_name)
    if fixed is not None:
        return fixed
    if column.type_name == "numeric":
        precision = column.precision or 18
        if 0 < precision <= _MAX_DECIMAL_PRECISION:
            return pa.decimal128(precision, max(column.scale, 0))
    return pa.string()


def arrow_schema(columns: Sequence[ColumnInfo], names: Sequence[str] | None = None) -> pa.Schema:
    """The Arrow schema of ``columns`` (named ``names`` when given)."""
    labels = names if names is not None else [c.label or c.name for c in columns]
    return pa.schema([pa.field(n, arrow_type(c)) for n, c in zip(labels, columns, strict=True)])


def _as_string(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def rows_to_table(
    rows: Sequence[Sequence[Any]], columns: Sequence[ColumnInfo], names: Sequence[str] | None = None
) -> pa.Table:
    """An Arrow table of ``rows`` with the types of ``columns``."""
    schema = arrow_schema(columns, names)
    arrays = []
    for index, field in enumerate(schema):
        values = [row[index] for row in rows]
        if pa.types.is_string(field.type):
            values = [_as_string(v) for v in values]
        elif pa.types.is_timestamp(field.type) and field.type.tz is not None:
            values = [v.astimezone(dt.timezone.utc) if v is not None else None for v in values]
        arrays.append(pa.array(values, type=field.type))
    return pa.Table.from_arrays(arrays, schema=schema)
