"""Rebuild a DuckDB table with new declared types: what DuckDB's ALTER cannot do.

DuckDB enforces declared CHAR/VARCHAR lengths through CHECK constraints
(``translate.types.length_checks``), and it can neither change the type of a
column that has a CHECK nor add a CHECK to an existing table.  Redshift can
widen a VARCHAR (ALTER COLUMN ... TYPE), and a table made by CREATE TABLE AS
keeps the lengths of the columns it was made from.  :func:`rebuild_table`
does both by building the table again, in the caller's transaction:

1. a new table from DuckDB's own CREATE statement for the old one (so
   defaults, NOT NULL, IDENTITY sequences and other CHECKs stay), with the
   length CHECK of each changed column replaced by its new one;
2. every row copied over; the old table dropped; the new one renamed;
3. the table comment and every column comment written again, the changed
   columns with their new declared type (a user's COMMENT ON COLUMN text is
   kept after it).

What hangs on the table's *name* stays as it was: the recorded keys,
DISTKEY / SORTKEY / ENCODE records and views (DuckDB binds views by name
when they run).  The table gets a new oid.  DuckDB indexes (Redshift has
none) are not rebuilt.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from ...translate.tokens import quote_identifier, quote_literal
from ..base import EngineError
from .types import parse_declared, user_comment

__all__ = ["TableRef", "find_table", "rebuild_table"]

logger = logging.getLogger(__name__)

#: Runs one DuckDB statement with positional parameters and returns the cursor.
Call = Callable[[str, list[Any]], Any]

_CREATE_RE = re.compile(r"^CREATE (TEMP )?TABLE .+?\(", re.DOTALL)
_SCRATCH = "__redshift_rebuild"


class TableRef:
    """A DuckDB table found by :func:`find_table`: catalog, schema, name, DDL, comment."""

    def __init__(self, database: str, schema: str, name: str, sql: str, comment: str | None):
        self.database, self.schema, self.name = database, schema, name
        self.sql, self.comment = sql, comment
        self.temporary = database == "temp"

    def qualified(self, name: str | None = None) -> str:
        """The table's (or a sibling's) fully qualified, quoted name."""
        parts = (self.database, self.schema, name or self.name)
        return ".".join(quote_identifier(p) for p in parts)


def find_table(call: Call, schema: str | None, table: str) -> TableRef | None:
    """The table ``schema.table`` as a Redshift name resolves (a temp table first)."""
    rows = call(
        "SELECT database_name, schema_name, table_name, sql, comment FROM duckdb_tables()"
        " WHERE table_name = $1 AND ((database_name = current_database()"
        " AND schema_name = COALESCE($2, current_schema()))"
        " OR ($2 IS NULL AND database_name = 'temp'))"
        " ORDER BY database_name = 'temp' DESC LIMIT 1",
        [table, schema],
    ).fetchall()
    if not rows:
        return None
    database, schema_name, name, sql, comment = rows[0]
    return TableRef(str(database), str(schema_name), str(name), str(sql), comment)


def _length_check(column: str, declared: str) -> str | None:
    """The CHECK that enforces a declared CHAR/VARCHAR length (as ``length_checks`` writes it)."""
    parsed = parse_declared(declared)
    if parsed is None or parsed[0] not in ("varchar", "bpchar") or parsed[1] >= 65535:
        return None
    function = "strlen" if parsed[0] == "varchar" else "length"
    return f"CHECK(({function}({quote_identifier(column)}) <= {parsed[1]}))"


def _without_length_check(sql: str, column: str) -> str:
    names = {re.escape(column), re.escape(quote_identifier(column))}
    pattern = r",\s*CHECK\(\((?:strlen|length)\((?:" + "|".join(names) + r")\) <= \d+\)\)"
    return re.sub(pattern, "", sql)


def _new_definition(ref: TableRef, declared: Mapping[str, str]) -> str:
    """DuckDB's CREATE statement for ``ref``, renamed to the scratch table, new checks in."""
    m = _CREATE_RE.match(ref.sql)
    if m is None or not ref.sql.rstrip().endswith(");"):
        raise EngineError(
            f'ERROR: cannot rebuild table "{ref.name}": unexpected definition (SQLSTATE XX000)',
            "XX000",
        )
    head = "CREATE TEMP TABLE " if ref.temporary else "CREATE TABLE "
    target = quote_identifier(_SCRATCH) if ref.temporary else ref.qualified(_SCRATCH)
    body = ref.sql[m.end() :].rstrip()[: -len(");")]
    for column, comment in declared.items():
        body = _without_length_check(body, column)
        check = _length_check(column, comment)
        if check is not None:
            body += f", {check}"
    return f"{head}{target}({body})"


def _column_comments(call: Call, ref: TableRef) -> list[tuple[str, str | None]]:
    return [
        (str(name), comment)
        for name, comment in call(
            "SELECT column_name, comment FROM duckdb_columns() WHERE database_name = $1"
            " AND schema_name = $2 AND table_name = $3 ORDER BY column_index",
            [ref.database, ref.schema, ref.name],
        ).fetchall()
    ]


def rebuild_table(
    call: Call, ref: TableRef, declared: Mapping[str, str], not_null: Collection[str] = ()
) -> None:
    """Build ``ref`` again with the declared types ``declared`` (column -> ``redshift:...``).

    ``not_null`` columns become NOT NULL.  Runs in the caller's transaction.
    """
    comments = _column_comments(call, ref)
    call(_new_definition(ref, declared), [])
    scratch = ref.qualified(_SCRATCH)
    call(f"INSERT INTO {scratch} SELECT * FROM {ref.qualified()}", [])
    call(f"DROP TABLE {ref.qualified()}", [])
    call(f"ALTER TABLE {scratch} RENAME TO {quote_identifier(ref.name)}", [])
    table = ref.qualified()
    if ref.comment:
        call(f"COMMENT ON TABLE {table} IS {quote_literal(ref.comment)}", [])
    for column, comment in comments:
        text = comment
        if column in declared:
            # The declared type is the first line; a user's COMMENT ON COLUMN text follows.
            user = user_comment(comment)
            text = declared[column] if user is None else f"{declared[column]}\n{user}"
        if text is not None:
            target = f"{table}.{quote_identifier(column)}"
            call(f"COMMENT ON COLUMN {target} IS {quote_literal(text)}", [])
        if column in not_null:
            call(f"ALTER TABLE {table} ALTER COLUMN {quote_identifier(column)} SET NOT NULL", [])
    logger.debug("rebuilt %s with new declared types for %s", table, sorted(declared))
