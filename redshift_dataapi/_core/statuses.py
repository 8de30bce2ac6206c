"""Statement and session statuses of the Data API, shared by the driver and the local endpoint."""

from __future__ import annotations

__all__ = [
    "ABORTED",
    "FAILED",
    "FINAL_STATUSES",
    "FINISHED",
    "PICKED",
    "SESSION_AVAILABLE",
    "SESSION_BUSY",
    "SESSION_CLOSED",
    "SESSION_STATUSES",
    "STARTED",
    "STATUSES",
    "SUBMITTED",
]

SUBMITTED = "SUBMITTED"
PICKED = "PICKED"
STARTED = "STARTED"
FINISHED = "FINISHED"
FAILED = "FAILED"
ABORTED = "ABORTED"

#: Every status, in the order a statement passes through them.
STATUSES = (SUBMITTED, PICKED, STARTED, FINISHED, FAILED, ABORTED)
#: A statement in one of these has ended and will not change again.
FINAL_STATUSES = frozenset({FINISHED, FAILED, ABORTED})

# Sessions (the model's SessionStatusString): idle and open, running a
# statement, or ended.
SESSION_AVAILABLE = "AVAILABLE"
SESSION_BUSY = "BUSY"
SESSION_CLOSED = "CLOSED"
#: Every session status.
SESSION_STATUSES = (SESSION_AVAILABLE, SESSION_BUSY, SESSION_CLOSED)
