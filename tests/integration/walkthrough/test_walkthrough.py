"""The Data API walkthrough against ``redshift-dataapi local serve`` as a real process.

Driven twice: by the AWS CLI (``aws redshift-data ... --endpoint-url``) and by a
plain boto3 client, on each engine (``engine_spec``: DuckDB and PostgreSQL).
These are the steps users know from the Data API's launch material: create a
schema and a table with DISTKEY/SORTKEY, insert rows, query with a parameter,
describe the statement, fetch a result of several pages, list databases,
schemas and tables with patterns, describe the table, cancel a long-running
statement, list statements, a batch, a session with a temp table, and a CSV
result through get-statement-result-v2.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from redshift_dataapi._core.statuses import FINAL_STATUSES
from tests.aws_cli import aws_env, redshift_data, run_aws
from tests.local_serve import embedded_moto_url, local_serve

# Enough rows for several 1 MiB result pages.
PAGED_ROWS = 30_000
# Keeps either engine busy for minutes unless cancelled.
LONG_SQL = (
    "SELECT COUNT(*) FROM generate_series(1, 100000) a(i) "
    "CROSS JOIN generate_series(1, 100000) b(j) WHERE a.i * 7 + b.j * 13 = -5"
)
TABLE_DDL = (
    "CREATE TABLE {schema}.green_201601 (vendorid VARCHAR(4) ENCODE lzo, "
    "pickup_datetime TIMESTAMP, ratecode INT, trip_distance FLOAT4, total_amount FLOAT4) "
    "DISTKEY(vendorid) SORTKEY(pickup_datetime)"
)
INSERT = (
    "INSERT INTO {schema}.green_201601 VALUES "
    "('2', '2016-01-01 00:29:24', 1, 0.5, 4.3), ('2', '2016-01-01 00:19:39', 1, 7.2, 25.8), "
    "('1', '2016-01-01 01:04:00', 2, 18.4, 52.8), ('2', '2016-01-01 02:11:43', 5, 6.1, 31.0)"
)
QUERY = (
    "SELECT ratecode, COUNT(*) FROM {schema}.green_201601 "
    "WHERE trip_distance > :min_distance GROUP BY 1 ORDER BY 1"
)
# No DbUser: the walkthrough runs as the cluster's admin user, awsuser (the CLI runs
# name it with --db-user, as the Data API's walkthrough does, or with a secret of
# awsuser's); another DbUser is an ordinary user who needs grants.
TARGET = {"ClusterIdentifier": "demo-cluster", "Database": "dev"}
# The CLI's region; a secret made there has it in its ARN, where the endpoint reads it.
REGION = "us-west-2"


@pytest.fixture
def served(engine_spec: str) -> Iterator[tuple[str, str]]:
    """``local serve --engine <engine_spec>`` in a subprocess: its URL and embedded moto's."""
    with local_serve("--engine", engine_spec) as (url, banner):
        # A PostgreSQL password never shows in the banner.
        assert "***" in banner or ":" not in engine_spec.split("@")[0].split("//")[-1]
        yield url, embedded_moto_url(banner)


@pytest.fixture
def schema() -> str:
    # PostgreSQL runs share one server: a schema of their own keeps runs apart.
    return "demo_" + uuid.uuid4().hex[:8]


@pytest.fixture
def aws(served: tuple[str, str], tmp_path: Path) -> Callable[..., dict[str, Any]]:
    return redshift_data(served[0], aws_env(tmp_path, REGION))


@pytest.fixture(params=["db-user", "secret-arn"])
def admin(request: pytest.FixtureRequest, served: tuple[str, str], tmp_path: Path) -> list[str]:
    """The walkthrough's target as the cluster's admin: ``--db-user awsuser``, or a secret of it.

    The secret is made with ``aws secretsmanager create-secret`` on the embedded moto
    server, as a user makes one in the console; the endpoint reads it from there.
    """
    target = ["--cluster-identifier", "demo-cluster", "--database", "dev"]
    if request.param == "db-user":
        return [*target, "--db-user", "awsuser"]
    secret = json.dumps({"username": "awsuser", "password": "Demo-Admin-1"})
    done = run_aws(
        aws_env(tmp_path, REGION), "secretsmanager", "create-secret", "--name", "demo-admin",
        "--secret-string", secret, "--endpoint-url", served[1], "--output", "json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return [*target, "--secret-arn", json.loads(done.stdout)["ARN"]]


def _wait_cli(aws: Callable[..., dict[str, Any]], statement_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        described = aws("describe-statement", "--id", statement_id)
        if described["Status"] in FINAL_STATUSES or time.monotonic() > deadline:
            return described
        time.sleep(0.2)


def _ok_cli(aws: Callable[..., dict[str, Any]], *args: str) -> dict[str, Any]:
    submitted = aws("execute-statement", *args, "--wait-time-seconds", "30")
    described = _wait_cli(aws, submitted["Id"])
    assert described["Status"] == "FINISHED", described.get("Error")
    return described


def test_walkthrough_with_the_aws_cli(
    aws: Callable[..., dict[str, Any]], admin: list[str], schema: str
) -> None:
    target = admin
    _ok_cli(aws, *target, "--sql", f"CREATE SCHEMA {schema}")
    _ok_cli(aws, *target, "--sql", TABLE_DDL.format(schema=schema))
    inserted = _ok_cli(aws, *target, "--sql", INSERT.format(schema=schema))
    assert inserted["ResultRows"] == 4

    # The walkthrough query, with a parameter, submitted asynchronously.
    submitted = aws(
        "execute-statement",
        *target,
        "--sql",
        QUERY.format(schema=schema),
        "--parameters",
        "name=min_distance,value=5",
        "--statement-name",
        "walkthrough",
    )
    described = _wait_cli(aws, submitted["Id"])
    assert described["Status"] == "FINISHED"
    assert described["HasResultSet"] is True
    assert described["ResultRows"] == 3 and described["ResultSize"] > 0
    assert described["Duration"] > 0 and described["RedshiftQueryId"] > 0
    assert described["QueryParameters"] == [{"name": "min_distance", "value": "5"}]
    first = aws("get-statement-result", "--id", submitted["Id"])
    again = aws("get-statement-result", "--id", submitted["Id"])  # results are kept
    assert (
        first["Records"]
        == again["Records"]
        == [
            [{"longValue": 1}, {"longValue": 1}],
            [{"longValue": 2}, {"longValue": 1}],
            [{"longValue": 5}, {"longValue": 1}],
        ]
    )
    assert [c["typeName"] for c in first["ColumnMetadata"]] == ["int4", "int8"]

    # A result of several pages: one service page alone, then the CLI following NextToken.
    paged = _ok_cli(
        aws,
        *target,
        "--sql",
        f"SELECT i, 'row ' || CAST(i AS VARCHAR(12)) AS label "
        f"FROM generate_series(1, {PAGED_ROWS}) t(i) ORDER BY i",
    )
    one_page = aws("get-statement-result", "--id", paged["Id"], "--no-paginate")
    assert "NextToken" in one_page and 0 < len(one_page["Records"]) < PAGED_ROWS
    everything = aws("get-statement-result", "--id", paged["Id"])
    assert len(everything["Records"]) == PAGED_ROWS == everything["TotalNumRows"]
    assert everything["Records"][-1][0] == {"longValue": PAGED_ROWS}

    # Listings with patterns, and the table's columns.
    assert "dev" in aws("list-databases", *target)["Databases"]
    # An escaped underscore and this run's own prefix (other runs' schemas share the server).
    pattern = f"demo\\_{schema[5:9]}%"
    assert aws("list-schemas", *target, "--schema-pattern", pattern)["Schemas"] == [schema]
    tables = aws("list-tables", *target, "--schema-pattern", schema, "--table-pattern", "green%")
    assert [(t["schema"], t["name"], t["type"]) for t in tables["Tables"]] == [
        (schema, "green_201601", "TABLE")
    ]
    columns = aws("describe-table", *target, "--schema", schema, "--table", "green_201601")
    assert [(c["name"], c["typeName"]) for c in columns["ColumnList"]] == [
        ("vendorid", "varchar"),
        ("pickup_datetime", "timestamp"),
        ("ratecode", "int4"),
        ("trip_distance", "float4"),
        ("total_amount", "float4"),
    ]
    assert columns["ColumnList"][0]["length"] == 4

    # Cancel a long-running statement.
    running = aws("execute-statement", *target, "--sql", LONG_SQL)
    deadline = time.monotonic() + 30
    while aws("describe-statement", "--id", running["Id"])["Status"] != "STARTED":
        assert time.monotonic() < deadline, "the long statement never started"
        time.sleep(0.1)
    assert aws("cancel-statement", "--id", running["Id"])["Status"] is True
    assert _wait_cli(aws, running["Id"])["Status"] == "ABORTED"

    # list-statements: newest first, filtered by name.
    named = aws("list-statements", "--statement-name", "walkthrough")["Statements"]
    assert [s["Id"] for s in named] == [submitted["Id"]]

    # A batch: one transaction, sub-statements describable.
    batch = aws(
        "batch-execute-statement",
        *target,
        "--sqls",
        f"INSERT INTO {schema}.green_201601 (vendorid, ratecode) VALUES ('1', 6)",
        f"UPDATE {schema}.green_201601 SET total_amount = 0 WHERE ratecode = 6",
    )
    batch_described = _wait_cli(aws, batch["Id"])
    assert batch_described["Status"] == "FINISHED"
    assert [s["Id"] for s in batch_described["SubStatements"]] == [
        batch["Id"] + ":1",
        batch["Id"] + ":2",
    ]

    # A session keeps a temp table between calls.
    opened = aws(
        "execute-statement",
        *target,
        "--session-keep-alive-seconds",
        "60",
        "--sql",
        "CREATE TEMP TABLE scratch (n INT)",
        "--wait-time-seconds",
        "30",
    )
    session = opened["SessionId"]
    aws(
        "execute-statement",
        "--session-id",
        session,
        "--sql",
        "INSERT INTO scratch VALUES (41), (1)",
        "--wait-time-seconds",
        "30",
    )
    summed = aws(
        "execute-statement",
        "--session-id",
        session,
        "--sql",
        "SELECT SUM(n) FROM scratch",
        "--wait-time-seconds",
        "30",
    )
    assert _wait_cli(aws, summed["Id"])["Status"] == "FINISHED"
    assert aws("get-statement-result", "--id", summed["Id"])["Records"][0][0] == {"longValue": 42}
    assert any(s["SessionId"] == session for s in aws("list-sessions")["Sessions"])

    # CSV through get-statement-result-v2.
    csv_statement = _ok_cli(
        aws,
        *target,
        "--result-format",
        "CSV",
        "--sql",
        f"SELECT vendorid, ratecode FROM {schema}.green_201601 "
        "WHERE ratecode IN (2, 5) ORDER BY ratecode",
    )
    csv_result = aws("get-statement-result-v2", "--id", csv_statement["Id"])
    assert csv_result["ResultFormat"] == "CSV"
    assert "".join(r["CSVRecords"] for r in csv_result["Records"]) == "1,2\n2,5\n"


def test_walkthrough_with_boto3(served: tuple[str, str], schema: str) -> None:
    client = boto3.client(
        "redshift-data",
        endpoint_url=served[0],
        region_name="eu-central-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )

    def ok(sql: str, **extra: Any) -> dict[str, Any]:
        submitted = client.execute_statement(Sql=sql, WaitTimeSeconds=30, **TARGET, **extra)
        described = client.describe_statement(Id=submitted["Id"], WaitTimeSeconds=30)
        assert described["Status"] == "FINISHED", described.get("Error")
        return described

    ok(f"CREATE SCHEMA {schema}")
    ok(TABLE_DDL.format(schema=schema))
    ok(INSERT.format(schema=schema))
    query = ok(QUERY.format(schema=schema), Parameters=[{"name": "min_distance", "value": "5"}])
    records = client.get_statement_result(Id=query["Id"])["Records"]
    assert [[f["longValue"] for f in row] for row in records] == [[1, 1], [2, 1], [5, 1]]

    paged = ok(
        f"SELECT i, 'row ' || CAST(i AS VARCHAR(12)) AS label "
        f"FROM generate_series(1, {PAGED_ROWS}) t(i) ORDER BY i"
    )
    pages = list(client.get_paginator("get_statement_result").paginate(Id=paged["Id"]))
    assert len(pages) > 1
    assert sum(len(p["Records"]) for p in pages) == PAGED_ROWS

    listed = client.list_tables(SchemaPattern=schema, TablePattern="green%", **TARGET)
    assert [t["name"] for t in listed["Tables"]] == ["green_201601"]
