"""Long polling (WaitTimeSeconds) and CancelStatement."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from redshift_dataapi._core.statuses import FINAL_STATUSES
from redshift_dataapi.local.runtime.clock import ManualClock

from .helpers import LONG_SQL, TARGET, ok, rows, wait, wait_started

pytestmark = pytest.mark.usefixtures("local_service")


def test_wait_returns_when_the_statement_ends(any_client: Any) -> None:
    submitted = any_client.execute_statement(Sql=LONG_SQL, **TARGET)
    wait_started(any_client, submitted["Id"])
    canceller = threading.Timer(0.5, any_client.cancel_statement, kwargs={"Id": submitted["Id"]})
    canceller.start()
    started = time.monotonic()
    described = any_client.describe_statement(Id=submitted["Id"], WaitTimeSeconds=30)
    elapsed = time.monotonic() - started
    canceller.join()
    assert described["Status"] == "ABORTED"
    # Released by the statement's end, not by the 30 s wait running out.
    assert elapsed < 20


def test_wait_gives_up_at_wait_time(dataapi_client: Any) -> None:
    submitted = dataapi_client.execute_statement(Sql=LONG_SQL, WaitTimeSeconds=1, **TARGET)
    try:
        assert submitted["Status"] not in FINAL_STATUSES
        assert "HasResultSet" not in submitted
        described = dataapi_client.describe_statement(Id=submitted["Id"], WaitTimeSeconds=1)
        assert described["Status"] not in FINAL_STATUSES
        assert described["ResultRows"] == -1
        with pytest.raises(
            dataapi_client.exceptions.ValidationException, match="does not have result"
        ):
            dataapi_client.get_statement_result(Id=submitted["Id"])
    finally:
        dataapi_client.cancel_statement(Id=submitted["Id"])
    wait(dataapi_client, submitted["Id"])


def test_get_statement_result_waits(any_client: Any) -> None:
    submitted = any_client.execute_statement(Sql="SELECT 42 AS answer", **TARGET)
    result = any_client.get_statement_result(Id=submitted["Id"], WaitTimeSeconds=30)
    assert result["Records"] == [[{"longValue": 42}]]


def test_get_statement_result_v2_waits(any_client: Any) -> None:
    submitted = any_client.execute_statement(
        Sql="SELECT 42 AS answer", ResultFormat="CSV", **TARGET
    )
    result = any_client.get_statement_result_v2(Id=submitted["Id"], WaitTimeSeconds=30)
    assert result["Records"] == [{"CSVRecords": "42\n"}]


def test_cancelled_batch_commits_nothing(dataapi_client: Any) -> None:
    ok(dataapi_client, "CREATE TABLE cancelled (a INT)")
    batch = dataapi_client.batch_execute_statement(
        Sqls=["INSERT INTO cancelled VALUES (1)", LONG_SQL, "INSERT INTO cancelled VALUES (2)"],
        **TARGET,
    )
    wait_started(dataapi_client, f"{batch['Id']}:2")
    dataapi_client.cancel_statement(Id=batch["Id"])
    described = wait(dataapi_client, batch["Id"])
    assert described["Status"] == "ABORTED"
    assert [s["Status"] for s in described["SubStatements"]] == ["FINISHED", "ABORTED", "ABORTED"]
    assert rows(dataapi_client, "SELECT COUNT(*) FROM cancelled") == [[0]]


def test_duration_is_measured_on_the_monotonic_clock(custom_client: Callable[..., Any]) -> None:
    clock = ManualClock(start=1000.0)
    client = custom_client(monotonic=clock)
    submitted = client.execute_statement(Sql=LONG_SQL, **TARGET)
    wait_started(client, submitted["Id"])
    clock.advance(7.25)
    # While it runs, Duration is the time since it started.
    assert client.describe_statement(Id=submitted["Id"])["Duration"] == 7_250_000_000
    clock.advance(0.75)
    client.cancel_statement(Id=submitted["Id"])
    described = wait(client, submitted["Id"])
    assert described["Status"] == "ABORTED"
    assert described["Duration"] == 8_000_000_000
