"""cursor.unload_to_arrow: UNLOAD ... FORMAT AS PARQUET read back from (moto) S3."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pytest

import redshift_dataapi

from .helpers import ROLE, keys, ok

pa = pytest.importorskip("pyarrow", reason="unload_to_arrow needs the arrow extra")
ARN = ROLE.split("'")[1]


@pytest.fixture
def cursor(dataapi_client: Any) -> redshift_dataapi.Cursor:
    ok(
        dataapi_client,
        "CREATE TABLE src (id INT, name VARCHAR(20), price NUMERIC(10,2), atz TIMESTAMPTZ)",
    )
    ok(
        dataapi_client,
        "INSERT INTO src VALUES (1, 'it''s', 4.50, '2016-01-01 00:29:24+00'), "
        "(2, NULL, NULL, NULL), (3, 'c', 0.01, '2016-01-04 23:59:59+00')",
    )
    conn = redshift_dataapi.connect(
        "dev", cluster_identifier="local", client=dataapi_client, autocommit=True
    )
    return conn.cursor()


def test_unload_reads_the_parquet_back_typed(
    cursor: redshift_dataapi.Cursor, s3: Any, bucket: str
) -> None:
    table = cursor.unload_to_arrow(
        "SELECT * FROM src WHERE name <> 'x' OR name IS NULL ORDER BY id",
        f"s3://{bucket}/big",
        iam_role=ARN,
        s3_client=s3,
    )
    assert cursor.rowcount == 3
    assert table.schema.field("price").type == pa.decimal128(10, 2)
    assert table.schema.field("atz").type == pa.timestamp("us", tz="UTC")
    rows = sorted(table.to_pylist(), key=lambda r: r["id"])
    assert rows[0] == {
        "id": 1,
        "name": "it's",  # the quote survived the UNLOAD literal
        "price": decimal.Decimal("4.50"),
        "atz": dt.datetime(2016, 1, 1, 0, 29, 24, tzinfo=dt.timezone.utc),
    }
    assert rows[1] == {"id": 2, "name": None, "price": None, "atz": None}
    assert keys(s3, bucket, "big/") == []  # the files were removed after reading


def test_keep_files_leaves_them_under_a_unique_folder(
    cursor: redshift_dataapi.Cursor, s3: Any, bucket: str
) -> None:
    table = cursor.unload_to_arrow(
        "SELECT id FROM src", f"s3://{bucket}/keep/", iam_role=ARN, s3_client=s3, keep_files=True
    )
    assert sorted(table.column("id").to_pylist()) == [1, 2, 3]
    names = keys(s3, bucket, "keep/")
    assert names and all(n.endswith(".parquet") for n in names)
    assert len({n.split("/")[1] for n in names}) == 1


def test_a_bad_prefix_is_a_programming_error(cursor: redshift_dataapi.Cursor, s3: Any) -> None:
    with pytest.raises(redshift_dataapi.ProgrammingError, match="s3://"):
        cursor.unload_to_arrow("SELECT 1", "/tmp/x", s3_client=s3)
