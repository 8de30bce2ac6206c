"""Handler of ListSessions.

Idle sessions past their keep-alive are closed before the list is read, so a
listing never shows an expired session as AVAILABLE.  ``SessionId`` filters
by the session's Id (a ``:suffix`` the driver may add is ignored).
"""

from __future__ import annotations

from collections.abc import Callable

from ..._core.limits import MAX_LIST_SESSIONS_RESULTS
from ..runtime.sessions import Session
from .context import Handlers, Request, Response, ServiceContext
from .responses import session_item
from .tokens import paginate

__all__ = ["HANDLERS", "list_sessions"]

# Request member -> the session's value it filters on.
_FILTERS: dict[str, Callable[[Session], str | None]] = {
    "SessionId": lambda s: s.id,
    "Status": lambda s: s.status,
    "ClusterIdentifier": lambda s: s.target.cluster_identifier,
    "WorkgroupName": lambda s: s.target.workgroup_name,
    "Database": lambda s: s.target.database,
}


def list_sessions(context: ServiceContext, request: Request) -> Response:
    """ListSessions: newest first, filtered by the request's members."""
    context.sessions.reap()
    sessions = context.sessions.all()
    for key, attribute in _FILTERS.items():
        wanted = request.get(key)
        if wanted:
            if key == "SessionId":
                wanted = wanted.split(":", 1)[0]
            sessions = [s for s in sessions if attribute(s) == wanted]
    return paginate(
        "ListSessions",
        "Sessions",
        sessions,
        request,
        session_item,
        default_limit=MAX_LIST_SESSIONS_RESULTS,
    )


HANDLERS: Handlers = {"ListSessions": list_sessions}
