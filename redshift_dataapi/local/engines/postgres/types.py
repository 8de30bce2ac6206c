"""PostgreSQL types as the Data API reports them: typeNames, column metadata, Python values.

PostgreSQL names a result column's type by OID and a type modifier (typmod);
the Data API names it by Redshift's ``typeName`` with ``length``,
``precision`` and ``scale``.  :func:`column_info` turns one into the other.

Values are loaded by psycopg through :data:`ADAPTERS`, a map that only holds
loaders for the types of the table in :mod:`.base`; every other type
(``interval``, ``json``/``jsonb``, ``uuid``, arrays, ``oid``...) falls back to
psycopg's text loader and arrives as the server's own text, which is what the
contract asks for (``super`` as JSON text, ``interval`` as engine text,
anything else as ``str``).  Parameters are dumped as PostgreSQL ``unknown``
(text format), so the server casts each Data API string to the type the
statement needs: ``WHERE id = %(id)s`` with ``"42"`` compares integers.

Display widths (``precision`` of non-numeric types) follow what PostgreSQL's
JDBC driver, and so Redshift's Data API, reports: 10 for int4, 19 for int8,
29 for timestamp, and so on; text without a declared length reports 65535
and ``varbyte`` 64000, as the DuckDB engine does.  A result column computed
by an expression (no table behind it) has ``nullable`` 2 (unknown).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from psycopg import postgres
from psycopg.adapt import AdaptersMap
from psycopg.types.bool import BoolLoader
from psycopg.types.datetime import (
    DateLoader,
    TimeLoader,
    TimestampLoader,
    TimestamptzLoader,
    TimetzLoader,
)
from psycopg.types.none import NoneDumper
from psycopg.types.numeric import FloatLoader, IntLoader, NumericLoader
from psycopg.types.string import ByteaLoader, StrDumperUnknown, TextLoader

from ..base import ColumnInfo

__all__ = [
    "ADAPTERS",
    "TZ_AWARE_TIMESTAMP_OIDS",
    "UNBOUNDED_TEXT",
    "AdaptContext",
    "char_length",
    "column_info",
    "is_known_type",
    "numeric_modifier",
    "to_utc",
]

# Built-in type OIDs (fixed in PostgreSQL's catalog, pg_type.dat).
BOOL, BYTEA, CHAR, NAME, INT8, INT2, INT4, TEXT, OID = 16, 17, 18, 19, 20, 21, 23, 25, 26
JSON, FLOAT4, FLOAT8, UNKNOWN, MONEY = 114, 700, 701, 705, 790
BPCHAR, VARCHAR, DATE, TIME, TIMESTAMP, TIMESTAMPTZ = 1042, 1043, 1082, 1083, 1114, 1184
INTERVAL, TIMETZ, NUMERIC, JSONB = 1186, 1266, 1700, 3802

#: Display width reported for text without a declared length (as the DuckDB engine does).
UNBOUNDED_TEXT = 65535


@dataclass(frozen=True)
class _TypeShape:
    """How one PostgreSQL type appears in ColumnMetadata."""

    type_name: str
    precision: int = 0
    scale: int = 0
    signed: bool = False
    case_sensitive: bool = False


_SHAPES: dict[int, _TypeShape] = {
    INT2: _TypeShape("int2", 5, signed=True),
    INT4: _TypeShape("int4", 10, signed=True),
    INT8: _TypeShape("int8", 19, signed=True),
    FLOAT4: _TypeShape("float4", 8, signed=True),
    FLOAT8: _TypeShape("float8", 17, signed=True),
    NUMERIC: _TypeShape("numeric", signed=True),
    MONEY: _TypeShape("money", signed=True),
    BOOL: _TypeShape("bool", 1),
    BPCHAR: _TypeShape("bpchar", UNBOUNDED_TEXT, case_sensitive=True),
    VARCHAR: _TypeShape("varchar", UNBOUNDED_TEXT, case_sensitive=True),
    TEXT: _TypeShape("text", UNBOUNDED_TEXT, case_sensitive=True),
    NAME: _TypeShape("name", 63, case_sensitive=True),
    CHAR: _TypeShape("char", 1, case_sensitive=True),
    DATE: _TypeShape("date", 13),
    TIME: _TypeShape("time", 15),
    TIMETZ: _TypeShape("timetz", 21),
    TIMESTAMP: _TypeShape("timestamp", 29),
    TIMESTAMPTZ: _TypeShape("timestamptz", 35),
    INTERVAL: _TypeShape("interval", 49),
    BYTEA: _TypeShape("varbyte", 64000),
    JSON: _TypeShape("super", UNBOUNDED_TEXT, case_sensitive=True),
    JSONB: _TypeShape("super", UNBOUNDED_TEXT, case_sensitive=True),
    OID: _TypeShape("oid", 10),
    UNKNOWN: _TypeShape("unknown", case_sensitive=True),
}

#: Types whose values are timestamps with a zone: normalized to UTC after loading.
TZ_AWARE_TIMESTAMP_OIDS = frozenset({TIMESTAMPTZ})


def _build_adapters() -> AdaptersMap:
    adapters = AdaptersMap(types=postgres.types)
    # Data API values are strings: send them untyped so that the server casts.
    adapters.register_dumper(str, StrDumperUnknown)
    adapters.register_dumper(type(None), NoneDumper)  # the engine's own catalog queries
    adapters.register_loader(0, TextLoader)  # every type without a loader below
    for oid in (INT2, INT4, INT8):
        adapters.register_loader(oid, IntLoader)
    for oid in (FLOAT4, FLOAT8):
        adapters.register_loader(oid, FloatLoader)
    for oid, loader in (
        (NUMERIC, NumericLoader),
        (BOOL, BoolLoader),
        (DATE, DateLoader),
        (TIME, TimeLoader),
        (TIMETZ, TimetzLoader),
        (TIMESTAMP, TimestampLoader),
        (TIMESTAMPTZ, TimestamptzLoader),
        (BYTEA, ByteaLoader),
    ):
        adapters.register_loader(oid, loader)
    return adapters


#: The adapters every engine connection uses (see the module docstring).
ADAPTERS = _build_adapters()


class AdaptContext:
    """The minimal ``psycopg.abc.AdaptContext`` handing :data:`ADAPTERS` to new connections."""

    adapters = ADAPTERS
    connection = None


def numeric_modifier(typmod: int) -> tuple[int, int]:
    """(precision, scale) of a numeric typmod; (0, 0) for an unbounded numeric."""
    if typmod < 4:
        return 0, 0
    packed = typmod - 4
    scale = packed & 0x7FF
    if scale > 1000:  # PostgreSQL 15 stores negative scales as 11-bit two's complement
        scale -= 0x800
    return (packed >> 16) & 0xFFFF, scale


def char_length(typmod: int) -> int:
    """Declared length of a char/varchar typmod; 0 when unbounded."""
    return typmod - 4 if typmod >= 4 else 0


def column_info(
    name: str,
    type_oid: int,
    typmod: int,
    type_names: dict[int, str] | None = None,
    *,
    nullable: int = 2,
    schema_name: str = "",
    table_name: str = "",
    column_default: str | None = None,
) -> ColumnInfo:
    """ColumnMetadata of one column from its PostgreSQL type OID and typmod.

    ``type_names`` maps OIDs of types this module does not know (user types,
    arrays, uuid...) to their ``pg_type.typname``; their typeName is that name
    in lower case.
    """
    shape = _SHAPES.get(type_oid)
    if shape is None:
        fallback = (type_names or {}).get(type_oid) or f"oid{type_oid}"
        shape = _TypeShape(fallback.lower(), case_sensitive=True)
    length = 0
    precision, scale = shape.precision, shape.scale
    if type_oid == NUMERIC:
        precision, scale = numeric_modifier(typmod)
    elif type_oid in (BPCHAR, VARCHAR) and typmod >= 4:
        length = char_length(typmod)
        precision = length
    elif type_oid in (TIME, TIMETZ, TIMESTAMP, TIMESTAMPTZ, INTERVAL) and 0 <= typmod <= 6:
        scale = typmod  # declared fractional-second digits
    return ColumnInfo(
        name=name,
        type_name=shape.type_name,
        label=name,
        length=length,
        precision=precision,
        scale=scale,
        nullable=nullable,
        schema_name=schema_name,
        table_name=table_name,
        is_signed=shape.signed,
        is_case_sensitive=shape.case_sensitive,
        is_currency=type_oid == MONEY,
        column_default=column_default,
    )


def is_known_type(type_oid: int) -> bool:
    """True when :func:`column_info` names ``type_oid`` without a catalog lookup."""
    return type_oid in _SHAPES


def to_utc(value: Any) -> Any:
    """An aware datetime moved to UTC (sessions may have SET TimeZone)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.timezone.utc)
    return value
