"""The shapes of the local service's responses, from its runtime records.

One function per shape the model defines more than once (a statement as
Execute, Describe and ListStatements show it; a session; a table), so that
every operation reports the same record the same way.  Timestamps are aware
``datetime`` objects; the transports serialize them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..engines.base import TableInfo
from ..runtime.sessions import Session
from ..runtime.statements import Statement
from ..runtime.target import Target
from .context import Response

__all__ = [
    "describe_response",
    "session_item",
    "statement_item",
    "submit_response",
    "table_item",
    "target_members",
    "timestamp",
]


def timestamp(epoch: float) -> dt.datetime:
    """Epoch seconds as the aware UTC datetime a response carries."""
    return dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc)


def _given(members: dict[str, Any]) -> dict[str, Any]:
    """The members that have a value (optional members are left out, not null)."""
    return {key: value for key, value in members.items() if value}


def target_members(target: Target) -> dict[str, str]:
    """ClusterIdentifier, WorkgroupName, DbUser and SecretArn, where the request had them."""
    members = {
        "ClusterIdentifier": target.cluster_identifier,
        "WorkgroupName": target.workgroup_name,
        "DbUser": target.db_user,
        "SecretArn": target.secret_arn,
    }
    return {key: value for key, value in members.items() if value is not None}


def submit_response(statement: Statement) -> Response:
    """ExecuteStatement's and BatchExecuteStatement's answer."""
    response: Response = {
        "Id": statement.id,
        "CreatedAt": timestamp(statement.timing.created_at),
        "Database": statement.target.database,
        "Status": statement.status,
        **target_members(statement.target),
    }
    if statement.session_id is not None:
        response["SessionId"] = statement.session_id
    if statement.execution.redshift_pid is not None:
        response["RedshiftPid"] = statement.execution.redshift_pid
    if statement.terminal:
        response["HasResultSet"] = statement.has_result_set
    return response


def _duration(statement: Statement, now_ns: int) -> int:
    """Duration in ns: final once it ended, running time while it runs, -1 before."""
    started = statement.timing.started_ns
    if started is None:
        return -1
    if statement.terminal:
        return statement.timing.duration_ns
    return now_ns - started


def _identity(statement: Statement) -> Response:
    """Id, Status, CreatedAt and UpdatedAt: what every view of a statement starts with."""
    return {
        "Id": statement.id,
        "Status": statement.status,
        "CreatedAt": timestamp(statement.timing.created_at),
        "UpdatedAt": timestamp(statement.timing.updated_at),
    }


def _described(statement: Statement, now_ns: int) -> Response:
    """The members a statement and a sub-statement both report in DescribeStatement."""
    outcome = statement.outcome
    data: Response = {
        **_identity(statement),
        "Duration": _duration(statement, now_ns),
        "HasResultSet": statement.has_result_set,
        "ResultRows": -1 if outcome is None else outcome.rows,
        "ResultSize": -1 if outcome is None else outcome.size,
        "RedshiftQueryId": statement.execution.redshift_query_id or 0,
    }
    if statement.request.sql is not None:
        data["QueryString"] = statement.request.sql
    if outcome is not None and outcome.error is not None:
        data["Error"] = outcome.error
    return data


def describe_response(statement: Statement, now_ns: int) -> Response:
    """DescribeStatement's answer (``now_ns``: the monotonic clock, for Duration).

    A sub-statement reports its batch's target, session and result format.
    """
    data = _described(statement, now_ns)
    root = statement.root
    data["Database"] = root.target.database
    data["ResultFormat"] = root.request.result_format
    if root.execution.redshift_pid is not None:
        data["RedshiftPid"] = root.execution.redshift_pid
    data.update(target_members(root.target))
    if root.session_id is not None:
        data["SessionId"] = root.session_id
    if statement.parent is None and statement.request.parameters:
        data["QueryParameters"] = statement.request.parameters
    if statement.is_batch:
        data["ExecutionMode"] = statement.request.execution_mode
        data["SubStatements"] = [_described(sub, now_ns) for sub in statement.subs]
    return data


def statement_item(statement: Statement) -> Response:
    """One entry of ListStatements."""
    request = statement.request
    item: Response = {
        **_identity(statement),
        "IsBatchStatement": statement.is_batch,
        "ResultFormat": request.result_format,
    }
    if statement.is_batch:
        item["QueryStrings"] = [sub.request.sql for sub in statement.subs]
    else:
        item["QueryString"] = request.sql
    optional: dict[str, Any] = {
        "SecretArn": statement.target.secret_arn,
        "StatementName": request.statement_name,
        "SessionId": statement.session_id,
        "QueryParameters": request.parameters,
    }
    return {**item, **_given(optional)}


def session_item(session: Session) -> Response:
    """One entry of ListSessions."""
    target = session.target
    ended = session.closed_at if session.closed and session.closed_at else session.expires_at
    item: Response = {
        "SessionId": session.id,
        "Status": session.status,
        "CreatedAt": timestamp(session.created_at),
        "UpdatedAt": timestamp(session.updated_at),
        "Database": target.database,
        "SessionAliveSeconds": session.keep_alive_seconds,
        "SessionTtl": timestamp(ended),
    }
    optional: dict[str, Any] = {
        "DbUser": target.db_user,
        "ClusterIdentifier": target.cluster_identifier,
        "WorkgroupName": target.workgroup_name,
        "CurrentStatementId": session.current_statement_id,
    }
    return {**item, **_given(optional)}


def table_item(table: TableInfo) -> Response:
    """One entry of ListTables."""
    return {"name": table.name, "schema": table.schema, "type": table.type}
