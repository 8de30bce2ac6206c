"""``pg_catalog`` references read from the engines' Redshift-shaped catalog views.

Redshift's search path always starts with ``pg_catalog``, so ``pg_class``
and ``pg_catalog.pg_class`` are the same table.  :func:`pg_catalog_views`
points both spellings at the engine's views (``engines.pg_catalog``): on
PostgreSQL the few tables Redshift extends (``pg_class``, ``pg_attribute``,
``pg_attrdef``), on DuckDB every table tools browse, plus the catalog
functions whose DuckDB versions know nothing of declared types, comments or
recorded keys (``format_type``, ``col_description``, ``obj_description``,
``pg_get_constraintdef``, ``pg_table_is_visible``, ``pg_get_userbyid``,
``pg_get_viewdef``, the relation sizes) and ``'name'::regclass``.

:func:`late_binding_view_columns` answers Redshift's
``pg_get_late_binding_view_cols()`` with no rows on both engines: views
made ``WITH NO SCHEMA BINDING`` are ordinary views locally, whose columns
``pg_attribute`` already lists.
"""

from __future__ import annotations

from sqlglot import exp

from .work import Work

__all__ = [
    "DUCKDB_FUNCTIONS",
    "DUCKDB_VIEWS",
    "POSTGRES_VIEWS",
    "late_binding_view_columns",
    "pg_catalog_views",
]

#: DuckDB: pg_catalog table -> the view in schema ``main`` that answers for it.
DUCKDB_VIEWS = {
    "pg_namespace": "redshift_pg_namespace",
    "pg_class": "redshift_pg_class",
    "pg_attribute": "redshift_pg_attribute",
    "pg_attrdef": "redshift_pg_attrdef",
    "pg_description": "redshift_pg_description",
    "pg_constraint": "redshift_pg_constraint",
    "pg_user": "redshift_pg_user",
}
#: PostgreSQL: pg_catalog table -> the view in ``pg_catalog`` adding Redshift's columns.
POSTGRES_VIEWS = {
    "pg_class": "redshift_pg_class",
    "pg_attribute": "redshift_pg_attribute",
    "pg_attrdef": "redshift_pg_attrdef",
}
#: DuckDB: catalog function -> the macro in schema ``main`` that answers for it.
DUCKDB_FUNCTIONS = {
    "format_type": "redshift_pg_format_type",
    "col_description": "redshift_col_description",
    "obj_description": "redshift_obj_description",
    "pg_get_constraintdef": "redshift_constraintdef",
    "format_encoding": "format_encoding",
    "pg_table_is_visible": "redshift_table_is_visible",
    "pg_get_userbyid": "redshift_userbyid",
    "pg_get_viewdef": "redshift_viewdef",
    "pg_relation_size": "redshift_relation_size",
    "pg_table_size": "redshift_relation_size",
    "pg_total_relation_size": "redshift_relation_size",
}


def _cte_names(tree: exp.Expression) -> set[str]:
    return {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}


def pg_catalog_views(work: Work) -> None:
    """Catalog tables (qualified or not) and, on DuckDB, catalog functions rewritten."""
    duckdb = work.target == "duckdb"
    views = DUCKDB_VIEWS if duckdb else POSTGRES_VIEWS
    schema = "main" if duckdb else "pg_catalog"
    tree = work.ast
    shadowed = _cte_names(tree)
    for table in list(tree.find_all(exp.Table)):
        name = table.name.lower()
        if name not in views or table.catalog or not isinstance(table.this, exp.Identifier):
            continue
        if table.db.lower() not in ("", "pg_catalog") or (not table.db and name in shadowed):
            continue
        alias = table.alias or name
        table.replace(exp.table_(views[name], db=schema, alias=alias))
    if duckdb:
        _duckdb_functions(tree)


def _duckdb_functions(tree: exp.Expression) -> None:
    for dot in list(tree.find_all(exp.Dot)):
        if isinstance(dot.expression, exp.Func) and dot.this.name.lower() == "pg_catalog":
            # DuckDB's pg_catalog holds a few functions of its own (array_to_string
            # with another signature); its search path finds the right ones.
            dot.replace(dot.expression)
    for call in list(tree.find_all(exp.Anonymous)):
        name = str(call.this).lower()
        if name not in DUCKDB_FUNCTIONS:
            continue
        args = list(call.expressions)
        if name in ("obj_description", "pg_get_constraintdef", "pg_get_viewdef"):
            args = args[:1]  # the catalog name / pretty flag change nothing here
        value: exp.Expression = exp.Dot(
            this=exp.to_identifier("main"),
            expression=exp.Anonymous(this=DUCKDB_FUNCTIONS[name], expressions=args),
        )
        if isinstance(call.parent, exp.Select) and call.arg_key == "expressions":
            # The column is named after the call, as on Redshift.
            value = exp.Alias(this=value, alias=exp.to_identifier(name))
        call.replace(value)
    for cast in list(tree.find_all(exp.Cast)):
        to = cast.to
        if not (
            isinstance(to, exp.ObjectIdentifier)
            and to.name.upper() == "REGCLASS"
            and isinstance(cast.this, exp.Literal)
            and cast.this.is_string
        ):
            continue
        cast.replace(
            exp.Dot(
                this=exp.to_identifier("main"),
                expression=exp.Anonymous(this="redshift_regclass", expressions=[cast.this]),
            )
        )


def late_binding_view_columns(work: Work) -> None:
    """``pg_get_late_binding_view_cols() AS cols(name type, ...)``: an empty table."""
    for table in list(work.ast.find_all(exp.Table)):
        call = table.this
        if not (
            isinstance(call, exp.Anonymous)
            and str(call.this).lower() == "pg_get_late_binding_view_cols"
        ):
            continue
        alias = table.args.get("alias")
        definitions = alias.columns if isinstance(alias, exp.TableAlias) else []
        columns = []
        for column in definitions:
            kind = column.args.get("kind") if isinstance(column, exp.ColumnDef) else None
            if not isinstance(kind, exp.DataType) or kind.this == exp.DataType.Type.NAME:
                kind = exp.DataType.build("VARCHAR")
            columns.append(exp.alias_(exp.cast(exp.null(), kind), column.name, quoted=False))
        empty = exp.select(*(columns or [exp.null()])).where(exp.false())
        table.replace(empty.subquery(alias.name if alias else "cols"))
