"""Users as on Redshift: the admin user owns the database, other users need GRANTs.

Through real boto3 clients on both engines.  PostgreSQL enforces the grants;
DuckDB has no roles, so there every user may do what the admin may (the
documented difference): the tests say which engine they expect what from.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from tests.integration.local.helpers import TARGET, ok, rows, run

ADMIN_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:admin-AbCdEf"


def _name(prefix: str) -> str:
    # Roles are cluster-wide on PostgreSQL: a name of its own per test run.
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def _is_postgres(engine_spec: str) -> bool:
    return engine_spec.startswith("postgres")


def test_without_db_user_statements_run_as_the_admin_awsuser(any_client: Any) -> None:
    assert rows(any_client, "SELECT current_user") == [["awsuser"]]
    schema = _name("owned")
    ok(any_client, f"CREATE SCHEMA {schema}")
    ok(any_client, f"CREATE TABLE {schema}.t (id INT)")
    assert [s for s in any_client.list_schemas(**TARGET)["Schemas"] if s == schema] == [schema]


def test_the_admin_named_as_db_user_creates_schemas(dataapi_client: Any) -> None:
    schema = _name("admin")
    as_admin = {"DbUser": "awsuser"}
    assert rows(dataapi_client, "SELECT current_user", **as_admin) == [["awsuser"]]
    ok(dataapi_client, f"CREATE SCHEMA {schema}", **as_admin)
    ok(dataapi_client, f"CREATE TABLE {schema}.t (id INT)", **as_admin)
    ok(dataapi_client, f"INSERT INTO {schema}.t VALUES (1), (2)", **as_admin)
    assert rows(dataapi_client, f"SELECT SUM(id) FROM {schema}.t", **as_admin) == [[3]]


def test_the_admin_user_is_a_setting(custom_client: Callable[..., Any]) -> None:
    client = custom_client(admin_user="master")
    assert rows(client, "SELECT current_user") == [["master"]]
    schema = _name("master")
    ok(client, f"CREATE SCHEMA {schema}", DbUser="master")


def test_a_secret_naming_the_admin_runs_as_the_admin(custom_client: Callable[..., Any]) -> None:
    client = custom_client(secrets={ADMIN_SECRET: {"username": "awsuser", "password": "Pw1"}})
    secret = {"SecretArn": ADMIN_SECRET}
    assert rows(client, "SELECT current_user", **secret) == [["awsuser"]]
    ok(client, f"CREATE SCHEMA {_name('secret')}", **secret)


def test_another_user_needs_a_grant_on_postgresql(dataapi_client: Any, engine_spec: str) -> None:
    user = _name("analyst")
    schema = _name("sales")
    ok(dataapi_client, f"CREATE SCHEMA {schema}")
    ok(dataapi_client, f"CREATE TABLE {schema}.orders (id INT, amount NUMERIC(10,2))")
    ok(dataapi_client, f"INSERT INTO {schema}.orders VALUES (1, 9.50)")
    analyst = {"DbUser": user}
    assert rows(dataapi_client, "SELECT current_user", **analyst) == [[user]]

    denied = run(dataapi_client, f"SELECT amount FROM {schema}.orders", **analyst)
    if _is_postgres(engine_spec):
        assert denied["Status"] == "FAILED"
        assert "permission denied" in denied["Error"] and "42501" in denied["Error"]
        failed = run(dataapi_client, f"CREATE SCHEMA {_name('mine')}", **analyst)
        assert failed["Status"] == "FAILED" and "42501" in failed["Error"]
    else:
        assert denied["Status"] == "FINISHED"  # DuckDB records grants, enforces none

    ok(dataapi_client, f"GRANT USAGE ON SCHEMA {schema} TO {user}")
    ok(dataapi_client, f"GRANT SELECT ON {schema}.orders TO {user}")
    assert rows(dataapi_client, f"SELECT amount FROM {schema}.orders", **analyst) == [["9.50"]]

    ok(dataapi_client, f"REVOKE SELECT ON {schema}.orders FROM {user}")
    revoked = run(dataapi_client, f"SELECT amount FROM {schema}.orders", **analyst)
    assert revoked["Status"] == ("FAILED" if _is_postgres(engine_spec) else "FINISHED")


def test_the_admin_reads_and_writes_what_other_users_made(dataapi_client: Any) -> None:
    user = _name("maker")
    table = _name("made")
    ok(dataapi_client, f"CREATE TABLE {table} (id INT)", DbUser=user)
    ok(dataapi_client, f"INSERT INTO {table} VALUES (7)", DbUser=user)
    ok(dataapi_client, f"INSERT INTO {table} VALUES (8)")  # as the admin, without a grant
    assert rows(dataapi_client, f"SELECT id FROM {table} ORDER BY id") == [[7], [8]]


def test_create_user_makes_a_user_requests_can_run_as(
    dataapi_client: Any, engine_spec: str
) -> None:
    user = _name("newbie")
    ok(dataapi_client, f"CREATE USER {user} PASSWORD 'Secret123' SYSLOG ACCESS RESTRICTED")
    assert rows(dataapi_client, "SELECT current_user", DbUser=user) == [[user]]
    if _is_postgres(engine_spec):
        listed = rows(dataapi_client, f"SELECT usename FROM pg_user WHERE usename = '{user}'")
        assert listed == [[user]]
        ok(dataapi_client, f"ALTER USER {user} CONNECTION LIMIT 5")
    ok(dataapi_client, f"DROP USER {user}")


def test_local_serve_admin_user_flag(engine_spec: str) -> None:
    from tests.engines import http_client
    from tests.local_serve import local_serve

    with local_serve("--engine", engine_spec, "--admin-user", "master") as (url, _):
        client = http_client(url)
        assert rows(client, "SELECT current_user") == [["master"]]
        ok(client, f"CREATE SCHEMA {_name('flag')}", DbUser="master")
