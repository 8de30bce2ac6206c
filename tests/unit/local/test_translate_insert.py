"""The bulk INSERT ... VALUES fast path of the translator, against real engines.

Every statement the fast path accepts must do what the general path (token
scanner + sqlglot) makes of it: same rows in DuckDB and in PostgreSQL, same
parameter names; anything else must be declined and take the general path.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterator
from typing import Any

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redshift_dataapi.local.engines import EngineError, create_engine
from redshift_dataapi.local.engines.duckdb.engine import DuckDBConnection, DuckDBEngine
from redshift_dataapi.local.engines.redshift_functions import (
    POSTGRES_STATEMENTS,
    duckdb_statements,
)
from redshift_dataapi.local.translate.core import translate
from redshift_dataapi.local.translate.insert import (
    BULK_MIN_ROWS,
    target_type,
    translate_insert_values,
)
from redshift_dataapi.local.translate.passes import run_passes
from redshift_dataapi.sql.lexer import placeholder_spans

TABLE_DDL = (
    "CREATE TABLE t (id BIGINT, price NUMERIC(10,2), ratio DOUBLE PRECISION, name VARCHAR(20),"
    " flag BOOLEAN, day DATE, at_utc TIMESTAMPTZ, note VARCHAR(20))"
)
COLUMNS = "(id, price, ratio, name, flag, day, at_utc, note)"

# (row values as SQL, parameters): what clients send, with and without CASTs.
ACCEPTED = [
    (
        f"INSERT INTO t {COLUMNS} VALUES (:a, :b, :c, :d, :e, :f, :g, NULL),"
        " (:a2, :b2, :c2, :d2, :e2, :f2, :g2, :h2)",
        {
            "a": "1",
            "b": "10.25",
            "c": "0.5",
            "d": "x",
            "e": "true",
            "f": "2024-01-02",
            "g": "2024-01-02 03:04:05+02",
            "a2": "2",
            "b2": "-3.10",
            "c2": "1e3",
            "d2": "it's",
            "e2": "false",
            "f2": "2024-02-29",
            "g2": "2024-01-02 03:04:05.123456",
            "h2": "n",
        },
    ),
    (
        f"INSERT INTO t {COLUMNS} VALUES (CAST(:a AS BIGINT), CAST(:b AS NUMERIC(10,2)),"
        " CAST(:c AS FLOAT8), CAST(:d AS VARCHAR(20)), CAST(:e AS BOOLEAN), CAST(:f AS DATE),"
        " CAST(:g AS TIMESTAMPTZ), CAST(NULL AS VARCHAR(20))),"
        " (CAST(:a2 AS BIGINT), CAST(:b2 AS NUMERIC(10,2)), CAST(:c2 AS FLOAT8),"
        " CAST(:d2 AS VARCHAR(20)), CAST(:e2 AS BOOLEAN), CAST(:f2 AS DATE),"
        " CAST(:g2 AS TIMESTAMPTZ), NULL) ;",
        {
            "a": "1",
            "b": "10.255",
            "c": "0.5",
            "d": "x%",
            "e": "t",
            "f": "2024-01-02",
            "g": "2024-01-02 03:04:05+02",
            "a2": "2",
            "b2": "3",
            "c2": "-2.5",
            "d2": "y",
            "e2": "0",
            "f2": "2024-12-31",
            "g2": "2024-06-01 00:00:00",
        },
    ),
    (
        # literals, DEFAULT, signs, a repeated parameter, a qualified name
        "INSERT INTO public.t (id, \"price\", name, note, day) VALUES (-1, +2.5, 'a''b', :n, :d),"
        " (DEFAULT, CAST(1.5 AS NUMERIC(10,2)), '100%', :n, CAST('2024-01-01' AS DATE))",
        {"n": "shared", "d": "2023-03-04"},
    ),
    (f"INSERT INTO t {COLUMNS} VALUES (:a, NULL, NULL, NULL, NULL, NULL, NULL, NULL)", {"a": "7"}),
    (
        # spelling variants of the casts clients write
        "INSERT INTO t (id, price, ratio, name, at_utc) VALUES (cast( :a as int8 ),"
        " Cast(:b AS numeric ( 10 , 2 ) ), CAST(:c AS DOUBLE PRECISION), CAST(:d AS VARCHAR(MAX)),"
        " CAST(:e AS TIMESTAMP WITH TIME ZONE)), (CAST(NULL AS int8), CAST(:b AS NUMERIC(10,2)),"
        " CAST(NULL AS DOUBLE PRECISION), cast(null as varchar(max)), CAST(:e AS TIMESTAMPTZ))",
        {"a": "5", "b": "2.5", "c": "-0.125", "d": "z", "e": "2024-05-06 07:08:09-05"},
    ),
]

DECLINED = [
    "INSERT INTO t (id) VALUES (:a::INT)",  # :: cast
    "INSERT INTO t (id) VALUES (-:a)",  # arithmetic: the general path binds a number
    "INSERT INTO t (id) VALUES (:a + 1)",
    "INSERT INTO t (name) VALUES ('it\\'s')",  # Redshift's backslash escape
    "INSERT INTO t (id) VALUES (1) -- trailing comment",
    "INSERT INTO t (id) VALUES (1); INSERT INTO t (id) VALUES (2)",
    "INSERT INTO t (id) SELECT 1",
    "INSERT INTO t (day) VALUES (GETDATE())",
    'INSERT INTO t (id) VALUES (CAST(:a AS "char"))',
    "INSERT INTO t (id) VALUES ((1))",
    "UPDATE t SET id = :a",
]


@pytest.mark.parametrize("sql", DECLINED)
def test_other_statements_take_the_general_path(sql: str) -> None:
    for target in ("duckdb", "postgres"):
        assert translate_insert_values(sql, target) is None


# Values, good and bad, where SQL readers disagree about placeholders.
_CELLS = st.sampled_from(
    [
        ":a", ":b1", "NULL", "'x'", "'a''b'", "'it\\'s :c'", "1", "-2.5", "1:d", "a:e", "(:f)",
        "CAST(:g AS INT)", ":h::int", "/* :i */ :j", "-- :k\n:l", "$$ :m $$", "E':n'", "x:::o",
    ]
)  # fmt: skip


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(st.lists(_CELLS, min_size=1, max_size=4), min_size=1, max_size=3))
def test_the_fast_path_reads_placeholders_as_the_lexer_does(rows: list[list[str]]) -> None:
    sql = "INSERT INTO t (a) VALUES " + ", ".join("(" + ", ".join(r) + ")" for r in rows)
    fast = translate_insert_values(sql, "duckdb")
    if fast is not None:
        assert fast.param_names == list(dict.fromkeys(n for n, _, _ in placeholder_spans(sql)))


def test_multiple_statements_are_still_refused() -> None:
    with pytest.raises(ValueError, match="one statement"):
        translate("INSERT INTO t (id) VALUES (1); INSERT INTO t (id) VALUES (2)", "duckdb")


@pytest.mark.parametrize("sql, params", ACCEPTED)
def test_fast_path_accepts_what_clients_send(sql: str, params: dict[str, str]) -> None:
    for target in ("duckdb", "postgres"):
        fast = translate_insert_values(sql, target)
        assert fast is not None
        general = run_passes(sql, target)
        assert fast.param_names == general.param_names
        assert sorted(fast.param_names) == sorted(params)


def test_placeholders_and_percent_for_postgres() -> None:
    tr = translate("INSERT INTO t (name, \"n%\") VALUES (:a, '5%'), (:b, :a)", "postgres")
    assert tr.sql == "INSERT INTO t (name, \"n%%\") VALUES (%(a)s, '5%%'), (%(b)s, %(a)s)"
    assert tr.param_names == ["a", "b"]
    assert tr.kind == "dml" and tr.command == "INSERT"


def test_cast_types_are_written_as_the_general_path_writes_them() -> None:
    for redshift_type in ("VARCHAR(MAX)", "SUPER", "VARBYTE", "NUMERIC", "INT8", "TIMETZ"):
        for target in ("duckdb", "postgres"):
            general = run_passes(f"SELECT CAST(x AS {redshift_type}) AS c", target).sql
            written = target_type(redshift_type, target)
            assert written is not None
            assert f"AS {written})" in general


def _duck_rows(sql: str, values: list[Any]) -> list[tuple[Any, ...]]:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("CREATE SCHEMA public")
    con.execute("USE public")
    # The Redshift functions the endpoint creates with every database (redshift_left_bytes).
    for statement in duckdb_statements("main"):
        con.execute(statement)
    con.execute(TABLE_DDL)
    con.execute(sql, values)
    return con.execute("SELECT * FROM t ORDER BY id NULLS FIRST, name").fetchall()


@pytest.mark.parametrize("sql, params", ACCEPTED)
def test_same_rows_as_the_general_path_on_duckdb(sql: str, params: dict[str, str]) -> None:
    fast = translate(sql, "duckdb")
    general = run_passes(sql, "duckdb")
    assert fast.sql != general.sql or fast.param_names == general.param_names
    expected = _duck_rows(general.sql, [params[n] for n in general.param_names])
    assert _duck_rows(fast.sql, [params[n] for n in fast.param_names]) == expected
    if fast.bulk is not None:
        columns = [[None if n is None else params[n] for n in c] for c in fast.bulk.columns]
        assert _duck_rows(fast.bulk.sql, columns) == expected


def test_bulk_form_only_for_parameters_and_nulls_of_several_rows() -> None:
    two = (
        "INSERT INTO t (id, name) VALUES (:a, CAST(:b AS VARCHAR(20))),"
        " (NULL, CAST(NULL AS VARCHAR(20)))"
    )
    bulk = translate(two, "duckdb").bulk
    assert bulk is not None
    assert bulk.columns == (("a", None), ("b", None))
    assert translate(two, "postgres").bulk is None
    assert BULK_MIN_ROWS == 2
    assert translate("INSERT INTO t (id) VALUES (:a)", "duckdb").bulk is None
    assert translate("INSERT INTO t (id) VALUES (:a), (1)", "duckdb").bulk is None
    assert translate("INSERT INTO t (id) VALUES (:a), (DEFAULT)", "duckdb").bulk is None
    # a column bare in one row and cast in another keeps its VALUES form
    mixed = "INSERT INTO t (id) VALUES (:a), (CAST(:b AS BIGINT))"
    assert translate(mixed, "duckdb").bulk is None


@pytest.fixture
def conn() -> Iterator[DuckDBConnection]:
    engine = create_engine("duckdb")
    assert isinstance(engine, DuckDBEngine)
    c = engine.connect("dev")
    c.execute(TABLE_DDL)
    yield c
    engine.close()


def test_engine_bulk_insert_round_trips_every_type(conn: DuckDBConnection) -> None:
    rows = 50
    cells = []
    params: dict[str, str] = {}
    for r in range(rows):
        names = [f"c{k}_{r}" for k in range(7)]
        values = [
            str(r),
            f"{r}.25",
            f"{r / 4}",
            f"n{r}",
            "true" if r % 2 else "false",
            f"2024-01-{r % 28 + 1:02d}",
            f"2024-01-02 03:04:{r % 60:02d}+01",
        ]
        params.update(zip(names, values, strict=True))
        note = "NULL" if r % 3 == 0 else f"CAST(:c7_{r} AS VARCHAR(20))"
        if r % 3:
            params[f"c7_{r}"] = f"note {r}"
        cells.append("(" + ", ".join(f":{n}" for n in names) + f", {note})")
    result = conn.execute(f"INSERT INTO t {COLUMNS} VALUES " + ", ".join(cells), params)
    assert result.affected_rows == rows
    out = conn.execute("SELECT * FROM t WHERE id IN (1, 3) ORDER BY id").rows
    assert out == [
        (
            1,
            decimal.Decimal("1.25"),
            0.25,
            "n1",
            True,
            datetime.date(2024, 1, 2),
            datetime.datetime(2024, 1, 2, 2, 4, 1, tzinfo=datetime.UTC),
            "note 1",
        ),
        (
            3,
            decimal.Decimal("3.25"),
            0.75,
            "n3",
            True,
            datetime.date(2024, 1, 4),
            datetime.datetime(2024, 1, 2, 2, 4, 3, tzinfo=datetime.UTC),
            None,
        ),
    ]


def test_engine_bulk_conversion_error_names_no_values(conn: DuckDBConnection) -> None:
    sql = "INSERT INTO t (id, name) VALUES (:a, :s), (:b, :s)"
    with pytest.raises(EngineError) as caught:
        conn.execute(sql, {"a": "1", "b": "not-a-number", "s": "secret-value"})
    assert caught.value.sqlstate == "22P02"
    assert "not-a-number" in str(caught.value)
    assert "secret-value" not in str(caught.value)
    assert conn.execute("SELECT COUNT(*) FROM t").rows == [(0,)]


def test_engine_bulk_insert_keeps_length_checks_and_missing_parameters(
    conn: DuckDBConnection,
) -> None:
    sql = "INSERT INTO t (id, name) VALUES (:a, :s), (:b, :t)"
    with pytest.raises(EngineError) as too_long:
        conn.execute(sql, {"a": "1", "b": "2", "s": "x", "t": "y" * 21})
    assert too_long.value.sqlstate == "22001"
    with pytest.raises(EngineError) as missing:
        conn.execute(sql, {"a": "1", "b": "2", "s": "x"})
    assert missing.value.sqlstate == "07002"


@pytest.mark.parametrize("sql, params", ACCEPTED)
def test_same_rows_as_the_general_path_on_postgres(
    pg_dsn: str, sql: str, params: dict[str, str]
) -> None:
    import psycopg

    def rows(text: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(pg_dsn) as pg:
            pg.execute("SET TimeZone = 'UTC'")
            # Rolled back below: the function and the table never outlive the test.
            for statement in POSTGRES_STATEMENTS:
                if "redshift_left_bytes" in statement:
                    pg.execute(statement)
            pg.execute(TABLE_DDL.replace("TABLE t", "TABLE public.t"))
            pg.execute(text, params)
            got = pg.execute("SELECT * FROM t ORDER BY id NULLS FIRST, name").fetchall()
            pg.rollback()
            return got

    fast = translate(sql, "postgres")
    general = run_passes(sql, "postgres")
    assert rows(fast.sql) == rows(general.sql)


BYTES_SQL = (
    "INSERT INTO b (id, data) VALUES (:i1, FROM_HEX(:h1)), (:i2, NULL), (:i3, FROM_HEX(:h3))"
)
BYTES_PARAMS = {"i1": "1", "h1": "00ff41", "i2": "2", "i3": "3", "h3": ""}
BYTES_ROWS = [(1, b"\x00\xffA"), (2, None), (3, b"")]


def test_bytes_parameters_as_the_driver_sends_them_on_duckdb() -> None:
    engine = create_engine("duckdb")
    try:
        conn = engine.connect("dev")
        conn.execute("CREATE TABLE b (id INT, data VARBYTE)")
        assert translate(BYTES_SQL, "duckdb").bulk is not None
        conn.execute(BYTES_SQL, BYTES_PARAMS)
        rows = conn.execute("SELECT id, data FROM b ORDER BY id").rows
        assert [(i, None if d is None else bytes(d)) for i, d in rows] == BYTES_ROWS
    finally:
        engine.close()


def test_bytes_parameters_as_the_driver_sends_them_on_postgres(pg_dsn: str) -> None:
    import psycopg

    tr = translate(BYTES_SQL, "postgres")
    assert "DECODE(%(h1)s, 'hex')" in tr.sql
    with psycopg.connect(pg_dsn) as pg:
        pg.execute("CREATE TEMP TABLE b (id INT, data BYTEA)")
        pg.execute(tr.sql, BYTES_PARAMS)
        rows = pg.execute("SELECT id, data FROM b ORDER BY id").fetchall()
        assert [(i, None if d is None else bytes(d)) for i, d in rows] == BYTES_ROWS
