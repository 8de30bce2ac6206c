"""Redshift SQL -> DuckDB / PostgreSQL translation.

DuckDB output is checked by running it on a real in-memory DuckDB, so the
tests assert what a user sees (values, types, errors), not the exact text
sqlglot happens to write.  PostgreSQL output is checked for what psycopg
needs (placeholders, ``%`` escaping) and for the Redshift constructs removed.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterator
from typing import Any

import duckdb
import pytest

from redshift_dataapi.local.translate.core import translate
from redshift_dataapi.local.translate.tokens import split_statements, tokenize


@pytest.fixture
def duck() -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET integer_division = true")
    con.execute("SET preserve_identifier_case = 'lowercase'")  # as the engine does
    yield con
    con.close()


def run(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, str] | None = None) -> Any:
    """Translate for DuckDB, bind ``params`` by name, return the rows (or None)."""
    tr = translate(sql, "duckdb")
    for pre in tr.pre_sql:
        con.execute(pre)
    values = [(params or {})[name] for name in tr.param_names]
    cur = con.execute(tr.sql, values)
    return cur.fetchall() if tr.kind == "query" else None


# -- statements ---------------------------------------------------


def test_split_ignores_semicolons_in_literals_and_empty_statements() -> None:
    statements = split_statements(tokenize("SELECT ';' ; ; -- ;\n"))
    assert len(statements) == 1


@pytest.mark.parametrize("target", ["duckdb", "postgres"])
def test_several_statements_are_refused(target: Any) -> None:
    with pytest.raises(ValueError, match="one statement per ExecuteStatement"):
        translate("SELECT 1; SELECT 2", target)


@pytest.mark.parametrize("sql", ["", "   ", ";", "-- only a comment"])
def test_empty_text_is_refused(sql: str) -> None:
    with pytest.raises(ValueError, match="no statement"):
        translate(sql, "duckdb")


def test_unknown_target_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown translation target 'mysql'"):
        translate("SELECT 1", "mysql")  # type: ignore[arg-type]


def test_trailing_semicolon_and_comments_are_accepted(duck: duckdb.DuckDBPyConnection) -> None:
    assert run(duck, "-- leading\nSELECT 1 AS one; -- trailing") == [(1,)]


# -- parameters ----------------------------------------------------------------


def test_duckdb_placeholders_are_positional_per_distinct_name(
    duck: duckdb.DuckDBPyConnection,
) -> None:
    tr = translate("SELECT :b AS x, :a AS y, :b AS z", "duckdb")
    assert tr.param_names == ["b", "a"]
    assert duck.execute(tr.sql, ["B", "A"]).fetchall() == [("B", "A", "B")]


def test_params_inside_literals_comments_and_identifiers_are_left_alone(
    duck: duckdb.DuckDBPyConnection,
) -> None:
    duck.execute('CREATE TABLE t (":odd" VARCHAR, v VARCHAR)')
    duck.execute("INSERT INTO t VALUES ('x', 'y')")
    sql = """SELECT ':lit' AS a, ":odd" AS b, $$:dollar$$ AS c /* :block */ -- :line
             FROM t WHERE v = :v"""
    tr = translate(sql, "duckdb")
    assert tr.param_names == ["v"]
    assert duck.execute(tr.sql, ["y"]).fetchall() == [(":lit", "x", ":dollar")]


def test_casts_are_not_parameters(duck: duckdb.DuckDBPyConnection) -> None:
    tr = translate("SELECT :n::int + 1 AS x, '5'::int AS y", "duckdb")
    assert tr.param_names == ["n"]
    assert duck.execute(tr.sql, ["41"]).fetchall() == [(42, 5)]


def test_postgres_placeholders_are_pyformat_and_percent_is_escaped() -> None:
    tr = translate("SELECT '100%' AS p, a FROM t WHERE a LIKE :pat AND b = :id", "postgres")
    assert tr.param_names == ["pat", "id"]
    assert "%(pat)s" in tr.sql and "%(id)s" in tr.sql
    assert "'100%%'" in tr.sql
    assert ":pat" not in tr.sql


def test_postgres_percent_is_escaped_without_parameters() -> None:
    # psycopg is always called with a mapping, so every literal % must be doubled.
    tr = translate("SELECT 'a%' AS p", "postgres")
    assert tr.param_names == []
    assert "'a%%'" in tr.sql


def test_values_are_never_pasted_into_the_sql() -> None:
    tr = translate("SELECT * FROM t WHERE name = :name", "duckdb")
    assert "name = $1" in tr.sql


# -- statement kinds -----------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "kind", "command"),
    [
        ("SELECT 1", "query", "SELECT"),
        ("(SELECT 1)", "query", "SELECT"),
        ("WITH x AS (SELECT 1) SELECT * FROM x", "query", "SELECT"),
        ("VALUES (1), (2)", "query", "VALUES"),
        ("SELECT 1 UNION SELECT 2", "query", "SELECT"),
        ("SHOW search_path", "query", "SHOW"),
        ("EXPLAIN SELECT 1", "query", "EXPLAIN"),
        ("INSERT INTO t VALUES (1)", "dml", "INSERT"),
        ("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", "dml", "INSERT"),
        ("UPDATE t SET a = 1", "dml", "UPDATE"),
        ("DELETE FROM t", "dml", "DELETE"),
        ("CREATE TABLE t (a INT)", "ddl", "CREATE TABLE"),
        ("CREATE TEMP TABLE t (a INT)", "ddl", "CREATE TABLE"),
        ("CREATE OR REPLACE VIEW v AS SELECT 1", "ddl", "CREATE VIEW"),
        ("DROP TABLE t", "ddl", "DROP TABLE"),
        ("ALTER TABLE t ADD COLUMN b INT", "ddl", "ALTER TABLE"),
        ("TRUNCATE t", "ddl", "TRUNCATE"),
        ("CREATE SCHEMA demo", "ddl", "CREATE SCHEMA"),
        ("BEGIN", "transaction", "BEGIN"),
        ("BEGIN TRANSACTION", "transaction", "BEGIN"),
        ("START TRANSACTION", "transaction", "BEGIN"),
        ("COMMIT", "transaction", "COMMIT"),
        ("END", "transaction", "COMMIT"),
        ("END TRANSACTION", "transaction", "COMMIT"),
        ("ROLLBACK", "transaction", "ROLLBACK"),
        ("ABORT", "transaction", "ROLLBACK"),
        ("SET search_path TO public", "utility", "SET"),
        ("VACUUM t", "utility", "VACUUM"),
        ("ANALYZE t", "utility", "ANALYZE"),
    ],
)
def test_kind_and_command(sql: str, kind: str, command: str) -> None:
    for target in ("duckdb", "postgres"):
        tr = translate(sql, target)
        assert (tr.kind, tr.command) == (kind, command), target


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE", "BEGIN"),
        ("START TRANSACTION READ WRITE", "BEGIN"),
        ("END TRANSACTION", "COMMIT"),
        ("COMMIT WORK", "COMMIT"),
        ("ABORT", "ROLLBACK"),
        ("ROLLBACK TRANSACTION", "ROLLBACK"),
    ],
)
def test_transaction_statements_are_normalised(sql: str, expected: str) -> None:
    assert translate(sql, "duckdb").sql == expected
    assert translate(sql, "postgres").sql == expected


@pytest.mark.parametrize(
    "sql",
    [
        "VACUUM",
        "VACUUM FULL demo.t TO 75 PERCENT",
        "VACUUM SORT ONLY t",
        "ANALYZE t",
        "ANALYZE COMPRESSION t",
        "SET query_group TO 'etl'",
        "SET enable_result_cache_for_session TO off",
        "ALTER TABLE t ALTER DISTKEY a",
        "ALTER TABLE t ALTER DISTSTYLE EVEN",
        "ALTER TABLE t ALTER COMPOUND SORTKEY (a, b)",
    ],
)
def test_redshift_maintenance_statements_are_noops(sql: str) -> None:
    tr = translate(sql, "duckdb")
    assert tr.noop and tr.sql == ""


def test_create_and_drop_database_name_the_database() -> None:
    assert translate("CREATE DATABASE Sales", "duckdb").database == "sales"
    assert translate('CREATE DATABASE "Sales"', "duckdb").database == "Sales"
    tr = translate("DROP DATABASE IF EXISTS sales", "postgres")
    assert (tr.command, tr.database) == ("DROP DATABASE", "sales")


def test_set_search_path_for_duckdb(duck: duckdb.DuckDBPyConnection) -> None:
    duck.execute("CREATE SCHEMA demo")
    duck.execute("CREATE SCHEMA public")
    run(duck, "SET search_path TO '$user', demo, public")
    assert duck.execute("SELECT current_schema()").fetchall() == [("demo",)]


# -- Redshift DDL --------------------------------------------------------------

WALKTHROUGH_DDL = """CREATE TABLE demo.green_201601 (
    vendorid VARCHAR(4) ENCODE zstd DISTKEY, pickup_datetime TIMESTAMP SORTKEY,
    dropoff_datetime TIMESTAMP, store_and_fwd_flag VARCHAR(1), ratecode INT,
    pickup_longitude FLOAT4, pickup_latitude FLOAT4, dropoff_longitude FLOAT4,
    dropoff_latitude FLOAT4, passenger_count INT, trip_distance FLOAT4, fare_amount FLOAT4,
    extra FLOAT4, mta_tax FLOAT4, tip_amount FLOAT4, tolls_amount FLOAT4, ehail_fee FLOAT4,
    improvement_surcharge FLOAT4, total_amount FLOAT4, payment_type VARCHAR(4),
    trip_type VARCHAR(4))
DISTSTYLE KEY DISTKEY (vendorid) COMPOUND SORTKEY (pickup_datetime, vendorid) BACKUP NO"""


@pytest.mark.parametrize(
    "ddl",
    [
        WALKTHROUGH_DDL,
        "CREATE TABLE demo.t (a INT) DISTSTYLE AUTO",
        "CREATE TABLE demo.t (a INT) DISTSTYLE EVEN INTERLEAVED SORTKEY (a)",
        "CREATE TABLE demo.t (a INT) DISTSTYLE ALL SORTKEY AUTO ENCODE AUTO",
        "CREATE TABLE demo.t (a INT ENCODE az64, b VARCHAR(10) ENCODE lzo SORTKEY) BACKUP YES",
        "CREATE TABLE IF NOT EXISTS demo.t (sortkey INT, distkey INT) DISTKEY(sortkey)",
        "CREATE TABLE demo.t DISTSTYLE EVEN SORTKEY (x) AS SELECT 1 AS x",
    ],
)
def test_redshift_table_attributes_are_dropped(duck: duckdb.DuckDBPyConnection, ddl: str) -> None:
    duck.execute("CREATE SCHEMA demo")
    run(duck, ddl)
    assert (
        duck.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'demo'").fetchall()[
            0
        ][0]
        == 1
    )
    pg = translate(ddl, "postgres").sql.upper()
    for word in (
        "DISTKEY(",
        "DISTKEY (",
        "SORTKEY (",
        "DISTSTYLE",
        "ENCODE",
        "BACKUP",
        "INTERLEAVED",
    ):
        assert word not in pg


def test_declared_column_types_are_reported() -> None:
    tr = translate(
        "CREATE TABLE s.t (a VARCHAR(4), b VARCHAR(MAX), c CHAR(3), d BPCHAR, e VARCHAR,"
        " f NUMERIC(10,2), g DECIMAL, h SUPER, i VARBYTE(16), j GEOMETRY, k CHARACTER VARYING(7),"
        ' "Quoted" INT)',
        "duckdb",
    )
    assert tr.table == ("s", "t")
    got = {c.name: (c.type_name, c.length, c.precision, c.scale) for c in tr.columns}
    assert got == {
        "a": ("varchar", 4, 0, 0),
        "b": ("varchar", 65535, 0, 0),
        "c": ("bpchar", 3, 0, 0),
        "d": ("bpchar", 256, 0, 0),
        "e": ("varchar", 256, 0, 0),
        "f": ("numeric", 0, 10, 2),
        "g": ("numeric", 0, 18, 0),
        "h": ("super", 0, 0, 0),
        "i": ("varbyte", 16, 0, 0),
        "j": ("geometry", 0, 0, 0),
        "k": ("varchar", 7, 0, 0),
        "Quoted": ("int4", 0, 0, 0),
    }


def test_redshift_types_create_usable_duckdb_columns(duck: duckdb.DuckDBPyConnection) -> None:
    run(
        duck,
        "CREATE TABLE t (a VARCHAR(MAX), b SUPER, c VARBYTE(8), d GEOMETRY, e HLLSKETCH,"
        " f TIMETZ, g TIMESTAMPTZ, h FLOAT4, i FLOAT8, j INT2, k INT4, l INT8, m BPCHAR,"
        " n CHARACTER VARYING(20), o DECIMAL, p DOUBLE PRECISION, q TEXT, r NVARCHAR(3))",
    )
    types = dict(
        duck.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 't'"
        ).fetchall()
    )
    assert types == {
        "a": "VARCHAR", "b": "JSON", "c": "BLOB", "d": "VARCHAR", "e": "VARCHAR",
        "f": "TIME WITH TIME ZONE", "g": "TIMESTAMP WITH TIME ZONE", "h": "FLOAT",
        "i": "DOUBLE", "j": "SMALLINT", "k": "INTEGER", "l": "BIGINT", "m": "VARCHAR",
        "n": "VARCHAR", "o": "DECIMAL(18,0)", "p": "DOUBLE", "q": "VARCHAR", "r": "VARCHAR",
    }  # fmt: skip


def test_postgres_types() -> None:
    sql = translate(
        "CREATE TABLE t (a VARCHAR(MAX), b SUPER, c VARBYTE(8), d GEOMETRY, e HLLSKETCH,"
        " f DECIMAL)",
        "postgres",
    ).sql.upper()
    assert "VARCHAR(65535)" in sql
    assert "B JSON" in sql
    assert "C BYTEA" in sql and "BYTEA(" not in sql
    assert "D TEXT" in sql and "E TEXT" in sql
    assert "DECIMAL(18, 0)" in sql


def test_identity_column_numbers_rows(duck: duckdb.DuckDBPyConnection) -> None:
    run(duck, "CREATE TABLE t (id INT IDENTITY(100, 5), name VARCHAR(10))")
    run(duck, "INSERT INTO t (name) VALUES ('a'), ('b')")
    assert run(duck, "SELECT id, name FROM t ORDER BY id") == [(100, "a"), (105, "b")]


def test_identity_column_for_postgres_refuses_explicit_values_as_redshift_does() -> None:
    sql = translate(
        "CREATE TABLE t (id BIGINT IDENTITY(1, 1), s INT GENERATED BY DEFAULT AS IDENTITY(7, 3))",
        "postgres",
    ).sql.upper()
    assert "ID BIGINT GENERATED ALWAYS AS IDENTITY (START WITH 1 INCREMENT BY 1)" in sql
    assert "S INT GENERATED BY DEFAULT AS IDENTITY (START WITH 7 INCREMENT BY 3)" in sql
    comment = translate("CREATE TABLE t (id INT /* IDENTITY(1, 1) */)", "postgres").sql
    assert "GENERATED" not in comment.upper()


def test_alter_table_add_column_records_its_type(duck: duckdb.DuckDBPyConnection) -> None:
    duck.execute("CREATE TABLE t (a INT)")
    tr = translate("ALTER TABLE t ADD COLUMN b VARCHAR(12) ENCODE zstd", "duckdb")
    duck.execute(tr.sql)
    assert [(c.name, c.type_name, c.length) for c in tr.columns] == [("b", "varchar", 12)]
    assert tr.table == (None, "t")


# -- functions -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("NVL(NULL, 2)", 2),
        ("NVL2(NULL, 'a', 'b')", "b"),
        ("NVL2(1, 'a', 'b')", "a"),
        ("DECODE(2, 1, 'one', 2, 'two', 'many')", "two"),
        ("LEN('abcd')", 4),
        ("CHARINDEX('c', 'abcd')", 3),
        ("DATEADD(day, 1, '2024-01-31'::date)", datetime.datetime(2024, 2, 1)),
        ("DATEADD(month, 1, '2024-01-15'::date)", datetime.datetime(2024, 2, 15)),
        ("DATEDIFF(day, '2024-01-01'::date, '2024-03-01'::date)", 60),
        ("DATEDIFF(hour, '2024-01-01 00:00'::timestamp, '2024-01-01 05:30'::timestamp)", 5),
        (
            "CONVERT_TIMEZONE('UTC', 'America/New_York', '2024-01-01 12:00:00'::timestamp)",
            datetime.datetime(2024, 1, 1, 7, 0),
        ),
        (
            "CONVERT_TIMEZONE('Europe/Paris', '2024-07-01 12:00:00'::timestamp)",
            datetime.datetime(2024, 7, 1, 14, 0),
        ),
        ("7 / 2", 3),
        ("7.0 / 2", decimal.Decimal("3.5")),
        ("'abc'::VARCHAR(MAX)", "abc"),
        ("CAST('12.5' AS FLOAT8)", 12.5),
        ("'2024-05-06'::DATE", datetime.date(2024, 5, 6)),
    ],
)
def test_redshift_functions_on_duckdb(
    duck: duckdb.DuckDBPyConnection, expr: str, expected: Any
) -> None:
    rows = run(duck, f"SELECT {expr} AS v")
    value = rows[0][0]
    if isinstance(expected, decimal.Decimal):
        assert decimal.Decimal(str(value)) == expected
    else:
        assert value == expected


def test_getdate_and_sysdate_are_utc_timestamps(duck: duckdb.DuckDBPyConnection) -> None:
    before = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    (getdate, sysdate) = run(duck, "SELECT GETDATE() AS g, SYSDATE AS s")[0]
    for value in (getdate, sysdate):
        assert isinstance(value, datetime.datetime) and value.tzinfo is None
        assert abs((value - before).total_seconds()) < 300


def test_listagg_within_group(duck: duckdb.DuckDBPyConnection) -> None:
    duck.execute("CREATE TABLE t (g INT, x VARCHAR, y INT)")
    duck.execute("INSERT INTO t VALUES (1, 'b', 2), (1, 'a', 1), (1, 'c', 3), (2, 'z', 1)")
    rows = run(
        duck,
        "SELECT g, LISTAGG(x, ',') WITHIN GROUP (ORDER BY y DESC) AS l"
        " FROM t GROUP BY g ORDER BY g",
    )
    assert rows == [(1, "c,b,a"), (2, "z")]


def test_top_n(duck: duckdb.DuckDBPyConnection) -> None:
    assert run(duck, "SELECT TOP 2 i FROM range(10) r(i) ORDER BY i") == [(0,), (1,)]


def test_result_columns_get_redshift_names(duck: duckdb.DuckDBPyConnection) -> None:
    duck.execute("CREATE TABLE t (ratecode INT)")
    tr = translate(
        "SELECT ratecode, COUNT(*), 1, a.ratecode::text, MyAlias FROM "
        "(SELECT ratecode, 2 AS MyAlias FROM t) a GROUP BY 1, 4, 5",
        "duckdb",
    )
    names = [d[0] for d in duck.execute(tr.sql).description]
    assert names == ["ratecode", "count", "?column?", "ratecode", "myalias"]


def test_single_table_queries_name_their_source() -> None:
    tr = translate("SELECT a, b AS bee, a + 1 AS c FROM demo.t WHERE a = :a", "duckdb")
    assert tr.source == ("demo", "t")
    assert tr.source_columns == {"a": "a", "bee": "b"}
    assert not tr.source_star
    star = translate("SELECT * FROM t", "duckdb")
    assert star.source == (None, "t") and star.source_star
    assert translate("SELECT * FROM a JOIN b ON a.x = b.x", "duckdb").source is None


def test_unparsable_sql_is_passed_through_with_placeholders(
    duck: duckdb.DuckDBPyConnection,
) -> None:
    tr = translate("SELECT * FROM t WHERE a = :a AND b = ':a' QUALIFY garbage garbage", "duckdb")
    assert not tr.parsed
    assert tr.sql == "SELECT * FROM t WHERE a = $1 AND b = ':a' QUALIFY garbage garbage"
    assert tr.param_names == ["a"]


def test_statements_sqlglot_does_not_know_reach_the_engine_as_written(
    duck: duckdb.DuckDBPyConnection,
) -> None:
    # Redshift's dialect in sqlglot would read "CHECKPOINT" as a column; DuckDB runs it.
    tr = translate("CHECKPOINT", "duckdb")
    assert (tr.sql, tr.kind, tr.parsed) == ("CHECKPOINT", "utility", False)
    duck.execute(tr.sql)


@pytest.mark.parametrize(
    "sql",
    [
        "GRANT SELECT ON ALL TABLES IN SCHEMA public TO GROUP analysts",
        "REVOKE ALL ON t FROM bob",
        "CREATE USER bob PASSWORD 'Secret123'",
        "CREATE GROUP analysts",
        "ALTER USER bob CONNECTION LIMIT 5",
        "DROP USER bob",
        "ALTER TABLE t OWNER TO bob",
        "ALTER SCHEMA demo OWNER TO bob",
    ],
)
def test_role_statements_are_noops_on_duckdb(sql: str) -> None:
    tr = translate(sql, "duckdb")
    assert tr.noop and tr.kind == "ddl"
    assert not translate(sql, "postgres").noop  # PostgreSQL has roles


def test_late_binding_views(duck: duckdb.DuckDBPyConnection) -> None:
    run(duck, "CREATE VIEW v AS SELECT 1 AS one WITH NO SCHEMA BINDING")
    assert duck.execute("SELECT one FROM v").fetchall() == [(1,)]
    assert (
        "BINDING"
        not in translate("CREATE VIEW v AS SELECT 1 WITH NO SCHEMA BINDING", "postgres").sql
    )


def test_create_table_like(duck: duckdb.DuckDBPyConnection) -> None:
    duck.execute("CREATE TABLE src (a INT, b VARCHAR)")
    duck.execute("INSERT INTO src VALUES (1, 'x')")
    run(duck, "CREATE TABLE copy (LIKE src INCLUDING DEFAULTS)")
    assert duck.execute("SELECT * FROM copy").fetchall() == []
    assert [d[0] for d in duck.execute("SELECT * FROM copy").description] == ["a", "b"]


def test_keyword_functions_keep_working_and_functions_get_redshift_names(
    duck: duckdb.DuckDBPyConnection,
) -> None:
    duck.execute("CREATE TABLE t (ts TIMESTAMP, s VARCHAR)")
    duck.execute("INSERT INTO t VALUES ('2024-03-04 05:06:07', 'abc')")
    tr = translate(
        "SELECT CURRENT_DATE, TO_CHAR(ts, 'YYYY'), DATE_TRUNC('month', ts),"
        " DATEDIFF(day, ts, ts), LPAD(s, 5, '*'), ROW_NUMBER() OVER (ORDER BY s) FROM t",
        "duckdb",
    )
    cur = duck.execute(tr.sql)
    assert [d[0] for d in cur.description] == [
        "current_date", "to_char", "date_trunc", "datediff", "lpad", "row_number",
    ]  # fmt: skip
    row = cur.fetchall()[0]
    assert row[1:] == ("2024", datetime.datetime(2024, 3, 1), 0, "**abc", 1)


def test_translations_are_cached_but_each_caller_gets_its_own_copy() -> None:
    first = translate("CREATE TABLE t (a VARCHAR(3))", "duckdb")
    first.columns.clear()
    first.pre_sql.append("changed")
    second = translate("CREATE TABLE t (a VARCHAR(3))", "duckdb")
    assert [c.name for c in second.columns] == ["a"]
    assert second.pre_sql == []


def test_merge_insert_without_column_list(duck: duckdb.DuckDBPyConnection) -> None:
    duck.execute("CREATE TABLE tgt (i INT, v VARCHAR)")
    run(
        duck,
        "MERGE INTO tgt USING (SELECT 1 AS i, 'a' AS v) s ON tgt.i = s.i"
        " WHEN NOT MATCHED THEN INSERT VALUES (s.i, s.v)",
    )
    assert duck.execute("SELECT * FROM tgt").fetchall() == [(1, "a")]


def test_backslash_escaped_quote_in_redshift_literal(duck: duckdb.DuckDBPyConnection) -> None:
    tr = translate("SELECT 'it\\'s :x' AS s, :y AS y", "duckdb")
    assert tr.param_names == ["y"]
    assert duck.execute(tr.sql, ["Y"]).fetchall() == [("it's :x", "Y")]


def test_fallback_keeps_getdate_as_written() -> None:
    tr = translate("SELECT GETDATE() FROM t WHERE a = :a ||| 2", "duckdb")
    assert not tr.parsed
    assert tr.sql == "SELECT GETDATE() FROM t WHERE a = $1 ||| 2"


def test_listagg_without_delimiter_joins_with_nothing(duck: duckdb.DuckDBPyConnection) -> None:
    rows = run(
        duck, "SELECT LISTAGG(x) WITHIN GROUP (ORDER BY x) AS l FROM (VALUES ('b'), ('a')) v(x)"
    )
    assert rows == [("ab",)]
    assert (
        "STRING_AGG(x, '' ORDER BY x)"
        in translate("SELECT LISTAGG(x) WITHIN GROUP (ORDER BY x) FROM t", "postgres").sql
    )


@pytest.mark.parametrize(
    ("redshift", "postgres"),
    [
        # second precision, and Redshift's column name
        (
            "GETDATE()",
            "DATE_TRUNC('SECOND', CURRENT_TIMESTAMP AT TIME ZONE 'UTC') AS \"getdate\"",
        ),
        ("SYSDATE", "CURRENT_TIMESTAMP AT TIME ZONE 'UTC'"),
        ("LISTAGG(x, ';') WITHIN GROUP (ORDER BY y DESC)", "STRING_AGG(x, ';' ORDER BY y DESC)"),
        ("APPROXIMATE COUNT(DISTINCT x)", "COUNT(DISTINCT x)"),
        ("NVL(x, 1)", "COALESCE(x, 1)"),
        ("LEN(x)", "LENGTH(x)"),
    ],
)
def test_postgres_function_rewrites(redshift: str, postgres: str) -> None:
    assert translate(f"SELECT {redshift} FROM t", "postgres").sql == f"SELECT {postgres} FROM t"


def test_bulk_insert_values(duck: duckdb.DuckDBPyConnection) -> None:
    duck.execute("CREATE TABLE t (a INT, b VARCHAR, c DATE, d DOUBLE, e VARCHAR)")
    rows = ", ".join(f"(:a{i}, :b{i}, :c{i}, -1.5, NULL)" for i in range(500))
    tr = translate(f"INSERT INTO t (a, b, c, d, e) VALUES {rows}", "duckdb")
    assert tr.kind == "dml" and len(tr.param_names) == 1500
    values = [v for i in range(500) for v in (str(i), f"s{i}", "2024-01-02")]
    duck.execute(tr.sql, values)
    assert duck.execute("SELECT count(*), sum(a), min(c), max(d) FROM t").fetchall() == [
        (500, sum(range(500)), datetime.date(2024, 1, 2), -1.5)
    ]
    pg = translate("INSERT INTO t (a, b) VALUES (:a, '5%')", "postgres")
    assert pg.sql == "INSERT INTO t (a, b) VALUES (%(a)s, '5%%')"


def test_insert_with_backslash_literal_is_translated(duck: duckdb.DuckDBPyConnection) -> None:
    duck.execute("CREATE TABLE t (b VARCHAR)")
    run(duck, "INSERT INTO t VALUES ('it\\'s')")
    assert duck.execute("SELECT b FROM t").fetchall() == [("it's",)]
