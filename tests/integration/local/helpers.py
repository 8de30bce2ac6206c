"""Small helpers for the local endpoint's integration tests."""

from __future__ import annotations

import threading
import time
from typing import Any

from redshift_dataapi._core.statuses import FINAL_STATUSES, STARTED

TARGET = {"ClusterIdentifier": "local-cluster", "Database": "dev"}
SERVERLESS = {"WorkgroupName": "local-wg", "Database": "dev"}

#: Runs until cancelled on both engines (10^10 joined rows, no shortcut possible).
LONG_SQL = (
    "SELECT COUNT(*) FROM generate_series(1, 100000) a(i) "
    "CROSS JOIN generate_series(1, 100000) b(j) WHERE a.i * 7 + b.j * 13 = -5"
)


def run(client: Any, sql: str, **params: Any) -> dict[str, Any]:
    """Execute ``sql`` and wait for it to end; returns DescribeStatement's answer."""
    kwargs: dict[str, Any] = dict(TARGET)
    if "SessionId" in params:
        kwargs = {}
    kwargs.update(params)
    response = client.execute_statement(Sql=sql, WaitTimeSeconds=30, **kwargs)
    return wait(client, response["Id"])


def wait(client: Any, statement_id: str) -> dict[str, Any]:
    """Long-poll DescribeStatement until the statement ends."""
    while True:
        described: dict[str, Any] = client.describe_statement(Id=statement_id, WaitTimeSeconds=30)
        if described["Status"] in FINAL_STATUSES:
            return described


def ok(client: Any, sql: str, **params: Any) -> dict[str, Any]:
    """Like :func:`run`, asserting the statement FINISHED."""
    described = run(client, sql, **params)
    assert described["Status"] == "FINISHED", described.get("Error")
    return described


def rows(client: Any, sql: str, **params: Any) -> list[list[Any]]:
    """The records of ``sql`` as plain Python values (all pages)."""
    described = ok(client, sql, **params)
    out: list[list[Any]] = []
    token = None
    while True:
        kwargs = {"Id": described["Id"]}
        if token:
            kwargs["NextToken"] = token
        page = client.get_statement_result(**kwargs)
        for record in page["Records"]:
            out.append([_value(field) for field in record])
        token = page.get("NextToken")
        if not token:
            return out


def _value(field: dict[str, Any]) -> Any:
    if field.get("isNull"):
        return None
    ((_, value),) = field.items()
    return value


def wait_started(client: Any, statement_id: str, timeout: float = 30.0) -> None:
    """Wait until the statement is running in the engine (status STARTED)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.describe_statement(Id=statement_id)["Status"]
        if status == STARTED:
            # Give the engine a moment to really be inside the query.
            time.sleep(0.2)
            return
        assert status not in FINAL_STATUSES, status
        threading.Event().wait(0.05)
    raise AssertionError(f"statement {statement_id} never started")
