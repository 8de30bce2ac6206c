"""Batches (atomicity, AUTO_COMMIT, shared parameters) and sessions.

Session expiry tests move the service's clock (``clocked_client``) instead of
sleeping; they use the in-process client only: what they check is the
session's life, which both transports share.
"""

from __future__ import annotations

from typing import Any

import pytest

from redshift_dataapi.local.runtime.clock import ManualClock

from .helpers import LONG_SQL, TARGET, ok, rows, run, wait, wait_started

pytestmark = pytest.mark.usefixtures("local_service")


def test_failing_batch_commits_nothing(any_client: Any) -> None:
    ok(any_client, "CREATE TABLE atom (a INT)")
    batch = any_client.batch_execute_statement(
        Sqls=[
            "INSERT INTO atom VALUES (1)",
            "INSERT INTO atom VALUES (2)",
            "INSERT INTO no_such_table VALUES (3)",
            "INSERT INTO atom VALUES (4)",
        ],
        **TARGET,
    )
    described = wait(any_client, batch["Id"])
    assert described["Status"] == "FAILED"
    assert "no_such_table" in described["Error"]
    statuses = [s["Status"] for s in described["SubStatements"]]
    assert statuses == ["FINISHED", "FINISHED", "FAILED", "ABORTED"]
    assert "no_such_table" in described["SubStatements"][2]["Error"]
    assert described["ExecutionMode"] == "TRANSACTION"
    assert rows(any_client, "SELECT COUNT(*) FROM atom") == [[0]]


def test_auto_commit_batch_keeps_earlier_statements(any_client: Any) -> None:
    ok(any_client, "CREATE TABLE auto (a INT)")
    batch = any_client.batch_execute_statement(
        Sqls=["INSERT INTO auto VALUES (1)", "INSERT INTO missing_t VALUES (2)"],
        ExecutionMode="AUTO_COMMIT",
        **TARGET,
    )
    described = wait(any_client, batch["Id"])
    assert described["Status"] == "FAILED"
    assert rows(any_client, "SELECT a FROM auto") == [[1]]


def test_batch_parameters_are_shared(any_client: Any) -> None:
    ok(any_client, "CREATE TABLE shared_p (a INT, b VARCHAR(5))")
    batch = any_client.batch_execute_statement(
        Sqls=[
            "INSERT INTO shared_p VALUES (:a, :b)",
            "UPDATE shared_p SET a = a + CAST(:step AS INT)",
        ],
        Parameters=[
            {"name": "a", "value": "1"},
            {"name": "b", "value": "one"},
            {"name": "step", "value": "10"},
        ],
        **TARGET,
    )
    assert wait(any_client, batch["Id"])["Status"] == "FINISHED"
    assert rows(any_client, "SELECT a, b FROM shared_p") == [[11, "one"]]


def test_session_keeps_temp_tables(any_client: Any) -> None:
    first = any_client.execute_statement(
        Sql="CREATE TEMP TABLE scratch (a INT)",
        SessionKeepAliveSeconds=60,
        WaitTimeSeconds=30,
        **TARGET,
    )
    assert first["Status"] == "FINISHED"
    session_id = first["SessionId"]
    ok(any_client, "INSERT INTO scratch VALUES (5)", SessionId=session_id)
    described = ok(any_client, "SELECT a FROM scratch", SessionId=session_id)
    assert described["SessionId"] == session_id
    assert described["RedshiftPid"] == first["RedshiftPid"]
    assert any_client.get_statement_result(Id=described["Id"])["Records"] == [[{"longValue": 5}]]
    # Outside the session the temp table does not exist.
    assert run(any_client, "SELECT a FROM scratch")["Status"] == "FAILED"


def test_session_keeps_open_transaction(any_client: Any) -> None:
    ok(any_client, "CREATE TABLE txn (a INT)")
    first = any_client.execute_statement(
        Sql="BEGIN", SessionKeepAliveSeconds=60, WaitTimeSeconds=30, **TARGET
    )
    session_id = first["SessionId"]
    ok(any_client, "INSERT INTO txn VALUES (1)", SessionId=session_id)
    # A batch inside the user's transaction runs within it and does not commit it.
    batch = any_client.batch_execute_statement(
        Sqls=["INSERT INTO txn VALUES (2)"], SessionId=session_id, WaitTimeSeconds=30
    )
    assert batch["Status"] == "FINISHED"
    assert rows(any_client, "SELECT COUNT(*) FROM txn", SessionId=session_id) == [[2]]
    assert rows(any_client, "SELECT COUNT(*) FROM txn") == [[0]]
    ok(any_client, "COMMIT", SessionId=session_id)
    assert rows(any_client, "SELECT COUNT(*) FROM txn") == [[2]]


def test_busy_session_refuses_a_second_statement(any_client: Any) -> None:
    first = any_client.execute_statement(
        Sql="SELECT 1", SessionKeepAliveSeconds=60, WaitTimeSeconds=30, **TARGET
    )
    session_id = first["SessionId"]
    long = any_client.execute_statement(Sql=LONG_SQL, SessionId=session_id)
    wait_started(any_client, long["Id"])
    busy = [s for s in any_client.list_sessions()["Sessions"] if s["SessionId"] == session_id]
    assert busy[0]["Status"] == "BUSY"
    assert busy[0]["CurrentStatementId"] == long["Id"]
    with pytest.raises(any_client.exceptions.ValidationException, match="busy"):
        any_client.execute_statement(Sql="SELECT 2", SessionId=session_id)
    any_client.cancel_statement(Id=long["Id"])
    assert wait(any_client, long["Id"])["Status"] == "ABORTED"
    # Once the statement ended the session takes the next one.
    assert ok(any_client, "SELECT 2", SessionId=session_id)["Status"] == "FINISHED"


def test_idle_session_expires(clocked_client: Any, clock: ManualClock) -> None:
    client = clocked_client
    first = client.execute_statement(
        Sql="CREATE TEMP TABLE gone (a INT)",
        SessionKeepAliveSeconds=10,
        WaitTimeSeconds=30,
        **TARGET,
    )
    session_id = first["SessionId"]
    # Each statement restarts the idle time: 9 s idle twice stays within 10 s.
    clock.advance(9)
    ok(client, "INSERT INTO gone VALUES (1)", SessionId=session_id)
    clock.advance(9)
    assert rows(client, "SELECT a FROM gone", SessionId=session_id) == [[1]]
    clock.advance(10)
    with pytest.raises(client.exceptions.ValidationException, match="Session is not available"):
        client.execute_statement(Sql="SELECT 1", SessionId=session_id)
    (closed,) = [s for s in client.list_sessions()["Sessions"] if s["SessionId"] == session_id]
    assert closed["Status"] == "CLOSED"


def test_expired_session_rolls_back_its_transaction(
    clocked_client: Any, clock: ManualClock
) -> None:
    client = clocked_client
    ok(client, "CREATE TABLE lost (a INT)")
    first = client.execute_statement(
        Sql="BEGIN", SessionKeepAliveSeconds=60, WaitTimeSeconds=30, **TARGET
    )
    ok(client, "INSERT INTO lost VALUES (1)", SessionId=first["SessionId"])
    clock.advance(59)
    sessions = client.list_sessions(SessionId=first["SessionId"])["Sessions"]
    assert sessions[0]["Status"] == "AVAILABLE"
    clock.advance(1)
    sessions = client.list_sessions(SessionId=first["SessionId"])["Sessions"]
    assert sessions[0]["Status"] == "CLOSED"
    # Closing the idle session rolled its transaction back rather than committing it.
    assert rows(client, "SELECT COUNT(*) FROM lost") == [[0]]


def test_batch_can_open_a_session(any_client: Any) -> None:
    batch = any_client.batch_execute_statement(
        Sqls=["CREATE TEMP TABLE bt (a INT)", "INSERT INTO bt VALUES (3)"],
        SessionKeepAliveSeconds=60,
        WaitTimeSeconds=30,
        **TARGET,
    )
    assert batch["Status"] == "FINISHED"
    assert rows(any_client, "SELECT a FROM bt", SessionId=batch["SessionId"]) == [[3]]


def test_keep_alive_zero_on_a_session_call_ends_the_session(dataapi_client: Any) -> None:
    ok(dataapi_client, "CREATE TABLE ended (a INT)")
    first = dataapi_client.execute_statement(
        Sql="BEGIN", SessionKeepAliveSeconds=600, WaitTimeSeconds=30, **TARGET
    )
    session_id = first["SessionId"]
    ok(dataapi_client, "INSERT INTO ended VALUES (1)", SessionId=session_id)
    # The driver's close(): a last statement that lets the session go at once.
    ok(dataapi_client, "ROLLBACK", SessionId=session_id, SessionKeepAliveSeconds=0)
    sessions = dataapi_client.list_sessions(SessionId=session_id)["Sessions"]
    assert sessions[0]["Status"] == "CLOSED"
    with pytest.raises(
        dataapi_client.exceptions.ValidationException, match="Session is not available"
    ):
        dataapi_client.execute_statement(Sql="SELECT 1", SessionId=session_id)
    assert rows(dataapi_client, "SELECT COUNT(*) FROM ended") == [[0]]
