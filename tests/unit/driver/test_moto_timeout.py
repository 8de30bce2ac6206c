"""An independent server (moto) whose statements never finish: timeout -> cancel -> error."""

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


def test_timeout_cancels_the_statement_and_raises_operational_error(moto_client: Any) -> None:
    cancelled: list[str] = []
    moto_client.meta.events.register(
        "provide-client-params.redshift-data.CancelStatement",
        lambda params, **_: cancelled.append(params["Id"]),
    )
    conn = redshift_dataapi.connect(
        "dev", cluster_identifier="cl", client=moto_client, autocommit=True, timeout=0.3
    )
    cur = conn.cursor()
    with pytest.raises(redshift_dataapi.OperationalError, match="timeout") as info:
        cur.execute("SELECT 1")
    assert cur.statement_id is not None
    assert cancelled == [cur.statement_id]
    assert cur.statement_id in str(info.value)
    assert moto_client.describe_statement(Id=cur.statement_id)["Status"] == "ABORTED"
