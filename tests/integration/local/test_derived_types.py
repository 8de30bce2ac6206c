"""Declared types survive CREATE TABLE AS, SELECT INTO, CREATE TABLE LIKE and views.

As on Redshift, on both engines: a column taken straight from a VARCHAR(20)
column is VARCHAR(20) (and enforced as such in a new table), NUMERIC(12,2)
keeps its precision and scale, CHAR(2) stays CHAR(2), and a CAST gives its
column the type it names.  information_schema, SVV_COLUMNS, DescribeTable
and the SQLAlchemy inspector agree.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tests.integration.local.helpers import TARGET, ok, rows, run

VENUE = (
    "CREATE TABLE venue (venueid SMALLINT NOT NULL, venuename VARCHAR(20) NOT NULL,"
    " venuestate CHAR(2), price NUMERIC(12,2))"
)
EVENT = "CREATE TABLE event (eventid INTEGER, venueid SMALLINT, eventname VARCHAR(30))"
TYPES = (
    "SELECT column_name, data_type, character_maximum_length, numeric_precision,"
    " numeric_scale FROM information_schema.columns WHERE table_name = '{}'"
    " ORDER BY ordinal_position"
)
VENUE_TYPES = [
    ["venueid", "smallint", None, 16, 0],
    ["venuename", "character varying", 20, None, None],
    ["venuestate", "character", 2, None, None],
    ["price", "numeric", None, 12, 2],
]


def _venue(client: Any) -> None:
    ok(client, VENUE)
    ok(client, "INSERT INTO venue VALUES (1, 'Stadium', 'NY', 10.50), (2, 'Hall', 'CA', NULL)")


def _too_long(client: Any, sql: str, length: int) -> None:
    described = run(client, sql)
    assert described["Status"] == "FAILED", sql
    assert f"value too long for type character varying({length})" in described["Error"]


def test_create_table_as_keeps_the_source_types(dataapi_client: Any) -> None:
    _venue(dataapi_client)
    ok(dataapi_client, "CREATE TABLE venue_copy AS SELECT * FROM venue")
    assert rows(dataapi_client, TYPES.format("venue_copy")) == VENUE_TYPES
    assert rows(dataapi_client, "SELECT COUNT(*) FROM venue_copy") == [[2]]
    # The copied length is enforced as in a table declared with it.
    _too_long(dataapi_client, "INSERT INTO venue_copy (venuename) VALUES ('" + "x" * 21 + "')", 20)


def test_named_columns_aliases_joins_and_casts(dataapi_client: Any) -> None:
    _venue(dataapi_client)
    ok(dataapi_client, EVENT)
    ok(
        dataapi_client,
        "CREATE TABLE listing AS SELECT e.eventname AS title, v.venuename, venuestate,"
        " CAST(e.eventid AS VARCHAR(12)) AS code, v.price FROM event e"
        " JOIN venue v ON v.venueid = e.venueid",
    )
    assert rows(dataapi_client, TYPES.format("listing")) == [
        ["title", "character varying", 30, None, None],
        ["venuename", "character varying", 20, None, None],
        ["venuestate", "character", 2, None, None],
        ["code", "character varying", 12, None, None],
        ["price", "numeric", None, 12, 2],
    ]
    described = dataapi_client.describe_table(**TARGET, Table="listing")["ColumnList"]
    assert [(c["name"], c["typeName"], c["length"]) for c in described[:4]] == [
        ("title", "varchar", 30),
        ("venuename", "varchar", 20),
        ("venuestate", "bpchar", 2),
        ("code", "varchar", 12),
    ]
    _too_long(dataapi_client, "INSERT INTO listing (code) VALUES ('" + "9" * 13 + "')", 12)


def test_select_into(dataapi_client: Any) -> None:
    _venue(dataapi_client)
    ok(dataapi_client, "SELECT venuename, price INTO cheap FROM venue WHERE price < 20")
    assert rows(dataapi_client, TYPES.format("cheap")) == [VENUE_TYPES[1], VENUE_TYPES[3]]
    assert rows(dataapi_client, "SELECT venuename, price FROM cheap") == [["Stadium", "10.50"]]


def test_create_table_like_keeps_types_and_not_null(dataapi_client: Any) -> None:
    _venue(dataapi_client)
    ok(dataapi_client, "CREATE TABLE venue_like (LIKE venue)")
    assert rows(dataapi_client, TYPES.format("venue_like")) == VENUE_TYPES
    assert rows(
        dataapi_client,
        "SELECT column_name, is_nullable FROM information_schema.columns"
        " WHERE table_name = 'venue_like' ORDER BY ordinal_position",
    ) == [["venueid", "NO"], ["venuename", "NO"], ["venuestate", "YES"], ["price", "YES"]]
    assert rows(dataapi_client, "SELECT COUNT(*) FROM venue_like") == [[0]]
    _too_long(dataapi_client, "INSERT INTO venue_like VALUES (1, '" + "x" * 21 + "', 'NY', 1)", 20)


def test_view_columns_report_the_source_lengths(dataapi_client: Any) -> None:
    _venue(dataapi_client)
    ok(
        dataapi_client,
        "CREATE VIEW venue_names AS SELECT venueid, venuename AS name, venuestate,"
        " CAST(venueid AS VARCHAR(6)) AS code, price FROM venue",
    )
    assert rows(dataapi_client, TYPES.format("venue_names")) == [
        ["venueid", "smallint", None, 16, 0],
        ["name", "character varying", 20, None, None],
        ["venuestate", "character", 2, None, None],
        ["code", "character varying", 6, None, None],
        ["price", "numeric", None, 12, 2],
    ]
    assert rows(
        dataapi_client,
        "SELECT column_name, character_maximum_length FROM svv_columns"
        " WHERE table_name = 'venue_names' AND data_type = 'character varying'"
        " ORDER BY ordinal_position",
    ) == [["name", 20], ["code", 6]]
    described = dataapi_client.describe_table(**TARGET, Table="venue_names")["ColumnList"]
    assert [(c["name"], c["typeName"], c["length"]) for c in described][1:4] == [
        ("name", "varchar", 20),
        ("venuestate", "bpchar", 2),
        ("code", "varchar", 6),
    ]
    assert rows(dataapi_client, "SELECT name FROM venue_names ORDER BY venueid") == [
        ["Stadium"],
        ["Hall"],
    ]


def test_the_inspector_reads_derived_lengths(dataapi_client: Any) -> None:
    _venue(dataapi_client)
    ok(dataapi_client, "CREATE TABLE venue_copy AS SELECT venuename, price FROM venue")
    ok(dataapi_client, "CREATE VIEW venue_view AS SELECT venuename FROM venue")
    engine = sa.create_engine(
        "redshift+dataapi://local/dev", connect_args={"client": dataapi_client}
    )
    try:
        inspector = sa.inspect(engine)
        table = {c["name"]: c["type"] for c in inspector.get_columns("venue_copy")}
        assert table["venuename"].length == 20
        assert (table["price"].precision, table["price"].scale) == (12, 2)
        view = {c["name"]: c["type"] for c in inspector.get_columns("venue_view")}
        assert view["venuename"].length == 20
    finally:
        engine.dispose()
