"""AST passes that learn about the statement for the engines, changing nothing.

* :func:`statement_kind`: kind and command from the parsed statement (more
  exact than the leading words: ``WITH ... INSERT`` is DML); ``SELECT ...
  INTO t`` creates a table, so it is DDL with no result set;
* :func:`declared_columns`: the Redshift types a CREATE TABLE or ALTER TABLE
  ADD COLUMN declares (engines record them because they lose them);
* :func:`query_source`: for a query reading one table (no join), the table
  and where each result column comes from (and which divide a column by a
  column: engines that divide DECIMALs as DOUBLE type them from the table);
* :func:`numeric_parameters`: parameters used as operands of arithmetic or
  math functions, which an engine should bind as numbers.
"""

from __future__ import annotations

from sqlglot import exp

from .parameters import MARKER_RE
from .types import column_name, declared_column
from .work import Work

__all__ = ["declared_columns", "numeric_parameters", "query_source", "statement_kind"]


def statement_kind(work: Work) -> None:
    """Kind and command of the parsed statement."""
    tree, result = work.ast, work.result
    if isinstance(tree, (exp.Query, exp.Values)):
        result.kind = "query"
    elif isinstance(tree, (exp.Insert, exp.Update, exp.Delete, exp.Merge, exp.Copy)):
        result.kind = "dml"
    elif isinstance(tree, (exp.Create, exp.Drop, exp.Alter, exp.TruncateTable, exp.Comment)):
        result.kind = "ddl"
    if isinstance(tree, exp.Values):
        result.command = "VALUES"
    elif isinstance(tree, exp.Query):
        result.command = "SELECT"
    if result.kind == "dml":
        result.command = type(tree).__name__.upper()
    if isinstance(tree, exp.Select) and tree.args.get("into") is not None:
        # SELECT ... INTO t creates a table (both targets get CREATE TABLE AS): no result set.
        result.kind, result.command = "ddl", "SELECT INTO"


def declared_columns(work: Work) -> None:
    """The columns a CREATE TABLE declares or an ALTER TABLE adds, with their Redshift types."""
    tree = work.ast
    if isinstance(tree, exp.Create) and isinstance(tree.this, exp.Schema):
        definitions = tree.this.expressions
    elif isinstance(tree, exp.Alter):
        definitions = tree.args.get("actions") or []
        if isinstance(tree.this, exp.Table):
            work.result.table = (tree.this.db or None, tree.this.name)
    else:
        return
    work.result.columns = [
        declared_column(column_name(c), c.args["kind"])
        for c in definitions
        if isinstance(c, exp.ColumnDef) and isinstance(c.args.get("kind"), exp.DataType)
    ]


def _ident_name(ident: exp.Expression | None) -> str:
    if isinstance(ident, exp.Identifier) and ident.quoted:
        return ident.name
    return ident.name.lower() if ident is not None else ""


def query_source(work: Work) -> None:
    """Fill ``result.source*`` when the query selects from exactly one table."""
    tree, result = work.ast, work.result
    if result.kind != "query" or not isinstance(tree, exp.Select) or tree.args.get("joins"):
        return
    from_ = tree.args.get("from_") or tree.args.get("from")
    table = from_.this if isinstance(from_, exp.From) else None
    if not isinstance(table, exp.Table) or not isinstance(table.this, exp.Identifier):
        return
    if table.args.get("catalog") is not None:
        return
    db = table.args.get("db")
    result.source = (_ident_name(db) if db is not None else None, _ident_name(table.this))
    for projection in tree.expressions:
        _quotient(projection, result.quotients)
        if isinstance(projection, exp.Star) or (
            isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star)
        ):
            result.source_star = True
        elif isinstance(projection, exp.Column) and not MARKER_RE.fullmatch(projection.name):
            name = _ident_name(projection.this)
            result.source_columns[name] = name
        elif isinstance(projection, exp.Alias) and isinstance(projection.this, exp.Column):
            column = projection.this
            if not MARKER_RE.fullmatch(column.name) and not isinstance(column.this, exp.Star):
                alias = _ident_name(projection.args.get("alias"))
                result.source_columns[alias] = _ident_name(column.this)


def _bare_column(node: exp.Expression) -> str | None:
    while isinstance(node, exp.Paren):
        node = node.this
    if not isinstance(node, exp.Column) or isinstance(node.this, exp.Star):
        return None
    return None if MARKER_RE.fullmatch(node.name) else _ident_name(node.this)


def _quotient(projection: exp.Expression, found: dict[str, tuple[str, str]]) -> None:
    """Record a result column that divides one column of the source by another."""
    name = "?column?"  # Redshift's name for an unaliased quotient
    if isinstance(projection, exp.Alias):
        name, projection = _ident_name(projection.args.get("alias")), projection.this
    if not isinstance(projection, exp.Div):
        return
    numerator, denominator = _bare_column(projection.this), _bare_column(projection.expression)
    if numerator is not None and denominator is not None:
        found[name] = (numerator, denominator)


_ARITHMETIC = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod, exp.IntDiv, exp.Neg, exp.Pow)
_MATH_FUNCTIONS = (exp.Abs, exp.Round, exp.Ceil, exp.Floor, exp.Sqrt, exp.Ln, exp.Log, exp.Exp)


def numeric_parameters(work: Work) -> None:
    """Parameters that are direct operands of arithmetic or math functions."""
    found: list[str] = []
    for column in work.ast.find_all(exp.Column):
        m = MARKER_RE.fullmatch(column.name)
        if m is None:
            continue
        parent = column.parent
        while isinstance(parent, exp.Paren):
            parent = parent.parent
        if isinstance(parent, _ARITHMETIC + _MATH_FUNCTIONS):
            name = work.names[int(m.group(1))]
            if name not in found:
                found.append(name)
    work.result.numeric_params = found
