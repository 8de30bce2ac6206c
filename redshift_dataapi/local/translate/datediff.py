"""Redshift's DATEDIFF as the count of datepart boundaries crossed, for each target.

Redshift's ``DATEDIFF(datepart, a, b)`` does not measure elapsed time: it
counts how many datepart boundaries lie between ``a`` and ``b``.  One minute
from 23:59 to 00:01 is one day, 31 January to 1 February is one month, and
31 December to 1 January is one year; the result is negative when ``b`` is
before ``a`` and is a BIGINT.  Weeks start on Monday (Redshift's
``DATE_TRUNC('week', ...)`` gives the Monday), and centuries and millennia
start in years ending in 01 (``DATE_TRUNC('millennium', '2020-04-30')`` is
2001-01-01).

sqlglot writes PostgreSQL's DATEDIFF as elapsed time (epoch seconds divided
by the unit, ``AGE()`` for months), which is wrong across boundaries, and
``CAST(AGE(...) AS BIGINT)``, which PostgreSQL refuses, for decades and
longer.  DuckDB's ``date_diff`` counts boundaries for every part but two: its
weeks are elapsed days divided by seven, and its centuries and millennia
start in years ending in 00.  :func:`datediff_boundaries` gives the
replacement expression for those cases.
"""

from __future__ import annotations

from sqlglot import exp

from .target import Target
from .work import Work

__all__ = ["datediff_boundaries", "datediffs", "rewrite_datediffs"]

#: Units sqlglot's Redshift reader leaves unnormalised.
_UNIT_ALIASES = {"WEEKS": "WEEK", "MILLENNIA": "MILLENNIUM"}

#: Parts counted as whole numbers of a fixed length once both ends are
#: truncated to the part: DATE_TRUNC field and the part's length in seconds.
_CLOCK_PARTS = {
    "HOUR": ("hour", 3600),
    "MINUTE": ("minute", 60),
    "SECOND": ("second", 1),
}

#: Parts counted by the difference of one EXTRACT field (both targets number
#: decades, centuries and millennia the way Redshift truncates to them).
_FIELD_PARTS = {"YEAR", "DECADE", "CENTURY", "MILLENNIUM"}


def _unit(node: exp.Expression) -> str | None:
    unit = node.args.get("unit")
    if unit is None:
        return None
    name = str(unit.name).upper()
    return _UNIT_ALIASES.get(name, name)


def _timestamp(value: exp.Expression) -> exp.Expression:
    return exp.cast(value.copy(), "TIMESTAMP")


def _extract(field: str, value: exp.Expression) -> exp.Expression:
    return exp.Extract(this=exp.var(field), expression=value.copy())


def _field_diff(field: str, start: exp.Expression, end: exp.Expression) -> exp.Expression:
    """``EXTRACT(field FROM end) - EXTRACT(field FROM start)``, parenthesised."""
    return exp.paren(exp.Sub(this=_extract(field, end), expression=_extract(field, start)))


def _trunc(part: str, value: exp.Expression) -> exp.Expression:
    # Written as a plain call so that both targets get DATE_TRUNC('part', x) verbatim.
    return exp.Anonymous(this="DATE_TRUNC", expressions=[exp.Literal.string(part), value.copy()])


def _in_months(
    months_per_year: int, field: str, start: exp.Expression, end: exp.Expression
) -> exp.Expression:
    """Year difference times ``months_per_year`` plus the difference of ``field``."""
    years = exp.Mul(
        this=_field_diff("YEAR", start, end), expression=exp.Literal.number(months_per_year)
    )
    return exp.Add(this=years, expression=_field_diff(field, start, end))


def _postgres(unit: str, start: exp.Expression, end: exp.Expression) -> exp.Expression | None:
    if unit in _FIELD_PARTS:
        diff = _field_diff(unit, start, end)
    elif unit == "QUARTER":
        diff = _in_months(4, "QUARTER", start, end)
    elif unit == "MONTH":
        diff = _in_months(12, "MONTH", start, end)
    elif unit == "DAY":
        # date - date is a whole number of days in PostgreSQL.
        diff = exp.Sub(this=exp.cast(end.copy(), "DATE"), expression=exp.cast(start.copy(), "DATE"))
    elif unit == "WEEK":
        days = exp.Sub(
            this=exp.cast(_trunc("week", end), "DATE"),
            expression=exp.cast(_trunc("week", start), "DATE"),
        )
        # typed: sqlglot would otherwise write a float division for PostgreSQL.
        diff = exp.Div(this=exp.paren(days), expression=exp.Literal.number(7), typed=True)
    elif unit in _CLOCK_PARTS:
        part, seconds = _CLOCK_PARTS[unit]
        interval = exp.Sub(this=_trunc(part, end), expression=_trunc(part, start))
        # Both ends truncated: the interval is a whole number of parts, and
        # EXTRACT(EPOCH ...) is an exact NUMERIC (typed: no float division).
        diff = exp.Div(
            this=_extract("EPOCH", interval), expression=exp.Literal.number(seconds), typed=True
        )
    elif unit == "MILLISECOND":
        interval = exp.Sub(
            this=_trunc("milliseconds", end), expression=_trunc("milliseconds", start)
        )
        diff = exp.Mul(this=_extract("EPOCH", interval), expression=exp.Literal.number(1000))
    elif unit == "MICROSECOND":
        # Timestamps hold microseconds: nothing to truncate.
        interval = exp.Sub(this=end.copy(), expression=start.copy())
        diff = exp.Mul(this=_extract("EPOCH", interval), expression=exp.Literal.number(1_000_000))
    else:
        return None
    return exp.cast(diff, "BIGINT")


def _duckdb(unit: str, start: exp.Expression, end: exp.Expression) -> exp.Expression | None:
    if unit == "WEEK":
        # Whole weeks between the Mondays starting the two weeks.
        return exp.Anonymous(
            this="DATE_DIFF",
            expressions=[exp.Literal.string("week"), _trunc("week", start), _trunc("week", end)],
        )
    if unit in ("CENTURY", "MILLENNIUM"):
        return exp.cast(_field_diff(unit, start, end), "BIGINT")
    return None  # sqlglot's DATE_DIFF already counts boundaries


def datediff_boundaries(node: exp.Expression, target: Target) -> exp.Expression | None:
    """The boundary-counting replacement for a DATEDIFF node on ``target``, or None.

    ``node`` is sqlglot's reading of Redshift's ``DATEDIFF(part, start, end)``
    (``TsOrDsDiff`` or ``DateDiff``: ``this`` is the end, ``expression`` the
    start).  None means the node is not a DATEDIFF, its part is one this
    module does not know, or sqlglot's own output is already right.  Both
    ends are cast to TIMESTAMP, as sqlglot does (DATE and string values work).
    """
    if not isinstance(node, (exp.TsOrDsDiff, exp.DateDiff)):
        return None
    unit = _unit(node)
    end, start = node.this, node.expression
    if unit is None or end is None or start is None:
        return None
    end, start = _timestamp(end), _timestamp(start)
    if target == "postgres":
        return _postgres(unit, start, end)
    return _duckdb(unit, start, end)


def rewrite_datediffs(tree: exp.Expression, target: Target) -> None:
    """Replace, in place, every DATEDIFF in ``tree`` that ``target`` would get wrong.

    Innermost first, so that a DATEDIFF inside another's arguments is
    rewritten before the outer one copies them.  ``tree`` itself must not be
    a DATEDIFF (it is a statement).
    """
    found: list[exp.Expression] = list(tree.find_all(exp.TsOrDsDiff, exp.DateDiff))
    for node in reversed(found):  # pre-order reversed: descendants before ancestors
        replacement = datediff_boundaries(node, target)
        if replacement is not None:
            node.replace(replacement)


def datediffs(work: Work) -> None:
    """The AST pass: every DATEDIFF the target would get wrong counts boundaries."""
    rewrite_datediffs(work.ast, work.target)
