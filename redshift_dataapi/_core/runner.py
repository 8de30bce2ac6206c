"""One Data API statement's life: submit, wait, cancel, describe, result pages.

This is the only module that calls ExecuteStatement, BatchExecuteStatement,
DescribeStatement, GetStatementResult(V2) and CancelStatement; the cursor,
connection, CLI and dialect go through :class:`StatementRunner`.

Waiting.  When the installed botocore's model has ``WaitTimeSeconds`` (checked
at run time on the client's own model), ExecuteStatement is sent with it, so a
statement that finishes within the wait costs exactly one call and no
DescribeStatement; a longer one is waited for with long-polled
DescribeStatement calls.  Without long polling, DescribeStatement is polled
with capped exponential backoff starting at 10 ms (doubling up to 1 s, with
jitter).  A server that answers a long poll early without a final status
(e.g. one that ignores WaitTimeSeconds) gets the same backoff, so the loop
never spins.  The ``timeout`` is measured from submission; at expiry the
statement is cancelled (CancelStatement) and OperationalError naming its Id is
raised.  A KeyboardInterrupt during a wait also cancels, then propagates.
With long polling the expiry is noticed within a second (waits are whole
seconds).

Retries.  Throttling, ActiveStatementsExceeded, ActiveSessionsExceeded,
ActiveWaitingRequestsExceeded, InternalServer and DatabaseConnection errors and
connection-level failures are retried up to ``max_retries`` times with
full-jitter exponential backoff (100 ms base, 5 s cap), then raised as
OperationalError.  ActiveSessionsExceeded is safe to retry: it refuses the
request before anything runs.  Every ExecuteStatement/BatchExecuteStatement
submission carries a ClientToken generated once and reused on each retry, so a
retried submission whose first attempt did reach the service returns the same
statement instead of running it twice.  The default client is built with
botocore's own retries off (``total_max_attempts=1``) so that the two layers never
multiply; a client you pass in keeps its own configuration.
"""

from __future__ import annotations

import logging
import math
import random
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from ..errors import (
    RETRYABLE_CODES,
    DatabaseError,
    OperationalError,
    client_error_code,
    from_client_error,
    from_statement_error,
)

logger = logging.getLogger(__name__)

__all__ = ["FINAL_STATUSES", "StatementRunner", "Submission"]

FINAL_STATUSES = frozenset({"FINISHED", "FAILED", "ABORTED"})

#: Backoff for retried calls (seconds): full jitter over base * 2**attempt, capped.
RETRY_BASE_DELAY = 0.1
RETRY_MAX_DELAY = 5.0
#: Polling backoff without long polling (seconds).
POLL_FIRST_DELAY = 0.01
POLL_MAX_DELAY = 1.0

_CONNECTION_ERRORS = (
    EndpointConnectionError,
    ConnectionClosedError,
    ReadTimeoutError,
    ConnectTimeoutError,
)

_METHODS = {
    "ExecuteStatement": "execute_statement",
    "BatchExecuteStatement": "batch_execute_statement",
    "DescribeStatement": "describe_statement",
    "GetStatementResult": "get_statement_result",
    "GetStatementResultV2": "get_statement_result_v2",
    "CancelStatement": "cancel_statement",
    "ListDatabases": "list_databases",
    "ListSchemas": "list_schemas",
    "ListTables": "list_tables",
    "DescribeTable": "describe_table",
}


@dataclass
class Submission:
    """An accepted submission: its Id and what the submit call already told us."""

    statement_id: str
    status: str | None
    response: dict[str, Any]
    submitted_at: float


def supports_long_polling(client: Any, operation: str = "ExecuteStatement") -> bool:
    """Whether ``client``'s model has WaitTimeSeconds on ``operation``."""
    try:
        shape = client.meta.service_model.operation_model(operation).input_shape
    except Exception:  # a stub without a model: assume the old behaviour
        return False
    return shape is not None and "WaitTimeSeconds" in shape.members


class StatementRunner:
    """Makes every statement call of one connection, with retries and waiting."""

    def __init__(
        self,
        client: Any,
        *,
        max_retries: int = 5,
        wait_time_seconds: int = 20,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.max_retries = max_retries
        self.wait_time_seconds = wait_time_seconds
        self.long_polling = supports_long_polling(client)
        self._sleep = sleep

    # -- calls -------------------------------------------------------------

    def call(
        self, operation: str, statement_id: str | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """One Data API call with bounded, jittered retries of transient failures.

        Errors become PEP 249 exceptions (botocore's exception as ``__cause__``).
        """
        method = getattr(self.client, _METHODS.get(operation, operation))
        attempt = 0
        while True:
            try:
                response: dict[str, Any] = method(**kwargs)
                return response
            except ClientError as exc:
                code = client_error_code(exc)
                if code in RETRYABLE_CODES and attempt < self.max_retries:
                    attempt += 1
                    self._backoff(operation, code, attempt, statement_id)
                    continue
                raise from_client_error(exc, statement_id, operation) from exc
            except _CONNECTION_ERRORS as exc:
                if attempt < self.max_retries:
                    attempt += 1
                    self._backoff(operation, type(exc).__name__, attempt, statement_id)
                    continue
                where = f" [statement {statement_id}]" if statement_id else ""
                raise OperationalError(
                    f"{operation}: {exc}{where}",
                    statement_id=statement_id,
                ) from exc

    def _backoff(self, operation: str, reason: str, attempt: int, statement_id: str | None) -> None:
        delay = random.uniform(0, min(RETRY_MAX_DELAY, RETRY_BASE_DELAY * 2 ** (attempt - 1)))
        logger.debug(
            "%s: %s, retry %d/%d in %.3fs (statement %s)",
            operation,
            reason,
            attempt,
            self.max_retries,
            delay,
            statement_id,
        )
        self._sleep(delay)

    # -- submission --------------------------------------------------------

    def submit(
        self,
        request: Mapping[str, Any],
        *,
        batch: bool = False,
        wait: bool = True,
        timeout: float | None = None,
    ) -> Submission:
        """Send ExecuteStatement (or BatchExecuteStatement with ``batch``).

        ``request`` holds everything but ClientToken and WaitTimeSeconds, which
        this adds.  With ``wait`` and long polling the call itself waits for the
        statement (up to the wait time, or less when ``timeout`` is shorter).
        """
        operation = "BatchExecuteStatement" if batch else "ExecuteStatement"
        kwargs = dict(request)
        kwargs["ClientToken"] = str(uuid.uuid4())
        if wait and self.long_polling:
            kwargs["WaitTimeSeconds"] = self._wait_seconds(timeout)
        if logger.isEnabledFor(logging.DEBUG):
            sql = kwargs.get("Sqls") if batch else kwargs.get("Sql")
            names = [p["name"] for p in kwargs.get("Parameters") or ()]
            logger.debug(
                "%s session=%s params=%s sql=%r", operation, kwargs.get("SessionId"), names, sql
            )
        started = time.monotonic()
        try:
            response = self.call(operation, None, **kwargs)
        except KeyboardInterrupt:
            if "WaitTimeSeconds" in kwargs:
                self._cancel_interrupted_submission(operation, kwargs)
            raise
        statement_id = response["Id"]
        logger.debug(
            "%s -> statement %s status %s", operation, statement_id, response.get("Status")
        )
        status = response.get("Status") if "WaitTimeSeconds" in kwargs else None
        return Submission(statement_id, status, response, started)

    def _cancel_interrupted_submission(self, operation: str, kwargs: Mapping[str, Any]) -> None:
        """Ctrl-C during a long-polled submit: the Id never arrived.

        Sending the same request again with the same ClientToken returns the
        statement the first attempt started (or starts it, if it never arrived),
        without waiting, and then it is cancelled.
        """
        again = {k: v for k, v in kwargs.items() if k != "WaitTimeSeconds"}
        try:
            response = self.call(operation, None, **again)
        except (DatabaseError, KeyboardInterrupt) as exc:
            logger.debug("could not recover the interrupted %s: %s", operation, exc)
            return
        self._cancel_quietly(response["Id"])

    def _wait_seconds(self, remaining: float | None) -> int:
        if remaining is None:
            return self.wait_time_seconds
        return max(1, min(self.wait_time_seconds, math.ceil(remaining)))

    # -- waiting -----------------------------------------------------------

    def wait(
        self,
        statement_id: str,
        *,
        status: str | None = None,
        started: float | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any] | None:
        """Wait until the statement is final; raise for FAILED/ABORTED.

        ``status`` is what the submit already said (None = unknown).  Returns the
        last DescribeStatement response, or None when no DescribeStatement was
        needed (the long-polled submit already said FINISHED).
        """
        deadline = None if timeout is None else (started or time.monotonic()) + timeout
        described: dict[str, Any] | None = None
        delay = POLL_FIRST_DELAY
        try:
            while status not in FINAL_STATUSES:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    self._cancel_quietly(statement_id)
                    raise OperationalError(
                        f"statement {statement_id} ran longer than the timeout of "
                        f"{timeout:g} s and was cancelled",
                        statement_id=statement_id,
                    )
                if self.long_polling:
                    seconds = self._wait_seconds(remaining)
                    before = time.monotonic()
                    described = self.call(
                        "DescribeStatement", statement_id, Id=statement_id, WaitTimeSeconds=seconds
                    )
                    status = described.get("Status")
                    # An early answer without a final status: the server did not
                    # hold the call, so back off rather than spin.
                    if status not in FINAL_STATUSES and time.monotonic() - before < seconds / 2:
                        self._sleep(self._bounded(delay, deadline))
                        delay = min(delay * 2, POLL_MAX_DELAY)
                else:
                    if status is not None:
                        self._sleep(self._bounded(delay, deadline))
                        delay = min(delay * 2, POLL_MAX_DELAY)
                    described = self.call("DescribeStatement", statement_id, Id=statement_id)
                    status = described.get("Status")
        except KeyboardInterrupt:
            self._cancel_quietly(statement_id)
            raise
        if status == "FAILED":
            if described is None or "Error" not in described:
                described = self.call("DescribeStatement", statement_id, Id=statement_id)
            raise failed_error(described, statement_id)
        if status == "ABORTED":
            raise OperationalError(
                f"statement {statement_id} was aborted (cancelled) before it finished",
                statement_id=statement_id,
            )
        return described

    @staticmethod
    def _bounded(delay: float, deadline: float | None) -> float:
        jittered = delay * random.uniform(0.8, 1.2)
        if deadline is None:
            return jittered
        return max(0.0, min(jittered, deadline - time.monotonic()))

    def describe(self, statement_id: str) -> dict[str, Any]:
        """A fresh DescribeStatement."""
        return self.call("DescribeStatement", statement_id, Id=statement_id)

    def cancel(self, statement_id: str) -> bool:
        """CancelStatement; True when the service says it cancelled."""
        logger.debug("CancelStatement %s", statement_id)
        response = self.call("CancelStatement", statement_id, Id=statement_id)
        return bool(response.get("Status"))

    def _cancel_quietly(self, statement_id: str) -> None:
        try:
            self.cancel(statement_id)
        except DatabaseError as exc:
            # It may have finished meanwhile; the caller raises its own error.
            logger.debug("CancelStatement %s failed: %s", statement_id, exc)

    # -- results -----------------------------------------------------------

    def pages(
        self, operation: str, statement_id: str | None, request: Mapping[str, Any]
    ) -> Iterator[dict[str, Any]]:
        """Every page of a paginated call, following each NextToken."""
        token: str | None = None
        while True:
            kwargs = dict(request)
            if token:
                kwargs["NextToken"] = token
            page = self.call(operation, statement_id, **kwargs)
            yield page
            token = page.get("NextToken")
            if not token:
                return

    def result_pages(self, statement_id: str, csv: bool = False) -> Iterator[dict[str, Any]]:
        """GetStatementResult (or V2 for CSV) pages, following every NextToken."""
        operation = "GetStatementResultV2" if csv else "GetStatementResult"
        return self.pages(operation, statement_id, {"Id": statement_id})


def failed_error(described: Mapping[str, Any], statement_id: str) -> DatabaseError:
    """The exception for a FAILED statement (from its DescribeStatement)."""
    message = described.get("Error")
    if not message:
        for sub in described.get("SubStatements") or ():
            if sub.get("Status") == "FAILED" and sub.get("Error"):
                message = f"{sub.get('Id')}: {sub['Error']}"
                break
    return from_statement_error(message, statement_id)
