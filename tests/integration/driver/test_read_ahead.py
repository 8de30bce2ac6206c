"""Read-ahead (connect(prefetch=True)) keeps every guarantee of fetching on demand.

A result of several pages on both engines and transports: the same rows, an
error raised by the fetch that needs the page, retries in the background, and
no call or thread left once the cursor or the connection is closed.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

import redshift_dataapi
from redshift_dataapi.local.transport.faults import FaultPlan
from redshift_dataapi.results import read_ahead

from .conftest import ConnFactory

ROWS = 60_000  # about four JSON pages
SELECT = "SELECT n, label FROM paged ORDER BY n"
READ_AHEAD_THREAD = "redshift-dataapi-read-ahead"


@pytest.fixture
def paged(connect: ConnFactory) -> ConnFactory:
    connect().cursor().execute(
        "CREATE TABLE paged AS SELECT i AS n, 'row ' || i AS label "
        "FROM generate_series(1, 60000) AS s(i)"
    )
    return connect


def _read_ahead_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == READ_AHEAD_THREAD]


def _fail_later_pages(service: Any, kind: str, limit: int | None) -> FaultPlan:
    plan = FaultPlan([])
    plan.add(
        kind,
        operation="GetStatementResult",
        match=lambda op, params: "NextToken" in params,
        limit=limit,
    )
    service.faults = plan
    return plan


@pytest.mark.parametrize("fmt", ["JSON", "CSV"])
def test_read_ahead_gives_the_rows_of_on_demand_paging(paged: ConnFactory, fmt: str) -> None:
    on_demand = paged(result_format=fmt, prefetch=False).cursor().execute(SELECT).fetchall()
    cur = paged(result_format=fmt).cursor().execute(SELECT)
    head = [cur.fetchone(), *cur.fetchmany(1000)]
    assert [*head, *cur] == on_demand
    assert len(on_demand) == ROWS and on_demand[-1] == (ROWS, f"row {ROWS}")


def test_an_error_is_raised_by_the_fetch_that_needs_the_page(
    paged: ConnFactory, local_service: Any
) -> None:
    cur = paged(max_retries=0).cursor().execute(SELECT)
    plan = _fail_later_pages(local_service, "internal", limit=None)
    # The first page's rows come although the page read ahead failed.
    assert [row[0] for row in cur.fetchmany(100)] == list(range(1, 101))
    with pytest.raises(redshift_dataapi.OperationalError, match="GetStatementResult"):
        cur.fetchall()
    assert plan.injected("internal", "GetStatementResult") == 1


def test_a_page_read_ahead_is_retried(paged: ConnFactory, local_service: Any) -> None:
    cur = paged(max_retries=3).cursor().execute(SELECT)
    plan = _fail_later_pages(local_service, "throttle", limit=2)
    assert [row[0] for row in cur.fetchall()] == list(range(1, ROWS + 1))
    assert plan.injected("throttle", "GetStatementResult") == 2


@pytest.mark.parametrize("closing", ["cursor", "connection"])
def test_close_leaves_no_call_and_no_thread(
    paged: ConnFactory, local_service: Any, closing: str
) -> None:
    conn = paged()
    cur = conn.cursor().execute(SELECT)
    assert cur.fetchone() == (1, "row 1")  # page 2 is now being read ahead
    (conn if closing == "connection" else cur).close()
    assert _read_ahead_threads() == []
    calls = local_service.calls["GetStatementResult"]
    time.sleep(0.2)
    assert local_service.calls["GetStatementResult"] == calls
    with pytest.raises(redshift_dataapi.InterfaceError):
        cur.fetchone()


def test_a_new_execute_drops_the_page_read_ahead(paged: ConnFactory) -> None:
    cur = paged().cursor().execute(SELECT)
    cur.fetchone()
    assert cur.execute("SELECT 42 AS answer").fetchall() == [(42,)]
    assert _read_ahead_threads() == []


def test_cancel_stops_reading_ahead_and_the_rest_comes_on_demand(
    paged: ConnFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []

    class Counted(threading.Thread):
        def start(self) -> None:
            if self.name == READ_AHEAD_THREAD:  # not the HTTP server's threads
                started.append(self.name)
            super().start()

    monkeypatch.setattr(read_ahead.threading, "Thread", Counted)
    cur = paged().cursor().execute(SELECT)
    cur.fetchone()
    assert started == [READ_AHEAD_THREAD]  # page 2, read ahead
    assert cur.cancel() is False  # the statement had finished: nothing to cancel
    assert [row[0] for row in cur.fetchall()] == list(range(2, ROWS + 1))
    assert len(started) == 1  # every later page was fetched on demand
    assert _read_ahead_threads() == []


def test_columnar_fetches_take_over_after_a_row_fetch(paged: ConnFactory) -> None:
    pytest.importorskip("pyarrow", reason="the columnar fetches need the arrow extra")
    cur = paged(result_format="CSV").cursor().execute(SELECT)
    assert cur.fetchone() == (1, "row 1")
    total = 1
    for batch in cur.fetch_arrow_batches():
        total += batch.num_rows
    assert total == ROWS


@pytest.mark.parametrize("fmt", ["JSON", "CSV"])
def test_fetchall_keeps_the_collector_paused_from_the_first_page_to_the_last(
    paged: ConnFactory, local_service: Any, fmt: str
) -> None:
    import gc

    operation = "GetStatementResultV2" if fmt == "CSV" else "GetStatementResult"
    cur = paged(result_format=fmt).cursor().execute(SELECT)
    collections: list[tuple[int, int]] = []  # (pages fetched so far, generation)

    def started(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            collections.append((local_service.calls[operation], info["generation"]))

    gc.callbacks.append(started)
    try:
        rows = cur.fetchall()
        assert gc.isenabled()  # resumed at the end
    finally:
        gc.callbacks.remove(started)
    pages = local_service.calls[operation]
    assert len(rows) == ROWS
    # Between two pages only the youngest generation is collected, which holds
    # the page just converted, never the rows kept so far: no collection of an
    # older generation runs until the last page is read.
    assert all(gen == 0 for seen, gen in collections if seen < pages), (collections, pages)
    assert sum(1 for _, gen in collections if gen == 0) >= pages, collections  # one a page
    # Each page's rows were untracked then, while the next page was on the
    # wire: no collection after the fetch has the whole result to traverse.
    assert not any(gc.is_tracked(row) for row in rows)


def test_fetchall_runs_no_collection_when_the_caller_switched_the_collector_off(
    paged: ConnFactory,
) -> None:
    import gc

    cur = paged().cursor().execute(SELECT)
    collections: list[int] = []
    gc.callbacks.append(lambda phase, info: collections.append(info["generation"]))
    gc.disable()
    try:
        rows = cur.fetchall()
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.callbacks.pop()
    assert len(rows) == ROWS
    assert collections == []
