"""The DuckDB macros of ``engines.redshift_functions``, as created for each DuckDB release."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from redshift_dataapi.local.engines.redshift_functions import duckdb_statements


def _connection(version: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    for statement in duckdb_statements("main", version):
        con.execute(statement)
    return con


def test_current_release_gets_the_typed_macros() -> None:
    con = _connection(duckdb.__version__)
    row = con.execute(
        "SELECT redshift_trunc(TIMESTAMP '2008-01-15 23:59:59'), redshift_trunc(2.7),"
        " strtol('0xff', 16), redshift_octet_length('français'), json_serialize(NULL)"
    ).fetchone()
    assert row == (dt.date(2008, 1, 15), 2, 255, 9, "null")


@pytest.mark.parametrize("version", ["1.1.3", "1.4.2"])
def test_older_releases_keep_the_engines_own_behaviour(version: str) -> None:
    # Plain untyped macros that every supported release can create.
    con = _connection(version)
    assert con.execute("SELECT redshift_trunc(2.7), json_serialize(NULL)").fetchone() == (
        2,
        "null",
    )
    with pytest.raises(duckdb.Error):
        con.execute("SELECT strtol('ff', 16)")
