"""The HTTP transport: bad requests never hurt the server; the AWS CLI works against it."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from redshift_dataapi.local import LocalDataAPI, LocalServer

pytestmark = pytest.mark.usefixtures("local_service")

HEADERS = {"Content-Type": "application/x-amz-json-1.1"}


@pytest.fixture
def address(http_endpoint: str) -> tuple[str, int]:
    parts = urlsplit(http_endpoint)
    assert parts.hostname and parts.port
    return parts.hostname, parts.port


def _post(
    address: tuple[str, int], body: bytes, headers: dict[str, str]
) -> tuple[int, dict[str, Any]]:
    connection = http.client.HTTPConnection(*address, timeout=30)
    try:
        connection.request("POST", "/", body=body, headers=headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


def _still_answers(address: tuple[str, int]) -> None:
    status, body = _post(
        address,
        json.dumps({"ClusterIdentifier": "c1", "Database": "dev"}).encode(),
        {**HEADERS, "X-Amz-Target": "RedshiftData.ListDatabases"},
    )
    assert status == 200
    assert "dev" in body["Databases"]


def test_raw_request_round_trip(address: tuple[str, int]) -> None:
    _still_answers(address)


def test_malformed_json(address: tuple[str, int]) -> None:
    status, body = _post(
        address,
        b'{"Sql": "SELECT 1",',
        {**HEADERS, "X-Amz-Target": "RedshiftData.ExecuteStatement"},
    )
    assert status == 400
    assert body["__type"] == "SerializationException"
    _still_answers(address)


def test_body_that_is_not_an_object(address: tuple[str, int]) -> None:
    status, body = _post(
        address, b"[1, 2]", {**HEADERS, "X-Amz-Target": "RedshiftData.ListSessions"}
    )
    assert status == 400
    assert body["__type"] == "SerializationException"


def test_unknown_target(address: tuple[str, int]) -> None:
    for target in ("RedshiftData.DropCluster", "DynamoDB_20120810.ListTables"):
        status, body = _post(address, b"{}", {**HEADERS, "X-Amz-Target": target})
        assert status == 400
        assert body["__type"] == "UnknownOperationException"
    status, body = _post(address, b"{}", HEADERS)
    assert body["__type"] == "UnknownOperationException"
    _still_answers(address)


def test_wrong_content_type(address: tuple[str, int]) -> None:
    status, body = _post(
        address,
        b"Sql=SELECT+1",
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Amz-Target": "RedshiftData.ListSessions",
        },
    )
    assert status == 415
    assert "Content-Type" in body["message"]
    _still_answers(address)


def test_validation_error_shape(address: tuple[str, int]) -> None:
    status, body = _post(
        address,
        json.dumps({"Sql": "SELECT 1", "Database": "dev"}).encode(),
        {**HEADERS, "X-Amz-Target": "RedshiftData.ExecuteStatement"},
    )
    assert status == 400
    assert body["__type"] == "ValidationException"
    assert "ClusterIdentifier" in body["message"]


def test_huge_body(address: tuple[str, int]) -> None:
    huge = b'{"Sql": "' + b"x" * (9 * 1024 * 1024) + b'"}'
    status, body = _post(
        address, huge, {**HEADERS, "X-Amz-Target": "RedshiftData.ExecuteStatement"}
    )
    assert status == 413
    assert body["__type"] == "RequestEntityTooLargeException"
    _still_answers(address)


def test_client_disconnects_mid_request(address: tuple[str, int]) -> None:
    for _ in range(3):
        with socket.create_connection(address, timeout=10) as raw:
            raw.sendall(
                b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n"
                b'X-Amz-Target: RedshiftData.ListSessions\r\nContent-Length: 1000\r\n\r\n{"Max'
            )
    with socket.create_connection(address, timeout=10) as raw:
        raw.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")  # headers never finished
    with socket.create_connection(address, timeout=10) as raw:
        raw.sendall(b"\x16\x03\x01garbage that is not HTTP\r\n\r\n")
        raw.recv(1024)
    _still_answers(address)


def test_get_is_refused(address: tuple[str, int]) -> None:
    connection = http.client.HTTPConnection(*address, timeout=10)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        assert response.status == 405
        assert json.loads(response.read())["__type"] == "UnknownOperationException"
    finally:
        connection.close()


def test_server_stops_and_frees_its_port(local_service: LocalDataAPI) -> None:
    server = LocalServer(local_service, port=0).start()
    port = server.port
    server.stop()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))


def _aws_cli() -> str | None:
    candidate = Path(sys.executable).with_name("aws")
    if candidate.exists():
        return str(candidate)
    return shutil.which("aws")


@pytest.fixture
def aws(http_endpoint: str, tmp_path: Path) -> Iterator[Any]:
    cli = _aws_cli()
    if cli is None:
        pytest.skip("the AWS CLI (package awscli) is not installed")
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_CONFIG_FILE": str(tmp_path / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
        "AWS_PAGER": "",
    }

    def call(*args: str) -> dict[str, Any]:
        done = subprocess.run(
            [cli, "redshift-data", *args, "--endpoint-url", http_endpoint, "--output", "json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if done.stdout.strip() else {}

    yield call


def test_aws_cli_walkthrough(aws: Any) -> None:
    submitted = aws(
        "execute-statement",
        "--cluster-identifier", "demo-cluster",
        "--database", "dev",
        "--db-user", "awsuser",
        "--sql", "SELECT :n::int * 2 AS doubled",
        "--parameters", "name=n,value=21",
        "--wait-time-seconds", "30",
    )  # fmt: skip
    assert submitted["Status"] == "FINISHED"
    assert submitted["DbUser"] == "awsuser"
    result = aws("get-statement-result", "--id", submitted["Id"])
    assert result["Records"] == [[{"longValue": 42}]]
