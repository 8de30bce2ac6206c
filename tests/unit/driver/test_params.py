"""Binding of named parameters: what reaches the Data API."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from redshift_dataapi import ProgrammingError
from redshift_dataapi.sql.params import bind, find_placeholders


def names(sql: str) -> list[str]:
    return [p.name for p in find_placeholders(sql)]


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT :a, :b_2, :3", ["a", "b_2", "3"]),
        ("SELECT ':a', \"x:y\", :c", ["c"]),
        ("SELECT 'it''s :a', :b", ["b"]),
        ("SELECT E'\\' :a', :b", ["b"]),
        ("SELECT $$ :a $$, $tag$ :b $tag$, :c", ["c"]),
        ("SELECT 1 -- :a\n, :b", ["b"]),
        ("SELECT /* :a /* :x */ */ :b", ["b"]),
        ("SELECT x::int, :a::varchar", ["a"]),
        ("SELECT '12:30:00'::time, a:b", []),
    ],
)
def test_placeholders_only_outside_literals_identifiers_comments_and_casts(
    sql: str, expected: list[str]
) -> None:
    assert names(sql) == expected


def test_none_and_empty_string_are_written_as_sql_literals() -> None:
    bound = bind("INSERT INTO t VALUES (:a, :b, :c)", {"a": None, "b": "", "c": "x"})
    assert bound.sql == "INSERT INTO t VALUES (NULL, '', :c)"
    assert bound.parameters == [{"name": "c", "value": "x"}]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.1, "0.1"),
        (1e-300, "1e-300"),
        (2**63, "9223372036854775808"),
        (True, "true"),
        (False, "false"),
        (Decimal("1E+5"), "100000"),
        (Decimal("-0.000000000000000000001"), "-0.000000000000000000001"),
        (dt.date(2024, 2, 29), "2024-02-29"),
        (dt.time(1, 2, 3, 4), "01:02:03.000004"),
        (dt.datetime(2024, 1, 2, 3, 4, 5, 600), "2024-01-02 03:04:05.000600"),
        (
            dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
            "2024-01-02 03:04:05+05:30",
        ),
        (uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
        (float("nan"), "NaN"),
    ],
)
def test_values_travel_in_exact_text(value: object, text: str) -> None:
    bound = bind("SELECT :v", {"v": value})
    assert bound.parameters == [{"name": "v", "value": text}]


def test_float_text_round_trips_exactly() -> None:
    for value in (0.1 + 0.2, 1 / 3, 123456789.123456789, -2.5e-308):
        bound = bind("SELECT :v", {"v": value})
        assert bound.parameters is not None
        assert float(bound.parameters[0]["value"]) == value


def test_bytes_travel_as_hex_through_from_hex() -> None:
    bound = bind("SELECT :b", {"b": b"\x00\xff"})
    assert bound.sql == "SELECT FROM_HEX(:b)"
    assert bound.parameters == [{"name": "b", "value": "00ff"}]


def test_a_repeated_placeholder_is_sent_once() -> None:
    bound = bind("SELECT :a, :a", {"a": 1})
    assert bound.sql == "SELECT :a, :a"
    assert bound.parameters == [{"name": "a", "value": "1"}]


@pytest.mark.parametrize("params", [None, {}])
def test_no_parameters_sends_sql_as_is(params: dict[str, object] | None) -> None:
    assert bind("SELECT ':x' -- :y", params).sql == "SELECT ':x' -- :y"
    assert bind("SELECT ':x' -- :y", params).parameters is None


def test_missing_parameter_is_named() -> None:
    with pytest.raises(ProgrammingError, match="missing_one"):
        bind("SELECT :a, :missing_one", {"a": 1})


def test_unused_parameter_is_named() -> None:
    with pytest.raises(ProgrammingError, match="extra"):
        bind("SELECT :a", {"a": 1, "extra": 2})


def test_unsupported_type_is_named() -> None:
    with pytest.raises(ProgrammingError, match=r"'v'.*list"):
        bind("SELECT :v", {"v": [1, 2]})


def test_sequence_parameters_are_refused_with_paramstyle_hint() -> None:
    with pytest.raises(ProgrammingError, match="named"):
        bind("SELECT :v", [1])  # type: ignore[arg-type]
