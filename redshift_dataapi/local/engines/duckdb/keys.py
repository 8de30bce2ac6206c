"""Informational PRIMARY KEY, UNIQUE and FOREIGN KEY constraints on DuckDB.

Redshift records these constraints and enforces none of them.  DuckDB
enforces every key it knows and cannot be told not to, so the translator
(``translate.keys``) takes the keys out of ``CREATE TABLE`` and hands them
over as :class:`~redshift_dataapi.local.translate.work.DeclaredKey`; the
connection records them here, per column, in the table :data:`KEYS_TABLE`
of the database's hidden ``main`` schema (PRIMARY KEY columns stay NOT
NULL, as PostgreSQL and Redshift make them).

They are read back through views with information_schema's columns
(``main.redshift_table_constraints``, ``..._key_column_usage``,
``..._referential_constraints``): DuckDB's own rows (CHECK, NOT NULL) plus
the recorded keys of tables that still exist.  The translator reads
``information_schema.table_constraints`` / ``key_column_usage`` /
``referential_constraints`` from them, so SQL that inspects keys (and
SQLAlchemy's inspector) finds them with their names.  A table created again
starts without the old table's keys.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...translate.keys import KEY_VIEWS as VIEWS
from ...translate.tokens import quote_identifier, quote_literal
from ...translate.work import DeclaredKey, Translated

__all__ = ["KEYS_TABLE", "VIEWS", "key_statements", "record_statements", "setup"]

#: The table holding the recorded keys (one row per key column).
KEYS_TABLE = "redshift_keys"


def setup(database: str) -> list[str]:
    """Statements creating the keys table and its views in DuckDB database ``database``."""
    db = quote_identifier(database)
    name = quote_literal(database)
    schema = f"{db}.main"
    live = (
        f"(SELECT k.* FROM {schema}.{KEYS_TABLE} AS k JOIN duckdb_tables() AS t"
        f" ON t.database_name = {name} AND t.schema_name = k.table_schema"
        " AND t.table_name = k.table_name)"
    )
    groups = (
        "(SELECT table_schema, table_name, constraint_name, constraint_type,"
        " list(column_name ORDER BY ordinal_position) AS cols,"
        " any_value(ref_schema) AS ref_schema, any_value(ref_table) AS ref_table,"
        " list(ref_column ORDER BY ordinal_position) AS ref_cols"
        f" FROM {live} GROUP BY ALL)"
    )
    references = (
        f"(SELECT f.table_schema, f.constraint_name, u.table_schema AS unique_schema,"
        " u.constraint_name AS unique_name, u.cols AS unique_cols"
        f" FROM {groups} AS f JOIN {groups} AS u"
        " ON f.constraint_type = 'FOREIGN KEY' AND u.constraint_type IN ('PRIMARY KEY', 'UNIQUE')"
        " AND u.table_schema = f.ref_schema AND u.table_name = f.ref_table"
        " AND list_sort(u.cols) = list_sort(f.ref_cols)"
        " QUALIFY row_number() OVER (PARTITION BY f.table_schema, f.constraint_name"
        " ORDER BY u.constraint_type) = 1)"
    )
    return [
        f"CREATE TABLE IF NOT EXISTS {schema}.{KEYS_TABLE} (table_schema VARCHAR,"
        " table_name VARCHAR, constraint_name VARCHAR, constraint_type VARCHAR,"
        " column_name VARCHAR, ordinal_position INTEGER, ref_schema VARCHAR,"
        " ref_table VARCHAR, ref_column VARCHAR)",
        f"CREATE OR REPLACE VIEW {schema}.{VIEWS['table_constraints']} AS"
        " SELECT * FROM information_schema.table_constraints"
        f" WHERE table_catalog = {name}"
        " UNION ALL BY NAME"
        f" SELECT DISTINCT {name} AS constraint_catalog, table_schema AS constraint_schema,"
        f" constraint_name, {name} AS table_catalog, table_schema, table_name,"
        " constraint_type, 'NO' AS is_deferrable, 'NO' AS initially_deferred,"
        " 'NO' AS enforced, CASE WHEN constraint_type = 'FOREIGN KEY' THEN NULL"
        f" ELSE 'YES' END AS nulls_distinct FROM {live}",
        f"CREATE OR REPLACE VIEW {schema}.{VIEWS['key_column_usage']} AS"
        " SELECT * FROM information_schema.key_column_usage"
        f" WHERE table_catalog = {name}"
        " UNION ALL BY NAME"
        f" SELECT {name} AS constraint_catalog, k.table_schema AS constraint_schema,"
        f" k.constraint_name, {name} AS table_catalog, k.table_schema, k.table_name,"
        " k.column_name, k.ordinal_position,"
        " CAST(list_position(r.unique_cols, k.ref_column) AS INTEGER)"
        " AS position_in_unique_constraint"
        f" FROM {live} AS k LEFT JOIN {references} AS r"
        " ON k.constraint_type = 'FOREIGN KEY' AND r.table_schema = k.table_schema"
        " AND r.constraint_name = k.constraint_name",
        f"CREATE OR REPLACE VIEW {schema}.{VIEWS['referential_constraints']} AS"
        " SELECT * FROM information_schema.referential_constraints"
        f" WHERE constraint_catalog = {name}"
        " UNION ALL BY NAME"
        f" SELECT {name} AS constraint_catalog, table_schema AS constraint_schema,"
        f" constraint_name, {name} AS unique_constraint_catalog,"
        " unique_schema AS unique_constraint_schema, unique_name AS unique_constraint_name,"
        " 'NONE' AS match_option, 'NO ACTION' AS update_rule, 'NO ACTION' AS delete_rule"
        f" FROM {references}",
    ]


def record_statements(
    table_schema: str | None, table: str, keys: Sequence[DeclaredKey]
) -> list[str]:
    """Statements recording the keys of a table just created.

    The table's earlier keys (a table of that name dropped before) are
    forgotten first.  An unqualified name is in ``current_schema()``; a
    REFERENCES without columns means the referenced table's primary key.
    """
    schema = _schema_sql(table_schema)
    out = [
        f"DELETE FROM main.{KEYS_TABLE}"
        f" WHERE table_schema = {schema} AND table_name = {quote_literal(table)}"
    ]
    for key in keys:
        name = key.name or _default_name(table, key)
        ref_schema = "NULL" if key.ref_table is None else _schema_sql(key.ref_schema)
        ref_table = "NULL" if key.ref_table is None else quote_literal(key.ref_table)
        for position, column in enumerate(key.columns, start=1):
            if key.ref_table is None:
                ref_column = "NULL"
            elif key.ref_columns:
                ref_column = quote_literal(key.ref_columns[min(position, len(key.ref_columns)) - 1])
            else:
                ref_column = (
                    f"(SELECT column_name FROM main.{KEYS_TABLE}"
                    f" WHERE constraint_type = 'PRIMARY KEY' AND table_schema = {ref_schema}"
                    f" AND table_name = {ref_table} AND ordinal_position = {position})"
                )
            values = ", ".join(
                [
                    schema,
                    quote_literal(table),
                    quote_literal(name),
                    quote_literal(key.kind),
                    quote_literal(column),
                    str(position),
                    ref_schema,
                    ref_table,
                    ref_column,
                ]
            )
            out.append(f"INSERT INTO main.{KEYS_TABLE} VALUES ({values})")
    return out


def key_statements(tr: Translated) -> list[str]:
    """What a translated CREATE TABLE needs recorded about its keys (nothing for others)."""
    if tr.command != "CREATE TABLE" or tr.table is None or tr.temporary:
        return []
    return record_statements(tr.table[0], tr.table[1], tr.keys)


def _schema_sql(schema: str | None) -> str:
    return "current_schema()" if schema is None else quote_literal(schema)


def _default_name(table: str, key: DeclaredKey) -> str:
    """PostgreSQL's (and Redshift's) generated name: t_pkey, t_col_key, t_col_fkey."""
    if key.kind == "PRIMARY KEY":
        return f"{table}_pkey"
    suffix = "key" if key.kind == "UNIQUE" else "fkey"
    return f"{table}_{'_'.join(key.columns)}_{suffix}"
