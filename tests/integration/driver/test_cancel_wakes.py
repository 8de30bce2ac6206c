"""A cancel ends the driver's waiting call at once, at the default wait time.

The driver waits with long polls of ``wait_time_seconds`` (20 s by default):
first the ExecuteStatement itself, then DescribeStatement.  Cancelling the
statement from another thread (Connection.cancel by Id, as a BI tool does, or
Cursor.cancel) must end that wait with OperationalError as soon as the
statement is ABORTED, not when the long poll runs out.  The bound (10 s) is
half the wait, so it fails only when the call was held to the end of its wait.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import redshift_dataapi

from ..local.helpers import LONG_SQL, wait_started
from .conftest import ConnFactory

#: Well under the default 20 s long poll.
WOKEN_WITHIN = 10.0


def in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, list[BaseException]]:
    """Run ``work`` on a thread; the list receives what it raised."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # what it raised is what the tests check
            raised.append(exc)

    thread = threading.Thread(target=run, name="waiting-execute")
    thread.start()
    return thread, raised


def running_statement(client: Any) -> str:
    """The Id of the one statement running on the service (found as a BI tool would)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        running = client.list_statements(Status="STARTED")["Statements"]
        if running:
            statement_id: str = running[0]["Id"]
            wait_started(client, statement_id)
            return statement_id
        threading.Event().wait(0.05)
    raise AssertionError("the statement never started")


def test_connection_cancel_ends_an_execute_in_its_long_polled_submit(
    connect: ConnFactory, any_client: Any
) -> None:
    cur = connect().cursor()  # the default wait time: ExecuteStatement itself waits 20 s
    assert cur.connection.runner.wait_time_seconds == 20
    thread, raised = in_thread(lambda: cur.execute(LONG_SQL))
    try:
        statement_id = running_statement(any_client)
        cancelled_at = time.monotonic()
        assert connect().cancel(statement_id) is True
    finally:
        thread.join(timeout=60)
    woken = time.monotonic() - cancelled_at
    assert not thread.is_alive()
    assert len(raised) == 1 and isinstance(raised[0], redshift_dataapi.OperationalError)
    assert statement_id in str(raised[0]) and "aborted" in str(raised[0])
    assert woken < WOKEN_WITHIN


def test_cursor_cancel_ends_a_fetch_waiting_for_a_submitted_statement(
    connect: ConnFactory, any_client: Any
) -> None:
    cur = connect().cursor()
    statement_id = cur.submit(LONG_SQL)
    wait_started(any_client, statement_id)
    # fetchall() waits for the statement: DescribeStatement long polls of 20 s.
    thread, raised = in_thread(cur.fetchall)
    try:
        threading.Event().wait(0.5)  # let it reach its long poll
        cancelled_at = time.monotonic()
        assert cur.cancel() is True
    finally:
        thread.join(timeout=60)
    woken = time.monotonic() - cancelled_at
    assert not thread.is_alive()
    assert len(raised) == 1 and isinstance(raised[0], redshift_dataapi.OperationalError)
    assert "aborted" in str(raised[0])
    assert woken < WOKEN_WITHIN
    assert cur.cancel() is False  # it has ended: nothing left to cancel
