"""Conversion of result values, type objects, constructors and description."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

import redshift_dataapi
from redshift_dataapi import types
from redshift_dataapi.results.csv_pages import convert_chunk, parse_chunk

UTC = dt.timezone.utc


@pytest.mark.parametrize(
    ("type_name", "field", "expected"),
    [
        ("int8", {"longValue": 9007199254740993}, 9007199254740993),
        ("float8", {"doubleValue": 0.1}, 0.1),
        ("bool", {"booleanValue": False}, False),
        (
            "numeric",
            {"stringValue": "12345678901234567890.123456789"},
            Decimal("12345678901234567890.123456789"),
        ),
        ("date", {"stringValue": "2024-02-29"}, dt.date(2024, 2, 29)),
        ("time", {"stringValue": "13:14:15.5"}, dt.time(13, 14, 15, 500000)),
        (
            "timetz",
            {"stringValue": "13:14:15+05"},
            dt.time(13, 14, 15, tzinfo=dt.timezone(dt.timedelta(hours=5))),
        ),
        (
            "timestamp",
            {"stringValue": "2024-01-02 03:04:05.1"},
            dt.datetime(2024, 1, 2, 3, 4, 5, 100000),
        ),
        (
            "timestamp",
            {"stringValue": "2024-01-02 03:04:05.123456789"},
            dt.datetime(2024, 1, 2, 3, 4, 5, 123456),
        ),
        ("timestamp", {"stringValue": "2024-01-02 03:04:05"}, dt.datetime(2024, 1, 2, 3, 4, 5)),
        (
            "timestamptz",
            {"stringValue": "2024-01-02 03:04:05.12+00"},
            dt.datetime(2024, 1, 2, 3, 4, 5, 120000, tzinfo=UTC),
        ),
        ("super", {"stringValue": '{"a": 1}'}, '{"a": 1}'),
        ("varbyte", {"stringValue": "00ff10"}, b"\x00\xff\x10"),
        ("varbyte", {"blobValue": b"\x01\x02"}, b"\x01\x02"),
        ("geometry", {"stringValue": "0101"}, "0101"),
        ("some_new_type", {"stringValue": "whatever"}, "whatever"),
        ("int4", {"isNull": True}, None),
        ("numeric", {"isNull": True}, None),
        ("varchar", {"stringValue": ""}, ""),
        ("timestamp", {"stringValue": "infinity"}, "infinity"),
    ],
)
def test_json_fields_convert_by_type_name(
    type_name: str, field: dict[str, Any], expected: Any
) -> None:
    (conv,) = types.json_converters([type_name])
    assert conv(field) == expected
    if expected is not None:
        assert type(conv(field)) is type(expected)


def test_parse_super_option() -> None:
    (conv,) = types.json_converters(["super"], parse_super=True)
    assert conv({"stringValue": '{"a": [1, null]}'}) == {"a": [1, None]}


@pytest.fixture
def registered() -> Iterator[None]:
    types.register_converter("numeric", float)
    types.register_converter("int4", lambda text: f"int:{text}")
    yield
    types.unregister_converter("numeric")
    types.unregister_converter("int4")


def test_registered_converters_apply_on_both_paths(registered: None) -> None:
    json_num, json_int = types.json_converters(["numeric", "int4"])
    assert json_num({"stringValue": "1.5"}) == 1.5
    assert json_int({"longValue": 7}) == "int:7"
    assert convert_chunk("1.5,7\n", types.csv_converters(["numeric", "int4"])) == [(1.5, "int:7")]


def test_per_connection_overrides_win() -> None:
    (conv,) = types.json_converters(["numeric"], overrides={"numeric": str})
    assert conv({"stringValue": "1.50"}) == "1.50"


def test_type_objects_compare_equal_to_type_names() -> None:
    assert redshift_dataapi.NUMBER == "numeric" and redshift_dataapi.NUMBER == "int8"
    assert redshift_dataapi.STRING == "varchar" and redshift_dataapi.STRING != "int4"
    assert redshift_dataapi.DATETIME == "timestamptz"
    assert redshift_dataapi.BINARY == "varbyte"
    # PEP 249 compares description's type_code (a str) against the type object.
    assert "date" == redshift_dataapi.DATETIME  # noqa: SIM300
    assert redshift_dataapi.ROWID != "varchar"


def test_constructors() -> None:
    assert redshift_dataapi.Date(2024, 1, 2) == dt.date(2024, 1, 2)
    assert redshift_dataapi.Binary("ab") == b"ab"
    assert redshift_dataapi.TimestampFromTicks(0) == dt.datetime.fromtimestamp(0)
    assert redshift_dataapi.DateFromTicks(0) == dt.date.fromtimestamp(0)
    assert redshift_dataapi.TimeFromTicks(0) == dt.datetime.fromtimestamp(0).time()


def test_description_from_column_metadata() -> None:
    desc = types.build_description(
        [
            {
                "name": "n",
                "label": "alias",
                "typeName": "numeric",
                "precision": 10,
                "scale": 2,
                "nullable": 1,
            },
            {"name": "s", "typeName": "varchar", "length": 20, "nullable": 0},
        ]
    )
    assert desc == [
        ("alias", "numeric(10,2)", None, None, 10, 2, True),
        ("s", "varchar", None, 20, None, None, False),
    ]
    assert desc[0][1] == types.NUMBER and desc[0][1] != types.STRING


def test_numeric_type_code_without_precision_stays_bare() -> None:
    (item,) = types.build_description([{"name": "n", "typeName": "numeric", "precision": 0}])
    assert item[1] == "numeric" and item[1] == types.NUMBER


@pytest.mark.parametrize(
    ("chunk", "rows"),
    [
        ("1,a\n2,b\n", [["1", "a"], ["2", "b"]]),
        (',\n"",""\n', [[None, None], ["", ""]]),
        ('"a,b","say ""hi"""\n', [["a,b", 'say "hi"']]),
        ('"line1\nline2",x\r\n"",\n', [["line1\nline2", "x"], ["", None]]),
        ('"a\r\nb",\n', [["a\r\nb", None]]),
        ('x,""\n', [["x", ""]]),
    ],
)
def test_csv_chunks_keep_null_and_empty_string_apart(
    chunk: str, rows: list[list[str | None]]
) -> None:
    assert parse_chunk(chunk) == rows


def test_csv_and_json_give_the_same_values() -> None:
    names = ["int4", "float8", "numeric", "bool", "timestamptz", "varchar", "varbyte", "date"]
    json_row: list[dict[str, Any]] = [
        {"longValue": 5},
        {"doubleValue": 2.5},
        {"stringValue": "1.10"},
        {"booleanValue": True},
        {"stringValue": "2024-01-01 00:00:00+00"},
        {"stringValue": 'a,"b"'},
        {"stringValue": "ff"},
        {"isNull": True},
    ]
    csv_text = '5,2.5,1.10,true,2024-01-01 00:00:00+00,"a,""b""",ff,\n'
    json_convs = types.json_converters(names)
    from_json = tuple(c(f) for c, f in zip(json_convs, json_row, strict=True))
    (from_csv,) = convert_chunk(csv_text, types.csv_converters(names))
    assert from_json == from_csv


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-02 03:04:05.1234567+05", "2024-01-02 03:04:05.123456+05:00"),
        ("03:04:05.5-0730", "03:04:05.500000-07:30"),
        ("2024-01-02 03:04:05", "2024-01-02 03:04:05"),
    ],
)
def test_iso_normalisation_for_older_pythons(text: str, expected: str) -> None:
    assert types._normalized_iso(text) == expected
