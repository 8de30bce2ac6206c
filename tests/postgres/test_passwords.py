"""Users on a server that checks passwords: roles get passwords only the engine knows.

A second throwaway cluster, with SCRAM authentication on TCP, stands in for
a PostgreSQL the user brings (a DSN with a password).
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from redshift_dataapi.local.engines import EngineError, create_engine
from redshift_dataapi.local.engines.postgres.engine import PostgresEngine
from tests import pg_server

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def password_dsn() -> Iterator[str]:
    bindir = pg_server.find_postgres_bindir()
    if bindir is None:
        pg_server.unavailable(
            "no initdb/pg_ctl for a password-checking cluster: " + pg_server.HOW_TO_GET_ONE
        )
    with pg_server.throwaway_cluster(bindir, password="s3cret/pw") as dsn:
        yield dsn


@pytest.fixture
def engine(password_dsn: str) -> Iterator[PostgresEngine]:
    made = create_engine(password_dsn, database_prefix="pw_", drop_on_close=True)
    assert isinstance(made, PostgresEngine)
    try:
        yield made
    finally:
        made.close()


def test_the_server_really_checks_passwords(password_dsn: str) -> None:
    wrong = password_dsn.replace("s3cret%2Fpw", "wrong")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(wrong, connect_timeout=5)


def test_a_new_user_gets_a_role_with_a_password_and_runs_as_it(
    engine: PostgresEngine, password_dsn: str
) -> None:
    alice = engine.connect("dev", "alice")
    try:
        assert alice.execute("SELECT current_user AS u").rows == [("alice",)]
        alice.execute("CREATE TABLE mine (id INT)")
    finally:
        engine.release(alice)
    with psycopg.connect(password_dsn, autocommit=True) as admin:
        row = admin.execute(
            "SELECT rolpassword LIKE 'SCRAM-SHA-256$%%' FROM pg_authid WHERE rolname = 'alice'"
        ).fetchone()
    assert row == (True,), "alice has a password; without it she could not log in over TCP"


def test_a_managed_role_whose_password_changed_is_given_it_again(
    engine: PostgresEngine, password_dsn: str
) -> None:
    engine.release(engine.connect("dev", "bob"))
    with psycopg.connect(password_dsn, autocommit=True) as admin:
        admin.execute("ALTER ROLE bob PASSWORD 'changed-elsewhere'")
    fresh = create_engine(password_dsn, database_prefix="pw_")
    try:
        bob = fresh.connect("dev", "bob")
        try:
            assert bob.execute("SELECT current_user AS u").rows == [("bob",)]
        finally:
            bob.close()
    finally:
        fresh.close()


def test_the_password_of_a_role_the_engine_did_not_create_is_never_changed(
    engine: PostgresEngine, password_dsn: str
) -> None:
    with psycopg.connect(password_dsn, autocommit=True) as admin:
        admin.execute("DROP ROLE IF EXISTS dave")
        admin.execute("CREATE ROLE dave LOGIN PASSWORD 'daves-own'")
    with pytest.raises(EngineError) as failed:
        engine.connect("dev", "dave")
    assert failed.value.sqlstate == "28P01"
    assert "was not created by the local endpoint" in failed.value.message
    with psycopg.connect(
        password_dsn.replace("postgres:s3cret%2Fpw@", "dave:daves-own@"), connect_timeout=5
    ) as dave:
        assert dave.execute("SELECT current_user").fetchone() == ("dave",)
