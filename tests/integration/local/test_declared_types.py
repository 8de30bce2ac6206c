"""Declared Redshift types survive in information_schema on both engines."""

from __future__ import annotations

from typing import Any

from tests.integration.local.helpers import ok, rows

COLUMNS = (
    "SELECT column_name, data_type, character_maximum_length, numeric_precision,"
    " numeric_scale FROM information_schema.columns WHERE table_name = 'venue'"
    " ORDER BY ordinal_position"
)
EXPECTED = [
    ["venueid", "smallint", None, 16, 0],
    ["venuename", "character varying", 100, None, None],
    ["venuestate", "character", 2, None, None],
    ["venueseats", "integer", None, 32, 0],
    ["price", "numeric", None, 8, 2],
    ["opened", "timestamp without time zone", None, None, None],
]


def test_information_schema_keeps_varchar_lengths(dataapi_client: Any) -> None:
    ok(
        dataapi_client,
        "CREATE TABLE venue (venueid SMALLINT NOT NULL, venuename VARCHAR(100),"
        " venuestate CHAR(2), venueseats INTEGER, price NUMERIC(8,2), opened TIMESTAMP)",
    )
    assert rows(dataapi_client, COLUMNS) == EXPECTED


def test_inside_a_transaction_too(dataapi_client: Any) -> None:
    opened = ok(dataapi_client, "BEGIN", SessionKeepAliveSeconds=60)
    session = {"SessionId": opened["SessionId"]}
    ok(
        dataapi_client,
        "CREATE TABLE venue (venueid SMALLINT NOT NULL, venuename VARCHAR(100),"
        " venuestate CHAR(2), venueseats INTEGER, price NUMERIC(8,2), opened TIMESTAMP)",
        **session,
    )
    assert rows(dataapi_client, COLUMNS, **session) == EXPECTED
    ok(dataapi_client, "ROLLBACK", **session)
