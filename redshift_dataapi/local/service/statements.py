"""Handlers of ExecuteStatement, BatchExecuteStatement, DescribeStatement and CancelStatement.

Decisions where the service's behaviour is not documented:

* ExecuteStatement with ``Parameters``: every ``:name`` in the SQL needs a value
  and every value a ``:name`` (ValidationException otherwise).  In a batch the
  Parameters list is shared: each sub-statement binds the names it references.
* ``WithEvent=True`` publishes the EventBridge event when the statement (a
  batch: the whole batch) ends (see :mod:`..runtime.completion`).
* CancelStatement on a sub-statement cancels its batch.
"""

from __future__ import annotations

from ..runtime.statements import Statement, StatementRequest, Timing
from .context import Handlers, Request, Response, ServiceContext
from .responses import describe_response
from .rules import batch_binds, check_sql, parameter_map, statement_bind
from .submission import Placement, submit

__all__ = [
    "HANDLERS",
    "batch_execute_statement",
    "cancel_statement",
    "describe_statement",
    "execute_statement",
]

#: ExecutionMode of a batch that does not name one.
DEFAULT_EXECUTION_MODE = "TRANSACTION"
#: ResultFormat of a statement that does not name one.
DEFAULT_RESULT_FORMAT = "JSON"


def execute_statement(context: ServiceContext, request: Request) -> Response:
    """ExecuteStatement: one SQL statement, run asynchronously."""
    sql: str = request["Sql"]
    check_sql(sql, context.max_sql_bytes)
    asked = StatementRequest(
        sql=sql,
        bind=statement_bind(sql, parameter_map(request)),
        parameters=request.get("Parameters"),
        result_format=request.get("ResultFormat") or DEFAULT_RESULT_FORMAT,
        statement_name=request.get("StatementName"),
        with_event=bool(request.get("WithEvent")),
    )

    def build(statement_id: str, where: Placement) -> Statement:
        return _new(context, statement_id, where, asked)

    return submit(context, request, build)


def batch_execute_statement(context: ServiceContext, request: Request) -> Response:
    """BatchExecuteStatement: up to 40 statements run in order on one connection."""
    sqls: list[str] = request["Sqls"]
    for index, sql in enumerate(sqls, start=1):
        check_sql(sql, context.max_sql_bytes, f"Sqls[{index}]")
    binds = batch_binds(sqls, parameter_map(request))
    result_format = request.get("ResultFormat") or DEFAULT_RESULT_FORMAT
    asked = StatementRequest(
        sql=None,
        parameters=request.get("Parameters"),
        result_format=result_format,
        statement_name=request.get("StatementName"),
        execution_mode=request.get("ExecutionMode") or DEFAULT_EXECUTION_MODE,
        with_event=bool(request.get("WithEvent")),
    )

    def build(statement_id: str, where: Placement) -> Statement:
        batch = _new(context, statement_id, where, asked)
        for number, (sql, bind) in enumerate(zip(sqls, binds, strict=True), start=1):
            sub_request = StatementRequest(sql=sql, bind=bind, result_format=result_format)
            sub = _new(context, f"{statement_id}:{number}", where, sub_request, parent=batch)
            batch.subs.append(sub)
        return batch

    return submit(context, request, build)


def _new(
    context: ServiceContext,
    statement_id: str,
    where: Placement,
    asked: StatementRequest,
    *,
    parent: Statement | None = None,
) -> Statement:
    """A new SUBMITTED statement (a sub-statement shares its batch's sequence number)."""
    return Statement(
        id=statement_id,
        seq=context.store.next_seq() if parent is None else parent.seq,
        target=where.target,
        request=asked,
        timing=Timing(created_at=context.clock() if parent is None else parent.timing.created_at),
        session_id=None if where.session is None else where.session.id,
        parent=parent,
    )


def describe_statement(context: ServiceContext, request: Request) -> Response:
    """DescribeStatement: a statement's (or sub-statement's) state and figures."""
    statement = context.store.get(request["Id"])
    context.wait(statement, request)
    with context.store.lock:
        return describe_response(statement, context.workers.monotonic_ns())


def cancel_statement(context: ServiceContext, request: Request) -> Response:
    """CancelStatement: abort a statement (a sub-statement's whole batch)."""
    statement = context.store.get(request["Id"])
    context.workers.cancel(statement.root)
    return {"Status": True}


HANDLERS: Handlers = {
    "ExecuteStatement": execute_statement,
    "BatchExecuteStatement": batch_execute_statement,
    "DescribeStatement": describe_statement,
    "CancelStatement": cancel_statement,
}
