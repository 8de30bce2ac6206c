"""The translator's modules: names other code imports, and the scanner used directly.

The engines import ``Token``, ``scan``, ``Translated``, ``translate`` and
``DeclaredColumn`` from ``local.translate``; they live in ``sql_scan`` and
``translate_types`` now and must stay importable from the old place.
"""

from __future__ import annotations

import importlib

import pytest

from redshift_dataapi.local.translate import scan as sql_scan
from redshift_dataapi.local.translate import types as translate_types


@pytest.mark.parametrize(
    ("name", "home"),
    [
        ("scan", sql_scan),
        ("split_statements", sql_scan),
        ("Token", sql_scan),
        ("Target", sql_scan),
        ("DeclaredColumn", translate_types),
    ],
)
def test_names_moved_out_of_translate_are_still_importable_from_it(name: str, home: object) -> None:
    translate_module = importlib.import_module("redshift_dataapi.local.translate.core")
    assert name in translate_module.__all__
    assert getattr(translate_module, name) is getattr(home, name)


def test_translate_and_translated_are_importable() -> None:
    from redshift_dataapi.local.translate.core import Translated, translate

    result = translate("SELECT 1", "duckdb")
    assert isinstance(result, Translated) and result.kind == "query"


def test_placeholders_number_distinct_names_in_order_of_first_use() -> None:
    sql = "SELECT :b, ':a', :a::int, :b FROM t WHERE x LIKE '5%' -- :c"
    tokens, names = sql_scan.replace_params(sql_scan.scan(sql))
    assert names == ["b", "a"]  # :c is in a comment, ':a' is a string, :: is a cast
    text = sql_scan.join_tokens(tokens)
    assert sql_scan.placeholders(text, names, "duckdb") == (
        "SELECT $1, ':a', $2::int, $1 FROM t WHERE x LIKE '5%' -- :c"
    )
    assert sql_scan.placeholders(text, names, "postgres") == (
        "SELECT %(b)s, ':a', %(a)s::int, %(b)s FROM t WHERE x LIKE '5%%' -- :c"
    )
