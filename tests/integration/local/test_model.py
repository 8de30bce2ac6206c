"""The local service against the botocore model it implements.

The operations, statuses and ranges are read from the installed model, so
that a new botocore (a new operation, a wider range) shows up here instead of
drifting silently from the endpoint and the limits the driver plans with.
"""

from __future__ import annotations

from typing import Any

import pytest

from redshift_dataapi._core import limits
from redshift_dataapi._core.statuses import SESSION_STATUSES, STATUSES
from redshift_dataapi.local.service.api import HANDLERS
from redshift_dataapi.local.service.listings import ALL_STATUSES
from redshift_dataapi.local.service.validation import service_model

MODEL = service_model()


def _member(operation: str, member: str) -> Any:
    shape: Any = MODEL.operation_model(operation).input_shape
    return shape.members[member]


def _enum(shape_name: str) -> set[str]:
    shape: Any = MODEL.shape_for(shape_name)
    return set(shape.enum)


def test_every_operation_of_the_model_has_a_handler() -> None:
    assert sorted(HANDLERS) == sorted(MODEL.operation_names)


def test_statuses_are_the_models() -> None:
    assert set(STATUSES) == _enum("StatementStatusString")
    assert _enum("StatusString") == {*STATUSES, ALL_STATUSES}
    assert set(SESSION_STATUSES) == _enum("SessionStatusString")


@pytest.mark.parametrize(
    ("operation", "member", "low", "high"),
    [
        ("BatchExecuteStatement", "Sqls", limits.MIN_BATCH_SQLS, limits.MAX_BATCH_SQLS),
        ("ExecuteStatement", "WaitTimeSeconds", limits.MIN_WAIT_TIME_SECONDS,
         limits.MAX_WAIT_TIME_SECONDS),
        ("ExecuteStatement", "SessionKeepAliveSeconds", 0, limits.MAX_SESSION_KEEP_ALIVE_SECONDS),
        ("ExecuteStatement", "StatementName", 0, limits.MAX_STATEMENT_NAME_LENGTH),
        ("ExecuteStatement", "ClientToken", 1, limits.CLIENT_TOKEN_MAX_LENGTH),
        ("ListDatabases", "MaxResults", 0, limits.MAX_LIST_RESULTS),
        ("ListSchemas", "MaxResults", 0, limits.MAX_LIST_RESULTS),
        ("ListTables", "MaxResults", 0, limits.MAX_LIST_RESULTS),
        ("DescribeTable", "MaxResults", 0, limits.MAX_DESCRIBE_TABLE_RESULTS),
        ("ListStatements", "MaxResults", 0, limits.MAX_LIST_STATEMENTS_RESULTS),
        ("ListSessions", "MaxResults", 0, limits.MAX_LIST_SESSIONS_RESULTS),
    ],
)  # fmt: skip
def test_limits_match_the_model_ranges(operation: str, member: str, low: int, high: int) -> None:
    metadata = _member(operation, member).metadata
    assert (metadata.get("min", 0), metadata.get("max")) == (low, high)


def test_parameter_names_match_the_model_pattern() -> None:
    parameter: Any = MODEL.shape_for("SqlParameter")
    name = parameter.members["name"]
    assert name.metadata["pattern"] == limits.PARAMETER_NAME_PATTERN
