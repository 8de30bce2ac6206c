"""One-argument TRUNC is found however the installed sqlglot reads it."""

from __future__ import annotations

import pytest
import sqlglot
from sqlglot import exp

from redshift_dataapi.local.translate import functions


def _truncs(tree: exp.Expression) -> list[str]:
    return [argument.sql() for _, argument in functions._one_argument_truncs(tree)]


def test_truncs_of_the_installed_sqlglot() -> None:
    tree = sqlglot.parse_one("SELECT TRUNC(ts), TRUNC(n, 2), TRUNC(a + 1) FROM t", read="redshift")
    assert _truncs(tree) == ["ts", "a + 1"]


def test_truncs_read_as_anonymous_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    # sqlglot before exp.Trunc (the release Apache Superset pins) reads TRUNC(x) so.
    monkeypatch.setattr(functions, "_TRUNC", None)
    tree = exp.select(
        exp.Anonymous(this="TRUNC", expressions=[exp.column("ts")]),
        exp.Anonymous(this="trunc", expressions=[exp.column("n"), exp.Literal.number(2)]),
        exp.Anonymous(this="OTHER", expressions=[exp.column("x")]),
    ).from_("t")
    assert _truncs(tree) == ["ts"]
