"""Cursor: execute / executemany / fetch, description, rowcount, statement handles.

A short statement costs one ExecuteStatement (long-polled) plus, when it has a
result set, GetStatementResult(V2) pages fetched as the rows are read.
``rowcount`` of a statement without a result set (INSERT, UPDATE...) comes from
DescribeStatement, made lazily the first time ``rowcount`` is read, so DDL and
DML whose count nobody reads cost a single call.

Statement handles: ``statement_id`` is set as soon as the statement is
accepted; ``submit()`` returns it without waiting; ``attach(id)`` waits for
any earlier statement (results live 24 hours) and makes its result fetchable
without running it again.  The DescribeStatement figures (``duration`` as a
``datetime.timedelta``, ``result_rows``, ``result_size``,
``redshift_query_id``, ``redshift_pid``, ``session_id``, ``status``) are read
from the last DescribeStatement, making one when none was made yet;
``describe_statement()`` always makes a fresh call.
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .errors import Error, InterfaceError, NotSupportedError, OperationalError, ProgrammingError
from .results.json_pages import fast_json_pages, install_fast_json
from .results.read_ahead import ReadAhead
from .results.resultset import ResultSet
from .sql import batching
from .sql.params import bind
from .types import DescriptionItem

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa

    from ._core.runner import ProgressCallback, StatementRunner, Submission
    from .connection import Connection

logger = logging.getLogger(__name__)

_IDENTIFIER = r'(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+")'
_PROCEDURE_NAME = re.compile(rf"^{_IDENTIFIER}(?:\.{_IDENTIFIER}){{0,2}}$")

__all__ = ["Cursor"]

_UNKNOWN = object()

#: How the service refuses the result of a statement it cannot give one for yet.
_REFUSALS = frozenset({"ValidationException", "ResourceNotFoundException"})


class Cursor:
    """A PEP 249 cursor of a :class:`~redshift_dataapi.connection.Connection`."""

    def __init__(self, connection: Connection) -> None:
        self._connection: Connection | None = connection
        self._last_runner: StatementRunner | None = None
        self.arraysize = 1  # PEP 249 default; pages are fetched whole regardless
        self._reset()

    def _reset(self) -> None:
        self._close_result()
        self._result: ResultSet | None = None
        self._statement_id: str | None = None
        self._described: dict[str, Any] | None = None
        self._rowcount: Any = -1
        self._pending: str | None = None
        self._executed_many = False

    # -- PEP 249 attributes --------------------------------------------------

    @property
    def connection(self) -> Connection:
        """The connection this cursor belongs to."""
        return self._conn()

    @property
    def description(self) -> list[DescriptionItem] | None:
        """7-item sequences per result column, or None when there is no result set."""
        if self._result is None:
            return None
        return self._result.description

    @property
    def rowcount(self) -> int:
        """Rows returned (queries) or affected (DML) by the last execute; -1 if unknown."""
        if self._rowcount is _UNKNOWN:
            if self._connection is None and self._statement_id is not None:
                # SQLAlchemy and pandas read an INSERT's rowcount after closing
                # the cursor: the statement's figures outlive the cursor, so
                # describe it through the runner it ran on.
                if self._described is None and self._last_runner is not None:
                    self._described = self._last_runner.describe(self._statement_id)
                described = self._described or {}
            else:
                described = self._describe_current()
            rows = described.get("ResultRows")
            self._rowcount = int(rows) if rows is not None else -1
        return int(self._rowcount)

    @property
    def rownumber(self) -> int | None:
        """Index of the next row of the result (DB-API extension), None without one."""
        if self._result is None:
            return None
        return self._result.rows_read

    @property
    def statement_id(self) -> str | None:
        """The Data API Id of the last statement submitted by this cursor."""
        return self._statement_id

    # -- executing ---------------------------------------------------------

    def execute(self, operation: str, parameters: Mapping[str, Any] | None = None) -> Cursor:
        """Run one statement and wait for it (``:name`` placeholders, see params.py)."""
        conn = self._conn()
        self._reset()
        bound = bind(operation, parameters)
        submission, described = self._run(conn, _request(bound.sql, bound.parameters))
        self._finish(submission.response, described)
        return self

    def submit(self, operation: str, parameters: Mapping[str, Any] | None = None) -> str:
        """Submit one statement without waiting; returns its Id (also ``statement_id``).

        Fetching from this cursor afterwards waits for it, as does ``attach(id)``.
        In a transactional connection the session runs one statement at a time,
        so the connection's next statement (or commit/rollback) first waits for
        this one; close() cancels it.
        """
        conn = self._conn()
        self._reset()
        bound = bind(operation, parameters)
        with conn.statement_guard():
            submission = conn.submit(_request(bound.sql, bound.parameters), wait=False)
        self._statement_id = submission.statement_id
        self._pending = submission.statement_id
        return submission.statement_id

    def attach(self, statement_id: str, *, progress: ProgressCallback | None = None) -> Cursor:
        """Make an earlier statement's result this cursor's, without running it again.

        Waits for the statement first when it is still running (cancelling it
        at the connection's ``timeout``); ``progress`` is called with a
        :class:`redshift_dataapi.StatementProgress` (status and
        elapsed seconds) at least once a second meanwhile, for a live display.
        """
        if not isinstance(statement_id, str) or not statement_id:
            raise ProgrammingError("attach: statement_id must be a non-empty str")
        return self._attach(statement_id, progress, read_first=progress is None)

    def _attach(
        self, statement_id: str, progress: ProgressCallback | None, *, read_first: bool
    ) -> Cursor:
        conn = self._conn()
        if read_first:
            # An earlier statement has most often finished with a result in
            # the connection's format: its first page is then all that is
            # needed, one call instead of DescribeStatement + page.  Anything
            # else (still running, failed, no result set, the other format, an
            # unknown Id) is refused by the service, and the DescribeStatement
            # below then waits for it or says what it is, as it always did.
            # Only a refusal: a failing or busy service has had its retries
            # and is reported, not tried a second round by another call.
            self._start(statement_id)
            try:
                self._finish({"HasResultSet": True}, None)
            except Error as exc:
                if exc.code not in _REFUSALS:
                    raise
                logger.debug(
                    "attach %s: no result to read yet (%s); describing it", statement_id, exc
                )
            else:
                return self
        # Started afresh: a refused first read leaves nothing of its own behind.
        self._start(statement_id)
        described = conn.runner.wait(
            statement_id, status=None, timeout=conn.timeout, progress=progress
        )
        assert described is not None  # status None always makes a DescribeStatement
        self._finish(described, described)
        return self

    def _start(self, statement_id: str) -> None:
        """Forget the previous result and take ``statement_id`` as the current statement."""
        self._reset()
        self._statement_id = statement_id

    def _run(
        self, conn: Connection, request: Mapping[str, Any], **submit: Any
    ) -> tuple[Submission, dict[str, Any] | None]:
        """Submit one request, note its Id, and wait for it (see StatementRunner.wait)."""
        with conn.statement_guard():
            submission = conn.submit(request, wait=True, **submit)
            self._statement_id = submission.statement_id
            described = conn.runner.wait(
                submission.statement_id,
                status=submission.status,
                started=submission.submitted_at,
                timeout=conn.timeout,
            )
        return submission, described

    def _finish(self, response: Mapping[str, Any], described: dict[str, Any] | None) -> None:
        conn = self._conn()
        self._described = described
        has_result = response.get("HasResultSet")
        if has_result is None:
            described = self._describe_current()
            has_result = described.get("HasResultSet")
        if has_result:
            source = described or response
            fmt = str(source.get("ResultFormat") or conn.settings.result_format).lower()
            assert self._statement_id is not None
            pages = conn.runner.result_pages(self._statement_id, csv=fmt == "csv")
            if install_fast_json(conn.runner.client):
                pages = fast_json_pages(pages)
            if conn.settings.prefetch:
                pages = ReadAhead(pages)
            self._result = ResultSet(
                pages,
                csv=fmt == "csv",
                converters=conn.converters,
                parse_super=conn.settings.parse_super,
            )
            conn.track_result(self._result)
            total = self._result.total_rows
            self._rowcount = total if total is not None else -1
        elif described is not None and described.get("ResultRows") is not None:
            self._rowcount = int(described["ResultRows"])
        else:
            self._rowcount = _UNKNOWN

    def executemany(
        self, operation: str, seq_of_parameters: Sequence[Mapping[str, Any]] | Any
    ) -> Cursor:
        """Run ``operation`` once per parameter mapping, in few calls (see batching.py).

        In a transactional connection it all runs in the open transaction (atomic
        with it); with autocommit each call is atomic on its own (multi-row
        INSERTs and TRANSACTION-mode batches).  ``rowcount`` is the total.
        """
        conn = self._conn()
        self._reset()
        rows = list(seq_of_parameters)
        for index, row in enumerate(rows):
            if row is not None and not isinstance(row, Mapping):
                raise ProgrammingError(
                    f"executemany: parameter set {index} is a {type(row).__name__}, "
                    "not a mapping (paramstyle 'named')"
                )
        self._executed_many = True
        if not rows:
            self._rowcount = 0
            return self
        the_plan = batching.plan(operation, [row or {} for row in rows])
        total = 0
        for sql, params, count in the_plan.statements:
            self._run(conn, _request(sql, params))
            total += count
        for sqls, params, _count in the_plan.batches:
            request: dict[str, Any] = {"Sqls": sqls}
            if params:
                request["Parameters"] = params
            submission, described = self._run(
                conn, request, batch=True, execution_mode="TRANSACTION"
            )
            if described is None:
                described = conn.runner.describe(submission.statement_id)
            self._described = described
            total += _batch_rows(described)
        self._rowcount = total
        return self

    def callproc(self, procname: str, parameters: Sequence[Any] | None = None) -> Sequence[Any]:
        """``CALL procname(...)`` with the parameters bound; returns them unchanged."""
        if not isinstance(procname, str) or not _PROCEDURE_NAME.match(procname):
            # The name is the one piece of SQL text callproc writes itself, so it
            # must be a plain (optionally schema-qualified or quoted) identifier.
            raise ProgrammingError(
                f"callproc: {procname!r} is not a procedure name "
                "(identifier or schema.identifier, optionally double-quoted)"
            )
        params = list(parameters or ())
        names = {f"p{i}": value for i, value in enumerate(params)}
        placeholders = ", ".join(f":{name}" for name in names)
        self.execute(f"CALL {procname}({placeholders})", names or None)
        return params

    def cancel(self) -> bool:
        """Cancel this cursor's current statement (one CancelStatement).

        May be called from another thread while ``execute()`` waits: that
        ``execute()`` then raises OperationalError (the statement was aborted).
        Returns True when the service cancelled the statement, False when there
        is nothing to cancel: no statement yet, or it had already ended.  The
        statement's Id is known once ExecuteStatement returns; with long polling
        that call itself waits up to ``wait_time_seconds``, so to cancel from
        the start use ``submit()`` (which returns the Id at once) and
        ``attach()``.
        """
        conn = self._conn()
        statement_id = self._statement_id
        if statement_id is None:
            return False
        if self._result is not None:
            self._result.stop_read_ahead()  # the rest of the result comes on demand
        return conn.cancel(statement_id)

    def nextset(self) -> None:
        """Multiple result sets are not produced by the Data API: always None."""
        self._conn()
        return None

    def setinputsizes(self, sizes: Any) -> None:
        """Accepted and ignored (PEP 249)."""

    def setoutputsize(self, size: Any, column: Any = None) -> None:
        """Accepted and ignored (PEP 249)."""

    # -- fetching ----------------------------------------------------------

    def _result_set(self) -> ResultSet:
        self._conn()
        if self._pending is not None:
            # Just submitted, so most likely still running: wait for it first.
            self._attach(self._pending, None, read_first=False)
        if self._result is None:
            if self._statement_id is None:
                raise ProgrammingError("no statement executed yet: nothing to fetch")
            raise ProgrammingError(
                f"statement {self._statement_id} produced no result set to fetch"
            )
        return self._result

    def fetchone(self) -> tuple[Any, ...] | None:
        """The next row, or None."""
        return self._result_set().fetchone()

    def fetchmany(self, size: int | None = None) -> list[tuple[Any, ...]]:
        """Up to ``size`` (default ``arraysize``) rows."""
        count = self.arraysize if size is None else size
        if not isinstance(count, int) or count < 0:
            raise ProgrammingError(f"fetchmany: size must be a non-negative int, not {size!r}")
        return self._result_set().fetchmany(count)

    def fetchall(self) -> list[tuple[Any, ...]]:
        """Every remaining row."""
        return self._result_set().fetchall()

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._result_set())

    def __next__(self) -> tuple[Any, ...]:
        row = self.fetchone()
        if row is None:
            raise StopIteration
        return row

    # -- columnar fetches (results/arrow.py; the ``arrow`` extra) ----------

    def fetch_arrow_batches(self) -> Iterator[pa.RecordBatch]:
        """The remaining rows as Arrow record batches, one per result page.

        Pages are fetched as the batches are consumed, so memory stays about
        one page whatever the result's size.  Types come from ColumnMetadata
        (see :mod:`redshift_dataapi.results.arrow`).  Needs pyarrow
        (``pip install 'redshift-dataapi[arrow]'``; InterfaceError otherwise).
        """
        from .results import arrow

        arrow.import_pyarrow("fetch_arrow_batches")
        return arrow.record_batches(self._result_set())

    def fetch_arrow_table(self) -> pa.Table:
        """The remaining rows as one typed Arrow table (see :meth:`fetch_arrow_batches`)."""
        from .results import arrow

        return arrow.table(self._result_set())

    def fetch_dataframe(self) -> pd.DataFrame:
        """The remaining rows as a pandas DataFrame (through Arrow; numeric as Decimal)."""
        frame: pd.DataFrame = self.fetch_arrow_table().to_pandas()
        return frame

    def fetch_polars(self) -> pl.DataFrame:
        """The remaining rows as a polars DataFrame (through Arrow, no copy where it can)."""
        try:
            import polars
        except ImportError as exc:
            raise InterfaceError(f"fetch_polars needs polars: pip install polars ({exc})") from None
        frame: pl.DataFrame = polars.from_arrow(self.fetch_arrow_table())  # type: ignore[assignment]
        return frame

    def unload_to_arrow(
        self, sql: str, s3_prefix: str, *, iam_role: str = "default", **options: Any
    ) -> pa.Table:
        """Run ``sql`` through UNLOAD ... FORMAT AS PARQUET and read the files back as Arrow.

        For results past the Data API's result cap.  ``s3_prefix`` is an
        ``s3://bucket/prefix/`` URL; a new unique folder under it receives
        the files, which are deleted after reading (``keep_files=True`` keeps
        them).  Other options: ``region``, ``s3_client``, ``unload_options``
        (see :func:`redshift_dataapi.results.unload.unload_to_arrow`).
        """
        from .results.unload import unload_to_arrow

        return unload_to_arrow(self, sql, s3_prefix, iam_role=iam_role, **options)

    # -- statement figures -------------------------------------------------

    def describe_statement(self) -> dict[str, Any]:
        """A fresh DescribeStatement of the current statement."""
        conn = self._conn()
        if self._statement_id is None:
            raise ProgrammingError("no statement executed yet")
        self._described = conn.runner.describe(self._statement_id)
        return self._described

    def _describe_current(self) -> dict[str, Any]:
        if self._described is None:
            return self.describe_statement()
        return self._described

    def _figure(self, key: str) -> Any:
        if self._statement_id is None:
            return None
        return self._describe_current().get(key)

    def _int_figure(self, key: str) -> int | None:
        value = self._figure(key)
        return None if value is None else int(value)

    @property
    def status(self) -> str | None:
        """The statement's status as last described (a fresh one: describe_statement())."""
        value = self.describe_statement().get("Status") if self._pending else self._figure("Status")
        return None if value is None else str(value)

    @property
    def duration(self) -> _dt.timedelta | None:
        """How long the statement ran (DescribeStatement Duration, nanoseconds)."""
        value = self._figure("Duration")
        if value is None or int(value) < 0:
            return None
        return _dt.timedelta(microseconds=int(value) / 1000)

    @property
    def result_rows(self) -> int | None:
        """Rows in the result or affected (-1 when the service does not know)."""
        return self._int_figure("ResultRows")

    @property
    def result_size(self) -> int | None:
        """Size of the result in bytes (-1 when the service does not know)."""
        return self._int_figure("ResultSize")

    @property
    def redshift_query_id(self) -> int | None:
        """The Redshift query id."""
        return self._int_figure("RedshiftQueryId")

    @property
    def redshift_pid(self) -> int | None:
        """The process id of the database session that ran the statement."""
        return self._int_figure("RedshiftPid")

    @property
    def session_id(self) -> str | None:
        """The Data API session the statement ran in (None outside a session)."""
        value = self._figure("SessionId")
        return None if value is None else str(value)

    # -- lifecycle ---------------------------------------------------------

    def _conn(self) -> Connection:
        if self._connection is None:
            raise InterfaceError("the cursor is closed")
        if self._connection.closed:
            raise InterfaceError("the cursor's connection is closed")
        return self._connection

    def _close_result(self) -> None:
        """Drop the current result, stopping its read-ahead (no call after this)."""
        result = getattr(self, "_result", None)
        self._result = None
        if result is not None:
            result.close()

    def close(self) -> None:
        """Close the cursor; later use raises InterfaceError.

        A result page fetched in the background is waited for and dropped:
        no call is made for this cursor afterwards.
        """
        self._close_result()
        if self._connection is not None:
            self._last_runner = self._connection.runner
        self._connection = None

    @property
    def closed(self) -> bool:
        """True after close() or once the connection is closed."""
        return self._connection is None or self._connection.closed

    def __enter__(self) -> Cursor:
        self._conn()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def scroll(self, value: int, mode: str = "relative") -> None:
        """Not supported: Data API results are read forward only."""
        raise NotSupportedError("scroll: Data API results are forward-only")


def _request(sql: str, parameters: list[dict[str, str]] | None) -> dict[str, Any]:
    """The ``Sql`` (+ ``Parameters`` when there are any) of an ExecuteStatement."""
    request: dict[str, Any] = {"Sql": sql}
    if parameters:
        request["Parameters"] = parameters
    return request


def _batch_rows(described: Mapping[str, Any]) -> int:
    """Rows affected by a batch: the sum over its sub-statements.

    A FINISHED batch always lists them: without them the answer was not the
    whole answer, and a short count must never be reported.
    """
    subs = described.get("SubStatements")
    if not subs:
        raise OperationalError(
            f"DescribeStatement of batch {described.get('Id')} lists no sub-statements: "
            "its row count is unknown",
            statement_id=described.get("Id"),
        )
    total = 0
    for sub in subs:
        rows = sub.get("ResultRows")
        if rows is not None and int(rows) > 0:
            total += int(rows)
    return total
