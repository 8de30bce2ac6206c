"""Where the columns of CREATE TABLE AS, SELECT INTO and CREATE VIEW come from.

Redshift gives a column taken straight from a table column that column's
type (a CTAS column from a VARCHAR(20) column is VARCHAR(20), NUMERIC(12,2)
keeps its precision and scale), and a view's columns report the lengths of
theirs; a ``CAST(x AS VARCHAR(5))`` column has the type of the cast.  An
engine that loses declared types (DuckDB) needs to know which is which:
:func:`derived_columns` traces each select expression of the statement's
query to a column of a FROM table, or to a CAST, and records it in
``Translated.derived`` (``DerivedColumn``) with the FROM tables in
``derived_sources``.

Only the outermost SELECT of the query is traced, over plain tables (a
derived table, a CTE or a set operation gives no trace); other expressions
(``a || b``, functions, CASE) are not traced: their type is the engine's.
``CREATE TABLE t (LIKE s)`` is traced by ``ddl.create_table_like``; a
``CREATE TABLE IF NOT EXISTS ... AS`` is not traced (the table may be an
older one).
"""

from __future__ import annotations

from sqlglot import exp

from .types import declared_column
from .work import DerivedColumn, Work

__all__ = ["derived_columns", "from_tables", "name_of"]


def name_of(ident: exp.Expression | None) -> str:
    """An identifier as Redshift stores it (unquoted names lower-cased)."""
    if isinstance(ident, exp.Identifier) and ident.quoted:
        return ident.name
    return ident.name.lower() if ident is not None else ""


def _table_ref(table: exp.Table) -> tuple[str | None, str]:
    db = table.args.get("db")
    return (name_of(db) if db is not None else None, name_of(table.this))


_Ref = tuple[str | None, str]


def _created(work: Work) -> tuple[exp.Query | None, _Ref | None, bool]:
    """(query, object created, is a view) of a CTAS, SELECT INTO or CREATE VIEW."""
    tree = work.ast
    created: _Ref
    if isinstance(tree, exp.Create) and tree.args.get("exists"):
        # IF NOT EXISTS may leave an existing table as it was: nothing to copy onto it.
        return None, None, False
    if isinstance(tree, exp.Create) and isinstance(tree.this, exp.Table):
        kind = str(tree.args.get("kind") or "").upper()
        if kind in ("TABLE", "VIEW") and isinstance(tree.expression, exp.Query):
            query: exp.Query = tree.expression
            created = _table_ref(tree.this)
            return query, created, kind == "VIEW"
    if isinstance(tree, exp.Select) and isinstance(tree.args.get("into"), exp.Into):
        into = tree.args["into"].this
        if isinstance(into, exp.Table):
            created = _table_ref(into)
            return tree, created, False
    return None, None, False


def from_tables(select: exp.Select) -> dict[str, tuple[str | None, str]] | None:
    """Alias (or name) -> table of every FROM / JOIN item; None if one is not a plain table."""
    from_ = select.args.get("from_") or select.args.get("from")
    items = [from_.this] if isinstance(from_, exp.From) else []
    items += [join.this for join in select.args.get("joins") or []]
    out: dict[str, tuple[str | None, str]] = {}
    for item in items:
        if not isinstance(item, exp.Table) or not isinstance(item.this, exp.Identifier):
            return None
        if item.args.get("catalog") is not None:
            return None
        ref = _table_ref(item)
        alias = item.args.get("alias")
        key = name_of(alias.this) if isinstance(alias, exp.TableAlias) else ref[1]
        out[key] = ref
    return out


def _trace(
    projection: exp.Expression, tables: dict[str, tuple[str | None, str]]
) -> DerivedColumn | None:
    alias: str | None = None
    node = projection
    if isinstance(node, exp.Alias):
        alias, node = name_of(node.args.get("alias")), node.this
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Star):
        return DerivedColumn("*")
    if isinstance(node, exp.Cast) and isinstance(node.args.get("to"), exp.DataType):
        inner = node.this
        name = alias or (name_of(inner.this) if isinstance(inner, exp.Column) else None)
        if name is None:
            return None
        return DerivedColumn(name, declared=declared_column(name, node.args["to"]))
    if not isinstance(node, exp.Column):
        return None
    qualifier = node.args.get("table")
    source = tables.get(name_of(qualifier)) if qualifier is not None else None
    if qualifier is not None and source is None:
        return None
    if isinstance(node.this, exp.Star):
        return DerivedColumn("*", source=source)
    column = name_of(node.this)
    return DerivedColumn(alias or column, source=source, source_column=column)


def derived_columns(work: Work) -> None:
    """Trace the columns a CTAS, SELECT INTO or CREATE VIEW creates (see the module docstring)."""
    query, created, is_view = _created(work)
    if not isinstance(query, exp.Select) or created is None:
        return
    tables = from_tables(query)
    if not tables:
        return
    traced = [_trace(p, tables) for p in query.expressions]
    work.result.derived = [t for t in traced if t is not None]
    work.result.derived_sources = list(dict.fromkeys(tables.values()))
    if is_view:
        work.result.view = created
    else:
        work.result.table = created
