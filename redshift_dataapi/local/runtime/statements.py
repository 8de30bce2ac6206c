"""Statement records, their state machine, the worker threads and the result store.

Life of a statement: SUBMITTED (accepted) -> PICKED (a worker took it and is
getting a connection) -> STARTED (running in the engine) -> FINISHED, FAILED or
ABORTED.  A top-level statement's final status is published only after its
connection went back to the engine (or its session became idle again), so a
client that sees FINISHED can send the session's next statement at once.

Batches (BatchExecuteStatement): sub-statements ``<Id>:1`` .. ``<Id>:n`` run in
order on one connection.  TRANSACTION mode wraps them in one transaction (or
runs them inside the session's already-open transaction, without committing
it); the first failure rolls everything back: earlier sub-statements keep
status FINISHED (their results stay fetchable), the failed one is FAILED, later
ones ABORTED, and the batch FAILED with the failed one's Error.  AUTO_COMMIT
commits each statement on its own and also stops at the first failure.  A
batch's ResultRows and ResultSize are the sums over its sub-statements.

Results are encoded once when a statement ends and kept ``retention_seconds``
after it ends; then the statement is forgotten (ResourceNotFoundException).
"""

from __future__ import annotations

import collections
import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..engines.base import Engine, EngineConnection, EngineError, StatementCancelled
from ..errors import ServiceError, not_found
from .encoding import EncodedResult, ResultLimitError, encode_result
from .sessions import Session, SessionRegistry

logger = logging.getLogger(__name__)

# How often and how long CancelStatement keeps interrupting a STARTED statement.
_CANCEL_RETRY_INTERVAL = 0.02
_CANCEL_RETRY_SECONDS = 10.0

SUBMITTED = "SUBMITTED"
PICKED = "PICKED"
STARTED = "STARTED"
FINISHED = "FINISHED"
FAILED = "FAILED"
ABORTED = "ABORTED"
TERMINAL = frozenset({FINISHED, FAILED, ABORTED})

#: ClientToken idempotency window of the service.
IDEMPOTENCY_SECONDS = 8 * 3600.0
#: About 200 statements may be active per cluster/workgroup.
DEFAULT_MAX_ACTIVE_STATEMENTS = 200


@dataclass(eq=False)
class Statement:
    """One statement (or batch, or batch sub-statement) and everything Describe reports."""

    id: str
    seq: int
    query_string: str | None
    created_at: float
    database: str
    updated_at: float = 0.0
    parameters: list[dict[str, str]] | None = None
    bind: dict[str, str] | None = None
    engine_user: str | None = None
    db_user: str | None = None
    secret_arn: str | None = None
    cluster_identifier: str | None = None
    workgroup_name: str | None = None
    session_id: str | None = None
    result_format: str = "JSON"
    statement_name: str | None = None
    execution_mode: str | None = None
    status: str = SUBMITTED
    error: str | None = None
    started_ns: int | None = None
    duration_ns: int = -1
    result_rows: int = -1
    result_size: int = -1
    redshift_pid: int | None = None
    redshift_query_id: int | None = None
    has_result_set: bool = False
    result: EncodedResult | None = None
    subs: list[Statement] = field(default_factory=list)
    parent: Statement | None = None
    is_batch: bool = False
    ended_at: float | None = None
    cancel_requested: bool = False
    connection: EngineConnection | None = None
    done: threading.Event = field(default_factory=threading.Event, repr=False)

    def __post_init__(self) -> None:
        if not self.updated_at:
            self.updated_at = self.created_at

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL


@dataclass
class _Outcome:
    status: str
    error: str | None = None
    result: EncodedResult | None = None
    rows: int = -1
    size: int = -1
    has_result_set: bool = False


class StatementStore:
    """Every statement of a service, by Id, plus idempotency tokens and retention."""

    def __init__(self, retention_seconds: float, clock: Callable[[], float] = time.time) -> None:
        self.retention_seconds = retention_seconds
        self.lock = threading.RLock()
        self._clock = clock
        self._by_id: dict[str, Statement] = {}
        self._top: dict[str, Statement] = {}
        self._ended: collections.deque[tuple[float, Statement]] = collections.deque()
        self._tokens: dict[str, tuple[str, str, float]] = {}
        self._token_order: collections.deque[tuple[float, str]] = collections.deque()
        self._seq = itertools.count(1)

    def next_seq(self) -> int:
        return next(self._seq)

    def add(self, statement: Statement) -> None:
        with self.lock:
            self._by_id[statement.id] = statement
            self._top[statement.id] = statement
            for sub in statement.subs:
                self._by_id[sub.id] = sub

    def mark_ended(self, statement: Statement) -> None:
        with self.lock:
            self._ended.append((statement.ended_at or self._clock(), statement))

    def get(self, statement_id: str) -> Statement:
        """The statement or sub-statement; ResourceNotFoundException when unknown/expired."""
        self.purge()
        with self.lock:
            statement = self._by_id.get(statement_id)
        if statement is None:
            raise not_found(
                f"Query does not exist: statement {statement_id} is unknown or its result "
                f"expired (results are kept {self.retention_seconds:g} seconds).",
                statement_id,
            )
        return statement

    def top_level(self) -> list[Statement]:
        """Top-level statements, newest first."""
        self.purge()
        with self.lock:
            statements = list(self._top.values())
        statements.sort(key=lambda s: s.seq, reverse=True)
        return statements

    def active_count(self) -> int:
        with self.lock:
            return sum(1 for s in self._top.values() if not s.terminal)

    def purge(self) -> None:
        """Forget statements that ended more than retention_seconds ago, and old tokens."""
        now = self._clock()
        with self.lock:
            while self._ended and now - self._ended[0][0] >= self.retention_seconds:
                _, statement = self._ended.popleft()
                self._top.pop(statement.id, None)
                self._by_id.pop(statement.id, None)
                for sub in statement.subs:
                    self._by_id.pop(sub.id, None)
            while self._token_order and now - self._token_order[0][0] >= IDEMPOTENCY_SECONDS:
                _, token = self._token_order.popleft()
                self._tokens.pop(token, None)

    def token_lookup(self, token: str, fingerprint: str) -> str | None:
        """The Id a ClientToken already produced for the same request, else None."""
        self.purge()
        with self.lock:
            entry = self._tokens.get(token)
        if entry is None:
            return None
        if entry[0] != fingerprint:
            raise ServiceError(
                "ValidationException",
                f"ClientToken {token!r} was already used within the last 8 hours with "
                "different request parameters.",
            )
        return entry[1]

    def token_record(self, token: str, fingerprint: str, statement_id: str) -> None:
        now = self._clock()
        with self.lock:
            self._tokens[token] = (fingerprint, statement_id, now)
            self._token_order.append((now, token))


class StatementRunner:
    """Runs statements on worker threads against an engine."""

    def __init__(
        self,
        engine: Engine,
        store: StatementStore,
        sessions: SessionRegistry,
        *,
        max_workers: int,
        page_size_bytes: int,
        result_cap_bytes: int,
        row_limit_bytes: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.engine = engine
        self.store = store
        self.sessions = sessions
        self.page_size_bytes = page_size_bytes
        self.result_cap_bytes = result_cap_bytes
        self.row_limit_bytes = row_limit_bytes
        self._clock = clock
        self._query_ids = itertools.count(100001)
        # Daemon worker threads fed by a FIFO queue, started on demand up to
        # max_workers.  Not a ThreadPoolExecutor: its threads are joined at
        # interpreter exit, so one never-ending statement would hang the process.
        self._max_workers = max_workers
        self._queue: queue.SimpleQueue[tuple[Statement, Session | None] | None] = (
            queue.SimpleQueue()
        )
        self._pool_lock = threading.Lock()
        self._workers = 0
        self._idle = 0

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
            statement.cancel_requested = True
            running = [s for s in [statement, *statement.subs] if s.status == STARTED]
            connections = {id(s.connection): s.connection for s in running if s.connection}
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
        outcome: _Outcome
        try:
            with self.store.lock:
                skip = statement.cancel_requested
                if not skip:
                    statement.status = PICKED
                    statement.updated_at = self._clock()
            if skip:
                outcome = _Outcome(ABORTED)
            else:
                try:
                    if session is not None:
                        if session.connection is None:
                            # A new session: its connection is made by its first statement.
                            try:
                                session.connection = self.engine.connect(
                                    statement.database, statement.engine_user
                                )
                            except EngineError:
                                session.close()
                                raise
                        connection = session.connection
                    else:
                        connection = self.engine.connect(statement.database, statement.engine_user)
                except EngineError as exc:
                    connection = None
                    outcome = _Outcome(FAILED, exc.message)
                else:
                    statement.redshift_pid = connection.pid
                    if statement.is_batch:
                        outcome = self._run_batch(statement, connection)
                    else:
                        outcome = self._run_one(statement, connection, publish=False)
        except Exception as exc:  # never leave a statement running forever
            logger.exception("statement %s: unexpected failure", statement.id)
            outcome = _Outcome(FAILED, f"internal error: {exc}")
        finally:
            if session is not None:
                self.sessions.release(session)
            elif connection is not None:
                try:
                    self.engine.release(connection)
                except Exception:
                    logger.debug("engine release failed", exc_info=True)
        self._publish(statement, outcome)

    def _publish(self, statement: Statement, outcome: _Outcome) -> None:
        now = self._clock()
        with self.store.lock:
            if statement.cancel_requested and outcome.status == FINISHED and statement.is_batch:
                outcome = _Outcome(ABORTED)
            statement.status = outcome.status
            statement.error = outcome.error
            statement.result = outcome.result
            statement.has_result_set = outcome.has_result_set
            statement.result_rows = outcome.rows
            statement.result_size = outcome.size
            statement.updated_at = now
            statement.ended_at = now
            statement.connection = None
            if statement.started_ns is not None and statement.duration_ns < 0:
                statement.duration_ns = time.monotonic_ns() - statement.started_ns
            if statement.is_batch and statement.subs:
                statement.redshift_query_id = statement.subs[-1].redshift_query_id
        if statement.parent is None:
            self.store.mark_ended(statement)
        statement.done.set()
        logger.debug("statement %s %s", statement.id, outcome.status)

    def _run_one(
        self, statement: Statement, connection: EngineConnection, *, publish: bool
    ) -> _Outcome:
        with self.store.lock:
            root = statement.parent or statement
            if root.cancel_requested:
                outcome = _Outcome(ABORTED)
                if publish:
                    self._publish(statement, outcome)
                return outcome
            statement.status = STARTED
            statement.updated_at = self._clock()
            statement.started_ns = time.monotonic_ns()
            statement.connection = connection
            statement.redshift_pid = connection.pid
            statement.redshift_query_id = next(self._query_ids)
            if statement.parent is not None and statement.parent.started_ns is None:
                statement.parent.started_ns = statement.started_ns
        try:
            result = connection.execute(statement.query_string or "", statement.bind)
        except StatementCancelled:
            outcome = _Outcome(ABORTED)
        except EngineError as exc:
            outcome = _Outcome(FAILED, exc.message)
        else:
            outcome = self._encode(statement, result)
        finally:
            statement.duration_ns = time.monotonic_ns() - (statement.started_ns or 0)
        if outcome.status == FAILED and root.cancel_requested:
            # Engines may report an interrupted statement as a plain error.
            outcome = _Outcome(ABORTED)
        if publish:
            self._publish(statement, outcome)
        return outcome

    def _encode(self, statement: Statement, result: Any) -> _Outcome:
        if result.columns is None:
            return _Outcome(FINISHED, rows=int(result.affected_rows), size=0)
        try:
            encoded = encode_result(
                result.columns,
                result.rows,
                statement.result_format,
                page_size_bytes=self.page_size_bytes,
                row_limit_bytes=self.row_limit_bytes,
                result_cap_bytes=self.result_cap_bytes,
            )
        except ResultLimitError as exc:
            return _Outcome(FAILED, str(exc))
        return _Outcome(
            FINISHED,
            result=encoded,
            rows=encoded.total_rows,
            size=encoded.size_bytes,
            has_result_set=True,
        )

    def _run_batch(self, batch: Statement, connection: EngineConnection) -> _Outcome:
        transactional = batch.execution_mode != "AUTO_COMMIT" and not connection.in_transaction
        with self.store.lock:
            batch.status = STARTED
            batch.updated_at = self._clock()
            batch.started_ns = time.monotonic_ns()
        if transactional:
            try:
                connection.begin()
            except EngineError as exc:
                for sub in batch.subs:
                    self._publish(sub, _Outcome(ABORTED))
                return _Outcome(FAILED, exc.message)
        failed: _Outcome | None = None
        rows = 0
        size = 0
        for index, sub in enumerate(batch.subs):
            outcome = self._run_one(sub, connection, publish=True)
            if outcome.status != FINISHED:
                failed = outcome
                for later in batch.subs[index + 1 :]:
                    self._publish(later, _Outcome(ABORTED))
                break
            rows += max(outcome.rows, 0)
            size += max(outcome.size, 0)
        has_result = any(s.has_result_set for s in batch.subs)
        if failed is not None:
            if transactional:
                self._quiet_rollback(connection)
            return _Outcome(failed.status, failed.error)
        if transactional:
            if batch.cancel_requested:
                self._quiet_rollback(connection)
                return _Outcome(ABORTED)
            try:
                connection.commit()
            except EngineError as exc:
                self._quiet_rollback(connection)
                return _Outcome(FAILED, exc.message)
        return _Outcome(FINISHED, rows=rows, size=size, has_result_set=has_result)

    @staticmethod
    def _quiet_rollback(connection: EngineConnection) -> None:
        try:
            connection.rollback()
        except Exception:
            logger.debug("rollback failed", exc_info=True)
