"""A 100,000-row table UNLOADed as Parquet and as CSV, COPYed back, is identical."""

from __future__ import annotations

from typing import Any

import pytest

from .helpers import ROLE, ok, rows

ROWS = 100_000
COLUMNS = (
    "id INT, big BIGINT, name VARCHAR(40), price NUMERIC(10,2), day DATE, at TIMESTAMP, "
    "flag BOOLEAN, ratio FLOAT8, small FLOAT4"
)
FILL = (
    "INSERT INTO original SELECT i, CAST(i AS BIGINT) * 100003, "
    "CASE WHEN i % 7 = 0 THEN NULL WHEN i % 5 = 0 THEN 'name ' || i || ', \"quoted\"|x' "
    "ELSE 'name ' || i END, CAST((i % 10000) * 0.01 AS NUMERIC(10,2)), "
    "CAST('2016-01-01' AS DATE) + CAST(i % 366 AS INT), "
    "CAST('2016-01-01' AS TIMESTAMP) + i * INTERVAL '37 seconds', "
    "i % 3 = 0, CAST(i AS FLOAT8) / 7, CAST(i AS FLOAT4) / 3 "
    f"FROM generate_series(1, {ROWS}) AS s(i)"
)


def _differences(client: Any) -> list[list[Any]]:
    return rows(
        client,
        "SELECT (SELECT COUNT(*) FROM copied), "
        "(SELECT COUNT(*) FROM (SELECT * FROM original EXCEPT SELECT * FROM copied) a), "
        "(SELECT COUNT(*) FROM (SELECT * FROM copied EXCEPT SELECT * FROM original) b)",
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("unload_options", "copy_options"),
    [("FORMAT PARQUET", "FORMAT PARQUET"), ("FORMAT CSV", "CSV EMPTYASNULL")],
    ids=["parquet", "csv"],
)
def test_unload_then_copy_gives_the_same_table(
    dataapi_client: Any, bucket: str, unload_options: str, copy_options: str
) -> None:
    ok(dataapi_client, f"CREATE TABLE original ({COLUMNS})")
    ok(dataapi_client, FILL)
    ok(dataapi_client, f"CREATE TABLE copied ({COLUMNS})")
    unloaded = ok(
        dataapi_client,
        f"UNLOAD ('SELECT * FROM original') TO 's3://{bucket}/rt/original_' {ROLE} "
        f"{unload_options} MANIFEST",
    )
    assert unloaded["ResultRows"] == ROWS
    copied = ok(
        dataapi_client,
        f"COPY copied FROM 's3://{bucket}/rt/original_manifest' {ROLE} {copy_options} MANIFEST",
    )
    assert copied["ResultRows"] == ROWS
    assert _differences(dataapi_client) == [[ROWS, 0, 0]]
