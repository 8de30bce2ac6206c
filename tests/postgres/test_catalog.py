"""Databases and listings on the PostgreSQL engine, and the walkthrough of DESIGN.md section 7."""

from __future__ import annotations

import pytest

from redshift_dataapi.local.engines import EngineError, TableInfo, UnknownDatabase, create_engine
from redshift_dataapi.local.engines.postgres.engine import PostgresConnection, PostgresEngine
from tests.postgres.conftest import prefix_for

pytestmark = pytest.mark.postgres

GREEN_DDL = (
    "CREATE TABLE demo.green_201601 (vendorid VARCHAR(4), pickup_datetime TIMESTAMP,"
    " dropoff_datetime TIMESTAMP, store_and_fwd_flag VARCHAR(1), ratecode INT,"
    " pickup_longitude FLOAT4, pickup_latitude FLOAT4, dropoff_longitude FLOAT4,"
    " dropoff_latitude FLOAT4, passenger_count INT,"
    " trip_distance FLOAT4, fare_amount FLOAT4, extra FLOAT4, mta_tax FLOAT4, tip_amount FLOAT4,"
    " tolls_amount FLOAT4, ehail_fee FLOAT4, improvement_surcharge FLOAT4, total_amount FLOAT4,"
    " payment_type VARCHAR(4), trip_type VARCHAR(4));"
)


@pytest.fixture(scope="module")
def walkthrough(engine: PostgresEngine) -> PostgresEngine:
    """Steps 2 and 4's data: schema demo, table demo.green_201601, a few trips."""
    conn = engine.connect("dev")
    try:
        conn.execute("CREATE SCHEMA demo;")
        conn.execute(GREEN_DDL)
        conn.execute("CREATE VIEW demo.vendors AS SELECT DISTINCT vendorid FROM demo.green_201601")
        conn.execute(
            "CREATE TABLE demo.venues (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL DEFAULT 'n/a')"
        )
        for ratecode, distance in [(1, "7.5"), (1, "12"), (2, "6.1"), (1, "0.8"), (5, "30")]:
            conn.execute(
                "INSERT INTO demo.green_201601 (vendorid, pickup_datetime, ratecode, trip_distance)"
                " VALUES ('2', GETDATE(), :ratecode, :distance)",
                {"ratecode": str(ratecode), "distance": distance},
            )
    finally:
        engine.release(conn)
    return engine


def test_the_walkthrough_query_groups_trips_by_ratecode(
    walkthrough: PostgresEngine, conn: PostgresConnection
) -> None:
    result = conn.execute(
        "SELECT ratecode, COUNT(*) FROM demo.green_201601"
        " WHERE trip_distance > 5 GROUP BY 1 ORDER BY 1;"
    )
    assert result.rows == [(1, 2), (2, 1), (5, 1)]
    assert result.columns is not None
    assert [(c.name, c.type_name) for c in result.columns] == [
        ("ratecode", "int4"),
        ("count", "int8"),
    ]
    assert (result.columns[0].schema_name, result.columns[0].table_name) == ("demo", "green_201601")


def test_list_schemas_with_a_pattern(walkthrough: PostgresEngine) -> None:
    assert walkthrough.list_schemas("dev", "demo%") == ["demo"]
    everything = walkthrough.list_schemas("dev")
    assert everything == sorted(everything)
    assert {"demo", "public", "pg_catalog", "information_schema"} <= set(everything)
    assert not [s for s in everything if s.startswith(("pg_toast", "pg_temp_"))]


def test_list_tables_with_schema_and_table_patterns(walkthrough: PostgresEngine) -> None:
    assert walkthrough.list_tables("dev", "demo", "ven%") == [
        TableInfo(name="vendors", schema="demo", type="VIEW"),
        TableInfo(name="venues", schema="demo", type="TABLE"),
    ]
    assert walkthrough.list_tables("dev", "de_o", "green\\_2016%") == [
        TableInfo(name="green_201601", schema="demo", type="TABLE")
    ]
    assert walkthrough.list_tables("dev", "nomatch%") == []
    system = walkthrough.list_tables("dev", "pg_catalog", "pg_class")
    assert system == [TableInfo(name="pg_class", schema="pg_catalog", type="SYSTEM TABLE")]
    everything = walkthrough.list_tables("dev")
    assert everything == sorted(everything, key=lambda t: (t.schema, t.name))


def test_describe_table_gives_columns_in_order_with_types(walkthrough: PostgresEngine) -> None:
    columns = walkthrough.describe_table("dev", "demo", "green_201601")
    assert [c.name for c in columns][:5] == [
        "vendorid",
        "pickup_datetime",
        "dropoff_datetime",
        "store_and_fwd_flag",
        "ratecode",
    ]
    assert len(columns) == 21
    vendorid, pickup = columns[0], columns[1]
    assert (vendorid.type_name, vendorid.length, vendorid.nullable) == ("varchar", 4, 1)
    assert pickup.type_name == "timestamp"
    assert {c.type_name for c in columns} == {"varchar", "timestamp", "int4", "float4"}
    assert all((c.schema_name, c.table_name) == ("demo", "green_201601") for c in columns)


def test_describe_table_reports_defaults_and_not_null(walkthrough: PostgresEngine) -> None:
    columns = {c.name: c for c in walkthrough.describe_table("dev", "demo", "venues")}
    assert columns["id"].nullable == 0
    assert columns["name"].nullable == 0
    assert columns["name"].column_default == "'n/a'::character varying"
    assert columns["id"].column_default is None


def test_describe_table_reports_identity_columns_as_redshift_does(
    engine: PostgresEngine, conn: PostgresConnection, table_name: str
) -> None:
    conn.execute(
        f"CREATE TABLE {table_name} (note VARCHAR(8), id BIGINT IDENTITY(100, 5),"
        " seq INT GENERATED BY DEFAULT AS IDENTITY(7, 3), plain INT DEFAULT 3)"
    )
    oid = conn.execute(f"SELECT '{table_name}'::regclass::oid::int8 AS oid").rows[0][0]
    defaults = {c.name: c.column_default for c in engine.describe_table("dev", None, table_name)}
    assert defaults == {
        "note": None,
        "id": f"\"identity\"({oid}, 1, '100,5'::text)",
        "seq": f"default_identity({oid}, 2, '7,3'::text)",
        "plain": "3",
    }


def test_identity_columns_number_rows_and_only_by_default_takes_explicit_values(
    conn: PostgresConnection, table_name: str
) -> None:
    conn.execute(
        f"CREATE TABLE {table_name} (id INT IDENTITY(100, 5),"
        " seq INT GENERATED BY DEFAULT AS IDENTITY(1, 1), v INT)"
    )
    conn.execute(f"INSERT INTO {table_name} (v) VALUES (1), (2)")
    conn.execute(f"INSERT INTO {table_name} (seq, v) VALUES (42, 3)")
    rows = conn.execute(f"SELECT id, seq, v FROM {table_name} ORDER BY v").rows
    assert rows == [(100, 1, 1), (105, 2, 2), (110, 42, 3)]
    with pytest.raises(EngineError) as refused:
        conn.execute(f"INSERT INTO {table_name} (id, v) VALUES (7, 4)")
    assert refused.value.sqlstate == "428C9", "Redshift refuses values for IDENTITY columns"


def test_describe_table_without_schema_uses_the_search_path(
    walkthrough: PostgresEngine, conn: PostgresConnection, table_name: str
) -> None:
    conn.execute(f"CREATE TABLE public.{table_name} (a INT)")
    assert [c.name for c in walkthrough.describe_table("dev", None, table_name)] == ["a"]
    assert walkthrough.describe_table("dev", None, "venues") == [], "demo is not on the search path"
    whole_schema = walkthrough.describe_table("dev", "demo", None)
    assert {c.table_name for c in whole_schema} == {"green_201601", "vendors", "venues"}


def test_list_databases_shows_dev_and_databases_made_through_sql(
    walkthrough: PostgresEngine, conn: PostgresConnection
) -> None:
    assert "dev" in walkthrough.list_databases()
    assert conn.execute("CREATE DATABASE analytics").columns is None
    assert walkthrough.list_databases() == ["analytics", "dev"]
    other = walkthrough.connect("analytics")
    try:
        assert other.execute("SELECT 1 AS one").rows == [(1,)]
    finally:
        other.close()
    conn.execute("DROP DATABASE analytics")
    assert walkthrough.list_databases() == ["dev"]


def test_create_database_inside_a_transaction_fails_as_in_postgresql(
    engine: PostgresEngine,
) -> None:
    session = engine.connect("dev")
    try:
        session.begin()
        with pytest.raises(EngineError) as failed:
            session.execute("CREATE DATABASE never")
        assert failed.value.sqlstate == "25001"
    finally:
        session.close()


def test_an_unknown_database_is_unknown(engine: PostgresEngine) -> None:
    with pytest.raises(UnknownDatabase) as unknown:
        engine.connect("nosuchdb")
    assert unknown.value.sqlstate == "3D000"
    assert unknown.value.message == 'ERROR: database "nosuchdb" does not exist (SQLSTATE 3D000)'
    with pytest.raises(UnknownDatabase):
        engine.connect("nosuchdb", "alice")
    with pytest.raises(UnknownDatabase):
        engine.list_schemas("nosuchdb")


def test_close_drops_the_prefixed_databases_only(
    pg_dsn: str, request: pytest.FixtureRequest
) -> None:
    prefix = prefix_for(request.node.nodeid)
    first = create_engine(pg_dsn, database_prefix=prefix, drop_on_close=True)
    connection = first.connect("dev")
    connection.execute("CREATE DATABASE extra")
    first.release(connection)
    observer = create_engine(pg_dsn, database_prefix=prefix)
    try:
        assert observer.list_databases() == ["dev", "extra"]
        first.close()
        first.close()  # closing twice is harmless
        assert observer.list_databases() == ["dev"], "dev is made again; extra is gone"
    finally:
        observer.close()
        cleanup = create_engine(pg_dsn, database_prefix=prefix, drop_on_close=True)
        cleanup.close()


def test_bad_options_are_refused_with_a_clear_error(pg_dsn: str) -> None:
    with pytest.raises(ValueError, match="drop_on_close needs a database_prefix"):
        create_engine(pg_dsn, drop_on_close=True)
    with pytest.raises(ValueError, match="database_prefix must hold only"):
        create_engine(pg_dsn, database_prefix="bad-prefix;")
    with pytest.raises(EngineError, match="cannot connect to PostgreSQL"):
        create_engine("postgresql://nobody@127.0.0.1:1/", connect_timeout=2)


def test_without_a_prefix_dev_is_the_database_named_dev(pg_dsn: str) -> None:
    import os

    from tests.pg_server import ENV_DSN

    if os.environ.get(ENV_DSN):
        pytest.skip(f"would create a database 'dev' on the server of {ENV_DSN}")
    plain = create_engine(pg_dsn)
    try:
        assert {"dev", "postgres"} <= set(plain.list_databases())
        connection = plain.connect("dev")
        try:
            assert connection.execute("SELECT current_database() AS db").rows == [("dev",)]
        finally:
            plain.release(connection)
    finally:
        plain.close()
