"""SVV_TABLE_INFO and PG_TABLE_DEF with Redshift's documented columns, on both engines."""

from __future__ import annotations

from typing import Any

from tests.integration.local.helpers import ok, rows

GREEN = (
    "CREATE TABLE {schema}.green (vendorid VARCHAR(4) ENCODE lzo, pickup TIMESTAMP,"
    " ratecode INT NOT NULL, fare NUMERIC(8,2)) DISTKEY(vendorid) SORTKEY(pickup)"
)
SVV_TABLE_INFO_COLUMNS = [
    "database",
    "schema",
    "table_id",
    "table",
    "encoded",
    "diststyle",
    "sortkey1",
    "max_varchar",
    "sortkey1_enc",
    "sortkey_num",
    "size",
    "pct_used",
    "empty",
    "unsorted",
    "stats_off",
    "tbl_rows",
    "skew_sortkey1",
    "skew_rows",
    "estimated_visible_rows",
    "risk_event",
    "vacuum_sort_benefit",
    "create_time",
]


def _column_names(client: Any, sql: str) -> list[str]:
    statement = ok(client, sql)
    result = client.get_statement_result(Id=statement["Id"])
    return [c["name"] for c in result["ColumnMetadata"]]


def _setup(client: Any) -> None:
    ok(client, "CREATE SCHEMA taxi")
    ok(client, GREEN.format(schema="taxi"))
    ok(client, "INSERT INTO taxi.green VALUES ('1', '2016-01-01', 1, 4.3), ('2', NULL, 2, 5)")
    ok(client, "CREATE TABLE taxi.empty_one (id INT)")
    ok(
        client,
        "CREATE TABLE public.events (id BIGINT, kind CHAR(3), at TIMESTAMP)"
        " DISTSTYLE ALL INTERLEAVED SORTKEY (at, id)",
    )
    ok(client, "INSERT INTO public.events VALUES (1, 'a', '2020-01-01')")


def test_svv_table_info_reports_the_declared_design(any_client: Any) -> None:
    _setup(any_client)
    assert _column_names(any_client, "SELECT * FROM svv_table_info") == SVV_TABLE_INFO_COLUMNS
    info = rows(
        any_client,
        'SELECT "schema", "table", encoded, diststyle, sortkey1, max_varchar, sortkey_num,'
        " tbl_rows, size > 0, table_id > 0, database FROM svv_table_info ORDER BY 2",
    )
    assert info == [
        ["public", "events", "N", "ALL", "at", None, 2, "1", True, True, "dev"],
        ["taxi", "green", "Y", "KEY(vendorid)", "pickup", 4, 1, "2", True, True, "dev"],
    ]  # empty_one is empty: SVV_TABLE_INFO shows tables with rows only


def test_pg_table_def_follows_the_search_path(any_client: Any) -> None:
    _setup(any_client)
    expected_columns = [
        "schemaname",
        "tablename",
        "column",
        "type",
        "encoding",
        "distkey",
        "sortkey",
        "notnull",
    ]
    assert _column_names(any_client, "SELECT * FROM pg_table_def") == expected_columns
    in_public = rows(
        any_client,
        'SELECT tablename, "column", type, TRIM(encoding), distkey, sortkey, "notnull"'
        " FROM pg_table_def WHERE tablename = 'events' ORDER BY sortkey",
    )
    assert in_public == [
        ["events", "id", "bigint", "none", False, -2, False],
        ["events", "kind", "character(3)", "none", False, 0, False],
        ["events", "at", "timestamp without time zone", "none", False, 1, False],
    ]
    # taxi is not on the search path: its tables are not listed, as on Redshift.
    assert rows(any_client, "SELECT COUNT(*) FROM pg_table_def WHERE schemaname = 'taxi'") == [[0]]


def test_pg_table_def_of_a_schema_on_the_search_path(dataapi_client: Any) -> None:
    _setup(dataapi_client)
    session = ok(dataapi_client, "SET search_path TO taxi, public", SessionKeepAliveSeconds=60)
    in_session = {"SessionId": session["SessionId"]}
    green = rows(
        dataapi_client,
        'SELECT "column", type, TRIM(encoding), distkey, sortkey, "notnull" FROM pg_table_def'
        " WHERE tablename = 'green' ORDER BY \"column\"",
        **in_session,
    )
    assert green == [
        ["fare", "numeric(8,2)", "none", False, 0, False],
        ["pickup", "timestamp without time zone", "none", False, 1, False],
        ["ratecode", "integer", "none", False, 0, True],
        ["vendorid", "character varying(4)", "lzo", True, 0, False],
    ]


def test_a_table_created_again_loses_the_old_design(dataapi_client: Any) -> None:
    ok(dataapi_client, "CREATE TABLE t (a INT) DISTKEY(a) SORTKEY(a)")
    ok(dataapi_client, "DROP TABLE t")
    ok(dataapi_client, "CREATE TABLE t (a INT)")
    ok(dataapi_client, "INSERT INTO t VALUES (1)")
    assert rows(
        dataapi_client, "SELECT diststyle, sortkey1 FROM svv_table_info WHERE \"table\" = 't'"
    ) == [["AUTO(EVEN)", "AUTO(SORTKEY)"]]


def test_show_search_path_and_current_user(dataapi_client: Any) -> None:
    ok(dataapi_client, "CREATE SCHEMA taxi")
    default = rows(dataapi_client, "SHOW search_path")
    assert default[0][0].replace('"', "") == "$user, public"  # PostgreSQL quotes "$user"
    session = ok(dataapi_client, "SET search_path TO taxi, public", SessionKeepAliveSeconds=60)
    in_session = {"SessionId": session["SessionId"]}
    assert rows(dataapi_client, "SHOW search_path", **in_session) == [["taxi, public"]]
    assert rows(dataapi_client, "SELECT current_user", **in_session) == [["awsuser"]]


def test_svv_tables_columns_and_all_views(any_client: Any) -> None:
    _setup(any_client)
    ok(any_client, "COMMENT ON TABLE taxi.green IS 'green taxi trips'")
    ok(any_client, "CREATE VIEW taxi.fares AS SELECT fare FROM taxi.green")
    tables = rows(
        any_client,
        "SELECT table_catalog, table_name, table_type, remarks FROM svv_tables"
        " WHERE table_schema = 'taxi' ORDER BY table_name",
    )
    assert tables == [
        ["dev", "empty_one", "BASE TABLE", None],
        ["dev", "fares", "VIEW", None],
        ["dev", "green", "BASE TABLE", "green taxi trips"],
    ]
    columns = rows(
        any_client,
        "SELECT column_name, ordinal_position, is_nullable, data_type,"
        " character_maximum_length, numeric_precision, numeric_scale FROM svv_columns"
        " WHERE table_schema = 'taxi' AND table_name = 'green' ORDER BY ordinal_position",
    )
    assert columns == [
        ["vendorid", 1, "YES", "character varying", 4, None, None],
        ["pickup", 2, "YES", "timestamp without time zone", None, None, None],
        ["ratecode", 3, "NO", "integer", None, 32, 0],
        ["fare", 4, "YES", "numeric", None, 8, 2],
    ]
    all_columns = rows(
        any_client,
        "SELECT database_name, schema_name, column_name, data_type, character_maximum_length"
        " FROM svv_all_columns WHERE table_name = 'events' ORDER BY ordinal_position",
    )
    assert all_columns == [
        ["dev", "public", "id", "bigint", None],
        ["dev", "public", "kind", "character", 3],
        ["dev", "public", "at", "timestamp without time zone", None],
    ]
    assert rows(
        any_client,
        "SELECT table_name, table_type FROM svv_all_tables WHERE schema_name = 'taxi' ORDER BY 1",
    ) == [["empty_one", "BASE TABLE"], ["fares", "VIEW"], ["green", "BASE TABLE"]]
    schemas = rows(
        any_client,
        "SELECT database_name, schema_name, schema_type FROM svv_all_schemas"
        " WHERE schema_name IN ('public', 'taxi') ORDER BY 2",
    )
    assert schemas == [["dev", "public", "local"], ["dev", "taxi", "local"]]


def test_query_history_views_show_the_endpoints_statements(dataapi_client: Any) -> None:
    ok(dataapi_client, "CREATE TABLE hist (n INT)")
    ok(dataapi_client, "INSERT INTO hist VALUES (1), (2), (3)", StatementName="loader")
    ok(dataapi_client, "SELECT * FROM hist")
    ok(dataapi_client, "SELECT 'hello' AS greeting", DbUser="analyst_hist")
    failed = dataapi_client.execute_statement(
        Sql="SELECT * FROM no_such_table", ClusterIdentifier="local-cluster", Database="dev"
    )
    assert (
        dataapi_client.describe_statement(Id=failed["Id"], WaitTimeSeconds=30)["Status"] == "FAILED"
    )
    history = rows(
        dataapi_client,
        "SELECT query_text, status, query_type, returned_rows, query_label, database_name"
        " FROM sys_query_history WHERE query_text NOT LIKE '%sys_query_history%'"
        " ORDER BY query_id",
    )
    assert history == [
        ["CREATE TABLE hist (n INT)", "success", "DDL", 0, "default", "dev"],
        ["INSERT INTO hist VALUES (1), (2), (3)", "success", "INSERT", 3, "loader", "dev"],
        ["SELECT * FROM hist", "success", "SELECT", 3, "default", "dev"],
        ["SELECT 'hello' AS greeting", "success", "SELECT", 1, "default", "dev"],
        ["SELECT * FROM no_such_table", "failed", "SELECT", 0, "default", "dev"],
    ]
    stl = rows(
        dataapi_client,
        "SELECT TRIM(querytxt), aborted, userid > 0 FROM stl_query WHERE querytxt LIKE '%hist'",
    )
    assert stl == [["SELECT * FROM hist", 0, True]]
    recents = rows(
        dataapi_client,
        "SELECT status, user_name, db_name FROM stv_recents WHERE query LIKE '%stv_recents%'",
    )
    assert recents == [["Running", "awsuser", "dev"]]  # the query itself, still running
    users = rows(
        dataapi_client,
        "SELECT user_name FROM stv_recents WHERE query LIKE 'SELECT%' AND query LIKE '%hello%'"
        " AND query NOT LIKE '%stv_recents%'",
    )
    assert users == [["analyst_hist"]]
