"""The driver's bulk load: a DataFrame or an Arrow table COPYed through a staging S3 prefix."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

import redshift_dataapi
from redshift_dataapi.local import inprocess_client
from redshift_dataapi.staging import copy_from_arrow, copy_from_dataframe

from .helpers import keys


@pytest.fixture
def connection(local_service: Any) -> Any:
    conn = redshift_dataapi.connect(
        database="dev", cluster_identifier="local", client=inprocess_client(local_service),
        autocommit=True,
    )  # fmt: skip
    conn.cursor().execute(
        "CREATE TABLE staged (id INT, name VARCHAR(10), price NUMERIC(8,2), day DATE, "
        "at TIMESTAMP, ok BOOLEAN)"
    )
    yield conn
    conn.close()


def _table(connection: Any) -> list[tuple[Any, ...]]:
    cursor = connection.cursor()
    cursor.execute("SELECT id, name, price, day, at, ok FROM staged ORDER BY id")
    return list(cursor.fetchall())


def test_copy_from_arrow(connection: Any, s3: Any, bucket: str) -> None:
    data = pa.table(
        {
            "id": pa.array([1, 2], pa.int32()),
            "name": ["one", None],
            "price": pa.array([decimal.Decimal("1.50"), None], pa.decimal128(8, 2)),
            "day": [dt.date(2016, 1, 1), None],
            "at": pa.array([dt.datetime(2016, 1, 1, 12, 30), None], pa.timestamp("us")),
            "ok": [True, None],
        }
    )
    loaded = copy_from_arrow(connection, "staged", data, f"s3://{bucket}/stage", s3_client=s3)
    assert loaded == 2
    assert _table(connection) == [
        (1, "one", decimal.Decimal("1.50"), dt.date(2016, 1, 1),
         dt.datetime(2016, 1, 1, 12, 30), True),
        (2, None, None, None, None, None),
    ]  # fmt: skip
    assert keys(s3, bucket, "stage/") == []


def test_copy_from_dataframe_by_column_name(connection: Any, s3: Any, bucket: str) -> None:
    frame = pd.DataFrame({"name": ["a", "b", "c"], "id": [3, 1, 2]})
    assert (
        copy_from_dataframe(
            connection, "staged", frame, f"s3://{bucket}/df/", s3_client=s3, keep_staged=True
        )
        == 3
    )
    assert [(r[0], r[1]) for r in _table(connection)] == [(1, "b"), (2, "c"), (3, "a")]
    (staged,) = keys(s3, bucket, "df/")
    assert staged.endswith("/part-0000.parquet")


def test_a_failing_copy_still_removes_the_staged_file(
    connection: Any, s3: Any, bucket: str
) -> None:
    frame = pd.DataFrame({"id": [1], "name": ["far too long a name"]})
    with pytest.raises(redshift_dataapi.DatabaseError, match="DDL length"):
        copy_from_dataframe(connection, "staged", frame, f"s3://{bucket}/bad/", s3_client=s3)
    assert keys(s3, bucket, "bad/") == []
    with pytest.raises(redshift_dataapi.ProgrammingError, match="s3://"):
        copy_from_dataframe(connection, "staged", frame, "/tmp/not-s3", s3_client=s3)


def test_local_endpoint_url_finds_the_embedded_s3(s3: Any, bucket: str) -> None:
    conn = redshift_dataapi.connect(
        database="dev", cluster_identifier="local", endpoint_url="local:", autocommit=True
    )
    cursor = conn.cursor()
    cursor.execute("DROP TABLE IF EXISTS staged_local")
    cursor.execute("CREATE TABLE staged_local (id INT)")
    assert (
        copy_from_arrow(conn, "staged_local", pa.table({"id": [1, 2, 3]}), f"s3://{bucket}/l") == 3
    )
    cursor.execute("SELECT SUM(id) FROM staged_local")
    assert cursor.fetchone() == (6,)
    cursor.execute("DROP TABLE staged_local")
    conn.close()
