"""What a DuckDB statement produced, as the engine contract's :class:`ExecResult`.

DuckDB's result description knows types but not where a column came from, nor
the Redshift type it was declared with; for a column taken straight from a
table, :func:`fetch_result` reads both from ``duckdb_columns()`` (the declared
type is the column comment the engine writes, see :mod:`.types`).
"""

from __future__ import annotations

import decimal
import functools
import re
from collections.abc import Sequence
from typing import Any

import duckdb

from ...translate.casts import division_type
from ...translate.core import Translated
from ...translate.tokens import quote_identifier
from ..base import ColumnInfo, ExecResult
from .columnar import COLUMNAR_TYPES, fetch_rows
from .types import apply_declared, column_info, declared_comment, parse_declared

__all__ = ["affected_rows", "declared_comments", "fetch_result"]

# column name -> (schema, table, nullable, comment, DuckDB data type)
_SourceColumns = dict[str, tuple[str, str, bool, str | None, str]]
_DECIMAL_RE = re.compile(r"^DECIMAL\((\d+),(\d+)\)$")


def affected_rows(cur: duckdb.DuckDBPyConnection, tr: Translated) -> int:
    """Rows a DML statement changed (DuckDB answers them as a one-row result)."""
    if tr.kind != "dml" or cur.description is None:
        return 0
    row = cur.fetchone()
    return int(row[0]) if row and isinstance(row[0], int) else 0


def declared_comments(tr: Translated) -> list[str]:
    """COMMENT statements recording the Redshift types of a CREATE TABLE's columns."""
    if tr.table is None or not tr.columns:
        return []
    schema, table = tr.table
    target = quote_identifier(table)
    if schema is not None:
        target = f"{quote_identifier(schema)}.{target}"
    out = []
    for col in tr.columns:
        comment = declared_comment(col).replace("'", "''")
        out.append(f"COMMENT ON COLUMN {target}.{quote_identifier(col.name)} IS '{comment}'")
    return out


def fetch_result(cur: duckdb.DuckDBPyConnection, tr: Translated) -> ExecResult:
    """Every row of the query that just ran on ``cur``, with Redshift ColumnMetadata."""
    description = cur.description or []
    described = [column_info(desc[0], desc[1]) for desc in description]
    columnar = bool(description) and all(
        converter is None
        and str(getattr(desc[1], "id", desc[1])).lower() in COLUMNAR_TYPES
        and str(desc[1]) != "JSON"
        for desc, (_, converter) in zip(description, described, strict=True)
    )
    rows: Sequence[tuple[Any, ...]] = fetch_rows(cur, columnar)
    columns: list[ColumnInfo] = []
    converters: list[tuple[int, Any]] = []
    for index, (desc, (info, converter)) in enumerate(zip(description, described, strict=True)):
        if str(getattr(desc[1], "id", desc[1])).lower() == "hugeint" and _fits_int8(rows, index):
            # DuckDB's SUM over any integer type is HUGEINT; Redshift's SUM of
            # int2/int4 is int8 (of int8, numeric(38,0)).  Report int8 when every
            # value fits, so SUM(int) comes back as longValue as on Redshift.
            info.type_name, info.precision, info.scale = "int8", 19, 0
            converter = None
        columns.append(info)
        if converter is not None:
            converters.append((index, converter))
    table_cols = _fill_origin(cur, columns, tr)
    converters += _char_padding(columns)
    converters += _decimal_quotients(columns, tr, table_cols)
    if converters and rows:
        # CHAR padding or a quotient's rounding, known only now: such a result
        # is turned into rows after all.
        rows = _convert_rows(list(rows), converters)
    return ExecResult(columns=columns, rows=rows, affected_rows=len(rows))


def _char_padding(columns: list[ColumnInfo]) -> list[tuple[int, Any]]:
    """Converters that blank-pad the values of CHAR(n) columns to n, as Redshift returns them.

    DuckDB keeps a CHAR value as it was written (see ``translate.chars``).
    """
    out: list[tuple[int, Any]] = []
    for index, info in enumerate(columns):
        if info.type_name == "bpchar" and info.length > 0:
            out.append((index, functools.partial(_pad, info.length)))
    return out


def _decimal_quotients(
    columns: list[ColumnInfo], tr: Translated, table_cols: _SourceColumns
) -> list[tuple[int, Any]]:
    """Quotients of two DECIMAL columns as Redshift's DECIMAL(p, s), not DuckDB's DOUBLE.

    The scale and precision are the documented ones (``translate.casts``);
    the value is DuckDB's DOUBLE quotient rounded to that scale, so digits
    beyond a DOUBLE's 15 to 17 significant ones are not exact.
    """
    out: list[tuple[int, Any]] = []
    for index, info in enumerate(columns):
        pair = tr.quotients.get(info.name)
        if pair is None or info.type_name != "float8":
            continue
        types = [_DECIMAL_RE.match(table_cols[c][4]) if c in table_cols else None for c in pair]
        if types[0] is None or types[1] is None:
            continue
        left, right = ((int(m.group(1)), int(m.group(2))) for m in types if m is not None)
        typed = division_type(left, right)
        if typed is None:
            continue
        info.type_name = "numeric"
        info.precision, info.scale = typed
        out.append((index, functools.partial(_to_decimal, info.scale)))
    return out


#: Room for any DECIMAL(38, s) while rounding.
_WIDE = decimal.Context(prec=80)


def _to_decimal(scale: int, value: Any) -> Any:
    if value is None:
        return None
    return decimal.Decimal(repr(value)).quantize(
        decimal.Decimal(1).scaleb(-scale), rounding=decimal.ROUND_HALF_UP, context=_WIDE
    )


def _pad(width: int, value: Any) -> Any:
    return None if value is None else str(value).ljust(width)


def _fill_origin(
    cur: duckdb.DuckDBPyConnection, columns: list[ColumnInfo], tr: Translated
) -> _SourceColumns:
    """Table, nullability and declared types for columns taken straight from a table.

    Returns the source table's columns (empty when the query reads no one table).
    """
    table_cols: _SourceColumns = {}
    if tr.source is not None and (tr.source_columns or tr.source_star or tr.quotients):
        table_cols = _source_columns(cur, *tr.source)
    for info in columns:
        origin = tr.source_columns.get(info.name)
        if origin is None and tr.source_star and info.name in table_cols:
            origin = info.name
        found = table_cols.get(origin) if origin is not None else None
        if found is None:
            apply_declared(info, None)
            continue
        schema, table, nullable, comment, _ = found
        info.schema_name, info.table_name = schema, table
        info.nullable = 1 if nullable else 0
        apply_declared(info, parse_declared(comment))
    return table_cols


def _source_columns(
    cur: duckdb.DuckDBPyConnection, schema: str | None, table: str
) -> _SourceColumns:
    try:
        if schema is None:
            rows = cur.execute(
                "SELECT schema_name, table_name, column_name, is_nullable, comment,"
                " database_name = 'temp' AS tmp, data_type"
                " FROM duckdb_columns() WHERE table_name = $1"
                " AND (database_name = 'temp' OR (database_name = current_database()"
                " AND schema_name = current_schema()))",
                [table],
            ).fetchall()
            temp = [r for r in rows if r[5]]
            rows = temp or rows
        else:
            rows = cur.execute(
                "SELECT schema_name, table_name, column_name, is_nullable, comment, false,"
                " data_type"
                " FROM duckdb_columns() WHERE table_name = $1 AND schema_name = $2"
                " AND database_name = current_database()",
                [table, schema],
            ).fetchall()
    except duckdb.Error:
        return {}
    return {r[2]: (r[0], r[1], bool(r[3]), r[4], str(r[6])) for r in rows}


def _fits_int8(rows: Sequence[tuple[Any, ...]], index: int) -> bool:
    """True when every value of column ``index`` is NULL or fits a signed 64-bit int."""
    low, high = -(2**63), 2**63 - 1
    return all(row[index] is None or low <= row[index] <= high for row in rows)


def _convert_rows(
    rows: list[tuple[Any, ...]], converters: list[tuple[int, Any]]
) -> list[tuple[Any, ...]]:
    out = []
    for row in rows:
        values = list(row)
        for index, converter in converters:
            values[index] = converter(values[index])
        out.append(tuple(values))
    return out
