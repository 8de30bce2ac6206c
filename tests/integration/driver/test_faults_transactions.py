"""The driver under the local endpoint's injected faults: nothing lost, doubled or half committed.

Every test runs on both engines and over HTTP and in-process (the fixtures
parametrize them); the faults are the endpoint's own (``service.faults``), so
the driver reads what a real hostile network would hand botocore.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

import redshift_dataapi
from redshift_dataapi.local import FaultPlan

from .conftest import ConnFactory
from .faulty_load import mixed_faults, run_load


def _no_pause(seconds: float) -> None:
    """The driver's backoff, without waiting (the runner's injectable sleep)."""


@pytest.fixture
def quick(connect: ConnFactory) -> ConnFactory:
    """connect() whose retry pauses take no time."""

    def factory(**kwargs: Any) -> redshift_dataapi.Connection:
        conn = connect(**kwargs)
        conn.runner.sleep = _no_pause
        return conn

    return factory


@pytest.fixture
def faults(local_service: Any) -> Iterator[FaultPlan]:
    """An empty fault plan installed on the service (both transports apply it)."""
    plan = FaultPlan(seed=1, slow_seconds=0.01)
    local_service.faults = plan
    yield plan
    local_service.faults = None


@pytest.fixture
def observer(quick: ConnFactory) -> redshift_dataapi.Cursor:
    """An autocommit cursor that sees committed work; creates table t."""
    cur = quick().cursor()
    cur.execute("CREATE TABLE t (a INT, b VARCHAR(10))")
    return cur


def committed(observer: redshift_dataapi.Cursor) -> list[int]:
    return sorted(int(row[0]) for row in observer.execute("SELECT a FROM t").fetchall())


def sql_is(text: str) -> Callable[[str, Any], bool]:
    return lambda operation, params: params.get("Sql") == text


def _failing_transaction_then_rollback(conn: redshift_dataapi.Connection) -> None:
    """The second half of the lost-COMMIT sequence: new transaction, failure, rollback()."""
    cur = conn.cursor()
    cur.execute("INSERT INTO t VALUES (3, 'three')")
    assert conn.in_transaction
    with pytest.raises(redshift_dataapi.ProgrammingError):
        cur.execute("INSERT INTO no_such_table VALUES (1)")
    conn.rollback()
    assert not conn.in_transaction


@pytest.mark.parametrize(
    "kind", ["cut-response", "drop-response", "empty", "drop-request", "502", "internal"]
)
def test_lost_commit_sequence_keeps_exactly_the_committed_rows(
    quick: ConnFactory, observer: redshift_dataapi.Cursor, faults: FaultPlan, kind: str
) -> None:
    conn = quick(autocommit=False)
    conn.cursor().executemany(
        "INSERT INTO t VALUES (:a, :b)", [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]
    )
    faults.add(kind, operation="ExecuteStatement", match=sql_is("COMMIT"), limit=1)
    conn.commit()  # the answer is lost; the same ClientToken recovers it
    assert faults.injected(kind) == 1
    assert not conn.in_transaction
    _failing_transaction_then_rollback(conn)
    assert committed(observer) == [1, 2]


@pytest.mark.parametrize(("kind", "did_commit"), [("drop-response", True), ("drop-request", False)])
def test_a_commit_whose_outcome_stays_unknown_raises_and_leaves_no_stale_state(
    quick: ConnFactory,
    observer: redshift_dataapi.Cursor,
    faults: FaultPlan,
    kind: str,
    did_commit: bool,
) -> None:
    conn = quick(autocommit=False, max_retries=0)
    conn.cursor().execute("INSERT INTO t VALUES (1, 'x')")
    faults.add(kind, operation="ExecuteStatement", match=sql_is("COMMIT"), limit=1)
    with pytest.raises(redshift_dataapi.OperationalError, match="outcome of COMMIT is unknown"):
        conn.commit()
    assert not conn.in_transaction and conn.session_id is None
    _failing_transaction_then_rollback(conn)
    assert committed(observer) == ([1] if did_commit else [])


def test_commit_after_a_failed_statement_raises_and_commits_nothing(
    quick: ConnFactory, observer: redshift_dataapi.Cursor
) -> None:
    conn = quick(autocommit=False)
    cur = conn.cursor()
    cur.execute("INSERT INTO t VALUES (1, 'x')")
    with pytest.raises(redshift_dataapi.ProgrammingError):
        cur.execute("SELECT * FROM no_such_table")
    with pytest.raises(redshift_dataapi.OperationalError, match="nothing was committed"):
        conn.commit()
    assert committed(observer) == []
    # The connection is usable: the next transaction commits.
    cur.execute("INSERT INTO t VALUES (2, 'y')")
    conn.commit()
    assert committed(observer) == [2]


def test_a_result_under_lost_pages_is_whole(
    quick: ConnFactory, observer: redshift_dataapi.Cursor, faults: FaultPlan
) -> None:
    observer.executemany(
        "INSERT INTO t VALUES (:a, :b)", [{"a": i, "b": f"r{i}"} for i in range(2000)]
    )
    for kind in ("cut-response", "empty", "drop-response", "502"):
        faults.add(kind, 0.1, "GetStatementResult")
    faults.add("empty", 0.2, "ExecuteStatement")
    cur = quick(max_retries=10).cursor()
    rows = cur.execute("SELECT a, b FROM t ORDER BY a").fetchall()
    assert [row[0] for row in rows] == list(range(2000))
    assert cur.rowcount == 2000
    assert faults.injected() > 0


@pytest.mark.parametrize("autocommit", [True, False], ids=["autocommit", "transactional"])
def test_load_under_ten_percent_mixed_faults_loses_and_doubles_nothing(
    quick: ConnFactory, local_service: Any, autocommit: bool
) -> None:
    # The suite's small variant; bench/bench_faults.py pushes the full 10,000 rows.
    report = run_load(
        quick,
        mixed_faults(0.10, seed=3),
        local_service,
        rows=2000,
        chunk=25,
        autocommit=autocommit,
    )
    print(report.line())
    assert report.other_errors == []
    assert (report.lost, report.duplicated, report.half_applied) == (0, 0, 0)
    assert report.wrong_rowcounts == 0
    assert report.found == 2000
    assert sum(report.faults.values()) > 0
