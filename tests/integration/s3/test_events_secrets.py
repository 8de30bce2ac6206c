"""WithEvent publishes to EventBridge (moto), and SecretArn resolves through Secrets Manager."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from redshift_dataapi.local.aws import AwsSettings
from tests.engines import make_service

from .helpers import ok, rows, run

TARGET = {"ClusterIdentifier": "local-cluster", "Database": "dev"}


@pytest.fixture
def queue(aws: AwsSettings) -> Iterator[tuple[Any, str]]:
    """An SQS queue that receives every aws.redshift-data event (via an EventBridge rule)."""
    import boto3

    from redshift_dataapi.local.aws import embedded_endpoint_url
    from redshift_dataapi.local.aws.embedded import EMBEDDED_CREDENTIALS

    sqs = boto3.client(
        "sqs", endpoint_url=embedded_endpoint_url(), region_name="us-east-1", **EMBEDDED_CREDENTIALS
    )
    events = aws.client("events")
    name = "rsdp-" + uuid.uuid4().hex[:12]
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    events.put_rule(
        Name=name,
        EventPattern=json.dumps(
            {
                "source": ["aws.redshift-data"],
                "detail-type": ["Redshift Data Statement Status Change"],
            }
        ),
    )
    events.put_targets(Rule=name, Targets=[{"Id": "queue", "Arn": arn}])
    yield sqs, url
    events.remove_targets(Rule=name, Ids=["queue"])
    events.delete_rule(Name=name)
    sqs.delete_queue(QueueUrl=url)


def _events(sqs: Any, url: str, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
    received: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while len(received) < count and time.monotonic() < deadline:
        answer = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for message in answer.get("Messages", []):
            received.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return received


def test_with_event_publishes_the_documented_event(
    dataapi_client: Any, queue: tuple[Any, str]
) -> None:
    sqs, url = queue
    finished = run(dataapi_client, "SELECT 1 AS one", WithEvent=True, StatementName="test.event")
    failed = run(dataapi_client, "SELECT * FROM missing_table", WithEvent=True)
    run(dataapi_client, "SELECT 2")  # without WithEvent: no event
    events = {e["detail"]["statementId"]: e for e in _events(sqs, url, 2)}
    assert set(events) == {finished["Id"], failed["Id"]}
    event = events[finished["Id"]]
    assert event["source"] == "aws.redshift-data"
    assert event["detail-type"] == "Redshift Data Statement Status Change"
    assert event["resources"] == ["arn:aws:redshift:us-east-1:123456789012:cluster:local-cluster"]
    detail = event["detail"]
    assert detail["state"] == "FINISHED"
    assert detail["statementName"] == "test.event"
    assert detail["rows"] == 1
    assert detail["redshiftQueryId"] == finished["RedshiftQueryId"]
    assert detail["principal"].startswith("arn:aws:iam::123456789012:")
    assert detail["expireAt"] - time.time() > 23 * 3600
    assert events[failed["Id"]]["detail"]["state"] == "FAILED"
    assert _events(sqs, url, 1, timeout=1.5) == []


def test_with_event_on_a_batch_publishes_one_event(
    dataapi_client: Any, queue: tuple[Any, str]
) -> None:
    sqs, url = queue
    response = dataapi_client.batch_execute_statement(
        Sqls=["CREATE TABLE ev (a INT)", "INSERT INTO ev VALUES (1), (2)"], WithEvent=True, **TARGET
    )
    from tests.integration.local.helpers import wait

    assert wait(dataapi_client, response["Id"])["Status"] == "FINISHED"
    (event,) = _events(sqs, url, 1)
    assert event["detail"]["statementId"] == response["Id"]
    assert event["detail"]["rows"] == 2


def test_without_an_event_bus_the_statement_still_runs(
    engine_spec: str, request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> None:
    from redshift_dataapi.local import inprocess_client

    service = make_service(engine_spec, request.node.nodeid, aws=AwsSettings(events="none"))
    try:
        client = inprocess_client(service)
        with caplog.at_level(logging.INFO, logger="redshift_dataapi.local.aws.events"):
            described = ok(client, "SELECT 1", WithEvent=True)
            # The completion hook runs just after the final status is visible.
            deadline = time.monotonic() + 30
            while "no event published" not in caplog.text and time.monotonic() < deadline:
                time.sleep(0.01)
        assert described["Status"] == "FINISHED"
        assert "no event published" in caplog.text
    finally:
        service.close()


def test_unreachable_event_bus_logs_and_never_fails(
    engine_spec: str, request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> None:
    from redshift_dataapi.local import inprocess_client

    dead = AwsSettings(events="http://127.0.0.1:9")  # nothing listens on the discard port
    service = make_service(engine_spec, request.node.nodeid, aws=dead)
    try:
        client = inprocess_client(service)
        with caplog.at_level(logging.WARNING, logger="redshift_dataapi.local.aws.events"):
            assert ok(client, "SELECT 1", WithEvent=True)["Status"] == "FINISHED"
            service.events.close()
            deadline = time.monotonic() + 30
            while "could not publish" not in caplog.text and time.monotonic() < deadline:
                time.sleep(0.1)
        assert "could not publish" in caplog.text
    finally:
        service.close()


@pytest.fixture
def secrets(aws: AwsSettings) -> Any:
    return aws.client("secretsmanager")


def _secret(secrets: Any, value: dict[str, Any]) -> str:
    name = "rsdp/" + uuid.uuid4().hex[:10]
    arn: str = secrets.create_secret(Name=name, SecretString=json.dumps(value))["ARN"]
    return arn


def test_secret_arn_runs_as_the_secrets_username(dataapi_client: Any, secrets: Any) -> None:
    arn = _secret(secrets, {"username": "analyst", "password": "pw", "engine": "redshift"})
    described = ok(dataapi_client, "SELECT 1", SecretArn=arn)
    assert described["SecretArn"] == arn
    assert rows(dataapi_client, "SELECT current_user", SecretArn=arn) in (
        [["analyst"]],
        [["duckdb"]],  # DuckDB has no users: it runs every statement the same
    )


def test_secret_db_cluster_identifier_must_match(dataapi_client: Any, secrets: Any) -> None:
    arn = _secret(
        secrets, {"username": "analyst", "password": "pw", "dbClusterIdentifier": "other-cluster"}
    )
    with pytest.raises(dataapi_client.exceptions.ValidationException, match="dbClusterIdentifier"):
        dataapi_client.execute_statement(Sql="SELECT 1", SecretArn=arn, **TARGET)
    matching = _secret(
        secrets, {"username": "analyst", "password": "pw", "dbClusterIdentifier": "local-cluster"}
    )
    assert ok(dataapi_client, "SELECT 1", SecretArn=matching)["Status"] == "FINISHED"


def test_missing_secret_is_the_services_error(dataapi_client: Any) -> None:
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:not-there-AbCdEf"
    with pytest.raises(
        dataapi_client.exceptions.ValidationException,
        match="Secrets Manager can't find the specified secret",
    ):
        dataapi_client.execute_statement(Sql="SELECT 1", SecretArn=arn, **TARGET)


def test_secret_without_username_is_refused(dataapi_client: Any, secrets: Any) -> None:
    arn = _secret(secrets, {"password": "pw"})
    with pytest.raises(
        dataapi_client.exceptions.ValidationException,
        match="username and password in secret cannot be empty",
    ):
        dataapi_client.execute_statement(Sql="SELECT 1", SecretArn=arn, **TARGET)


def test_the_json_file_is_an_offline_option(
    engine_spec: str, request: pytest.FixtureRequest, tmp_path: Any
) -> None:
    from redshift_dataapi.local import inprocess_client

    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:offline-AbCdEf"
    path = tmp_path / "secrets.json"
    path.write_text(json.dumps({arn: {"username": "offline_user", "password": "x"}}))
    service = make_service(
        engine_spec,
        request.node.nodeid,
        secrets=str(path),
        aws=AwsSettings(secretsmanager="none"),
    )
    try:
        client = inprocess_client(service)
        assert ok(client, "SELECT 1", SecretArn=arn)["Status"] == "FINISHED"
        assert service.context.secrets.user_for(None, arn) == "offline_user"
        other = "arn:aws:secretsmanager:us-east-1:123456789012:secret:by-name-XyZxYz"
        assert service.context.secrets.user_for(None, other) == "by-name"
    finally:
        service.close()
