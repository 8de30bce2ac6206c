"""Placeholder scanning and binding: the edge cases of the lexical rules, long statements.

Complements test_params.py: the boundaries between code and literal text
(what follows a string, a word, a comment), the order of the Parameters list,
and statements as long as the SQLAlchemy dialect's multi-row INSERTs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from redshift_dataapi import ProgrammingError
from redshift_dataapi.sql.params import bind, find_placeholders


def spans(sql: str) -> list[tuple[str, int, int]]:
    return [(p.name, p.start, p.end) for p in find_placeholders(sql)]


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        # A placeholder right after a literal, identifier or comment is still one.
        ("SELECT 'a':b", [("b", 10, 12)]),
        ('SELECT "c":d', [("d", 10, 12)]),
        ("SELECT /* x */:e", [("e", 14, 16)]),
        ("SELECT x::int, (:a)", [("a", 16, 18)]),
        # ':::a' is a cast followed by a placeholder.
        ("SELECT x:::a", [("a", 10, 12)]),
        # After a word character the colon is no placeholder (times, JSON paths).
        ("SELECT a:b, 1:c, _:d", []),
        # E'...' only when the E does not end a longer word: in type'\' the
        # backslash is plain text and the string ends at the second quote.
        ("SELECT E'\\'' :a", [("a", 13, 15)]),
        ("SELECT e'\\' :a', :b", [("b", 17, 19)]),
        ("SELECT type'\\' :a", [("a", 15, 17)]),
        # Nested block comments; unterminated literals and comments run to the end.
        ("SELECT /* /* :a */ :b */ :c", [("c", 25, 27)]),
        ("SELECT ':a", []),
        ('SELECT ":a', []),
        ("SELECT /* :a", []),
        ("SELECT $x$ :a", []),
        # A $ after a word character starts no dollar quote.
        ("SELECT a$$ :b $$", [("b", 11, 13)]),
        ("SELECT $a$ $b$ :x $a$, :y", [("y", 23, 25)]),
        ("-- :a\n:b", [("b", 6, 8)]),
        (":a", [("a", 0, 2)]),
    ],
)
def test_placeholder_positions(sql: str, expected: list[tuple[str, int, int]]) -> None:
    assert spans(sql) == expected


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
