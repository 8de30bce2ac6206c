"""Errors the local Data API returns, with the service's ``__type`` codes and HTTP statuses.

Handlers raise :class:`ServiceError`; both transports turn it into the AWS JSON 1.1
error body ``{"__type": code, "message": ..., "Message": ...}`` (plus modeled members
such as ``ResourceId``) with :attr:`ServiceError.http_status`.  botocore then raises the
modeled exception class (``client.exceptions.ValidationException`` and so on).
"""

from __future__ import annotations

from typing import Any

__all__ = ["HTTP_STATUS", "ServiceError", "not_found", "validation_error"]

#: HTTP status per error code.  The Data API answers client mistakes with 400 and its
#: own failures with 500; botocore retries 5xx, so only real server faults use it.
HTTP_STATUS: dict[str, int] = {
    "ValidationException": 400,
    "ResourceNotFoundException": 400,
    "ActiveStatementsExceededException": 400,
    "ActiveSessionsExceededException": 400,
    "ActiveWaitingRequestsExceededException": 400,
    "ExecuteStatementException": 400,
    "BatchExecuteStatementException": 400,
    "QueryTimeoutException": 400,
    "DatabaseConnectionException": 500,
    "InternalServerException": 500,
    "UnknownOperationException": 400,
    "SerializationException": 400,
    "UnsupportedMediaTypeException": 415,
    "RequestEntityTooLargeException": 413,
}


class ServiceError(Exception):
    """A Data API error: ``code`` is the ``__type`` botocore maps to an exception class."""

    def __init__(
        self,
        code: str,
        message: str,
        http_status: int | None = None,
        **members: Any,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.http_status = http_status if http_status is not None else HTTP_STATUS.get(code, 400)
        #: Extra modeled members of the error shape (ResourceId, StatementId...).
        self.members = members

    def to_body(self) -> dict[str, Any]:
        """The JSON error body of the AWS JSON 1.1 protocol."""
        body: dict[str, Any] = {"__type": self.code, "message": self.message}
        body["Message"] = self.message
        body.update(self.members)
        return body


def validation_error(message: str) -> ServiceError:
    """A ValidationException (HTTP 400): the request is invalid."""
    return ServiceError("ValidationException", message)


def not_found(message: str, resource_id: str) -> ServiceError:
    """A ResourceNotFoundException naming the missing resource."""
    return ServiceError("ResourceNotFoundException", message, ResourceId=resource_id)
