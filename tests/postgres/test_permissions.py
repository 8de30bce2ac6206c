"""Who may do what: Data API users run as PostgreSQL roles without superuser rights."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from redshift_dataapi.local.engines import EngineError
from redshift_dataapi.local.engines.postgres.engine import PostgresConnection, PostgresEngine

pytestmark = pytest.mark.postgres


@pytest.fixture
def alice(engine: PostgresEngine) -> Iterator[PostgresConnection]:
    connection = engine.connect("dev", "alice")
    try:
        yield connection
    finally:
        engine.release(connection)


@pytest.fixture
def bob(engine: PostgresEngine) -> Iterator[PostgresConnection]:
    connection = engine.connect("dev", "bob")
    try:
        yield connection
    finally:
        engine.release(connection)


def _denied(connection: PostgresConnection, sql: str) -> EngineError:
    with pytest.raises(EngineError) as failed:
        connection.execute(sql)
    assert failed.value.sqlstate == "42501", failed.value.message
    return failed.value


def test_a_user_runs_as_its_own_plain_role(alice: PostgresConnection) -> None:
    row = alice.execute(
        "SELECT current_user AS u, session_user AS s, rolsuper, rolcreatedb, rolcreaterole"
        " FROM pg_roles WHERE rolname = current_user"
    ).rows
    assert row == [("alice", "alice", False, False, False)]


def test_reset_role_cannot_reach_the_superuser(alice: PostgresConnection) -> None:
    alice.execute("RESET ROLE")
    assert alice.execute("SELECT current_user AS u").rows == [("alice",)]
    _denied(alice, "SET ROLE postgres")


def test_without_a_grant_another_user_can_neither_read_nor_write(
    alice: PostgresConnection, bob: PostgresConnection, table_name: str
) -> None:
    alice.execute(f"CREATE TABLE {table_name} (id INT, secret VARCHAR(20))")
    alice.execute(f"INSERT INTO {table_name} VALUES (1, 'alice only')")
    assert alice.execute(f"SELECT secret FROM {table_name}").rows == [("alice only",)]
    error = _denied(bob, f"SELECT * FROM {table_name}")
    assert error.message == f"ERROR: permission denied for table {table_name} (SQLSTATE 42501)"
    _denied(bob, f"INSERT INTO {table_name} VALUES (2, 'bob')")
    assert "must be owner" in _denied(bob, f"DROP TABLE {table_name}").message


def test_after_grant_select_the_other_user_reads_but_cannot_write(
    alice: PostgresConnection, bob: PostgresConnection, table_name: str
) -> None:
    alice.execute(f"CREATE TABLE {table_name} (id INT)")
    alice.execute(f"INSERT INTO {table_name} VALUES (7)")
    alice.execute(f"GRANT SELECT ON {table_name} TO bob")
    assert bob.execute(f"SELECT id FROM {table_name}").rows == [(7,)]
    _denied(bob, f"INSERT INTO {table_name} VALUES (8)")
    _denied(bob, f"UPDATE {table_name} SET id = 9")


def test_users_may_create_tables_in_public_but_not_databases_or_schemas(
    bob: PostgresConnection, table_name: str
) -> None:
    bob.execute(f"CREATE TABLE public.{table_name} (id INT)")
    assert bob.execute(f"SELECT count(*) FROM {table_name}").rows == [(0,)]
    _denied(bob, "CREATE DATABASE bobs_own")
    error = _denied(bob, f"CREATE SCHEMA {table_name}_bob")
    assert error.message == "ERROR: permission denied for database dev (SQLSTATE 42501)"


def test_listings_show_what_the_user_may_see(
    engine: PostgresEngine, conn: PostgresConnection, alice: PostgresConnection, table_name: str
) -> None:
    alice.execute(f"CREATE TABLE {table_name} (id INT)")
    conn.execute(f"CREATE SCHEMA {table_name}_private AUTHORIZATION alice")
    assert [t.name for t in engine.list_tables("dev", "public", table_name, user="bob")] == []
    assert engine.describe_table("dev", "public", table_name, user="bob") == []
    assert f"{table_name}_private" not in engine.list_schemas("dev", user="bob")
    assert f"{table_name}_private" in engine.list_schemas("dev", user="alice")
    alice.execute(f"GRANT SELECT ON {table_name} TO bob")
    assert [t.name for t in engine.list_tables("dev", "public", table_name, user="bob")] == [
        table_name
    ]
    columns = engine.describe_table("dev", "public", table_name, user="bob")
    assert [c.name for c in columns] == ["id"]


def test_the_superuser_sees_and_reads_everything(
    engine: PostgresEngine, conn: PostgresConnection, alice: PostgresConnection, table_name: str
) -> None:
    alice.execute(f"CREATE TABLE {table_name} (id INT)")
    assert conn.execute(f"SELECT count(*) FROM {table_name}").rows == [(0,)]
    assert [t.name for t in engine.list_tables("dev", "public", table_name)] == [table_name]


def test_a_role_that_exists_already_is_used_not_recreated(
    engine: PostgresEngine, conn: PostgresConnection
) -> None:
    conn.execute("DROP ROLE IF EXISTS carol_preexisting")
    conn.execute("CREATE ROLE carol_preexisting LOGIN")
    try:
        carol = engine.connect("dev", "carol_preexisting")
        try:
            assert carol.execute("SELECT current_user AS u").rows == [("carol_preexisting",)]
        finally:
            carol.close()
    finally:
        conn.execute("DROP OWNED BY carol_preexisting")
        conn.execute("DROP ROLE carol_preexisting")


def test_a_user_name_that_cannot_be_a_role_is_refused(engine: PostgresEngine) -> None:
    with pytest.raises(EngineError, match="longer than PostgreSQL's 63 bytes"):
        engine.connect("dev", "u" * 64)
