"""Transactions and executemany against the local endpoint's real sessions."""

from __future__ import annotations

from typing import Any

import pytest

import redshift_dataapi

from .conftest import ConnFactory


def count(cur: redshift_dataapi.Cursor, table: str = "t") -> int:
    row = cur.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture
def observer(connect: ConnFactory) -> redshift_dataapi.Cursor:
    """An autocommit cursor that sees only committed work; creates table t."""
    cur = connect().cursor()
    cur.execute("CREATE TABLE t (a INT PRIMARY KEY, b VARCHAR(20))")
    return cur


def test_commit_makes_work_visible_and_rollback_undoes_it(
    connect: ConnFactory, observer: redshift_dataapi.Cursor
) -> None:
    conn = connect(autocommit=False)
    cur = conn.cursor()
    cur.execute("INSERT INTO t VALUES (1, 'one')")
    assert conn.in_transaction and conn.session_id
    assert count(observer) == 0
    assert count(cur) == 1  # the transaction sees its own work
    conn.commit()
    assert count(observer) == 1
    cur.execute("INSERT INTO t VALUES (2, 'two')")
    conn.rollback()
    assert count(observer) == 1
    assert count(cur) == 1


def test_close_without_commit_leaves_nothing_behind(
    connect: ConnFactory, observer: redshift_dataapi.Cursor
) -> None:
    conn = connect(autocommit=False)
    conn.cursor().execute("INSERT INTO t VALUES (1, 'one')")
    conn.close()
    assert count(observer) == 0


def test_context_manager_commits_on_success_and_rolls_back_on_error(
    connect: ConnFactory, observer: redshift_dataapi.Cursor
) -> None:
    with connect(autocommit=False) as conn:
        conn.cursor().execute("INSERT INTO t VALUES (1, 'one')")
    assert count(observer) == 1
    with pytest.raises(ZeroDivisionError), connect(autocommit=False) as conn:
        conn.cursor().execute("INSERT INTO t VALUES (2, 'two')")
        raise ZeroDivisionError
    assert count(observer) == 1


def test_nothing_pending_and_never_used_cost_no_call(
    connect: ConnFactory, local_service: Any
) -> None:
    before = local_service.calls.copy()
    conn = connect(autocommit=False)
    conn.cursor()
    conn.commit()
    conn.rollback()
    conn.close()
    assert local_service.calls == before


def test_transaction_costs_begin_and_commit_only(
    connect: ConnFactory, local_service: Any, observer: redshift_dataapi.Cursor
) -> None:
    conn = connect(autocommit=False)
    cur = conn.cursor()
    before = local_service.calls.copy()
    cur.execute("INSERT INTO t VALUES (1, 'one')")
    cur.execute("INSERT INTO t VALUES (2, 'two')")
    conn.commit()
    assert dict(local_service.calls - before) == {"ExecuteStatement": 4}


def test_temp_tables_survive_between_statements_and_transactions(connect: ConnFactory) -> None:
    conn = connect(autocommit=False)
    cur = conn.cursor()
    cur.execute("CREATE TEMP TABLE scratch (x INT)")
    cur.execute("INSERT INTO scratch VALUES (1)")
    conn.commit()
    cur.execute("INSERT INTO scratch VALUES (2)")
    assert count(cur, "scratch") == 2
    conn.commit()


def test_failed_statement_inside_a_transaction_needs_rollback(
    connect: ConnFactory, observer: redshift_dataapi.Cursor
) -> None:
    conn = connect(autocommit=False)
    cur = conn.cursor()
    cur.execute("INSERT INTO t VALUES (1, 'one')")
    with pytest.raises(redshift_dataapi.DatabaseError):
        cur.execute("SELECT * FROM missing_table")
    conn.rollback()
    assert count(observer) == 0
    cur.execute("INSERT INTO t VALUES (5, 'five')")
    conn.commit()
    assert count(observer) == 1


def test_lost_session_raises_and_never_commits_half(
    connect: ConnFactory, local_service: Any, observer: redshift_dataapi.Cursor
) -> None:
    conn = connect(autocommit=False)
    cur = conn.cursor()
    cur.execute("INSERT INTO t VALUES (1, 'one')")
    # The service closes the idle session, as its keep-alive expiry does.
    assert conn.session_id is not None
    local_service.sessions.get(conn.session_id).close()
    with pytest.raises(redshift_dataapi.OperationalError, match="session"):
        cur.execute("INSERT INTO t VALUES (2, 'two')")
    with pytest.raises(redshift_dataapi.OperationalError):
        cur.execute("INSERT INTO t VALUES (3, 'three')")
    conn.rollback()
    assert count(observer) == 0
    cur.execute("INSERT INTO t VALUES (4, 'four')")  # a fresh transaction, new session
    conn.commit()
    assert count(observer) == 1


def test_executemany_insert_is_few_calls_and_counts_rows(
    connect: ConnFactory, local_service: Any, observer: redshift_dataapi.Cursor
) -> None:
    cur = connect().cursor()
    rows = [
        {"a": i, "b": None if i % 7 == 0 else ("" if i % 5 == 0 else f"v{i}")} for i in range(500)
    ]
    before = local_service.calls.copy()
    cur.executemany("INSERT INTO t (a, b) VALUES (:a, :b)", rows)
    spent = local_service.calls - before
    assert cur.rowcount == 500
    assert sum(spent.values()) <= 5
    got = observer.execute("SELECT a, b FROM t ORDER BY a").fetchall()
    assert got == [(r["a"], r["b"]) for r in rows]


def test_executemany_other_statements_use_batches(
    connect: ConnFactory, local_service: Any, observer: redshift_dataapi.Cursor
) -> None:
    cur = connect().cursor()
    cur.executemany("INSERT INTO t (a, b) VALUES (:a, 'x')", [{"a": i} for i in range(50)])
    before = local_service.calls.copy()
    cur.executemany("UPDATE t SET b = :b WHERE a = :a", [{"a": i, "b": f"u{i}"} for i in range(45)])
    spent = local_service.calls - before
    assert spent["BatchExecuteStatement"] == 2
    assert spent["ExecuteStatement"] == 0
    assert cur.rowcount == 45
    assert observer.execute("SELECT b FROM t WHERE a = 44").fetchone() == ("u44",)
    assert observer.execute("SELECT b FROM t WHERE a = 45").fetchone() == ("x",)


def test_executemany_is_atomic_in_a_transaction(
    connect: ConnFactory, observer: redshift_dataapi.Cursor
) -> None:
    conn = connect(autocommit=False)
    cur = conn.cursor()
    cur.execute("INSERT INTO t VALUES (100, 'before')")
    with pytest.raises(redshift_dataapi.DatabaseError):
        cur.executemany(
            "UPDATE t SET b = :b WHERE a = :a / 0", [{"a": 100, "b": "x"}, {"a": 100, "b": "y"}]
        )
    conn.rollback()
    assert count(observer) == 0
    cur.executemany("INSERT INTO t (a, b) VALUES (:a, :b)", [{"a": i, "b": "z"} for i in range(3)])
    assert count(observer) == 0
    conn.commit()
    assert count(observer) == 3


def test_batched_executemany_runs_inside_the_open_transaction(
    connect: ConnFactory, observer: redshift_dataapi.Cursor
) -> None:
    observer.executemany("INSERT INTO t (a, b) VALUES (:a, 'x')", [{"a": i} for i in range(3)])
    conn = connect(autocommit=False)
    cur = conn.cursor()
    cur.executemany("UPDATE t SET b = :b WHERE a = :a", [{"a": i, "b": "y"} for i in range(3)])
    assert cur.rowcount == 3
    assert observer.execute("SELECT DISTINCT b FROM t").fetchall() == [("x",)]
    conn.rollback()
    assert observer.execute("SELECT DISTINCT b FROM t").fetchall() == [("x",)]
    cur.executemany("UPDATE t SET b = :b WHERE a = :a", [{"a": i, "b": "y"} for i in range(3)])
    conn.commit()
    assert observer.execute("SELECT DISTINCT b FROM t").fetchall() == [("y",)]


def test_submitted_statement_in_a_transaction_is_waited_for_by_the_next_one(
    connect: ConnFactory, observer: redshift_dataapi.Cursor
) -> None:
    conn = connect(autocommit=False)
    first = conn.cursor()
    statement_id = first.submit("INSERT INTO t VALUES (1, 'bg')")
    conn.cursor().execute("INSERT INTO t VALUES (2, 'fg')")  # would be refused as busy
    conn.commit()
    assert count(observer) == 2
    assert first.attach(statement_id).rowcount == 1
