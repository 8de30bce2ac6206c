"""``pg_catalog`` as Redshift shows it to the tools that browse schemas.

BI tools, SQL clients and the sqlalchemy-redshift dialect list schemas,
tables, columns, comments and keys from ``pg_namespace``, ``pg_class``,
``pg_attribute``, ``pg_attrdef``, ``pg_description`` and ``pg_constraint``,
with ``format_type``, ``col_description``, ``obj_description`` and
``pg_get_constraintdef``.  Redshift adds its own columns: ``reldiststyle``
in ``pg_class``, ``attisdistkey``, ``attsortkeyord`` and ``attencodingtype``
in ``pg_attribute`` (read with ``format_encoding``), and keeps
``pg_attrdef.adsrc``.  The translator (``translate.catalog``) reads the
tables named in its ``DUCKDB_VIEWS`` / ``POSTGRES_VIEWS`` from the
views made here:

* PostgreSQL: its own catalog is Redshift's ancestor, so the views are
  PostgreSQL's tables plus Redshift's columns, filled from the recorded
  physical design (``engines.system_views``).
* DuckDB: its own ``pg_catalog`` is a partial emulation (DuckDB's type
  OIDs, no declared lengths, no recorded keys, comments holding the declared
  types).  The views here are built from ``duckdb_tables()`` /
  ``duckdb_columns()``, the declared types kept in the column comments
  (PostgreSQL's type OIDs and type modifiers, so ``format_type`` answers
  ``character varying(20)`` or ``numeric(12,2)``), the user's part of the
  comments, and the recorded keys (``engines.duckdb.keys``).  Only the user's
  database is listed; the endpoint's hidden ``main`` schema is not.

``attencodingtype`` numbers are the endpoint's own (Redshift does not
document them): the position in :data:`ENCODINGS`, which ``format_encoding``
reads back.  ``reldiststyle`` is Redshift's: 0 EVEN, 1 KEY, 8 ALL, and 11
(AUTO(EVEN)) for a table without a declared distribution.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..translate.functions import CURRENT_USER_VARIABLE
from ..translate.tokens import quote_literal

__all__ = [
    "ENCODINGS",
    "duckdb_setup",
    "postgres_setup",
]

#: Column encodings; ``attencodingtype`` is the position (0: none).
ENCODINGS = (
    "none",
    "raw",
    "az64",
    "bytedict",
    "delta",
    "delta32k",
    "lzo",
    "mostly8",
    "mostly16",
    "mostly32",
    "runlength",
    "text255",
    "text32k",
    "zstd",
)

_ENCODING_LIST = "[" + ", ".join(f"'{e}'" for e in ENCODINGS) + "]"
_DISTSTYLE_CODE = (
    "CASE WHEN {style} = 'EVEN' THEN 0 WHEN {style} = 'ALL' THEN 8"
    " WHEN {style} LIKE 'KEY(%' THEN 1 ELSE 11 END"
)
# Declared Redshift type name -> PostgreSQL's (and Redshift's) type OID.
_TYPE_OIDS = {
    "bool": 16,
    "int8": 20,
    "int2": 21,
    "int4": 23,
    "text": 25,
    "float4": 700,
    "float8": 701,
    "bpchar": 1042,
    "varchar": 1043,
    "date": 1082,
    "time": 1083,
    "timestamp": 1114,
    "timestamptz": 1184,
    "timetz": 1266,
    "numeric": 1700,
    "geometry": 3000,
    "super": 4000,
    "varbyte": 6551,
}
# Type OID -> format_type's name (lengths and precisions are added from the modifier).
_TYPE_NAMES = {
    16: "boolean",
    20: "bigint",
    21: "smallint",
    23: "integer",
    25: "text",
    700: "real",
    701: "double precision",
    1082: "date",
    1083: "time without time zone",
    1114: "timestamp without time zone",
    1184: "timestamp with time zone",
    1266: "time with time zone",
    3000: "geometry",
    4000: "super",
}
_SIZED_NAMES = {1042: "character", 1043: "character varying", 6551: "varbyte"}
_TYPE_LENGTHS = {16: 1, 20: 8, 21: 2, 23: 4, 700: 4, 701: 8, 1082: 4, 1083: 8, 1114: 8, 1184: 8}


def _case(value: str, mapping: Mapping[Any, Any], other: str) -> str:
    arms = " ".join(
        f"WHEN {quote_literal(k) if isinstance(k, str) else k}"
        f" THEN {quote_literal(v) if isinstance(v, str) else v}"
        for k, v in mapping.items()
    )
    return f"CASE {value} {arms} ELSE {other} END"


# The lookup macros' tables carry ``rs_`` aliases: DuckDB expands a macro into the
# calling query, where an argument such as ``c.oid`` would otherwise bind to a
# table of the macro's own subquery named ``c``.


def _duckdb_type_macros(main: str) -> list[str]:
    """Macros turning a column's comment and DuckDB type into OID, modifier and name."""
    sized = " ".join(
        f"WHEN {oid} THEN '{name}' || CASE WHEN mod > 4 THEN '(' || (mod - 4) || ')' ELSE '' END"
        for oid, name in _SIZED_NAMES.items()
    )
    names = " ".join(f"WHEN {oid} THEN '{name}'" for oid, name in _TYPE_NAMES.items())
    return [
        # The declared type as the comment's first line keeps it (``redshift:varchar(20)``),
        # else Redshift's name for the DuckDB type (columns of views, CTAS of expressions).
        f"CREATE OR REPLACE MACRO {main}.redshift_declared_type(cmt, engine_type) AS"
        " CASE WHEN cmt LIKE 'redshift:%' THEN substr(split_part(cmt, chr(10), 1), 10)"
        " ELSE CASE regexp_replace(upper(engine_type), '\\(.*$', '')"
        " WHEN 'VARCHAR' THEN 'varchar(256)' WHEN 'SMALLINT' THEN 'int2'"
        " WHEN 'INTEGER' THEN 'int4' WHEN 'BIGINT' THEN 'int8'"
        " WHEN 'HUGEINT' THEN 'numeric(38,0)' WHEN 'FLOAT' THEN 'float4'"
        " WHEN 'DOUBLE' THEN 'float8' WHEN 'BOOLEAN' THEN 'bool' WHEN 'DATE' THEN 'date'"
        " WHEN 'TIMESTAMP' THEN 'timestamp' WHEN 'TIMESTAMP WITH TIME ZONE' THEN 'timestamptz'"
        " WHEN 'TIME' THEN 'time' WHEN 'TIME WITH TIME ZONE' THEN 'timetz'"
        " WHEN 'JSON' THEN 'super' WHEN 'BLOB' THEN 'varbyte(64000)'"
        " WHEN 'DECIMAL' THEN 'numeric' || regexp_extract(engine_type, '\\(.*$')"
        " ELSE lower(engine_type) END END",
        f"CREATE OR REPLACE MACRO {main}.redshift_type_oid(decl) AS CAST("
        + _case("regexp_replace(decl, '\\(.*$', '')", _TYPE_OIDS, "25")
        + " AS INTEGER)",
        # PostgreSQL's modifiers: length + 4; (precision << 16 | scale) + 4.
        f"CREATE OR REPLACE MACRO {main}.redshift_type_mod(decl) AS CAST(CASE"
        " WHEN regexp_matches(decl, '^(varchar|bpchar|varbyte)\\(\\d+\\)$')"
        " THEN CAST(regexp_extract(decl, '\\((\\d+)\\)', 1) AS INTEGER) + 4"
        " WHEN regexp_matches(decl, '^numeric\\(\\d+,\\d+\\)$')"
        " THEN CAST(regexp_extract(decl, '\\((\\d+),', 1) AS INTEGER) * 65536"
        " + CAST(regexp_extract(decl, ',(\\d+)\\)', 1) AS INTEGER) + 4"
        " ELSE -1 END AS INTEGER)",
        f"CREATE OR REPLACE MACRO {main}.redshift_pg_format_type(type_oid, mod) AS"
        f" CASE type_oid {names} {sized}"
        " WHEN 1700 THEN 'numeric' || CASE WHEN mod > 4 THEN"
        " '(' || ((mod - 4) // 65536) || ',' || ((mod - 4) % 65536) || ')' ELSE '' END"
        " ELSE NULL END",
        f"CREATE OR REPLACE MACRO {main}.format_encoding(code) AS"
        f" list_extract({_ENCODING_LIST}, code + 1)",
    ]


def _duckdb_relations(main: str, name: str) -> list[str]:
    """pg_namespace, pg_class and pg_user over DuckDB's own catalog functions."""
    user_tables = (
        "{t}.database_name = " + name + " AND {t}.schema_name <> 'main'"
        " AND NOT {t}.internal AND NOT {t}.temporary"
    )
    diststyle = _DISTSTYLE_CODE.format(style="d.diststyle")
    has_pk = (
        f"EXISTS (SELECT 1 FROM {main}.redshift_keys AS k WHERE k.table_schema = t.schema_name"
        " AND k.table_name = t.table_name AND k.constraint_type = 'PRIMARY KEY')"
    )
    common = (
        "CAST(0 AS BIGINT) AS reltype, CAST(100 AS INTEGER) AS relowner,"
        " CAST(0 AS BIGINT) AS relam, CAST(0 AS BIGINT) AS reltablespace,"
        " CAST(0 AS INTEGER) AS relpages, CAST(0 AS BIGINT) AS reltoastrelid,"
        " CAST(0 AS BIGINT) AS reltoastidxid, FALSE AS relhasindex, FALSE AS relisshared"
    )
    return [
        f"CREATE OR REPLACE VIEW {main}.redshift_pg_namespace AS"
        " SELECT oid, schema_name AS nspname, CAST(100 AS INTEGER) AS nspowner,"
        " CAST(NULL AS VARCHAR[]) AS nspacl FROM duckdb_schemas()"
        f" WHERE (database_name = {name} AND schema_name <> 'main' AND NOT internal)"
        " OR (database_name = 'system' AND schema_name IN ('pg_catalog', 'information_schema'))",
        f"CREATE OR REPLACE VIEW {main}.redshift_pg_class AS"
        " SELECT t.table_oid AS oid, t.table_name AS relname, t.schema_oid AS relnamespace,"
        f" {common}, t.table_oid AS relfilenode,"
        " CAST(t.estimated_size AS REAL) AS reltuples, 'r' AS relkind,"
        " CAST(t.column_count AS SMALLINT) AS relnatts, CAST(0 AS SMALLINT) AS relchecks,"
        f" FALSE AS relhasoids, {has_pk} AS relhaspkey, FALSE AS relhasrules,"
        " FALSE AS relhassubclass, CAST(NULL AS VARCHAR[]) AS relacl, 'p' AS relpersistence,"
        f" CAST({diststyle} AS INTEGER) AS reldiststyle"
        f" FROM duckdb_tables() AS t LEFT JOIN {main}.redshift_table_design AS d"
        " ON d.table_schema = t.schema_name AND d.table_name = t.table_name"
        f" WHERE {user_tables.format(t='t')}"
        " UNION ALL"
        " SELECT v.view_oid, v.view_name, v.schema_oid,"
        f" {common}, v.view_oid, CAST(0 AS REAL), 'v', CAST(v.column_count AS SMALLINT),"
        " CAST(0 AS SMALLINT), FALSE, FALSE, FALSE, FALSE, NULL, 'p', 0"
        f" FROM duckdb_views() AS v WHERE {user_tables.format(t='v')}",
        # DuckDB has no roles: the request's user, as the owner of everything.
        f"CREATE OR REPLACE VIEW {main}.redshift_pg_user AS"
        f" SELECT CAST(getvariable({quote_literal(CURRENT_USER_VARIABLE)}) AS VARCHAR) AS usename,"
        " CAST(100 AS INTEGER) AS usesysid, TRUE AS usecreatedb, TRUE AS usesuper,"
        " FALSE AS usecatupd, '********' AS passwd, CAST(NULL AS TIMESTAMP) AS valuntil,"
        " CAST(NULL AS VARCHAR) AS useconfig",
    ]


def _duckdb_lookups(main: str) -> list[str]:
    """Macros for ``'name'::regclass`` and the catalog functions that look an OID up."""
    return [
        # 'name'::regclass: a table of the current schema, or 'schema.table'.
        f"CREATE OR REPLACE MACRO {main}.redshift_regclass(rel) AS (SELECT max(rs_c.oid)"
        f" FROM {main}.redshift_pg_class AS rs_c JOIN {main}.redshift_pg_namespace AS rs_n"
        " ON rs_n.oid = rs_c.relnamespace WHERE CASE WHEN strpos(rel, '.') > 0"
        " THEN rs_n.nspname = split_part(rel, '.', 1)"
        " AND rs_c.relname = split_part(rel, '.', 2)"
        " ELSE rs_n.nspname = current_schema() AND rs_c.relname = rel END)",
        # DuckDB's own answers true for every table; Redshift's, for those on the search path.
        f"CREATE OR REPLACE MACRO {main}.redshift_table_is_visible(rel) AS (SELECT"
        " bool_or(rs_n.nspname = current_schema() OR list_contains(current_schemas(false),"
        f" rs_n.nspname)) FROM {main}.redshift_pg_class AS rs_c"
        f" JOIN {main}.redshift_pg_namespace AS rs_n ON rs_n.oid = rs_c.relnamespace"
        " WHERE rs_c.oid = rel)",
        f"CREATE OR REPLACE MACRO {main}.redshift_userbyid(id) AS (SELECT max(CASE"
        " WHEN id = rs_u.usesysid THEN rs_u.usename ELSE 'unknown (UID=' || id || ')' END)"
        f" FROM {main}.redshift_pg_user AS rs_u)",
        # PostgreSQL's answer is the view's query, not the statement that made it.
        f"CREATE OR REPLACE MACRO {main}.redshift_viewdef(rel) AS (SELECT max(regexp_extract("
        "rs_v.sql, '^\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?VIEW\\s+.*?\\s+AS\\s+(.*?);?\\s*$',"
        " 1, 'is')) FROM duckdb_views() AS rs_v WHERE rs_v.view_oid = rel)",
        # In bytes, from the same estimate as SVV_TABLE_INFO's size (engines.system_views).
        f"CREATE OR REPLACE MACRO {main}.redshift_relation_size(rel) AS (SELECT"
        " COALESCE(max(CAST(rs_t.estimated_size * 8 * GREATEST(rs_t.column_count, 1) AS BIGINT)),"
        " 0) FROM duckdb_tables() AS rs_t WHERE rs_t.table_oid = rel)",
    ]


def _duckdb_columns(main: str, name: str) -> list[str]:
    """pg_attribute, pg_attrdef and pg_description over ``duckdb_columns()``."""
    columns = (
        f"(SELECT *, {main}.redshift_declared_type(comment, data_type) AS decl"
        f" FROM duckdb_columns() WHERE database_name = {name} AND schema_name <> 'main'"
        " AND NOT internal)"
    )
    lengths = _case("c.type_oid", _TYPE_LENGTHS, "-1")
    encoding = f"list_position({_ENCODING_LIST}, lower(COALESCE(cd.encoding, 'none'))) - 1"
    user_comment = (
        "CASE WHEN comment NOT LIKE 'redshift:%' THEN comment WHEN strpos(comment, chr(10)) > 0"
        " THEN substr(comment, strpos(comment, chr(10)) + 1) END"
    )
    relations = f"database_name = {name} AND schema_name <> 'main' AND NOT internal"
    return [
        f"CREATE OR REPLACE VIEW {main}.redshift_pg_attribute AS"
        " SELECT c.table_oid AS attrelid, c.column_name AS attname, c.type_oid AS atttypid,"
        " CAST(-1 AS INTEGER) AS attstattarget, CAST(" + lengths + " AS SMALLINT) AS attlen,"
        " CAST(c.column_index AS SMALLINT) AS attnum, CAST(0 AS INTEGER) AS attndims,"
        " CAST(-1 AS INTEGER) AS attcacheoff, c.type_mod AS atttypmod,"
        " c.type_oid IN (16, 21, 23, 700, 1082) AS attbyval,"
        " CASE WHEN c.type_oid IN (1042, 1043, 1700, 4000, 6551) THEN 'x' ELSE 'p' END"
        " AS attstorage, 'i' AS attalign, NOT c.is_nullable AS attnotnull,"
        " c.column_default IS NOT NULL AS atthasdef, FALSE AS attisdropped,"
        " TRUE AS attislocal, CAST(0 AS INTEGER) AS attinhcount,"
        " CAST(NULL AS VARCHAR[]) AS attacl, COALESCE(cd.distkey, FALSE) AS attisdistkey,"
        " CAST(COALESCE(cd.sortkey, 0) AS INTEGER) AS attsortkeyord,"
        f" CAST({encoding} AS INTEGER) AS attencodingtype"
        f" FROM (SELECT *, {main}.redshift_type_oid(decl) AS type_oid,"
        f" {main}.redshift_type_mod(decl) AS type_mod FROM {columns}) AS c"
        f" LEFT JOIN {main}.redshift_column_design AS cd ON cd.table_schema = c.schema_name"
        " AND cd.table_name = c.table_name AND cd.column_name = c.column_name",
        f"CREATE OR REPLACE VIEW {main}.redshift_pg_attrdef AS"
        " SELECT c.table_oid * 10000 + c.column_index AS oid, c.table_oid AS adrelid,"
        " CAST(c.column_index AS SMALLINT) AS adnum, d.dflt AS adbin, d.dflt AS adsrc"
        f" FROM {columns} AS c, LATERAL (SELECT {main}.redshift_column_default("
        " c.column_default, c.database_name, c.schema_name, c.table_oid, c.column_index)"
        " AS dflt) AS d WHERE c.column_default IS NOT NULL",
        # 1259 is pg_class's OID, the classoid of comments on relations and columns.
        f"CREATE OR REPLACE VIEW {main}.redshift_pg_description AS"
        " SELECT * FROM (SELECT table_oid AS objoid, CAST(1259 AS BIGINT) AS classoid,"
        " CAST(0 AS INTEGER) AS objsubid, comment AS description FROM duckdb_tables()"
        f" WHERE {relations} AND NOT temporary"
        " UNION ALL SELECT view_oid, 1259, 0, comment FROM duckdb_views()"
        f" WHERE {relations} AND NOT temporary"
        f" UNION ALL SELECT table_oid, 1259, column_index, {user_comment}"
        f" FROM duckdb_columns() WHERE {relations}) AS d"
        " WHERE description IS NOT NULL AND description <> ''",
        f"CREATE OR REPLACE MACRO {main}.redshift_col_description(rel, col) AS"
        f" (SELECT max(rs_d.description) FROM {main}.redshift_pg_description AS rs_d"
        " WHERE rs_d.objoid = rel AND rs_d.objsubid = col)",
        f"CREATE OR REPLACE MACRO {main}.redshift_obj_description(rel) AS"
        f" (SELECT max(rs_d.description) FROM {main}.redshift_pg_description AS rs_d"
        " WHERE rs_d.objoid = rel AND rs_d.objsubid = 0)",
    ]


def _duckdb_constraints(main: str, name: str) -> list[str]:
    """pg_constraint from the recorded keys, and pg_get_constraintdef of them."""
    attnum = (
        "(SELECT CAST(c.column_index AS SMALLINT) FROM duckdb_columns() AS c"
        f" WHERE c.database_name = {name} AND c.schema_name = {{schema}}"
        " AND c.table_name = {table} AND c.column_name = {column})"
    )
    keys = (
        "(SELECT k.*, t.table_oid, t.schema_oid, r.table_oid AS ref_oid,"
        + attnum.format(schema="k.table_schema", table="k.table_name", column="k.column_name")
        + " AS attnum, "
        + attnum.format(schema="k.ref_schema", table="k.ref_table", column="k.ref_column")
        + f" AS ref_attnum FROM {main}.redshift_keys AS k"
        f" JOIN duckdb_tables() AS t ON t.database_name = {name}"
        " AND t.schema_name = k.table_schema AND t.table_name = k.table_name"
        f" LEFT JOIN duckdb_tables() AS r ON r.database_name = {name}"
        " AND r.schema_name = k.ref_schema AND r.table_name = k.ref_table)"
    )
    columns = "string_agg(column_name, ', ' ORDER BY ordinal_position)"
    ref_columns = "string_agg(ref_column, ', ' ORDER BY ordinal_position)"
    ref_table = (
        "CASE WHEN any_value(ref_schema) = current_schema() THEN any_value(ref_table)"
        " ELSE any_value(ref_schema) || '.' || any_value(ref_table) END"
    )
    return [
        f"CREATE OR REPLACE VIEW {main}.redshift_pg_constraint AS"
        " SELECT CAST(hash(table_schema, table_name, constraint_name) % 2147483647 AS BIGINT)"
        " AS oid, constraint_name AS conname, any_value(schema_oid) AS connamespace,"
        " CASE any_value(constraint_type) WHEN 'PRIMARY KEY' THEN 'p' WHEN 'UNIQUE' THEN 'u'"
        " ELSE 'f' END AS contype, FALSE AS condeferrable, FALSE AS condeferred,"
        " any_value(table_oid) AS conrelid, CAST(0 AS BIGINT) AS contypid,"
        " COALESCE(any_value(ref_oid), 0) AS confrelid,"
        " CASE WHEN any_value(ref_table) IS NULL THEN ' ' ELSE 'a' END AS confupdtype,"
        " CASE WHEN any_value(ref_table) IS NULL THEN ' ' ELSE 'a' END AS confdeltype,"
        " CASE WHEN any_value(ref_table) IS NULL THEN ' ' ELSE 'u' END AS confmatchtype,"
        " list(attnum ORDER BY ordinal_position) AS conkey,"
        " CASE WHEN any_value(ref_table) IS NULL THEN NULL"
        " ELSE list(ref_attnum ORDER BY ordinal_position) END AS confkey,"
        " CAST(NULL AS VARCHAR) AS conbin, CAST(NULL AS VARCHAR) AS consrc,"
        f" any_value(constraint_type) || ' (' || {columns} || ')'"
        f" || CASE WHEN any_value(ref_table) IS NULL THEN '' ELSE ' REFERENCES ' || {ref_table}"
        f" || '(' || {ref_columns} || ')' END AS condef"
        f" FROM {keys} AS k GROUP BY table_schema, table_name, constraint_name",
        f"CREATE OR REPLACE MACRO {main}.redshift_constraintdef(con) AS"
        f" (SELECT max(rs_t.condef) FROM {main}.redshift_pg_constraint AS rs_t"
        " WHERE rs_t.oid = con)",
    ]


def duckdb_setup(database: str) -> list[str]:
    """Statements creating the catalog views and macros in DuckDB database ``database``.

    Run after the keys table and the design tables exist (``engines.duckdb.keys``,
    ``engines.system_views``).
    """
    main = '"' + database.replace('"', '""') + '".main'
    name = quote_literal(database)
    return [
        *_duckdb_type_macros(main),
        *_duckdb_relations(main, name),
        *_duckdb_lookups(main),
        *_duckdb_columns(main, name),
        *_duckdb_constraints(main, name),
    ]


def postgres_setup() -> list[str]:
    """Statements (as superuser, in the database) creating Redshift's catalog columns.

    Run after the design tables exist (``engines.system_views``).
    """
    diststyle = _DISTSTYLE_CODE.format(style="d.diststyle")
    encodings = "ARRAY[" + ", ".join(f"'{e}'" for e in ENCODINGS) + "]"
    return [
        "SET allow_system_table_mods = on",
        "CREATE OR REPLACE VIEW pg_catalog.redshift_pg_class AS SELECT c.*,"
        f" CAST(CASE WHEN c.relkind NOT IN ('r', 'p') THEN 0 ELSE {diststyle} END AS integer)"
        " AS reldiststyle FROM pg_catalog.pg_class AS c"
        " JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace"
        " LEFT JOIN pg_catalog.redshift_table_design AS d"
        " ON d.table_schema = n.nspname AND d.table_name = c.relname"
        # Redshift's keys have no indexes: PostgreSQL's behind them are not shown.
        " WHERE c.relkind <> 'i' OR n.nspname IN ('pg_catalog', 'information_schema')"
        " OR n.nspname LIKE 'pg\\_toast%'",
        "CREATE OR REPLACE VIEW pg_catalog.redshift_pg_attribute AS SELECT a.*,"
        " COALESCE(cd.distkey, false) AS attisdistkey,"
        " CAST(COALESCE(cd.sortkey, 0) AS integer) AS attsortkeyord,"
        f" CAST(COALESCE(array_position({encodings}, lower(cd.encoding)::text), 1) - 1"
        " AS integer) AS attencodingtype"
        " FROM pg_catalog.pg_attribute AS a"
        " JOIN pg_catalog.pg_class AS c ON c.oid = a.attrelid"
        " JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace"
        " LEFT JOIN pg_catalog.redshift_column_design AS cd"
        " ON cd.table_schema = n.nspname AND cd.table_name = c.relname"
        " AND cd.column_name = a.attname",
        "CREATE OR REPLACE VIEW pg_catalog.redshift_pg_attrdef AS SELECT d.*,"
        " pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS adsrc FROM pg_catalog.pg_attrdef AS d",
        "CREATE OR REPLACE FUNCTION pg_catalog.format_encoding(integer) RETURNS text"
        f" LANGUAGE sql IMMUTABLE AS $fn$ SELECT ({encodings})[$1 + 1] $fn$",
        "GRANT SELECT ON pg_catalog.redshift_pg_class, pg_catalog.redshift_pg_attribute,"
        " pg_catalog.redshift_pg_attrdef TO PUBLIC",
        "RESET allow_system_table_mods",
    ]
