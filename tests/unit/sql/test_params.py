"""Binding of named parameters: what reaches the Data API.

Which ``:name`` is a placeholder is the lexer's decision (test_lexer.py);
here: the values' texts, NULL and '' inlining, FROM_HEX, names, errors, and
statements as long as the SQLAlchemy dialect's multi-row INSERTs.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from redshift_dataapi import ProgrammingError
from redshift_dataapi.sql.lexer import find_placeholders
from redshift_dataapi.sql.params import bind, to_text
from tests.lexer_cases import DISAGREEMENTS, Disagreement


@pytest.mark.parametrize("case", DISAGREEMENTS, ids=lambda case: repr(case.sql))
def test_the_driver_binds_what_the_lexer_reads(case: Disagreement) -> None:
    bound = bind(case.sql, case.parameters() or None)
    assert bound.sql == case.sql
    assert [p["name"] for p in bound.parameters or []] == list(case.names)


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
            "2024-01-01 21:34:05+00:00",  # aware: converted to UTC
        ),
        (uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
        (float("nan"), "NaN"),
    ],
)
def test_values_travel_in_exact_text(value: object, text: str) -> None:
    bound = bind("SELECT :v", {"v": value})
    assert bound.parameters == [{"name": "v", "value": text}]


class _Stamp(dt.datetime):
    """A datetime subclass (as pandas.Timestamp is): takes the isinstance path."""


@pytest.mark.parametrize("cls", [dt.datetime, _Stamp])
def test_aware_datetimes_are_sent_in_utc_naive_ones_as_they_are(cls: type[dt.datetime]) -> None:
    # A TIMESTAMP column drops an offset: local time + offset would be stored shifted.
    berlin = ZoneInfo("Europe/Berlin")
    summer = cls(2024, 7, 1, 12, 0, tzinfo=berlin)  # CEST, +02:00
    winter = cls(2024, 1, 1, 12, 0, 0, 5, tzinfo=berlin)  # CET, +01:00
    naive = cls(2024, 7, 1, 12, 0)
    texts = [to_text("v", value) for value in (summer, winter, naive)]
    assert texts == [
        "2024-07-01 10:00:00+00:00",
        "2024-01-01 11:00:00.000005+00:00",
        "2024-07-01 12:00:00",
    ]


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


def test_parameters_follow_the_order_of_first_use() -> None:
    bound = bind("SELECT :z, :a, :m, :a, :z", {"a": 1, "m": 2, "z": 3})
    assert bound.parameters == [
        {"name": "z", "value": "3"},
        {"name": "a", "value": "1"},
        {"name": "m", "value": "2"},
    ]


def test_suffix_renames_every_occurrence_and_entry() -> None:
    bound = bind("VALUES (:a, :b, :a, :c)", {"a": "x", "b": None, "c": b"\x01"}, suffix="_7")
    assert bound.sql == "VALUES (:a_7, NULL, :a_7, FROM_HEX(:c_7))"
    assert bound.parameters == [{"name": "a_7", "value": "x"}, {"name": "c_7", "value": "01"}]


def test_empty_bytes_become_an_empty_hex_literal() -> None:
    bound = bind("SELECT :b, :s", {"b": b"", "s": ""})
    assert bound.sql == "SELECT FROM_HEX(''), ''"
    assert bound.parameters is None


@pytest.mark.parametrize("key", ["a b", "", "a\nb", "é", "a-b", 1])
def test_invalid_name_among_valid_ones_is_named(key: object) -> None:
    params = {f"p{i}": i for i in range(50)}
    params[key] = 1  # type: ignore[index]
    with pytest.raises(ProgrammingError, match=r"parameter name .* is invalid"):
        bind("SELECT " + ", ".join(f":{name}" for name in params if isinstance(name, str)), params)


def test_numpy_float_travels_as_a_number() -> None:
    np = pytest.importorskip("numpy", reason="numpy is optional (pandas extra)")
    bound = bind("SELECT :v", {"v": np.float64(0.1)})
    assert bound.parameters == [{"name": "v", "value": "0.1"}]


def test_a_long_multi_row_insert_binds_every_row() -> None:
    rows = 2000
    columns = ("i", "f", "d", "s", "b", "dd", "ts")
    sql = "INSERT INTO t (i, f, d, s, b, dd, ts) VALUES " + ", ".join(
        "(" + ", ".join(f":{c}__{r}" for c in columns) + ")" for r in range(rows)
    )
    params: dict[str, object] = {}
    for r in range(rows):
        params.update(
            {
                f"i__{r}": r,
                f"f__{r}": r / 4,
                f"d__{r}": Decimal(r) / 100 if r % 3 else None,
                f"s__{r}": f"it's :not_a_param {r}" if r % 5 else "",
                f"b__{r}": r % 2 == 0,
                f"dd__{r}": dt.date(2024, 1, 1) + dt.timedelta(days=r),
                f"ts__{r}": dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(hours=r),
            }
        )
    bound = bind(sql, params)
    assert bound.parameters is not None
    sent = {p["name"]: p["value"] for p in bound.parameters}
    assert sent["i__1999"] == "1999"
    assert sent["f__3"] == "0.75"
    assert sent["d__5"] == "0.05"
    assert "d__3" not in sent and "s__5" not in sent
    assert sent["s__7"] == "it's :not_a_param 7"
    assert sent["b__0"] == "true"
    assert sent["dd__31"] == "2024-02-01"
    assert sent["ts__25"] == "2024-01-02 01:00:00+00:00"
    assert "(:i__3, :f__3, NULL, :s__3, :b__3, :dd__3, :ts__3)" in bound.sql
    assert "(:i__5, :f__5, :d__5, '', :b__5, :dd__5, :ts__5)" in bound.sql
    assert len(bound.parameters) == sum(1 for v in params.values() if v is not None and v != "")
    # Every parameter sent is used by the SQL, and nothing else is.
    assert {p.name for p in find_placeholders(bound.sql)} == set(sent)
