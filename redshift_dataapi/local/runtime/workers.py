"""The worker threads that run statements against the engine, and cancel.

:class:`StatementWorkers` moves a statement through its states (see
:mod:`.statements`).  A top-level statement's final status is published only
after its connection went back to the engine (or its session became idle
again), so a client that sees FINISHED can send the session's next statement
at once.

Batches (BatchExecuteStatement): sub-statements run in order on one
connection.  TRANSACTION mode wraps them in one transaction (or runs them
inside the session's already-open transaction, without committing it); the
first failure rolls everything back: earlier sub-statements keep status
FINISHED (their results stay fetchable), the failed one is FAILED, later ones
ABORTED, and the batch FAILED with the failed one's Error.  AUTO_COMMIT
commits each statement on its own and also stops at the first failure.  A
batch's ResultRows and ResultSize are the sums over its sub-statements.

Cancel: a statement still queued (SUBMITTED: no worker took it yet) ends
ABORTED at once, its session freed first; a running one is interrupted in the
engine and ends ABORTED when the engine stops.  Either way its ``done`` event
is set as it ends, which wakes every long poll on it (and a batch's
sub-statements that never ran end ABORTED with their batch).
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable

from ..._core.statuses import ABORTED, FAILED, FINISHED, PICKED, STARTED, SUBMITTED
from ...results.gcpause import gc_paused
from ..engines.base import Engine, EngineConnection, EngineError, ExecResult, StatementCancelled
from ..errors import ServiceError
from ..loads import LoadRunner, LoadStatement, statement_kind
from .clock import Clock, monotonic_clock, wall_clock
from .encoding import ResultLimitError, ResultLimits, encode_result
from .history import QueryHistory, mentions_history
from .sessions import Session, SessionRegistry
from .statements import Outcome, Statement, StatementStore

__all__ = ["StatementWorkers"]

logger = logging.getLogger(__name__)

# How often and how long CancelStatement keeps interrupting a STARTED statement
# (real time: it waits for the engine, whatever the service's clock says).
_CANCEL_RETRY_INTERVAL = 0.02
_CANCEL_RETRY_SECONDS = 10.0
#: The first RedshiftQueryId handed out.
_FIRST_QUERY_ID = 100001

_Job = tuple[Statement, Session | None]


class StatementWorkers:
    """Runs statements on worker threads against an engine.

    ``clock`` stamps UpdatedAt and the end of a statement (epoch seconds);
    ``monotonic`` (seconds) measures its Duration.  ``loads`` runs COPY and
    UNLOAD statements (None: they go to the engine like any other);
    ``on_end`` is called with every top-level statement once it ended (the
    WithEvent hook), after its final status is published; ``history``
    refreshes STL_QUERY / SYS_QUERY_HISTORY / STV_RECENTS before a statement
    that names them (see :mod:`.history`).
    """

    def __init__(
        self,
        engine: Engine,
        store: StatementStore,
        sessions: SessionRegistry,
        *,
        max_workers: int,
        result_limits: ResultLimits,
        clock: Clock = wall_clock,
        monotonic: Clock = monotonic_clock,
        loads: LoadRunner | None = None,
        on_end: Callable[[Statement], None] | None = None,
        history: QueryHistory | None = None,
    ) -> None:
        self.engine = engine
        self.history = history
        self.loads = loads
        self.on_end = on_end
        self.store = store
        self.sessions = sessions
        self.result_limits = result_limits
        self._clock = clock
        self._monotonic = monotonic
        self._query_ids = itertools.count(_FIRST_QUERY_ID)
        # Daemon worker threads fed by a FIFO queue, started on demand up to
        # max_workers.  Not a ThreadPoolExecutor: its threads are joined at
        # interpreter exit, so one never-ending statement would hang the process.
        self._max_workers = max_workers
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._pool_lock = threading.Lock()
        self._workers = 0
        self._idle = 0

    def monotonic_ns(self) -> int:
        """The monotonic clock in nanoseconds (Duration's unit)."""
        return int(self._monotonic() * 1_000_000_000)

    # -- submission ----------------------------------------------------------

    def submit(self, statement: Statement, *, session: Session | None) -> None:
        """Queue ``statement`` (already in the store; ``session`` already busy with it)."""
        with self._pool_lock:
            if self._idle > 0:
                self._idle -= 1
            elif self._workers < self._max_workers:
                self._workers += 1
                threading.Thread(
                    target=self._work, name=f"dataapi-worker-{self._workers}", daemon=True
                ).start()
            self._queue.put((statement, session))

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            try:
                self._run(*item)
            finally:
                with self._pool_lock:
                    self._idle += 1

    def shutdown(self) -> None:
        """Let the workers end once the queue is drained."""
        with self._pool_lock:
            for _ in range(self._workers):
                self._queue.put(None)

    # -- cancel ----------------------------------------------------------------

    def cancel(self, statement: Statement) -> None:
        """Abort a statement that has not ended; ValidationException once it has."""
        with self.store.lock:
            if statement.terminal:
                raise ServiceError(
                    "ValidationException",
                    f"Could not cancel a query that is already in {statement.status} state "
                    f"with ID: {statement.id}",
                )
            # Still in the queue: no worker has it, and the one that takes it
            # later sees the cancel and leaves it alone (see _run).  It is
            # ended here, so that whoever long-polls it wakes now rather than
            # when a worker becomes free (once: a second cancel meanwhile
            # finds cancel_requested already set).
            queued = statement.status == SUBMITTED and not statement.execution.cancel_requested
            statement.execution.cancel_requested = True
            running = [s for s in [statement, *statement.subs] if s.status == STARTED]
            connections = {
                id(s.execution.connection): s.execution.connection
                for s in running
                if s.execution.connection
            }
        if queued:
            self._abort_queued(statement)
            return
        for connection in connections.values():
            try:
                connection.cancel()
            except Exception:
                logger.debug("engine cancel failed for %s", statement.id, exc_info=True)
        if connections:
            # A cancel can land between STARTED and the moment the engine begins
            # the statement, where the engine's cancel is a no-op; keep asking
            # until the statement ends so that it cannot finish (and commit) anyway.
            threading.Thread(
                target=self._keep_cancelling,
                args=(statement, list(connections.values())),
                daemon=True,
                name="dataapi-cancel",
            ).start()

    def _abort_queued(self, statement: Statement) -> None:
        """End a cancelled statement that no worker took: free its session, then ABORTED."""
        session = self.sessions.get(statement.session_id) if statement.session_id else None
        if session is not None and session.current_statement_id == statement.id:
            self.sessions.release(session)
        self._publish(statement, Outcome(ABORTED))

    def _keep_cancelling(self, statement: Statement, connections: list[EngineConnection]) -> None:
        deadline = time.monotonic() + _CANCEL_RETRY_SECONDS
        while not statement.done.wait(_CANCEL_RETRY_INTERVAL) and time.monotonic() < deadline:
            for connection in connections:
                try:
                    connection.cancel()
                except Exception:
                    logger.debug("engine cancel retry failed for %s", statement.id, exc_info=True)

    # -- the worker ----------------------------------------------------------

    def _run(self, statement: Statement, session: Session | None) -> None:
        connection: EngineConnection | None = None
        outcome: Outcome
        with self.store.lock:
            if statement.execution.cancel_requested:
                # Cancelled while queued: cancel() freed its session and ended it.
                return
            statement.status = PICKED
            statement.timing.updated_at = self._clock()
        try:
            try:
                connection = self._connection_for(statement, session)
            except EngineError as exc:
                outcome = Outcome(FAILED, exc.message)
            else:
                statement.execution.redshift_pid = connection.pid
                if statement.is_batch:
                    outcome = self._run_batch(statement, connection)
                else:
                    outcome = self._run_one(statement, connection, publish=False)
        except Exception as exc:  # never leave a statement running forever
            logger.exception("statement %s: unexpected failure", statement.id)
            outcome = Outcome(FAILED, f"internal error: {exc}")
        finally:
            self._give_back(session, connection)
        self._publish(statement, outcome)

    def _connection_for(self, statement: Statement, session: Session | None) -> EngineConnection:
        """The session's connection (made by its first statement), or a new one."""
        target = statement.target
        if session is None:
            return self.engine.connect(target.database, target.engine_user)
        if session.connection is None:
            try:
                session.connection = self.engine.connect(target.database, target.engine_user)
            except EngineError:
                session.close()
                raise
        return session.connection

    def _give_back(self, session: Session | None, connection: EngineConnection | None) -> None:
        if session is not None:
            self.sessions.release(session)
        elif connection is not None:
            try:
                self.engine.release(connection)
            except Exception:
                logger.debug("engine release failed", exc_info=True)

    def _publish(self, statement: Statement, outcome: Outcome) -> None:
        """Give ``statement`` its final status and wake everyone waiting for it.

        A batch's sub-statements that never got to run (the batch was
        cancelled before it started, or could not connect) end ABORTED first:
        a statement that stays SUBMITTED forever would hold every long poll
        on it for its whole wait time.
        """
        if statement.is_batch:
            for sub in statement.subs:
                if not sub.terminal:
                    self._publish(sub, Outcome(ABORTED))
        now = self._clock()
        with self.store.lock:
            cancelled = statement.execution.cancel_requested
            if cancelled and outcome.status == FINISHED and statement.is_batch:
                outcome = Outcome(ABORTED)
            statement.status = outcome.status
            statement.outcome = outcome
            timing = statement.timing
            timing.updated_at = now
            timing.ended_at = now
            statement.execution.connection = None
            if timing.started_ns is not None and timing.duration_ns < 0:
                timing.duration_ns = self.monotonic_ns() - timing.started_ns
            if statement.is_batch and statement.subs:
                last = statement.subs[-1].execution
                statement.execution.redshift_query_id = last.redshift_query_id
        if statement.parent is None:
            self.store.mark_ended(statement)
        statement.done.set()
        logger.debug("statement %s %s", statement.id, outcome.status)
        if statement.parent is None and self.on_end is not None:
            try:
                self.on_end(statement)
            except Exception:  # a completion hook never breaks the service
                logger.exception("completion hook failed for %s", statement.id)

    def _start(self, statement: Statement, connection: EngineConnection) -> None:
        """Mark ``statement`` STARTED on ``connection`` (the store's lock is held)."""
        statement.status = STARTED
        statement.timing.updated_at = self._clock()
        statement.timing.started_ns = self.monotonic_ns()
        execution = statement.execution
        execution.connection = connection
        execution.redshift_pid = connection.pid
        execution.redshift_query_id = next(self._query_ids)
        parent = statement.parent
        if parent is not None and parent.timing.started_ns is None:
            parent.timing.started_ns = statement.timing.started_ns

    def _run_one(
        self, statement: Statement, connection: EngineConnection, *, publish: bool
    ) -> Outcome:
        root = statement.root
        with self.store.lock:
            if root.execution.cancel_requested:
                outcome = Outcome(ABORTED)
                if publish:
                    self._publish(statement, outcome)
                return outcome
            self._start(statement, connection)
        try:
            result = self._execute(statement, connection)
        except StatementCancelled:
            outcome = Outcome(ABORTED)
        except EngineError as exc:
            outcome = Outcome(FAILED, exc.message)
        else:
            outcome = self._encode(statement, result)
        finally:
            timing = statement.timing
            timing.duration_ns = self.monotonic_ns() - (timing.started_ns or 0)
        if outcome.status == FAILED and root.execution.cancel_requested:
            # Engines may report an interrupted statement as a plain error.
            outcome = Outcome(ABORTED)
        if publish:
            self._publish(statement, outcome)
        return outcome

    def _execute(self, statement: Statement, connection: EngineConnection) -> ExecResult:
        """Run the statement's SQL: COPY and UNLOAD through the load runner, the rest as is."""
        sql = statement.request.sql or ""
        if self.history is not None and mentions_history(sql):
            self.history.refresh(statement.target.database)
        if self.loads is None:
            return connection.execute(sql, statement.request.bind)
        self.loads.prepare(statement.target.database)
        kind = statement_kind(sql)
        if kind is None:
            return connection.execute(sql, statement.request.bind)
        load = LoadStatement(
            database=statement.target.database,
            query_id=statement.execution.redshift_query_id or 0,
            session_pid=connection.pid,
            started_at=dt.datetime.fromtimestamp(self._clock(), dt.timezone.utc).replace(
                tzinfo=None
            ),
        )
        return self.loads.run(kind, sql, connection, load)

    def _encode(self, statement: Statement, result: ExecResult) -> Outcome:
        if result.columns is None:
            return Outcome(FINISHED, rows=int(result.affected_rows), size=0)
        limits = self.result_limits
        try:
            # Encoding builds a Field dict or CSV line per value, none of them in a
            # cycle: the collector is paused for it, as the driver does (gcpause.py).
            with gc_paused():
                encoded = encode_result(
                    result.columns,
                    result.rows,
                    statement.request.result_format,
                    page_size_bytes=limits.page_size_bytes,
                    row_limit_bytes=limits.row_limit_bytes,
                    result_cap_bytes=limits.result_cap_bytes,
                )
        except ResultLimitError as exc:
            return Outcome(FAILED, str(exc))
        return Outcome(
            FINISHED,
            result=encoded,
            rows=encoded.total_rows,
            size=encoded.size_bytes,
            has_result_set=True,
        )

    def _run_batch(self, batch: Statement, connection: EngineConnection) -> Outcome:
        transactional = (
            batch.request.execution_mode != "AUTO_COMMIT" and not connection.in_transaction
        )
        with self.store.lock:
            batch.status = STARTED
            batch.timing.updated_at = self._clock()
            batch.timing.started_ns = self.monotonic_ns()
        if transactional:
            try:
                connection.begin()
            except EngineError as exc:
                for sub in batch.subs:
                    self._publish(sub, Outcome(ABORTED))
                return Outcome(FAILED, exc.message)
        outcome = self._run_subs(batch, connection)
        if not transactional:
            return outcome
        if outcome.status != FINISHED:
            self._quiet_rollback(connection)
            return outcome
        if batch.execution.cancel_requested:
            self._quiet_rollback(connection)
            return Outcome(ABORTED)
        try:
            connection.commit()
        except EngineError as exc:
            self._quiet_rollback(connection)
            return Outcome(FAILED, exc.message)
        return outcome

    def _run_subs(self, batch: Statement, connection: EngineConnection) -> Outcome:
        """Run the sub-statements in order up to the first that does not finish."""
        rows = 0
        size = 0
        for index, sub in enumerate(batch.subs):
            outcome = self._run_one(sub, connection, publish=True)
            if outcome.status != FINISHED:
                for later in batch.subs[index + 1 :]:
                    self._publish(later, Outcome(ABORTED))
                return Outcome(outcome.status, outcome.error)
            rows += max(outcome.rows, 0)
            size += max(outcome.size, 0)
        has_result = any(s.has_result_set for s in batch.subs)
        return Outcome(FINISHED, rows=rows, size=size, has_result_set=has_result)

    @staticmethod
    def _quiet_rollback(connection: EngineConnection) -> None:
        try:
            connection.rollback()
        except Exception:
            logger.debug("rollback failed", exc_info=True)
