"""PEP 249 exceptions and the mapping of Data API failures onto them.

Two kinds of failure reach the driver:

* a modeled service error on a call (``botocore.exceptions.ClientError`` with a
  code such as ``ValidationException``): :func:`from_client_error` maps it;
* a statement that ends ``FAILED`` with the database's message in
  DescribeStatement's ``Error``: :func:`from_statement_error` maps it, by the
  SQLSTATE the message carries where it carries one (a table, as psycopg does),
  else by words in the message, else :class:`DatabaseError`.

Every message names the statement Id when there is one, and the botocore
exception stays available as ``__cause__`` (raise ... from it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

__all__ = [
    "RETRYABLE_CODES",
    "ConfigurationError",
    "DataError",
    "DatabaseError",
    "Error",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "NotSupportedError",
    "OperationalError",
    "ProgrammingError",
    "Warning",
    "client_error_code",
    "from_client_error",
    "from_statement_error",
    "sqlstate_of",
]


class Warning(Exception):
    """Important warnings (PEP 249)."""


class Error(Exception):
    """Base of every error the driver raises (PEP 249).

    ``statement_id`` is the Data API statement Id the error is about (or None),
    ``sqlstate`` the five-character SQLSTATE when the database reported one,
    ``code`` the Data API error code (e.g. ``ValidationException``) when a
    service call failed.
    """

    def __init__(
        self,
        message: str = "",
        *,
        statement_id: str | None = None,
        sqlstate: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.statement_id = statement_id
        self.sqlstate = sqlstate
        self.code = code


class InterfaceError(Error):
    """Misuse of the driver itself: closed objects, bad connect() keywords."""


class ConfigurationError(InterfaceError, ValueError):
    """A connect() keyword (or its environment variable) is wrong; the message names it.

    ``keywords`` are the connect() keywords the message names, so that a front
    end with other names for them (the command line's flags) can say the same
    thing in its own words with :meth:`spelled`.
    """

    def __init__(self, message: str, *, keywords: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.keywords = tuple(keywords)

    def spelled(self, spell: Callable[[str], str]) -> str:
        """The message with each keyword it names written as ``spell(keyword)``."""
        if not self.keywords:
            return self.message
        names = "|".join(re.escape(k) for k in sorted(self.keywords, key=len, reverse=True))
        pattern = re.compile(rf"(?<![\w-])({names})(?![\w-])")
        return pattern.sub(lambda match: spell(match.group(1)), self.message)


class DatabaseError(Error):
    """An error reported by the database or the Data API."""


class DataError(DatabaseError):
    """A problem with the processed data: bad value, division by zero, out of range."""


class OperationalError(DatabaseError):
    """The service or the database could not do the work: timeouts, cancellations,
    lost sessions, throttling that outlasted the retries."""


class IntegrityError(DatabaseError):
    """Relational integrity was violated (SQLSTATE class 23)."""


class InternalError(DatabaseError):
    """The database or service reported an internal error."""


class ProgrammingError(DatabaseError):
    """Bad SQL, missing objects, wrong parameters (SQLSTATE class 42 and friends)."""


class NotSupportedError(DatabaseError):
    """A method or database feature the Data API does not offer."""


#: Service error codes retried with backoff (the submission keeps its ClientToken).
#: ActiveSessionsExceeded is refused before any statement runs, so a retry cannot
#: run anything twice; the others are transient by the service's own description.
RETRYABLE_CODES = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "ActiveStatementsExceededException",
        "ActiveSessionsExceededException",
        "ActiveWaitingRequestsExceededException",
        "InternalServerException",
        "DatabaseConnectionException",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        # The rest of what botocore's standard retry mode treats as transient.
        "InternalFailure",
        "InternalServerError",
        "ThrottledException",
        "RequestThrottledException",
        "RequestThrottled",
        "ProvisionedThroughputExceededException",
        "BandwidthLimitExceeded",
        "SlowDown",
        "PriorRequestNotComplete",
        "RequestTimeout",
        "RequestTimeoutException",
    }
)

# Redshift (and PostgreSQL) put the code at the end: "... (SQLSTATE 23505)";
# some messages say "SQLSTATE: 42P01" or "[SQLSTATE 22012]".
_SQLSTATE = re.compile(r"SQLSTATE[\s:=\[]*([0-9A-Z]{5})\b")

# Exact codes first, then the two-character class.
_SQLSTATE_EXACT: dict[str, type[DatabaseError]] = {
    "57014": OperationalError,  # query_canceled
    "40001": OperationalError,  # serialization_failure: retry the transaction
    "40P01": OperationalError,  # deadlock_detected
    "0A000": NotSupportedError,  # feature_not_supported
}
_SQLSTATE_CLASS: dict[str, type[DatabaseError]] = {
    "08": OperationalError,  # connection exception
    "0A": NotSupportedError,
    "21": ProgrammingError,  # cardinality violation
    "22": DataError,
    "23": IntegrityError,
    "25": InternalError,  # invalid transaction state
    "26": ProgrammingError,
    "28": OperationalError,  # invalid authorization
    "2B": InternalError,
    "2D": InternalError,
    "34": ProgrammingError,
    "3D": ProgrammingError,  # invalid catalog (database) name
    "3F": ProgrammingError,  # invalid schema name
    "40": OperationalError,  # transaction rollback
    "42": ProgrammingError,
    "53": OperationalError,  # insufficient resources
    "54": OperationalError,  # program limit exceeded
    "55": OperationalError,
    "57": OperationalError,  # operator intervention
    "58": OperationalError,
    "XX": InternalError,
}

# Messages without a SQLSTATE: the wording Redshift and PostgreSQL use.
_MESSAGE_RULES: list[tuple[re.Pattern[str], type[DatabaseError]]] = [
    (
        re.compile(r"duplicate key|unique constraint|violates .*constraint|not-null", re.I),
        IntegrityError,
    ),
    (
        re.compile(
            r"syntax error|does not exist|not found|permission denied|ambiguous|"
            r"already exists|undefined|unrecognized|parser error|binder error|"
            r"catalog error",
            re.I,
        ),
        ProgrammingError,
    ),
    (
        re.compile(
            r"invalid input|out of range|division by zero|overflow|"
            r"conversion|cannot cast|invalid .*value",
            re.I,
        ),
        DataError,
    ),
    (re.compile(r"cancel|terminated|timeout|timed out", re.I), OperationalError),
]


def sqlstate_of(message: str | None) -> str | None:
    """The SQLSTATE a database message carries, or None."""
    if not message:
        return None
    match = _SQLSTATE.search(message)
    return match.group(1) if match else None


def _with_id(message: str, statement_id: str | None) -> str:
    if statement_id and statement_id not in message:
        return f"{message} [statement {statement_id}]"
    return message


def from_statement_error(message: str | None, statement_id: str | None) -> DatabaseError:
    """The exception for a statement that ended FAILED with ``message``."""
    text = message or "statement failed (the service gave no message)"
    state = sqlstate_of(text)
    cls: type[DatabaseError] = DatabaseError
    if state:
        cls = _SQLSTATE_EXACT.get(state) or _SQLSTATE_CLASS.get(state[:2], DatabaseError)
    else:
        for pattern, rule_cls in _MESSAGE_RULES:
            if pattern.search(text):
                cls = rule_cls
                break
    return cls(_with_id(text, statement_id), statement_id=statement_id, sqlstate=state)


def _client_error_parts(exc: BaseException) -> tuple[str, str]:
    response = getattr(exc, "response", None) or {}
    error = response.get("Error", {}) if isinstance(response, dict) else {}
    return str(error.get("Code", "")), str(error.get("Message", "") or exc)


def _server_side(exc: BaseException) -> bool:
    """Whether a failed call was answered with HTTP 429 or 5xx (busy or failing service)."""
    response = getattr(exc, "response", None)
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode") if response else None
    return isinstance(status, int) and (status == 429 or status >= 500)


def client_error_code(exc: BaseException) -> str:
    """The Data API error code of a botocore ClientError ('' for anything else)."""
    return _client_error_parts(exc)[0]


# ValidationException is about the request; these words say it is about a value.
_VALUE_WORDS = re.compile(
    r"parameter value|invalid value|value .*(invalid|too long)|"
    r"cannot be converted|invalid input",
    re.I,
)


_OPERATIONAL_CODES = frozenset(
    {
        "QueryTimeoutException",
        "AccessDeniedException",
        "UnrecognizedClientException",
        "ExpiredTokenException",
        "InvalidSignatureException",
    }
)


def from_client_error(
    exc: BaseException, statement_id: str | None = None, operation: str | None = None
) -> DatabaseError:
    """The PEP 249 exception for a failed service call (raise it ``from exc``)."""
    code, message = _client_error_parts(exc)
    where = f"{operation}: " if operation else ""
    text = _with_id(f"{where}{code or type(exc).__name__}: {message}", statement_id)
    cls: type[DatabaseError]
    if code == "ValidationException":
        cls = DataError if _VALUE_WORDS.search(message) else ProgrammingError
    elif code == "ResourceNotFoundException":
        cls = ProgrammingError
    elif code in ("ExecuteStatementException", "BatchExecuteStatementException"):
        state = sqlstate_of(message)
        if state:
            return from_statement_error(text, statement_id)
        cls = OperationalError
    elif code in RETRYABLE_CODES or code in _OPERATIONAL_CODES or _server_side(exc):
        # A busy or failing service (a 5xx page has no code but its status).
        cls = OperationalError
    else:
        cls = OperationalError if not code else DatabaseError
    return cls(text, statement_id=statement_id, sqlstate=sqlstate_of(message), code=code or None)
