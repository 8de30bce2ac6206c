"""A connection's Data API session and its transaction (``autocommit=False``).

What a transactional connection costs and promises is told in ``connection.py``'s
docstring; this class keeps the state behind it (the SessionId, whether a
transaction is open, whether the session was lost, the first failure inside
the transaction, a statement ``submit()``-ted without waiting) and settles
every way a transaction can end: COMMIT, ROLLBACK, a lost session, a COMMIT
whose answer never arrived.  The transaction state is reset on every
exception path, so the next statement always opens a new transaction.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Mapping
from typing import Any

from .. import errors as _errors
from ..errors import DatabaseError, OperationalError
from ..sql.reads import is_plain_read
from .retries import OutcomeUnknownError
from .runner import StatementRunner, Submission
from .settings import Settings
from .statuses import ABORTED, FAILED, FINISHED

__all__ = ["SessionTransaction", "is_session_lost"]

logger = logging.getLogger(__name__)


_LOST_WORDS = (
    "not available",
    "invalid",
    "expired",
    "closed",
    "not found",
    "does not exist",
    "terminated",
    "timed out",
)


def is_session_lost(exc: DatabaseError) -> bool:
    """Whether a refused call says the session is gone (not merely busy)."""
    if exc.code not in ("ValidationException", "ResourceNotFoundException"):
        return False
    text = exc.message.lower()
    return "session" in text and "busy" not in text and any(w in text for w in _LOST_WORDS)


class SessionTransaction:
    """The session and the open transaction of one connection."""

    def __init__(self, runner: StatementRunner, settings: Settings) -> None:
        self.runner = runner
        self.settings = settings
        self.session_id: str | None = None
        self.in_transaction = False
        self.session_lost = False
        #: The first failure of a statement inside the open transaction (commit() raises it).
        self.failure: BaseException | None = None
        #: A statement submit()-ted without waiting, still to finish before the next one.
        self.background: str | None = None
        #: Run plain reads before the first write of a transaction without BEGIN.
        self.defer_begin = True

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """Around a statement's submit and wait: a failure inside a transaction is noted.

        The database aborts a transaction whose statement failed (and a
        statement whose answer was lost may or may not have run), so commit()
        must not report success afterwards.
        """
        try:
            yield
        except BaseException as exc:
            if self.in_transaction and self.failure is None:
                self.failure = exc
            raise

    def submit(
        self, full: dict[str, Any], request: Mapping[str, Any], *, batch: bool, wait: bool
    ) -> Submission:
        """Run a user statement (``full``: the request as sent) in this session.

        A plain read with no transaction open runs without BEGIN (``defer_begin``);
        anything else opens the transaction first (BEGIN) if none is.
        """
        self.wait_for_background()
        if self._reads_before_begin(request, batch):
            return self._submit_before_begin(full, wait)
        self.ensure()
        full["SessionId"] = self.session_id
        full["SessionKeepAliveSeconds"] = self.settings.session_keep_alive_seconds
        if batch:
            # Inside our open transaction: no batch-level BEGIN/COMMIT of its own.
            full["ExecutionMode"] = "AUTO_COMMIT"
        try:
            submission = self.runner.submit(
                full, batch=batch, wait=wait, timeout=self.settings.timeout
            )
        except DatabaseError as exc:
            if is_session_lost(exc):
                self.session_lost = True
                raise self.lost_error() from exc
            raise
        if not wait:
            self.background = submission.statement_id
        return submission

    # -- deferred BEGIN: plain reads before a transaction's first write ---------
    #
    # With ``defer_begin`` (the default), a plain read (sql/reads.py) while no
    # transaction is open runs in the session *without* BEGIN: each such read
    # sees its own snapshot, as under autocommit.  BEGIN goes out with the
    # first statement that is not a plain read, and every later statement,
    # reads too, runs inside that transaction until commit()/rollback(), which
    # cost nothing when no BEGIN was sent.  A write is never run outside a
    # transaction.

    def _reads_before_begin(self, request: Mapping[str, Any], batch: bool) -> bool:
        sql = request.get("Sql")
        return (
            self.defer_begin
            and not self.in_transaction
            and not batch
            and isinstance(sql, str)
            and is_plain_read(sql)
        )

    def _submit_before_begin(self, full: dict[str, Any], wait: bool) -> Submission:
        """A plain read in the connection's session (opening it if none), outside a transaction."""
        full["SessionKeepAliveSeconds"] = self.settings.session_keep_alive_seconds
        if self.session_id is not None:
            try:
                submission = self.runner.submit(
                    {**full, "SessionId": self.session_id}, wait=wait, timeout=self.settings.timeout
                )
            except DatabaseError as exc:
                self._replace_expired_session(exc)
        if self.session_id is None:
            submission = self.runner.submit(
                {**full, **self.settings.target()}, wait=wait, timeout=self.settings.timeout
            )
            session_id = submission.response.get("SessionId")
            if session_id:
                self.session_id = str(session_id)
                self.session_lost = False
        if not wait:
            self.background = submission.statement_id
        return submission

    def _replace_expired_session(self, exc: DatabaseError) -> None:
        """A session that expired between transactions is dropped (a new one opens); else raise."""
        if not is_session_lost(exc):
            raise exc
        logger.warning(
            "Data API session %s expired between transactions; opening a new one "
            "(its temp tables and SET values are gone)",
            self.session_id,
        )
        self.session_id = None

    def wait_for_background(self) -> None:
        """A session runs one statement at a time: let a submit()ted one finish first.

        Its own outcome is for the cursor that submitted it (attach/fetch) to report.
        """
        statement_id, self.background = self.background, None
        if statement_id is None:
            return
        try:
            self.runner.wait(statement_id, status=None)
        except DatabaseError as exc:
            logger.debug("background statement %s ended with %s", statement_id, exc)
            if self.in_transaction and self.failure is None:
                self.failure = exc

    def lost_error(self) -> _errors.OperationalError:
        return OperationalError(
            f"the Data API session {self.session_id} of this transaction was lost or "
            "expired; its work was rolled back by the database. Call rollback() and "
            "run the transaction again"
        )

    def ensure(self) -> None:
        if self.in_transaction:
            if self.session_lost:
                raise self.lost_error()
            return
        request: dict[str, Any] = {
            "Sql": "BEGIN",
            "SessionKeepAliveSeconds": self.settings.session_keep_alive_seconds,
        }
        if self.session_id is not None:
            try:
                self._run_control({**request, "SessionId": self.session_id})
                self.in_transaction = True
                return
            except OutcomeUnknownError:
                # BEGIN may have run: this session's state is unknown, so it
                # is never used again (its expiry rolls back whatever it holds).
                self.forget(session_too=True)
                raise
            except DatabaseError as exc:
                self._replace_expired_session(exc)
        submission = self._run_control({**request, **self.settings.target()})
        session_id = submission.response.get("SessionId")
        if not session_id:
            raise OperationalError(
                "the Data API returned no SessionId for BEGIN: this endpoint does not "
                "support sessions, so use autocommit=True",
                statement_id=submission.statement_id,
            )
        self.session_id = str(session_id)
        self.session_lost = False
        self.in_transaction = True
        logger.debug("opened Data API session %s", self.session_id)

    def _run_control(self, request: Mapping[str, Any]) -> Submission:
        submission = self.runner.submit(request, wait=True, timeout=self.settings.timeout)
        self.runner.wait(
            submission.statement_id,
            status=submission.status,
            started=submission.submitted_at,
            timeout=self.settings.timeout,
        )
        return submission

    def end(self, sql: str, keep_alive: int | None = None) -> None:
        """COMMIT or ROLLBACK the open transaction, once any submit()ted statement is done.

        With the session lost (known already, or said by this call) the database
        has discarded the work: ROLLBACK is then a success, COMMIT an error.
        Whatever happens, the transaction state is reset before this returns
        or raises, so the next statement always opens a new transaction.
        """
        try:
            self.wait_for_background()
        except BaseException:
            self.forget(session_too=True)
            raise
        lost: DatabaseError | None = None
        if not self.session_lost:
            request = {
                "Sql": sql,
                "SessionId": self.session_id,
                "SessionKeepAliveSeconds": (
                    self.settings.session_keep_alive_seconds if keep_alive is None else keep_alive
                ),
            }
            try:
                self._run_control(request)
            except OutcomeUnknownError as exc:
                self._settle_unknown(sql, exc, keep_alive)
                return
            except DatabaseError as exc:
                if not is_session_lost(exc):
                    # A failed COMMIT or ROLLBACK ends the transaction in the database too.
                    self.forget(session_too=False)
                    raise
                lost = exc
            except BaseException:
                # Interrupted: the outcome is unknown, so the session is not reused.
                self.forget(session_too=True)
                raise
            else:
                self.forget(session_too=keep_alive == 0)
                return
        self.forget(session_too=True)
        if sql == "COMMIT":
            raise OperationalError(
                "the Data API session of this transaction was lost or expired: "
                "nothing was committed"
            ) from lost

    def _settle_unknown(self, sql: str, exc: OutcomeUnknownError, keep_alive: int | None) -> None:
        """A COMMIT or ROLLBACK whose answer never arrived: find out, or end the session.

        With the statement's Id known (the submit answered; the wait did not),
        one more DescribeStatement may tell.  Otherwise the session is ended
        (ROLLBACK with SessionKeepAliveSeconds=0, best effort) and never used
        again: if the transaction was not ended, the database rolls it back.
        """
        status = None
        if exc.statement_id:
            try:
                status = self.runner.describe(exc.statement_id).get("Status")
            except DatabaseError as again:
                logger.debug("DescribeStatement of %s failed: %s", exc.statement_id, again)
        if status == FINISHED:
            self.forget(session_too=keep_alive == 0)
            return
        if status in (FAILED, ABORTED) and sql == "COMMIT":
            # A definite answer: the COMMIT did not happen, so neither did the work.
            self.forget(session_too=False)
            raise OperationalError(
                f"COMMIT {exc.statement_id} ended {status}: nothing was committed",
                statement_id=exc.statement_id,
            ) from exc
        self.abandon_session()
        if sql == "ROLLBACK":
            # Either it ran or the session's end rolls the work back: nothing is committed.
            logger.warning("the outcome of ROLLBACK is unknown; the session was abandoned: %s", exc)
            return
        raise OutcomeUnknownError(
            f"the outcome of COMMIT is unknown (the service did not answer): the "
            f"transaction may or may not have been committed; the session was ended: {exc}",
            statement_id=exc.statement_id,
        ) from exc

    def abandon_session(self) -> None:
        """End the session (best effort) and forget it and its transaction."""
        session_id = self.session_id
        self.forget(session_too=True)
        if session_id is None:
            return
        try:
            self.runner.submit(
                {"Sql": "ROLLBACK", "SessionId": session_id, "SessionKeepAliveSeconds": 0},
                wait=False,
            )
        except DatabaseError as exc:
            logger.debug("could not end session %s: %s", session_id, exc)

    def forget(self, session_too: bool) -> None:
        self.in_transaction = False
        self.failure = None
        if session_too:
            self.session_id = None
            self.session_lost = False
