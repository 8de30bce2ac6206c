"""The DuckDB engine behind the local endpoint, on real DuckDB instances."""

from __future__ import annotations

import datetime
import decimal
import threading
from typing import Any

import pytest

from redshift_dataapi.local.engines import (
    ColumnInfo,
    EngineError,
    StatementCancelled,
)
from redshift_dataapi.local.engines.duckdb.engine import DuckDBConnection, DuckDBEngine
from redshift_dataapi.local.engines.duckdb.settings import CONNECTION_SETTINGS, INSTANCE_SETTINGS


def col(result_columns: list[ColumnInfo] | None, name: str) -> ColumnInfo:
    assert result_columns is not None
    return next(c for c in result_columns if c.name == name)


# -- the walkthrough -----------------------------------------------------------

WALKTHROUGH = [
    "CREATE SCHEMA demo;",
    """CREATE TABLE demo.green_201601 (vendorid VARCHAR(4), pickup_datetime TIMESTAMP,
    dropoff_datetime TIMESTAMP, store_and_fwd_flag VARCHAR(1), ratecode INT,
    pickup_longitude FLOAT4, pickup_latitude FLOAT4, dropoff_longitude FLOAT4,
    dropoff_latitude FLOAT4, passenger_count INT, trip_distance FLOAT4, fare_amount FLOAT4,
    extra FLOAT4, mta_tax FLOAT4, tip_amount FLOAT4, tolls_amount FLOAT4, ehail_fee FLOAT4,
    improvement_surcharge FLOAT4, total_amount FLOAT4, payment_type VARCHAR(4),
    trip_type VARCHAR(4)) DISTSTYLE KEY DISTKEY (vendorid) SORTKEY (pickup_datetime);""",
    """INSERT INTO demo.green_201601 (vendorid, pickup_datetime, ratecode, trip_distance)
    VALUES ('2', '2016-01-01 00:29:24', 1, 6.5), ('1', '2016-01-01 00:19:39', 1, 7.1),
           ('2', '2016-01-01 01:05:00', 5, 12.0), ('2', '2016-01-01 02:00:00', 2, 1.0);""",
]


def test_walkthrough_runs(engine: DuckDBEngine, conn: DuckDBConnection) -> None:
    results = [conn.execute(sql) for sql in WALKTHROUGH]
    assert [r.columns for r in results] == [None, None, None]
    assert results[2].affected_rows == 4
    r = conn.execute(
        "SELECT ratecode, COUNT(*) FROM demo.green_201601 WHERE trip_distance > 5"
        " GROUP BY 1 ORDER BY 1;"
    )
    assert r.rows == [(1, 2), (5, 1)]
    assert r.affected_rows == 2
    assert [(c.name, c.type_name) for c in r.columns or []] == [
        ("ratecode", "int4"),
        ("count", "int8"),
    ]
    ratecode = col(r.columns, "ratecode")
    assert (ratecode.schema_name, ratecode.table_name, ratecode.nullable) == (
        "demo",
        "green_201601",
        1,
    )
    assert engine.list_schemas("dev", "demo%") == ["demo"]
    tables = engine.list_tables("dev", "demo", "green%")
    assert [(t.schema, t.name, t.type) for t in tables] == [("demo", "green_201601", "TABLE")]
    columns = engine.describe_table("dev", "demo", "green_201601")
    assert len(columns) == 21
    assert (columns[0].name, columns[0].type_name, columns[0].length) == ("vendorid", "varchar", 4)
    assert (columns[5].name, columns[5].type_name) == ("pickup_longitude", "float4")


# -- types ---------------------------------------------------------------------

TYPED_TABLE = """CREATE TABLE typed (
    i2 SMALLINT, i4 INTEGER, i8 BIGINT, f4 REAL, f8 DOUBLE PRECISION, n NUMERIC(12,3),
    b BOOLEAN, v VARCHAR(20), c CHAR(5), d DATE, t TIME, tz TIMETZ, ts TIMESTAMP,
    tstz TIMESTAMPTZ, s SUPER, vb VARBYTE(10), g GEOMETRY, h HLLSKETCH)"""

TYPE_CASES: list[tuple[str, str, Any, str, type]] = [
    # column, value bound as the Data API string, expected Python value, typeName, type
    ("i2", "-12", -12, "int2", int),
    ("i4", "42", 42, "int4", int),
    ("i8", "9007199254740993", 9007199254740993, "int8", int),
    ("f4", "1.5", 1.5, "float4", float),
    ("f8", "2.25", 2.25, "float8", float),
    ("n", "123456789.125", decimal.Decimal("123456789.125"), "numeric", decimal.Decimal),
    ("b", "true", True, "bool", bool),
    ("v", "héllo wörld", "héllo wörld", "varchar", str),
    ("c", "abc", "abc  ", "bpchar", str),  # CHAR(5) comes back blank-padded, as on Redshift
    ("d", "2024-01-02", datetime.date(2024, 1, 2), "date", datetime.date),
    ("t", "13:14:15", datetime.time(13, 14, 15), "time", datetime.time),
    ("ts", "2024-01-02 03:04:05.123456", datetime.datetime(2024, 1, 2, 3, 4, 5, 123456),
     "timestamp", datetime.datetime),
    ("tstz", "2024-01-02 03:04:05+02",
     datetime.datetime(2024, 1, 2, 1, 4, 5, tzinfo=datetime.timezone.utc),
     "timestamptz", datetime.datetime),
    ("s", '{"a": [1, 2]}', '{"a": [1, 2]}', "super", str),
    ("g", "0101000000000000000000F03F", "0101000000000000000000F03F", "geometry", str),
]  # fmt: skip


@pytest.mark.parametrize(("column", "text", "expected", "type_name", "py_type"), TYPE_CASES)
def test_parameter_binding_and_round_trip(
    conn: DuckDBConnection, column: str, text: str, expected: Any, type_name: str, py_type: type
) -> None:
    conn.execute(TYPED_TABLE)
    inserted = conn.execute(f"INSERT INTO typed ({column}) VALUES (:value)", {"value": text})
    assert inserted.affected_rows == 1
    r = conn.execute(f"SELECT {column} FROM typed WHERE {column} = :value", {"value": text})
    assert r.rows == [(expected,)]
    assert isinstance(r.rows[0][0], py_type)
    info = col(r.columns, column)
    assert info.type_name == type_name
    assert (info.schema_name, info.table_name, info.nullable) == ("public", "typed", 1)
    updated = conn.execute(
        f"UPDATE typed SET {column} = :value WHERE {column} IN (:value)", {"value": text}
    )
    assert updated.affected_rows == 1


def test_timetz_and_varbyte_values(conn: DuckDBConnection) -> None:
    conn.execute(TYPED_TABLE)
    conn.execute("INSERT INTO typed (tz, vb) VALUES (:tz, :vb)", {"tz": "01:02:03+02", "vb": "ab"})
    r = conn.execute("SELECT tz, vb FROM typed")
    tz, vb = r.rows[0]
    assert tz == datetime.time(1, 2, 3, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    assert vb == b"ab"
    assert [c.type_name for c in r.columns or []] == ["timetz", "varbyte"]


def test_column_metadata(conn: DuckDBConnection) -> None:
    conn.execute(TYPED_TABLE)
    r = conn.execute("SELECT i4, n, v, c, f8, b, 'x' || v AS computed FROM typed")
    assert r.rows == []
    i4, n, v, c, f8, b, computed = r.columns or []
    assert (i4.precision, i4.is_signed, i4.is_case_sensitive) == (10, True, False)
    assert (n.type_name, n.precision, n.scale, n.is_signed) == ("numeric", 12, 3, True)
    assert (v.type_name, v.length, v.is_case_sensitive, v.is_signed) == ("varchar", 20, True, False)
    assert (c.type_name, c.length) == ("bpchar", 5)
    assert (f8.type_name, f8.precision) == ("float8", 17)
    assert (b.type_name, b.is_currency) == ("bool", False)
    assert (computed.type_name, computed.length, computed.nullable) == ("varchar", 0, 2)
    assert (computed.schema_name, computed.table_name) == ("", "")
    assert all(x.label == x.name for x in r.columns or [])


def test_nulls_of_every_type(conn: DuckDBConnection) -> None:
    conn.execute(TYPED_TABLE)
    conn.execute("INSERT INTO typed (i4) VALUES (NULL)")
    r = conn.execute("SELECT * FROM typed")
    assert r.rows == [(None,) * 18]
    assert [c.nullable for c in r.columns or []] == [1] * 18


def test_not_null_columns_report_nullable_0(conn: DuckDBConnection) -> None:
    conn.execute("CREATE TABLE nn (a INT NOT NULL, b INT)")
    r = conn.execute("SELECT a, b FROM nn")
    assert [c.nullable for c in r.columns or []] == [0, 1]


def test_duckdb_only_types_come_back_as_contract_types(conn: DuckDBConnection) -> None:
    r = conn.execute(
        "SELECT 170141183460469231731687303715884105727::HUGEINT AS h,"
        " '2b3f8c1e-0000-4000-8000-000000000000'::UUID AS u, [1, 2] AS l,"
        " INTERVAL '1 day 2 hours' AS iv"
    )
    h, u, lst, iv = r.rows[0]
    assert h == decimal.Decimal("170141183460469231731687303715884105727")
    assert u == "2b3f8c1e-0000-4000-8000-000000000000"
    assert lst == "[1, 2]"
    assert iv == datetime.timedelta(days=1, hours=2)
    assert [c.type_name for c in r.columns or []] == ["numeric", "varchar", "super", "interval"]


@pytest.mark.parametrize("name", [*INSTANCE_SETTINGS, *CONNECTION_SETTINGS])
def test_every_engine_setting_is_in_effect(engine: DuckDBEngine, name: str) -> None:
    expected = {**INSTANCE_SETTINGS, **CONNECTION_SETTINGS}[name].strip("'")
    # A second connection: instance settings reach every connection, and
    # connection settings are made by each.
    for _ in range(2):
        connection = engine.connect("dev")
        try:
            ((value,),) = connection.execute(f"SELECT current_setting('{name}')").rows
        finally:
            engine.release(connection)
        assert str(value).lower() == expected.lower()


def test_integer_division_and_arithmetic_on_parameters(conn: DuckDBConnection) -> None:
    r = conn.execute("SELECT 7 / 2, :x + 1, :y * 2", {"x": "41", "y": "1.5"})
    assert r.rows == [(3, 42, decimal.Decimal("3.0"))]
    assert [c.name for c in r.columns or []] == ["?column?"] * 3


def test_identity_column(conn: DuckDBConnection) -> None:
    conn.execute("CREATE TABLE ids (id BIGINT IDENTITY(1, 1), name VARCHAR(8))")
    conn.execute("INSERT INTO ids (name) VALUES ('a'), ('b')")
    assert conn.execute("SELECT id, name FROM ids ORDER BY id").rows == [(1, "a"), (2, "b")]


def test_unqualified_names_live_in_public(engine: DuckDBEngine, conn: DuckDBConnection) -> None:
    conn.execute("CREATE TABLE plain (a INT)")
    assert [(t.schema, t.name) for t in engine.list_tables("dev", "public")] == [
        ("public", "plain")
    ]
    assert "main" not in engine.list_schemas("dev")


def test_missing_parameter_is_an_error(conn: DuckDBConnection) -> None:
    with pytest.raises(EngineError, match=":b"):
        conn.execute("SELECT :a, :b", {"a": "1"})


# -- transactions ------------------------------------------------------------------


def test_begin_commit_rollback(engine: DuckDBEngine, conn: DuckDBConnection) -> None:
    conn.execute("CREATE TABLE tx (a INT)")
    other = engine.connect("dev")
    try:
        conn.begin()
        assert conn.in_transaction
        conn.execute("INSERT INTO tx VALUES (1)")
        assert other.execute("SELECT count(*) FROM tx").rows == [(0,)]
        conn.commit()
        assert not conn.in_transaction
        assert other.execute("SELECT count(*) FROM tx").rows == [(1,)]
        conn.begin()
        conn.execute("INSERT INTO tx VALUES (2)")
        conn.rollback()
        assert not conn.in_transaction
        assert other.execute("SELECT count(*) FROM tx").rows == [(1,)]
        conn.rollback()  # no transaction: a no-op
    finally:
        other.close()


@pytest.mark.parametrize(
    ("begin", "end", "kept"),
    [
        ("BEGIN", "COMMIT", 1),
        ("START TRANSACTION", "END", 1),
        ("BEGIN TRANSACTION", "ROLLBACK", 0),
        ("BEGIN", "ABORT", 0),
    ],
)
def test_transaction_sql_is_tracked(
    conn: DuckDBConnection, begin: str, end: str, kept: int
) -> None:
    conn.execute("CREATE TABLE tx (a INT)")
    assert conn.execute(begin).columns is None
    assert conn.in_transaction
    conn.execute("INSERT INTO tx VALUES (1)")
    conn.execute(end)
    assert not conn.in_transaction
    assert conn.execute("SELECT count(*) FROM tx").rows == [(kept,)]


def test_redundant_begin_and_commit_are_accepted(conn: DuckDBConnection) -> None:
    conn.execute("COMMIT")
    conn.execute("BEGIN")
    conn.execute("BEGIN")
    assert conn.in_transaction
    conn.execute("COMMIT")
    assert not conn.in_transaction


def test_error_in_transaction_needs_rollback(conn: DuckDBConnection) -> None:
    conn.execute("BEGIN")
    with pytest.raises(EngineError):
        conn.execute("SELECT * FROM missing_table")
    assert conn.in_transaction
    with pytest.raises(EngineError) as info:
        conn.execute("SELECT 1")
    assert info.value.sqlstate == "25P02"
    conn.execute("ROLLBACK")
    assert conn.execute("SELECT 1").rows == [(1,)]


def test_close_rolls_back(engine: DuckDBEngine, conn: DuckDBConnection) -> None:
    conn.execute("CREATE TABLE tx (a INT)")
    other = engine.connect("dev")
    other.begin()
    other.execute("INSERT INTO tx VALUES (1)")
    engine.release(other)
    assert conn.execute("SELECT count(*) FROM tx").rows == [(0,)]


def test_temp_tables_belong_to_their_connection(
    engine: DuckDBEngine, conn: DuckDBConnection
) -> None:
    conn.execute("CREATE TEMP TABLE scratch (a VARCHAR(3))")
    conn.execute("INSERT INTO scratch VALUES ('abc')")
    r = conn.execute("SELECT a FROM scratch")
    assert r.rows == [("abc",)]
    assert col(r.columns, "a").length == 3
    other = engine.connect("dev")
    try:
        with pytest.raises(EngineError) as info:
            other.execute("SELECT a FROM scratch")
        assert info.value.sqlstate == "42P01"
    finally:
        engine.release(other)


def test_settings_do_not_leak_between_connections(
    engine: DuckDBEngine, conn: DuckDBConnection
) -> None:
    conn.execute("CREATE SCHEMA demo")
    conn.execute("SET search_path TO demo")
    conn.execute("CREATE TABLE in_demo (a INT)")
    other = engine.connect("dev")
    try:
        other.execute("CREATE TABLE in_public (a INT)")
    finally:
        engine.release(other)
    assert [
        (t.schema, t.name)
        for t in engine.list_tables("dev", "demo") + engine.list_tables("dev", "public")
    ] == [("demo", "in_demo"), ("public", "in_public")]


# -- cancel and concurrency -----------------------------------------------------

LONG_QUERY = "SELECT count(*) FROM range(100000000000) a WHERE a % 7 = 3"


def _run_in_thread(conn: DuckDBConnection, sql: str) -> tuple[threading.Thread, list[Any]]:
    outcome: list[Any] = []

    def target() -> None:
        try:
            outcome.append(conn.execute(sql))
        except Exception as exc:
            outcome.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    return thread, outcome


def _cancel_when_running(conn: DuckDBConnection, thread: threading.Thread) -> None:
    # cancel() is a no-op before the statement starts: wait until it has, then cancel once.
    while not conn.busy and thread.is_alive():
        thread.join(0.01)
    conn.cancel()
    thread.join(60)
    assert not thread.is_alive()


def test_cancel_interrupts_a_long_query(conn: DuckDBConnection) -> None:
    thread, outcome = _run_in_thread(conn, LONG_QUERY)
    _cancel_when_running(conn, thread)
    assert isinstance(outcome[0], StatementCancelled)
    assert outcome[0].sqlstate == "57014"
    assert conn.execute("SELECT 1").rows == [(1,)]  # the connection is usable again


def test_cancelled_statement_commits_nothing(engine: DuckDBEngine, conn: DuckDBConnection) -> None:
    conn.execute("CREATE TABLE sink (a BIGINT)")
    thread, outcome = _run_in_thread(
        conn, "INSERT INTO sink SELECT a FROM range(100000000000) a WHERE a % 7 = 3"
    )
    _cancel_when_running(conn, thread)
    assert isinstance(outcome[0], StatementCancelled)
    other = engine.connect("dev")
    try:
        assert other.execute("SELECT count(*) FROM sink").rows == [(0,)]
    finally:
        engine.release(other)


def test_cancel_when_idle_does_not_hit_the_next_statement(conn: DuckDBConnection) -> None:
    conn.cancel()
    assert conn.execute("SELECT 2").rows == [(2,)]


def test_concurrent_statements_on_separate_connections(engine: DuckDBEngine) -> None:
    conns = [engine.connect("dev") for _ in range(4)]
    try:
        runs = [
            _run_in_thread(c, f"SELECT sum(a) + {i} FROM range(3000000) a")
            for i, c in enumerate(conns)
        ]
        for thread, _ in runs:
            thread.join(60)
        total = sum(range(3000000))
        assert [outcome[0].rows for _, outcome in runs] == [
            [(decimal.Decimal(total + i),)] for i in range(4)
        ]
    finally:
        for c in conns:
            engine.release(c)


# -- errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "sqlstate", "text"),
    [
        ("SELECT * FROM no_such_table", "42P01", 'relation "no_such_table" does not exist'),
        ("SELECT * FROM nope.t", "3F000", 'schema "nope" does not exist'),
        ("CREATE TABLE nope.t (a INT)", "3F000", 'schema "nope" does not exist'),
        ("SELECT no_such_column FROM uq", "42703", "no_such_column"),
        ("SELEC 1", "42601", "syntax error"),
        ("INSERT INTO uq VALUES (1, 'x'), (1, 'y')", "23505", ""),
        ("INSERT INTO uq (a) VALUES (NULL)", "23502", ""),
        ("SELECT 'abc'::INT", "22P02", "abc"),
        ("INSERT INTO uq VALUES (2, 'abcd')", "22001", "too long for type character varying(3)"),
        ("INSERT INTO uq VALUES (2, 'é12')", "22001", "character varying(3)"),  # bytes count
        ("SELECT 1 / 0", "22012", "Division by zero"),
        ("SELECT 2147483647::INT + 1", "22003", ""),
        ("CREATE TABLE uq (a INT)", "42P07", "uq"),
        ("SELECT no_such_function(1)", "42883", "no_such_function"),
        ("SELECT 1; SELECT 2", "42601", "one statement per ExecuteStatement"),
    ],
)
def test_errors_carry_sqlstate(conn: DuckDBConnection, sql: str, sqlstate: str, text: str) -> None:
    # A unique index: Redshift's PRIMARY KEY / UNIQUE are informational (not enforced).
    conn.execute("CREATE TABLE uq (a INT, b VARCHAR(3) NOT NULL)")
    conn.execute("CREATE UNIQUE INDEX uq_a ON uq (a)")
    with pytest.raises(EngineError) as info:
        conn.execute(sql)
    err = info.value
    assert err.sqlstate == sqlstate
    assert err.message.startswith("ERROR: ")
    assert err.message.endswith(f"(SQLSTATE {sqlstate})")
    assert text in err.message
    assert "\n" not in err.message


# -- more Redshift SQL -------------------------------------------------------------


def test_redshift_setup_scripts_run(conn: DuckDBConnection) -> None:
    for sql in [
        "CREATE GROUP analysts",
        "CREATE SCHEMA IF NOT EXISTS demo",
        "ALTER SCHEMA demo OWNER TO admin",
        "GRANT USAGE ON SCHEMA demo TO GROUP analysts",
        "CREATE TABLE demo.t (id INT IDENTITY(1,1), v VARCHAR(5) ENCODE zstd) DISTSTYLE EVEN",
        "CREATE OR REPLACE VIEW demo.v AS SELECT id, v FROM demo.t WITH NO SCHEMA BINDING",
        "ANALYZE demo.t",
        "VACUUM demo.t",
        "SET query_group TO 'etl'",
        "SET search_path TO demo, public",
    ]:
        assert conn.execute(sql).columns is None, sql
    conn.execute("INSERT INTO t (v) VALUES (:v)", {"v": "hello"})
    r = conn.execute("SELECT * FROM v")
    assert r.rows == [(1, "hello")]


def test_more_statement_forms(engine: DuckDBEngine, conn: DuckDBConnection) -> None:
    conn.execute("CREATE TABLE src (i INT, v VARCHAR(5))")
    conn.execute("INSERT INTO src VALUES (1, 'a'), (2, 'b')")
    into = conn.execute("SELECT * INTO copy FROM src")
    assert into.columns is None  # SELECT INTO makes a table, as CREATE TABLE AS does
    conn.execute("ALTER TABLE src ADD COLUMN w VARCHAR(12) DEFAULT 'x'")
    conn.execute("ALTER TABLE src RENAME COLUMN v TO vv")
    lengths = {c.name: c.length for c in engine.describe_table("dev", "public", "src")}
    assert lengths == {"i": 0, "vv": 5, "w": 12}
    merged = conn.execute(
        "MERGE INTO src USING (SELECT 3 AS i, 'c' AS v) s ON src.i = s.i"
        " WHEN MATCHED THEN UPDATE SET vv = s.v WHEN NOT MATCHED THEN INSERT VALUES (s.i, s.v, :w)",
        {"w": "new"},
    )
    assert merged.affected_rows == 1
    assert conn.execute("SELECT * FROM src WHERE i = 3").rows == [(3, "c", "new")]
    deleted = conn.execute("DELETE FROM src USING copy WHERE src.i = copy.i AND copy.i = 1")
    assert deleted.affected_rows == 1
    conn.execute("CREATE DATABASE sales")
    shown = conn.execute("SHOW DATABASES")
    assert shown.rows == [("dev",), ("sales",)]


def test_arithmetic_on_parameters_inside_a_transaction(conn: DuckDBConnection) -> None:
    conn.execute("BEGIN")
    r = conn.execute(
        "SELECT :x + 1, -:y, ABS(:z), :s", {"x": "41", "y": "2.5", "z": "-3", "s": "7"}
    )
    assert r.rows == [(42, decimal.Decimal("-2.5"), 3, "7")]
    conn.execute("COMMIT")
    assert not conn.in_transaction


def test_close_cancels_a_running_statement(engine: DuckDBEngine) -> None:
    c = engine.connect("dev")
    thread, outcome = _run_in_thread(c, LONG_QUERY)
    while not c.busy and thread.is_alive():
        thread.join(0.01)
    c.close()
    thread.join(60)
    assert isinstance(outcome[0], StatementCancelled)
    with pytest.raises(EngineError, match="closed"):
        c.execute("SELECT 1")


def test_sum_of_integers_is_int8_as_on_redshift(conn: DuckDBConnection) -> None:
    # DuckDB's SUM(INTEGER) is HUGEINT; Redshift's is BIGINT (int8, a longValue).
    conn.execute("CREATE TABLE summed (n INT, b BIGINT)")
    conn.execute("INSERT INTO summed VALUES (41, 9223372036854775807), (1, 9223372036854775807)")
    r = conn.execute("SELECT SUM(n) AS s FROM summed")
    assert r.rows == [(42,)] and isinstance(r.rows[0][0], int)
    assert [c.type_name for c in r.columns or []] == ["int8"]
    # A sum beyond 64 bits cannot be an int8: it stays numeric(38,0), a Decimal.
    big = conn.execute("SELECT SUM(b) AS s FROM summed")
    assert [c.type_name for c in big.columns or []] == ["numeric"]
    assert big.rows == [(decimal.Decimal(2 * 9223372036854775807),)]


def test_listagg_distinct_with_a_delimiter(conn: DuckDBConnection) -> None:
    # sqlglot reads LISTAGG(DISTINCT x, ',') as DISTINCT over a pair; the second
    # expression must stay the delimiter.
    conn.execute("CREATE TABLE tagged (name VARCHAR(5))")
    conn.execute("INSERT INTO tagged VALUES ('b'), ('a'), ('b'), (NULL)")
    r = conn.execute(
        "SELECT LISTAGG(DISTINCT name, ',') WITHIN GROUP (ORDER BY name) AS listed FROM tagged"
    )
    assert r.rows == [("a,b",)]
