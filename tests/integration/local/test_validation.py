"""Every request rule of the service: the model's constraints and the service's own rules.

Rules that botocore itself checks on the client (minimums, required members,
types) are sent to the service directly with ``handle`` (raw HTTP callers and
other SDKs skip botocore); the others go through both transports.  Validation
happens before any engine is involved, so one DuckDB-backed service serves the
whole module (the engine-specific behaviour is covered by the other modules).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from redshift_dataapi.local import LocalDataAPI, LocalServer, ServiceError, inprocess_client
from tests.engines import http_client

from .helpers import TARGET


@pytest.fixture(scope="module")
def service() -> Iterator[LocalDataAPI]:
    with LocalDataAPI("duckdb") as svc:
        yield svc


@pytest.fixture(scope="module")
def endpoint(service: LocalDataAPI) -> Iterator[str]:
    with LocalServer(service, port=0) as server:
        yield server.endpoint_url


@pytest.fixture(scope="module", params=["inprocess", "http"])
def client(request: pytest.FixtureRequest, service: LocalDataAPI) -> Any:
    if request.param == "inprocess":
        return inprocess_client(service)
    return http_client(request.getfixturevalue("endpoint"))


ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:analyst-AbCdEf"

# (operation, params, fragment of the ValidationException message), sendable by botocore.
CLIENT_CASES: list[tuple[str, dict[str, Any], str | None]] = [
    (
        "execute_statement",
        {"Sql": "SELECT 1", "Database": "dev"},
        "Either ClusterIdentifier or WorkgroupName",
    ),
    (
        "execute_statement",
        {"Sql": "SELECT 1", "Database": "dev", "ClusterIdentifier": "c1", "WorkgroupName": "wg1"},
        "not both",
    ),
    (
        "execute_statement",
        {"Sql": "SELECT 1", "Database": "dev", "WorkgroupName": "wg1", "DbUser": "bob"},
        "DbUser can only be used with ClusterIdentifier",
    ),
    (
        "execute_statement",
        {"Sql": "SELECT 1", "DbUser": "bob", "SecretArn": ARN, **TARGET},
        "either SecretArn or DbUser",
    ),
    (
        "execute_statement",
        {"Sql": "SELECT 1", "SessionId": str(uuid.uuid4()), "ClusterIdentifier": "c1"},
        "SessionId cannot be combined",
    ),
    (
        "execute_statement",
        {"Sql": "SELECT 1", "SessionId": str(uuid.uuid4())},
        "is invalid",
    ),
    (
        "execute_statement",
        {"Sql": "SELECT 1", "ClusterIdentifier": "c1"},
        "Database must be specified",
    ),
    (
        "execute_statement",
        {"Sql": "SELECT 1", "Database": "dev", "ClusterIdentifier": "Bad_Cluster"},
        "regular expression pattern",
    ),
    (
        "execute_statement",
        {"Sql": "SELECT 1", "Database": "dev", "ClusterIdentifier": "c" * 64},
        "length less than or equal to 63",
    ),
    (
        "execute_statement",
        {"Sql": "SELECT 1", "Database": "dev", "WorkgroupName": "Not_Valid"},
        "regular expression pattern",
    ),
    (
        "execute_statement",
        {"Sql": "SELECT 1", "WaitTimeSeconds": 31, **TARGET},
        "less than or equal to 30",
    ),
    (
        "execute_statement",
        {"Sql": "SELECT 1", "SessionKeepAliveSeconds": 86401, **TARGET},
        "less than or equal to 86400",
    ),
    ("execute_statement", {"Sql": "SELECT 1", "ResultFormat": "XML", **TARGET}, "enum value set"),
    ("execute_statement", {"Sql": "SELECT 1", "StatementName": "n" * 2049, **TARGET}, "2048"),
    ("execute_statement", {"Sql": "SELECT 1", "ClientToken": "t" * 65, **TARGET}, "64"),
    (
        "execute_statement",
        {"Sql": "SELECT :a", "Parameters": [{"name": "bad-name", "value": "1"}], **TARGET},
        "regular expression pattern",
    ),
    (
        "execute_statement",
        {"Sql": "SELECT :a", "Parameters": [{"name": "b", "value": "1"}], **TARGET},
        "no value in Parameters: :a",
    ),
    (
        "execute_statement",
        {
            "Sql": "SELECT :a",
            "Parameters": [{"name": "a", "value": "1"}, {"name": "extra", "value": "2"}],
            **TARGET,
        },
        "contains unused parameters. Unused parameters: [extra]",
    ),
    (
        "execute_statement",
        {
            "Sql": "SELECT :a",
            "Parameters": [{"name": "a", "value": "1"}, {"name": "a", "value": "2"}],
            **TARGET,
        },
        "more than once",
    ),
    ("execute_statement", {"Sql": "SELECT '" + "x" * (100 * 1024) + "'", **TARGET}, "100 KB"),
    ("execute_statement", {"Sql": "   ", **TARGET}, "must not be empty"),
    ("batch_execute_statement", {"Sqls": ["SELECT 1"] * 41, **TARGET}, "less than or equal to 40"),
    (
        "batch_execute_statement",
        {"Sqls": ["SELECT 1"], "ExecutionMode": "SOMETIMES", **TARGET},
        "enum value set",
    ),
    (
        "batch_execute_statement",
        {"Sqls": ["SELECT 1", "SELECT :x"], "Parameters": [{"name": "y", "value": "1"}], **TARGET},
        "Sqls[2] references parameters that have no value",
    ),
    ("describe_statement", {"Id": "not-a-statement-id"}, "regular expression pattern"),
    (
        "describe_statement",
        {"Id": str(uuid.uuid4()), "WaitTimeSeconds": 60},
        "less than or equal to 30",
    ),
    ("list_statements", {"Status": "DONE"}, "enum value set"),
    ("list_statements", {"MaxResults": 101}, "less than or equal to 100"),
    ("list_sessions", {"Status": "SLEEPING"}, "enum value set"),
    ("list_tables", {"MaxResults": 1001, **TARGET}, "less than or equal to 1000"),
    ("list_schemas", {"Database": "dev"}, "Either ClusterIdentifier or WorkgroupName"),
    ("list_databases", {"ClusterIdentifier": "c1", "WorkgroupName": "wg1"}, "not both"),
    (
        "describe_table",
        {"Database": "dev", "WorkgroupName": "wg1", "DbUser": "u"},
        "DbUser can only",
    ),
    ("get_statement_result", {"Id": str(uuid.uuid4()), "NextToken": "x"}, None),  # not found first
]


@pytest.mark.parametrize(
    ("operation", "params", "fragment"),
    CLIENT_CASES,
    ids=[f"{op}-{i}" for i, (op, _, _) in enumerate(CLIENT_CASES)],
)
def test_rule_through_client(
    client: Any, operation: str, params: dict[str, Any], fragment: str | None
) -> None:
    if fragment is None:
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            getattr(client, operation)(**params)
        return
    with pytest.raises(client.exceptions.ValidationException) as raised:
        getattr(client, operation)(**params)
    assert fragment in raised.value.response["Error"]["Message"]
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


# Rules botocore would already refuse on the client: sent straight to the service.
SERVICE_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("ExecuteStatement", {"Database": "dev", "ClusterIdentifier": "c1"}, "Value null at 'sql'"),
    (
        "ExecuteStatement",
        {"Sql": "SELECT 1", "WaitTimeSeconds": 0, **TARGET},
        "greater than or equal to 1",
    ),
    (
        "ExecuteStatement",
        {"Sql": "SELECT 1", "WaitTimeSeconds": "5", **TARGET},
        "must be an integer",
    ),
    (
        "ExecuteStatement",
        {"Sql": "SELECT 1", "SessionKeepAliveSeconds": -1, **TARGET},
        "greater than or equal to 0",
    ),
    (
        "ExecuteStatement",
        {"Sql": "SELECT :a", "Parameters": [{"name": "a", "value": ""}], **TARGET},
        "length greater than or equal to 1",
    ),
    (
        "ExecuteStatement",
        {"Sql": "SELECT 1", "Parameters": [], **TARGET},
        "length greater than or equal to 1",
    ),
    (
        "ExecuteStatement",
        {"Sql": "SELECT 1", "Unexpected": 1, **TARGET},
        "Unknown member 'Unexpected'",
    ),
    (
        "ExecuteStatement",
        {"Sql": "SELECT 1", "Database": "dev", "WorkgroupName": "ab"},
        "greater than or equal to 3",
    ),
    ("ExecuteStatement", {"Sql": "SELECT 1", "WithEvent": "yes", **TARGET}, "must be a boolean"),
    ("BatchExecuteStatement", {"Sqls": [], **TARGET}, "length greater than or equal to 1"),
    ("DescribeStatement", {}, "Value null at 'id'"),
    ("ListStatements", {"MaxResults": -1}, "greater than or equal to 0"),
]


@pytest.mark.parametrize(
    ("operation", "params", "fragment"),
    SERVICE_CASES,
    ids=[f"{op}-{i}" for i, (op, _, _) in enumerate(SERVICE_CASES)],
)
def test_rule_in_service(
    service: LocalDataAPI, operation: str, params: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(ServiceError) as raised:
        service.handle(operation, params)
    assert raised.value.code == "ValidationException"
    assert raised.value.http_status == 400
    assert fragment in raised.value.message


def test_unknown_operation(service: LocalDataAPI) -> None:
    with pytest.raises(ServiceError) as raised:
        service.handle("DropEverything", {})
    assert raised.value.code == "UnknownOperationException"


def test_session_rejects_other_database(client: Any) -> None:
    response = client.execute_statement(
        Sql="SELECT 1", SessionKeepAliveSeconds=30, WaitTimeSeconds=30, **TARGET
    )
    with pytest.raises(client.exceptions.ValidationException, match="session's database"):
        client.execute_statement(Sql="SELECT 1", SessionId=response["SessionId"], Database="other")
    # Naming the session's own database is fine.
    again = client.execute_statement(
        Sql="SELECT 1", SessionId=response["SessionId"], Database="dev", WaitTimeSeconds=30
    )
    assert again["Status"] == "FINISHED"


def test_invalid_next_token(client: Any) -> None:
    with pytest.raises(client.exceptions.ValidationException, match="NextToken"):
        client.list_statements(NextToken="garbage")
    with pytest.raises(client.exceptions.ValidationException, match="NextToken"):
        client.list_databases(NextToken="garbage", **TARGET)
