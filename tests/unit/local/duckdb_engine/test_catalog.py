"""The DuckDB engine's catalog (ListSchemas, ListTables, DescribeTable) and its databases."""

from __future__ import annotations

from typing import Any

import pytest

from redshift_dataapi.local.engines import EngineError, UnknownDatabase, create_engine
from redshift_dataapi.local.engines.duckdb.engine import DuckDBConnection, DuckDBEngine

# -- listing -----------------------------------------------------------------------


@pytest.fixture
def catalog(engine: DuckDBEngine, conn: DuckDBConnection) -> DuckDBEngine:
    for sql in [
        "CREATE SCHEMA demo",
        "CREATE SCHEMA demo2",
        "CREATE SCHEMA other",
        "CREATE TABLE demo.vendors (id INT NOT NULL, name VARCHAR(30) DEFAULT 'n/a',"
        " price NUMERIC(8,2), active BOOL)",
        "CREATE TABLE demo.venues (id INT)",
        "CREATE TABLE demo2.ven_x (id INT)",
        "CREATE VIEW demo.v_vendors AS SELECT id FROM demo.vendors",
        "CREATE TABLE other.things (id INT)",
        "CREATE TABLE public.vendors (id BIGINT)",
    ]:
        conn.execute(sql)
    return engine


def test_list_schemas(catalog: DuckDBEngine) -> None:
    assert catalog.list_schemas("dev") == [
        "demo", "demo2", "information_schema", "other", "pg_catalog", "public",
    ]  # fmt: skip
    assert catalog.list_schemas("dev", "demo%") == ["demo", "demo2"]
    assert catalog.list_schemas("dev", "demo_") == ["demo2"]
    assert catalog.list_schemas("dev", "nothing%") == []


def test_list_tables_with_patterns(catalog: DuckDBEngine) -> None:
    got = [(t.schema, t.name, t.type) for t in catalog.list_tables("dev", "demo%", "ven%")]
    assert got == [
        ("demo", "vendors", "TABLE"),
        ("demo", "venues", "TABLE"),
        ("demo2", "ven_x", "TABLE"),
    ]
    got = [(t.schema, t.name, t.type) for t in catalog.list_tables("dev", "demo", "v\\_%")]
    assert got == [("demo", "v_vendors", "VIEW")]
    pairs = [(t.schema, t.name) for t in catalog.list_tables("dev", None, "vendors")]
    assert pairs == [("demo", "vendors"), ("public", "vendors")]


def test_list_tables_includes_system_views(catalog: DuckDBEngine) -> None:
    system = catalog.list_tables("dev", "information_schema", "tables")
    assert [(t.name, t.type) for t in system] == [("tables", "SYSTEM VIEW")]
    everything = catalog.list_tables("dev")
    user = [t for t in everything if t.type in ("TABLE", "VIEW")]
    assert len(user) == 6
    keys = [(t.schema, t.name) for t in everything]
    assert keys == sorted(keys)


def test_describe_table(catalog: DuckDBEngine) -> None:
    cols = catalog.describe_table("dev", "demo", "vendors")
    assert [(c.name, c.type_name, c.length, c.precision, c.scale, c.nullable) for c in cols] == [
        ("id", "int4", 0, 10, 0, 0),
        ("name", "varchar", 30, 30, 0, 1),
        ("price", "numeric", 0, 8, 2, 1),
        ("active", "bool", 0, 1, 0, 1),
    ]
    assert cols[1].column_default == "'n/a'"
    assert all((c.schema_name, c.table_name) == ("demo", "vendors") for c in cols)


def test_describe_table_without_schema_prefers_public(catalog: DuckDBEngine) -> None:
    cols = catalog.describe_table("dev", None, "vendors")
    assert [(c.schema_name, c.name, c.type_name) for c in cols] == [("public", "id", "int8")]
    only_demo = catalog.describe_table("dev", None, "venues")
    assert [(c.schema_name, c.table_name) for c in only_demo] == [("demo", "venues")]


def test_describe_whole_schema(catalog: DuckDBEngine) -> None:
    cols = catalog.describe_table("dev", "demo", None)
    assert sorted({c.table_name for c in cols}) == ["v_vendors", "vendors", "venues"]


def test_describe_missing_table_is_empty(catalog: DuckDBEngine) -> None:
    assert catalog.describe_table("dev", "demo", "nope") == []


# -- databases ---------------------------------------------------------------------


def test_dev_exists_and_unknown_database_is_refused(engine: DuckDBEngine) -> None:
    assert engine.list_databases() == ["dev"]
    with pytest.raises(UnknownDatabase, match='database "sales" does not exist'):
        engine.connect("sales")
    with pytest.raises(UnknownDatabase):
        engine.list_schemas("sales")


def test_create_and_drop_database(engine: DuckDBEngine, conn: DuckDBConnection) -> None:
    conn.execute("CREATE DATABASE sales")
    assert engine.list_databases() == ["dev", "sales"]
    sales = engine.connect("sales")
    try:
        sales.execute("CREATE TABLE orders (id INT)")
        assert [t.name for t in engine.list_tables("sales", "public")] == ["orders"]
        assert engine.list_tables("dev", "public") == []  # databases are separate
        with pytest.raises(EngineError) as info:
            conn.execute("DROP DATABASE sales")  # in use
        assert info.value.sqlstate == "55006"
    finally:
        engine.release(sales)
    with pytest.raises(EngineError) as info:
        conn.execute("CREATE DATABASE sales")
    assert info.value.sqlstate == "42P04"
    conn.execute("DROP DATABASE sales")
    assert engine.list_databases() == ["dev"]
    with pytest.raises(EngineError) as info:
        conn.execute("DROP DATABASE dev")
    assert info.value.sqlstate == "55006"


def test_create_database_not_in_a_transaction(conn: DuckDBConnection) -> None:
    conn.execute("BEGIN")
    with pytest.raises(EngineError) as info:
        conn.execute("CREATE DATABASE sales")
    assert info.value.sqlstate == "25001"


def test_file_databases_survive_a_restart(tmp_path: Any) -> None:
    path = tmp_path / "warehouse.duckdb"
    first = create_engine(f"duckdb:{path}")
    c = first.connect("dev")
    c.execute("CREATE TABLE kept (v VARCHAR(7))")
    c.execute("INSERT INTO kept VALUES ('x')")
    c.execute("CREATE DATABASE sales")
    first.release(c)
    first.close()
    assert (tmp_path / "warehouse.sales.duckdb").exists()

    second = create_engine(f"duckdb:{path}")
    try:
        assert second.list_databases() == ["dev", "sales"]
        c = second.connect("dev")
        r = c.execute("SELECT v FROM kept")
        assert r.rows == [("x",)]
        assert r.columns is not None and r.columns[0].length == 7
        c.execute("DROP DATABASE sales")
        second.release(c)
        assert not (tmp_path / "warehouse.sales.duckdb").exists()
    finally:
        second.close()


def test_bad_engine_option_is_named() -> None:
    with pytest.raises(ValueError, match="colour"):
        DuckDBEngine(None, colour="blue")


def test_current_database_is_the_data_api_name(
    engine: DuckDBEngine, conn: DuckDBConnection
) -> None:
    assert conn.execute("SELECT current_database()").rows == [("dev",)]
    conn.execute("CREATE DATABASE sales")
    other = engine.connect("sales")
    try:
        assert other.execute("SELECT current_database(), current_schema()").rows == [
            ("sales", "public")
        ]
    finally:
        engine.release(other)
