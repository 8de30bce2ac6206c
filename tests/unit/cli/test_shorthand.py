"""The AWS CLI shorthand and JSON forms of --parameters."""

from __future__ import annotations

import pytest

from redshift_dataapi.cli.errors import UsageError
from redshift_dataapi.cli.shorthand import parse_structure, parse_structure_list

KEYS = ["name", "value"]


def test_shorthand_pairs() -> None:
    assert parse_structure("name=id,value=42", KEYS) == {"name": "id", "value": "42"}


def test_comma_inside_a_value_stays_when_no_key_follows() -> None:
    assert parse_structure("name=city,value=Paris, France", KEYS) == {
        "name": "city",
        "value": "Paris, France",
    }


def test_quoted_and_escaped_values() -> None:
    assert parse_structure("value='a,name=b',name=x", KEYS) == {"value": "a,name=b", "name": "x"}
    assert parse_structure(r"name=x,value=a\,name=b", KEYS) == {"name": "x", "value": "a,name=b"}


def test_list_of_shorthand_words() -> None:
    words = ["name=a,value=1", "name=b,value=2"]
    assert parse_structure_list(words, KEYS) == [
        {"name": "a", "value": "1"},
        {"name": "b", "value": "2"},
    ]


def test_json_list() -> None:
    words = ['[{"name": "a", "value": "1"}, {"name": "b", "value": "x y"}]']
    assert parse_structure_list(words, KEYS) == [
        {"name": "a", "value": "1"},
        {"name": "b", "value": "x y"},
    ]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["nom=a,value=1"], "unknown key 'nom'"),
        (["name"], "expected KEY=VALUE"),
        (["[{bad json"], "invalid JSON"),
        (["name='a,value=1"], "unterminated quote"),
        (['["a"]'], "list of objects"),
    ],
)
def test_mistakes_name_the_problem(words: list[str], expected: str) -> None:
    with pytest.raises(UsageError, match=expected) as info:
        parse_structure_list(words, KEYS)
    assert "--parameters" in info.value.message
