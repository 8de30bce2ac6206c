"""One retry layer: a failing call is retried by the driver only, never by botocore as well.

The endpoint here is a plain HTTP server that answers every request with the
service's InternalServerException (HTTP 500), which both the driver and
botocore's standard retry mode consider transient.  With botocore's retries
on under the driver's, each of the driver's attempts would be 3 requests.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from redshift_dataapi._core.settings import env_name
from redshift_dataapi.cli import app as cli

MAX_RETRIES = 2


class FailingEndpoint(ThreadingHTTPServer):
    """Counts the requests it fails."""

    requests = 0


class _Fail(BaseHTTPRequestHandler):
    server: FailingEndpoint

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.requests += 1
        body = json.dumps(
            {"__type": "InternalServerException", "message": "down for the test"}
        ).encode()
        self.send_response(500)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def failing() -> Iterator[FailingEndpoint]:
    server = FailingEndpoint(("127.0.0.1", 0), _Fail)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    "argv",
    [
        ["query", "SELECT 1"],
        ["query", "--id", "00000000-0000-4000-8000-000000000000"],
        ["list-databases"],
        ["execute-statement", "--sql", "SELECT 1"],
        ["describe-statement", "--id", "00000000-0000-4000-8000-000000000000"],
    ],
)
def test_a_failing_call_is_sent_max_retries_plus_one_times(
    failing: FailingEndpoint,
    argv: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(env_name("max_retries"), str(MAX_RETRIES))
    url = f"http://127.0.0.1:{failing.server_address[1]}"
    status = cli.main([*argv, "--endpoint-url", url])
    _, err = capsys.readouterr()
    assert status == 1
    assert "InternalServerException" in err and "down for the test" in err
    assert failing.requests == MAX_RETRIES + 1
