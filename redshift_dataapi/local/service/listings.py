"""Handler of ListStatements.

Top-level statements, newest first, filtered by Status, a StatementName
prefix, Database and the cluster or workgroup.  ``RoleLevel`` is ignored:
every caller sees every statement.  The NextToken holds the sequence number
of the last statement listed, so a page stays stable while new statements
arrive.
"""

from __future__ import annotations

from ..._core.limits import MAX_LIST_STATEMENTS_RESULTS
from ..errors import validation_error
from ..runtime.statements import Statement
from .context import Handlers, Request, Response, ServiceContext
from .responses import statement_item
from .tokens import decode_token, encode_token

__all__ = ["HANDLERS", "list_statements"]

#: The Status filter that lists every status.
ALL_STATUSES = "ALL"
# The first part of a ListStatements NextToken.
_LIST_TOKEN = "s"


def _before(request: Request) -> int | None:
    """The sequence number the request's NextToken continues below, if any."""
    token = request.get("NextToken")
    if not token:
        return None
    kind, seq = decode_token(token, 2)
    if kind != _LIST_TOKEN or not seq.isdigit():
        raise validation_error("Invalid NextToken for ListStatements.")
    return int(seq)


def _matches(statement: Statement, request: Request) -> bool:
    status = request.get("Status") or ALL_STATUSES
    if status != ALL_STATUSES and statement.status != status:
        return False
    name = request.get("StatementName")
    if name and not (statement.request.statement_name or "").startswith(name):
        return False
    target = statement.target
    wanted = (
        (request.get("Database"), target.database),
        (request.get("ClusterIdentifier"), target.cluster_identifier),
        (request.get("WorkgroupName"), target.workgroup_name),
    )
    return all(not asked or asked == value for asked, value in wanted)


def list_statements(context: ServiceContext, request: Request) -> Response:
    """ListStatements: one page of matching statements and a NextToken for the next."""
    limit = request.get("MaxResults") or MAX_LIST_STATEMENTS_RESULTS
    before = _before(request)
    selected: list[Statement] = []
    more = False
    for statement in context.store.top_level():
        if before is not None and statement.seq >= before:
            continue
        if not _matches(statement, request):
            continue
        if len(selected) == limit:
            more = True
            break
        selected.append(statement)
    with context.store.lock:
        items = [statement_item(statement) for statement in selected]
    response: Response = {"Statements": items}
    if more and selected:
        response["NextToken"] = encode_token(_LIST_TOKEN, selected[-1].seq)
    return response


HANDLERS: Handlers = {"ListStatements": list_statements}
