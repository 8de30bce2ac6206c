"""timeout and Ctrl-C against the real local endpoint: the statement is cancelled.

moto proves the call sequence with a statement that never finishes
(tests/unit/driver/test_moto_timeout.py); here the statement really runs in the
engine and must end ABORTED, with nothing it did committed.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

import redshift_dataapi

from .conftest import ConnFactory

# A query that keeps either engine busy for minutes unless it is cancelled.
LONG_SQL = (
    "SELECT COUNT(*) FROM generate_series(1, 100000) a(i) "
    "CROSS JOIN generate_series(1, 100000) b(j) WHERE a.i * 7 + b.j * 13 = -5"
)


def final_status(client: Any, statement_id: str) -> str:
    """The statement's status once it has ended (the cancel is asynchronous)."""
    deadline = time.monotonic() + 30
    status = str(client.describe_statement(Id=statement_id)["Status"])
    while status not in ("ABORTED", "FAILED", "FINISHED") and time.monotonic() < deadline:
        time.sleep(0.1)
        status = str(client.describe_statement(Id=statement_id)["Status"])
    return status


def test_timeout_cancels_the_statement_and_raises(connect: ConnFactory, any_client: Any) -> None:
    conn = connect(timeout=1.0, wait_time_seconds=1)
    cur = conn.cursor()
    started = time.monotonic()
    with pytest.raises(redshift_dataapi.OperationalError) as caught:
        cur.execute(LONG_SQL)
    assert time.monotonic() - started < 30
    statement_id = cur.statement_id
    assert statement_id and statement_id in str(caught.value)
    assert "timeout" in str(caught.value).lower() or "timed out" in str(caught.value).lower()
    assert final_status(any_client, statement_id) == "ABORTED"


def test_interrupt_cancels_the_statement_and_nothing_is_committed(
    connect: ConnFactory, any_client: Any
) -> None:
    conn = connect(wait_time_seconds=1)
    cur = conn.cursor()
    cur.execute("CREATE TABLE interrupted (n BIGINT)")
    # Ctrl-C arrives as KeyboardInterrupt in the waiting thread: raise it there
    # from a timer, as the terminal would.
    main = threading.get_ident()

    def press_ctrl_c() -> None:
        import ctypes

        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(main), ctypes.py_object(KeyboardInterrupt)
        )

    timer = threading.Timer(1.5, press_ctrl_c)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            cur.execute("INSERT INTO interrupted " + LONG_SQL)
    finally:
        timer.cancel()
    statement_id = cur.statement_id
    assert statement_id
    assert final_status(any_client, statement_id) == "ABORTED"
    cur.execute("SELECT COUNT(*) FROM interrupted")
    assert cur.fetchone() == (0,)


def test_cursor_cancel_from_another_thread_stops_a_running_execute(
    connect: ConnFactory, any_client: Any
) -> None:
    # A one-second long poll: the Id arrives (and can be cancelled) within a second.
    cur = connect(wait_time_seconds=1).cursor()
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            cur.execute(LONG_SQL)
        except BaseException as exc:  # the outcome is what this test checks
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    try:
        deadline = time.monotonic() + 30
        while cur.statement_id is None and time.monotonic() < deadline:
            time.sleep(0.05)
        statement_id = cur.statement_id
        assert statement_id, "the statement was never submitted"
        assert cur.cancel() is True
    finally:
        worker.join(timeout=60)
    assert not worker.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], redshift_dataapi.OperationalError)
    assert statement_id in str(outcome[0])
    assert final_status(any_client, statement_id) == "ABORTED"
    assert cur.cancel() is False  # it has ended: nothing left to cancel


def test_connection_cancel_by_id_stops_a_submitted_statement(
    connect: ConnFactory, any_client: Any
) -> None:
    runner = connect().cursor()
    statement_id = runner.submit(LONG_SQL)
    other = connect()  # a BI tool cancels from another connection than the query's
    assert other.cancel(statement_id) is True
    with pytest.raises(redshift_dataapi.OperationalError, match="aborted"):
        runner.fetchall()
    assert final_status(any_client, statement_id) == "ABORTED"
    assert other.cancel(statement_id) is False
    with pytest.raises(redshift_dataapi.ProgrammingError):
        other.cancel("00000000-0000-4000-8000-000000000000")


def test_attach_to_a_running_statement_waits_and_honours_the_timeout(
    connect: ConnFactory, any_client: Any
) -> None:
    statement_id = connect().cursor().submit(LONG_SQL)
    cur = connect(timeout=1.0, wait_time_seconds=1).cursor()
    with pytest.raises(redshift_dataapi.OperationalError) as caught:
        cur.attach(statement_id)  # its result is refused while it runs: attach waits
    assert statement_id in str(caught.value)
    assert final_status(any_client, statement_id) == "ABORTED"
