"""Informational keys on DuckDB: PRIMARY KEY, UNIQUE and FOREIGN KEY taken out of CREATE TABLE.

Redshift records keys and enforces none; DuckDB enforces every key it
knows.  :func:`informational_keys` removes the keys from a CREATE TABLE
(PRIMARY KEY columns keep NOT NULL) and lists them in ``Translated.keys``
as :class:`~.work.DeclaredKey`, which the DuckDB engine records
(``engines.duckdb.keys``).  :func:`recorded_key_views` makes queries of
``information_schema.table_constraints``, ``key_column_usage`` and
``referential_constraints`` read the engine's views, which add the recorded
keys to DuckDB's own rows.  PostgreSQL keeps its keys and stops enforcing
them itself (``engines.postgres.keys``).

``information_schema.columns`` is read from an engine view on both engines:
DuckDB's ``main.redshift_columns`` (declared types, IDENTITY defaults) and
PostgreSQL's ``pg_catalog.redshift_columns`` (IDENTITY defaults, see
:func:`postgres_columns_view`).
"""

from __future__ import annotations

from sqlglot import exp

from .work import DeclaredKey, Work

__all__ = ["KEY_VIEWS", "informational_keys", "postgres_columns_view", "recorded_key_views"]

#: information_schema view -> the DuckDB engine's view (schema ``main``) that replaces it.
KEY_VIEWS = {
    "table_constraints": "redshift_table_constraints",
    "key_column_usage": "redshift_key_column_usage",
    "referential_constraints": "redshift_referential_constraints",
    # Not a key view: information_schema.columns with the declared Redshift types
    # (VARCHAR lengths), which DuckDB keeps in column comments only.
    "columns": "redshift_columns",
}


def informational_keys(work: Work) -> None:
    """Move the keys of a CREATE TABLE into ``work.result.keys`` (see the module docstring)."""
    tree = work.ast
    if not (isinstance(tree, exp.Create) and isinstance(tree.this, exp.Schema)):
        return
    keys: list[DeclaredKey] = []
    primary: list[str] = []
    for item in list(tree.this.expressions):
        if isinstance(item, exp.ColumnDef):
            for constraint in list(item.args.get("constraints") or []):
                key = _column_key(item.name, constraint)
                if key is not None:
                    keys.append(key)
                    constraint.pop()
            continue
        name: str | None = None
        inner = item
        if isinstance(item, exp.Constraint) and len(item.expressions) == 1:
            name, inner = item.name or None, item.expressions[0]
        key = _table_key(name, inner)
        if key is not None:
            keys.append(key)
            item.pop()
    for key in keys:
        if key.kind == "PRIMARY KEY":
            primary.extend(key.columns)
    if primary:
        _not_null(tree.this, set(primary))
    work.result.keys = keys


def _column_key(column: str, constraint: exp.Expression) -> DeclaredKey | None:
    if not isinstance(constraint, exp.ColumnConstraint):
        return None
    kind = constraint.args.get("kind")
    name = constraint.name or None
    if isinstance(kind, exp.PrimaryKeyColumnConstraint):
        return DeclaredKey(name, "PRIMARY KEY", [column])
    if isinstance(kind, exp.UniqueColumnConstraint):
        return DeclaredKey(name, "UNIQUE", [column])
    if isinstance(kind, exp.Reference):
        return _reference(name, [column], kind)
    return None


def _table_key(name: str | None, inner: exp.Expression) -> DeclaredKey | None:
    if isinstance(inner, exp.PrimaryKey):
        return DeclaredKey(name, "PRIMARY KEY", [e.name for e in inner.expressions])
    if isinstance(inner, exp.UniqueColumnConstraint) and isinstance(inner.this, exp.Schema):
        return DeclaredKey(name, "UNIQUE", [e.name for e in inner.this.expressions])
    if isinstance(inner, exp.ForeignKey):
        reference = inner.args.get("reference")
        if isinstance(reference, exp.Reference):
            return _reference(name, [e.name for e in inner.expressions], reference)
    return None


def _reference(name: str | None, columns: list[str], reference: exp.Reference) -> DeclaredKey:
    target = reference.this
    ref_columns: list[str] = []
    if isinstance(target, exp.Schema):
        ref_columns = [e.name for e in target.expressions]
        target = target.this
    table = target if isinstance(target, exp.Table) else exp.to_table(target.name)
    return DeclaredKey(
        name,
        "FOREIGN KEY",
        columns,
        ref_schema=table.db or None,
        ref_table=table.name,
        ref_columns=ref_columns,
    )


def _not_null(schema: exp.Schema, columns: set[str]) -> None:
    for column in schema.expressions:
        if not isinstance(column, exp.ColumnDef) or column.name not in columns:
            continue
        constraints = column.args.get("constraints") or []
        if not any(
            isinstance(c, exp.ColumnConstraint)
            and isinstance(c.args.get("kind"), exp.NotNullColumnConstraint)
            for c in constraints
        ):
            column.append("constraints", exp.ColumnConstraint(kind=exp.NotNullColumnConstraint()))


def recorded_key_views(work: Work) -> None:
    """``information_schema.<key view>`` read from the engine's views with recorded keys."""
    for table in list(work.ast.find_all(exp.Table)):
        if table.db.lower() != "information_schema" or table.name.lower() not in KEY_VIEWS:
            continue
        original = table.name.lower()
        replacement = exp.table_(KEY_VIEWS[original], db="main", alias=table.alias or original)
        table.replace(replacement)


def postgres_columns_view(work: Work) -> None:
    """PostgreSQL: ``information_schema.columns`` read from ``pg_catalog.redshift_columns``.

    The same columns, with Redshift's ``"identity"(...)`` default for IDENTITY
    columns, where PostgreSQL's own view has none (``engines.system_views``).
    """
    for table in list(work.ast.find_all(exp.Table)):
        if table.db.lower() != "information_schema" or table.name.lower() != "columns":
            continue
        replacement = exp.table_(
            "redshift_columns", db="pg_catalog", alias=table.alias or "columns"
        )
        table.replace(replacement)
