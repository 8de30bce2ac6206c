"""CancelStatement wakes every long poll on the statement at once.

A client holding ExecuteStatement, DescribeStatement or GetStatementResult
with ``WaitTimeSeconds`` must get the ABORTED statement as soon as it is
cancelled, not when its wait runs out, whether the statement was running in
the engine or still queued behind busy workers.  The waits here are 20 s (the
driver's default) and the bound is 10 s, so the bound only fails when the call
was released by its wait running out.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.engines import make_service

from .helpers import LONG_SQL, TARGET, ok, wait, wait_started

#: The long poll the waiting call asks for (the driver's default wait time).
WAIT_SECONDS = 20
#: Well under WAIT_SECONDS: only a call held to the end of its wait exceeds it.
WOKEN_WITHIN = 10.0


@pytest.fixture
def local_service(engine_spec: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """One worker thread: a second statement queues behind a running one."""
    service = make_service(engine_spec, request.node.nodeid, max_workers=1)
    try:
        yield service
    finally:
        service.close()


def cancel_soon(client: Any, statement_id: str | Callable[[], str]) -> threading.Thread:
    """Cancel the statement from another thread once it has started (or queued)."""

    def run() -> None:
        sid = statement_id() if callable(statement_id) else statement_id
        # Let the waiting call reach its long poll first.
        threading.Event().wait(0.5)
        client.cancel_statement(Id=sid)

    thread = threading.Thread(target=run, name="canceller")
    thread.start()
    return thread


def timed(call: Callable[[], Any]) -> tuple[Any, float]:
    """``call()``'s answer (or the error it raised) and how long it took."""
    started = time.monotonic()
    try:
        answer = call()
    except Exception as exc:  # the error is the answer some tests check
        answer = exc
    return answer, time.monotonic() - started


@pytest.mark.parametrize("call", ["DescribeStatement", "GetStatementResult"])
def test_cancel_wakes_a_long_poll_on_a_running_statement(any_client: Any, call: str) -> None:
    statement_id = any_client.execute_statement(Sql=LONG_SQL, **TARGET)["Id"]
    wait_started(any_client, statement_id)
    canceller = cancel_soon(any_client, statement_id)
    if call == "DescribeStatement":
        answer, elapsed = timed(
            lambda: any_client.describe_statement(Id=statement_id, WaitTimeSeconds=WAIT_SECONDS)
        )
        assert answer["Status"] == "ABORTED"
    else:
        answer, elapsed = timed(
            lambda: any_client.get_statement_result(Id=statement_id, WaitTimeSeconds=WAIT_SECONDS)
        )
        assert isinstance(answer, any_client.exceptions.ValidationException), answer
        assert any_client.describe_statement(Id=statement_id)["Status"] == "ABORTED"
    canceller.join()
    assert elapsed < WOKEN_WITHIN


def test_cancel_wakes_an_execute_statement_waiting_for_its_statement(any_client: Any) -> None:
    token = str(uuid.uuid4())

    def started_id() -> str:
        # The same request without WaitTimeSeconds names the statement the
        # waiting call started (ClientToken idempotency), as the driver does
        # to cancel an interrupted submission.
        sid: str = any_client.execute_statement(Sql=LONG_SQL, ClientToken=token, **TARGET)["Id"]
        wait_started(any_client, sid)
        return sid

    canceller = cancel_soon(any_client, started_id)
    answer, elapsed = timed(
        lambda: any_client.execute_statement(
            Sql=LONG_SQL, ClientToken=token, WaitTimeSeconds=WAIT_SECONDS, **TARGET
        )
    )
    canceller.join()
    assert answer["Status"] == "ABORTED"
    assert elapsed < WOKEN_WITHIN


def test_cancel_wakes_a_long_poll_on_a_queued_statement(any_client: Any) -> None:
    busy = any_client.execute_statement(Sql=LONG_SQL, **TARGET)["Id"]
    wait_started(any_client, busy)
    try:
        queued = any_client.execute_statement(Sql="SELECT 1", **TARGET)["Id"]
        assert any_client.describe_statement(Id=queued)["Status"] == "SUBMITTED"
        canceller = cancel_soon(any_client, queued)
        answer, elapsed = timed(
            lambda: any_client.describe_statement(Id=queued, WaitTimeSeconds=WAIT_SECONDS)
        )
        canceller.join()
        assert answer["Status"] == "ABORTED"
        assert elapsed < WOKEN_WITHIN
        # The running statement was not disturbed.
        assert any_client.describe_statement(Id=busy)["Status"] == "STARTED"
    finally:
        any_client.cancel_statement(Id=busy)
    assert wait(any_client, busy)["Status"] == "ABORTED"
    # The worker that takes the cancelled statement afterwards leaves it ABORTED.
    ok(any_client, "SELECT 2")
    assert any_client.describe_statement(Id=queued)["Status"] == "ABORTED"


def test_cancel_of_a_queued_batch_ends_every_sub_statement(any_client: Any) -> None:
    busy = any_client.execute_statement(Sql=LONG_SQL, **TARGET)["Id"]
    wait_started(any_client, busy)
    try:
        batch = any_client.batch_execute_statement(Sqls=["SELECT 1", "SELECT 2"], **TARGET)["Id"]
        # A sub-statement's waiter wakes too, cancelled through its batch.
        canceller = cancel_soon(any_client, batch)
        answer, elapsed = timed(
            lambda: any_client.describe_statement(Id=f"{batch}:1", WaitTimeSeconds=WAIT_SECONDS)
        )
        canceller.join()
        assert answer["Status"] == "ABORTED"
        assert elapsed < WOKEN_WITHIN
        described = any_client.describe_statement(Id=batch)
        assert described["Status"] == "ABORTED"
        assert [s["Status"] for s in described["SubStatements"]] == ["ABORTED", "ABORTED"]
    finally:
        any_client.cancel_statement(Id=busy)
    wait(any_client, busy)


def test_cancel_of_a_queued_session_statement_frees_the_session(any_client: Any) -> None:
    busy = any_client.execute_statement(Sql=LONG_SQL, **TARGET)["Id"]
    wait_started(any_client, busy)
    try:
        first = any_client.execute_statement(Sql="SELECT 1", SessionKeepAliveSeconds=60, **TARGET)
        any_client.cancel_statement(Id=first["Id"])
        described = any_client.describe_statement(Id=first["Id"], WaitTimeSeconds=WAIT_SECONDS)
        assert described["Status"] == "ABORTED"
        # ABORTED means the session is free: its next statement is accepted at once.
        sessions = any_client.list_sessions()["Sessions"]
        [session] = [s for s in sessions if s["SessionId"] == first["SessionId"]]
        assert session["Status"] == "AVAILABLE"
        following = any_client.execute_statement(Sql="SELECT 2 AS n", SessionId=first["SessionId"])
    finally:
        any_client.cancel_statement(Id=busy)
    wait(any_client, busy)
    assert wait(any_client, following["Id"])["Status"] == "FINISHED"
