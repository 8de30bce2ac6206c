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
checks that read the table (current type, keys, encodings, defaults) are
the DuckDB engine's (``engines.duckdb.alter_type``) and, for PostgreSQL,
:func:`postgres_guard`: a statement run first that raises the same errors
from the catalog.  Both engines refuse a size below the longest stored value
with ``value too long for type character varying(n)`` (22001).
"""

from __future__ import annotations

from sqlglot import exp

from .types import declared_column
from .work import AlterColumnType, Work

__all__ = ["MAX_VARCHAR", "alter_column_type", "postgres_guard", "static_refusal"]

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
    alter = AlterColumnType(
        table=(_name(db) if db is not None else None, _name(table.this)),
        column=column,
        declared=declared_column(column, dtype),
        using=bool(action.args.get("using")),
    )
    work.result.alter_type = alter
    if work.target == "postgres" and static_refusal(alter, in_transaction=False) is None:
        work.result.pre_sql.append(postgres_guard(alter))


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


def _literal(text: str) -> str:
    # psycopg runs the guard with a parameter mapping: a literal % is written %%.
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


def _raise(message: str) -> str:
    return f" RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = {message};"


def postgres_guard(alter: AlterColumnType) -> str:
    """A PostgreSQL statement that refuses ``alter`` where Redshift would (see the docstring).

    The messages are those of ``engines.duckdb.alter_type``.  A missing table
    or column is left to PostgreSQL's own error.
    """
    schema, table = alter.table
    relation = (
        "pg_catalog.quote_ident(" + _literal(table) + ")"
        if schema is None
        else f"pg_catalog.quote_ident({_literal(schema)}) || '.' ||"
        f" pg_catalog.quote_ident({_literal(table)})"
    )
    where = _literal(f'column "{alter.column}" of relation "{table}"')
    varchar = alter.declared.type_name == "varchar"
    engine_type = "character varying" if varchar else "bytea"
    spelled = "character varying" if varchar else "varbyte"
    new_length = alter.declared.length
    return (
        "DO $guard$ DECLARE rel oid; col record; BEGIN"
        f" rel := pg_catalog.to_regclass({relation});"
        " SELECT a.attnum, a.atthasdef, a.atttypid, a.atttypmod,"
        " pg_catalog.format_type(a.atttypid, a.atttypmod) AS spelled INTO col"
        f" FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = rel"
        f" AND a.attname = {_literal(alter.column)} AND NOT a.attisdropped;"
        " IF NOT FOUND THEN RETURN; END IF;"
        f" IF pg_catalog.format_type(col.atttypid, NULL) <> {_literal(engine_type)} THEN"
        + _raise(
            f"'cannot alter ' || {where} || ' of type ' || col.spelled ||"
            f" ': ALTER COLUMN TYPE changes the size of a {spelled} column to the same type only'"
        )
        + " END IF;"
        f" IF col.atthasdef AND (col.atttypmod < 0 OR {new_length} < col.atttypmod - 4) THEN"
        + _raise("'cannot decrease a VARCHAR column size with default value'")
        + " END IF;"
        " IF EXISTS (SELECT 1 FROM pg_catalog.pg_constraint AS k WHERE k.contype IN ('p', 'u', 'f')"
        " AND ((k.conrelid = rel AND col.attnum = ANY (k.conkey))"
        " OR (k.confrelid = rel AND col.attnum = ANY (k.confkey)))) THEN"
        + _raise(
            f"'cannot alter ' || {where} || ': it is part of a ' || (SELECT CASE k.contype"
            " WHEN 'p' THEN 'PRIMARY KEY' WHEN 'u' THEN 'UNIQUE' ELSE 'FOREIGN KEY' END"
            " FROM pg_catalog.pg_constraint AS k WHERE k.contype IN ('p', 'u', 'f')"
            " AND ((k.conrelid = rel AND col.attnum = ANY (k.conkey))"
            " OR (k.confrelid = rel AND col.attnum = ANY (k.confkey))) LIMIT 1) || ' constraint'"
        )
        + " END IF;"
        " IF EXISTS (SELECT 1 FROM pg_catalog.redshift_column_design AS d"
        " JOIN pg_catalog.pg_class AS c ON c.oid = rel"
        " JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace"
        f" WHERE d.table_schema = n.nspname AND d.table_name = c.relname"
        f" AND d.column_name = {_literal(alter.column)}"
        " AND upper(d.encoding) IN ('BYTEDICT', 'RUNLENGTH', 'TEXT255', 'TEXT32K')) THEN"
        + _raise(
            f"'cannot alter ' || {where} || ': it has the ' || (SELECT upper(d.encoding)"
            " FROM pg_catalog.redshift_column_design AS d"
            " JOIN pg_catalog.pg_class AS c ON c.oid = rel"
            " JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace"
            f" WHERE d.table_schema = n.nspname AND d.table_name = c.relname"
            f" AND d.column_name = {_literal(alter.column)} LIMIT 1) || ' encoding'"
        )
        + " END IF;"
        " END $guard$"
    )
