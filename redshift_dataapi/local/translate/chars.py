"""CHAR columns on DuckDB: lengths as Redshift counts them.

Redshift stores a CHAR(n) value blank-padded to n bytes; its trailing blanks
are not significant: LEN/LENGTH leave them out, OCTET_LENGTH counts the n
bytes stored (``Character types``, "Significance of trailing blanks").
DuckDB has no CHAR type: a CHAR column is a VARCHAR holding the value as it
was written, and the engine records the declared ``bpchar(n)`` in the
column's comment (``engines.duckdb.types``).  The translation is cached by
text and cannot know the table's types, so :func:`char_lengths` hands the
question to the engine: LEN/LENGTH/OCTET_LENGTH of a bare column, traced to
its FROM table, become ``redshift_length(x, schema, table, column)`` and
``redshift_column_octet_length(...)``, macros that read the column's declared
type once per query (``engines.redshift_functions``) and count as Redshift
does for a CHAR and as before for anything else.

Not traced (counted as DuckDB does): columns of derived tables, CTEs or
joins without a qualifier, and expressions.  Comparisons and GROUP BY see
the value as written: blanks written after a CHAR value stay significant.
"""

from __future__ import annotations

from sqlglot import exp

from .derived import from_tables, name_of
from .work import Work

__all__ = ["char_lengths"]


def _table_of(column: exp.Column) -> tuple[str | None, str] | None:
    """The plain FROM table ``column`` is read from, where the statement says which."""
    select = column.find_ancestor(exp.Select)
    tables = from_tables(select) if select is not None else None
    if not tables:
        return None
    qualifier = column.args.get("table")
    if qualifier is not None:
        return tables.get(name_of(qualifier))
    found = set(tables.values())
    return found.pop() if len(found) == 1 else None


def _traced_call(node: exp.Expression, function: str) -> exp.Expression | None:
    """``function(x, schema, table, column)`` for a length of a traced column, else None."""
    args = [node.this] if isinstance(node, exp.Length) else list(node.expressions)
    if len(args) != 1 or not isinstance(args[0], exp.Column):
        return None
    column = args[0]
    if isinstance(column.this, exp.Star):
        return None
    table = _table_of(column)
    if table is None:
        return None
    schema, name = table
    where = [
        exp.Literal.string(schema) if schema is not None else exp.Null(),
        exp.Literal.string(name),
        exp.Literal.string(name_of(column.this)),
    ]
    return exp.Anonymous(this=function, expressions=[column.copy(), *where])


def char_lengths(work: Work) -> None:
    """LEN/LENGTH/OCTET_LENGTH of a traced column count as Redshift does for CHAR."""
    targets: list[tuple[exp.Expression, str, str]] = [
        (node, "redshift_length", "length") for node in work.ast.find_all(exp.Length)
    ]
    targets += [
        (node, "redshift_column_octet_length", "octet_length")
        for node in work.ast.find_all(exp.Anonymous)
        if str(node.name).upper() == "OCTET_LENGTH"
    ]
    for node, function, name in targets:
        call = _traced_call(node, function)
        if call is None:
            continue
        if isinstance(node.parent, exp.Select) and node.arg_key == "expressions":
            # Keep the result column's name: DuckDB would name it after the macro.
            node.replace(exp.Alias(this=call, alias=exp.to_identifier(name)))
        else:
            node.replace(call)
