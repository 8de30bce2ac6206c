"""DuckDB result types -> Redshift typeNames, ColumnInfo and Python values.

DuckDB already returns the Python types the engine contract asks for (int,
float, Decimal, date, datetime, aware datetime for TIMESTAMPTZ when the
session time zone is UTC, bytes for BLOB, str for JSON), so most columns are
passed through untouched; only the few DuckDB-only types need a per-value
conversion (HUGEINT -> Decimal, UUID -> str, LIST/STRUCT/MAP -> text).

Redshift keeps what DuckDB forgets (VARCHAR lengths, BPCHAR, SUPER,
GEOMETRY): the engine records the declared Redshift type of every column of
a CREATE TABLE as the column's comment (``redshift:varchar(4)``), and
:func:`parse_declared` reads it back.
"""

from __future__ import annotations

import decimal
import json
import re
from collections.abc import Callable
from typing import Any

from ...translate.core import DeclaredColumn
from ..base import ColumnInfo

__all__ = [
    "COMMENT_PREFIX",
    "apply_declared",
    "column_info",
    "declared_comment",
    "parse_declared",
    "user_comment",
    "with_user_comment",
]

#: Prefix of the column comment that records a column's Redshift type.
COMMENT_PREFIX = "redshift:"

# DuckDB type id -> (Redshift typeName, precision the service reports).
_SIMPLE: dict[str, tuple[str, int]] = {
    "boolean": ("bool", 1),
    "tinyint": ("int2", 5),
    "smallint": ("int2", 5),
    "utinyint": ("int2", 5),
    "integer": ("int4", 10),
    "usmallint": ("int4", 10),
    "bigint": ("int8", 19),
    "uinteger": ("int8", 19),
    "float": ("float4", 8),
    "double": ("float8", 17),
    "date": ("date", 13),
    "time": ("time", 15),
    "time with time zone": ("timetz", 21),
    "timestamp": ("timestamp", 29),
    "timestamp_s": ("timestamp", 29),
    "timestamp_ms": ("timestamp", 29),
    "timestamp_ns": ("timestamp", 29),
    "timestamp with time zone": ("timestamptz", 35),
    "interval": ("interval", 49),
    "blob": ("varbyte", 64000),
    "uuid": ("varchar", 36),
    "varchar": ("varchar", 65535),
}

_NUMERIC_IDS = {
    "tinyint", "smallint", "integer", "bigint", "hugeint", "utinyint", "usmallint",
    "uinteger", "ubigint", "uhugeint", "float", "double", "decimal",
}  # fmt: skip
_UNSIGNED_IDS = {"utinyint", "usmallint", "uinteger", "ubigint", "uhugeint"}

_DECLARED_RE = re.compile(r"^([a-z0-9_ ]+?)(?:\((\d+)(?:,(\d+))?\))?$")


def declared_comment(col: DeclaredColumn) -> str:
    """The column comment that records ``col``'s Redshift type."""
    if col.type_name == "numeric":
        return f"{COMMENT_PREFIX}numeric({col.precision},{col.scale})"
    if col.length:
        return f"{COMMENT_PREFIX}{col.type_name}({col.length})"
    return f"{COMMENT_PREFIX}{col.type_name}"


def parse_declared(comment: str | None) -> tuple[str, int, int, int] | None:
    """(typeName, length, precision, scale) from a comment written by :func:`declared_comment`."""
    if not comment or not comment.startswith(COMMENT_PREFIX):
        return None
    # A user's COMMENT ON COLUMN follows on the next line (see :func:`user_comment`).
    m = _DECLARED_RE.match(comment.split("\n", 1)[0][len(COMMENT_PREFIX) :])
    if m is None:
        return None
    name, first, second = m.group(1), m.group(2), m.group(3)
    if name == "numeric":
        return name, 0, int(first or 18), int(second or 0)
    return name, int(first or 0), 0, 0


def with_user_comment(current: str | None, text: str | None) -> str | None:
    """The column comment after ``COMMENT ON COLUMN ... IS text``: the declared type is kept.

    The first line keeps :func:`declared_comment`'s record of the Redshift
    type; the user's text follows on the next lines.
    """
    if not current or not current.startswith(COMMENT_PREFIX):
        return text
    declared = current.split("\n", 1)[0]
    return declared if text is None else f"{declared}\n{text}"


def user_comment(comment: str | None) -> str | None:
    """The user's part of a column comment (None when it holds the declared type only)."""
    if not comment or not comment.startswith(COMMENT_PREFIX):
        return comment
    parts = comment.split("\n", 1)
    return parts[1] if len(parts) == 2 else None


def _decimal(value: Any) -> Any:
    return None if value is None else decimal.Decimal(value)


def _text(value: Any) -> Any:
    return None if value is None else str(value)


def _json_text(value: Any) -> Any:
    if value is None:
        return None
    try:
        return json.dumps(value, default=str)
    except (TypeError, ValueError):
        return str(value)


def _int2_array_text(value: Any) -> Any:
    if value is None:
        return None
    return "{" + ",".join("NULL" if v is None else str(v) for v in value) + "}"


def column_info(name: str, duck_type: Any) -> tuple[ColumnInfo, Callable[[Any], Any] | None]:
    """ColumnInfo for a result column and the per-value converter it needs (None: none).

    ``duck_type`` is the DuckDBPyType from ``cursor.description``.
    """
    type_id = str(getattr(duck_type, "id", duck_type)).lower()
    text = str(duck_type)
    info = ColumnInfo(name=name, type_name=type_id, label=name)
    converter: Callable[[Any], Any] | None = None
    if text == "JSON":
        info.type_name, info.precision = "super", 65535
    elif type_id == "decimal":
        children = dict(getattr(duck_type, "children", []) or [])
        info.type_name = "numeric"
        info.precision = int(children.get("precision", 18))
        info.scale = int(children.get("scale", 0))
    elif type_id in ("hugeint", "uhugeint", "ubigint"):
        info.type_name, info.precision = "numeric", 38 if type_id != "ubigint" else 20
        converter = _decimal
    elif type_id in _SIMPLE:
        info.type_name, info.precision = _SIMPLE[type_id]
        if type_id == "uuid":
            converter = _text
    elif text == "SMALLINT[]":
        # Only the catalog's key columns (pg_constraint.conkey, confkey) are int2 lists
        # (Redshift's arrays are SUPER, which DuckDB lists of other types stand for):
        # Redshift prints them in PostgreSQL's array text, {1,2}.
        info.type_name, info.precision = "_int2", 5
        converter = _int2_array_text
    elif type_id in ("list", "struct", "map", "array", "union"):
        info.type_name, info.precision = "super", 65535
        converter = _json_text
    else:
        info.type_name = type_id.replace(" ", "_")
        converter = _text
    info.is_signed = type_id in _NUMERIC_IDS and type_id not in _UNSIGNED_IDS
    info.is_case_sensitive = info.type_name in ("varchar", "bpchar", "super", "char", "text")
    return info, converter


def apply_declared(info: ColumnInfo, declared: tuple[str, int, int, int] | None) -> None:
    """Overlay a column's recorded Redshift type on what DuckDB reports."""
    if declared is None:
        if info.type_name == "varchar":
            info.length = 0
        return
    type_name, length, precision, scale = declared
    if type_name in ("varchar", "bpchar", "varbyte"):
        info.type_name = type_name
        info.length = length
        info.precision = length
        info.is_case_sensitive = type_name != "varbyte"
    elif type_name in ("geometry", "geography", "hllsketch", "super"):
        info.type_name = type_name
        info.is_case_sensitive = type_name != "hllsketch"
    elif type_name == "numeric" and info.type_name == "numeric":
        info.precision, info.scale = precision, scale
