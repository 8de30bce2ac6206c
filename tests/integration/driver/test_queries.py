"""Queries, parameters and types through the local endpoint: JSON and CSV paths."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

import redshift_dataapi

from .conftest import ConnFactory

UTC = dt.timezone.utc


def test_short_query_costs_one_execute_and_one_result_call(
    connect: ConnFactory, local_service: Any
) -> None:
    cur = connect().cursor()
    before = local_service.calls.copy()
    assert cur.execute("SELECT 1 AS one").fetchall() == [(1,)]
    spent = local_service.calls - before
    assert dict(spent) == {"ExecuteStatement": 1, "GetStatementResult": 1}


def test_ddl_and_dml_cost_one_call_each_until_rowcount_is_read(
    connect: ConnFactory, local_service: Any
) -> None:
    cur = connect().cursor()
    before = local_service.calls.copy()
    cur.execute("CREATE TABLE t (a INT)")
    cur.execute("INSERT INTO t VALUES (1), (2), (3)")
    assert dict(local_service.calls - before) == {"ExecuteStatement": 2}
    assert cur.description is None
    assert cur.rowcount == 3


TYPED_TABLE = """
CREATE TABLE typed (
    i2 SMALLINT, i4 INTEGER, i8 BIGINT, f4 REAL, f8 DOUBLE PRECISION,
    n NUMERIC(38, 10), b BOOLEAN, s VARCHAR(100), c CHAR(3),
    d DATE, tm TIME, ts TIMESTAMP, tz TIMESTAMPTZ
)
"""
TZ_VALUE = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))
TYPED_ROW: dict[str, Any] = {
    "i2": -32768,
    "i4": 2147483647,
    "i8": -9223372036854775808,
    "f4": 1.5,
    "f8": 0.1 + 0.2,
    "n": Decimal("1234567890123456789012345678.0123456789"),
    "b": True,
    "s": 'commas, "quotes"\nand newlines',
    "c": "abc",
    "d": dt.date(2024, 2, 29),
    "tm": dt.time(23, 59, 58, 123456),
    "ts": dt.datetime(2024, 1, 2, 3, 4, 5, 678900),
    "tz": TZ_VALUE,
}
COLUMNS = list(TYPED_ROW)


@pytest.mark.parametrize("result_format", ["json", "csv"])
def test_every_type_round_trips_through_parameters_and_results(
    connect: ConnFactory, result_format: str
) -> None:
    cur = connect(result_format=result_format).cursor()
    cur.execute(TYPED_TABLE)
    placeholders = ", ".join(f":{name}" for name in COLUMNS)
    cur.execute(f"INSERT INTO typed VALUES ({placeholders})", TYPED_ROW)
    cur.execute(f"INSERT INTO typed VALUES ({placeholders})", dict.fromkeys(COLUMNS))
    cur.execute("INSERT INTO typed (s) VALUES (:s)", {"s": ""})
    cur.execute(f"SELECT {', '.join(COLUMNS)} FROM typed ORDER BY i2 NULLS LAST, s NULLS LAST")
    assert [d[0] for d in cur.description or []] == COLUMNS
    assert [d[1] for d in cur.description or []] == [
        "int2",
        "int4",
        "int8",
        "float4",
        "float8",
        "numeric(38,10)",
        "bool",
        "varchar",
        "bpchar",
        "date",
        "time",
        "timestamp",
        "timestamptz",
    ]
    rows = cur.fetchall()
    assert cur.rowcount == 3
    first = dict(zip(COLUMNS, rows[0], strict=True))
    expected = dict(TYPED_ROW, tz=TZ_VALUE.astimezone(UTC))
    assert first == expected
    assert type(first["n"]) is Decimal and first["n"].as_tuple().exponent == -10
    assert first["tz"].utcoffset() is not None
    assert rows[1] == ("",) * 0 + (None,) * 7 + ("",) + (None,) * 5
    assert rows[2] == (None,) * len(COLUMNS)


def test_json_and_csv_paths_give_identical_rows(connect: ConnFactory) -> None:
    sql = (
        "SELECT 1::int AS a, NULL::varchar AS b, ''::varchar AS c, 'x,\"y\"'::varchar AS d, "
        "2.50::numeric(5,2) AS e, false AS f, '2024-05-06 07:08:09.5'::timestamp AS g"
    )
    json_rows = connect().cursor().execute(sql).fetchall()
    csv_rows = connect(result_format="csv").cursor().execute(sql).fetchall()
    assert (
        json_rows
        == csv_rows
        == [
            (1, None, "", 'x,"y"', Decimal("2.50"), False, dt.datetime(2024, 5, 6, 7, 8, 9, 500000))
        ]
    )


def test_placeholders_inside_literals_and_comments_are_left_alone(
    cur: redshift_dataapi.Cursor,
) -> None:
    cur.execute("SELECT ':x' AS a, :y AS b -- :z\n", {"y": "value"})
    assert cur.fetchall() == [(":x", "value")]


def test_float_and_decimal_parameters_are_exact(cur: redshift_dataapi.Cursor) -> None:
    value = 0.1 + 0.2
    cur.execute(
        "SELECT CAST(:f AS DOUBLE PRECISION) AS f, CAST(:d AS NUMERIC(30, 20)) AS d",
        {"f": value, "d": Decimal("0.12345678901234567890")},
    )
    assert cur.fetchone() == (value, Decimal("0.12345678901234567890"))


def test_bytes_parameter_round_trips_as_varbyte(cur: redshift_dataapi.Cursor) -> None:
    cur.execute("CREATE TABLE blobs (v VARBYTE(16))")
    cur.execute("INSERT INTO blobs VALUES (:v)", {"v": b"\x00\x01\xfe\xff"})
    cur.execute("SELECT v FROM blobs")
    assert cur.fetchall() == [(b"\x00\x01\xfe\xff",)]


def test_unknown_parameter_and_bad_type_raise_before_any_call(
    cur: redshift_dataapi.Cursor, local_service: Any
) -> None:
    before = local_service.calls.copy()
    with pytest.raises(redshift_dataapi.ProgrammingError, match="nope"):
        cur.execute("SELECT :a", {"a": 1, "nope": 2})
    with pytest.raises(redshift_dataapi.ProgrammingError, match="object"):
        cur.execute("SELECT :a", {"a": object()})
    assert local_service.calls == before


def test_failed_statements_map_to_pep249_errors_with_the_id(cur: redshift_dataapi.Cursor) -> None:
    with pytest.raises(redshift_dataapi.ProgrammingError) as info:
        cur.execute("SELECT * FROM no_such_table")
    assert cur.statement_id is not None and cur.statement_id in str(info.value)
    with pytest.raises(redshift_dataapi.DataError):
        cur.execute("SELECT 1 / 0")


def test_results_are_paged_lazily_and_iteration_reads_them_all(
    engine_spec: str, request: pytest.FixtureRequest
) -> None:
    from redshift_dataapi.local import inprocess_client
    from tests.engines import make_service

    service = make_service(engine_spec, request.node.nodeid, page_size_bytes=2000)
    try:
        conn = redshift_dataapi.connect(
            "dev", cluster_identifier="local", autocommit=True, client=inprocess_client(service)
        )
        cur = conn.cursor()
        cur.execute("CREATE TABLE nums (n INT, s VARCHAR(20))")
        cur.executemany(
            "INSERT INTO nums VALUES (:n, :s)", [{"n": i, "s": f"row {i}"} for i in range(1000)]
        )
        before = service.calls["GetStatementResult"]
        cur.execute("SELECT n, s FROM nums ORDER BY n")
        assert service.calls["GetStatementResult"] - before == 1  # only the first page so far
        assert cur.rowcount == 1000
        assert cur.fetchone() == (0, "row 0")
        assert len(cur.fetchmany(10)) == 10
        rest = list(cur)
        assert [r[0] for r in rest] == list(range(11, 1000))
        assert service.calls["GetStatementResult"] - before > 5
        assert cur.fetchone() is None
    finally:
        service.close()


def test_statement_handles_submit_attach_and_figures(
    connect: ConnFactory, local_service: Any
) -> None:
    conn = connect()
    cur = conn.cursor()
    statement_id = cur.submit("SELECT CAST(:n AS INT) AS n", {"n": 7})
    assert cur.statement_id == statement_id
    other = conn.cursor()
    executes = local_service.calls["ExecuteStatement"]
    assert other.attach(statement_id).fetchall() == [(7,)]
    assert other.attach(statement_id).fetchall() == [(7,)]  # fetched again, not re-run
    assert cur.fetchall() == [(7,)]
    assert local_service.calls["ExecuteStatement"] == executes
    assert other.status == "FINISHED"
    assert other.result_rows == 1
    assert other.duration is not None and other.duration >= dt.timedelta(0)
    assert other.redshift_pid is not None
    assert other.describe_statement()["Id"] == statement_id


def test_attach_to_a_finished_result_costs_its_pages_alone(
    connect: ConnFactory, local_service: Any
) -> None:
    conn = connect()
    statement_id = conn.cursor().execute("SELECT 7 AS n UNION ALL SELECT 8").statement_id
    assert statement_id
    before = local_service.calls.copy()
    cur = conn.cursor().attach(statement_id)
    assert dict(local_service.calls - before) == {"GetStatementResult": 1}
    assert cur.rowcount == 2 and [d[0] for d in cur.description or ()] == ["n"]
    assert sorted(cur.fetchall()) == [(7,), (8,)]
    # The figures still come from a DescribeStatement, made when first read.
    assert cur.status == "FINISHED" and cur.result_rows == 2
    assert local_service.calls["DescribeStatement"] - before["DescribeStatement"] == 1


def test_attach_to_what_has_no_result_to_read_describes_it(
    connect: ConnFactory, local_service: Any
) -> None:
    conn = connect()
    cur = conn.cursor()
    cur.execute("CREATE TABLE attach_t (n INT)")
    insert_id = cur.execute("INSERT INTO attach_t VALUES (1), (2), (3)").statement_id
    assert insert_id
    # No result set: the service refuses the page, DescribeStatement gives the count.
    assert conn.cursor().attach(insert_id).rowcount == 3
    # A CSV result attached from a JSON connection: read in the statement's format.
    csv_id = connect(result_format="csv").cursor().execute("SELECT 'x' AS s").statement_id
    assert csv_id
    assert conn.cursor().attach(csv_id).fetchall() == [("x",)]
    # A failed statement raises its own error, as execute() did.
    failed = conn.cursor().submit("SELECT 1 / 0")
    with pytest.raises(redshift_dataapi.DataError, match=r"(?i)division by zero"):
        conn.cursor().attach(failed)
    with pytest.raises(redshift_dataapi.ProgrammingError):
        conn.cursor().attach("00000000-0000-4000-8000-000000000000")


def test_metadata_lists_and_describes(cur: redshift_dataapi.Cursor) -> None:
    conn = cur.connection
    cur.execute("CREATE SCHEMA demo")
    cur.execute("CREATE TABLE demo.green_201601 (vendorid VARCHAR(4), ratecode INT)")
    cur.execute("CREATE TABLE demo.venues (id INT)")
    assert "dev" in conn.list_databases()
    assert conn.list_schemas("demo%") == ["demo"]
    tables = conn.list_tables("demo", "ven%")
    assert [(t["schema"], t["name"]) for t in tables] == [("demo", "venues")]
    columns = conn.describe_table("green_201601", "demo")
    assert [(c["name"], c["typeName"]) for c in columns] == [
        ("vendorid", "varchar"),
        ("ratecode", "int4"),
    ]
    # Without a table: every column of the schema, each naming its table.
    whole = conn.describe_table(None, "demo")
    assert sorted((c["tableName"], c["name"]) for c in whole) == [
        ("green_201601", "ratecode"),
        ("green_201601", "vendorid"),
        ("venues", "id"),
    ]
    with pytest.raises(redshift_dataapi.ProgrammingError, match="schema"):
        conn.describe_table(None)


def test_rowcount_stays_readable_after_close(cur: redshift_dataapi.Cursor) -> None:
    # SQLAlchemy and pandas read an INSERT's rowcount after closing the cursor.
    cur.execute("CREATE TABLE counted (a INT)")
    cur.execute("INSERT INTO counted VALUES (1), (2), (3)")
    cur.close()
    assert cur.rowcount == 3
    with pytest.raises(redshift_dataapi.InterfaceError):
        cur.fetchone()


def test_lifecycle(connect: ConnFactory) -> None:
    conn = connect()
    cur = conn.cursor()
    cur.setinputsizes([None])
    cur.setoutputsize(10)
    assert cur.nextset() is None
    with pytest.raises(redshift_dataapi.ProgrammingError):
        cur.fetchone()
    cur.close()
    with pytest.raises(redshift_dataapi.InterfaceError):
        cur.execute("SELECT 1")
    other = conn.cursor()
    conn.close()
    with pytest.raises(redshift_dataapi.InterfaceError):
        other.execute("SELECT 1")
    with pytest.raises(redshift_dataapi.InterfaceError):
        conn.cursor()


def test_a_local_url_alone_reaches_the_in_process_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    conn = redshift_dataapi.connect(endpoint_url="local:duckdb", autocommit=True)
    assert conn.settings.cluster_identifier == "local" and conn.database == "dev"
    assert conn.cursor().execute("SELECT 40 + 2").fetchone() == (42,)
    monkeypatch.setenv("REDSHIFT_DATAAPI_ENDPOINT_URL", "local:")
    monkeypatch.setenv("REDSHIFT_DATAAPI_AUTOCOMMIT", "1")
    with redshift_dataapi.connect() as conn:
        assert conn.cursor().execute("SELECT 'env'").fetchone() == ("env",)
