"""One DuckDB connection of the local endpoint's engine: statements, transactions, cancel.

:class:`DuckDBConnection` runs one translated Redshift statement at a time on
its own DuckDB connection (``instance.cursor()``): binding, the statements
only the engine can answer (``SHOW DATABASES``, ``CREATE/DROP DATABASE``),
Redshift's lenient BEGIN/COMMIT, and a cancel that keeps interrupting until
the statement is over.  The engine (:mod:`.engine`) owns the databases.
"""

from __future__ import annotations

import dataclasses
import decimal
import logging
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import duckdb

from ...translate.core import Translated, translate
from ...translate.tokens import quote_identifier
from ...translate.work import AlterColumnType
from ..base import EngineConnection, EngineError, ExecResult
from ..system_views import design_statements
from .alter_type import alter_column_type, enforce_added_lengths
from .derived import apply_derived
from .errors import from_duckdb_error
from .keys import key_statements
from .results import affected_rows, declared_comments, fetch_result
from .settings import connection_setup
from .types import column_info, with_user_comment

if TYPE_CHECKING:
    import pyarrow as pa

    from .engine import DuckDBEngine

__all__ = ["DatabaseInstance", "DuckDBConnection"]

logger = logging.getLogger(__name__)

_SHOW_DATABASES_RE = re.compile(r"\s*SHOW\s+DATABASES\s*$", re.IGNORECASE)
_COMMENT_IS_NULL_RE = re.compile(r"\bIS\s+NULL\s*;?\s*$", re.IGNORECASE)
_NULL_COMMENT = "__redshift_dataapi_null_comment__"
_SHOW_SEARCH_PATH_RE = re.compile(r"\s*SHOW\s+SEARCH_PATH\s*$", re.IGNORECASE)
_CANCEL_INTERVAL = 0.02  # seconds between repeated interrupts of one statement
_CANCEL_RETRIES = 500  # ... for at most 10 s
_CLOSE_WAIT = 10.0  # seconds close() waits for a cancelled statement to stop
_INT_RE = re.compile(r"^[+-]?[0-9]+$")
_NUM_RE = re.compile(r"^[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)([eE][+-]?[0-9]+)?$")


def _numbers_as_numbers(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if isinstance(value, str) and _INT_RE.match(value):
            out.append(int(value))
        elif isinstance(value, str) and _NUM_RE.match(value):
            out.append(decimal.Decimal(value))
        else:
            out.append(value)
    return out


@dataclass
class DatabaseInstance:
    """One Data API database: a DuckDB instance and the connections open on it."""

    name: str
    path: str | None
    instance: duckdb.DuckDBPyConnection
    connections: set[DuckDBConnection] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


class DuckDBConnection(EngineConnection):
    """One DuckDB connection serving Data API statements one at a time."""

    def __init__(
        self, engine: DuckDBEngine, database: DatabaseInstance, pid: int, user: str | None = None
    ) -> None:
        self._engine = engine
        self._database = database
        self.pid = pid
        with database.lock:
            self._cursor = database.instance.cursor()
        #: The Data API user (``current_user``); DuckDB enforces no permissions.
        self.user = user or engine.admin_user
        for statement in connection_setup(quote_identifier(database.name), self.user):
            self._cursor.execute(statement)
        self._in_transaction = False
        #: The path the last SET/RESET search_path left, as Redshift's SHOW writes it.
        self._search_path: str | None = None
        # Cancel bookkeeping: DuckDB's interrupt() only reaches a query that is
        # already running, so cancel() keeps interrupting until the statement
        # (identified by its generation) ends, and _call() refuses to start new
        # work once a cancel was requested.
        self._busy = False
        self._generation = 0
        self._cancel_requested = False
        self._state_lock = threading.Lock()
        self._closed = False

    @property
    def busy(self) -> bool:
        """True while a statement runs on this connection."""
        return self._busy

    @property
    def database(self) -> str:
        """The Data API database this connection is on."""
        return self._database.name

    # -- statements -------------------------------------------------------

    def execute(self, sql: str, parameters: dict[str, str] | None = None) -> ExecResult:
        """Run one Redshift statement (see :meth:`EngineConnection.execute`)."""
        if self._closed:
            raise EngineError("ERROR: the connection is closed (SQLSTATE 08003)", "08003")
        try:
            tr = translate(sql, "duckdb")
        except ValueError as exc:
            raise EngineError(f"ERROR: {exc} (SQLSTATE 42601)", "42601") from None
        values = self._bind(tr, parameters or {})
        if tr.noop:
            return ExecResult(columns=None)
        with self._state_lock:
            self._busy = True
            self._generation += 1
            self._cancel_requested = False
        try:
            return self._dispatch(tr, values)
        finally:
            with self._state_lock:
                self._busy = False
                self._cancel_requested = False

    def insert_arrow(self, table: str, columns: Sequence[str], data: pa.Table) -> int:
        """Append ``data`` to ``table`` with one INSERT ... SELECT from the Arrow table."""
        if self._closed:
            raise EngineError("ERROR: the connection is closed (SQLSTATE 08003)", "08003")
        view = f"__rsdp_arrow_{self.pid}"
        targets = ", ".join(quote_identifier(c) for c in columns)
        sources = ", ".join(quote_identifier(c) for c in data.column_names)
        with self._state_lock:
            self._busy = True
            self._generation += 1
            self._cancel_requested = False
        try:
            self._cursor.register(view, data)
            try:
                cursor = self._call(
                    f"INSERT INTO {table} ({targets}) SELECT {sources} FROM {view}", []
                )
                row = cursor.fetchone()
            finally:
                self._cursor.unregister(view)
        except duckdb.Error as exc:
            raise from_duckdb_error(exc) from None
        finally:
            with self._state_lock:
                self._busy = False
                self._cancel_requested = False
        return int(row[0]) if row else data.num_rows

    def execute_native(self, sql: str) -> None:
        """Run one DuckDB statement as written."""
        try:
            self._call(sql, [])
        except duckdb.Error as exc:
            raise from_duckdb_error(exc) from None

    def _dispatch(self, tr: Translated, values: list[Any]) -> ExecResult:
        if tr.command == "SHOW" and _SHOW_DATABASES_RE.match(tr.sql):
            # Each database is its own DuckDB instance: only the engine knows them all.
            names = self._engine.list_databases()
            info, _ = column_info("database_name", "VARCHAR")
            return ExecResult(columns=[info], rows=[(n,) for n in names], affected_rows=len(names))
        if tr.command == "SHOW" and _SHOW_SEARCH_PATH_RE.match(tr.sql):
            return self._show_search_path()
        if tr.command == "COMMENT":
            tr = self._keep_declared_type(tr)
        if tr.kind == "transaction":
            return self._transaction(tr.command)
        if tr.command in ("CREATE DATABASE", "DROP DATABASE"):
            assert tr.database is not None
            if self._in_transaction:
                raise EngineError(
                    f"ERROR: {tr.command} cannot run inside a transaction block (SQLSTATE 25001)",
                    "25001",
                )
            if tr.command == "CREATE DATABASE":
                self._engine.create_database(tr.database)
            else:
                self._engine.drop_database(tr.database, current=self._database.name)
            return ExecResult(columns=None)
        if tr.alter_type is not None:
            return self._alter_column_type(tr.alter_type)
        result = self._run(tr, values)
        if tr.search_path is not None:
            self._search_path = tr.search_path
        return result

    def _alter_column_type(self, alter: AlterColumnType) -> ExecResult:
        """ALTER COLUMN ... TYPE: the table rebuilt in one engine transaction (see .alter_type)."""
        if self._in_transaction:
            alter_column_type(self._call, alter, in_transaction=True)  # refused
        try:
            self._call("BEGIN", [])
            alter_column_type(self._call, alter, in_transaction=False)
            self._call("COMMIT", [])
        except duckdb.Error as exc:
            self._rollback_quietly()
            raise from_duckdb_error(exc) from None
        except EngineError:
            self._rollback_quietly()
            raise
        return ExecResult(columns=None)

    def _keep_declared_type(self, tr: Translated) -> Translated:
        """COMMENT ON COLUMN keeps the declared Redshift type the column comment records.

        The column's comment holds its Redshift type (``types.declared_comment``);
        the user's text goes on the lines after it (``types.with_user_comment``).
        """
        import sqlglot
        from sqlglot import exp
        from sqlglot.errors import SqlglotError

        # sqlglot cannot read ``IS NULL`` there: a marker literal stands for it.
        sql = _COMMENT_IS_NULL_RE.sub(f"IS '{_NULL_COMMENT}'", tr.sql)
        try:
            tree = sqlglot.parse_one(sql, read="duckdb")
        except SqlglotError:
            return tr
        if not (
            isinstance(tree, exp.Comment)
            and str(tree.args.get("kind", "")).upper() == "COLUMN"
            and isinstance(tree.this, exp.Column)
            and isinstance(tree.expression, (exp.Literal, exp.Null))
        ):
            return tr
        column = tree.this
        try:
            found = self._call(
                "SELECT comment FROM duckdb_columns() WHERE database_name = current_database()"
                " AND schema_name = COALESCE(?, current_schema()) AND table_name = ?"
                " AND column_name = ?",
                [column.db or None, column.table, column.name],
            ).fetchone()
        except duckdb.Error:
            return tr
        text = tree.expression.this if isinstance(tree.expression, exp.Literal) else None
        if text == _NULL_COMMENT:
            text = None
        comment = with_user_comment(found[0] if found else None, text)
        tree.set("expression", exp.Literal.string(comment) if comment is not None else exp.Null())
        return dataclasses.replace(tr, sql=tree.sql(dialect="duckdb"))

    def _show_search_path(self) -> ExecResult:
        """SHOW search_path as Redshift writes it: schema names, ``$user, public`` by default.

        DuckDB answers with catalog-qualified entries (``dev.public``) and
        cannot hold ``$user``: after a SET search_path the path as the
        statement gave it is the answer.
        """
        if self._search_path is not None:
            info, _ = column_info("search_path", "VARCHAR")
            return ExecResult(columns=[info], rows=[(self._search_path,)], affected_rows=1)
        try:
            row = self._call("SELECT current_setting('search_path')", []).fetchone()
        except duckdb.Error as exc:
            raise from_duckdb_error(exc) from None
        entries = [e.strip() for e in str(row[0] if row else "").split(",") if e.strip()]
        prefixes = (quote_identifier(self._database.name) + ".", self._database.name + ".")
        # The engine's own setting (USE <db>.public) is Redshift's default search path.
        default = not entries or (
            len(entries) == 1 and entries[0] in {p + "public" for p in prefixes}
        )
        names = [e.split(".", 1)[-1] if e.startswith(prefixes) else e for e in entries]
        text = "$user, public" if default else ", ".join(names)
        info, _ = column_info("search_path", "VARCHAR")
        return ExecResult(columns=[info], rows=[(text,)], affected_rows=1)

    def _bind(self, tr: Translated, parameters: dict[str, str]) -> list[Any]:
        missing = [name for name in tr.param_names if name not in parameters]
        if missing:
            raise EngineError(
                f"ERROR: no value given for parameter {', '.join(':' + m for m in missing)}"
                " (SQLSTATE 07002)",
                "07002",
            )
        if tr.bulk is not None:
            # Column-wise multi-row INSERT: one list of values per column.
            return [
                [None if name is None else parameters[name] for name in column]
                for column in tr.bulk.columns
            ]
        values: list[Any] = [parameters[name] for name in tr.param_names]
        if tr.numeric_params:
            # Operands of arithmetic: DuckDB cannot pick an operator for a string
            # there (Redshift reads the text as a number), so bind numbers.
            numeric = set(tr.numeric_params)
            values = [
                _numbers_as_numbers([v])[0] if name in numeric else v
                for name, v in zip(tr.param_names, values, strict=True)
            ]
        return values

    def _transaction(self, command: str) -> ExecResult:
        # Redshift (like PostgreSQL) only warns on BEGIN inside a transaction and on
        # COMMIT/ROLLBACK outside one; DuckDB raises, so those become no-ops.
        try:
            if command == "BEGIN":
                if not self._in_transaction:
                    self._call("BEGIN", [])
                    self._in_transaction = True
            elif self._in_transaction:
                self._in_transaction = False
                self._call(command, [])
        except duckdb.Error as exc:
            if command == "COMMIT":
                self._rollback_quietly()
            raise from_duckdb_error(exc) from None
        return ExecResult(columns=None)

    def _call(self, sql: str, values: list[Any]) -> duckdb.DuckDBPyConnection:
        if self._cancel_requested:
            raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")
        return self._cursor.execute(sql, values)

    def _run(self, tr: Translated, values: list[Any]) -> ExecResult:
        # The SQL only: parameter values may be sensitive and are never logged.
        logger.debug("pid %s runs %s (%d parameters)", self.pid, tr.sql, len(values))
        extra = list(tr.pre_sql)
        after = declared_comments(tr) + key_statements(tr) + design_statements(tr, "main")
        # The statement and its helpers (sequence, recorded column types) are one unit.
        wrap = bool(extra or after or tr.derived) and not self._in_transaction
        try:
            if wrap:
                self._call("BEGIN", [])
            for statement in extra:
                self._call(statement, [])
            try:
                cur = self._call(tr.sql if tr.bulk is None else tr.bulk.sql, values)
            except duckdb.BinderException as exc:
                # Inside a transaction the failure has already aborted it: no retry.
                if (
                    not values
                    or tr.bulk is not None
                    or self._in_transaction
                    or wrap
                    or "Could not choose a best candidate" not in str(exc)
                ):
                    raise
                cur = self._call(tr.sql, _numbers_as_numbers(values))
            if tr.kind == "query":
                result = fetch_result(cur, tr)
            else:
                result = ExecResult(columns=None, affected_rows=affected_rows(cur, tr))
            for statement in after:
                self._call(statement, [])
            apply_derived(self._call, tr)
            enforce_added_lengths(self._call, tr)
            if wrap:
                self._call("COMMIT", [])
            return result
        except duckdb.Error as exc:
            if wrap:
                self._rollback_quietly()
            raise from_duckdb_error(exc) from None
        except EngineError:
            if wrap:
                self._rollback_quietly()
            raise

    def _rollback_quietly(self) -> None:
        try:
            self._cursor.execute("ROLLBACK")
        except duckdb.Error:
            pass

    # -- transactions -------------------------------------------------------

    def begin(self) -> None:
        """Open a transaction."""
        if self._in_transaction:
            raise EngineError("ERROR: a transaction is already open (SQLSTATE 25001)", "25001")
        try:
            self._call("BEGIN", [])
        except duckdb.Error as exc:
            raise from_duckdb_error(exc) from None
        self._in_transaction = True

    def commit(self) -> None:
        """Commit the open transaction (a failed one is rolled back and reported)."""
        if not self._in_transaction:
            return
        self._in_transaction = False
        try:
            self._call("COMMIT", [])
        except duckdb.Error as exc:
            self._rollback_quietly()
            raise from_duckdb_error(exc) from None

    def rollback(self) -> None:
        """Roll back the open transaction; a no-op when none is open."""
        if not self._in_transaction:
            return
        self._in_transaction = False
        try:
            self._call("ROLLBACK", [])
        except duckdb.Error as exc:
            raise from_duckdb_error(exc) from None

    @property
    def in_transaction(self) -> bool:
        """True while an explicit transaction (begin() or BEGIN) is open."""
        return self._in_transaction

    def cancel(self) -> None:
        """Interrupt the running statement; it raises StatementCancelled.

        A no-op when nothing runs: the next statement is never affected.
        """
        with self._state_lock:
            if not self._busy or self._closed:
                return
            self._cancel_requested = True
            generation = self._generation
            self._cursor.interrupt()
        threading.Thread(
            target=self._keep_interrupting, args=(generation,), daemon=True, name="duckdb-cancel"
        ).start()

    def _keep_interrupting(self, generation: int) -> None:
        # The interrupt may land between two DuckDB calls of one statement, or just
        # before the query starts; repeat it until the statement is over.
        for _ in range(_CANCEL_RETRIES):
            with self._state_lock:
                if not self._busy or self._generation != generation or self._closed:
                    return
                self._cursor.interrupt()
            time.sleep(_CANCEL_INTERVAL)

    def close(self) -> None:
        """Roll back anything open and close the DuckDB connection.

        A statement still running (another thread) is cancelled first: closing
        a DuckDB connection under a running query is not safe.
        """
        if self._closed:
            return
        if self._busy:
            self.cancel()
            deadline = time.monotonic() + _CLOSE_WAIT
            while self._busy and time.monotonic() < deadline:
                time.sleep(_CANCEL_INTERVAL)
        self._closed = True
        try:
            if self._in_transaction:
                self._rollback_quietly()
            self._cursor.close()
        except duckdb.Error:  # pragma: no cover - closing never matters to the caller
            logger.debug("error closing a DuckDB connection", exc_info=True)
        self._engine._forget(self)
