"""Connection: target and credentials, the PEP 249 surface and catalog calls.

The session and transaction state behind ``autocommit=False`` is kept in
``_core/transaction.py``; what each mode costs and promises is told here.

What each mode costs in Data API calls (with long polling, i.e. any botocore
whose model has WaitTimeSeconds; every call below that waits is one call when
the statement finishes within the wait):

``connect()`` and ``cursor()``
    no call at all; a connection that never executes makes no call, ever.

``autocommit=True``
    no session; each ``execute()`` is one ExecuteStatement (long-polled), plus
    GetStatementResult pages for a result set.  ``commit()``/``rollback()``
    make no call.

``autocommit=False`` (the PEP 249 default): the connection's statements run in
one Data API session (SessionKeepAliveSeconds = ``session_keep_alive_seconds``,
600 by default, refreshed by every statement), inside a transaction:

* plain reads (one SELECT/WITH/SHOW/EXPLAIN that cannot write, see
  ``sql/reads.py``) while no transaction is open run in the session without
  BEGIN, each with its own snapshot (``defer_begin``, on by default);
* the first other statement of each transaction is preceded by one
  ``ExecuteStatement("BEGIN")`` (the first one of the connection opens the
  session and carries the target and credentials; later ones use SessionId);
* every statement is then one ExecuteStatement with SessionId, like autocommit;
* ``commit()`` is one ``ExecuteStatement("COMMIT")``, ``rollback()`` one
  ``ExecuteStatement("ROLLBACK")``; with no transaction open (nothing executed
  since the last commit/rollback) they make no call;
* ``close()`` with a transaction open sends ``ROLLBACK`` with
  SessionKeepAliveSeconds=0, which also ends the session; with none open it
  makes no call and the idle session expires by itself.  A connection dropped
  without close() leaves its transaction to the session's expiry, when the
  database rolls it back.

So a transaction of N statements costs N + 2 calls (BEGIN, COMMIT).  Temp
tables and SET survive between statements and transactions of a connection
because they share the session.  If the session is lost or expires inside a
transaction, the statement raises OperationalError, and so does every later
one until ``rollback()`` (no call; the database already discarded the work)
or ``commit()`` (raises: nothing was committed): the driver never silently
opens a new session that would commit half a transaction.  A session that
expired *between* transactions is replaced at the next BEGIN (logged as a
warning: temp tables and SET of the old one are gone).

A failed statement inside a transaction (a database error, a timeout, an
answer lost for good) makes the next ``commit()`` roll back and raise
OperationalError naming it: unlike psycopg's silent rollback, the caller
learns that nothing was committed.  A COMMIT or ROLLBACK whose answer is lost
is recovered by its ClientToken (the runner's retries) and DescribeStatement;
if its outcome stays unknown the session is ended and never reused, and
``commit()`` raises saying so.  The transaction state is reset on every
exception path.

Setting ``autocommit`` while a transaction is open raises ProgrammingError
(commit or roll back first), as psycopg does.

Thread safety: ``threadsafety = 1``: threads may share the module but not a
connection or its cursors (a session runs one statement at a time anyway).
"""

from __future__ import annotations

import contextlib
import logging
import weakref
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from . import errors as _errors
from . import metadata
from ._core.runner import StatementRunner, Submission
from ._core.settings import Settings
from ._core.transaction import SessionTransaction
from .cursor import Cursor
from .errors import (
    ConfigurationError,
    DatabaseError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
)
from .results.resultset import ResultSet

if TYPE_CHECKING:
    from mypy_boto3_redshift_data import RedshiftDataAPIServiceClient

logger = logging.getLogger(__name__)

__all__ = ["Connection"]


class Connection:
    """A PEP 249 connection over the Redshift Data API (see the module docstring)."""

    Warning = _errors.Warning
    Error = _errors.Error
    InterfaceError = _errors.InterfaceError
    DatabaseError = _errors.DatabaseError
    DataError = _errors.DataError
    OperationalError = _errors.OperationalError
    IntegrityError = _errors.IntegrityError
    InternalError = _errors.InternalError
    ProgrammingError = _errors.ProgrammingError
    NotSupportedError = _errors.NotSupportedError

    def __init__(
        self,
        settings: Settings,
        client: RedshiftDataAPIServiceClient,
        *,
        converters: Mapping[str, Callable[[str], Any]] | None = None,
    ) -> None:
        self.settings = settings
        self._client = client
        self.runner = StatementRunner(
            client, max_retries=settings.max_retries, wait_time_seconds=settings.wait_time_seconds
        )
        self.converters: dict[str, Callable[[str], Any]] = {
            name.lower(): func for name, func in (converters or {}).items()
        }
        for name, func in self.converters.items():
            if not callable(func):
                raise ConfigurationError(f"converters[{name!r}] is not callable")
        self._autocommit = settings.autocommit
        #: The session and transaction of ``autocommit=False`` (_core/transaction.py).
        self._tx = SessionTransaction(self.runner, settings)
        self._closed = False
        #: Results of this connection's cursors, whose read-ahead close() stops.
        self._results: weakref.WeakSet[ResultSet] = weakref.WeakSet()

    # -- properties ----------------------------------------------------------

    @property
    def client(self) -> RedshiftDataAPIServiceClient:
        """The boto3 ``redshift-data`` client."""
        return self._client

    @property
    def database(self) -> str | None:
        """The database statements run in."""
        return self.settings.database

    @property
    def session_id(self) -> str | None:
        """The Data API SessionId of this connection (None until a transaction opens one)."""
        return self._tx.session_id

    @property
    def in_transaction(self) -> bool:
        """True between the first statement of a transaction and commit()/rollback()."""
        return self._tx.in_transaction

    @property
    def defer_begin(self) -> bool:
        """Whether plain reads before a transaction's first write run without BEGIN (True).

        See the module docstring; False sends BEGIN before any statement.
        """
        return self._tx.defer_begin

    @defer_begin.setter
    def defer_begin(self, value: bool) -> None:
        self._tx.defer_begin = bool(value)

    @property
    def timeout(self) -> float | None:
        """Seconds a statement may run before it is cancelled (None = no limit)."""
        return self.settings.timeout

    @property
    def closed(self) -> bool:
        """True after close()."""
        return self._closed

    @property
    def autocommit(self) -> bool:
        """Whether each statement commits on its own (no session, no transaction)."""
        return self._autocommit

    @autocommit.setter
    def autocommit(self, value: bool) -> None:
        self._check_open()
        value = bool(value)
        if value == self._autocommit:
            return
        if self._tx.in_transaction:
            raise ProgrammingError(
                "cannot change autocommit while a transaction is open: commit() or rollback() first"
            )
        self._autocommit = value

    # -- PEP 249 -----------------------------------------------------------

    def cursor(self) -> Cursor:
        """A new cursor (no call is made)."""
        self._check_open()
        return Cursor(self)

    def track_result(self, result: ResultSet) -> None:
        """Note a cursor's result, so that close() stops its read-ahead."""
        self._results.add(result)

    def commit(self) -> None:
        """Commit the open transaction (one COMMIT call; none when nothing is pending).

        When a statement of the transaction failed, nothing is committed: the
        transaction is rolled back (one ROLLBACK call) and OperationalError
        names the failed statement; the connection stays usable.
        """
        self._check_open()
        if not self._tx.in_transaction:
            return
        failure = self._tx.failure
        if failure is None:
            self._tx.end("COMMIT")
            return
        try:
            self._tx.end("ROLLBACK")
        except DatabaseError as exc:
            logger.warning("ROLLBACK of the failed transaction failed: %s", exc)
        statement = getattr(failure, "statement_id", None)
        which = f"statement {statement}" if statement else "a statement"
        raise OperationalError(
            f"nothing was committed: the transaction was rolled back because {which} "
            f"failed in it: {failure}",
            statement_id=statement,
        ) from failure

    def rollback(self) -> None:
        """Roll back the open transaction (one ROLLBACK call; none when nothing is pending).

        When the ROLLBACK's own outcome cannot be learnt (the service is
        unreachable), the session is abandoned: its expiry rolls the work back,
        and the next transaction opens a new session.
        """
        self._check_open()
        if self._tx.in_transaction:
            self._tx.end("ROLLBACK")

    def close(self) -> None:
        """Close; an open transaction is rolled back (and its session ended)."""
        if self._closed:
            return
        try:
            for result in list(self._results):
                result.close()  # no page is fetched in the background after close
            if self._tx.background is not None:
                # Closing discards the work anyway: stop it rather than wait for it.
                self.runner.cancel_quietly(self._tx.background)
                self._tx.wait_for_background()
            if self._tx.in_transaction and not self._tx.session_lost and self._tx.session_id:
                try:
                    self._tx.end("ROLLBACK", keep_alive=0)
                except DatabaseError as exc:
                    # The session's expiry rolls back anyway; closing must not fail.
                    logger.warning("ROLLBACK on close failed: %s", exc)
        finally:
            self._tx.forget(session_too=True)
            self._closed = True

    def __enter__(self) -> Connection:
        self._check_open()
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        """Commit on success, roll back on an exception, then close."""
        try:
            if not self._closed:
                if exc_type is None:
                    self.commit()
                else:
                    self.rollback()
        finally:
            self.close()

    def cancel(self, statement_id: str) -> bool:
        """Cancel a running statement by its Id (one CancelStatement).

        Any statement of the cluster or workgroup that these credentials may
        cancel, not only this connection's: a BI tool cancels from another
        request than the one that started the query.  Returns True when the
        service cancelled it (the statement then ends ABORTED and whoever
        waits for it gets OperationalError), False when it had already ended
        (FINISHED, FAILED or ABORTED: nothing to cancel).  An unknown Id raises
        ProgrammingError.
        """
        self._check_open()
        if not isinstance(statement_id, str) or not statement_id:
            raise ProgrammingError("cancel: statement_id must be a non-empty str")
        return self.runner.cancel(statement_id)

    # -- catalog -----------------------------------------------------------

    def list_databases(self) -> list[str]:
        """Every database of the cluster or workgroup (ListDatabases, all pages)."""
        self._check_open()
        return metadata.list_databases(self.runner, self.settings.target())

    def list_schemas(self, pattern: str | None = None, *, database: str | None = None) -> list[str]:
        """Schemas matching a LIKE ``pattern`` (ListSchemas, all pages)."""
        self._check_open()
        return metadata.list_schemas(self.runner, self.settings.target(), pattern, database)

    def list_tables(
        self,
        schema_pattern: str | None = None,
        table_pattern: str | None = None,
        *,
        database: str | None = None,
    ) -> list[dict[str, Any]]:
        """Tables and views as TableMember dicts: ``name``, ``schema``, ``type``."""
        self._check_open()
        return metadata.list_tables(
            self.runner, self.settings.target(), schema_pattern, table_pattern, database
        )

    def describe_table(
        self, table: str | None, schema: str | None = None, *, database: str | None = None
    ) -> list[dict[str, Any]]:
        """Columns as ColumnMetadata dicts (DescribeTable, all pages).

        ``table=None`` describes every table of ``schema`` in one paginated call;
        each column's ``tableName`` says which table it belongs to.
        """
        self._check_open()
        if table is not None and (not isinstance(table, str) or not table):
            raise ProgrammingError("describe_table: table must be a non-empty str or None")
        if table is None and not (isinstance(schema, str) and schema):
            raise ProgrammingError("describe_table: without a table, name the schema")
        return metadata.describe_table(self.runner, self.settings.target(), table, schema, database)

    # -- what cursors use --------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise InterfaceError("the connection is closed")

    def statement_guard(self) -> contextlib.AbstractContextManager[None]:
        """Around a statement's submit and wait: a failure inside a transaction is noted.

        The database aborts a transaction whose statement failed (and a
        statement whose answer was lost may or may not have run), so commit()
        must not report success afterwards.
        """
        return self._tx.guard()

    def submit(
        self,
        request: Mapping[str, Any],
        *,
        batch: bool = False,
        wait: bool = True,
        execution_mode: str | None = None,
    ) -> Submission:
        """Submit a user statement (``Sql``/``Sqls`` + ``Parameters``) in the right context.

        In transactional mode this opens the transaction first (BEGIN) and runs
        the statement in the session.
        """
        self._check_open()
        full = dict(request)
        if self.settings.result_format == "csv" and not batch:
            full["ResultFormat"] = "CSV"
        if self.settings.statement_name:
            full["StatementName"] = self.settings.statement_name
        if self.settings.with_event:
            full["WithEvent"] = True
        if self._autocommit:
            full.update(self.settings.target())
            if batch and execution_mode:
                full["ExecutionMode"] = execution_mode
            return self.runner.submit(full, batch=batch, wait=wait, timeout=self.timeout)
        return self._tx.submit(full, request, batch=batch, wait=wait)

    def __repr__(self) -> str:
        target = self.settings.cluster_identifier or self.settings.workgroup_name
        state = "closed" if self._closed else "open"
        return f"<redshift_dataapi.Connection {target}/{self.settings.database} {state}>"
