"""AWS JSON 1.1 framing shared by both transports.

A request is ``X-Amz-Target: RedshiftData.<Operation>`` plus a JSON object body;
a response is the operation's output as JSON (timestamps as epoch seconds, the
JSON 1.1 default) or an error body ``{"__type": code, "message": ...}`` with
the error's HTTP status.  The in-process transport goes through exactly this
code and botocore's real parser, so both transports answer identically.

:func:`answer` also applies the service's :class:`~.faults.FaultPlan`: it returns
a :class:`Reply` that says how the transport delivers the answer (whole, not at
all, or cut halfway), so that both transports inject the same faults.
"""

from __future__ import annotations

import enum
import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ServiceError
from ..response_json import serialize
from .faults import FaultKind, FaultPlan

if TYPE_CHECKING:
    from ..service.api import LocalDataAPI

__all__ = [
    "ACCEPTED_CONTENT_TYPES",
    "CONTENT_TYPE",
    "TARGET_PREFIX",
    "Delivery",
    "Reply",
    "answer",
    "dispatch",
    "serialize",
]

logger = logging.getLogger(__name__)

TARGET_PREFIX = "RedshiftData."
CONTENT_TYPE = "application/x-amz-json-1.1"
ACCEPTED_CONTENT_TYPES = frozenset(
    {"application/x-amz-json-1.1", "application/x-amz-json-1.0", "application/json"}
)


class Delivery(enum.Enum):
    """How a transport delivers a :class:`Reply`."""

    #: Status, headers and the whole body.
    WHOLE = "whole"
    #: Nothing: the connection closes without an answer.
    NONE = "none"
    #: Status and headers declaring the whole body, then only its first half.
    CUT = "cut"


@dataclass(frozen=True)
class Reply:
    """One answer: what to send and how (see :class:`Delivery`)."""

    status: int
    payload: bytes
    content_type: str = CONTENT_TYPE
    delivery: Delivery = Delivery.WHOLE
    #: The fault injected into this answer, if any.
    fault: FaultKind | None = None

    @property
    def cut_at(self) -> int:
        """How many body bytes a CUT delivery sends (always fewer than all)."""
        return len(self.payload) // 2


_GATEWAY_REASONS = {
    FaultKind.BAD_GATEWAY: (502, "Bad Gateway"),
    FaultKind.SERVICE_UNAVAILABLE: (503, "Service Unavailable"),
    FaultKind.GATEWAY_TIMEOUT: (504, "Gateway Time-out"),
}


def _error_reply(error: ServiceError, fault: FaultKind | None = None) -> Reply:
    return Reply(error.http_status, serialize(error.to_body()), fault=fault)


def _fault_before_service(fault: FaultKind) -> Reply | None:
    """The answer of a fault that stops the request before the service sees it."""
    if fault is FaultKind.THROTTLE:
        return _error_reply(ServiceError("ThrottlingException", "Rate exceeded", 400), fault)
    if fault is FaultKind.INTERNAL:
        error = ServiceError("InternalServerException", "injected internal error", 500)
        return _error_reply(error, fault)
    if fault in _GATEWAY_REASONS:
        status, reason = _GATEWAY_REASONS[fault]
        page = (
            f"<html>\r\n<head><title>{status} {reason}</title></head>\r\n"
            f"<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n</body>\r\n</html>\r\n"
        )
        return Reply(status, page.encode("ascii"), "text/html", fault=fault)
    if fault is FaultKind.DROP_REQUEST:
        return Reply(0, b"", delivery=Delivery.NONE, fault=fault)
    return None


def _parse(
    target: str | None, body: bytes | str | None, content_type: str | None
) -> tuple[str, dict[str, Any]]:
    """(operation, parameters) of a request; raises ServiceError for a malformed one."""
    if content_type is not None:
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type not in ACCEPTED_CONTENT_TYPES:
            raise ServiceError(
                "UnsupportedMediaTypeException",
                f"Content-Type {content_type!r} is not supported; use {CONTENT_TYPE}.",
            )
    if not target or not target.startswith(TARGET_PREFIX):
        raise ServiceError(
            "UnknownOperationException",
            f"X-Amz-Target {target!r} does not name a RedshiftData operation.",
        )
    operation = target[len(TARGET_PREFIX) :]
    if isinstance(body, str):
        body = body.encode("utf-8")
    try:
        params = json.loads(body) if body and body.strip() else {}
    except (ValueError, UnicodeDecodeError) as exc:
        raise ServiceError(
            "SerializationException", f"The request body is not valid JSON: {exc}"
        ) from exc
    except RecursionError as exc:  # "[" * 100_000: the parser recurses per level
        raise ServiceError(
            "SerializationException", "The request body is nested too deeply to be read."
        ) from exc
    if not isinstance(params, dict):
        raise ServiceError("SerializationException", "The request body must be a JSON object.")
    return operation, params


def _run(service: LocalDataAPI, operation: str, params: dict[str, Any]) -> Reply:
    try:
        return Reply(200, serialize(service.handle(operation, params)))
    except ServiceError as exc:  # handle() has logged it
        return _error_reply(exc)
    except Exception as exc:  # a transport must never crash on a handler bug
        logger.exception("unexpected failure answering %s", operation)
        return _error_reply(ServiceError("InternalServerException", f"internal error: {exc}"))


def answer(
    service: LocalDataAPI,
    target: str | None,
    body: bytes | str | None,
    content_type: str | None,
    faults: FaultPlan | None = None,
) -> Reply:
    """Answer one AWS JSON 1.1 request, injecting a fault of ``faults`` if it draws one.

    ``faults`` None uses ``service.faults``.  Only well-formed requests draw
    faults: a malformed one is refused as usual.
    """
    try:
        operation, params = _parse(target, body, content_type)
    except ServiceError as exc:
        logger.debug("%s refused: %s", target, exc.code)
        return _error_reply(exc)
    plan = faults if faults is not None else service.faults
    fault = plan.draw(operation, params) if plan is not None else None
    if fault is not None:
        early = _fault_before_service(fault)
        if early is not None:
            return early
    reply = _run(service, operation, params)
    if fault is None:
        return reply
    assert plan is not None
    if fault is FaultKind.SLOW:
        plan.sleep(plan.slow_seconds)
        return Reply(reply.status, reply.payload, reply.content_type, fault=fault)
    if fault is FaultKind.EMPTY:
        return Reply(200, b"", fault=fault)
    if fault is FaultKind.CUT_RESPONSE:
        return Reply(reply.status, reply.payload, delivery=Delivery.CUT, fault=fault)
    # DROP_RESPONSE: the service acted; the answer is lost.
    return Reply(0, b"", delivery=Delivery.NONE, fault=fault)


def dispatch(
    service: LocalDataAPI, target: str | None, body: bytes | str | None, content_type: str | None
) -> tuple[int, bytes]:
    """Answer one AWS JSON 1.1 request: (HTTP status, response body bytes), without faults."""
    reply = answer(service, target, body, content_type, faults=_NO_FAULTS)
    return reply.status, reply.payload


#: A plan with no rules: :func:`dispatch` never injects faults.
_NO_FAULTS = FaultPlan()
