"""``ALTER TABLE t ALTER COLUMN c TYPE new_type``: what Redshift allows, checked once.

Redshift changes the size of a VARCHAR (or VARBYTE) column and nothing
else, and documents the limits of that change (r_ALTER_TABLE): not inside a
transaction block, not for columns with BYTEDICT, RUNLENGTH, TEXT255 or
TEXT32K encodings, not with UNIQUE / PRIMARY KEY / FOREIGN KEY, not smaller
than the longest value stored.  Redshift also refuses a USING expression and
the decrease of a column that has a default (it allows the increase).

:func:`alter_column_type` (an AST pass) records the statement in
``Translated.alter_type``; :func:`static_refusal` gives the refusals that
need no data (the type asked for, USING, an open transaction), with
Redshift's messages where its errors are known, for every engine.  The
checks that read the table (current type, keys, encodings, defaults,
stored lengths) are the DuckDB engine's (``engines.duckdb.alter_type``);
PostgreSQL checks the stored lengths itself.
"""

from __future__ import annotations

from sqlglot import exp

from .types import declared_column
from .work import AlterColumnType, Work

__all__ = ["MAX_VARCHAR", "alter_column_type", "static_refusal"]

#: Redshift's largest VARCHAR / VARBYTE size, in bytes.
MAX_VARCHAR = 65535
_SIZED = ("varchar", "varbyte")


def _name(ident: exp.Expression | None) -> str:
    if isinstance(ident, exp.Identifier) and ident.quoted:
        return ident.name
    return ident.name.lower() if ident is not None else ""


def alter_column_type(work: Work) -> None:
    """Record a lone ``ALTER COLUMN c TYPE t`` action in ``work.result.alter_type``."""
    tree = work.ast
    if not isinstance(tree, exp.Alter) or not isinstance(tree.this, exp.Table):
        return
    actions = tree.args.get("actions") or []
    if len(actions) != 1 or not isinstance(actions[0], exp.AlterColumn):
        return
    action = actions[0]
    dtype = action.args.get("dtype")
    if not isinstance(dtype, exp.DataType):
        return
    column = _name(action.this)
    table = tree.this
    db = table.args.get("db")
    work.result.alter_type = AlterColumnType(
        table=(_name(db) if db is not None else None, _name(table.this)),
        column=column,
        declared=declared_column(column, dtype),
        using=bool(action.args.get("using")),
    )


def static_refusal(alter: AlterColumnType, in_transaction: bool) -> tuple[str, str] | None:
    """(message, SQLSTATE) when Redshift refuses the change whatever the data; else None."""
    if in_transaction:
        return "ALTER TABLE ALTER COLUMN cannot run inside a transaction block", "25001"
    if alter.using:
        return "ALTER TABLE ALTER COLUMN does not support USING expression", "0A000"
    declared = alter.declared
    if declared.type_name not in _SIZED:
        return (
            f'target data type "{declared.type_name}" is not supported: ALTER COLUMN TYPE'
            " changes the size of a VARCHAR or VARBYTE column only",
            "0A000",
        )
    if declared.length > MAX_VARCHAR:
        return (
            f"Column length exceeds maximum allowed (maximum column length is {MAX_VARCHAR})",
            "42601",
        )
    return None
