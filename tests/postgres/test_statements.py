"""Statements on the PostgreSQL engine: results, errors, transactions, sessions, cancel."""

from __future__ import annotations

import threading
import time

import pytest

from redshift_dataapi.local.engines import EngineError, StatementCancelled
from redshift_dataapi.local.engines.postgres.engine import PostgresConnection, PostgresEngine

pytestmark = pytest.mark.postgres


def test_ddl_dml_and_queries_report_result_sets_and_row_counts(
    conn: PostgresConnection, table_name: str
) -> None:
    created = conn.execute(f"CREATE TABLE {table_name} (id INT DISTKEY, v VARCHAR(8)) SORTKEY (id)")
    assert (created.columns, created.affected_rows) == (None, 0)
    inserted = conn.execute(f"INSERT INTO {table_name} VALUES (1, 'a'), (2, 'b'), (3, 'c')")
    assert (inserted.columns, inserted.affected_rows) == (None, 3)
    updated = conn.execute(f"UPDATE {table_name} SET v = 'z' WHERE id >= :id", {"id": "2"})
    assert (updated.columns, updated.affected_rows) == (None, 2)
    queried = conn.execute(f"SELECT id, v FROM {table_name} ORDER BY id")
    assert queried.rows == [(1, "a"), (2, "z"), (3, "z")]
    assert queried.affected_rows == 3
    empty = conn.execute(f"SELECT id FROM {table_name} WHERE id < 0")
    assert empty.columns is not None and [c.name for c in empty.columns] == ["id"]
    assert (empty.rows, empty.affected_rows) == ([], 0)
    deleted = conn.execute(f"DELETE FROM {table_name}")
    assert deleted.affected_rows == 3


def test_redshift_only_statements_are_accepted(conn: PostgresConnection, table_name: str) -> None:
    conn.execute(f"CREATE TABLE {table_name} (id INT ENCODE az64) DISTSTYLE KEY DISTKEY (id)")
    assert conn.execute(f"VACUUM {table_name}").columns is None
    assert conn.execute(f"ANALYZE {table_name}").columns is None
    assert conn.execute("SET query_group TO 'reports'").columns is None


@pytest.mark.parametrize(
    ("sql", "sqlstate", "words"),
    [
        (
            "SELECT * FROM no_such_table_anywhere",
            "42P01",
            'relation "no_such_table_anywhere" does not exist',
        ),
        ("SELECT 1 / 0", "22012", "division by zero"),
        ("SELEC 1", "42601", "syntax error"),
    ],
)
def test_errors_carry_postgresql_message_and_sqlstate(
    conn: PostgresConnection, sql: str, sqlstate: str, words: str
) -> None:
    with pytest.raises(EngineError) as failed:
        conn.execute(sql)
    assert not isinstance(failed.value, StatementCancelled)
    assert failed.value.sqlstate == sqlstate
    assert failed.value.message.startswith("ERROR: ")
    assert words in failed.value.message
    assert failed.value.message.endswith(f"(SQLSTATE {sqlstate})")


def test_unique_violation_is_23505_with_the_detail(
    conn: PostgresConnection, table_name: str
) -> None:
    # A unique index: Redshift's PRIMARY KEY / UNIQUE are informational (not enforced).
    conn.execute(f"CREATE TABLE {table_name} (id INT)")
    conn.execute(f"CREATE UNIQUE INDEX {table_name}_id ON {table_name} (id)")
    conn.execute(f"INSERT INTO {table_name} VALUES (1)")
    with pytest.raises(EngineError) as failed:
        conn.execute(f"INSERT INTO {table_name} VALUES (:id)", {"id": "1"})
    assert failed.value.sqlstate == "23505"
    assert "duplicate key value violates unique constraint" in failed.value.message
    assert "Key (id)=(1) already exists." in failed.value.message


def test_more_than_one_statement_is_refused(conn: PostgresConnection) -> None:
    with pytest.raises(EngineError) as failed:
        conn.execute("SELECT 1; SELECT 2")
    assert failed.value.sqlstate == "42601"
    assert "BatchExecuteStatement" in failed.value.message


def test_parameter_values_must_be_strings(conn: PostgresConnection) -> None:
    with pytest.raises(EngineError, match="parameter 'x' must be a string, not int"):
        conn.execute("SELECT :x", {"x": 1})  # type: ignore[dict-item]


def test_a_transaction_commits_or_rolls_back(engine: PostgresEngine, table_name: str) -> None:
    session = engine.connect("dev")
    other = engine.connect("dev")
    try:
        session.execute(f"CREATE TABLE {table_name} (id INT)")
        session.begin()
        assert session.in_transaction
        session.execute(f"INSERT INTO {table_name} VALUES (1)")
        assert other.execute(f"SELECT count(*) FROM {table_name}").rows == [(0,)]
        session.commit()
        assert not session.in_transaction
        assert other.execute(f"SELECT count(*) FROM {table_name}").rows == [(1,)]
        session.begin()
        session.execute(f"INSERT INTO {table_name} VALUES (2)")
        session.rollback()
        assert not session.in_transaction
        assert other.execute(f"SELECT count(*) FROM {table_name}").rows == [(1,)]
        session.rollback()  # nothing open: a no-op
    finally:
        session.close()
        engine.release(other)


def test_sql_begin_and_end_drive_the_session_transaction(engine: PostgresEngine) -> None:
    session = engine.connect("dev")
    try:
        session.execute("BEGIN")
        assert session.in_transaction
        with pytest.raises(EngineError):
            session.execute("SELECT 1 / 0")
        assert session.in_transaction, "a failed statement leaves the transaction open (aborted)"
        with pytest.raises(EngineError) as aborted:
            session.execute("SELECT 1")
        assert aborted.value.sqlstate == "25P02"
        session.execute("ROLLBACK")
        assert not session.in_transaction
        assert session.execute("SELECT 1 AS one").rows == [(1,)]
    finally:
        session.close()


def test_a_session_keeps_its_temp_tables_and_settings(engine: PostgresEngine) -> None:
    session = engine.connect("dev")
    try:
        session.execute("CREATE TEMP TABLE scratch (n INT)")
        session.execute("INSERT INTO scratch VALUES (1), (2)")
        session.execute("SET search_path TO pg_catalog, public")
        assert session.execute("SELECT sum(n) AS s FROM scratch").rows == [(3,)]
        assert session.execute("SHOW search_path").rows == [("pg_catalog, public",)]
    finally:
        session.close()


def test_pooled_statements_do_not_leak_state_to_the_next_one(engine: PostgresEngine) -> None:
    first = engine.connect("dev")
    pid = first.pid
    first.execute("CREATE TEMP TABLE leaked (n INT)")
    first.execute("SET search_path TO pg_catalog")
    engine.release(first)
    second = engine.connect("dev")
    try:
        assert second.pid == pid, "the pool hands the idle connection out again"
        assert second.execute("SHOW search_path").rows == [('"$user", public',)]
        with pytest.raises(EngineError) as failed:
            second.execute("SELECT * FROM leaked")
        assert failed.value.sqlstate == "42P01"
    finally:
        engine.release(second)


def _cancel_soon(connection: PostgresConnection, delay: float = 0.3) -> threading.Thread:
    def cancel() -> None:
        time.sleep(delay)
        connection.cancel()

    thread = threading.Thread(target=cancel)
    thread.start()
    return thread


def test_cancel_interrupts_a_running_statement(engine: PostgresEngine) -> None:
    connection = engine.connect("dev")
    try:
        canceller = _cancel_soon(connection)
        with pytest.raises(StatementCancelled) as cancelled:
            connection.execute("SELECT pg_sleep(30)")
        canceller.join()
        assert cancelled.value.sqlstate == "57014"
        assert "(SQLSTATE 57014)" in cancelled.value.message
        assert connection.execute("SELECT 2 AS two").rows == [(2,)], "the connection stays usable"
    finally:
        engine.release(connection)


def test_cancel_rolls_back_the_sessions_transaction(
    engine: PostgresEngine, table_name: str
) -> None:
    session = engine.connect("dev")
    try:
        session.execute(f"CREATE TABLE {table_name} (id INT)")
        session.begin()
        session.execute(f"INSERT INTO {table_name} VALUES (1)")
        canceller = _cancel_soon(session)
        with pytest.raises(StatementCancelled):
            session.execute("SELECT pg_sleep(30)")
        canceller.join()
        assert not session.in_transaction
        assert session.execute(f"SELECT count(*) FROM {table_name}").rows == [(0,)]
    finally:
        session.close()


def test_cancel_without_a_running_statement_does_nothing(conn: PostgresConnection) -> None:
    conn.cancel()
    assert conn.execute("SELECT 1 AS one").rows == [(1,)]


def test_a_statement_timeout_is_an_error_not_a_cancel(engine: PostgresEngine) -> None:
    session = engine.connect("dev")
    try:
        session.execute("SET statement_timeout = 50")
        with pytest.raises(EngineError) as failed:
            session.execute("SELECT pg_sleep(5)")
        assert not isinstance(failed.value, StatementCancelled)
        assert failed.value.sqlstate == "57014"
        assert "statement timeout" in failed.value.message
    finally:
        session.close()


def test_the_backend_pid_identifies_the_connection(engine: PostgresEngine) -> None:
    session = engine.connect("dev")
    try:
        assert session.execute("SELECT pg_backend_pid() AS pid").rows == [(session.pid,)]
    finally:
        session.close()
