"""The HTTP endpoint under abuse: undecodable bodies, server bugs, bursts, stalls, exposure."""

from __future__ import annotations

import http.client
import json
import logging
import socket
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from redshift_dataapi.local import LocalDataAPI, LocalServer
from redshift_dataapi.local.transport import http as http_transport
from redshift_dataapi.local.transport.http import RemoteBindRefused, is_loopback
from tests.integration.cli.conftest import command, subprocess_env
from tests.local_serve import start_local_serve
from tests.raw_http import post

LIST_DATABASES = json.dumps({"ClusterIdentifier": "c1", "Database": "dev"}).encode()
HEADERS = {
    "Content-Type": "application/x-amz-json-1.1",
    "X-Amz-Target": "RedshiftData.ListDatabases",
}


@pytest.fixture(scope="module")
def service() -> Iterator[LocalDataAPI]:
    # The transport is the subject here, not the engine: DuckDB only.
    svc = LocalDataAPI("duckdb")
    yield svc
    svc.close()


@pytest.fixture
def server(service: LocalDataAPI) -> Iterator[LocalServer]:
    with LocalServer(service, port=0, idle_timeout=1.0) as srv:
        yield srv


def _address(server: LocalServer) -> tuple[str, int]:
    return "127.0.0.1", server.port


def _raw_request(body: bytes) -> bytes:
    head = (
        "POST / HTTP/1.1\r\nHost: local\r\n"
        + "".join(f"{name}: {value}\r\n" for name, value in HEADERS.items())
        + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def _read_all(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000,
        b'{"ClusterIdentifier": ' + b"[" * 100_000,
        b'{"ClusterIdentifier": ' + b'{"a": ' * 50_000,
        b'{"ClusterIdentifier": "c1", "Database": "\xff\xfe"}',
        b"\xc3\x28",
        b'{"ClusterIdentifier": "c1"',
        b"\x00\x01\x02",
    ],
    ids=["deep-list", "deep-member", "deep-object", "not-utf8", "bad-utf8", "truncated", "binary"],
)
def test_undecodable_body_gets_400_serialization(server: LocalServer, body: bytes) -> None:
    status, answer = post(_address(server), body, HEADERS)
    assert status == 400
    assert answer["__type"] == "SerializationException"
    assert post(_address(server), LIST_DATABASES, HEADERS) == (200, {"Databases": ["dev"]})


def test_server_bug_gets_500_json_not_a_dropped_socket(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("a bug in the transport")

    monkeypatch.setattr(http_transport, "answer", broken)
    status, answer = post(_address(server), LIST_DATABASES, HEADERS)
    assert status == 500
    assert answer["__type"] == "InternalServerException"
    assert "a bug in the transport" in answer["message"]
    monkeypatch.undo()
    assert post(_address(server), LIST_DATABASES, HEADERS)[0] == 200


def test_burst_of_1000_connections_gets_1000_answers(server: LocalServer) -> None:
    # Open every connection before sending anything: the server accepts slower
    # than a tight connect loop, so they wait in the listen backlog.  With
    # socketserver's default backlog of 5, 811 of 1,000 were lost here.
    request = _raw_request(LIST_DATABASES)
    sockets: list[socket.socket] = []
    failures: list[str] = []
    try:
        for _ in range(1000):
            sockets.append(socket.create_connection(_address(server), timeout=60))
        for sock in sockets:
            sock.sendall(request)
        for sock in sockets:
            try:
                answer = _read_all(sock)
            except OSError as exc:
                failures.append(repr(exc))
                continue
            if not answer.startswith(b"HTTP/1.1 200"):
                failures.append(repr(answer[:60]))
    finally:
        for sock in sockets:
            sock.close()
    assert failures == []


@pytest.mark.parametrize(
    "sent",
    [b"", b"POST / HTTP/1.1\r\nHost: local\r\n", _raw_request(LIST_DATABASES)[:-5]],
    ids=["idle", "partial-headers", "partial-body"],
)
def test_idle_and_partial_connections_are_closed(server: LocalServer, sent: bytes) -> None:
    with socket.create_connection(_address(server), timeout=30) as sock:
        sock.sendall(sent)
        # The server closes the connection after its idle_timeout (1 s here);
        # the client's own 30 s timeout only guards against a hang.
        assert _read_all(sock) == b""


def test_idle_keep_alive_connection_is_closed(server: LocalServer) -> None:
    connection = http.client.HTTPConnection(*_address(server), timeout=30)
    try:
        connection.request("POST", "/", body=LIST_DATABASES, headers=HEADERS)
        assert connection.getresponse().read() == b'{"Databases":["dev"]}'
        assert connection.sock is not None
        assert connection.sock.recv(1) == b""  # closed by the server, not by a timeout here
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("", False),
        ("192.0.2.10", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_remote_bind_is_refused_unless_allowed(
    service: LocalDataAPI, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(RemoteBindRefused, match="allow_remote"):
        LocalServer(service, host="0.0.0.0", port=0).start()
    with (
        caplog.at_level(logging.WARNING, logger=http_transport.__name__),
        LocalServer(service, host="0.0.0.0", port=0, allow_remote=True) as srv,
    ):
        assert post(_address(srv), LIST_DATABASES, HEADERS)[0] == 200
    assert "anyone who can reach it" in caplog.text


def _serve(*flags: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*command(), "local", "serve", "--port", "0", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=subprocess_env(),
    )


def test_local_serve_refuses_a_remote_bind_with_a_warning() -> None:
    process = _serve("--host", "0.0.0.0")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "WARNING: --host 0.0.0.0 is not loopback" in err
    assert "--allow-remote" in err
    assert "Traceback" not in err
    assert "Ctrl-C" not in out


def test_local_serve_allow_remote_serves_with_a_warning() -> None:
    process, url, _ = start_local_serve("--host", "0.0.0.0", "--allow-remote")
    try:
        # Served to the network: it answers on this machine's loopback too.
        host, port = url.removeprefix("http://").split(":")
        assert post((host, int(port)), LIST_DATABASES, HEADERS)[0] == 200
        process.terminate()
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "WARNING: --host 0.0.0.0 is not loopback" in err
