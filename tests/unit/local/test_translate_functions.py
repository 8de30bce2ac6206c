"""GETDATE/SYSDATE precision and FROM_HEX/TO_HEX, on real DuckDB and PostgreSQL.

The PostgreSQL connection gets the functions the engine creates at setup
(``engines.redshift_functions``), as every database of the engine has them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import duckdb
import pytest

from redshift_dataapi.local.engines.redshift_functions import POSTGRES_STATEMENTS
from redshift_dataapi.local.translate.core import translate


@pytest.fixture
def duck() -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'UTC'")
    yield con
    con.close()


@pytest.fixture
def pg(pg_dsn: str) -> Iterator[Any]:
    import psycopg

    # A session time zone far from UTC: GETDATE/SYSDATE must still be UTC.
    with psycopg.connect(pg_dsn, autocommit=True) as con:
        con.execute("SET TimeZone = 'Asia/Tokyo'")
        for statement in POSTGRES_STATEMENTS:
            con.execute(statement)
        yield con


def _duck(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[Any]]:
    tr = translate(sql, "duckdb")
    cur = con.execute(tr.sql)
    return [d[0] for d in cur.description or []], list(cur.fetchone() or ())


def _pg(con: Any, sql: str) -> tuple[list[str], list[Any]]:
    tr = translate(sql, "postgres")
    cur = con.execute(tr.sql, {})
    return [d.name for d in cur.description or []], list(cur.fetchone() or ())


def _utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def _check_dates(names: list[str], values: list[Any]) -> None:
    getdate, sysdate = values
    assert names == ["getdate", "sysdate"]
    for value in values:
        assert isinstance(value, datetime.datetime) and value.tzinfo is None
        assert abs((value - _utc_now()).total_seconds()) < 120  # UTC, not the session zone
    assert getdate.microsecond == 0  # Redshift's GETDATE has second precision
    assert getdate <= sysdate


def test_getdate_has_second_precision_on_duckdb(duck: duckdb.DuckDBPyConnection) -> None:
    for _ in range(3):  # SYSDATE keeps microseconds: 3 draws all on .000000 are unlikely
        names, values = _duck(duck, "SELECT GETDATE(), SYSDATE")
        _check_dates(names, values)
        if values[1].microsecond:
            break
    else:
        pytest.fail("SYSDATE lost its microseconds")


def test_getdate_has_second_precision_on_postgres(pg: Any) -> None:
    names, values = _pg(pg, "SELECT GETDATE() AS getdate, SYSDATE AS sysdate")
    _check_dates(names, values)
    names, _ = _pg(pg, "SELECT GETDATE()")
    assert names == ["getdate"]


def test_getdate_as_a_column_default(duck: duckdb.DuckDBPyConnection) -> None:
    ddl = "CREATE TABLE t (id INT, created TIMESTAMP DEFAULT GETDATE())"
    duck.execute(translate(ddl, "duckdb").sql)
    duck.execute("INSERT INTO t (id) VALUES (1)")
    (created,) = duck.execute("SELECT created FROM t").fetchone() or (None,)
    assert isinstance(created, datetime.datetime) and created.microsecond == 0


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("TO_HEX(255)", "ff"),
        ("TO_HEX(CAST(4096 AS BIGINT))", "1000"),
        ("TO_HEX(FROM_HEX('6162ff'))", "6162ff"),
        ("TO_HEX(CAST('ab' AS VARBYTE))", "6162"),
    ],
)
def test_to_hex_on_both_targets(
    duck: duckdb.DuckDBPyConnection, pg: Any, expr: str, expected: str
) -> None:
    assert _duck(duck, f"SELECT {expr} AS h")[1] == [expected]
    assert _pg(pg, f"SELECT {expr} AS h")[1] == [expected]


def test_from_hex_is_bytes_on_both_targets(duck: duckdb.DuckDBPyConnection, pg: Any) -> None:
    assert bytes(_duck(duck, "SELECT FROM_HEX('6162ff') AS b")[1][0]) == b"ab\xff"
    assert bytes(_pg(pg, "SELECT FROM_HEX('6162ff') AS b")[1][0]) == b"ab\xff"


def test_to_hex_of_a_bare_varbyte_column(duck: duckdb.DuckDBPyConnection, pg: Any) -> None:
    # The argument's type decides (no cast needed): bytes for VARBYTE, the number for INT.
    targets = ((pg, _pg, "postgres"), (duck, _duck, "duckdb"))
    for con, run, target in targets:
        for sql in (
            "CREATE TEMP TABLE hexes (b VARBYTE(8), i INT)",
            "INSERT INTO hexes VALUES (FROM_HEX('0aff'), 255)",
        ):
            con.execute(translate(sql, target).sql)
        assert run(con, "SELECT TO_HEX(b) AS h, TO_HEX(i) AS j FROM hexes")[1] == ["0aff", "ff"]
