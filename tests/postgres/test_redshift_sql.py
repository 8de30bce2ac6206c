"""Redshift SQL on the PostgreSQL engine: functions, DDL attributes, database names."""

from __future__ import annotations

import datetime as dt

import pytest

from redshift_dataapi.local.engines.postgres.connection import _translate
from redshift_dataapi.local.engines.postgres.engine import PostgresConnection
from redshift_dataapi.local.engines.postgres.sql import prefix_database_names


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("CREATE DATABASE sales", 'CREATE DATABASE "p_sales"'),
        ('drop database if exists "Mixed"', 'drop database if exists "p_Mixed"'),
        ("CREATE DATABASE Sales WITH OWNER alice", 'CREATE DATABASE "p_sales" WITH OWNER alice'),
        ("ALTER DATABASE a RENAME TO b", 'ALTER DATABASE "p_a" RENAME TO "p_b"'),
        ("SELECT 'CREATE DATABASE x'", "SELECT 'CREATE DATABASE x'"),
        ("CREATE TABLE database (x INT)", "CREATE TABLE database (x INT)"),
    ],
)
def test_database_statements_get_the_prefix(sql: str, expected: str) -> None:
    assert prefix_database_names(sql, "p_") == expected
    assert prefix_database_names(sql, "") == sql


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT LISTAGG(name) FROM t", "SELECT STRING_AGG(name, '') FROM t"),
        ("SELECT LISTAGG(name, ';') FROM t", "SELECT STRING_AGG(name, ';') FROM t"),
        ("SELECT LISTAGG(f(a, b)) FROM t", "SELECT STRING_AGG(F(a, b), '') FROM t"),
        ("SELECT 'listagg(x)'", "SELECT 'listagg(x)'"),
        (
            "SELECT LISTAGG(x, ',') WITHIN GROUP (ORDER BY x DESC) FROM t",
            "SELECT STRING_AGG(x, ',' ORDER BY x DESC) FROM t",
        ),
        ("SELECT 'WITHIN GROUP'", "SELECT 'WITHIN GROUP'"),
    ],
)
def test_listagg_becomes_postgresql_string_agg(sql: str, expected: str) -> None:
    assert _translate(sql, in_transaction=False) == (expected, False, [], [])


def test_redshift_functions_run_with_redshift_types(
    conn: PostgresConnection, table_name: str
) -> None:
    conn.execute(
        f"CREATE TABLE {table_name} (name VARCHAR(10) ENCODE lzo, grp INT, d DATE)"
        " DISTSTYLE KEY DISTKEY (grp) COMPOUND SORTKEY (grp, name)"
    )
    conn.execute(
        f"INSERT INTO {table_name} VALUES"
        " ('b', 1, '2024-01-31'), ('a', 1, '2024-02-29'), (NULL, 2, NULL)"
    )
    result = conn.execute(
        "SELECT grp, LISTAGG(name, ',') WITHIN GROUP (ORDER BY name) AS names,"
        " LISTAGG(name) WITHIN GROUP (ORDER BY name DESC) AS joined,"
        " NVL(MAX(name), 'none') AS top"
        f" FROM {table_name} GROUP BY grp ORDER BY grp"
    )
    assert result.rows == [(1, "a,b", "ba", "b"), (2, None, None, "none")]
    distinct = conn.execute(
        f"SELECT LISTAGG(DISTINCT name, ',') WITHIN GROUP (ORDER BY name) AS listed,"
        f" LISTAGG(DISTINCT name) AS plain FROM (SELECT name FROM {table_name}"
        f" UNION ALL SELECT name FROM {table_name}) AS doubled"
    )
    ((listed, plain),) = distinct.rows
    assert listed == "a,b"
    assert sorted(plain) == ["a", "b"]  # no WITHIN GROUP: any order, as on Redshift
    dated = conn.execute(
        "SELECT DATEADD(day, 1, d) AS next_day, DATEDIFF(day, d, DATE '2024-03-01') AS days_left"
        f" FROM {table_name} WHERE name = :name",
        {"name": "b"},
    )
    assert dated.rows == [(dt.datetime(2024, 2, 1, 0, 0), 30)]
    now = conn.execute("SELECT GETDATE() AS now, SYSDATE AS tx")
    assert now.columns is not None
    assert [c.type_name for c in now.columns] == ["timestamp", "timestamp"]
    getdate = now.rows[0][0]
    assert getdate.tzinfo is None and getdate.microsecond == 0
    conn.execute(f"CREATE TABLE {table_name}_bytes (v VARBYTE(8))")
    conn.execute(f"INSERT INTO {table_name}_bytes VALUES (FROM_HEX(:v))", {"v": "00fe"})
    assert conn.execute(f"SELECT v FROM {table_name}_bytes").rows == [(b"\x00\xfe",)]
