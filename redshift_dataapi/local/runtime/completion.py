"""What happens when a top-level statement ends: the WithEvent event.

:class:`StatementEvents` is the workers' completion hook.  For a statement
run with ``WithEvent=True`` it publishes the documented EventBridge event
(:mod:`..aws.events`): its state (FINISHED, FAILED or ABORTED), ResultRows,
RedshiftQueryId, StatementName and ``expireAt``, the epoch second its result
stops being kept.  The principal is the local account's IAM user named
after the database user the statement ran as (``local`` for the admin),
since the local endpoint does not know the caller's IAM identity.
"""

from __future__ import annotations

from ..aws.events import ACCOUNT_ID, EventPublisher, StatementEvent
from .statements import Statement

__all__ = ["StatementEvents"]


class StatementEvents:
    """Publishes the event of every WithEvent statement that ends."""

    def __init__(self, publisher: EventPublisher, retention_seconds: float) -> None:
        self.publisher = publisher
        self.retention_seconds = retention_seconds

    def __call__(self, statement: Statement) -> None:
        if not statement.request.with_event:
            return
        outcome = statement.outcome
        ended = statement.timing.ended_at or statement.timing.updated_at
        target = statement.target
        user = target.db_user or target.engine_user or "local"
        self.publisher.publish(
            StatementEvent(
                statement_id=statement.id,
                state=statement.status,
                rows=outcome.rows if outcome is not None else -1,
                redshift_query_id=statement.execution.redshift_query_id or -1,
                expire_at=int(ended + self.retention_seconds),
                principal=f"arn:aws:iam::{ACCOUNT_ID}:user/{user}",
                statement_name=statement.request.statement_name,
                cluster_identifier=target.cluster_identifier,
                workgroup_name=target.workgroup_name,
            )
        )
