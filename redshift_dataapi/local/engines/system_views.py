"""SVV_TABLE_INFO and PG_TABLE_DEF: Redshift's table views, with their documented columns.

Both engines lose Redshift's physical design (the translator removes
DISTKEY, SORTKEY, DISTSTYLE and ENCODE), so a CREATE TABLE's design
(``translate.design.TableDesign``) is recorded by :func:`design_statements`
in two tables beside the load-error tables (DuckDB: schema ``main`` of each
database; PostgreSQL: ``pg_catalog``, written by every user):
``redshift_table_design`` (diststyle, sort key) and
``redshift_column_design`` (encoding, distkey, sortkey position).  The views
join them to the engine's catalog:

* ``svv_table_info``: database, schema, table_id, table, encoded,
  diststyle, sortkey1, max_varchar, sortkey1_enc, sortkey_num, size,
  pct_used, empty, unsorted, stats_off, tbl_rows, skew_sortkey1, skew_rows,
  estimated_visible_rows, risk_event, vacuum_sort_benefit, create_time.  As
  on Redshift, user tables with at least one row only.  ``size`` is in 1 MB
  blocks of the engine's storage; ``tbl_rows`` counts the rows; the
  statistics columns that have no local meaning are 0 or NULL.  A table
  without a declared distribution is ``AUTO(EVEN)``, without a sort key
  ``AUTO(SORTKEY)``.
* ``pg_table_def``: schemaname, tablename, column, type (PostgreSQL's
  spelling, ``character varying(20)``), encoding (``none`` unless declared),
  distkey, sortkey (position; interleaved keys alternate the sign), notnull;
  only tables in schemas on the search path, as on Redshift.

* ``svv_tables``, ``svv_columns`` (information_schema's columns plus
  ``remarks``), ``svv_all_schemas``, ``svv_all_tables`` and
  ``svv_all_columns``: the user tables, views and schemas of the database
  with Redshift's column names; data types as Redshift spells them
  (``character varying`` with ``character_maximum_length``), on DuckDB too.

* ``stl_query``, ``sys_query_history`` and ``stv_recents``: the endpoint's
  own statements, copied from its statement store into
  ``redshift_query_history`` when a statement names one of them
  (``runtime.history``).

All are unqualified names that resolve for every user (DuckDB resolves
unqualified names in ``main`` after the search path; ``pg_catalog`` is
searched first on PostgreSQL).
"""

from __future__ import annotations

from ..translate.tokens import quote_literal
from ..translate.work import Translated
from . import pg_catalog, redshift_functions

__all__ = [
    "POSTGRES_COLUMNS_VIEW",
    "design_statements",
    "duckdb_column_default_macro",
    "duckdb_setup",
    "postgres_setup",
]

_TABLE_DESIGN = (
    "table_schema VARCHAR, table_name VARCHAR, diststyle VARCHAR, sortkey_num INTEGER,"
    " interleaved BOOLEAN"
)
_COLUMN_DESIGN = (
    "table_schema VARCHAR, table_name VARCHAR, column_name VARCHAR, encoding VARCHAR,"
    " distkey BOOLEAN, sortkey INTEGER"
)


def design_statements(tr: Translated, schema: str) -> list[str]:
    """Statements recording the design of the table a CREATE TABLE made (else none).

    ``schema`` holds the design tables (``main`` or ``pg_catalog``).  The
    design of an earlier table of that name is forgotten first.
    """
    if tr.command != "CREATE TABLE" or tr.table is None or tr.temporary:
        return []
    table_schema = "current_schema()" if tr.table[0] is None else quote_literal(tr.table[0])
    table = quote_literal(tr.table[1])
    where = f"WHERE table_schema = {table_schema} AND table_name = {table}"
    out = [
        f"DELETE FROM {schema}.redshift_table_design {where}",
        f"DELETE FROM {schema}.redshift_column_design {where}",
    ]
    design = tr.design
    if design is None:
        return out
    out.append(
        f"INSERT INTO {schema}.redshift_table_design VALUES ({table_schema}, {table},"
        f" {quote_literal(design.effective_diststyle)}, {len(design.sortkey)},"
        f" {'TRUE' if design.interleaved else 'FALSE'})"
    )
    columns = dict.fromkeys([*design.encodings, *design.sortkey])
    if design.distkey:
        columns[design.distkey] = None
    for column in columns:
        position = design.sortkey.index(column) + 1 if column in design.sortkey else 0
        if design.interleaved and position % 2 == 0:
            position = -position
        encoding = design.encodings.get(column, "none")
        out.append(
            f"INSERT INTO {schema}.redshift_column_design VALUES ({table_schema}, {table},"
            f" {quote_literal(column)}, {quote_literal(encoding)},"
            f" {'TRUE' if column == design.distkey else 'FALSE'}, {position})"
        )
    return out


_SVV_COLUMNS = """
    {database} AS database, {schema} AS schema, {table_id} AS table_id, {table} AS "table",
    CASE WHEN EXISTS (SELECT 1 FROM {design}.redshift_column_design AS e
                      WHERE e.table_schema = {schema} AND e.table_name = {table}
                        AND e.encoding NOT IN ('none', 'raw')) THEN 'Y' ELSE 'N' END AS encoded,
    COALESCE(d.diststyle, 'AUTO(EVEN)') AS diststyle,
    COALESCE((SELECT s.column_name FROM {design}.redshift_column_design AS s
              WHERE s.table_schema = {schema} AND s.table_name = {table} AND s.sortkey = 1),
             'AUTO(SORTKEY)') AS sortkey1,
    {max_varchar} AS max_varchar,
    CAST((SELECT s.encoding FROM {design}.redshift_column_design AS s
          WHERE s.table_schema = {schema} AND s.table_name = {table} AND s.sortkey = 1)
         AS CHAR(32)) AS sortkey1_enc,
    COALESCE(d.sortkey_num, 0) AS sortkey_num,
    CAST({size} AS BIGINT) AS size,
    CAST(0 AS NUMERIC(10,4)) AS pct_used,
    CAST(0 AS BIGINT) AS empty,
    CAST(0 AS NUMERIC(5,2)) AS unsorted,
    CAST(0 AS NUMERIC(5,2)) AS stats_off,
    CAST({rows} AS NUMERIC(38,0)) AS tbl_rows,
    CAST(NULL AS NUMERIC(19,2)) AS skew_sortkey1,
    CAST(NULL AS NUMERIC(19,2)) AS skew_rows,
    CAST({rows} AS NUMERIC(38,0)) AS estimated_visible_rows,
    CAST(NULL AS VARCHAR) AS risk_event,
    CAST(NULL AS NUMERIC(12,2)) AS vacuum_sort_benefit,
    CAST(NULL AS TIMESTAMP) AS create_time"""

_TABLE_DEF_COLUMNS = """
    {schema} AS schemaname, {table} AS tablename, {column} AS "column", {type} AS type,
    CAST(COALESCE(cd.encoding, 'none') AS CHAR(32)) AS encoding,
    COALESCE(cd.distkey, FALSE) AS distkey,
    COALESCE(cd.sortkey, 0) AS sortkey,
    {notnull} AS notnull"""


def _svv_views(schema: str, database: str, columns: str, tables: str, schemas: str) -> list[str]:
    """The SVV_TABLES / SVV_COLUMNS / SVV_ALL_* views over an engine's base rows.

    ``columns``: (table_schema, table_name, column_name, ordinal_position,
    column_default, is_nullable, data_type, character_maximum_length,
    numeric_precision, numeric_scale, datetime_precision, remarks);
    ``tables``: (table_schema, table_name, table_type, remarks);
    ``schemas``: (schema_name, schema_owner).
    """
    return [
        f"CREATE OR REPLACE VIEW {schema}.svv_tables AS SELECT {database} AS table_catalog,"
        f" table_schema, table_name, table_type, remarks FROM {tables} AS t",
        f"CREATE OR REPLACE VIEW {schema}.svv_columns AS SELECT {database} AS table_catalog,"
        " table_schema, table_name, column_name, ordinal_position, column_default,"
        " is_nullable, data_type, character_maximum_length, numeric_precision,"
        " CAST(CASE WHEN numeric_precision IS NULL THEN NULL"
        " WHEN data_type IN ('real', 'double precision') THEN 2 ELSE 10 END AS INTEGER)"
        " AS numeric_precision_radix, numeric_scale, datetime_precision,"
        " CAST(NULL AS VARCHAR) AS interval_type, CAST(NULL AS INTEGER) AS interval_precision,"
        " CAST(NULL AS VARCHAR) AS character_set_catalog,"
        " CAST(NULL AS VARCHAR) AS character_set_schema,"
        " CAST(NULL AS VARCHAR) AS character_set_name,"
        " CAST(NULL AS VARCHAR) AS collation_catalog, CAST(NULL AS VARCHAR) AS collation_schema,"
        " CAST(NULL AS VARCHAR) AS collation_name, CAST(NULL AS VARCHAR) AS domain_name,"
        f" remarks FROM {columns} AS c",
        f"CREATE OR REPLACE VIEW {schema}.svv_all_schemas AS SELECT {database} AS database_name,"
        " schema_name, schema_owner, 'local' AS schema_type, CAST(NULL AS VARCHAR) AS schema_acl,"
        " CAST(NULL AS VARCHAR) AS source_database, CAST(NULL AS VARCHAR) AS schema_option"
        f" FROM {schemas} AS s",
        f"CREATE OR REPLACE VIEW {schema}.svv_all_tables AS SELECT {database} AS database_name,"
        " table_schema AS schema_name, table_name, table_type, CAST(NULL AS VARCHAR) AS table_acl,"
        f" remarks FROM {tables} AS t",
        f"CREATE OR REPLACE VIEW {schema}.svv_all_columns AS SELECT {database} AS database_name,"
        " table_schema AS schema_name, table_name, column_name, ordinal_position,"
        " column_default, is_nullable, data_type, character_maximum_length,"
        f" numeric_precision, numeric_scale, remarks FROM {columns} AS c",
    ]


_HISTORY_TABLE = (
    "query_id BIGINT, user_id INTEGER, user_name VARCHAR, pid INTEGER, database_name VARCHAR,"
    " label VARCHAR, status VARCHAR, query_text VARCHAR, start_time TIMESTAMP,"
    " end_time TIMESTAMP, elapsed_us BIGINT, returned_rows BIGINT, returned_bytes BIGINT,"
    " error_message VARCHAR"
)


def _history_views(schema: str) -> list[str]:
    """STL_QUERY, SYS_QUERY_HISTORY and STV_RECENTS over ``redshift_query_history``."""
    table = f"{schema}.redshift_query_history"
    first_word = "UPPER(SPLIT_PART(LTRIM(query_text), ' ', 1))"
    return [
        f"CREATE OR REPLACE VIEW {schema}.stl_query AS SELECT user_id AS userid,"
        " CAST(query_id AS INTEGER) AS query, label, query_id AS xid, pid,"
        " database_name AS database, query_text AS querytxt, start_time AS starttime,"
        " end_time AS endtime, CASE WHEN status = 'ABORTED' THEN 1 ELSE 0 END AS aborted,"
        " 0 AS insert_pristine, 0 AS concurrency_scaling_status"
        f" FROM {table} WHERE end_time IS NOT NULL",
        f"CREATE OR REPLACE VIEW {schema}.sys_query_history AS SELECT user_id, query_id,"
        " label AS query_label, query_id AS transaction_id, pid AS session_id, database_name,"
        f" CASE WHEN {first_word} IN ('SELECT', 'WITH', 'SHOW') THEN 'SELECT'"
        f" WHEN {first_word} IN ('INSERT', 'UPDATE', 'DELETE', 'COPY', 'UNLOAD', 'MERGE')"
        f" THEN {first_word}"
        f" WHEN {first_word} IN ('CREATE', 'ALTER', 'DROP', 'TRUNCATE', 'COMMENT', 'GRANT',"
        " 'REVOKE') THEN 'DDL' ELSE 'UTILITY' END AS query_type,"
        " CASE status WHEN 'FINISHED' THEN 'success' WHEN 'FAILED' THEN 'failed'"
        " WHEN 'ABORTED' THEN 'canceled' WHEN 'SUBMITTED' THEN 'queued' ELSE 'running' END"
        " AS status, FALSE AS result_cache_hit, start_time, end_time,"
        " elapsed_us AS elapsed_time, CAST(0 AS BIGINT) AS queue_time,"
        " elapsed_us AS execution_time, error_message, returned_rows, returned_bytes,"
        " query_text, 'local' AS redshift_version, CAST(NULL AS VARCHAR) AS usage_limit,"
        " 'primary' AS compute_type, CAST(0 AS BIGINT) AS compile_time,"
        " CAST(0 AS BIGINT) AS planning_time, CAST(0 AS BIGINT) AS lock_wait_time"
        f" FROM {table}",
        f"CREATE OR REPLACE VIEW {schema}.stv_recents AS SELECT user_id AS userid,"
        " CASE WHEN end_time IS NULL THEN 'Running' ELSE 'Done' END AS status,"
        " start_time AS starttime, CAST(elapsed_us AS INTEGER) AS duration,"
        " user_name, database_name AS db_name, query_text AS query, pid"
        f" FROM {table}",
    ]


def duckdb_column_default_macro(main: str) -> str:
    """Macro ``redshift_column_default`` in schema ``main``: a default as Redshift shows it.

    DuckDB has no identity columns; the translator backs each IDENTITY column
    by a sequence and a ``nextval('<sequence>')`` default
    (``translate.types.identity_to_sequence``).  Redshift has no sequences, so
    such a default is an IDENTITY column's, and Redshift shows it as
    ``"identity"(<table oid>, <column index from 0>, '<seed>,<step>'::text)``
    with the sequence's start and increment.  Any other default is unchanged.
    Arguments: default, database, schema, table oid and DuckDB's column index
    (from 1), as ``duckdb_columns()`` gives them.
    """
    return (
        f"CREATE OR REPLACE MACRO {main}.redshift_column_default(dflt, db, sch, tab_oid, col)"
        " AS CASE WHEN dflt LIKE 'nextval(''%'')' THEN COALESCE(("
        """ SELECT '"identity"(' || tab_oid || ', ' || (col - 1) || ', '''"""
        """ || s.start_value || ',' || s.increment_by || '''::text)'"""
        " FROM duckdb_sequences() AS s, (SELECT replace(regexp_extract(dflt,"
        r" '^nextval\(''(.*)''\)$', 1), '" + '"' + "', '') AS n) AS q"
        # DuckDB's names are case-insensitive, quoted or not
        " WHERE s.database_name = db AND lower(s.schema_name || '.' || s.sequence_name)"
        " = lower(CASE WHEN strpos(q.n, '.') > 0 THEN q.n ELSE sch || '.' || q.n END)"
        " LIMIT 1), dflt) ELSE dflt END"
    )


def duckdb_setup(database: str) -> list[str]:
    """Statements creating the design tables and the views in DuckDB database ``database``."""
    db = '"' + database.replace('"', '""') + '"'
    name = quote_literal(database)
    main = f"{db}.main"
    rows = "t.estimated_size"
    svv = _SVV_COLUMNS.format(
        database=name,
        schema="t.schema_name",
        table_id="t.table_oid",
        table="t.table_name",
        design=main,
        max_varchar=(
            "(SELECT MAX(TRY_CAST(regexp_extract(c.comment, '^redshift:varchar\\((\\d+)\\)', 1)"
            " AS INTEGER)) FROM duckdb_columns() AS c WHERE c.table_oid = t.table_oid)"
        ),
        size="CEIL(t.estimated_size * 8.0 * GREATEST(t.column_count, 1) / 1048576.0)",
        rows=rows,
    )
    table_def = _TABLE_DEF_COLUMNS.format(
        schema="c.schema_name",
        table="c.table_name",
        column="c.column_name",
        type=f"{main}.redshift_format_type(c.comment, c.data_type)",
        notnull="NOT c.is_nullable",
    )
    format_type = (
        f"CREATE OR REPLACE MACRO {main}.redshift_format_type(declared, engine_type) AS"
        " CASE WHEN declared LIKE 'redshift:%' THEN"
        "   CASE regexp_replace(substr(split_part(declared, chr(10), 1), 10), '\\(.*$', '')"
        "     WHEN 'varchar' THEN 'character varying'"
        "       || regexp_extract(split_part(declared, chr(10), 1), '\\(.*$')"
        "     WHEN 'bpchar' THEN 'character'"
        "       || regexp_extract(split_part(declared, chr(10), 1), '\\(.*$')"
        "     WHEN 'int2' THEN 'smallint' WHEN 'int4' THEN 'integer' WHEN 'int8' THEN 'bigint'"
        "     WHEN 'float4' THEN 'real' WHEN 'float8' THEN 'double precision'"
        "     WHEN 'bool' THEN 'boolean'"
        "     WHEN 'timestamp' THEN 'timestamp without time zone'"
        "     WHEN 'timestamptz' THEN 'timestamp with time zone'"
        "     WHEN 'time' THEN 'time without time zone'"
        "     WHEN 'timetz' THEN 'time with time zone'"
        "     ELSE substr(split_part(declared, chr(10), 1), 10) END"
        " ELSE CASE regexp_replace(upper(engine_type), '\\(.*$', '')"
        "   WHEN 'VARCHAR' THEN 'character varying(256)' WHEN 'SMALLINT' THEN 'smallint'"
        "   WHEN 'INTEGER' THEN 'integer' WHEN 'BIGINT' THEN 'bigint'"
        "   WHEN 'HUGEINT' THEN 'numeric(38,0)' WHEN 'FLOAT' THEN 'real'"
        "   WHEN 'DOUBLE' THEN 'double precision' WHEN 'BOOLEAN' THEN 'boolean'"
        "   WHEN 'DATE' THEN 'date' WHEN 'TIMESTAMP' THEN 'timestamp without time zone'"
        "   WHEN 'TIMESTAMP WITH TIME ZONE' THEN 'timestamp with time zone'"
        "   WHEN 'DECIMAL' THEN 'numeric' || regexp_extract(engine_type, '\\(.*$')"
        "   ELSE lower(engine_type) END END"
    )
    return [
        duckdb_column_default_macro(main),
        f"CREATE TABLE IF NOT EXISTS {main}.redshift_table_design ({_TABLE_DESIGN})",
        f"CREATE TABLE IF NOT EXISTS {main}.redshift_column_design ({_COLUMN_DESIGN})",
        f"CREATE TABLE IF NOT EXISTS {main}.redshift_query_history ({_HISTORY_TABLE})",
        *_history_views(main),
        format_type,
        *redshift_functions.duckdb_statements(main),
        # information_schema.columns as the translator reads it (translate.keys.KEY_VIEWS):
        # data types as Redshift spells them, with the declared lengths.
        f"CREATE OR REPLACE VIEW {main}.redshift_columns AS SELECT i.* REPLACE ("
        f" CASE WHEN c.comment LIKE 'redshift:%' THEN regexp_replace("
        f"{main}.redshift_format_type(c.comment, c.data_type), '\\(.*$', '')"
        " ELSE i.data_type END AS data_type,"
        f" {main}.redshift_column_default(i.column_default, c.database_name, c.schema_name,"
        " c.table_oid, c.column_index) AS column_default,"
        " COALESCE(TRY_CAST(regexp_extract(c.comment,"
        " '^redshift:(?:varchar|bpchar|varbyte)\\((\\d+)\\)', 1) AS INTEGER),"
        " i.character_maximum_length) AS character_maximum_length)"
        " FROM information_schema.columns AS i LEFT JOIN duckdb_columns() AS c"
        " ON c.database_name = i.table_catalog AND c.schema_name = i.table_schema"
        " AND c.table_name = i.table_name AND c.column_name = i.column_name",
        f"CREATE OR REPLACE VIEW {main}.svv_table_info AS SELECT {svv}"
        f" FROM duckdb_tables() AS t LEFT JOIN {main}.redshift_table_design AS d"
        " ON d.table_schema = t.schema_name AND d.table_name = t.table_name"
        f" WHERE t.database_name = {name} AND t.schema_name <> 'main' AND NOT t.internal"
        f" AND NOT t.temporary AND {rows} > 0",
        f"CREATE OR REPLACE VIEW {main}.pg_table_def AS SELECT {table_def}"
        " FROM duckdb_columns() AS c"
        f" JOIN duckdb_tables() AS t ON t.table_oid = c.table_oid"
        f" LEFT JOIN {main}.redshift_column_design AS cd ON cd.table_schema = c.schema_name"
        " AND cd.table_name = c.table_name AND cd.column_name = c.column_name"
        f" WHERE c.database_name = {name} AND c.schema_name <> 'main'"
        " AND (c.schema_name = current_schema()"
        " OR list_contains(current_schemas(false), c.schema_name))"
        " ORDER BY c.schema_name, c.table_name, c.column_index",
        *_svv_views(
            main,
            name,
            columns=(
                "(SELECT c.schema_name AS table_schema, c.table_name, c.column_name,"
                " CAST(c.column_index AS INTEGER) AS ordinal_position,"
                f" {main}.redshift_column_default(c.column_default, c.database_name,"
                " c.schema_name, c.table_oid, c.column_index) AS column_default,"
                " CASE WHEN c.is_nullable THEN 'YES' ELSE 'NO' END"
                " AS is_nullable,"
                f" regexp_replace({main}.redshift_format_type(c.comment, c.data_type),"
                " '\\(.*$', '') AS data_type,"
                " TRY_CAST(regexp_extract(c.comment,"
                " '^redshift:(?:varchar|bpchar|varbyte)\\((\\d+)\\)', 1) AS INTEGER)"
                " AS character_maximum_length,"
                " CAST(c.numeric_precision AS INTEGER) AS numeric_precision,"
                " CAST(c.numeric_scale AS INTEGER) AS numeric_scale,"
                " CAST(CASE WHEN c.data_type LIKE 'TIME%' THEN 6 END AS INTEGER)"
                " AS datetime_precision,"
                " CASE WHEN c.comment NOT LIKE 'redshift:%' THEN c.comment"
                " WHEN strpos(c.comment, chr(10)) > 0"
                " THEN substr(c.comment, strpos(c.comment, chr(10)) + 1) END AS remarks"
                f" FROM duckdb_columns() AS c WHERE c.database_name = {name}"
                " AND c.schema_name <> 'main' AND NOT c.internal)"
            ),
            tables=(
                "(SELECT schema_name AS table_schema, table_name, 'BASE TABLE' AS table_type,"
                f" comment AS remarks FROM duckdb_tables() WHERE database_name = {name}"
                " AND schema_name <> 'main' AND NOT internal AND NOT temporary"
                " UNION ALL SELECT schema_name, view_name, 'VIEW', comment FROM duckdb_views()"
                f" WHERE database_name = {name} AND schema_name <> 'main' AND NOT internal"
                " AND NOT temporary)"
            ),
            schemas=(
                "(SELECT schema_name, CAST(1 AS INTEGER) AS schema_owner FROM duckdb_schemas()"
                f" WHERE database_name = {name} AND schema_name <> 'main' AND NOT internal)"
            ),
        ),
        *pg_catalog.duckdb_setup(database),
    ]


_PG_USER_SCHEMAS = (
    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"
)


#: PostgreSQL: information_schema.columns with Redshift's IDENTITY defaults.  PostgreSQL
#: gives an identity column no column_default (is_identity says YES); Redshift shows
#: ``"identity"(<table oid>, <column index from 0>, '<seed>,<step>'::text)``, or
#: ``default_identity(...)`` for GENERATED BY DEFAULT, as DescribeTable does
#: (``engines.postgres.catalog.identity_default``).  The view keeps every column of
#: information_schema.columns in order (built from the catalog, so any PostgreSQL
#: version's list), and runs as the invoker, so a user sees the columns
#: information_schema shows that user.  The translator reads
#: ``information_schema.columns`` from it (``translate.keys.postgres_columns_view``).
POSTGRES_COLUMNS_VIEW = [
    "CREATE OR REPLACE FUNCTION pg_catalog.redshift_column_default("
    "sch text, tab text, ordinal integer, dflt text, is_identity text, generation text,"
    " seed text, step text) RETURNS information_schema.character_data"
    " LANGUAGE sql STABLE AS $fn$ SELECT CAST(CASE WHEN is_identity = 'YES' THEN"
    " CASE WHEN generation = 'ALWAYS' THEN '\"identity\"' ELSE 'default_identity' END"
    " || '(' || pg_catalog.to_regclass(quote_ident(sch) || '.' || quote_ident(tab))::oid"
    " || ', ' || (ordinal - 1) || ', ''' || seed || ',' || step || '''::text)'"
    " ELSE dflt END AS information_schema.character_data) $fn$",
    "DO $do$ DECLARE columns text; BEGIN"
    " SELECT string_agg(CASE WHEN a.attname = 'column_default' THEN"
    " 'pg_catalog.redshift_column_default(c.table_schema, c.table_name,"
    " CAST(c.ordinal_position AS integer), c.column_default, c.is_identity,"
    " c.identity_generation, c.identity_start, c.identity_increment) AS column_default'"
    " ELSE 'c.' || quote_ident(a.attname) END, ', ' ORDER BY a.attnum) INTO columns"
    " FROM pg_catalog.pg_attribute AS a"
    " WHERE a.attrelid = 'information_schema.columns'::regclass AND a.attnum > 0"
    " AND NOT a.attisdropped;"
    " EXECUTE 'CREATE OR REPLACE VIEW pg_catalog.redshift_columns"
    " WITH (security_invoker = true) AS SELECT ' || columns"
    " || ' FROM information_schema.columns AS c'; END $do$",
    "GRANT SELECT ON pg_catalog.redshift_columns TO PUBLIC",
]


def postgres_setup(database: str) -> list[str]:
    """Statements (as superuser, in the database) creating the tables and the views.

    ``database`` is the Data API name the views report (the engine's
    PostgreSQL database may carry a prefix).
    """
    svv = _SVV_COLUMNS.format(
        database=f"CAST({quote_literal(database)} AS VARCHAR)",
        schema="CAST(n.nspname AS VARCHAR)",
        table_id="c.oid",
        table="CAST(c.relname AS VARCHAR)",
        design="pg_catalog",
        max_varchar=(
            "(SELECT MAX(a.atttypmod - 4) FROM pg_catalog.pg_attribute AS a"
            " WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
            " AND a.atttypid = 'pg_catalog.varchar'::regtype AND a.atttypmod > 4)"
        ),
        size="CEIL(pg_catalog.pg_total_relation_size(c.oid) / 1048576.0)",
        rows="pg_catalog.redshift_row_count(c.oid)",
    )
    table_def = _TABLE_DEF_COLUMNS.format(
        schema="n.nspname",
        table="c.relname",
        column="a.attname",
        type="pg_catalog.format_type(a.atttypid, a.atttypmod)",
        notnull="a.attnotnull",
    )
    return [
        "SET allow_system_table_mods = on",
        f"CREATE TABLE IF NOT EXISTS pg_catalog.redshift_table_design ({_TABLE_DESIGN})",
        f"CREATE TABLE IF NOT EXISTS pg_catalog.redshift_column_design ({_COLUMN_DESIGN})",
        "GRANT SELECT, INSERT, DELETE ON pg_catalog.redshift_table_design,"
        " pg_catalog.redshift_column_design TO PUBLIC",
        f"CREATE TABLE IF NOT EXISTS pg_catalog.redshift_query_history ({_HISTORY_TABLE})",
        *_history_views("pg_catalog"),
        *redshift_functions.POSTGRES_STATEMENTS,
        *POSTGRES_COLUMNS_VIEW,
        # Rows a user may read (0 for a table the user may not read, as SVV_TABLE_INFO
        # shows a user only what the user may see).
        "CREATE OR REPLACE FUNCTION pg_catalog.redshift_row_count(tab oid) RETURNS bigint"
        " LANGUAGE plpgsql STABLE AS $fn$ DECLARE n bigint; BEGIN"
        " IF NOT pg_catalog.has_table_privilege(tab, 'SELECT') THEN RETURN 0; END IF;"
        " EXECUTE 'SELECT count(*) FROM ' || tab::regclass::text INTO n; RETURN n; END $fn$",
        "CREATE OR REPLACE VIEW pg_catalog.svv_table_info AS"
        f" SELECT * FROM (SELECT {svv}"
        " FROM pg_catalog.pg_class AS c"
        " JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace"
        " LEFT JOIN pg_catalog.redshift_table_design AS d"
        " ON d.table_schema = n.nspname AND d.table_name = c.relname"
        f" WHERE c.relkind IN ('r', 'p', 'm') AND {_PG_USER_SCHEMAS}) AS info"
        " WHERE tbl_rows > 0",
        f"CREATE OR REPLACE VIEW pg_catalog.pg_table_def AS SELECT {table_def}"
        " FROM pg_catalog.pg_class AS c"
        " JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace"
        " JOIN pg_catalog.pg_attribute AS a"
        " ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
        " LEFT JOIN pg_catalog.redshift_column_design AS cd"
        " ON cd.table_schema = n.nspname AND cd.table_name = c.relname"
        " AND cd.column_name = a.attname"
        " WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY (pg_catalog.current_schemas(false))",
        *_svv_views(
            "pg_catalog",
            f"CAST({quote_literal(database)} AS VARCHAR)",
            columns=(
                "(SELECT CAST(c.table_schema AS VARCHAR) AS table_schema,"
                " CAST(c.table_name AS VARCHAR) AS table_name,"
                " CAST(c.column_name AS VARCHAR) AS column_name,"
                " CAST(c.ordinal_position AS INTEGER) AS ordinal_position,"
                " CAST(c.column_default AS VARCHAR) AS column_default,"
                " CAST(c.is_nullable AS VARCHAR) AS is_nullable,"
                " CAST(c.data_type AS VARCHAR) AS data_type,"
                " CAST(c.character_maximum_length AS INTEGER) AS character_maximum_length,"
                " CAST(c.numeric_precision AS INTEGER) AS numeric_precision,"
                " CAST(c.numeric_scale AS INTEGER) AS numeric_scale,"
                " CAST(c.datetime_precision AS INTEGER) AS datetime_precision,"
                " CAST(pg_catalog.col_description(pc.oid, c.ordinal_position::int) AS VARCHAR)"
                " AS remarks"
                " FROM pg_catalog.redshift_columns AS c"
                " JOIN pg_catalog.pg_namespace AS n ON n.nspname = c.table_schema"
                " JOIN pg_catalog.pg_class AS pc"
                " ON pc.relnamespace = n.oid AND pc.relname = c.table_name"
                f" WHERE {_PG_USER_SCHEMAS})"
            ),
            tables=(
                "(SELECT CAST(t.table_schema AS VARCHAR) AS table_schema,"
                " CAST(t.table_name AS VARCHAR) AS table_name,"
                " CAST(t.table_type AS VARCHAR) AS table_type,"
                " CAST(pg_catalog.obj_description(pc.oid, 'pg_class') AS VARCHAR) AS remarks"
                " FROM information_schema.tables AS t"
                " JOIN pg_catalog.pg_namespace AS n ON n.nspname = t.table_schema"
                " JOIN pg_catalog.pg_class AS pc"
                " ON pc.relnamespace = n.oid AND pc.relname = t.table_name"
                f" WHERE {_PG_USER_SCHEMAS} AND t.table_type IN ('BASE TABLE', 'VIEW'))"
            ),
            schemas=(
                "(SELECT CAST(n.nspname AS VARCHAR) AS schema_name,"
                " CAST(n.nspowner AS INTEGER) AS schema_owner FROM pg_catalog.pg_namespace AS n"
                f" WHERE {_PG_USER_SCHEMAS})"
            ),
        ),
        "GRANT SELECT ON pg_catalog.svv_table_info, pg_catalog.pg_table_def,"
        " pg_catalog.svv_tables, pg_catalog.svv_columns, pg_catalog.svv_all_schemas,"
        " pg_catalog.svv_all_tables, pg_catalog.svv_all_columns, pg_catalog.stl_query,"
        " pg_catalog.sys_query_history, pg_catalog.stv_recents TO PUBLIC",
        "RESET allow_system_table_mods",
        *pg_catalog.postgres_setup(),
    ]
