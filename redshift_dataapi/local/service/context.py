"""What every handler of the local service works with, and the handler signature.

A handler is a plain function ``handler(context, request) -> response``: the
request is the operation's input as a dict (already checked against the
botocore model), the response its output as a dict (datetimes as aware
``datetime`` objects).  :class:`ServiceContext` holds the state they share.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..engines.base import Engine
from ..runtime.clock import Clock
from ..runtime.secrets import SecretResolver
from ..runtime.sessions import SessionRegistry
from ..runtime.statements import Statement, StatementStore
from ..runtime.workers import StatementWorkers

__all__ = ["Handler", "Handlers", "Request", "Response", "ServiceContext"]

#: An operation's input and output, as JSON objects.
Request = dict[str, Any]
Response = dict[str, Any]
Handler = Callable[["ServiceContext", Request], Response]
#: Operation name -> handler: what each handler module exports as HANDLERS.
Handlers = Mapping[str, Handler]


@dataclass
class ServiceContext:
    """The state of one local service, shared by its handlers.

    ``max_sql_bytes`` and ``max_active_statements`` are the limits the
    handlers enforce (the service's by default); ``clock`` is the service's
    wall clock (epoch seconds).
    """

    engine: Engine
    store: StatementStore
    sessions: SessionRegistry
    workers: StatementWorkers
    secrets: SecretResolver
    clock: Clock
    max_sql_bytes: int
    max_active_statements: int
    #: Serializes idempotency checks, quota checks and statement creation.
    submit_lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, statement: Statement, request: Request) -> None:
        """Long polling: hold the call up to WaitTimeSeconds or until the statement ends."""
        seconds = request.get("WaitTimeSeconds")
        if seconds and not statement.done.is_set():
            statement.done.wait(float(seconds))
