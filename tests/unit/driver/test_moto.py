"""An independent server (moto) whose statements never finish: timeout and cancel.

moto runs the Data API's state machine without a database: a statement stays
STARTED until it is cancelled, and cancelling an ended one is refused as the
service refuses it.  So it proves the driver's calls for a statement that is
really still running, without timing games.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

import redshift_dataapi

moto = pytest.importorskip("moto", reason="moto is in the test extra")


@pytest.fixture
def moto_client() -> Iterator[Any]:
    with moto.mock_aws():
        yield boto3.client("redshift-data", region_name="us-east-1")


def connect(client: Any, **kwargs: Any) -> redshift_dataapi.Connection:
    return redshift_dataapi.connect(
        "dev", cluster_identifier="cl", client=client, autocommit=True, **kwargs
    )


def cancel_calls(client: Any) -> list[str]:
    """The Ids of every CancelStatement the client sends from now on."""
    cancelled: list[str] = []
    client.meta.events.register(
        "provide-client-params.redshift-data.CancelStatement",
        lambda params, **_: cancelled.append(params["Id"]),
    )
    return cancelled


def test_timeout_cancels_the_statement_and_raises_operational_error(moto_client: Any) -> None:
    cancelled = cancel_calls(moto_client)
    cur = connect(moto_client, timeout=0.3).cursor()
    with pytest.raises(redshift_dataapi.OperationalError, match="timeout") as info:
        cur.execute("SELECT 1")
    assert cur.statement_id is not None
    assert cancelled == [cur.statement_id]
    assert cur.statement_id in str(info.value)
    assert moto_client.describe_statement(Id=cur.statement_id)["Status"] == "ABORTED"


def test_cursor_cancel_stops_its_running_statement_once(moto_client: Any) -> None:
    cur = connect(moto_client).cursor()
    assert cur.cancel() is False  # no statement yet: nothing to cancel, no call
    statement_id = cur.submit("SELECT 1")
    assert cur.status == "STARTED"
    assert cur.cancel() is True
    assert moto_client.describe_statement(Id=statement_id)["Status"] == "ABORTED"
    assert cur.cancel() is False  # it has ended: nothing left to cancel
    with pytest.raises(redshift_dataapi.OperationalError, match="aborted"):
        cur.fetchall()


def test_connection_cancel_by_id_from_another_connection(moto_client: Any) -> None:
    statement_id = connect(moto_client).cursor().submit("SELECT 1")
    other = connect(moto_client)
    assert other.cancel(statement_id) is True
    assert other.cancel(statement_id) is False
    with pytest.raises(redshift_dataapi.ProgrammingError, match="ResourceNotFound"):
        other.cancel("00000000-0000-4000-8000-000000000000")
    with pytest.raises(redshift_dataapi.ProgrammingError, match="statement_id"):
        other.cancel("")
    other.close()
    with pytest.raises(redshift_dataapi.InterfaceError, match="closed"):
        other.cancel(statement_id)
