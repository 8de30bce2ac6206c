"""The EventBridge event a WithEvent statement publishes when it ends.

The Data API sends ``source: aws.redshift-data``, ``detail-type: Redshift
Data Statement Status Change`` to the default event bus of the account when
a statement run with ``WithEvent=True`` reaches FINISHED, FAILED or ABORTED;
its detail holds ``principal``, ``statementName``, ``statementId``,
``redshiftQueryId``, ``state``, ``rows`` and ``expireAt`` (epoch seconds when
the result is no longer kept).  Rules and targets (an SQS queue, a Lambda...)
are the user's, set up on the same EventBridge endpoint.

Publishing happens on a background thread and never fails a statement: with
EventBridge turned off, or when the endpoint does not answer, a line is
logged and the event is dropped.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from dataclasses import dataclass
from typing import Any

from .settings import AwsSettings

__all__ = ["ACCOUNT_ID", "DETAIL_TYPE", "SOURCE", "EventPublisher", "StatementEvent"]

logger = logging.getLogger(__name__)

SOURCE = "aws.redshift-data"
DETAIL_TYPE = "Redshift Data Statement Status Change"
#: The account the local cluster lives in (moto's default account).
ACCOUNT_ID = "123456789012"


@dataclass(frozen=True)
class StatementEvent:
    """What an event says about one statement that ended."""

    statement_id: str
    state: str
    rows: int
    redshift_query_id: int
    expire_at: int
    principal: str
    statement_name: str | None = None
    cluster_identifier: str | None = None
    workgroup_name: str | None = None

    def resource_arn(self, region: str) -> str:
        """The ARN of the cluster or workgroup the statement ran on."""
        if self.workgroup_name:
            return (
                f"arn:aws:redshift-serverless:{region}:{ACCOUNT_ID}:workgroup/{self.workgroup_name}"
            )
        return f"arn:aws:redshift:{region}:{ACCOUNT_ID}:cluster:{self.cluster_identifier or ''}"

    def detail(self) -> dict[str, Any]:
        """The event's ``detail`` object, with the documented fields."""
        detail: dict[str, Any] = {"principal": self.principal}
        if self.statement_name:
            detail["statementName"] = self.statement_name
        detail.update(
            statementId=self.statement_id,
            redshiftQueryId=self.redshift_query_id,
            state=self.state,
            rows=self.rows,
            expireAt=self.expire_at,
        )
        return detail


class EventPublisher:
    """Publishes :class:`StatementEvent` objects to EventBridge from one daemon thread."""

    def __init__(self, settings: AwsSettings) -> None:
        self.settings = settings
        self._queue: queue.SimpleQueue[StatementEvent | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._client: Any = None
        #: Events published so far (tests and the demo read it).
        self.published = 0

    def publish(self, event: StatementEvent) -> None:
        """Queue ``event``; returns at once."""
        if not self.settings.enabled("events"):
            logger.info(
                "statement %s ended with WithEvent but EventBridge is turned off for this "
                "local endpoint: no event published",
                event.statement_id,
            )
            return
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="dataapi-events", daemon=True
                )
                self._thread.start()
        self._queue.put(event)

    def close(self) -> None:
        """Let the thread end once the events already queued are sent."""
        with self._lock:
            if self._thread is not None:
                self._queue.put(None)
                self._thread = None

    def _run(self) -> None:
        while True:
            event = self._queue.get()
            if event is None:
                return
            try:
                self._send(event)
            except Exception as exc:  # an event must never break the service
                logger.warning(
                    "could not publish the event of statement %s: %s", event.statement_id, exc
                )

    def _send(self, event: StatementEvent) -> None:
        if self._client is None:
            self._client = self.settings.client("events")
        region = self.settings.region
        entry = {
            "Source": SOURCE,
            "DetailType": DETAIL_TYPE,
            "Detail": json.dumps(event.detail()),
            "Resources": [event.resource_arn(region)],
        }
        response = self._client.put_events(Entries=[entry])
        if response.get("FailedEntryCount"):
            failed = response.get("Entries", [{}])[0]
            logger.warning(
                "EventBridge refused the event of statement %s: %s",
                event.statement_id,
                failed.get("ErrorMessage") or failed.get("ErrorCode"),
            )
            return
        self.published += 1
        logger.debug("published the event of statement %s (%s)", event.statement_id, event.state)
