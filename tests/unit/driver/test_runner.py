"""The statement runner beyond the cursor's path: progress, cancel, any verb, paging."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber

import redshift_dataapi
from redshift_dataapi._core.runner import PROGRESS_WAIT_SECONDS, StatementProgress, StatementRunner

from .conftest import STATEMENT_ID, Recorder


def test_wait_reports_each_status_to_the_progress_callback(client: Any, stub: Stubber) -> None:
    # With a callback each long poll is short, so that a live display moves.
    for status in ("SUBMITTED", "STARTED"):
        stub.add_response(
            "describe_statement",
            {"Id": STATEMENT_ID, "Status": status},
            {"Id": STATEMENT_ID, "WaitTimeSeconds": PROGRESS_WAIT_SECONDS},
        )
    stub.add_response(
        "describe_statement",
        {"Id": STATEMENT_ID, "Status": "FINISHED", "HasResultSet": False},
        {"Id": STATEMENT_ID, "WaitTimeSeconds": PROGRESS_WAIT_SECONDS},
    )
    runner = StatementRunner(client, sleep=lambda seconds: None)
    seen: list[StatementProgress] = []
    described = runner.wait(STATEMENT_ID, progress=seen.append)
    assert described is not None and described["Status"] == "FINISHED"
    assert [p.status for p in seen] == ["SUBMITTED", "STARTED", "FINISHED"]
    assert {p.statement_id for p in seen} == {STATEMENT_ID}
    elapsed = [p.elapsed for p in seen]
    assert elapsed == sorted(elapsed) and elapsed[0] >= 0


def test_progress_hears_a_known_status_at_once_and_failures_still_raise(
    client: Any, stub: Stubber
) -> None:
    stub.add_response("describe_statement", {"Id": STATEMENT_ID, "Status": "FAILED"})
    stub.add_response(
        "describe_statement",
        {"Id": STATEMENT_ID, "Status": "FAILED", "Error": "ERROR: boom (SQLSTATE 22012)"},
    )
    runner = StatementRunner(client, sleep=lambda seconds: None)
    seen: list[str] = []
    with pytest.raises(redshift_dataapi.DataError, match="boom"):
        runner.wait(STATEMENT_ID, status="STARTED", progress=lambda p: seen.append(p.status))
    assert seen == ["STARTED", "FAILED"]


def test_cursor_attach_passes_progress_through(client: Any, stub: Stubber) -> None:
    stub.add_response(
        "describe_statement",
        {"Id": STATEMENT_ID, "Status": "FINISHED", "HasResultSet": False, "ResultRows": 4},
        {"Id": STATEMENT_ID, "WaitTimeSeconds": PROGRESS_WAIT_SECONDS},
    )
    conn = redshift_dataapi.connect("dev", cluster_identifier="cl", client=client)
    seen: list[str] = []
    cur = conn.cursor().attach(STATEMENT_ID, progress=lambda p: seen.append(p.status))
    assert seen == ["FINISHED"] and cur.rowcount == 4


def test_cancel_of_an_ended_statement_is_false_after_confirming_it(
    client: Any, stub: Stubber
) -> None:
    stub.add_response("cancel_statement", {"Status": True}, {"Id": STATEMENT_ID})
    stub.add_client_error(
        "cancel_statement", "ValidationException", "Could not cancel a query that is done"
    )
    stub.add_response("describe_statement", {"Id": STATEMENT_ID, "Status": "FINISHED"})
    stub.add_client_error("cancel_statement", "ValidationException", "Id is malformed")
    stub.add_response("describe_statement", {"Id": STATEMENT_ID, "Status": "STARTED"})
    runner = StatementRunner(client)
    assert runner.cancel(STATEMENT_ID) is True
    assert runner.cancel(STATEMENT_ID) is False
    # Refused while it still runs: not "already ended", so the refusal is raised.
    with pytest.raises(redshift_dataapi.ProgrammingError, match="malformed"):
        runner.cancel(STATEMENT_ID)


def test_any_verb_retries_and_a_submission_gets_one_client_token(
    client: Any, stub: Stubber, recorder: Recorder
) -> None:
    stub.add_client_error("execute_statement", "ThrottlingException", "slow down")
    stub.add_response("execute_statement", {"Id": STATEMENT_ID})
    stub.add_client_error("list_statements", "InternalServerException", "oops")
    stub.add_response("list_statements", {"Statements": []}, {"Status": "ALL"})
    runner = StatementRunner(client, sleep=lambda seconds: None)
    response = runner.call_operation(
        "ExecuteStatement", {"Sql": "SELECT 1", "ClusterIdentifier": "c", "Database": "d"}
    )
    assert response["Id"] == STATEMENT_ID
    tokens = [p["ClientToken"] for name, p in recorder.calls if name == "ExecuteStatement"]
    assert len(tokens) == 2 and tokens[0] == tokens[1]
    assert runner.call_operation("ListStatements", {"Status": "ALL"})["Statements"] == []


def test_a_given_client_token_is_kept(client: Any, stub: Stubber) -> None:
    stub.add_response(
        "execute_statement",
        {"Id": STATEMENT_ID},
        {"Sql": "SELECT 1", "WorkgroupName": "wg1", "ClientToken": "mine"},
    )
    StatementRunner(client).call_operation(
        "ExecuteStatement", {"Sql": "SELECT 1", "WorkgroupName": "wg1", "ClientToken": "mine"}
    )


def test_paginate_merges_pages_as_the_aws_cli_does(client: Any, stub: Stubber) -> None:
    target = {"ClusterIdentifier": "c", "Database": "d"}
    stub.add_response("list_schemas", {"Schemas": ["a", "b"], "NextToken": "n1"}, target)
    stub.add_client_error("list_schemas", "ThrottlingException", "slow down")
    stub.add_response("list_schemas", {"Schemas": ["c"]}, {**target, "NextToken": "n1"})
    runner = StatementRunner(client, sleep=lambda seconds: None)
    assert runner.paginate("ListSchemas", target) == {"Schemas": ["a", "b", "c"]}
    stub.add_response("list_schemas", {"Schemas": ["a", "b"], "NextToken": "n1"}, target)
    first = runner.paginate("ListSchemas", target, max_items=1)
    assert first["Schemas"] == ["a"] and first["NextToken"]
    stub.add_response("list_schemas", {"Schemas": ["a", "b"], "NextToken": "n1"}, target)
    stub.add_response("list_schemas", {"Schemas": ["c"]}, {**target, "NextToken": "n1"})
    rest = runner.paginate("ListSchemas", target, starting_token=first["NextToken"])
    assert rest["Schemas"] == ["b", "c"]
    with pytest.raises(ValueError, match="does not page"):
        runner.paginate("DescribeStatement", {"Id": STATEMENT_ID})


def test_page_size_is_max_results(client: Any, stub: Stubber) -> None:
    stub.add_response(
        "list_tables",
        {"Tables": [{"name": "t", "schema": "s", "type": "TABLE"}]},
        {"ClusterIdentifier": "c", "Database": "d", "MaxResults": 1},
    )
    merged = StatementRunner(client).paginate(
        "ListTables", {"ClusterIdentifier": "c", "Database": "d"}, page_size=1
    )
    assert [t["name"] for t in merged["Tables"]] == ["t"]
