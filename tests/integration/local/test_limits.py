"""The Data API's limits: row size, result cap, SQL size, retention, paging."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from redshift_dataapi._core.limits import IDEMPOTENCY_SECONDS, RESULT_RETENTION_SECONDS
from redshift_dataapi.local.runtime.clock import ManualClock

from .helpers import TARGET, ok, rows, run

pytestmark = pytest.mark.usefixtures("local_service")


def test_row_over_64_kb_fails_the_statement(any_client: Any) -> None:
    described = run(any_client, "SELECT REPEAT('x', 70000) AS big")
    assert described["Status"] == "FAILED"
    assert "Packet for query is too large" in described["Error"]
    assert "65536" in described["Error"]


def test_row_just_under_64_kb_is_fine(any_client: Any) -> None:
    assert (
        rows(any_client, "SELECT LENGTH(REPEAT('x', 60000)) AS n, REPEAT('y', 60000) AS s")[0][0]
        == 60000
    )


def test_result_over_cap_fails_the_statement(custom_client: Callable[..., Any]) -> None:
    client = custom_client(result_cap_bytes=5000)
    small = run(client, "SELECT REPEAT('x', 100) FROM generate_series(1, 10)")
    assert small["Status"] == "FINISHED"
    big = run(client, "SELECT REPEAT('x', 100) FROM generate_series(1, 100)")
    assert big["Status"] == "FAILED"
    assert "Database response exceeded size limit" in big["Error"]


def test_sql_over_100_kb_is_refused(any_client: Any) -> None:
    sql = "SELECT LENGTH('" + "x" * (100 * 1024) + "') AS n"
    with pytest.raises(any_client.exceptions.ValidationException, match="100 KB"):
        any_client.execute_statement(Sql=sql, **TARGET)
    # Just under the limit runs.
    fits = "SELECT LENGTH('" + "x" * (100 * 1024 - 40) + "') AS n"
    assert rows(any_client, fits) == [[100 * 1024 - 40]]


def test_results_expire_after_retention(clocked_client: Any, clock: ManualClock) -> None:
    client = clocked_client
    described = ok(client, "SELECT 1")
    clock.advance(RESULT_RETENTION_SECONDS - 1)
    assert client.get_statement_result(Id=described["Id"])["TotalNumRows"] == 1
    clock.advance(1)
    with pytest.raises(client.exceptions.ResourceNotFoundException, match="expired"):
        client.get_statement_result(Id=described["Id"])
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_statement(Id=described["Id"])
    assert client.list_statements()["Statements"] == []


def test_retention_is_a_setting(custom_client: Callable[..., Any]) -> None:
    clock = ManualClock()
    client = custom_client(retention_seconds=60, clock=clock)
    described = ok(client, "SELECT 1")
    clock.advance(59)
    assert client.describe_statement(Id=described["Id"])["Status"] == "FINISHED"
    clock.advance(1)
    with pytest.raises(client.exceptions.ResourceNotFoundException, match="kept 60 seconds"):
        client.describe_statement(Id=described["Id"])


def test_client_token_is_forgotten_after_the_idempotency_window(
    clocked_client: Any, clock: ManualClock
) -> None:
    client = clocked_client
    request = {"Sql": "SELECT 1", "ClientToken": "token-window", **TARGET}
    first = client.execute_statement(**request)
    clock.advance(IDEMPOTENCY_SECONDS - 1)
    assert client.execute_statement(**request)["Id"] == first["Id"]
    with pytest.raises(client.exceptions.ValidationException, match="within the last 8 hours"):
        client.execute_statement(**{**request, "Sql": "SELECT 2"})
    clock.advance(1)
    # The window has passed: the token names a new request, run as a new statement.
    again = client.execute_statement(**{**request, "Sql": "SELECT 2"})
    assert again["Id"] != first["Id"]


def test_pages_split_large_results(custom_client: Callable[..., Any]) -> None:
    client = custom_client(page_size_bytes=4096)
    described = ok(
        client, "SELECT g AS n, 'row' AS label FROM generate_series(1, 2000) AS t(g) ORDER BY g"
    )
    assert described["ResultRows"] == 2000
    seen: list[int] = []
    pages = 0
    token = None
    while True:
        kwargs: dict[str, Any] = {"Id": described["Id"]}
        if token:
            kwargs["NextToken"] = token
        page = client.get_statement_result(**kwargs)
        pages += 1
        assert page["TotalNumRows"] == 2000
        assert [c["name"] for c in page["ColumnMetadata"]] == ["n", "label"]
        seen.extend(record[0]["longValue"] for record in page["Records"])
        token = page.get("NextToken")
        if not token:
            break
    assert seen == list(range(1, 2001))
    assert pages > 5
    # The paginator botocore ships walks the same pages.
    paginator = client.get_paginator("get_statement_result")
    total = sum(len(p["Records"]) for p in paginator.paginate(Id=described["Id"]))
    assert total == 2000


def test_active_statement_quota(custom_client: Callable[..., Any]) -> None:
    from .helpers import LONG_SQL

    client = custom_client(max_active_statements=1)
    first = client.execute_statement(Sql=LONG_SQL, **TARGET)
    try:
        with pytest.raises(client.exceptions.ActiveStatementsExceededException):
            client.execute_statement(Sql="SELECT 1", **TARGET)
    finally:
        client.cancel_statement(Id=first["Id"])


def test_session_quota(custom_client: Callable[..., Any]) -> None:
    client = custom_client(max_sessions=1)
    first = client.execute_statement(
        Sql="SELECT 1", SessionKeepAliveSeconds=60, WaitTimeSeconds=30, **TARGET
    )
    assert first["SessionId"]
    with pytest.raises(client.exceptions.ActiveSessionsExceededException):
        client.execute_statement(Sql="SELECT 1", SessionKeepAliveSeconds=60, **TARGET)
    # Statements without a session are not affected.
    assert ok(client, "SELECT 1")["Status"] == "FINISHED"
