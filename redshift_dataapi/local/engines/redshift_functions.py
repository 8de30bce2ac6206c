"""Redshift functions the engines lack or type differently, created with each database.

The translator (``translate.functions``) writes calls to these names; this
module holds their definitions, as the engines run them at setup:

* DuckDB (macros in schema ``main``, :func:`duckdb_statements`):
  ``redshift_trunc(x)`` is Redshift's one-argument TRUNC: a DATE for a
  TIMESTAMP, TIMESTAMPTZ or DATE, the engine's ``trunc`` for numbers (the
  overloads are typed macro parameters; DuckDB's own ``trunc`` takes numbers
  only).  ``strtol(s, base)`` converts a string of digits in ``base`` (2 to
  36) to a BIGINT as Redshift documents it: leading blanks, one optional
  sign, ``0x`` for base 16, digits up to the first one not of the base,
  ``''`` is 0.  ``redshift_octet_length(x)``: OCTET_LENGTH of text too
  (DuckDB's takes BLOBs only).  ``json_serialize(j)``: ``'null'`` for NULL,
  as Redshift documents.
* PostgreSQL (functions in ``pg_catalog``, :data:`POSTGRES_STATEMENTS`):
  ``round(double precision, integer)`` returning double precision (Redshift's
  ROUND returns the type of its input; PostgreSQL has ``round(numeric,
  integer)`` only); ``to_hex(bytea)`` (VARBYTE is bytea: TO_HEX of a VARBYTE
  column); ``json_serialize(json)`` (SUPER is json: its compact text, keys in
  document order, ``'null'`` for NULL); ``strtol(text, integer)`` with the same reading as on
  DuckDB.
"""

from __future__ import annotations

__all__ = ["BASE_ERROR", "POSTGRES_STATEMENTS", "TYPED_MACROS_SINCE", "duckdb_statements"]

#: The error STRTOL gives for a base outside 2..36 (the range Redshift documents).
BASE_ERROR = "STRTOL base must be an integer between 2 and 36"
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


#: The first DuckDB release these macros are written for: typed macro parameters (the
#: overloads of ``redshift_trunc`` and ``redshift_octet_length``) and ``lambda`` syntax.
TYPED_MACROS_SINCE = (1, 5)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:2] if part.isdigit())


def duckdb_statements(main: str, version: str | None = None) -> list[str]:
    """The macros, created in ``main`` (the schema every name falls back to).

    ``version`` is DuckDB's (default: the installed one).  Before
    :data:`TYPED_MACROS_SINCE` the macros keep the engine's own behaviour
    (TRUNC and OCTET_LENGTH of numbers and BLOBs only, no STRTOL) rather
    than fail to be created.
    """
    if version is None:
        import duckdb

        version = duckdb.__version__
    # Redshift's answer for a NULL SUPER is the JSON text 'null', never NULL.
    serialize = (
        f"CREATE OR REPLACE MACRO {main}.json_serialize(j) AS"
        " COALESCE(CAST(json(j) AS VARCHAR), 'null')"
    )
    if _version(version) < TYPED_MACROS_SINCE:
        return [
            f"CREATE OR REPLACE MACRO {main}.redshift_trunc(x) AS trunc(x)",
            f"CREATE OR REPLACE MACRO {main}.redshift_octet_length(x) AS octet_length(x)",
            serialize,
        ]
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
    return [trunc, strtol, octet_length, serialize]


#: The PostgreSQL definitions (run by the superuser at setup; ``pg_catalog`` is searched first).
POSTGRES_STATEMENTS = [
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
