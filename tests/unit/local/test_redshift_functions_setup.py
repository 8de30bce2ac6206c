"""The DuckDB macros of ``engines.redshift_functions``, on a bare DuckDB connection."""

from __future__ import annotations

import datetime as dt

import duckdb

from redshift_dataapi.local.engines.redshift_functions import duckdb_statements


def _connection() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    for statement in duckdb_statements("main"):
        con.execute(statement)
    return con


def test_the_macros_answer_as_redshift_documents() -> None:
    con = _connection()
    row = con.execute(
        "SELECT redshift_trunc(TIMESTAMP '2008-01-15 23:59:59'), redshift_trunc(2.7),"
        " strtol('0xff', 16), redshift_octet_length('français'), json_serialize(NULL)"
    ).fetchone()
    assert row == (dt.date(2008, 1, 15), 2, 255, 9, "null")
