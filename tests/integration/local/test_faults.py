"""Fault injection: every kind reaches boto3 the same way over HTTP and in-process."""

from __future__ import annotations

import argparse
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError

from redshift_dataapi.cli.errors import UsageError
from redshift_dataapi.cli.local_serve import _fault_plan
from redshift_dataapi.local import FaultKind, FaultPlan, FaultRule, inprocess_client
from redshift_dataapi.local.transport.faults import parse_fault

from .helpers import TARGET, ok, rows, wait

CREATE = "CREATE TABLE faulted (n INT)"


@pytest.fixture(params=["inprocess", "http"])
def any_client(request: pytest.FixtureRequest, local_service: Any) -> Any:
    """A client of ``local_service`` per transport, without botocore's retries.

    Each request is sent once, so each injected fault reaches the test.
    """
    if request.param == "inprocess":
        return inprocess_client(local_service)
    return boto3.client(
        "redshift-data",
        endpoint_url=request.getfixturevalue("http_endpoint"),
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1}),
    )


TOKEN = "faults-test-token-0001"


def _acted(service: Any, client: Any) -> bool:
    """Whether the faulted CREATE ran; waits for it (by its ClientToken) if it did."""
    if service.calls["ExecuteStatement"] == 0:
        assert not _table_exists(client)
        return False
    # The same ClientToken names the statement the service already started.
    again = client.execute_statement(Sql=CREATE, ClientToken=TOKEN, **TARGET)
    assert service.calls["ExecuteStatement"] == 2
    assert wait(client, again["Id"])["Status"] == "FINISHED"
    assert _table_exists(client)
    return True


def _table_exists(client: Any) -> bool:
    found = rows(
        client,
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'faulted'",
    )
    return bool(found[0][0])


def _create_under(service: Any, client: Any, kind: str) -> Any:
    """Run CREATE with ``kind`` injected into it; returns what boto3 returned or raised."""
    service.faults = FaultPlan([f"{kind}=1:ExecuteStatement"], slow_seconds=7.5)
    slept: list[float] = []
    service.faults.sleep = slept.append
    try:
        outcome: Any = client.execute_statement(Sql=CREATE, ClientToken=TOKEN, **TARGET)
    except Exception as exc:  # the test inspects what the client got
        outcome = exc
    finally:
        plan, service.faults = service.faults, None
    assert plan.injected(kind, "ExecuteStatement") == 1
    assert plan.injected() == 1
    if kind == "slow":
        assert slept == [7.5]
    return outcome


@pytest.mark.parametrize(
    ("kind", "code", "status"),
    [
        ("throttle", "ThrottlingException", 400),
        ("internal", "InternalServerException", 500),
        ("502", "502", 502),
        ("503", "503", 503),
        ("504", "504", 504),
    ],
)
def test_error_answers_before_the_service_acts(
    any_client: Any, local_service: Any, kind: str, code: str, status: int
) -> None:
    outcome = _create_under(local_service, any_client, kind)
    assert isinstance(outcome, ClientError)
    assert outcome.response["Error"]["Code"] == code
    assert outcome.response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert not _acted(local_service, any_client)


def test_dropped_request_never_reaches_the_service(any_client: Any, local_service: Any) -> None:
    outcome = _create_under(local_service, any_client, "drop-request")
    assert isinstance(outcome, ConnectionClosedError)
    assert not _acted(local_service, any_client)


def test_dropped_response_after_the_service_acted(any_client: Any, local_service: Any) -> None:
    outcome = _create_under(local_service, any_client, "drop-response")
    assert isinstance(outcome, ConnectionClosedError)
    assert _acted(local_service, any_client)


@pytest.mark.parametrize("kind", ["cut-response", "empty"])
def test_incomplete_success_after_the_service_acted(
    any_client: Any, local_service: Any, kind: str
) -> None:
    # botocore does not enforce Content-Length: a cut or empty 200 parses to
    # an answer without its members, which only the driver's checks catch.
    outcome = _create_under(local_service, any_client, kind)
    assert isinstance(outcome, dict)
    assert "Id" not in outcome
    assert outcome["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert _acted(local_service, any_client)


def test_slow_answer_is_complete(any_client: Any, local_service: Any) -> None:
    outcome = _create_under(local_service, any_client, "slow")
    assert isinstance(outcome, dict)
    assert "Id" in outcome


def test_rules_apply_to_their_operation_only(any_client: Any, local_service: Any) -> None:
    local_service.faults = FaultPlan(["throttle=1:GetStatementResult"])
    ok(any_client, "SELECT 1")  # ExecuteStatement and DescribeStatement pass
    with pytest.raises(ClientError, match="ThrottlingException"):
        rows(any_client, "SELECT 1")
    assert local_service.faults.injected() == 1
    assert local_service.faults.injected("throttle", "GetStatementResult") == 1


def test_match_and_limit_target_one_request(any_client: Any, local_service: Any) -> None:
    plan = FaultPlan()
    plan.add(
        "drop-response",
        operation="ExecuteStatement",
        match=lambda _op, params: params.get("Sql") == "SELECT 2",
        limit=1,
    )
    local_service.faults = plan
    ok(any_client, "SELECT 1")
    with pytest.raises(ConnectionClosedError):
        any_client.execute_statement(Sql="SELECT 2", **TARGET)
    ok(any_client, "SELECT 2")  # the limit is spent
    assert plan.counts == {(FaultKind.DROP_RESPONSE, "ExecuteStatement"): 1}


def test_a_client_plan_overrides_the_service_plan(local_service: Any) -> None:
    local_service.faults = FaultPlan(["internal=1"])
    client = inprocess_client(local_service, faults=FaultPlan())
    ok(client, "SELECT 1")
    assert local_service.faults.injected() == 0


def test_off_by_default(any_client: Any, local_service: Any) -> None:
    assert local_service.faults is None
    for _ in range(5):
        ok(any_client, "SELECT 1")


def _draws(plan: FaultPlan, n: int) -> list[FaultKind | None]:
    return [plan.draw("ExecuteStatement", {}) for _ in range(n)]


def test_same_seed_same_faults_and_rates_hold() -> None:
    specs = ["throttle=0.1", "cut-response=0.2:ExecuteStatement", "slow=0.1:DescribeStatement"]
    first = _draws(FaultPlan(specs, seed=7), 2000)
    assert first == _draws(FaultPlan(specs, seed=7), 2000)
    assert first != _draws(FaultPlan(specs, seed=8), 2000)
    # The DescribeStatement rule never applies; the two others split 30%.
    assert FaultKind.SLOW not in first
    assert 120 < first.count(FaultKind.THROTTLE) < 280
    assert 300 < first.count(FaultKind.CUT_RESPONSE) < 500
    assert 1200 < first.count(None) < 1600


def test_parse_fault_syntax() -> None:
    assert parse_fault("503=0.25") == FaultRule(FaultKind.SERVICE_UNAVAILABLE, 0.25)
    assert parse_fault("Slow=1:ListTables") == FaultRule(FaultKind.SLOW, 1.0, "ListTables")
    for bad, message in (
        ("throttle", "KIND=RATE"),
        ("lag=0.1", "not one of"),
        ("empty=often", "not a number"),
        ("empty=1.5", "between 0 and 1"),
    ):
        with pytest.raises(ValueError, match=message):
            parse_fault(bad)


def test_serve_flags_build_a_plan() -> None:
    args = argparse.Namespace(
        fault=["throttle=0.1", "drop-response=0.05:ExecuteStatement"],
        fault_seed=42,
        fault_slow_seconds=0.5,
    )
    plan = _fault_plan(args)
    assert plan.seed == 42
    assert plan.slow_seconds == 0.5
    assert [(r.kind, r.rate, r.operation) for r in plan.rules] == [
        (FaultKind.THROTTLE, 0.1, None),
        (FaultKind.DROP_RESPONSE, 0.05, "ExecuteStatement"),
    ]
    assert _fault_plan(argparse.Namespace(fault=[], fault_seed=0)) is None
    with pytest.raises(UsageError, match="--fault"):
        _fault_plan(argparse.Namespace(fault=["nope=1"], fault_seed=0, fault_slow_seconds=None))
