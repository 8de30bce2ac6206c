"""Turning whatever went wrong into the one line the command prints.

A user mistake (bad SQL, an unknown statement id, a missing database, a wrong
flag combination, an endpoint that does not answer, no AWS credentials) must
end the command with one clear line on stderr and a non-zero exit, never a
traceback; ``--debug`` shows the traceback as well.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "EXIT_FAILURE",
    "EXIT_INTERRUPTED",
    "EXIT_USAGE",
    "CliError",
    "UsageError",
    "describe_exception",
]

#: Exit status for a usage mistake (argparse uses the same).
EXIT_USAGE = 2
#: Exit status for anything else that failed.
EXIT_FAILURE = 1
#: Exit status after Ctrl-C, as shells report a SIGINT death (128 + 2).
EXIT_INTERRUPTED = 130


class CliError(Exception):
    """A failure the command reports as one line; ``exit_code`` is the process status."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class UsageError(CliError):
    """A wrong flag, value or flag combination given on the command line."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_USAGE)


def _client_error_line(exc: Any) -> str:
    error = exc.response.get("Error", {})
    code = error.get("Code", "Error")
    message = error.get("Message") or str(exc)
    operation = getattr(exc, "operation_name", None)
    where = f" (calling {operation})" if operation else ""
    return f"{code}{where}: {message}"


def describe_exception(exc: BaseException) -> str:
    """Return the single line that explains ``exc`` to a user.

    Knows botocore's exceptions (endpoint down, no credentials, no region,
    service errors) and the driver's PEP 249 errors, whose message already
    carries the database's text; anything else falls back to its type and text.
    """
    if isinstance(exc, CliError):
        return exc.message
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        # The driver needs boto3 only; the local endpoint, the dialect, pandas
        # and so the demo come with extras.
        return (
            f"the Python package {exc.name!r} is not installed: "
            "pip install 'redshift-dataapi[all]' (the local endpoint, SQLAlchemy and "
            "pandas parts are extras)"
        )
    try:
        from botocore import exceptions as bexc
    except ImportError:  # pragma: no cover - boto3 is a hard dependency
        bexc = None  # type: ignore[assignment]
    if bexc is not None:
        if isinstance(exc, bexc.EndpointConnectionError):
            url = exc.kwargs.get("endpoint_url", "")
            return (
                f"could not connect to the endpoint URL {url}: is the endpoint running "
                "and the URL right? (a local endpoint starts with "
                "'redshift-dataapi local serve')"
            )
        if isinstance(exc, bexc.NoCredentialsError):
            return (
                "no AWS credentials found: configure them the usual way (aws configure, "
                "AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or an instance role), "
                "or use --endpoint-url local: to run on the local endpoint"
            )
        if isinstance(exc, bexc.NoRegionError):
            return "no AWS region: give --region or set AWS_REGION / AWS_DEFAULT_REGION"
        if isinstance(exc, bexc.ParamValidationError):
            return "invalid request: " + " ".join(str(exc).split())
        if isinstance(exc, bexc.ClientError):
            return _client_error_line(exc)
        if isinstance(exc, bexc.BotoCoreError):
            return " ".join(str(exc).split())
    cause = exc.__cause__
    if bexc is not None and isinstance(cause, bexc.BotoCoreError):
        # The driver wraps botocore's transport and credential errors; their
        # own explanation says better what to do.
        return describe_exception(cause)
    text = " ".join(str(exc).split())
    if not text and cause is not None:
        return describe_exception(cause)
    return text or type(exc).__name__
