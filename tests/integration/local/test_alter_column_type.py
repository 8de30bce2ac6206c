"""ALTER TABLE ... ALTER COLUMN ... TYPE VARCHAR(n), as Redshift allows it, on both engines.

Redshift changes the size of a VARCHAR column (r_ALTER_TABLE) outside a
transaction block, refuses USING and other types, and never below the
longest value stored.  After the change a longer value fits, the old rows
are intact and every catalog (information_schema, SVV_COLUMNS, DescribeTable,
PG_TABLE_DEF, the SQLAlchemy inspector) reports the new length.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tests.integration.local.helpers import TARGET, ok, rows, run

TRIPS = (
    "CREATE TABLE trips (tripid INTEGER IDENTITY(1, 1), vendorid VARCHAR(4) NOT NULL,"
    " flag VARCHAR(1) DEFAULT 'N', fare NUMERIC(8,2), PRIMARY KEY (tripid))"
    " DISTKEY(vendorid) SORTKEY(tripid)"
)
LENGTH = (
    "SELECT character_maximum_length FROM information_schema.columns"
    " WHERE table_name = 'trips' AND column_name = 'vendorid'"
)


def _failed(client: Any, sql: str, **params: Any) -> str:
    described = run(client, sql, **params)
    assert described["Status"] == "FAILED", sql
    return str(described["Error"])


def _trips(client: Any) -> None:
    ok(client, TRIPS)
    ok(client, "COMMENT ON COLUMN trips.vendorid IS 'who drove'")
    ok(client, "INSERT INTO trips (vendorid, fare) VALUES ('VTS', 12.50), ('CMT', 7.25)")


def test_a_widened_varchar_takes_longer_values_and_keeps_the_rows(dataapi_client: Any) -> None:
    _trips(dataapi_client)
    before = _failed(dataapi_client, "INSERT INTO trips (vendorid) VALUES ('LONGER1')")
    assert "value too long for type character varying(4)" in before
    ok(dataapi_client, "ALTER TABLE trips ALTER COLUMN vendorid TYPE VARCHAR(10)")
    ok(dataapi_client, "INSERT INTO trips (vendorid) VALUES ('LONGER1')")
    assert rows(dataapi_client, "SELECT tripid, vendorid, flag, fare FROM trips ORDER BY tripid")[
        :2
    ] == [[1, "VTS", "N", "12.50"], [2, "CMT", "N", "7.25"]]
    # IDENTITY numbering and the default go on (the failed INSERT used a number).
    assert rows(
        dataapi_client, "SELECT tripid > 2, flag FROM trips WHERE vendorid = 'LONGER1'"
    ) == [[True, "N"]]
    after = _failed(dataapi_client, "INSERT INTO trips (vendorid) VALUES ('MUCH LONGER')")
    assert "value too long for type character varying(10)" in after
    # NOT NULL is still enforced.
    assert run(dataapi_client, "INSERT INTO trips (fare) VALUES (1)")["Status"] == "FAILED"


def test_every_catalog_reports_the_new_length(dataapi_client: Any) -> None:
    _trips(dataapi_client)
    ok(dataapi_client, "ALTER TABLE trips ALTER COLUMN vendorid TYPE VARCHAR(10)")
    assert rows(dataapi_client, LENGTH) == [[10]]
    assert rows(
        dataapi_client,
        "SELECT data_type, character_maximum_length, remarks FROM svv_columns"
        " WHERE table_name = 'trips' AND column_name = 'vendorid'",
    ) == [["character varying", 10, "who drove"]]
    described = dataapi_client.describe_table(**TARGET, Table="trips")["ColumnList"]
    vendor = next(c for c in described if c["name"] == "vendorid")
    assert (vendor["typeName"], vendor["length"], vendor["nullable"]) == ("varchar", 10, 0)
    # The physical design and the key recorded for the table are still there.
    assert rows(
        dataapi_client,
        'SELECT "column", type, distkey FROM pg_table_def'
        " WHERE tablename = 'trips' AND \"column\" = 'vendorid'",
    ) == [["vendorid", "character varying(10)", True]]
    assert rows(
        dataapi_client,
        "SELECT constraint_type FROM information_schema.table_constraints"
        " WHERE table_name = 'trips' AND constraint_type = 'PRIMARY KEY'",
    ) == [["PRIMARY KEY"]]
    engine = sa.create_engine(
        "redshift+dataapi://local/dev", connect_args={"client": dataapi_client}
    )
    try:
        columns = {c["name"]: c for c in sa.inspect(engine).get_columns("trips")}
        assert columns["vendorid"]["type"].length == 10
    finally:
        engine.dispose()


def test_a_smaller_size_must_hold_the_stored_values(dataapi_client: Any) -> None:
    _trips(dataapi_client)
    ok(dataapi_client, "ALTER TABLE trips ALTER COLUMN vendorid TYPE VARCHAR(3)")
    assert rows(dataapi_client, LENGTH) == [[3]]
    error = _failed(dataapi_client, "ALTER TABLE trips ALTER COLUMN vendorid TYPE VARCHAR(2)")
    assert "value too long for type character varying(2)" in error
    # Nothing changed.
    assert rows(dataapi_client, LENGTH) == [[3]]
    assert rows(dataapi_client, "SELECT vendorid FROM trips ORDER BY tripid") == [["VTS"], ["CMT"]]


def test_not_inside_a_transaction_block(dataapi_client: Any) -> None:
    _trips(dataapi_client)
    session = {"SessionId": ok(dataapi_client, "BEGIN", SessionKeepAliveSeconds=60)["SessionId"]}
    error = _failed(
        dataapi_client, "ALTER TABLE trips ALTER COLUMN vendorid TYPE VARCHAR(10)", **session
    )
    assert "ALTER TABLE ALTER COLUMN cannot run inside a transaction block" in error
    assert "25001" in error
    ok(dataapi_client, "ROLLBACK", **session)
    assert rows(dataapi_client, LENGTH) == [[4]]


def test_only_the_size_of_a_varchar_changes(dataapi_client: Any) -> None:
    _trips(dataapi_client)
    using = _failed(
        dataapi_client,
        "ALTER TABLE trips ALTER COLUMN vendorid TYPE VARCHAR(10) USING vendorid::VARCHAR(10)",
    )
    assert "ALTER TABLE ALTER COLUMN does not support USING expression" in using
    other = _failed(dataapi_client, "ALTER TABLE trips ALTER COLUMN tripid TYPE BIGINT")
    assert 'target data type "int8" is not supported' in other
    too_big = _failed(dataapi_client, "ALTER TABLE trips ALTER COLUMN vendorid TYPE VARCHAR(70000)")
    assert "maximum column length is 65535" in too_big
    assert rows(dataapi_client, LENGTH) == [[4]]


def test_varchar_max(dataapi_client: Any) -> None:
    _trips(dataapi_client)
    ok(dataapi_client, "ALTER TABLE trips ALTER COLUMN vendorid TYPE VARCHAR(MAX)")
    assert rows(dataapi_client, LENGTH) == [[65535]]
    ok(dataapi_client, "INSERT INTO trips (vendorid) VALUES ('" + "v" * 300 + "')")
    assert rows(dataapi_client, "SELECT MAX(LEN(vendorid)) FROM trips") == [[300]]


def test_what_redshift_refuses_for_the_column(dataapi_client: Any) -> None:
    ok(
        dataapi_client,
        "CREATE TABLE users (userid VARCHAR(8) PRIMARY KEY, state CHAR(2),"
        " city VARCHAR(20) ENCODE bytedict, tag VARCHAR(10) DEFAULT 'new',"
        " email VARCHAR(40) UNIQUE)",
    )
    ok(dataapi_client, "CREATE TABLE orders (userid VARCHAR(8) REFERENCES users (userid))")
    refused = {
        "userid": "it is part of a PRIMARY KEY constraint",
        "email": "it is part of a UNIQUE constraint",
        "city": "it has the BYTEDICT encoding",
        "state": "of type character(2): ALTER COLUMN TYPE changes the size of a",
    }
    for column, reason in refused.items():
        error = _failed(dataapi_client, f"ALTER TABLE users ALTER COLUMN {column} TYPE VARCHAR(50)")
        assert f'cannot alter column "{column}" of relation "users"' in error, error
        assert reason in error and "0A000" in error, error
    foreign = _failed(dataapi_client, "ALTER TABLE orders ALTER COLUMN userid TYPE VARCHAR(50)")
    assert "it is part of a FOREIGN KEY constraint" in foreign
    # A default allows a larger size, not a smaller one (as Redshift answers).
    ok(dataapi_client, "ALTER TABLE users ALTER COLUMN tag TYPE VARCHAR(12)")
    smaller = _failed(dataapi_client, "ALTER TABLE users ALTER COLUMN tag TYPE VARCHAR(5)")
    assert "cannot decrease a VARCHAR column size with default value" in smaller
    assert rows(
        dataapi_client,
        "SELECT column_name, character_maximum_length FROM information_schema.columns"
        " WHERE table_name = 'users' ORDER BY ordinal_position",
    ) == [["userid", 8], ["state", 2], ["city", 20], ["tag", 12], ["email", 40]]


def test_a_missing_table_or_column(dataapi_client: Any) -> None:
    _trips(dataapi_client)
    table = _failed(dataapi_client, "ALTER TABLE nowhere ALTER COLUMN vendorid TYPE VARCHAR(9)")
    assert 'relation "nowhere" does not exist' in table
    column = _failed(dataapi_client, "ALTER TABLE trips ALTER COLUMN nothing TYPE VARCHAR(9)")
    assert 'column "nothing" of relation "trips" does not exist' in column


def test_a_view_over_the_column(dataapi_client: Any, engine_spec: str) -> None:
    """Engines differ here (README's engine table): PostgreSQL keeps its own rule."""
    _trips(dataapi_client)
    ok(dataapi_client, "CREATE VIEW vendors AS SELECT vendorid FROM trips")
    described = run(dataapi_client, "ALTER TABLE trips ALTER COLUMN vendorid TYPE VARCHAR(10)")
    if engine_spec == "duckdb":
        # DuckDB binds views by name when they run: the view reads the rebuilt table.
        assert described["Status"] == "FINISHED", described.get("Error")
        ok(dataapi_client, "INSERT INTO trips (vendorid) VALUES ('LONGER1')")
        assert rows(dataapi_client, "SELECT COUNT(*) FROM vendors") == [[3]]
    else:
        assert described["Status"] == "FAILED"
        assert "cannot alter type of a column used by a view or rule" in described["Error"]
