"""Field unions written column by column decode to the Field dicts of each value."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redshift_dataapi.local import response_json
from redshift_dataapi.local.runtime import json_fields

# The parser fixture patches once for all of a test's examples, as intended.
_ONE_PARSER = [HealthCheck.function_scoped_fixture]


@pytest.fixture(params=["orjson", "stdlib"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "orjson":
        pytest.importorskip("orjson", reason="orjson comes with the `fast` extra")
    else:
        monkeypatch.setattr(response_json, "_orjson", None)
    return str(request.param)


def _expected(member: str, values: list[Any], convert: Any) -> list[Any]:
    return [{"isNull": True} if v is None else {member: convert(v)} for v in values]


def _decoded(pieces: list[bytes]) -> list[Any]:
    return [json.loads(piece) for piece in pieces]


def _same(got: list[Any], expected: list[Any]) -> None:
    # NaN != NaN: compare the text of the decoded values, and their types.
    assert repr(got) == repr(expected)


TEXTS = st.lists(
    st.one_of(
        st.none(),
        st.text(),
        st.sampled_from(['","', 'ends with ",', "\\", '\\"', "", "é ☃ 𝄞", "\x00\x1f", "a,b"]),
    ),
    max_size=30,
)


@settings(max_examples=150, deadline=None, suppress_health_check=_ONE_PARSER)
@given(values=TEXTS)
def test_string_fields(parser: str, values: list[str | None]) -> None:
    _same(_decoded(json_fields.string_fields(values)), _expected("stringValue", values, str))


@settings(max_examples=100, deadline=None, suppress_health_check=_ONE_PARSER)
@given(values=st.lists(st.one_of(st.none(), st.integers(), st.booleans()), max_size=30))
def test_long_fields(parser: str, values: list[int | None]) -> None:
    # Integers beyond 64 bits and bools (int(True) == 1) included.
    _same(_decoded(json_fields.long_fields(values)), _expected("longValue", values, int))


@settings(max_examples=100, deadline=None, suppress_health_check=_ONE_PARSER)
@given(
    values=st.lists(st.one_of(st.none(), st.floats(), st.integers(-(2**53), 2**53)), max_size=30)
)
def test_double_fields(parser: str, values: list[float | None]) -> None:
    _same(_decoded(json_fields.double_fields(values)), _expected("doubleValue", values, float))


@settings(max_examples=50, deadline=None, suppress_health_check=_ONE_PARSER)
@given(values=st.lists(st.one_of(st.none(), st.booleans(), st.integers(0, 3)), max_size=30))
def test_bool_fields(parser: str, values: list[Any]) -> None:
    _same(_decoded(json_fields.bool_fields(values)), _expected("booleanValue", values, bool))


def test_non_finite_doubles_stay_numbers(parser: str) -> None:
    got = _decoded(json_fields.double_fields([math.nan, math.inf, -math.inf, 1.0]))
    assert math.isnan(got[0]["doubleValue"]) and got[1:] == [
        {"doubleValue": math.inf},
        {"doubleValue": -math.inf},
        {"doubleValue": 1.0},
    ]


def test_a_page_is_the_rows_of_the_columns() -> None:
    ints = json_fields.long_fields([1, None, 3])
    texts = json_fields.string_fields(["a", "b", None])
    page = json_fields.json_page([ints, texts], 1, 3)
    assert json.loads(page) == [
        [{"isNull": True}, {"stringValue": "b"}],
        [{"longValue": 3}, {"isNull": True}],
    ]
    assert json.loads(json_fields.json_page([ints, texts], 2, 2)) == []
    assert json.loads(json_fields.json_page([], 0, 2)) == [[], []]
