"""Every operation of the Data API, through both transports (in-process and HTTP)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from .helpers import LONG_SQL, SERVERLESS, TARGET, ok, rows, run, wait, wait_started

# any_client reaches the engine through getfixturevalue; naming local_service here makes
# pytest parametrize these tests over both engines.
pytestmark = pytest.mark.usefixtures("local_service")


def test_execute_describe_and_fetch(any_client: Any) -> None:
    submitted = any_client.execute_statement(
        Sql="SELECT :n::int AS n, :s AS s",
        Parameters=[{"name": "n", "value": "41"}, {"name": "s", "value": "hello"}],
        StatementName="first",
        **TARGET,
    )
    uuid.UUID(submitted["Id"])
    assert submitted["ClusterIdentifier"] == "local-cluster"
    assert submitted["Database"] == "dev"
    described = wait(any_client, submitted["Id"])
    assert described["Status"] == "FINISHED"
    assert described["HasResultSet"] is True
    assert described["ResultRows"] == 1
    assert described["ResultSize"] > 0
    assert described["Duration"] >= 0
    assert described["RedshiftQueryId"] > 0
    assert "RedshiftPid" in described
    assert described["QueryString"] == "SELECT :n::int AS n, :s AS s"
    assert described["QueryParameters"] == [
        {"name": "n", "value": "41"},
        {"name": "s", "value": "hello"},
    ]
    assert described["ResultFormat"] == "JSON"
    assert described["UpdatedAt"] >= described["CreatedAt"]
    result = any_client.get_statement_result(Id=submitted["Id"])
    assert result["TotalNumRows"] == 1
    assert [c["name"] for c in result["ColumnMetadata"]] == ["n", "s"]
    assert result["ColumnMetadata"][0]["typeName"] == "int4"
    assert result["Records"] == [[{"longValue": 41}, {"stringValue": "hello"}]]
    # Results can be fetched again.
    assert any_client.get_statement_result(Id=submitted["Id"])["Records"] == result["Records"]


def test_long_polled_execute_reports_final_status(any_client: Any) -> None:
    response = any_client.execute_statement(Sql="SELECT 1", WaitTimeSeconds=30, **SERVERLESS)
    assert response["Status"] == "FINISHED"
    assert response["HasResultSet"] is True
    assert response["WorkgroupName"] == "local-wg"


def test_failed_statement_reports_engine_error(any_client: Any) -> None:
    described = run(any_client, "SELECT * FROM no_such_table_here")
    assert described["Status"] == "FAILED"
    assert "no_such_table_here" in described["Error"]
    with pytest.raises(any_client.exceptions.ValidationException, match="does not have result"):
        any_client.get_statement_result(Id=described["Id"])


def test_dml_and_ddl_row_counts(any_client: Any) -> None:
    created = ok(any_client, "CREATE TABLE counts (a INT)")
    assert created["HasResultSet"] is False
    inserted = ok(any_client, "INSERT INTO counts VALUES (1), (2), (3)")
    assert inserted["ResultRows"] == 3
    assert inserted["HasResultSet"] is False
    updated = ok(any_client, "UPDATE counts SET a = a + 1 WHERE a >= 2")
    assert updated["ResultRows"] == 2
    assert rows(any_client, "SELECT a FROM counts ORDER BY a") == [[1], [3], [4]]


def test_batch_execute_and_sub_statements(any_client: Any) -> None:
    batch = any_client.batch_execute_statement(
        Sqls=[
            "CREATE TABLE b (id INT, name VARCHAR(10))",
            "INSERT INTO b VALUES (:id, :name)",
            "SELECT id, name FROM b",
        ],
        Parameters=[{"name": "id", "value": "7"}, {"name": "name", "value": "seven"}],
        **TARGET,
    )
    described = wait(any_client, batch["Id"])
    assert described["Status"] == "FINISHED"
    subs = described["SubStatements"]
    assert [s["Id"] for s in subs] == [f"{batch['Id']}:{n}" for n in (1, 2, 3)]
    assert [s["Status"] for s in subs] == ["FINISHED"] * 3
    assert [s["HasResultSet"] for s in subs] == [False, False, True]
    assert subs[1]["ResultRows"] == 1
    assert described["HasResultSet"] is True
    sub = any_client.describe_statement(Id=subs[2]["Id"])
    assert sub["QueryString"] == "SELECT id, name FROM b"
    result = any_client.get_statement_result(Id=subs[2]["Id"])
    assert result["Records"] == [[{"longValue": 7}, {"stringValue": "seven"}]]
    with pytest.raises(any_client.exceptions.ValidationException, match="sub-statement id"):
        any_client.get_statement_result(Id=batch["Id"])


def test_cancel_running_statement(any_client: Any) -> None:
    submitted = any_client.execute_statement(Sql=LONG_SQL, **TARGET)
    wait_started(any_client, submitted["Id"])
    assert any_client.cancel_statement(Id=submitted["Id"])["Status"] is True
    described = wait(any_client, submitted["Id"])
    assert described["Status"] == "ABORTED"
    with pytest.raises(any_client.exceptions.ValidationException, match="already in ABORTED"):
        any_client.cancel_statement(Id=submitted["Id"])


def test_cancel_finished_statement_is_refused(any_client: Any) -> None:
    described = ok(any_client, "SELECT 1")
    with pytest.raises(any_client.exceptions.ValidationException, match="already in FINISHED"):
        any_client.cancel_statement(Id=described["Id"])


def test_unknown_statement_is_not_found(any_client: Any) -> None:
    missing = str(uuid.uuid4())
    for call in (any_client.describe_statement, any_client.get_statement_result):
        with pytest.raises(any_client.exceptions.ResourceNotFoundException):
            call(Id=missing)


def test_list_statements_newest_first_with_filters(any_client: Any) -> None:
    first = ok(any_client, "SELECT 1", StatementName="report-a")
    second = run(any_client, "SELECT * FROM missing_table", StatementName="report-b")
    third = ok(any_client, "SELECT 3", StatementName="other")
    listed = any_client.list_statements()["Statements"]
    assert [s["Id"] for s in listed] == [third["Id"], second["Id"], first["Id"]]
    assert listed[0]["QueryString"] == "SELECT 3"
    assert listed[0]["IsBatchStatement"] is False
    named = any_client.list_statements(StatementName="report")["Statements"]
    assert {s["Id"] for s in named} == {first["Id"], second["Id"]}
    failed = any_client.list_statements(Status="FAILED")["Statements"]
    assert [s["Id"] for s in failed] == [second["Id"]]
    page = any_client.list_statements(MaxResults=2)
    assert [s["Id"] for s in page["Statements"]] == [third["Id"], second["Id"]]
    rest = any_client.list_statements(MaxResults=2, NextToken=page["NextToken"])
    assert [s["Id"] for s in rest["Statements"]] == [first["Id"]]
    assert "NextToken" not in rest


def test_list_statements_shows_batches(any_client: Any) -> None:
    batch = any_client.batch_execute_statement(Sqls=["SELECT 1", "SELECT 2"], **TARGET)
    wait(any_client, batch["Id"])
    (listed,) = any_client.list_statements()["Statements"]
    assert listed["IsBatchStatement"] is True
    assert listed["QueryStrings"] == ["SELECT 1", "SELECT 2"]


def test_catalog_listings(any_client: Any) -> None:
    ok(any_client, "CREATE SCHEMA demo")
    ok(any_client, "CREATE TABLE demo.venue (venueid INT NOT NULL, venuename VARCHAR(100))")
    ok(any_client, "CREATE TABLE demo.event (eventid INT)")
    ok(any_client, "CREATE VIEW demo.venue_names AS SELECT venuename FROM demo.venue")
    databases = any_client.list_databases(**TARGET)["Databases"]
    assert "dev" in databases
    schemas = any_client.list_schemas(SchemaPattern="dem%", **TARGET)["Schemas"]
    assert schemas == ["demo"]
    tables = any_client.list_tables(SchemaPattern="demo", TablePattern="ven%", **TARGET)["Tables"]
    assert [(t["schema"], t["name"]) for t in tables] == [
        ("demo", "venue"),
        ("demo", "venue_names"),
    ]
    assert tables[0]["type"] == "TABLE"
    assert tables[1]["type"] == "VIEW"
    first = any_client.list_tables(SchemaPattern="demo", MaxResults=1, **TARGET)
    assert len(first["Tables"]) == 1
    second = any_client.list_tables(
        SchemaPattern="demo", MaxResults=1, NextToken=first["NextToken"], **TARGET
    )
    assert second["Tables"] != first["Tables"]
    described = any_client.describe_table(Schema="demo", Table="venue", **TARGET)
    assert described["TableName"] == "venue"
    columns = described["ColumnList"]
    assert [c["name"] for c in columns] == ["venueid", "venuename"]
    assert columns[0]["typeName"] == "int4"
    assert columns[1]["typeName"] == "varchar"
    assert columns[1]["length"] == 100
    assert columns[0]["nullable"] == 0
    paged = any_client.describe_table(Schema="demo", Table="venue", MaxResults=1, **TARGET)
    assert [c["name"] for c in paged["ColumnList"]] == ["venueid"]
    assert "NextToken" in paged


def test_sessions_are_listed(any_client: Any) -> None:
    response = any_client.execute_statement(
        Sql="SELECT 1", SessionKeepAliveSeconds=60, WaitTimeSeconds=30, **TARGET
    )
    session_id = response["SessionId"]
    sessions = any_client.list_sessions()["Sessions"]
    (session,) = [s for s in sessions if s["SessionId"] == session_id]
    assert session["Status"] == "AVAILABLE"
    assert session["Database"] == "dev"
    assert session["SessionAliveSeconds"] == 60
    assert session["ClusterIdentifier"] == "local-cluster"
    assert any_client.list_sessions(Status="CLOSED")["Sessions"] == []


def test_csv_result_through_v2(any_client: Any) -> None:
    response = any_client.execute_statement(
        Sql="SELECT 1 AS a, 'x,y' AS b UNION ALL SELECT 2, NULL ORDER BY a",
        ResultFormat="CSV",
        WaitTimeSeconds=30,
        **TARGET,
    )
    assert response["Status"] == "FINISHED"
    assert any_client.describe_statement(Id=response["Id"])["ResultFormat"] == "CSV"
    result = any_client.get_statement_result_v2(Id=response["Id"])
    assert result["ResultFormat"] == "CSV"
    assert result["TotalNumRows"] == 2
    assert [c["name"] for c in result["ColumnMetadata"]] == ["a", "b"]
    assert result["Records"] == [{"CSVRecords": '1,"x,y"\n2,\n'}]
    with pytest.raises(any_client.exceptions.ValidationException, match="GetStatementResultV2"):
        any_client.get_statement_result(Id=response["Id"])


def test_v2_on_json_statement_is_refused(any_client: Any) -> None:
    described = ok(any_client, "SELECT 1")
    with pytest.raises(any_client.exceptions.ValidationException, match="GetStatementResult"):
        any_client.get_statement_result_v2(Id=described["Id"])


def test_unknown_database(any_client: Any) -> None:
    described = run(any_client, "SELECT 1", ClusterIdentifier="local-cluster", Database="nowhere")
    assert described["Status"] == "FAILED"
    assert "nowhere" in described["Error"]
    with pytest.raises(any_client.exceptions.ValidationException, match="nowhere"):
        any_client.list_schemas(ClusterIdentifier="local-cluster", Database="nowhere")
