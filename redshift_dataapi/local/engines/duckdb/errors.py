"""DuckDB exceptions -> :class:`EngineError` with Redshift-like text and a SQLSTATE.

Redshift's errors read ``ERROR: relation "public.t" does not exist``; the
Data API puts that text in DescribeStatement's ``Error``, and drivers look for
a SQLSTATE to pick the PEP 249 exception class.  DuckDB's exception classes
are coarser than SQLSTATEs, so the class is refined by the message where a
client would care (missing table vs. missing schema, unique vs. not-null).

(The driver's ``redshift_dataapi.errors.sqlstate_of`` reads a SQLSTATE out of
a message; :func:`duckdb_sqlstate` decides one for a DuckDB exception.)
"""

from __future__ import annotations

import re

import duckdb

from ..base import EngineError, StatementCancelled

__all__ = ["duckdb_sqlstate", "from_duckdb_error"]

# (exception class, message regex or None, SQLSTATE), first match wins.
_RULES: list[tuple[type[BaseException], str | None, str]] = [
    (duckdb.CatalogException, r"because schema .* does not exist", "3F000"),
    (duckdb.CatalogException, r"Table with name .* does not exist", "42P01"),
    (duckdb.CatalogException, r"Table Function with name .* does not exist", "42883"),
    (duckdb.CatalogException, r"View with name .* does not exist", "42P01"),
    (duckdb.CatalogException, r"Schema with name .* does not exist", "3F000"),
    (duckdb.CatalogException, r"Scalar Function with name .* does not exist", "42883"),
    (duckdb.CatalogException, r"Function with name .* does not exist", "42883"),
    (duckdb.CatalogException, r"Sequence with name .* does not exist", "42P01"),
    (duckdb.CatalogException, r"Schema with name .* already exists", "42P06"),
    (duckdb.CatalogException, r"already exists", "42P07"),
    (
        duckdb.CatalogException,
        r"Cannot drop entry .* because there are entries that depend",
        "2BP01",
    ),
    (duckdb.CatalogException, None, "42000"),
    (duckdb.ParserException, None, "42601"),
    (
        duckdb.BinderException,
        r"Referenced column .* not found|column .* not found|does not have a column",
        "42703",
    ),
    (duckdb.BinderException, r"No function matches|Could not choose a best candidate", "42883"),
    (duckdb.BinderException, r"must appear in the GROUP BY clause", "42803"),
    (duckdb.BinderException, r"Parameter/argument count mismatch|parameter", "08P01"),
    (duckdb.BinderException, r"[Aa]mbiguous", "42702"),
    (duckdb.BinderException, None, "42804"),
    (duckdb.ConstraintException, r"[Dd]uplicate key|PRIMARY KEY or UNIQUE", "23505"),
    (duckdb.ConstraintException, r"NOT NULL", "23502"),
    (duckdb.ConstraintException, r"CHECK\(\((strlen|length)\(", "22001"),
    (duckdb.ConstraintException, r"CHECK", "23514"),
    (duckdb.ConstraintException, r"[Ff]oreign [Kk]ey", "23503"),
    (duckdb.ConstraintException, None, "23000"),
    (duckdb.ConversionException, r"[Oo]verflow|out of range", "22003"),
    (duckdb.ConversionException, None, "22P02"),
    (duckdb.OutOfRangeException, None, "22003"),
    (duckdb.InvalidInputException, r"[Dd]ivision by zero", "22012"),
    (duckdb.InvalidInputException, None, "22023"),
    (duckdb.TransactionException, r"[Cc]onflict", "40001"),
    (duckdb.TransactionException, r"aborted", "25P02"),
    (duckdb.TransactionException, r"no transaction is active|not in a transaction", "25P01"),
    (duckdb.TransactionException, r"already|within a transaction", "25001"),
    (duckdb.TransactionException, None, "25000"),
    (duckdb.NotImplementedException, None, "0A000"),
    (duckdb.PermissionException, None, "42501"),
    (duckdb.OutOfMemoryException, None, "53200"),
    (duckdb.IOException, None, "58030"),
    (duckdb.SyntaxException, None, "42601"),
    (duckdb.TypeMismatchException, None, "42804"),
    (duckdb.DataError, None, "22000"),
    (duckdb.IntegrityError, None, "23000"),
]

_PREFIX_RE = re.compile(r"^[A-Za-z ]*Error:\s*")
_UNNEST_SOURCE_RE = re.compile(r" when casting from source column UNNEST\(.*$")
_LENGTH_RE = re.compile(r"CHECK\(\((strlen|length)\(.+?\) <= (\d+)\)\)")
_MISSING_TABLE_RE = re.compile(r'Table with name "?([^"\s!]+)"? does not exist')
_MISSING_SCHEMA_RE = re.compile(r'[Ss]chema (?:with name )?"?([^"\s!]+)"? does not exist')


def duckdb_sqlstate(exc: BaseException) -> str:
    """The SQLSTATE that best describes a DuckDB exception (XX000 when unknown)."""
    text = str(exc)
    for cls, pattern, state in _RULES:
        if isinstance(exc, cls) and (pattern is None or re.search(pattern, text)):
            return state
    return "XX000"


def _redshift_text(exc: BaseException) -> str:
    """DuckDB's message without its class prefix and context lines, in Redshift's words."""
    text = str(exc).strip()
    first = text.split("\n\n", 1)[0].split("\nLINE ", 1)[0]
    first = " ".join(line.strip() for line in first.splitlines() if line.strip())
    first = _PREFIX_RE.sub("", first)
    # A column-wise bulk INSERT's conversion error names its source, the whole
    # list of values: no part of the message the user needs (nor should see).
    first = _UNNEST_SOURCE_RE.sub("", first)
    if m := _LENGTH_RE.search(first):
        # The CHECK the translator adds for a declared CHAR/VARCHAR length.
        kind = "character varying" if m.group(1) == "strlen" else "character"
        return f"value too long for type {kind}({m.group(2)})"
    if m := _MISSING_SCHEMA_RE.search(first):
        return f'schema "{m.group(1)}" does not exist'
    if m := _MISSING_TABLE_RE.search(first):
        return f'relation "{m.group(1)}" does not exist'
    return first


def from_duckdb_error(exc: BaseException) -> EngineError:
    """An :class:`EngineError` (or :class:`StatementCancelled`) for a DuckDB exception."""
    if isinstance(exc, duckdb.InterruptException):
        return StatementCancelled(
            "ERROR: Query cancelled on user's request (SQLSTATE 57014)", "57014"
        )
    state = duckdb_sqlstate(exc)
    return EngineError(f"ERROR: {_redshift_text(exc)} (SQLSTATE {state})", state)
