"""Which failed calls are transient (worth another attempt) and how long to wait before it.

The runner is the only retry layer (botocore's own retries are off, see
:mod:`redshift_dataapi._core.client`), so it must recognise every failure
botocore's standard retry mode would retry, and a few more:

* a modeled error whose code says the service is busy or failed inside
  (:data:`RETRYABLE_CODES`: throttling, ActiveStatementsExceeded,
  InternalServerException, InternalFailure, ServiceUnavailable...);
* any answer with HTTP status 429, 500, 502, 503 or 504, whatever its body:
  a proxy's HTML error page has no code at all (botocore names it by status);
* a connection that failed or broke: refused, reset, timed out, closed before
  the answer, or a body cut mid-way (urllib3's ProtocolError, http.client's
  IncompleteRead, botocore's ResponseStreamingError);
* a 2xx body that is not the JSON it claims to be (a cut body that botocore
  could not parse: ResponseParserError);
* a 2xx answer without the fields its operation always returns (an empty or
  cut body that parsed): :class:`IncompleteResponseError`, raised by
  :mod:`redshift_dataapi._core.responses`.

Retrying each of these is safe because every submission carries one
ClientToken for all its attempts (the service returns the statement the first
attempt started instead of running it again) and every other call is a read
or a cancel, which may be repeated.

Backoff: "full jitter" (AWS Architecture Blog, *Exponential Backoff And
Jitter*): attempt ``n`` waits a uniform random time in
``[0, min(cap, base * 2**(n-1))]``; both the sleep and the random source are
injectable so tests never wait.
"""

from __future__ import annotations

import http.client
from collections.abc import Callable
from dataclasses import dataclass

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotocoreConnectionError
from botocore.parsers import ResponseParserError
from urllib3.exceptions import HTTPError as Urllib3HTTPError

from ..errors import RETRYABLE_CODES, OperationalError

__all__ = [
    "RETRYABLE_STATUSES",
    "Backoff",
    "IncompleteResponseError",
    "OutcomeUnknownError",
    "transient_reason",
]

#: HTTP statuses retried whatever the body says (throttling and server-side failures).
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})

#: Exceptions that mean the call or its answer was lost on the way (never a refusal).
_TRANSPORT_ERRORS: tuple[type[BaseException], ...] = (
    HTTPClientError,  # ConnectionClosedError, ReadTimeoutError, ResponseStreamingError
    BotocoreConnectionError,  # EndpointConnectionError, ConnectTimeoutError, proxy, TLS
    Urllib3HTTPError,  # ProtocolError, IncompleteRead, DecodeError from a cut body
    http.client.HTTPException,  # IncompleteRead, RemoteDisconnected
    ConnectionError,  # reset, refused, broken pipe
    ResponseParserError,  # a cut or garbled 2xx body
)


class IncompleteResponseError(Exception):
    """A 2xx answer lacks a field its operation always returns: the answer was lost."""

    def __init__(self, operation: str, missing: str) -> None:
        super().__init__(f"{operation}: the response has no {missing} (incomplete response)")
        self.operation = operation
        self.missing = missing


class OutcomeUnknownError(OperationalError):
    """Transient failures outlasted the retries: the call may or may not have acted.

    Raised by the runner (an OperationalError like any other to the user); the
    connection tells it from a definite failure to settle a COMMIT or ROLLBACK
    whose outcome it does not know.
    """


def http_status(exc: BaseException) -> int | None:
    """The HTTP status of a botocore ClientError (None for anything else)."""
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return None
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return int(status) if isinstance(status, int) else None


def transient_reason(exc: BaseException) -> str | None:
    """Why ``exc`` is worth retrying (a short name for the log), or None when it is not."""
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        if code in RETRYABLE_CODES:
            return code
        status = http_status(exc)
        if status in RETRYABLE_STATUSES:
            return f"HTTP {status}"
        return None
    if isinstance(exc, IncompleteResponseError):
        return f"no {exc.missing}"
    if isinstance(exc, _TRANSPORT_ERRORS):
        return type(exc).__name__
    return None


@dataclass
class Backoff:
    """Full-jitter exponential backoff: attempt n sleeps U(0, min(cap, base * 2**(n-1)))."""

    base: float
    cap: float
    sleep: Callable[[float], None]
    uniform: Callable[[float, float], float]

    def delay(self, attempt: int) -> float:
        """The pause before retry number ``attempt`` (1 for the first retry)."""
        return self.uniform(0.0, min(self.cap, self.base * 2 ** (attempt - 1)))
