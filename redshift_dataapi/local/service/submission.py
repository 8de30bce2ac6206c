"""Accepting a new statement: target and session, quota, ClientToken idempotency.

ExecuteStatement and BatchExecuteStatement build their statements differently
but accept them the same way (:func:`submit`):

* the request's target and credentials, or its session's (:func:`placement`):
  a session is acquired busy with the new statement, or opened when the
  request asks for one (``SessionKeepAliveSeconds`` > 0);
* ActiveStatementsExceededException past the quota of running statements;
* a ClientToken seen within the idempotency window with the same request
  answers with the first statement, run once; with another request it is
  refused.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import ServiceError, validation_error
from ..runtime.sessions import Session
from ..runtime.statements import Statement
from ..runtime.target import Target
from .context import Request, Response, ServiceContext
from .responses import submit_response
from .rules import check_target

__all__ = ["Placement", "placement", "submit"]

# Members that do not change what a request asks for: a retry may differ in them.
_NOT_FINGERPRINTED = ("ClientToken", "WaitTimeSeconds")


@dataclass(frozen=True)
class Placement:
    """Where a new statement runs: its target, and the session it runs in (if any)."""

    target: Target
    session: Session | None = None


#: Builds the statement(s) of a request, given its new Id and placement.
Build = Callable[[str, Placement], Statement]


def _fingerprint(request: Request) -> str:
    kept = {k: v for k, v in request.items() if k not in _NOT_FINGERPRINTED}
    return json.dumps(kept, sort_keys=True, default=str)


def _check_capacity(context: ServiceContext) -> None:
    if context.store.active_count() >= context.max_active_statements:
        raise ServiceError(
            "ActiveStatementsExceededException",
            f"Active statements exceeded the allowed quota of {context.max_active_statements}.",
        )


def submit(context: ServiceContext, request: Request, build: Build) -> Response:
    """Accept a new statement (or find the one its ClientToken made) and answer."""
    check_target(request, session_allowed=True)
    token = request.get("ClientToken")
    fingerprint = _fingerprint(request)
    store = context.store
    with context.submit_lock:
        existing = store.token_lookup(token, fingerprint) if token else None
        if existing is None:
            _check_capacity(context)
            statement_id = str(uuid.uuid4())
            where = placement(context, request, statement_id)
            try:
                statement = build(statement_id, where)
            except Exception:
                if where.session is not None:
                    context.sessions.release(where.session)
                raise
            store.add(statement)
            if token:
                store.token_record(token, fingerprint, statement.id)
    if existing is not None:
        # The same request again within the idempotency window: the first statement.
        statement = store.get(existing)
    else:
        context.workers.submit(statement, session=where.session)
    context.wait(statement, request)
    return submit_response(statement)


def placement(context: ServiceContext, request: Request, statement_id: str) -> Placement:
    """Target and session of a new statement (a session is acquired busy with it)."""
    session_id = request.get("SessionId")
    if session_id:
        return _in_session(context, request, session_id, statement_id)
    database = request.get("Database")
    if not database:
        raise validation_error("Database must be specified (or SessionId).")
    target = Target(
        database=database,
        cluster_identifier=request.get("ClusterIdentifier"),
        workgroup_name=request.get("WorkgroupName"),
        db_user=request.get("DbUser"),
        secret_arn=request.get("SecretArn"),
        engine_user=context.secrets.user_for(
            request.get("DbUser"), request.get("SecretArn"), request.get("ClusterIdentifier")
        )
        or context.engine.admin_user,
    )
    keep_alive = int(request.get("SessionKeepAliveSeconds") or 0)
    if keep_alive <= 0:
        return Placement(target)
    context.sessions.check_capacity()
    session = context.sessions.open(
        target, keep_alive_seconds=keep_alive, statement_id=statement_id
    )
    return Placement(target, session)


def _in_session(
    context: ServiceContext, request: Request, session_id: str, statement_id: str
) -> Placement:
    known = context.sessions.get(session_id)
    database = request.get("Database")
    if known is not None and database and database != known.target.database:
        raise validation_error(
            f"Database {database!r} does not match the session's database "
            f"{known.target.database!r}; omit Database when you pass SessionId."
        )
    given = request.get("SessionKeepAliveSeconds")
    session = context.sessions.acquire(
        session_id, statement_id, None if given is None else int(given)
    )
    return Placement(session.target, session)
