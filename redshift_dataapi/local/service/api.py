"""The local Data API service: one handler per operation of the ``redshift-data`` model.

:class:`LocalDataAPI` checks each request against the botocore model
(:mod:`.validation`), then hands it to the handler of its operation:
:mod:`.statements` (Execute, BatchExecute, Describe, Cancel), :mod:`.results`
(GetStatementResult, V2), :mod:`.catalog` (ListDatabases, ListSchemas,
ListTables, DescribeTable), :mod:`.sessions` (ListSessions) and
:mod:`.listings` (ListStatements).  ``handle(operation, request)`` returns the
response as a dict (datetimes as aware ``datetime`` objects) or raises
:class:`ServiceError`; the transports (:mod:`..transport`) only frame it as
AWS JSON 1.1.

Decisions where the service's behaviour is not documented (more in each
handler module):

* With ``SessionId``, ``ClusterIdentifier``/``WorkgroupName``/``DbUser``/``SecretArn``
  are refused; ``Database`` is accepted only when it names the session's database.
* Results of a statement are kept ``retention_seconds`` after it ends; after
  that every call naming it gets ResourceNotFoundException.
* A session busy with a statement refuses another with ValidationException; a
  ClientToken reused with a different request within 8 hours too.
"""

from __future__ import annotations

import atexit
import collections
import logging
import os
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..._core.limits import (
    DEFAULT_RESULT_CAP_BYTES,
    MAX_ACTIVE_SESSIONS,
    MAX_ACTIVE_STATEMENTS,
    MAX_ROW_BYTES,
    MAX_SQL_BYTES,
    RESULT_RETENTION_SECONDS,
)
from ..aws.events import EventPublisher
from ..aws.settings import AwsSettings
from ..engines.base import DEFAULT_ADMIN_USER, Engine, EngineError
from ..engines.factory import create_engine
from ..errors import ServiceError, validation_error
from ..loads import LoadRunner
from ..runtime.clock import Clock, monotonic_clock, wall_clock
from ..runtime.completion import StatementEvents
from ..runtime.encoding import DEFAULT_PAGE_SIZE_BYTES, ResultLimits
from ..runtime.history import QueryHistory
from ..runtime.secrets import SecretResolver
from ..runtime.sessions import SessionRegistry
from ..runtime.statements import StatementStore
from ..runtime.workers import StatementWorkers
from ..transport.faults import FaultPlan
from . import catalog, listings, results, sessions, statements
from .context import Handler, Request, Response, ServiceContext
from .validation import operation_model, validate_request

__all__ = [
    "ADMIN_USER_ENV_VAR",
    "DEFAULT_MAX_WORKERS",
    "HANDLERS",
    "LocalDataAPI",
    "shared_service",
]

logger = logging.getLogger(__name__)

#: Statements that may run at once in one service (worker threads).
DEFAULT_MAX_WORKERS = 16
#: The setting naming the admin user when LocalDataAPI is not given one.
ADMIN_USER_ENV_VAR = "REDSHIFT_DATAAPI_LOCAL_ADMIN_USER"
#: How long close() lets cancelled statements roll back before closing the engine
#: (real seconds: it waits for worker threads).
_CLOSE_GRACE_SECONDS = 5.0

#: Every operation the service answers, by name.
HANDLERS: dict[str, Handler] = {
    **statements.HANDLERS,
    **results.HANDLERS,
    **listings.HANDLERS,
    **sessions.HANDLERS,
    **catalog.HANDLERS,
}


def _engine_from(engine: Engine | str | None) -> Engine:
    if isinstance(engine, Engine):
        return engine
    if engine is None or isinstance(engine, str):
        return create_engine(engine)
    raise TypeError(f"engine must be an Engine, a spec string or None, not {type(engine).__name__}")


def _admin_user(admin_user: str | None) -> str:
    if admin_user is None:
        admin_user = os.environ.get(ADMIN_USER_ENV_VAR) or DEFAULT_ADMIN_USER
    if not isinstance(admin_user, str) or not admin_user.strip():
        raise ValueError(f"admin_user must be a non-empty user name, not {admin_user!r}")
    return admin_user


def _check_settings(
    retention_seconds: float, page_size_bytes: int, result_cap_bytes: int, max_workers: int
) -> None:
    for name, value in (
        ("retention_seconds", retention_seconds),
        ("page_size_bytes", page_size_bytes),
        ("result_cap_bytes", result_cap_bytes),
    ):
        if value <= 0:
            raise ValueError(f"{name} must be positive, got {value!r}")
    if max_workers < 1:
        raise ValueError(f"max_workers must be at least 1, got {max_workers!r}")


class LocalDataAPI:
    """A Redshift Data API implementation over a local SQL engine.

    ``engine``: an :class:`Engine`, or a spec for :func:`engines.create_engine`
    ("duckdb", "duckdb:PATH", "postgresql://..."); None means in-memory DuckDB.
    ``retention_seconds``: how long results are kept after a statement ends.
    ``result_cap_bytes``: a bigger result makes the statement FAIL.
    ``page_size_bytes``: byte budget of one result page (see :mod:`..runtime.encoding`).
    ``max_workers``: statements that may run at once.
    ``secrets``: SecretArn -> credentials mapping or JSON file (see :mod:`..runtime.secrets`).
    ``aws``: where S3 (COPY, UNLOAD), EventBridge (WithEvent) and Secrets
    Manager (SecretArn) are; None: :meth:`AwsSettings.from_env`, by default
    the embedded moto server of this process (see :mod:`..aws`).
    ``admin_user``: the user with Redshift's admin rights, as whom requests
    without DbUser or SecretArn run (None: ``REDSHIFT_DATAAPI_LOCAL_ADMIN_USER``,
    else ``awsuser``); other users are ordinary users who need GRANTs
    (enforced by PostgreSQL, recorded only by DuckDB).
    ``row_limit_bytes``, ``max_sql_bytes``, ``max_active_statements``,
    ``max_sessions``: the service's limits, smaller for tests.
    ``clock``: the wall clock (epoch seconds) of CreatedAt/UpdatedAt, session
    expiry, result retention and ClientToken idempotency; ``monotonic``
    (seconds) measures Duration.  Pass a
    :class:`~redshift_dataapi.local.runtime.clock.ManualClock` to test expiry
    without waiting.
    ``faults``: a :class:`~redshift_dataapi.local.transport.faults.FaultPlan`
    both transports apply to this service's answers (None: no faults); the
    :attr:`faults` attribute may also be set later.
    ``access_keys``: access key id -> secret access key; when given, the HTTP
    transport refuses requests not SigV4-signed with one of them (see
    :mod:`~redshift_dataapi.local.transport.sigv4`).  None: any credentials.
    """

    def __init__(
        self,
        engine: Engine | str | None = None,
        *,
        retention_seconds: float = RESULT_RETENTION_SECONDS,
        result_cap_bytes: int = DEFAULT_RESULT_CAP_BYTES,
        page_size_bytes: int = DEFAULT_PAGE_SIZE_BYTES,
        max_workers: int = DEFAULT_MAX_WORKERS,
        secrets: Mapping[str, Mapping[str, Any]] | str | Path | None = None,
        row_limit_bytes: int = MAX_ROW_BYTES,
        max_sql_bytes: int = MAX_SQL_BYTES,
        max_active_statements: int = MAX_ACTIVE_STATEMENTS,
        max_sessions: int = MAX_ACTIVE_SESSIONS,
        clock: Clock = wall_clock,
        monotonic: Clock = monotonic_clock,
        aws: AwsSettings | None = None,
        faults: FaultPlan | None = None,
        access_keys: Mapping[str, str] | None = None,
        admin_user: str | None = None,
    ) -> None:
        _check_settings(retention_seconds, page_size_bytes, result_cap_bytes, max_workers)
        self.aws = aws if aws is not None else AwsSettings.from_env()
        self.engine = _engine_from(engine)
        self.engine.admin_user = _admin_user(admin_user)
        self.retention_seconds = retention_seconds
        self.page_size_bytes = page_size_bytes
        #: Calls per operation name (for benchmarks and tests).
        self.calls: collections.Counter[str] = collections.Counter()
        self._calls_lock = threading.Lock()
        self.store = StatementStore(retention_seconds, clock)
        self.sessions = SessionRegistry(max_sessions=max_sessions, clock=clock)
        #: COPY/UNLOAD runs (their history) and the WithEvent publisher.
        self.loads = LoadRunner(self.engine, self.aws)
        self.events = EventPublisher(self.aws)
        self.workers = StatementWorkers(
            self.engine,
            self.store,
            self.sessions,
            max_workers=max_workers,
            result_limits=ResultLimits(page_size_bytes, row_limit_bytes, result_cap_bytes),
            clock=clock,
            monotonic=monotonic,
            loads=self.loads,
            on_end=StatementEvents(self.events, retention_seconds),
            history=QueryHistory(self.engine, self.store),
        )
        self.context = ServiceContext(
            engine=self.engine,
            store=self.store,
            sessions=self.sessions,
            workers=self.workers,
            secrets=SecretResolver(secrets, self.aws),
            clock=clock,
            max_sql_bytes=max_sql_bytes,
            max_active_statements=max_active_statements,
        )
        #: The faults the transports inject into this service's answers (None: none).
        self.faults = faults
        #: Access keys the HTTP transport checks signatures against (None: no check).
        self.access_keys: dict[str, str] | None = (
            dict(access_keys) if access_keys is not None else None
        )
        self._closed = False

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran."""
        return self._closed

    # -- entry point -------------------------------------------------------------

    def handle(self, operation: str, params: Request | None) -> Response:
        """Run one Data API operation; raises :class:`ServiceError` on any error."""
        with self._calls_lock:
            self.calls[operation] += 1
        handler = HANDLERS.get(operation)
        if handler is None:
            operation_model(operation)  # raises UnknownOperationException for the wrong name
            raise ServiceError(
                "UnknownOperationException", f"Operation {operation} is not supported"
            )
        if self._closed:
            raise ServiceError("InternalServerException", "The local Data API service is closed")
        request: Request = {} if params is None else params
        subject = (
            request.get("Id") or request.get("SessionId") or "" if isinstance(request, dict) else ""
        )
        try:
            validate_request(operation, request)
            response = handler(self.context, request)
        except ServiceError as exc:
            logger.debug("%s %s -> %s", operation, subject, exc.code)
            raise
        except EngineError as exc:
            logger.debug("%s %s -> engine error", operation, subject)
            raise validation_error(exc.message) from exc
        except Exception as exc:
            logger.exception("%s failed", operation)
            raise ServiceError("InternalServerException", f"internal error: {exc}") from exc
        # One line per request: the operation and the statement it concerns (never
        # parameters or SQL text, which may carry secrets).
        logger.debug("%s %s", operation, response.get("Id") or subject)
        return response

    def close(self) -> None:
        """Stop the workers, close every session and the engine."""
        if self._closed:
            return
        self._closed = True
        # Interrupt running statements, and give them a moment to roll back, so that
        # the engine is not closed under a running query.
        running = [s for s in self.store.top_level() if not s.terminal]
        for statement in running:
            try:
                self.workers.cancel(statement)
            except ServiceError:
                pass
        deadline = time.monotonic() + _CLOSE_GRACE_SECONDS
        for statement in running:
            statement.done.wait(max(0.0, deadline - time.monotonic()))
        self.workers.shutdown()
        self.events.close()
        self.sessions.close()
        try:
            self.engine.close()
        except Exception:
            logger.debug("engine close failed", exc_info=True)

    def __enter__(self) -> LocalDataAPI:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_shared: dict[str, LocalDataAPI] = {}
_shared_lock = threading.Lock()
_atexit_registered = False


def _close_shared_services() -> None:
    """Close every shared service; runs at interpreter exit.

    Worker threads are daemons: left running, one can be inside DuckDB when the
    interpreter finalizes and kills it, which aborts the process ("terminate
    called without an active exception").  atexit runs before that, while
    every thread still works, so running statements are cancelled and the
    engines closed in order.
    """
    with _shared_lock:
        services = list(_shared.values())
        _shared.clear()
    for service in services:
        try:
            service.close()
        except Exception:  # exiting anyway: never turn a clean exit into a traceback
            logger.debug("closing a shared service at exit failed", exc_info=True)


def shared_service(spec: str = "duckdb") -> LocalDataAPI:
    """One service per engine spec per process, created on first use.

    The driver maps ``endpoint_url="local:"`` / ``"local:<spec>"`` to
    ``inprocess_client(shared_service(spec))``.  Shared services are closed at
    interpreter exit (:mod:`atexit`), so a script need not close anything.
    """
    global _atexit_registered
    spec = spec or "duckdb"
    with _shared_lock:
        service = _shared.get(spec)
        if service is None or service.closed:
            service = LocalDataAPI(spec)
            _shared[spec] = service
            if not _atexit_registered:
                atexit.register(_close_shared_services)
                _atexit_registered = True
        return service
