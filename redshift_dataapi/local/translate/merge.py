"""MERGE as Redshift reads it: the AST pass :func:`merge_insert_values`.

``WHEN NOT MATCHED THEN INSERT VALUES (...)`` without a column list is read
by sqlglot's Redshift reader as a function call named VALUES inside a column
list, and written back as ``INSERT (VALUES(...))``: the pass puts the values
back where they belong.
"""

from __future__ import annotations

from sqlglot import exp

from .work import Work

__all__ = ["merge_insert_values"]


def merge_insert_values(work: Work) -> None:
    """``INSERT VALUES (...)`` of a MERGE as a values tuple, not a column list."""
    if not isinstance(work.ast, exp.Merge):
        return
    for insert in work.ast.find_all(exp.Insert):
        target = insert.this
        if (
            isinstance(target, exp.Tuple)
            and len(target.expressions) == 1
            and isinstance(target.expressions[0], exp.Anonymous)
            and str(target.expressions[0].name).upper() == "VALUES"
        ):
            values = target.expressions[0].expressions
            insert.set("this", None)
            insert.set("expression", exp.Tuple(expressions=values))
