"""Statement records and the store that keeps them, their results and ClientTokens.

Life of a statement: SUBMITTED (accepted) -> PICKED (a worker took it and is
getting a connection) -> STARTED (running in the engine) -> FINISHED, FAILED or
ABORTED (see :mod:`.workers`, which moves it along).  A batch's sub-statements
are ``<Id>:1`` .. ``<Id>:n``, each a :class:`Statement` whose ``parent`` is the
batch.

A :class:`Statement` groups what it holds by meaning: the :class:`~.target.Target`
(where and as whom), the :class:`StatementRequest` (what the client asked),
its :class:`Timing`, its live ``status`` and, once it ended, its
:class:`Outcome`; :class:`Execution` links it to the engine while it runs.

Results are encoded once when a statement ends and kept ``retention_seconds``
after it ends; then the statement is forgotten (ResourceNotFoundException).
Expiry is read from the store's clock on every access.
"""

from __future__ import annotations

import collections
import itertools
import threading
from dataclasses import dataclass, field

from ..._core.limits import IDEMPOTENCY_SECONDS
from ..._core.statuses import FINAL_STATUSES, SUBMITTED
from ..engines.base import EngineConnection
from ..errors import ServiceError, not_found
from .clock import Clock, wall_clock
from .encoding import EncodedResult
from .target import Target

__all__ = [
    "Execution",
    "Outcome",
    "Statement",
    "StatementRequest",
    "StatementStore",
    "Timing",
]


@dataclass(frozen=True)
class StatementRequest:
    """What the client asked this statement to run.

    ``sql`` is None for a batch (its sub-statements hold the SQL).  ``bind``
    maps the placeholders this statement references to their values;
    ``parameters`` is the request's Parameters list as sent (top level only).
    ``execution_mode`` is set for a batch only.  ``with_event``: publish an
    EventBridge event when the statement ends (top level only).
    """

    sql: str | None
    bind: dict[str, str] | None = None
    parameters: list[dict[str, str]] | None = None
    result_format: str = "JSON"
    statement_name: str | None = None
    execution_mode: str | None = None
    with_event: bool = False


@dataclass
class Timing:
    """When things happened: wall-clock epoch seconds, and monotonic nanoseconds."""

    created_at: float
    updated_at: float = 0.0
    ended_at: float | None = None
    #: When the engine started it (monotonic ns); None while it has not started.
    started_ns: int | None = None
    duration_ns: int = -1

    def __post_init__(self) -> None:
        if not self.updated_at:
            self.updated_at = self.created_at


@dataclass(frozen=True)
class Outcome:
    """How a statement ended: its final status and what it produced.

    ``rows`` and ``size`` are ResultRows and ResultSize (-1: unknown); a
    statement without a result set has ``result`` None.
    """

    status: str
    error: str | None = None
    result: EncodedResult | None = None
    rows: int = -1
    size: int = -1
    has_result_set: bool = False


@dataclass
class Execution:
    """The statement's link to the engine while it runs, and the ids it got there."""

    connection: EngineConnection | None = None
    redshift_pid: int | None = None
    redshift_query_id: int | None = None
    cancel_requested: bool = False


@dataclass(eq=False)
class Statement:
    """One statement, batch, or batch sub-statement: everything Describe reports.

    A sub-statement shares its batch's ``target`` and ``session_id``.
    ``done`` is set once the statement has its :class:`Outcome`.
    """

    id: str
    seq: int
    target: Target
    request: StatementRequest
    timing: Timing
    session_id: str | None = None
    status: str = SUBMITTED
    outcome: Outcome | None = None
    execution: Execution = field(default_factory=Execution)
    parent: Statement | None = None
    subs: list[Statement] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def terminal(self) -> bool:
        """True once the statement is FINISHED, FAILED or ABORTED."""
        return self.status in FINAL_STATUSES

    @property
    def is_batch(self) -> bool:
        """True for a BatchExecuteStatement (only a batch has an execution mode)."""
        return self.request.execution_mode is not None

    @property
    def root(self) -> Statement:
        """The top-level statement: the batch of a sub-statement, else itself."""
        return self.parent or self

    @property
    def has_result_set(self) -> bool:
        return self.outcome is not None and self.outcome.has_result_set


class StatementStore:
    """Every statement of a service, by Id, plus idempotency tokens and retention."""

    def __init__(
        self,
        retention_seconds: float,
        clock: Clock = wall_clock,
        *,
        idempotency_seconds: float = IDEMPOTENCY_SECONDS,
    ) -> None:
        self.retention_seconds = retention_seconds
        self.idempotency_seconds = idempotency_seconds
        self.lock = threading.RLock()
        self._clock = clock
        self._by_id: dict[str, Statement] = {}
        self._top: dict[str, Statement] = {}
        self._ended: collections.deque[tuple[float, Statement]] = collections.deque()
        self._tokens: dict[str, tuple[str, str, float]] = {}
        self._token_order: collections.deque[tuple[float, str]] = collections.deque()
        self._seq = itertools.count(1)

    def next_seq(self) -> int:
        """The next sequence number (ListStatements orders by it)."""
        return next(self._seq)

    def add(self, statement: Statement) -> None:
        """Keep a new top-level statement and its sub-statements."""
        with self.lock:
            self._by_id[statement.id] = statement
            self._top[statement.id] = statement
            for sub in statement.subs:
                self._by_id[sub.id] = sub

    def mark_ended(self, statement: Statement) -> None:
        """Start the retention time of a top-level statement that ended."""
        with self.lock:
            ended_at = statement.timing.ended_at
            self._ended.append((self._clock() if ended_at is None else ended_at, statement))

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
        """Top-level statements that have not ended."""
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
            while self._token_order and now - self._token_order[0][0] >= self.idempotency_seconds:
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
                f"ClientToken {token!r} was already used within the last "
                f"{self.idempotency_seconds / 3600:g} hours with different request parameters.",
            )
        return entry[1]

    def token_record(self, token: str, fingerprint: str, statement_id: str) -> None:
        """Remember that ``token`` produced ``statement_id``."""
        now = self._clock()
        with self.lock:
            self._tokens[token] = (fingerprint, statement_id, now)
            self._token_order.append((now, token))
