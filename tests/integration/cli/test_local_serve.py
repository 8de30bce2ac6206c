"""``redshift-dataapi local serve`` as a real process: start, answer, stop on a signal."""

from __future__ import annotations

import signal
import subprocess
from typing import Any

import pytest

from tests.engines import http_client as _client
from tests.integration.cli.conftest import command, subprocess_env
from tests.local_serve import local_serve
from tests.local_serve import start_local_serve as _start


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serves_requests_until_a_signal_then_exits_0(stop_signal: signal.Signals) -> None:
    process, url, banner = _start("--retention-seconds", "3600")
    try:
        client = _client(url)
        response = client.execute_statement(
            Sql="SELECT 1", ClusterIdentifier="local", Database="dev", WaitTimeSeconds=10
        )
        result = client.get_statement_result(Id=response["Id"])
        assert result["Records"] == [[{"longValue": 1}]]
        process.send_signal(stop_signal)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert "redshift-dataapi query --endpoint-url " + url in banner  # an example to try
    assert out == ""


def test_engine_file_keeps_data_between_runs(tmp_path: Any) -> None:
    spec = f"duckdb:{tmp_path / 'local.duckdb'}"
    for sql, expect in [("CREATE TABLE kept (x INT)", False), ("SELECT COUNT(*) FROM kept", True)]:
        with local_serve("--engine", spec) as (url, _):
            client = _client(url)
            response = client.execute_statement(
                Sql=sql, ClusterIdentifier="local", Database="dev", WaitTimeSeconds=10
            )
            described = client.describe_statement(Id=response["Id"], WaitTimeSeconds=10)
            assert described["Status"] == "FINISHED", described
            assert described["HasResultSet"] is expect


def test_port_in_use_is_one_line() -> None:
    process, url, _ = _start()
    try:
        port = url.rsplit(":", 1)[1]
        done = subprocess.run(
            [*command(), "local", "serve", "--port", port],
            capture_output=True,
            text=True,
            env=subprocess_env(),
            timeout=60,
        )
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [done.stderr.strip()]
    assert done.stderr.startswith(f"redshift-dataapi: error: cannot listen on 127.0.0.1:{port}")
