"""Explicit casts whose results Redshift types differently from the targets.

* :func:`string_casts`: ``CAST(x AS VARCHAR(n))``, ``x::CHAR(n)`` and
  ``CONVERT(VARCHAR(n), x)`` cut the value to ``n`` *bytes* on Redshift
  (its lengths count bytes).  DuckDB ignores the length (the whole string
  comes back, and an INSERT of it then fails the column's length check);
  PostgreSQL cuts to ``n`` characters.  Both targets get the cast's operand
  through ``redshift_left_bytes(text, n)`` (``engines.redshift_functions``):
  the longest prefix of whole characters that fits in ``n`` bytes, since a
  VARCHAR holds valid UTF-8 only and a character is never split.  A cast
  without a length (``VARCHAR`` is VARCHAR(256) on Redshift) or to
  VARCHAR(MAX) is left alone: the targets' own casts to an unbounded string
  are the ones the translator writes too.
* :func:`decimal_division`: Redshift documents the type of a quotient of
  DECIMALs (``Computations with numeric values``): scale ``max(4, s1 + p2 -
  s2 + 1)``, precision ``p1 - s1 + s2 + scale``, both at most 38.  DuckDB
  divides DECIMALs as DOUBLE and PostgreSQL picks its own scale; where the
  translator knows both operands' types (CASTs to DECIMAL, and sums,
  differences, products and quotients of those, with the documented rules)
  the quotient is cast to Redshift's DECIMAL(p, s).  Columns and literals
  are not typed here (their types live in the engine's catalog, and the
  translation is cached by text): their quotients keep the engine's type.
  Where the formula's precision passes 38 the reference says only that 38
  is the most, which would leave no room for the integer digits
  (``DECIMAL(38,0) / DECIMAL(38,0)`` would be DECIMAL(38,38)): such a
  quotient keeps the engine's type too.
"""

from __future__ import annotations

from sqlglot import exp

from .types import REDSHIFT_TYPE_NAMES
from .work import Work

__all__ = [
    "MAX_DECIMAL",
    "decimal_division",
    "division_type",
    "string_casts",
    "string_length",
]

_DT = exp.DataType.Type
_LIMITED_STRINGS = {_DT.VARCHAR, _DT.NVARCHAR, _DT.CHAR, _DT.NCHAR, _DT.BPCHAR}
_UNBOUNDED = 65535
#: Redshift's largest DECIMAL precision and scale.
MAX_DECIMAL = 38


def string_length(to: exp.Expression | None) -> int | None:
    """The byte length a cast to ``to`` cuts to (None: not a length-limited string type)."""
    if not isinstance(to, exp.DataType) or to.this not in _LIMITED_STRINGS:
        return None
    params = [p.name for p in to.expressions]
    if not params or not params[0].isdigit() or int(params[0]) >= _UNBOUNDED:
        return None
    return int(params[0])


def _result_name(cast: exp.Cast) -> str:
    """The name Redshift gives an unaliased cast column (the column's, else the type's)."""
    inner = cast.this
    while isinstance(inner, exp.Paren):
        inner = inner.this
    if isinstance(inner, exp.Column) and not isinstance(inner.this, exp.Star):
        return inner.name
    to = cast.args["to"]
    return str(REDSHIFT_TYPE_NAMES.get(to.this, to.sql("redshift").lower()))


def string_casts(work: Work) -> None:
    """Casts to CHAR(n)/VARCHAR(n) cut their operand to ``n`` bytes (see the module docstring)."""
    for cast in list(work.ast.find_all(exp.Cast)):
        length = string_length(cast.args.get("to"))
        if length is None:
            continue
        if isinstance(cast.parent, exp.Select) and cast.arg_key == "expressions":
            # The rewrite would rename an unaliased result column: keep Redshift's name.
            alias = exp.alias_(cast.copy(), exp.to_identifier(_result_name(cast), quoted=True))
            cast.replace(alias)
            cast = alias.this
        text = exp.Cast(this=cast.this, to=exp.DataType.build("VARCHAR"))
        cast.set(
            "this",
            exp.Anonymous(
                this="redshift_left_bytes", expressions=[text, exp.Literal.number(length)]
            ),
        )


_Decimal = tuple[int, int]


def _within(precision: int, scale: int) -> _Decimal | None:
    """(precision, scale), or None past Redshift's largest DECIMAL (see the module docstring)."""
    return (precision, scale) if precision <= MAX_DECIMAL else None


def division_type(left: _Decimal, right: _Decimal) -> _Decimal | None:
    """Redshift's (precision, scale) of DECIMAL(p1, s1) / DECIMAL(p2, s2); None past 38."""
    (p1, s1), (p2, s2) = left, right
    scale = max(4, s1 + p2 - s2 + 1)
    return _within(p1 - s1 + s2 + scale, scale)


def _decimal_type(node: exp.Expression) -> _Decimal | None:
    """The DECIMAL(p, s) Redshift gives ``node``, where the translator can tell."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Cast):
        to = node.args.get("to")
        if not isinstance(to, exp.DataType) or to.this != _DT.DECIMAL:
            return None
        params = [p.name for p in to.expressions]
        if not params:
            return 18, 0  # Redshift's DECIMAL is DECIMAL(18, 0)
        if not all(p.isdigit() for p in params):
            return None
        return int(params[0]), int(params[1]) if len(params) > 1 else 0
    if not isinstance(node, (exp.Add, exp.Sub, exp.Mul, exp.Div)):
        return None
    left, right = _decimal_type(node.this), _decimal_type(node.expression)
    if left is None or right is None:
        return None
    (p1, s1), (p2, s2) = left, right
    if isinstance(node, exp.Div):
        return division_type(left, right)
    if isinstance(node, exp.Mul):
        return _within(p1 + p2 + 1, s1 + s2)
    scale = max(s1, s2)
    return _within(max(p1 - s1, p2 - s2) + 1 + scale, scale)


def decimal_division(work: Work) -> None:
    """Quotients of DECIMALs of known types cast to Redshift's DECIMAL(p, s)."""
    # Innermost first: an outer quotient's operands are then already typed casts.
    for div in reversed(list(work.ast.find_all(exp.Div, bfs=False))):
        found = _decimal_type(div)
        if found is None or isinstance(div.parent, exp.Cast):
            continue
        precision, scale = found
        to = exp.DataType.build(f"DECIMAL({precision}, {scale})")
        if isinstance(div.parent, exp.Select) and div.arg_key == "expressions":
            # An unaliased quotient is named ?column? on Redshift, not after a cast.
            div.replace(exp.alias_(exp.Cast(this=div.copy(), to=to), exp.to_identifier("?column?")))
        else:
            div.replace(exp.Cast(this=div.copy(), to=to))
