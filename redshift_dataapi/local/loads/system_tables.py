"""STL_LOAD_ERRORS and SYS_LOAD_ERROR_DETAIL: Redshift's load-error tables, in each engine.

Both are queryable with their documented columns, unqualified as on
Redshift.  ``stl_load_errors`` is a table; ``sys_load_error_detail`` a view
over it with the SYS view's column names (its ``transaction_id`` is the
query id: one COPY is one transaction locally).

Where they live (never in a user schema, so ListTables and reflection of
``public`` do not show them):

* DuckDB: the ``main`` schema of each database, which DuckDB resolves
  unqualified names in after the search path and the endpoint hides from
  listings; created with the database (:func:`duckdb_setup`).
* PostgreSQL: ``pg_catalog``, searched first for every user, created by the
  first COPY or UNLOAD of a database (:func:`postgres_setup`, as superuser)
  and readable by every user.

Rows are written by :func:`record_errors` through a connection of their own
in autocommit, so they stay when the COPY (or the user's transaction) fails,
as on Redshift.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from typing import TYPE_CHECKING

from ..engines.base import Engine
from ..translate.tokens import quote_literal

if TYPE_CHECKING:
    from .copy import LoadErrorEntry

__all__ = ["LoadErrorContext", "duckdb_setup", "postgres_setup", "record_errors", "table_id"]

_STL_COLUMNS = (
    ("userid", "INTEGER", "int32"),
    ("slice", "INTEGER", "int32"),
    ("tbl", "INTEGER", "int32"),
    ("starttime", "TIMESTAMP", "timestamp[us]"),
    ("session", "INTEGER", "int32"),
    ("query", "INTEGER", "int32"),
    ("filename", "CHAR(256)", "string"),
    ("line_number", "BIGINT", "int64"),
    ("colname", "CHAR(127)", "string"),
    ("type", "CHAR(10)", "string"),
    ("col_length", "CHAR(10)", "string"),
    ("position", "INTEGER", "int32"),
    ("raw_line", "CHAR(1024)", "string"),
    ("raw_field_value", "CHAR(1024)", "string"),
    ("err_code", "INTEGER", "int32"),
    ("err_reason", "CHAR(100)", "string"),
    ("is_partial", "INTEGER", "int32"),
    ("start_offset", "BIGINT", "int64"),
    ("copy_job_id", "BIGINT", "int64"),
)
_SYS_SELECT = (
    "SELECT userid AS user_id, CAST(query AS BIGINT) AS query_id, "
    "CAST(query AS BIGINT) AS transaction_id, session AS session_id, "
    "CAST({database} AS VARCHAR(64)) AS database_name, tbl AS table_id, "
    "starttime AS start_time, filename AS file_name, line_number, colname AS column_name, "
    "type AS column_type, col_length AS column_length, position, err_code AS error_code, "
    "CAST(err_reason AS VARCHAR(512)) AS error_message FROM {table}"
)
_WIDTHS = {name: int(sql[5:-1]) for name, sql, _ in _STL_COLUMNS if sql.startswith("CHAR(")}
#: Where the engines keep the table.
QUALIFIED = {"duckdb": "main.stl_load_errors", "postgresql": "pg_catalog.stl_load_errors"}


def _columns_sql() -> str:
    return ", ".join(f'"{name}" {sql}' for name, sql, _ in _STL_COLUMNS)


def duckdb_setup(database: str) -> list[str]:
    """Statements creating both in the DuckDB database named ``database``."""
    schema = '"' + database.replace('"', '""') + '".main'
    table = f"{schema}.stl_load_errors"
    return [
        f"CREATE TABLE IF NOT EXISTS {table} ({_columns_sql()})",
        f"CREATE OR REPLACE VIEW {schema}.sys_load_error_detail AS "
        + _SYS_SELECT.format(table=table, database=quote_literal(database)),
    ]


def postgres_setup(database: str) -> list[str]:
    """Statements creating both in the current PostgreSQL database (run as superuser).

    ``database`` is the Data API name the SYS view reports (the engine's
    PostgreSQL database may carry a prefix).
    """
    table = "pg_catalog.stl_load_errors"
    return [
        "SET allow_system_table_mods = on",
        f"CREATE TABLE IF NOT EXISTS {table} ({_columns_sql()})",
        "CREATE OR REPLACE VIEW pg_catalog.sys_load_error_detail AS "
        + _SYS_SELECT.format(table=table, database=quote_literal(database)),
        f"GRANT SELECT ON {table}, pg_catalog.sys_load_error_detail TO PUBLIC",
        "RESET allow_system_table_mods",
    ]


@dataclass(frozen=True)
class LoadErrorContext:
    """The COPY the errors belong to."""

    database: str
    table: str
    query_id: int
    session_pid: int
    started_at: dt.datetime


def table_id(table: str) -> int:
    """A stable positive id for a table name (the ``tbl`` column)."""
    return zlib.crc32(table.lower().encode()) & 0x7FFFFFFF


def _row(entry: LoadErrorEntry, context: LoadErrorContext) -> tuple[object, ...]:
    values = dict(zip(type(entry).__dataclass_fields__, astuple(entry), strict=True))
    for name, width in _WIDTHS.items():
        if isinstance(values.get(name), str):
            values[name] = str(values[name])[:width]
    return (
        100,  # the cluster's admin user, as the Data API runs statements
        0,
        table_id(context.table),
        context.started_at,
        context.session_pid % 2**31,
        context.query_id,
        values["filename"],
        values["line_number"],
        values["colname"],
        values["type"],
        values["col_length"],
        values["position"],
        values["raw_line"],
        values["raw_field_value"],
        values["err_code"],
        values["err_reason"],
        0,
        0,
        0,
    )


def record_errors(
    engine: Engine, entries: Sequence[LoadErrorEntry], context: LoadErrorContext
) -> None:
    """Append ``entries`` to the database's STL_LOAD_ERRORS (its own connection, autocommit)."""
    if not entries:
        return
    import pyarrow as pa

    rows = [_row(entry, context) for entry in entries]
    schema = pa.schema([pa.field(name, pa.type_for_alias(kind)) for name, _, kind in _STL_COLUMNS])
    data = pa.Table.from_arrays(
        [pa.array([row[i] for row in rows], type=f.type) for i, f in enumerate(schema)],
        schema=schema,
    )
    connection = engine.connect(context.database, None)
    try:
        connection.insert_arrow(QUALIFIED[engine.name], list(schema.names), data)
    finally:
        engine.release(connection)
