"""``ALTER TABLE t ALTER COLUMN c TYPE VARCHAR(n)`` and ``ADD COLUMN c VARCHAR(n)`` on DuckDB.

DuckDB refuses to change the type of a column with a CHECK constraint, and
the engine enforces VARCHAR lengths with CHECKs.  So the change is checked
against Redshift's rules (``translate.alter_type`` for those that need no
data; here the column's current type, keys, encodings and default) and then
made by rebuilding the table (:mod:`.rebuild`) in one engine transaction.
Values longer than a smaller new size fail the copy with Redshift's
``value too long for type character varying(n)`` (22001), and nothing
changes.

:func:`enforce_added_lengths` rebuilds a table after ``ADD COLUMN c
VARCHAR(n)`` (or CHAR(n)) so that the new column's length is enforced like
those of CREATE TABLE: DuckDB cannot add the CHECK to the existing table.
"""

from __future__ import annotations

from ...translate.alter_type import static_refusal
from ...translate.work import AlterColumnType, Translated
from ..base import EngineError
from .rebuild import Call, TableRef, find_table, rebuild_table
from .types import declared_comment, parse_declared

__all__ = ["alter_column_type", "enforce_added_lengths"]

#: Encodings Redshift cannot resize a column in (r_ALTER_TABLE).
_FIXED_ENCODINGS = {"BYTEDICT", "RUNLENGTH", "TEXT255", "TEXT32K"}
_ENGINE_TYPES = {"VARCHAR": "varchar", "BLOB": "varbyte"}
_SPELLING = {"varchar": "character varying", "bpchar": "character", "varbyte": "varbyte"}


def _error(message: str, state: str) -> EngineError:
    return EngineError(f"ERROR: {message} (SQLSTATE {state})", state)


def alter_column_type(call: Call, alter: AlterColumnType, in_transaction: bool) -> None:
    """Check ``alter`` as Redshift does and rebuild the table with the new size."""
    refusal = static_refusal(alter, in_transaction)
    if refusal is not None:
        raise _error(*refusal)
    schema, table = alter.table
    ref = find_table(call, schema, table)
    if ref is None:
        raise _error(f'relation "{table}" does not exist', "42P01")
    _check_column(call, ref, alter)
    rebuild_table(call, ref, {alter.column: declared_comment(alter.declared)})


def _check_column(call: Call, ref: TableRef, alter: AlterColumnType) -> None:
    rows = call(
        "SELECT comment, column_default, data_type FROM duckdb_columns()"
        " WHERE database_name = $1 AND schema_name = $2 AND table_name = $3"
        " AND column_name = $4",
        [ref.database, ref.schema, ref.name, alter.column],
    ).fetchall()
    where = f'column "{alter.column}" of relation "{ref.name}"'
    if not rows:
        raise _error(f"{where} does not exist", "42703")
    comment, default, data_type = rows[0]
    current = parse_declared(comment)
    kind = current[0] if current else _ENGINE_TYPES.get(str(data_type).upper(), "")
    if kind != alter.declared.type_name:
        spelled = _SPELLING.get(kind, kind or str(data_type).lower())
        if current is not None and current[1]:
            spelled += f"({current[1]})"
        raise _error(
            f"cannot alter {where} of type {spelled}: ALTER COLUMN TYPE changes the size"
            f" of a {_SPELLING[alter.declared.type_name]} column to the same type only",
            "0A000",
        )
    smaller = current is None or alter.declared.length < current[1]
    if smaller and default is not None:
        raise _error("cannot decrease a VARCHAR column size with default value", "0A000")
    key = _key_of(call, ref, alter.column)
    if key is not None:
        raise _error(f"cannot alter {where}: it is part of a {key} constraint", "0A000")
    encoding = _encoding_of(call, ref, alter.column)
    if encoding in _FIXED_ENCODINGS:
        raise _error(f"cannot alter {where}: it has the {encoding} encoding", "0A000")


def _key_of(call: Call, ref: TableRef, column: str) -> str | None:
    """The kind of a recorded (or DuckDB) key that ``column`` is part of, if any."""
    rows = call(
        "SELECT constraint_type FROM main.redshift_keys WHERE table_schema = $1"
        " AND table_name = $2 AND (column_name = $3)"
        " UNION ALL SELECT 'FOREIGN KEY' FROM main.redshift_keys"
        " WHERE constraint_type = 'FOREIGN KEY' AND ref_schema = $1 AND ref_table = $2"
        " AND ref_column = $3"
        " UNION ALL SELECT constraint_type FROM duckdb_constraints()"
        " WHERE database_name = $4 AND schema_name = $1 AND table_name = $2"
        " AND constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')"
        " AND list_contains(constraint_column_names, $3) LIMIT 1",
        [ref.schema, ref.name, column, ref.database],
    ).fetchall()
    return str(rows[0][0]) if rows else None


def _encoding_of(call: Call, ref: TableRef, column: str) -> str:
    rows = call(
        "SELECT encoding FROM main.redshift_column_design WHERE table_schema = $1"
        " AND table_name = $2 AND column_name = $3",
        [ref.schema, ref.name, column],
    ).fetchall()
    return str(rows[0][0]).upper() if rows else ""


def enforce_added_lengths(call: Call, tr: Translated) -> None:
    """After ALTER TABLE ADD COLUMN: the added CHAR/VARCHAR lengths enforced (see above)."""
    if tr.command != "ALTER TABLE" or tr.table is None or not tr.columns:
        return
    declared = {
        c.name: declared_comment(c)
        for c in tr.columns
        if c.type_name in ("varchar", "bpchar") and c.length < 65535
    }
    ref = find_table(call, *tr.table) if declared else None
    if ref is not None:
        rebuild_table(call, ref, declared)
