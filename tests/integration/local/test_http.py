"""The HTTP transport: bad requests never hurt the server; the AWS CLI works against it."""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from redshift_dataapi.local import LocalDataAPI, LocalServer
from tests.aws_cli import aws_env, redshift_data
from tests.raw_http import post

pytestmark = pytest.mark.usefixtures("local_service")

HEADERS = {"Content-Type": "application/x-amz-json-1.1"}


@pytest.fixture
def address(http_endpoint: str) -> tuple[str, int]:
    parts = urlsplit(http_endpoint)
    assert parts.hostname and parts.port
    return parts.hostname, parts.port


def _still_answers(address: tuple[str, int]) -> None:
    status, body = post(
        address,
        json.dumps({"ClusterIdentifier": "c1", "Database": "dev"}).encode(),
        {**HEADERS, "X-Amz-Target": "RedshiftData.ListDatabases"},
    )
    assert status == 200
    assert "dev" in body["Databases"]


def test_raw_request_round_trip(address: tuple[str, int]) -> None:
    _still_answers(address)


def test_malformed_json(address: tuple[str, int]) -> None:
    status, body = post(
        address,
        b'{"Sql": "SELECT 1",',
        {**HEADERS, "X-Amz-Target": "RedshiftData.ExecuteStatement"},
    )
    assert status == 400
    assert body["__type"] == "SerializationException"
    _still_answers(address)


def test_body_that_is_not_an_object(address: tuple[str, int]) -> None:
    status, body = post(
        address, b"[1, 2]", {**HEADERS, "X-Amz-Target": "RedshiftData.ListSessions"}
    )
    assert status == 400
    assert body["__type"] == "SerializationException"


def test_unknown_target(address: tuple[str, int]) -> None:
    for target in ("RedshiftData.DropCluster", "DynamoDB_20120810.ListTables"):
        status, body = post(address, b"{}", {**HEADERS, "X-Amz-Target": target})
        assert status == 400
        assert body["__type"] == "UnknownOperationException"
    status, body = post(address, b"{}", HEADERS)
    assert body["__type"] == "UnknownOperationException"
    _still_answers(address)


def test_wrong_content_type(address: tuple[str, int]) -> None:
    status, body = post(
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
    status, body = post(
        address,
        json.dumps({"Sql": "SELECT 1", "Database": "dev"}).encode(),
        {**HEADERS, "X-Amz-Target": "RedshiftData.ExecuteStatement"},
    )
    assert status == 400
    assert body["__type"] == "ValidationException"
    assert "ClusterIdentifier" in body["message"]


def test_huge_body(address: tuple[str, int]) -> None:
    huge = b'{"Sql": "' + b"x" * (9 * 1024 * 1024) + b'"}'
    status, body = post(address, huge, {**HEADERS, "X-Amz-Target": "RedshiftData.ExecuteStatement"})
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


@pytest.fixture
def aws(http_endpoint: str, tmp_path: Path) -> Callable[..., dict[str, Any]]:
    return redshift_data(http_endpoint, aws_env(tmp_path, "eu-west-1"))


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
