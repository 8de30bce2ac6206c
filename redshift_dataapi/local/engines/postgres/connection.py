"""One PostgreSQL connection of the local endpoint's engine, and its error mapping.

:class:`PostgresConnection` runs one statement at a time: it translates the
Redshift SQL (``translate`` plus :mod:`.sql`), binds the Data API's
string parameters, builds ColumnMetadata (:mod:`.catalog`), turns
psycopg errors into :class:`EngineError` with ``(SQLSTATE xxxxx)`` and
implements cancel.  The engine (:mod:`.engine`) owns pooling,
databases and roles.
"""

from __future__ import annotations

import datetime
import logging
import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

import psycopg
from psycopg.pq import TransactionStatus

from ...translate.alter_type import static_refusal
from ...translate.core import translate
from ...translate.tokens import quote_identifier
from ..base import ColumnInfo, EngineConnection, EngineError, ExecResult, StatementCancelled
from ..system_views import design_statements
from . import keys
from .catalog import ResultDescriber
from .keys import may_declare_keys
from .quotients import type_quotients
from .sql import (
    DOMAIN_SETUP,
    prefix_database_names,
    revoke_endpoint_grants,
    role_statement,
    use_redshift_domains,
    without_redshift_user_options,
)
from .types import TZ_AWARE_TIMESTAMP_OIDS, to_utc

if TYPE_CHECKING:
    import pyarrow as pa

    from .engine import PostgresEngine

__all__ = ["PostgresConnection", "error_message", "from_psycopg_error"]

logger = logging.getLogger(__name__)

#: Command tags after which cached catalog facts about tables may be stale.
_CATALOG_CHANGING = ("ALTER", "DROP", "CREATE", "COMMENT")
#: SQLSTATEs for client-side errors psycopg raises without a server code.
_CLIENT_SQLSTATES: tuple[tuple[type[psycopg.Error], str], ...] = (
    (psycopg.DataError, "22008"),  # only the date/time loaders raise it: out of range
    (psycopg.ProgrammingError, "42P02"),
    (psycopg.OperationalError, "08006"),
    (psycopg.InterfaceError, "08003"),
)


def error_message(exc: psycopg.Error) -> tuple[str, str | None]:
    """(Data API ``Error`` text, SQLSTATE) for a psycopg error."""
    diag = exc.diag
    primary = diag.message_primary or (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    sqlstate = exc.sqlstate
    if sqlstate is None:
        sqlstate = next((code for cls, code in _CLIENT_SQLSTATES if isinstance(exc, cls)), None)
    text = f"ERROR: {primary}"
    if diag.message_detail:
        text += f" DETAIL: {diag.message_detail}"
    if sqlstate:
        text += f" (SQLSTATE {sqlstate})"
    return text, sqlstate


def from_psycopg_error(
    exc: psycopg.Error, cls: type[EngineError] = EngineError, database_prefix: str = ""
) -> EngineError:
    """``exc`` as the engine contract's error, naming databases as the Data API does."""
    message, sqlstate = error_message(exc)
    if database_prefix:
        message = message.replace(database_prefix, "")
    return cls(message, sqlstate)


def _arrow_csv(data: pa.Table) -> bytes | None:
    """``data`` as CSV for COPY (None when Arrow cannot write one of its types)."""
    import io

    import pyarrow as pa
    import pyarrow.csv

    buffer = io.BytesIO()
    try:
        pyarrow.csv.write_csv(
            data, buffer, pyarrow.csv.WriteOptions(include_header=False, quoting_style="needed")
        )
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    return buffer.getvalue()


def _copy_text(value: Any) -> str | None:
    """A value in PostgreSQL's text input form (the engine's adapters dump strings only)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (bytes, bytearray)):
        return "\\x" + bytes(value).hex()
    if isinstance(value, datetime.datetime):
        return value.isoformat(" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def _translate(sql: str, in_transaction: bool) -> tuple[str, bool, list[str], list[str]]:
    """(PostgreSQL text, noop, statements to run first, then after) for one Redshift statement.

    The statements after record a CREATE TABLE's physical design (see
    ``engines.system_views``); they run in the statement's transaction.
    ``in_transaction`` says a transaction block is open: Redshift refuses
    ALTER COLUMN ... TYPE there (``translate.alter_type``), PostgreSQL would not.

    Whether a statement has a result set is taken from PostgreSQL's own
    description, which is exact; translate's ``noop`` (VACUUM, Redshift-only
    SETs...) means no result set and nothing to run.
    """
    if not isinstance(sql, str) or not sql.strip():
        raise EngineError("ERROR: the SQL text is empty (SQLSTATE 42601)", "42601")
    try:
        translated = translate(sql, "postgres")
    except ValueError as exc:
        raise EngineError(f"ERROR: {exc} (SQLSTATE 42601)", "42601") from exc
    if translated.alter_type is not None:
        # Redshift's limits of ALTER COLUMN TYPE that PostgreSQL would not apply.
        refusal = static_refusal(translated.alter_type, in_transaction)
        if refusal is not None:
            raise EngineError(f"ERROR: {refusal[0]} (SQLSTATE {refusal[1]})", refusal[1])
    text = translated.sql
    pre_sql = list(translated.pre_sql)
    with_domains = use_redshift_domains(text, translated.columns)
    if with_domains is not None:
        text = with_domains
        pre_sql.insert(0, DOMAIN_SETUP)
    after = [s.replace("%", "%%") for s in design_statements(translated, "pg_catalog")]
    return text, translated.noop, pre_sql, after


_DROP_DATABASE = re.compile(r"\s*drop\s+database\b", re.IGNORECASE)


class PostgresConnection(EngineConnection):
    """One psycopg connection, used by one statement at a time (see the module docstring)."""

    def __init__(
        self, engine: PostgresEngine, conn: psycopg.Connection, key: tuple[str, str | None]
    ) -> None:
        self._engine = engine
        self._conn = conn
        self.key = key
        self.pid = conn.info.backend_pid
        self._describer = ResultDescriber()
        self._state = threading.Condition()
        self._running = False
        self._generation = 0
        self._cancel_requested = False
        self._closed = False

    # -- statements ---------------------------------------------------------

    def execute(self, sql: str, parameters: dict[str, str] | None = None) -> ExecResult:
        if self._closed:
            raise EngineError("ERROR: the connection is closed (SQLSTATE 08003)", "08003")
        if parameters is not None and not isinstance(parameters, dict):
            raise EngineError(
                "ERROR: parameters must be a dict of name -> string, not"
                f" {type(parameters).__name__} (SQLSTATE 22023)",
                "22023",
            )
        for name, value in (parameters or {}).items():
            if not isinstance(value, str):
                raise EngineError(
                    f"ERROR: parameter {name!r} must be a string, not {type(value).__name__}"
                    " (SQLSTATE 22023)",
                    "22023",
                )
        query, noop, pre_sql, after = _translate(sql, self.in_transaction)
        if noop:
            return ExecResult(columns=None)
        query = prefix_database_names(query, self._engine.database_prefix)
        query = without_redshift_user_options(query)
        role = role_statement(query)
        if role is not None and role[0] == "drop":
            pre_sql.append(revoke_endpoint_grants(role[1]))
        with self._statement():
            for pre in pre_sql:
                self._run(pre, {})
            keyed = may_declare_keys(query)
            if keyed or after:
                with self._one_transaction():
                    if keyed:
                        self._run(keys.restore(), {})
                    result = self._run(query, dict(parameters or {}))
                    if keyed:
                        self._run(keys.relax(), {})
                    for statement in after:
                        self._run(statement, {})
            else:
                result = self._run(query, dict(parameters or {}))
            with self._engine_errors():
                result = type_quotients(self._conn, sql, result)
        if _DROP_DATABASE.match(query):
            self._engine.forget_databases()
        if role is not None:
            verb, name = role
            if verb == "create":
                self._engine.adopt_role(name)
            else:
                self._engine.forget_role(name)
        return result

    @contextmanager
    def _statement(self) -> Iterator[None]:
        """Mark a statement running, so that cancel() can interrupt it."""
        with self._state:
            self._running = True
            self._generation += 1
            self._cancel_requested = False
        try:
            yield
        finally:
            with self._state:
                self._running = False
                self._state.notify_all()

    @contextmanager
    def _one_transaction(self) -> Iterator[None]:
        """A transaction around the block, unless the user's own is open already."""
        if self.in_transaction:
            yield
            return
        with self._engine_errors(), self._conn.transaction():
            yield

    @contextmanager
    def _engine_errors(self) -> Iterator[None]:
        """psycopg errors as EngineError; a cancelled statement as StatementCancelled."""
        try:
            yield
        except psycopg.errors.QueryCanceled as exc:
            if self._cancel_requested:
                self._rollback_quietly()
                raise self._error(exc, StatementCancelled) from exc
            raise self._error(exc) from exc
        except psycopg.Error as exc:
            raise self._error(exc) from exc

    def insert_arrow(self, table: str, columns: Sequence[str], data: pa.Table) -> int:
        """Append ``data`` to ``table`` with one COPY ... FROM STDIN."""
        if self._closed:
            raise EngineError("ERROR: the connection is closed (SQLSTATE 08003)", "08003")
        targets = ", ".join(quote_identifier(c) for c in columns)
        text = _arrow_csv(data)
        statement = f"COPY {table} ({targets}) FROM STDIN"
        if text is not None:
            # Arrow's CSV quotes every string and leaves NULL unquoted and empty,
            # which is what PostgreSQL's CSV format reads as NULL.
            statement += " WITH (FORMAT csv)"
        with self._statement(), self._engine_errors():
            cursor = self._conn.cursor()
            with cursor.copy(cast("Any", statement)) as copy:
                if text is not None:
                    copy.write(text)
                else:
                    columns_data = (column.to_pylist() for column in data.columns)
                    for row in zip(*columns_data, strict=True):
                        copy.write_row([_copy_text(value) for value in row])
        return int(data.num_rows)

    def execute_native(self, sql: str) -> None:
        """Run one PostgreSQL statement as written."""
        self._command(sql)

    def _run(self, query: str, params: dict[str, str]) -> ExecResult:
        # translate() doubles every literal '%': always execute with a mapping.
        with self._engine_errors():
            cursor = self._conn.cursor()
            cursor.execute(cast("Any", query), params, prepare=False)
            tag = (cursor.statusmessage or "").split(" ", 1)[0]
            if cursor.description is None:
                if tag in _CATALOG_CHANGING:
                    self._describer.forget()
                return ExecResult(columns=None, affected_rows=max(cursor.rowcount, 0))
            rows = cursor.fetchall()
            columns = self._describer.describe(self._conn, cursor)
        rows = self._normalize(columns, cursor, rows)
        return ExecResult(columns=columns, rows=rows, affected_rows=len(rows))

    @staticmethod
    def _normalize(
        columns: list[ColumnInfo], cursor: psycopg.Cursor[Any], rows: list[Any]
    ) -> list[tuple[Any, ...]]:
        description = cursor.description or []
        aware = [
            i for i, column in enumerate(description) if column.type_code in TZ_AWARE_TIMESTAMP_OIDS
        ]
        if not aware:
            return [tuple(row) for row in rows]
        normalized = []
        for row in rows:
            values = list(row)
            for i in aware:
                values[i] = to_utc(values[i])
            normalized.append(tuple(values))
        return normalized

    def _error(self, exc: psycopg.Error, cls: type[EngineError] = EngineError) -> EngineError:
        return from_psycopg_error(exc, cls, self._engine.database_prefix)

    # -- transactions -------------------------------------------------------

    def _command(self, command: str) -> None:
        try:
            self._conn.execute(cast("Any", command), prepare=False)
        except psycopg.Error as exc:
            raise self._error(exc) from exc

    def begin(self) -> None:
        self._command("BEGIN")

    def commit(self) -> None:
        self._command("COMMIT")

    def rollback(self) -> None:
        if self._conn.closed:
            return
        if self._conn.info.transaction_status != TransactionStatus.IDLE:
            self._command("ROLLBACK")

    @property
    def in_transaction(self) -> bool:
        if self._conn.closed:
            return False
        return self._conn.info.transaction_status in (
            TransactionStatus.INTRANS,
            TransactionStatus.INERROR,
        )

    def _rollback_quietly(self) -> None:
        try:
            self.rollback()
        except EngineError as exc:
            logger.debug("rollback after cancel failed: %s", exc.message)

    # -- cancel and close ---------------------------------------------------

    def cancel(self) -> None:
        """Interrupt the running statement; a no-op when none is running.

        The cancel request is repeated (for up to ten seconds) until the
        statement has stopped, because a request that reaches the server
        before the statement does is ignored by PostgreSQL.
        """
        with self._state:
            if not self._running:
                return
            generation = self._generation
            self._cancel_requested = True
        deadline = time.monotonic() + 10.0
        while True:
            try:
                self._conn.cancel_safe(timeout=5.0)
            except Exception as exc:  # the connection may be closing
                logger.warning("cancel request for backend %s failed: %s", self.pid, exc)
                return
            with self._state:
                stopped = self._state.wait_for(
                    lambda: not self._running or self._generation != generation, timeout=0.5
                )
            if stopped or time.monotonic() > deadline:
                return

    @property
    def usable(self) -> bool:
        """True while the underlying connection is open and not broken."""
        return not self._closed and not self._conn.closed and not self._conn.broken

    def reset_for_pool(self) -> bool:
        """Make the connection as good as new for the next statement; False if it cannot be."""
        if not self.usable:
            return False
        try:
            if self._conn.info.transaction_status != TransactionStatus.IDLE:
                self._conn.execute("ROLLBACK")
            self._conn.execute("DISCARD ALL")
        except psycopg.Error as exc:
            logger.debug("dropping pooled connection %s: %s", self.pid, exc)
            return False
        return True

    def close(self) -> None:
        if self._closed:
            return
        try:
            if self.usable:
                self._rollback_quietly()
        finally:
            self._closed = True
            self._conn.close()
            self._engine._forget(self)
