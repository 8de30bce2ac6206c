"""ROUND and DATEDIFF translations, run on a real DuckDB and a real PostgreSQL.

Redshift's ``DATEDIFF(part, a, b)`` counts the ``part`` boundaries crossed
between ``a`` and ``b``.  The expected values come from a small Python model
of that rule (:func:`boundaries_crossed`), from the brief's and Redshift's
documented examples, and are compared with what each engine returns for the
translated SQL.  ``ROUND(x, n)`` must run on PostgreSQL whatever numeric type
``x`` has, and return the type of ``x`` as Redshift's ROUND does (the
engine's setup adds ``round(double precision, integer)``, which PostgreSQL
lacks: the ``pg`` fixture runs the same statements).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import duckdb
import psycopg
import pytest

from redshift_dataapi.local.engines.redshift_functions import POSTGRES_STATEMENTS
from redshift_dataapi.local.translate.core import translate

EPOCH = datetime.datetime(1970, 1, 1)
MICROSECONDS = {
    "hour": 3_600_000_000,
    "minute": 60_000_000,
    "second": 1_000_000,
    "millisecond": 1_000,
    "microsecond": 1,
}


# -- engines ----------------------------------------------------------------------


@pytest.fixture
def duck() -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'UTC'")  # as the DuckDB engine runs
    yield con
    con.close()


@pytest.fixture
def pg(pg_dsn: str) -> Iterator[psycopg.Connection[Any]]:
    # The PostgreSQL engine's sessions run in UTC too.
    with psycopg.connect(pg_dsn, autocommit=True, options="-c TimeZone=UTC") as con:
        for statement in POSTGRES_STATEMENTS:
            con.execute(statement)
        yield con


def run_duckdb(
    con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None
) -> Any:
    tr = translate(sql, "duckdb")
    return con.execute(tr.sql, [(params or {})[n] for n in tr.param_names]).fetchall()


def run_postgres(
    con: psycopg.Connection[Any], sql: str, params: dict[str, Any] | None = None
) -> Any:
    tr = translate(sql, "postgres")
    with con.cursor() as cur:
        cur.execute(tr.sql, params or {})  # always a mapping: translate doubles every %
        return cur.fetchall()


# -- the rule -----------------------------------------------------------------------


def _monday(t: datetime.datetime) -> datetime.date:
    return t.date() - datetime.timedelta(days=t.weekday())


def boundaries_crossed(part: str, a: datetime.datetime, b: datetime.datetime) -> int:
    """How many ``part`` boundaries lie between ``a`` and ``b`` (negative when b < a)."""
    if part == "year":
        return b.year - a.year
    if part == "quarter":
        return (b.year * 4 + (b.month - 1) // 3) - (a.year * 4 + (a.month - 1) // 3)
    if part == "month":
        return (b.year * 12 + b.month) - (a.year * 12 + a.month)
    if part == "week":  # weeks start on Monday
        return (_monday(b) - _monday(a)).days // 7
    if part == "day":
        return (b.date() - a.date()).days
    if part == "decade":
        return b.year // 10 - a.year // 10
    if part == "century":  # the 21st century starts on 2001-01-01
        return (b.year - 1) // 100 - (a.year - 1) // 100
    if part == "millennium":
        return (b.year - 1) // 1000 - (a.year - 1) // 1000
    unit = MICROSECONDS[part]
    micro = datetime.timedelta(microseconds=1)
    return (b - EPOCH) // micro // unit - (a - EPOCH) // micro // unit


PARTS = [
    "year",
    "quarter",
    "month",
    "week",
    "day",
    "hour",
    "minute",
    "second",
    "millisecond",
    "microsecond",
    "decade",
    "century",
    "millennium",
]


def _pairs() -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Pairs just either side of boundaries, in both directions, and seeded random ones."""
    ts = datetime.datetime.fromisoformat
    edges = [
        (ts("2024-01-01 23:59:00"), ts("2024-01-02 00:01:00")),
        (ts("2024-01-31 12:00:00"), ts("2024-02-01 00:00:00")),
        (ts("2023-12-31 23:59:59.999999"), ts("2024-01-01 00:00:00")),
        (ts("2024-01-07 23:00:00"), ts("2024-01-08 01:00:00")),  # Sunday -> Monday
        (ts("2024-01-08 00:00:00"), ts("2024-01-14 23:59:59")),  # Monday -> Sunday
        (ts("2024-03-31 10:00:00"), ts("2024-04-01 09:00:00")),
        (ts("2024-05-05 10:59:59.9"), ts("2024-05-05 11:00:00.1")),
        (ts("2024-05-05 10:00:00.0009"), ts("2024-05-05 10:00:00.0011")),
        (ts("2000-12-31 00:00:00"), ts("2001-01-01 00:00:00")),
        (ts("1999-12-31 00:00:00"), ts("2000-01-01 00:00:00")),
        (ts("2019-12-31 00:00:00"), ts("2020-01-01 00:00:00")),
        (ts("1969-12-31 23:30:00"), ts("1970-01-01 00:10:00")),  # before the epoch
        (ts("2024-02-29 00:00:00"), ts("2024-02-29 00:00:00")),
    ]
    pairs = edges + [(b, a) for a, b in edges]
    rng = random.Random(20240101)
    start = datetime.datetime(1960, 1, 1)
    span = int((datetime.datetime(2040, 1, 1) - start).total_seconds())
    for _ in range(60):
        a = start + datetime.timedelta(
            seconds=rng.randrange(span), microseconds=rng.randrange(10**6)
        )
        b = a + datetime.timedelta(
            seconds=rng.randrange(-(10**8), 10**8), microseconds=rng.randrange(10**6)
        )
        pairs.append((a, b))
    return pairs


PAIRS = _pairs()
QUERY = "SELECT {columns} FROM pairs ORDER BY id"
COLUMNS = ", ".join(f"DATEDIFF({part}, a, b) AS {part}" for part in PARTS)


def expected_rows() -> list[tuple[int, ...]]:
    return [tuple(boundaries_crossed(part, a, b) for part in PARTS) for a, b in PAIRS]


def assert_same(actual: list[tuple[Any, ...]]) -> None:
    expected = expected_rows()
    for (a, b), got, want in zip(PAIRS, actual, expected, strict=True):
        mismatched = {p: (g, w) for p, g, w in zip(PARTS, got, want, strict=True) if g != w}
        assert not mismatched, f"DATEDIFF({a} -> {b}): engine, expected = {mismatched}"


# -- DATEDIFF ---------------------------------------------------------------------


def test_datediff_counts_boundaries_on_duckdb(duck: duckdb.DuckDBPyConnection) -> None:
    duck.execute("CREATE TABLE pairs (id INT, a TIMESTAMP, b TIMESTAMP)")
    duck.executemany(
        "INSERT INTO pairs VALUES (?, ?, ?)", [(i, a, b) for i, (a, b) in enumerate(PAIRS)]
    )
    assert_same(run_duckdb(duck, QUERY.format(columns=COLUMNS)))


def test_datediff_counts_boundaries_on_postgres(pg: psycopg.Connection[Any]) -> None:
    pg.execute("CREATE TEMP TABLE pairs (id INT, a TIMESTAMP, b TIMESTAMP)")
    with pg.cursor() as cur:
        cur.executemany(
            "INSERT INTO pairs VALUES (%s, %s, %s)", [(i, a, b) for i, (a, b) in enumerate(PAIRS)]
        )
    assert_same(run_postgres(pg, QUERY.format(columns=COLUMNS)))


# The brief's cases and the examples of Redshift's DATEDIFF documentation.
LITERAL_CASES = [
    ("day", "'2024-01-01 23:59'", "'2024-01-02 00:01'", 1),
    ("month", "'2024-01-31'", "'2024-02-01'", 1),
    ("year", "'2023-12-31'", "'2024-01-01'", 1),
    ("week", "'2009-01-01'", "'2009-12-31'", 52),
    ("hour", "'2023-01-01'", "'2023-01-03 05:04:03'", 53),
    ("hour", "'2009-01-01 08:30:00'", "'2009-01-01 10:00:00'", 2),
    ("minute", "'2024-01-01 10:59:59'", "'2024-01-01 11:00:00'", 1),
    ("second", "'2024-01-01 10:59:59.9'", "'2024-01-01 11:00:00.1'", 1),
    ("day", "'2024-03-01'::date", "'2024-01-01'::date", -60),
    ("qtr", "'2024-03-31'", "'2024-04-01'", 1),
    ("w", "'2024-01-07'", "'2024-01-08'", 1),
    ("weeks", "'2024-01-08'", "'2024-01-14'", 0),
    ("mins", "'2024-01-01 10:00:59'", "'2024-01-01 10:01:00'", 1),
    ("ms", "'2024-01-01 10:00:00.0009'", "'2024-01-01 10:00:00.001'", 1),
    ("'day'", "'2024-01-01 23:59'", "'2024-01-02 00:01'", 1),
]


@pytest.mark.parametrize(("part", "start", "end", "expected"), LITERAL_CASES)
def test_datediff_of_literals(
    duck: duckdb.DuckDBPyConnection,
    pg: psycopg.Connection[Any],
    part: str,
    start: str,
    end: str,
    expected: int,
) -> None:
    sql = f"SELECT DATEDIFF({part}, {start}, {end})"
    assert run_duckdb(duck, sql) == [(expected,)]
    assert run_postgres(pg, sql) == [(expected,)]


def test_datediff_of_parameters_dates_and_nulls(
    duck: duckdb.DuckDBPyConnection, pg: psycopg.Connection[Any]
) -> None:
    sql = (
        "SELECT DATEDIFF(month, CAST(:a AS DATE), CAST(:b AS DATE)),"
        " DATEDIFF(day, NULL, CAST(:b AS DATE))"
    )
    params = {"a": "2023-11-30", "b": "2024-02-01"}
    assert run_duckdb(duck, sql, params) == [(3, None)]
    assert run_postgres(pg, sql, params) == [(3, None)]


def test_nested_datediff_is_rewritten_inside_and_out(
    duck: duckdb.DuckDBPyConnection, pg: psycopg.Connection[Any]
) -> None:
    # The inner DATEDIFF (1 day boundary) moves the outer end one day on.
    sql = (
        "SELECT DATEDIFF(hour, '2024-01-01 23:59'::timestamp,"
        " DATEADD(day, DATEDIFF(day, '2024-01-01 23:59', '2024-01-02 00:01'),"
        " '2024-01-02 00:01'::timestamp))"
    )
    assert run_duckdb(duck, sql) == [(25,)]
    assert run_postgres(pg, sql) == [(25,)]


def test_datediff_result_column_is_named_datediff_and_bigint(pg: psycopg.Connection[Any]) -> None:
    tr = translate(
        "SELECT DATEDIFF(day, '2024-01-01', '2024-01-02'), DATEDIFF(day, a, b) AS d FROM t",
        "postgres",
    )
    with pg.cursor() as cur:
        cur.execute("CREATE TEMP TABLE t (a DATE, b DATE)")
        cur.execute(tr.sql)
        assert cur.description is not None
        assert [c.name for c in cur.description] == ["datediff", "d"]
        assert {c.type_code for c in cur.description} == {20}  # int8 OID


# -- ROUND -------------------------------------------------------------------------


def test_round_with_places_runs_on_every_numeric_type(
    duck: duckdb.DuckDBPyConnection, pg: psycopg.Connection[Any]
) -> None:
    ddl = (
        "CREATE TEMP TABLE nums (r REAL, d DOUBLE PRECISION, n NUMERIC(10, 4), i INTEGER, b BIGINT)"
    )
    insert = "INSERT INTO nums VALUES (2.345, 2.675, 1.2345, 7, 12345)"
    query = "SELECT ROUND(r, 1), ROUND(d, 1), ROUND(n, 2), ROUND(i, 1), ROUND(b, -2) FROM nums"
    pg.execute(translate(ddl, "postgres").sql)
    pg.execute(translate(insert, "postgres").sql)
    [pg_row] = run_postgres(pg, query)
    # Floats stay floats (REAL as double precision, as Redshift converts it); NUMERIC
    # keeps its exact value.
    assert [type(v) for v in pg_row[:3]] == [float, float, Decimal]
    assert [Decimal(str(v)) for v in pg_row] == [
        Decimal("2.3"),
        Decimal("2.7"),
        Decimal("1.23"),
        Decimal("7"),
        Decimal("12300"),
    ]
    duck.execute(translate(ddl, "duckdb").sql)
    duck.execute(translate(insert, "duckdb").sql)
    [duck_row] = run_duckdb(duck, query)
    # DuckDB keeps REAL/DOUBLE results binary (2.3 as a REAL is 2.2999999523...).
    assert [float(v) for v in duck_row] == pytest.approx([float(v) for v in pg_row], rel=1e-6)


def test_round_of_float_expression_and_parameter_stays_float_on_postgres(
    pg: psycopg.Connection[Any],
) -> None:
    sql = "SELECT ROUND(SQRT(2.0::float8), 3), ROUND(:v::float4 * 2, :n), ROUND(:w, 1)"
    [row] = run_postgres(pg, sql, {"v": "1.25", "n": 1, "w": "0.15"})
    assert row[:2] == (1.414, 2.5)
    assert isinstance(row[0], float) and isinstance(row[1], float)
    assert float(row[2]) == 0.2


def test_round_without_places_keeps_its_type_on_postgres(pg: psycopg.Connection[Any]) -> None:
    # The one-argument form exists for double precision: no cast, the result stays a float.
    [(value,)] = run_postgres(pg, "SELECT ROUND(2.6::float8)")
    assert isinstance(value, float) and value == 3.0
