"""PartiQL navigation into SUPER values: ``doc.a[1]``, ``c.doc.items[0].price``.

Redshift reads a dotted name past the column as attribute steps into the
SUPER value, and ``[n]`` as a (0-based) array step.  Neither engine does:
SUPER is JSON on both, so :func:`super_navigation` writes each path as the
engine's JSON extraction, which gives NULL for a missing attribute or index,
as Redshift's lax navigation does:

* DuckDB: ``json_extract(doc, '$."a"[1]')`` (a step that is not a literal
  is pasted into the path text);
* PostgreSQL: ``json_extract_path(doc, 'a', '1')`` (PostgreSQL reads a text
  step as an index when the value is an array).

Only queries, DML and the query of CREATE TABLE AS / CREATE VIEW navigate
(``COMMENT ON COLUMN t.c`` names a column).  Which part of a dotted name is
the column: the longest leading run of parts
that names a table of the statement (``t``, ``s.t``, an alias) qualifies the
column that follows; without one, the first part is the column.  So
``sales.pricepaid`` stays a column, and ``doc.a`` navigates when no table or
alias is called ``doc``.  Unquoted attribute names are folded to lower case,
as Redshift folds identifiers.  An unaliased navigation in the select list
is named after its last attribute (``a`` for ``doc.a[1]``).
"""

from __future__ import annotations

from sqlglot import exp

from .work import Work

__all__ = ["super_navigation"]

_Step = exp.Expression  # a string literal (attribute) or an index expression


#: Statements whose expressions may navigate (not COMMENT ON COLUMN t.c, ALTER ...).
_NAVIGABLE = (exp.Query, exp.Insert, exp.Update, exp.Delete, exp.Merge)


def super_navigation(work: Work) -> None:
    """Rewrite every PartiQL path of the statement for ``work.target``."""
    tree: exp.Expression = work.ast
    if isinstance(tree, exp.Create) and isinstance(tree.expression, exp.Query):
        tree = tree.args["expression"]  # CREATE TABLE AS / CREATE VIEW: the query only
    if not isinstance(tree, _NAVIGABLE):
        return
    sources = _source_names(work.ast)
    for node in list(tree.find_all(exp.Bracket, exp.Dot, exp.Column)):
        if isinstance(node.parent, (exp.Bracket, exp.Dot)) and node.arg_key == "this":
            continue  # the outermost step rewrites the whole path
        path = _path(node, sources)
        if path is None:
            continue
        root, steps, name = path
        call = _duckdb_call(root, steps) if work.target == "duckdb" else _postgres_call(root, steps)
        if isinstance(node.parent, exp.Select) and node.arg_key == "expressions" and name:
            # Quoted: the name is already folded as Redshift folds it.
            node.replace(exp.Alias(this=call, alias=exp.to_identifier(name, quoted=True)))
        else:
            node.replace(call)


def _source_names(tree: exp.Expression) -> set[tuple[str, ...]]:
    """Every qualifier a column may carry: table names, with schema and database, and aliases."""
    names: set[tuple[str, ...]] = set()
    for table in tree.find_all(exp.Table):
        parts = [p.name.lower() for p in (table.args.get(k) for k in ("catalog", "db")) if p]
        names.add((table.name.lower(),))
        names.add((*parts[-1:], table.name.lower()))
        names.add((*parts, table.name.lower()))
        if table.alias:
            names.add((table.alias.lower(),))
    for alias in tree.find_all(exp.TableAlias):
        if alias.name:
            names.add((alias.name.lower(),))
    for cte in tree.find_all(exp.CTE):
        names.add((cte.alias.lower(),))
    return names


def _path(
    node: exp.Expression, sources: set[tuple[str, ...]]
) -> tuple[exp.Column, list[_Step], str] | None:
    """The root column, steps and result name of a navigation; None for a plain column."""
    trailing: list[_Step] = []  # the steps after a subscript, in order
    while isinstance(node, (exp.Bracket, exp.Dot)):
        if isinstance(node, exp.Bracket) and len(node.expressions) == 1:
            trailing.insert(0, node.expressions[0].copy())
        elif isinstance(node, exp.Dot) and isinstance(node.expression, exp.Identifier):
            trailing.insert(0, _attribute(node.expression))
        else:
            return None
        node = node.this
    if not isinstance(node, exp.Column) or isinstance(node.this, exp.Star):
        return None
    parts = [p for p in node.parts if isinstance(p, exp.Identifier)]
    if len(parts) != len(node.parts):
        return None
    start = max(
        (k for k in range(len(parts)) if tuple(p.name.lower() for p in parts[:k]) in sources),
        default=0,
    )
    steps = [_attribute(a) for a in parts[start + 1 :]] + trailing
    if not steps:
        return None
    root = exp.Column(this=parts[start].copy())
    if start:
        root.set("table", parts[start - 1].copy())
    if start > 1:
        root.set("db", parts[start - 2].copy())
    names = [s.name for s in steps if isinstance(s, exp.Literal) and s.is_string]
    return root, steps, (names or [parts[start].name.lower()])[-1]


def _attribute(name: exp.Identifier) -> exp.Literal:
    """An attribute step: an unquoted name folded to lower case, as Redshift folds it."""
    return exp.Literal.string(name.name if name.quoted else name.name.lower())


def _duckdb_call(root: exp.Column, steps: list[_Step]) -> exp.Expression:
    pieces: list[exp.Expression] = []
    text = "$"
    for step in steps:
        if isinstance(step, exp.Literal) and step.is_string:
            text += '."' + step.name.replace('"', '\\"') + '"'
        elif isinstance(step, exp.Literal):
            text += f"[{step.name}]"
        else:
            pieces += [exp.Literal.string(text + "["), exp.cast(step, "VARCHAR")]
            text = "]"
    pieces.append(exp.Literal.string(text))
    path: exp.Expression = pieces[0]
    for piece in pieces[1:]:
        path = exp.DPipe(this=path, expression=piece, safe=True)
    return exp.Anonymous(this="json_extract", expressions=[root, path])


def _postgres_call(root: exp.Column, steps: list[_Step]) -> exp.Expression:
    texts = [
        exp.Literal.string(s.name) if isinstance(s, exp.Literal) else exp.cast(s, "TEXT")
        for s in steps
    ]
    return exp.Anonymous(this="json_extract_path", expressions=[root, *texts])
