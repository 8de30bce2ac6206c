"""Declared Redshift types survive in information_schema on both engines."""

from __future__ import annotations

from typing import Any

from tests.integration.local.helpers import ok, rows, run

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


def test_comment_on_column_keeps_the_declared_type(dataapi_client: Any) -> None:
    ok(dataapi_client, "CREATE TABLE trips (vendorid VARCHAR(20), fare NUMERIC(8,2))")
    ok(dataapi_client, "COMMENT ON COLUMN trips.vendorid IS 'who drove'")
    ok(dataapi_client, "COMMENT ON COLUMN trips.fare IS 'what it cost'")
    described = dataapi_client.describe_table(
        ClusterIdentifier="local-cluster", Database="dev", Table="trips"
    )["ColumnList"]
    assert [(c["name"], c["typeName"], c.get("length"), c.get("precision")) for c in described] == [
        ("vendorid", "varchar", 20, 20),
        ("fare", "numeric", 0, 8),
    ]
    assert rows(
        dataapi_client,
        "SELECT column_name, data_type, character_maximum_length, remarks FROM svv_columns"
        " WHERE table_name = 'trips' ORDER BY ordinal_position",
    ) == [
        ["vendorid", "character varying", 20, "who drove"],
        ["fare", "numeric", None, "what it cost"],
    ]
    ok(dataapi_client, "COMMENT ON COLUMN trips.vendorid IS NULL")
    assert rows(
        dataapi_client,
        "SELECT remarks, character_maximum_length FROM svv_columns"
        " WHERE table_name = 'trips' AND column_name = 'vendorid'",
    ) == [[None, 20]]
    # The length is still enforced, with Redshift's error.
    too_long = run(dataapi_client, "INSERT INTO trips VALUES ('" + "x" * 21 + "', 1)")
    assert too_long["Status"] == "FAILED"
    assert "too long for type character varying(20)" in too_long["Error"]


def test_an_added_column_has_its_length_enforced(dataapi_client: Any) -> None:
    ok(dataapi_client, "CREATE TABLE trips (tripid INTEGER, fare NUMERIC(8,2))")
    ok(dataapi_client, "INSERT INTO trips VALUES (1, 2.50)")
    ok(dataapi_client, "ALTER TABLE trips ADD COLUMN flag CHAR(1) DEFAULT 'N'")
    ok(dataapi_client, "ALTER TABLE trips ADD COLUMN vendorid VARCHAR(4)")
    ok(dataapi_client, "INSERT INTO trips VALUES (2, 3.00, 'Y', 'VTS')")
    too_long = run(dataapi_client, "INSERT INTO trips VALUES (3, 1, 'Y', 'LONGER')")
    assert too_long["Status"] == "FAILED"
    assert "value too long for type character varying(4)" in too_long["Error"]
    assert rows(dataapi_client, "SELECT tripid, fare, flag, vendorid FROM trips ORDER BY 1") == [
        [1, "2.50", "N", None],
        [2, "3.00", "Y", "VTS"],
    ]
    assert rows(
        dataapi_client,
        "SELECT column_name, character_maximum_length FROM information_schema.columns"
        " WHERE table_name = 'trips' AND column_name IN ('flag', 'vendorid')"
        " ORDER BY ordinal_position",
    ) == [["flag", 1], ["vendorid", 4]]
