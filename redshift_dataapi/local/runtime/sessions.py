"""Data API sessions: one engine connection kept between statements.

A session is opened by ExecuteStatement/BatchExecuteStatement with
``SessionKeepAliveSeconds`` > 0 and owns one :class:`EngineConnection`, so temp
tables, SET and an open transaction survive between calls that pass its
``SessionId``.  It runs one statement at a time, and is closed (its connection
closed, which rolls back an open transaction) once it has been idle longer than
its keep-alive time.  Closed sessions stay listed as CLOSED.
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass, field

from ..._core.limits import MAX_ACTIVE_SESSIONS
from ..._core.statuses import SESSION_AVAILABLE, SESSION_BUSY, SESSION_CLOSED
from ..engines.base import EngineConnection
from ..errors import ServiceError, validation_error
from .clock import Clock, wall_clock
from .target import Target

__all__ = [
    "CLOSED_SESSION_LISTED_SECONDS",
    "REAP_INTERVAL_SECONDS",
    "Session",
    "SessionRegistry",
]

logger = logging.getLogger(__name__)

#: How long a closed session stays in ListSessions (the service does not say; a day).
CLOSED_SESSION_LISTED_SECONDS = 24 * 3600.0
#: How often the reaper looks for sessions idle past their keep-alive (real seconds).
REAP_INTERVAL_SECONDS = 0.25


@dataclass(eq=False)
class Session:
    """One Data API session and the engine connection it owns.

    ``connection`` is None until the session's first statement connects;
    ``clock`` is the registry's wall clock (it stamps ``closed_at``).
    """

    id: str
    target: Target
    keep_alive_seconds: int
    created_at: float
    updated_at: float
    connection: EngineConnection | None = None
    current_statement_id: str | None = None
    closed: bool = False
    closed_at: float | None = None
    clock: Clock = field(default=wall_clock, repr=False)
    _close_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def status(self) -> str:
        """AVAILABLE, BUSY or CLOSED (the model's SessionStatusString)."""
        if self.closed:
            return SESSION_CLOSED
        return SESSION_BUSY if self.current_statement_id else SESSION_AVAILABLE

    @property
    def expires_at(self) -> float:
        """When an idle session closes (epoch seconds)."""
        return self.updated_at + self.keep_alive_seconds

    def close(self) -> None:
        """Close the connection (rolling back anything uncommitted); idempotent."""
        with self._close_lock:
            if self.closed:
                return
            self.closed = True
            self.closed_at = self.clock()
        if self.connection is None:
            return
        try:
            self.connection.close()
        except Exception:  # a broken connection must not keep the session alive
            logger.debug("closing the connection of session %s failed", self.id, exc_info=True)


class SessionRegistry:
    """All sessions of one service, with a reaper that closes idle ones.

    Expiry is read from ``clock`` (the service's wall clock) both by the
    reaper thread, every ``reap_interval`` real seconds, and on every access
    (:meth:`acquire` refuses an expired session, :meth:`reap` runs before
    ListSessions answers), so a clock moved forward by a test is honoured at
    once.
    """

    def __init__(
        self,
        *,
        max_sessions: int = MAX_ACTIVE_SESSIONS,
        clock: Clock = wall_clock,
        reap_interval: float = REAP_INTERVAL_SECONDS,
        closed_retention_seconds: float = CLOSED_SESSION_LISTED_SECONDS,
    ) -> None:
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()
        self._clock = clock
        self._max_sessions = max_sessions
        self._closed_retention = closed_retention_seconds
        self._stop = threading.Event()
        self._reaper = threading.Thread(
            target=self._reap_loop,
            args=(reap_interval,),
            name="dataapi-session-reaper",
            daemon=True,
        )
        self._reaper.start()

    def open(self, target: Target, *, keep_alive_seconds: int, statement_id: str) -> Session:
        """Register a new session already busy with ``statement_id``.

        The session has no connection yet: its first statement connects on its
        worker thread, so that the response can carry the SessionId at once.
        """
        now = self._clock()
        session = Session(
            id=str(uuid.uuid4()),
            target=target,
            keep_alive_seconds=keep_alive_seconds,
            created_at=now,
            updated_at=now,
            current_statement_id=statement_id,
            clock=self._clock,
        )
        with self._lock:
            self._sessions[session.id] = session
        logger.debug("session %s opened (keep-alive %ss)", session.id, keep_alive_seconds)
        return session

    def check_capacity(self) -> None:
        """ActiveSessionsExceededException when no new session may be opened."""
        with self._lock:
            active = sum(1 for s in self._sessions.values() if not s.closed)
        if active >= self._max_sessions:
            raise ServiceError(
                "ActiveSessionsExceededException",
                f"The number of active sessions exceeds the limit of {self._max_sessions}.",
            )

    def acquire(
        self, session_id: str, statement_id: str, keep_alive_seconds: int | None
    ) -> Session:
        """Mark the session busy with ``statement_id``; the service's errors otherwise."""
        session_id = session_id.split(":", 1)[0]
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                raise validation_error(f"Session with Id: {session_id} is invalid.")
            expired = session.current_statement_id is None and self._clock() >= session.expires_at
            if session.closed or expired:
                closed = session
            else:
                closed = None
                if session.current_statement_id is not None:
                    raise validation_error(
                        f"Session {session_id} is busy running statement "
                        f"{session.current_statement_id}; a session runs one statement at a time."
                    )
                session.current_statement_id = statement_id
                session.updated_at = self._clock()
                if keep_alive_seconds is not None:
                    # 0 on a session call ends the session once this statement is done.
                    session.keep_alive_seconds = keep_alive_seconds
        if closed is not None:
            closed.close()
            raise validation_error("Session is not available")
        return session

    def release(self, session: Session) -> None:
        """The session's statement ended: idle from now on."""
        with self._lock:
            session.current_statement_id = None
            session.updated_at = self._clock()
            ending = session.keep_alive_seconds == 0
        if ending:
            logger.debug("session %s: keep-alive 0, closing after its statement", session.id)
            session.close()

    def get(self, session_id: str) -> Session | None:
        """The session, open or closed, or None."""
        with self._lock:
            return self._sessions.get(session_id.split(":", 1)[0])

    def all(self) -> list[Session]:
        """Every known session, newest first."""
        with self._lock:
            sessions = list(self._sessions.values())
        sessions.sort(key=lambda s: s.created_at, reverse=True)
        return sessions

    def reap(self) -> None:
        """Close sessions idle past their keep-alive; forget long-closed ones."""
        now = self._clock()
        to_close: list[Session] = []
        with self._lock:
            for sid, session in list(self._sessions.items()):
                if session.closed:
                    if (
                        session.closed_at is not None
                        and now - session.closed_at > self._closed_retention
                    ):
                        del self._sessions[sid]
                    continue
                if session.current_statement_id is None and now >= session.expires_at:
                    to_close.append(session)
        for session in to_close:
            logger.debug("session %s idle past its keep-alive: closing", session.id)
            session.close()

    def _reap_loop(self, interval: float) -> None:
        while not self._stop.wait(interval):
            try:
                self.reap()
            except Exception:  # the reaper must survive anything
                logger.exception("session reaper failed")

    def close(self) -> None:
        """Stop the reaper and close every session."""
        self._stop.set()
        for session in self.all():
            session.close()
