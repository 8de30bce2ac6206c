"""Redshift typeNames, ColumnMetadata and Python values from the PostgreSQL engine.

Every value goes in as a Data API parameter (a string) and comes back as the
Python type the engine contract (engines/base.py) names for its typeName.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from redshift_dataapi.local.engines import ColumnInfo
from redshift_dataapi.local.engines.postgres.engine import PostgresConnection

pytestmark = pytest.mark.postgres

UTC = dt.timezone.utc
PLUS2 = dt.timezone(dt.timedelta(hours=2))

# column, Redshift declaration, parameter text, typeName, expected Python value
CASES: list[tuple[str, str, str, str, Any]] = [
    ("c_int2", "SMALLINT", "7", "int2", 7),
    ("c_int4", "INTEGER", "-42", "int4", -42),
    ("c_int8", "BIGINT", "9007199254740993", "int8", 9007199254740993),
    ("c_float4", "REAL", "1.5", "float4", 1.5),
    ("c_float8", "DOUBLE PRECISION", "2.25", "float8", 2.25),
    ("c_numeric", "DECIMAL(12,3)", "12345.678", "numeric", Decimal("12345.678")),
    ("c_bool", "BOOLEAN", "true", "bool", True),
    ("c_char", "CHAR(5)", "ab", "bpchar", "ab   "),
    ("c_varchar", "VARCHAR(30)", "héllo 100% :x", "varchar", "héllo 100% :x"),
    ("c_date", "DATE", "2024-02-29", "date", dt.date(2024, 2, 29)),
    ("c_time", "TIME", "13:14:15.5", "time", dt.time(13, 14, 15, 500000)),
    ("c_timetz", "TIMETZ", "13:14:15+02", "timetz", dt.time(13, 14, 15, tzinfo=PLUS2)),
    (
        "c_ts",
        "TIMESTAMP",
        "2024-02-29 13:14:15.123456",
        "timestamp",
        dt.datetime(2024, 2, 29, 13, 14, 15, 123456),
    ),
    (
        "c_tstz",
        "TIMESTAMPTZ",
        "2024-02-29 13:14:15+02",
        "timestamptz",
        dt.datetime(2024, 2, 29, 11, 14, 15, tzinfo=UTC),
    ),
    ("c_super", "SUPER", '{"k": [1, 2], "s": "x"}', "super", {"k": [1, 2], "s": "x"}),
    ("c_varbyte", "VARBYTE(16)", "\\x6869", "varbyte", b"hi"),
]


@pytest.fixture
def typed_row(
    conn: PostgresConnection, table_name: str
) -> tuple[list[ColumnInfo], tuple[Any, ...]]:
    columns = ", ".join(f"{name} {decl}" for name, decl, _, _, _ in CASES)
    conn.execute(f"CREATE TABLE {table_name} (id INT NOT NULL, {columns}) DISTSTYLE EVEN")
    names = ", ".join(name for name, *_ in CASES)
    placeholders = ", ".join(f":{name}" for name, *_ in CASES)
    inserted = conn.execute(
        f"INSERT INTO {table_name} (id, {names}) VALUES (:id, {placeholders})",
        {"id": "1", **{name: text for name, _, text, _, _ in CASES}},
    )
    assert inserted.columns is None
    assert inserted.affected_rows == 1
    result = conn.execute(f"SELECT {names}, id FROM {table_name}")
    assert result.columns is not None
    assert len(result.rows) == 1
    return result.columns, result.rows[0]


@pytest.mark.parametrize(("column", "decl", "text", "type_name", "expected"), CASES)
def test_a_parameter_round_trips_with_its_redshift_type_name(
    typed_row: tuple[list[ColumnInfo], tuple[Any, ...]],
    column: str,
    decl: str,
    text: str,
    type_name: str,
    expected: Any,
) -> None:
    columns, row = typed_row
    index = [c.name for c in columns].index(column)
    assert columns[index].type_name == type_name
    value = row[index]
    if type_name == "super":
        assert isinstance(value, str), "super comes back as JSON text, not parsed"
        value = json.loads(value)
    assert value == expected
    assert type(value) is type(expected)
    if isinstance(expected, (dt.datetime, dt.time)):
        assert (value.tzinfo is None) == (expected.tzinfo is None)


def test_column_metadata_comes_from_the_table(
    typed_row: tuple[list[ColumnInfo], tuple[Any, ...]], table_name: str
) -> None:
    columns, _ = typed_row
    by_name = {c.name: c for c in columns}
    numeric = by_name["c_numeric"]
    assert (numeric.precision, numeric.scale, numeric.is_signed) == (12, 3, True)
    assert (by_name["c_varchar"].length, by_name["c_varchar"].is_case_sensitive) == (30, True)
    assert by_name["c_char"].length == 5
    assert by_name["c_int8"].precision == 19
    assert by_name["c_bool"].is_signed is False
    assert by_name["id"].nullable == 0
    assert by_name["c_int4"].nullable == 1
    assert all(c.schema_name == "public" and c.table_name == table_name for c in columns)
    assert all(c.label == c.name for c in columns)


def test_an_integer_column_compares_with_a_string_parameter(
    conn: PostgresConnection, table_name: str
) -> None:
    conn.execute(f"CREATE TABLE {table_name} (id INT, name VARCHAR(10))")
    conn.execute(f"INSERT INTO {table_name} VALUES (41, 'a'), (42, 'b'), (43, 'c')")
    result = conn.execute(f"SELECT name FROM {table_name} WHERE id = :id", {"id": "42"})
    assert result.rows == [("b",)]
    result = conn.execute(
        f"SELECT count(*) FROM {table_name} WHERE id > :low AND name LIKE :pattern",
        {"low": "41", "pattern": "%"},
    )
    assert result.rows == [(2,)]
    assert result.columns is not None and result.columns[0].type_name == "int8"


def test_a_parameter_that_does_not_fit_the_type_fails_with_the_servers_error(
    conn: PostgresConnection, table_name: str
) -> None:
    from redshift_dataapi.local.engines import EngineError

    conn.execute(f"CREATE TABLE {table_name} (id INT)")
    with pytest.raises(EngineError) as failed:
        conn.execute(f"INSERT INTO {table_name} VALUES (:id)", {"id": "forty-two"})
    assert failed.value.sqlstate == "22P02"
    assert "invalid input syntax for type integer" in failed.value.message


@pytest.mark.parametrize(
    ("expression", "type_name", "expected"),
    [
        ("INTERVAL '1 day 2 hours'", "interval", "1 day 02:00:00"),
        ("CAST(NULL AS INTEGER)", "int4", None),
        ("CAST('{1,2}' AS INT[])", "_int4", "{1,2}"),
        (
            "CAST('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' AS UUID)",
            "uuid",
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
        ),
        ("CAST(12 AS OID)", "oid", "12"),
        ("current_user = current_user", "bool", True),
    ],
)
def test_other_types_come_back_as_the_servers_text(
    conn: PostgresConnection, expression: str, type_name: str, expected: Any
) -> None:
    result = conn.execute(f"SELECT {expression} AS v")
    assert result.columns is not None
    assert result.columns[0].type_name == type_name
    assert result.rows == [(expected,)]


def test_an_untyped_parameter_is_text(conn: PostgresConnection) -> None:
    result = conn.execute("SELECT :x AS x", {"x": "50%"})
    assert result.columns is not None and result.columns[0].type_name == "text"
    assert result.rows == [("50%",)]
    assert result.columns[0].nullable == 2, "an expression's nullability is unknown"
    assert (result.columns[0].schema_name, result.columns[0].table_name) == ("", "")


def test_timestamptz_is_utc_even_after_set_timezone(engine: Any) -> None:
    session = engine.connect("dev")
    try:
        session.execute("SET TimeZone = 'Asia/Tokyo'")
        result = session.execute("SELECT CAST('2024-01-01 09:00:00+09' AS TIMESTAMPTZ) AS t")
    finally:
        session.close()
    assert result.rows == [(dt.datetime(2024, 1, 1, 0, 0, tzinfo=UTC),)]
    assert result.rows[0][0].utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize(
    "literal", ["CAST('infinity' AS TIMESTAMP)", "CAST('0044-03-15 BC' AS DATE)"]
)
def test_dates_python_cannot_hold_fail_the_statement_clearly(
    conn: PostgresConnection, literal: str
) -> None:
    from redshift_dataapi.local.engines import EngineError

    with pytest.raises(EngineError) as failed:
        conn.execute(f"SELECT {literal} AS d")
    assert failed.value.sqlstate == "22008"
    assert failed.value.message.startswith("ERROR: ")
    assert conn.execute("SELECT 1 AS one").rows == [(1,)], "the connection stays usable"


def test_geometry_geography_and_hllsketch_keep_their_redshift_names(
    engine: Any, conn: PostgresConnection, table_name: str
) -> None:
    conn.execute(f"CREATE TABLE {table_name} (id INT, g GEOMETRY, h HLLSKETCH)")
    conn.execute(f"ALTER TABLE {table_name} ADD COLUMN geography GEOGRAPHY")
    ewkb = "0101000000000000000000F03F0000000000000040"
    conn.execute(f"INSERT INTO {table_name} (id, g) VALUES (1, :g)", {"g": ewkb})
    result = conn.execute(f"SELECT g, h, geography, id FROM {table_name}")
    assert result.columns is not None
    assert [c.type_name for c in result.columns] == ["geometry", "hllsketch", "geography", "int4"]
    assert result.rows == [(ewkb, None, None, 1)]
    described = engine.describe_table("dev", "public", table_name)
    assert [(c.name, c.type_name) for c in described] == [
        ("id", "int4"),
        ("g", "geometry"),
        ("h", "hllsketch"),
        ("geography", "geography"),
    ]


def test_a_user_role_can_declare_geometry_columns(engine: Any, table_name: str) -> None:
    alice = engine.connect("dev", "alice")
    try:
        alice.execute(f"CREATE TABLE {table_name}_a (g GEOMETRY)")
        assert alice.execute(f"SELECT g FROM {table_name}_a").columns[0].type_name == "geometry"
    finally:
        engine.release(alice)
