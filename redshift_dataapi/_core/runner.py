"""The only caller of the Data API: a statement's life, result pages, catalog pages, any verb.

This is the one module that calls the ``redshift-data`` client: the cursor,
the connection, the catalog calls, the command line and (through the
connection) the dialect go through :class:`StatementRunner` and never call a
client method themselves.

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

Progress.  ``wait(progress=...)`` calls the callback with a
:class:`StatementProgress` after every DescribeStatement (and once at the
start when the status is known).  With a callback each long poll is held for
at most :data:`PROGRESS_WAIT_SECONDS`, so that a live status line moves at
least that often; that costs about one DescribeStatement per second of the
statement's run, against one per ``wait_time_seconds`` without it.

Retries.  Transient failures (:mod:`redshift_dataapi._core.retries`:
throttling and busy codes, HTTP 429/5xx with any body, InternalFailure and
InternalServerException, broken or cut connections, unparseable 2xx bodies)
and answers that lack a field their operation always carries (a lost answer,
:mod:`redshift_dataapi._core.responses`) are retried up to ``max_retries``
times with full-jitter exponential backoff (100 ms base, 5 s cap; the sleep
and the random source are injectable), then raised as OperationalError with
the last failure as ``__cause__``.  Every ExecuteStatement/BatchExecuteStatement
submission carries a ClientToken generated once and reused on each retry, so a
retried submission whose first attempt did reach the service returns the same
statement instead of running it twice; every other call is a read or a
cancel, safe to repeat.  This is the only retry layer: the clients the project
builds have botocore's retries off (see :mod:`redshift_dataapi._core.client`).

Cancelling.  :meth:`StatementRunner.cancel` returns True when the service
accepted the CancelStatement and False when the statement had already ended
(the service refuses to cancel it; one DescribeStatement confirms the final
status).  A KeyboardInterrupt during a submission, before its Id arrived,
sends the same request again with the same ClientToken (which returns the
statement the first attempt started, or starts it) and cancels that.
"""

from __future__ import annotations

import functools
import logging
import math
import random
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore import xform_name
from botocore.exceptions import ClientError

from ..errors import (
    DatabaseError,
    OperationalError,
    client_error_code,
    from_client_error,
    from_statement_error,
)
from .limits import MIN_WAIT_TIME_SECONDS
from .responses import check_response
from .retries import Backoff, IncompleteResponseError, OutcomeUnknownError, transient_reason
from .settings import DEFAULT_MAX_RETRIES, DEFAULT_WAIT_TIME_SECONDS
from .statuses import ABORTED, FAILED, FINAL_STATUSES

if TYPE_CHECKING:
    from mypy_boto3_redshift_data import RedshiftDataAPIServiceClient

logger = logging.getLogger(__name__)

__all__ = [
    "PROGRESS_WAIT_SECONDS",
    "StatementProgress",
    "StatementRunner",
    "Submission",
    "failed_error",
    "paginator_config",
    "supports_long_polling",
]

#: Backoff for retried calls (seconds): full jitter over base * 2**attempt, capped.
RETRY_BASE_DELAY = 0.1
RETRY_MAX_DELAY = 5.0
#: Polling backoff without long polling (seconds).
POLL_FIRST_DELAY = 0.01
POLL_MAX_DELAY = 1.0
#: Longest long poll while a progress callback is waiting for news.
PROGRESS_WAIT_SECONDS = MIN_WAIT_TIME_SECONDS

#: The operations that submit a statement (and so carry a ClientToken).
SUBMISSIONS = frozenset({"ExecuteStatement", "BatchExecuteStatement"})


@dataclass
class Submission:
    """An accepted submission: its Id and what the submit call already told us."""

    statement_id: str
    status: str | None
    response: dict[str, Any]
    submitted_at: float


@dataclass(frozen=True)
class StatementProgress:
    """What a wait knows so far: the statement's status and the seconds since it began."""

    statement_id: str
    status: str
    elapsed: float


ProgressCallback = Callable[[StatementProgress], None]


def supports_long_polling(client: Any, operation: str = "ExecuteStatement") -> bool:
    """Whether ``client``'s model has WaitTimeSeconds on ``operation``."""
    try:
        shape = client.meta.service_model.operation_model(operation).input_shape
    except Exception:  # a stub without a model: assume the old behaviour
        return False
    return shape is not None and "WaitTimeSeconds" in shape.members


@functools.cache
def paginator_config(service: str, operation: str) -> dict[str, Any] | None:
    """botocore's pagination rule of ``operation`` (None when it does not page)."""
    import botocore.session

    model = botocore.session.get_session().get_paginator_model(service)
    try:
        config: dict[str, Any] = model.get_paginator(operation)
    except ValueError:
        return None
    return config


class StatementRunner:
    """Makes every Data API call of one connection (or command), with retries and waiting."""

    def __init__(
        self,
        client: RedshiftDataAPIServiceClient,
        *,
        max_retries: int = DEFAULT_MAX_RETRIES,
        wait_time_seconds: int = DEFAULT_WAIT_TIME_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
        uniform: Callable[[float, float], float] = random.uniform,
    ) -> None:
        self.client = client
        self.max_retries = max_retries
        self.wait_time_seconds = wait_time_seconds
        #: Whether waits use WaitTimeSeconds (from the client's model; settable).
        self.long_polling = supports_long_polling(client)
        #: What backoff and polling pauses call (``time.sleep``; tests replace it).
        self.sleep = sleep
        #: The random source of the retry jitter (``random.uniform``; tests replace it).
        self.uniform = uniform

    # -- calls -------------------------------------------------------------

    def call(
        self, operation: str, statement_id: str | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """One Data API call with bounded, jittered retries of transient failures.

        The answer is checked for the fields its operation always carries (a
        lost answer is retried like a transient failure).  Errors become PEP
        249 exceptions (the botocore exception as ``__cause__``); exhausted
        retries raise OperationalError.
        """
        method = getattr(self.client, xform_name(operation))
        backoff = Backoff(RETRY_BASE_DELAY, RETRY_MAX_DELAY, self.sleep, self.uniform)
        attempt = 0
        while True:
            try:
                response: dict[str, Any] = method(**kwargs)
                check_response(operation, kwargs, response)
                return response
            except Exception as exc:
                reason = transient_reason(exc)
                if reason is None:
                    if isinstance(exc, ClientError):
                        raise from_client_error(exc, statement_id, operation) from exc
                    raise
                if attempt < self.max_retries:
                    attempt += 1
                    delay = backoff.delay(attempt)
                    logger.debug(
                        "%s: %s, retry %d/%d in %.3fs (statement %s)",
                        operation,
                        reason,
                        attempt,
                        self.max_retries,
                        delay,
                        statement_id,
                    )
                    self.sleep(delay)
                    continue
                raise self._exhausted(operation, statement_id, exc, attempt) from exc

    @staticmethod
    def _exhausted(
        operation: str, statement_id: str | None, exc: Exception, attempts: int
    ) -> OutcomeUnknownError:
        """The OperationalError for a transient failure that outlasted the retries."""
        if isinstance(exc, ClientError):
            text = from_client_error(exc, statement_id, operation).message
        else:
            what = "lost response" if isinstance(exc, IncompleteResponseError) else "failed"
            where = f" [statement {statement_id}]" if statement_id else ""
            text = f"{operation} {what}: {exc}{where}"
        return OutcomeUnknownError(
            f"{text} (gave up after {attempts + 1} attempts)",
            statement_id=statement_id,
            code=client_error_code(exc) or None,
        )

    def call_operation(self, operation: str, request: Mapping[str, Any]) -> dict[str, Any]:
        """Any Data API operation by its name (``ListStatements``...), with the retries.

        A submission without a ClientToken gets one, so that a retry cannot run
        the statement twice.
        """
        kwargs = dict(request)
        if operation in SUBMISSIONS:
            kwargs.setdefault("ClientToken", str(uuid.uuid4()))
        return self.call(operation, kwargs.get("Id"), **kwargs)

    def paginate(
        self,
        operation: str,
        request: Mapping[str, Any],
        *,
        max_items: int | None = None,
        starting_token: str | None = None,
        page_size: int | None = None,
    ) -> dict[str, Any]:
        """Every page of ``operation`` merged into one response, as the AWS CLI merges them.

        ``max_items`` stops after that many items and returns a ``NextToken``
        that ``starting_token`` resumes from; ``page_size`` is the MaxResults
        of each call.  Each page is one :meth:`call` (with the retries).
        Raises ValueError for an operation that does not page.
        """
        from botocore.paginate import Paginator

        service_model = self.client.meta.service_model
        config = paginator_config(service_model.service_name, operation)
        if config is None:
            raise ValueError(f"{operation} does not page")
        paging: dict[str, Any] = {}
        if max_items is not None:
            paging["MaxItems"] = max_items
        if starting_token is not None:
            paging["StartingToken"] = starting_token
        if page_size is not None:
            paging["PageSize"] = page_size
        method = functools.partial(self.call, operation, request.get("Id"))
        # botocore calls ``method`` for each page; its stubs type it as a str.
        paginator: Paginator[dict[str, Any]] = Paginator(
            method,  # type: ignore[arg-type]
            config,
            service_model.operation_model(operation),
        )
        merged: dict[str, Any] = paginator.paginate(
            **request, PaginationConfig=paging
        ).build_full_result()
        return merged

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
            kwargs["WaitTimeSeconds"] = self._wait_seconds(timeout, self.wait_time_seconds)
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
            self._cancel_interrupted_submission(operation, kwargs)
            raise
        statement_id = response["Id"]
        logger.debug(
            "%s -> statement %s status %s", operation, statement_id, response.get("Status")
        )
        status = response.get("Status") if "WaitTimeSeconds" in kwargs else None
        return Submission(statement_id, status, response, started)

    def _cancel_interrupted_submission(self, operation: str, kwargs: Mapping[str, Any]) -> None:
        """Ctrl-C during a submit: the Id never arrived.

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
        self.cancel_quietly(response["Id"])

    @staticmethod
    def _wait_seconds(remaining: float | None, cap: int) -> int:
        if remaining is None:
            return cap
        return max(MIN_WAIT_TIME_SECONDS, min(cap, math.ceil(remaining)))

    # -- waiting -----------------------------------------------------------

    def wait(
        self,
        statement_id: str,
        *,
        status: str | None = None,
        started: float | None = None,
        timeout: float | None = None,
        progress: ProgressCallback | None = None,
    ) -> dict[str, Any] | None:
        """Wait until the statement is final; raise for FAILED/ABORTED.

        ``status`` is what the submit already said (None = unknown), ``started``
        the ``time.monotonic()`` of the submission (default: now).  Returns the
        last DescribeStatement response, or None when no DescribeStatement was
        needed (the long-polled submit already said FINISHED).  ``progress`` is
        called with each status seen (see the module docstring).
        """
        begun = time.monotonic() if started is None else started
        deadline = None if timeout is None else begun + timeout
        cap = self.wait_time_seconds if progress is None else PROGRESS_WAIT_SECONDS
        described: dict[str, Any] | None = None
        delay = POLL_FIRST_DELAY
        try:
            if progress is not None and status is not None:
                progress(StatementProgress(statement_id, status, time.monotonic() - begun))
            while status not in FINAL_STATUSES:
                remaining = self._remaining(statement_id, deadline, timeout)
                if not self.long_polling and status is not None:
                    self.sleep(self._bounded(delay, deadline))
                    delay = min(delay * 2, POLL_MAX_DELAY)
                seconds = self._wait_seconds(remaining, cap) if self.long_polling else 0
                before = time.monotonic()
                described = self._describe_waiting(statement_id, seconds)
                held = time.monotonic() - before
                status = described.get("Status")
                if progress is not None:
                    progress(StatementProgress(statement_id, str(status), time.monotonic() - begun))
                if seconds and status not in FINAL_STATUSES and held < seconds / 2:
                    # An early answer without a final status: the server did not
                    # hold the call, so back off rather than spin.
                    self.sleep(self._bounded(delay, deadline))
                    delay = min(delay * 2, POLL_MAX_DELAY)
        except KeyboardInterrupt:
            self.cancel_quietly(statement_id)
            raise
        return self._final(statement_id, status, described)

    def _remaining(
        self, statement_id: str, deadline: float | None, timeout: float | None
    ) -> float | None:
        """Seconds left before the timeout; past it, cancel and raise."""
        if deadline is None:
            return None
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            self.cancel_quietly(statement_id)
            raise OperationalError(
                f"statement {statement_id} ran longer than the timeout of "
                f"{timeout:g} s and was cancelled",
                statement_id=statement_id,
            )
        return remaining

    def _describe_waiting(self, statement_id: str, seconds: int) -> dict[str, Any]:
        """DescribeStatement, held up to ``seconds`` by long polling (0: not held)."""
        if seconds:
            return self.call(
                "DescribeStatement", statement_id, Id=statement_id, WaitTimeSeconds=seconds
            )
        return self.describe(statement_id)

    def _final(
        self, statement_id: str, status: str | None, described: dict[str, Any] | None
    ) -> dict[str, Any] | None:
        if status == FAILED:
            if described is None or "Error" not in described:
                described = self.describe(statement_id)
            raise failed_error(described, statement_id)
        if status == ABORTED:
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

    # -- cancelling --------------------------------------------------------

    def cancel(self, statement_id: str) -> bool:
        """CancelStatement: True when the service cancelled, False when it had already ended.

        Any other refusal (an unknown Id, a malformed one) raises.
        """
        logger.debug("CancelStatement %s", statement_id)
        try:
            response = self.call("CancelStatement", statement_id, Id=statement_id)
        except DatabaseError as exc:
            if exc.code != "ValidationException":
                raise
            # The service refuses to cancel a statement that has ended; its
            # wording is not part of the contract, so ask for the status.
            if self.describe(statement_id).get("Status") in FINAL_STATUSES:
                return False
            raise
        return bool(response.get("Status"))

    def cancel_quietly(self, statement_id: str) -> None:
        """CancelStatement when the outcome does not matter (timeouts, interrupts, close)."""
        try:
            self.call("CancelStatement", statement_id, Id=statement_id)
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
            if sub.get("Status") == FAILED and sub.get("Error"):
                message = f"{sub.get('Id')}: {sub['Error']}"
                break
    return from_statement_error(message, statement_id)
