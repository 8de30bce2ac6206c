"""Redshift functions the engines lack or type differently, created with each database.

The translator (``translate.functions``) writes calls to these names; this
module holds their definitions, as the engines run them at setup:

* DuckDB (macros in schema ``main``, :func:`duckdb_statements`): REPLICATE, DATE_CMP and
  IS_VALID_JSON as plain macros; ``redshift_trunc(x)`` is Redshift's one-argument TRUNC: a
  DATE for a TIMESTAMP, TIMESTAMPTZ or DATE, the engine's ``trunc`` for numbers (the
  overloads are typed macro parameters; DuckDB's own ``trunc`` takes numbers only).
  ``strtol(s, base)`` converts a string of digits in ``base`` (2 to 36) to a BIGINT as
  Redshift documents it: leading blanks, one optional sign, ``0x`` for base 16, digits up to
  the first one not of the base, ``''`` is 0.  ``redshift_length`` and
  ``redshift_column_octet_length``: LEN/LENGTH and OCTET_LENGTH of a named table column,
  which count a CHAR column as Redshift does (``translate.chars``).
  ``redshift_octet_length(x)``: OCTET_LENGTH of text too (DuckDB's takes BLOBs only).
  ``json_serialize(j)``: ``'null'`` for NULL, as Redshift documents.
  ``redshift_left_bytes(s, n)``: the longest prefix of whole characters of ``s`` that fits
  in ``n`` UTF-8 bytes (casts to CHAR(n)/VARCHAR(n), ``translate.casts``).
* PostgreSQL (functions in ``pg_catalog``, :data:`POSTGRES_STATEMENTS`): TRUNC(timestamp),
  REPLICATE, DATE_CMP, IS_VALID_JSON and ``regexp_extract`` (sqlglot's spelling of
  REGEXP_SUBSTR) as plain functions; ``round(double precision, integer)`` returning double
  precision (Redshift's ROUND returns the type of its input; PostgreSQL has ``round(numeric,
  integer)`` only); ``to_hex(bytea)`` (VARBYTE is bytea: TO_HEX of a VARBYTE column);
  ``json_serialize(json)`` (SUPER is json: its compact text, keys in document order,
  ``'null'`` for NULL); ``strtol(text, integer)`` with the same reading as on DuckDB;
  ``redshift_left_bytes(text, integer)`` as on DuckDB.
"""

from __future__ import annotations

__all__ = ["BASE_ERROR", "POSTGRES_STATEMENTS", "duckdb_statements"]

#: The error STRTOL gives for a base outside 2..36 (the range Redshift documents).
BASE_ERROR = "STRTOL base must be an integer between 2 and 36"
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"

#: Redshift functions DuckDB lacks that plain macros give (name -> parameters, body).
_DUCKDB_MACROS = {
    "replicate": ("s, n", "repeat(s, n)"),
    "date_cmp": (
        "a, b",
        "CASE WHEN CAST(a AS DATE) < CAST(b AS DATE) THEN -1"
        " WHEN CAST(a AS DATE) > CAST(b AS DATE) THEN 1 ELSE 0 END",
    ),
    "is_valid_json": ("s", "json_valid(s)"),
}
#: Redshift functions PostgreSQL lacks that plain SQL functions give.
_POSTGRES_PLAIN = [
    "CREATE OR REPLACE FUNCTION pg_catalog.trunc(timestamp without time zone) RETURNS date"
    " LANGUAGE sql IMMUTABLE AS 'SELECT CAST($1 AS date)'",
    "CREATE OR REPLACE FUNCTION pg_catalog.replicate(text, integer) RETURNS text"
    " LANGUAGE sql IMMUTABLE AS 'SELECT repeat($1, $2)'",
    "CREATE OR REPLACE FUNCTION pg_catalog.date_cmp(date, date) RETURNS integer"
    " LANGUAGE sql IMMUTABLE AS"
    " 'SELECT CASE WHEN $1 < $2 THEN -1 WHEN $1 > $2 THEN 1 ELSE 0 END'",
    "CREATE OR REPLACE FUNCTION pg_catalog.is_valid_json(text) RETURNS boolean"
    " LANGUAGE plpgsql IMMUTABLE AS $fn$ BEGIN PERFORM CAST($1 AS json); RETURN TRUE;"
    " EXCEPTION WHEN others THEN RETURN FALSE; END $fn$",
    # sqlglot writes REGEXP_SUBSTR(s, p) as REGEXP_EXTRACT(s, p) for PostgreSQL.
    "CREATE OR REPLACE FUNCTION pg_catalog.regexp_extract(text, text) RETURNS text"
    " LANGUAGE sql IMMUTABLE AS"
    " 'SELECT (regexp_match($1, ''('' || $2 || '')''))[1]'",
    "CREATE OR REPLACE FUNCTION pg_catalog.redshift_left_bytes(text, integer) RETURNS text"
    " LANGUAGE sql IMMUTABLE STRICT AS 'SELECT CASE WHEN octet_length($1) <= $2 THEN $1"
    " ELSE (SELECT left($1, count(*)::integer) FROM generate_series(1, $2) AS i"
    " WHERE octet_length(left($1, i)) <= $2) END'",
]


def duckdb_statements(main: str) -> list[str]:
    """The macros, created in ``main`` (the schema every name falls back to).

    They use typed macro parameters (the overloads of ``redshift_trunc`` and
    ``redshift_octet_length``) and ``lambda``, which the project's DuckDB floor has.
    """
    # Redshift's answer for a NULL SUPER is the JSON text 'null', never NULL.
    serialize = (
        f"CREATE OR REPLACE MACRO {main}.json_serialize(j) AS"
        " COALESCE(CAST(json(j) AS VARCHAR), 'null')"
    )
    # The digits of the base, after the blanks, the sign and (base 16) a 0x prefix.
    digits = (
        "regexp_extract(regexp_replace(lower(ltrim(s)),"
        " CASE WHEN base = 16 THEN '^[+-]?(0x)?' ELSE '^[+-]?' END, ''),"
        f" '^[' || left('{_DIGITS}', base) || ']*')"
    )
    strtol = (
        f"CREATE OR REPLACE MACRO {main}.strtol(s, base) AS"
        f" CASE WHEN base < 2 OR base > 36 THEN error('{BASE_ERROR}')"
        " WHEN s IS NULL THEN NULL"
        " ELSE (CASE WHEN starts_with(ltrim(s), '-') THEN -1 ELSE 1 END)"
        f" * list_reduce(string_split({digits}, ''),"
        f" lambda n, d: n * base + (position(d IN '{_DIGITS}') - 1), CAST(0 AS BIGINT)) END"
    )
    trunc = (
        f"CREATE OR REPLACE MACRO {main}.redshift_trunc(x TIMESTAMP) AS CAST(x AS DATE),"
        " (x TIMESTAMPTZ) AS CAST(x AS DATE), (x DATE) AS x, (x) AS trunc(x)"
    )
    octet_length = (
        f"CREATE OR REPLACE MACRO {main}.redshift_octet_length(x BLOB) AS octet_length(x),"
        " (x) AS strlen(CAST(x AS VARCHAR))"
    )
    # Whole characters only: the prefix k characters long, for the largest k whose
    # bytes fit (strlen counts bytes; ASCII strings take the first two branches).
    left_bytes = (
        f"CREATE OR REPLACE MACRO {main}.redshift_left_bytes(s, n) AS"
        " CASE WHEN strlen(s) <= n THEN s WHEN strlen(left(s, n)) = n THEN left(s, n)"
        " ELSE left(s, len(list_filter(range(1, n + 1), lambda i: strlen(left(s, i)) <= n)))"
        " END"
    )
    plain = [
        f"CREATE OR REPLACE MACRO {main}.{fn}({params}) AS {body}"
        for fn, (params, body) in _DUCKDB_MACROS.items()
    ]
    lengths = _char_length_macros(main)
    return [*plain, trunc, strtol, octet_length, serialize, left_bytes, *lengths]


def _char_length_macros(main: str) -> list[str]:
    """LEN/LENGTH and OCTET_LENGTH of a table column that count as Redshift does for CHAR.

    ``translate.chars`` names the column; its declared type (the comment the
    engine writes, ``redshift:bpchar(n)``) is read once per query.  A temp
    table hides a permanent one of the same name, as in Redshift.
    """
    declared = (
        "(SELECT first(comment ORDER BY database_name = 'temp' DESC) FROM duckdb_columns()"
        " WHERE table_name = tbl AND column_name = col AND ((sch IS NULL"
        " AND database_name = 'temp') OR (database_name = current_database()"
        " AND schema_name = COALESCE(sch, current_schema()))))"
    )
    is_char = f"starts_with(COALESCE({declared}, ''), 'redshift:bpchar(')"
    return [
        # Trailing blanks of a CHAR are not counted; the cast lets any other type bind.
        f"CREATE OR REPLACE MACRO {main}.redshift_length(x, sch, tbl, col) AS"
        f" CASE WHEN {is_char} THEN length(rtrim(CAST(x AS VARCHAR), ' '))"
        " ELSE length(x) END",
        # A CHAR(n) value is n bytes, blank-padded.
        f"CREATE OR REPLACE MACRO {main}.redshift_column_octet_length(x, sch, tbl, col) AS"
        f" CASE WHEN x IS NOT NULL AND {is_char}"
        f" THEN CAST(regexp_extract({declared}, '^redshift:bpchar\\((\\d+)\\)', 1) AS INTEGER)"
        " ELSE redshift_octet_length(x) END",
    ]


#: The PostgreSQL definitions (run by the superuser at setup; ``pg_catalog`` is searched first).
POSTGRES_STATEMENTS = [
    *_POSTGRES_PLAIN,
    "CREATE OR REPLACE FUNCTION pg_catalog.round(double precision, integer)"
    " RETURNS double precision LANGUAGE sql IMMUTABLE STRICT"
    " AS 'SELECT CAST(round(CAST($1 AS numeric), $2) AS double precision)'",
    "CREATE OR REPLACE FUNCTION pg_catalog.to_hex(bytea) RETURNS varchar"
    " LANGUAGE sql IMMUTABLE STRICT AS 'SELECT encode($1, ''hex'')'",
    # plpgsql: a SQL function's body may not call itself before it exists.
    "CREATE OR REPLACE FUNCTION pg_catalog.json_serialize(json) RETURNS varchar"
    " LANGUAGE plpgsql IMMUTABLE AS $fn$ BEGIN RETURN CASE COALESCE(json_typeof($1), 'null')"
    " WHEN 'object' THEN '{' || COALESCE((SELECT string_agg(to_json(e.key)::text || ':'"
    " || pg_catalog.json_serialize(e.value), ',' ORDER BY e.n)"
    " FROM json_each($1) WITH ORDINALITY AS e(key, value, n)), '') || '}'"
    " WHEN 'array' THEN '[' || COALESCE((SELECT string_agg(pg_catalog.json_serialize(e.value),"
    " ',' ORDER BY e.n) FROM json_array_elements($1) WITH ORDINALITY AS e(value, n)), '')"
    " || ']' WHEN 'null' THEN 'null' ELSE $1::text END; END $fn$",
    "CREATE OR REPLACE FUNCTION pg_catalog.strtol(text, integer) RETURNS bigint"
    " LANGUAGE plpgsql IMMUTABLE STRICT AS $fn$"
    " DECLARE s text := lower(ltrim($1, E' \\t\\n\\r')); sign bigint := 1; n bigint := 0;"
    " d integer; c text; BEGIN"
    f" IF $2 < 2 OR $2 > 36 THEN RAISE EXCEPTION '{BASE_ERROR}'"
    " USING ERRCODE = '22023'; END IF;"
    " IF left(s, 1) = '-' THEN sign := -1; END IF;"
    " IF left(s, 1) IN ('-', '+') THEN s := substr(s, 2); END IF;"
    " IF $2 = 16 AND left(s, 2) = '0x' THEN s := substr(s, 3); END IF;"
    " FOREACH c IN ARRAY regexp_split_to_array(s, '') LOOP"
    f" d := position(c IN '{_DIGITS}') - 1; EXIT WHEN d < 0 OR d >= $2;"
    " n := n * $2 + d; END LOOP; RETURN sign * n; END $fn$",
]
