"""AST passes that give result columns the names Redshift gives them.

* :func:`lower_unquoted_aliases` (DuckDB): Redshift folds unquoted aliases
  to lower case; DuckDB keeps their case;
* :func:`output_column_names` (DuckDB): unaliased result columns are named
  after the function, the cast type or ``?column?`` (``count``, ``int4``),
  as Redshift and PostgreSQL name them, not after the expression text
  (DuckDB's ``count_star()``);
* :func:`datediff_column_names` (PostgreSQL): unaliased DATEDIFF and
  GETDATE() columns keep the names ``datediff`` and ``getdate`` through
  their rewrites (PostgreSQL would name them ``int8`` and ``date_trunc``).

Only the outermost query's columns are visible to the client, so only those
are renamed.
"""

from __future__ import annotations

import re

from sqlglot import exp
from sqlglot.errors import SqlglotError

from .parameters import MARKER_RE
from .types import REDSHIFT_TYPE_NAMES
from .work import Work

__all__ = ["datediff_column_names", "lower_unquoted_aliases", "output_column_names"]

_FUNC_NAME_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(")

#: Keyword-like functions DuckDB resolves as column names first: an alias of
#: the same name would shadow them, and DuckDB already names them this way.
_KEYWORD_FUNCTIONS = (exp.CurrentDate, exp.CurrentTime, exp.CurrentUser)


def _outermost_select(tree: exp.Expression) -> exp.Select | None:
    """The SELECT whose columns the client sees (the first one of a UNION...)."""
    select: exp.Expression | None = tree
    while isinstance(select, exp.SetOperation):
        select = select.this
    return select if isinstance(select, exp.Select) else None


def _function_name(node: exp.Func) -> str:
    """The name the function has in Redshift SQL.

    sqlglot's class names are its own: TimeToStr is TO_CHAR, TsOrDsDiff is DATEDIFF.
    """
    try:
        m = _FUNC_NAME_RE.match(node.sql("redshift"))
    except SqlglotError:
        m = None
    return m.group(1).lower() if m else node.sql_names()[0].lower()


def _column_name(node: exp.Expression) -> str | None:
    """The name PostgreSQL/Redshift give an unaliased select expression."""
    if isinstance(node, exp.Column):
        return None if MARKER_RE.fullmatch(node.name) else node.name
    if isinstance(node, exp.Paren):
        return _column_name(node.this)
    if isinstance(node, exp.Cast):
        inner = _column_name(node.this)
        if inner is not None:
            return inner
        to = node.args.get("to")
        if isinstance(to, exp.DataType):
            return REDSHIFT_TYPE_NAMES.get(to.this, to.sql("redshift").lower())
        return None
    if isinstance(node, exp.Case):
        return "case"
    if isinstance(node, (exp.Window, exp.WithinGroup)):
        return _column_name(node.this)
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    if node.meta.get("getdate"):
        return "getdate"
    if isinstance(node, exp.CurrentTimestamp):
        return "sysdate" if node.args.get("sysdate") else "getdate"
    if isinstance(node, exp.Func):
        return _function_name(node)
    return None


def _keeps_its_name(projection: exp.Expression) -> bool:
    """A select expression DuckDB already names as Redshift does (or that has a name)."""
    if isinstance(projection, (exp.Alias, exp.Star, exp.Dot)):
        return True
    if isinstance(projection, exp.Column) and not MARKER_RE.fullmatch(projection.name):
        return True
    if projection.find(exp.Star) is projection or isinstance(projection, _KEYWORD_FUNCTIONS):
        return True
    return isinstance(projection, exp.CurrentTimestamp) and not projection.args.get("sysdate")


def output_column_names(work: Work) -> None:
    """Give a query's unaliased result columns Redshift's names (``count``, ``?column?``)."""
    select = _outermost_select(work.ast) if work.result.kind == "query" else None
    if select is None:
        return
    for i, projection in enumerate(select.expressions):
        if not _keeps_its_name(projection):
            name = _column_name(projection) or "?column?"
            select.expressions[i] = exp.alias_(projection, exp.to_identifier(name, quoted=True))


def lower_unquoted_aliases(work: Work) -> None:
    """Redshift folds unquoted aliases to lower case; DuckDB's keep their case."""
    for alias in work.ast.find_all(exp.Alias):
        ident = alias.args.get("alias")
        if isinstance(ident, exp.Identifier) and not ident.quoted:
            ident.set("this", ident.name.lower())


def datediff_column_names(work: Work) -> None:
    """Unaliased DATEDIFF (GETDATE) result columns keep the name ``datediff`` (``getdate``).

    The boundary-counting rewrite is a ``CAST(... AS BIGINT)``, which
    PostgreSQL would name ``int8``; DuckDB's engine names them ``datediff`` too.
    """
    select = _outermost_select(work.ast) if work.result.kind == "query" else None
    if select is None:
        return
    for i, projection in enumerate(select.expressions):
        if isinstance(projection, (exp.TsOrDsDiff, exp.DateDiff)):
            name = "datediff"
        elif projection.meta.get("getdate"):
            name = "getdate"  # PostgreSQL would name it date_trunc
        else:
            continue
        select.expressions[i] = exp.alias_(projection, exp.to_identifier(name, quoted=True))
