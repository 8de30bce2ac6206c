"""Catalog questions for the PostgreSQL engine: listings and result-column origins.

Every query runs on a connection of the calling user, so a user sees what
PostgreSQL lets that role see: schemas it owns or may use, tables it owns or
holds some privilege on (the rule of ``information_schema``).  Temporary and
TOAST schemas (``pg_temp_N``, ``pg_toast...``) are never listed.  LIKE
patterns are bound parameters with PostgreSQL's LIKE semantics (``%``,
``_``, backslash escape).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import psycopg

from ..base import ColumnInfo, TableInfo
from .sql import DOMAIN_TYPES
from .types import column_info, is_known_type

__all__ = [
    "ResultDescriber",
    "describe_table",
    "identity_default",
    "list_schemas",
    "list_tables",
    "table_type",
]

_HIDDEN_SCHEMA = r"^pg_(toast|temp_)"
_SYSTEM_SCHEMAS = frozenset({"pg_catalog", "information_schema"})
_TABLE_KINDS = {
    "r": "TABLE",
    "p": "TABLE",
    "v": "VIEW",
    "m": "MATERIALIZED VIEW",
    "f": "FOREIGN TABLE",
}
_TABLE_VISIBLE = (
    "(pg_has_role(c.relowner, 'USAGE')"
    " OR has_table_privilege(c.oid,"
    " 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')"
    " OR has_any_column_privilege(c.oid, 'SELECT, INSERT, UPDATE, REFERENCES'))"
)

_SCHEMAS_SQL = f"""
SELECT n.nspname
FROM pg_catalog.pg_namespace n
WHERE n.nspname !~ '{_HIDDEN_SCHEMA}'
  AND (pg_has_role(n.nspowner, 'USAGE') OR has_schema_privilege(n.oid, 'USAGE'))
  AND (%(pattern)s::text IS NULL OR n.nspname LIKE %(pattern)s::text)
"""

_TABLES_SQL = f"""
SELECT n.nspname, c.relname, c.relkind
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname !~ '{_HIDDEN_SCHEMA}'
  AND (%(schema)s::text IS NULL OR n.nspname LIKE %(schema)s::text)
  AND (%(table)s::text IS NULL OR c.relname LIKE %(table)s::text)
  AND {_TABLE_VISIBLE}
"""

# An identity column has no pg_attrdef row: its generator is the sequence that
# pg_depend ties to the column (deptype 'i'), whose start and increment give
# Redshift's 'seed,step'.
_COLUMNS_SQL = f"""
SELECT n.nspname, c.relname, a.attname, a.atttypid::int8, a.atttypmod, a.attnotnull,
       pg_catalog.pg_get_expr(d.adbin, d.adrelid), t.typname,
       a.attidentity, c.oid::int8, a.attnum, s.seqstart, s.seqincrement
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN LATERAL (
    SELECT seq.seqstart, seq.seqincrement
    FROM pg_catalog.pg_depend dep
    JOIN pg_catalog.pg_sequence seq ON seq.seqrelid = dep.objid
    WHERE a.attidentity <> ''
      AND dep.classid = 'pg_catalog.pg_class'::regclass
      AND dep.refclassid = 'pg_catalog.pg_class'::regclass
      AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum
      AND dep.deptype = 'i'
    LIMIT 1
) s ON true
WHERE a.attnum > 0 AND NOT a.attisdropped
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND {_TABLE_VISIBLE}
  AND {{selection}}
ORDER BY n.nspname, c.relname, a.attnum
"""

_ORIGINS_SQL = """
SELECT a.attrelid, a.attnum, n.nspname, c.relname, a.attnotnull,
       CASE WHEN t.typtype = 'd' THEN t.typname END
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN unnest(%s::oid[], %s::int2[]) AS wanted(relid, attnum)
  ON a.attrelid = wanted.relid AND a.attnum = wanted.attnum
"""


def list_schemas(conn: psycopg.Connection, pattern: str | None) -> list[str]:
    """Schema names visible to the connection's role, matching ``pattern``, sorted."""
    rows = conn.execute(_SCHEMAS_SQL, {"pattern": pattern}).fetchall()
    return sorted(row[0] for row in rows)


def table_type(schema: str, relkind: str) -> str:
    """The Data API's ListTables type for a relation kind."""
    kind = _TABLE_KINDS.get(relkind, "TABLE")
    if schema in _SYSTEM_SCHEMAS and kind in ("TABLE", "VIEW"):
        return "SYSTEM " + kind
    return kind


def list_tables(
    conn: psycopg.Connection, schema_pattern: str | None, table_pattern: str | None
) -> list[TableInfo]:
    """Tables and views visible to the connection's role, sorted by schema then name."""
    rows = conn.execute(_TABLES_SQL, {"schema": schema_pattern, "table": table_pattern}).fetchall()
    tables = [
        TableInfo(name=name, schema=schema, type=table_type(schema, kind))
        for schema, name, kind in rows
    ]
    return sorted(tables, key=lambda table: (table.schema, table.name))


def describe_table(
    conn: psycopg.Connection, schema: str | None, table: str | None
) -> list[ColumnInfo]:
    """Columns of a table, or of every table of a schema (see ``Engine.describe_table``)."""
    params: dict[str, Any] = {"schema": schema, "table": table}
    if schema is not None and table is not None:
        selection = "n.nspname = %(schema)s::text AND c.relname = %(table)s::text"
    elif table is not None:  # the search path's first match, as an unqualified name resolves
        selection = "c.oid = to_regclass(quote_ident(%(table)s::text))"
    elif schema is not None:
        selection = "n.nspname = %(schema)s::text"
    else:
        selection = "n.nspname = ANY (current_schemas(false))"
    rows = conn.execute(_COLUMNS_SQL.format(selection=selection), params).fetchall()
    return [
        column_info(
            name,
            type_oid,
            typmod,
            {type_oid: typname},
            nullable=0 if not_null else 1,
            schema_name=nspname,
            table_name=relname,
            column_default=(
                identity_default(identity, table_oid, attnum, start, step) if identity else default
            ),
        )
        for (
            nspname,
            relname,
            name,
            type_oid,
            typmod,
            not_null,
            default,
            typname,
            identity,
            table_oid,
            attnum,
            start,
            step,
        ) in rows
    ]


def identity_default(
    kind: str, table_oid: int, attnum: int, start: int | None, step: int | None
) -> str:
    """Redshift's columnDefault for an identity column.

    Redshift shows ``IDENTITY(seed, step)`` as ``"identity"(<table oid>, <column
    index>, '<seed>,<step>'::text)`` and ``GENERATED BY DEFAULT AS IDENTITY`` as
    ``default_identity(...)`` with the same arguments; the column index counts
    from 0.  PostgreSQL's GENERATED ALWAYS (``kind`` ``a``) is the one that
    refuses explicit values, like Redshift's IDENTITY; BY DEFAULT (``d``) takes them.
    """
    function = '"identity"' if kind == "a" else "default_identity"
    seed = 1 if start is None else int(start)
    increment = 1 if step is None else int(step)
    return f"{function}({int(table_oid)}, {int(attnum) - 1}, '{seed},{increment}'::text)"


def _pg_array(numbers: Iterable[int]) -> str:
    return "{" + ",".join(str(int(number)) for number in numbers) + "}"


class ResultDescriber:
    """ColumnMetadata for result sets, with the catalog facts cached per connection.

    A result column that comes straight from a table carries the table's OID
    and column number (``PQftable``/``PQftablecol``); its schema, table and
    NOT NULL flag are looked up once per connection.  Expressions have no
    origin: their nullability is reported as 2 (unknown).
    The cache is dropped after DDL on the connection (:meth:`forget`).
    """

    def __init__(self) -> None:
        self._origins: dict[tuple[int, int], tuple[str, str, bool, str | None]] = {}
        self._type_names: dict[int, str] = {}

    def forget(self) -> None:
        """Drop cached origins and type names (tables or types may have changed)."""
        self._origins.clear()
        self._type_names.clear()

    def describe(self, conn: psycopg.Connection, cursor: psycopg.Cursor[Any]) -> list[ColumnInfo]:
        """ColumnInfo for every column of ``cursor``'s current result."""
        result = cursor.pgresult
        if result is None or cursor.description is None:
            return []
        count = result.nfields
        shapes = [
            (result.ftype(i), result.fmod(i), result.ftable(i), result.ftablecol(i))
            for i in range(count)
        ]
        self._load_origins(conn, ((table, col) for _, _, table, col in shapes if table))
        self._load_type_names(conn, (oid for oid, _, _, _ in shapes if not is_known_type(oid)))
        columns = []
        for column, (type_oid, typmod, table, col) in zip(cursor.description, shapes, strict=True):
            origin = self._origins.get((table, col)) if table else None
            schema_name, table_name, not_null, domain = origin or ("", "", False, None)
            info = column_info(
                column.name,
                type_oid,
                typmod,
                self._type_names,
                nullable=2 if origin is None else 0 if not_null else 1,
                schema_name=schema_name,
                table_name=table_name,
            )
            if domain in DOMAIN_TYPES:
                # The wire carries the domain's base type (text); Redshift's name is the domain's.
                info.type_name = domain
            columns.append(info)
        return columns

    def _load_origins(self, conn: psycopg.Connection, wanted: Iterable[tuple[int, int]]) -> None:
        missing = sorted({key for key in wanted if key not in self._origins})
        if not missing:
            return
        # Arrays travel as text: the engine's adapters only dump str (see types).
        relids = _pg_array(table for table, _ in missing)
        attnums = _pg_array(col for _, col in missing)
        rows = conn.execute(_ORIGINS_SQL, [relids, attnums]).fetchall()
        for relid, attnum, nspname, relname, not_null, domain in rows:
            self._origins[(int(relid), int(attnum))] = (nspname, relname, bool(not_null), domain)

    def _load_type_names(self, conn: psycopg.Connection, wanted: Iterable[int]) -> None:
        missing = sorted({oid for oid in wanted if oid not in self._type_names})
        if not missing:
            return
        rows = conn.execute(
            "SELECT oid, typname FROM pg_catalog.pg_type WHERE oid = ANY (%s::oid[])",
            [_pg_array(missing)],
        ).fetchall()
        for oid, typname in rows:
            self._type_names[int(oid)] = typname
