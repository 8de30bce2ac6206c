"""AWS JSON 1.1 framing shared by both transports.

A request is ``X-Amz-Target: RedshiftData.<Operation>`` plus a JSON object body;
a response is the operation's output as JSON (timestamps as epoch seconds, the
JSON 1.1 default) or an error body ``{"__type": code, "message": ...}`` with
the error's HTTP status.  The in-process transport goes through exactly this
code and botocore's real parser, so both transports answer identically.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
from typing import TYPE_CHECKING, Any

from ..errors import ServiceError

if TYPE_CHECKING:
    from ..service.api import LocalDataAPI

__all__ = ["ACCEPTED_CONTENT_TYPES", "CONTENT_TYPE", "TARGET_PREFIX", "dispatch", "serialize"]

logger = logging.getLogger(__name__)

TARGET_PREFIX = "RedshiftData."
CONTENT_TYPE = "application/x-amz-json-1.1"
ACCEPTED_CONTENT_TYPES = frozenset(
    {"application/x-amz-json-1.1", "application/x-amz-json-1.0", "application/json"}
)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.timestamp()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode()
    raise TypeError(f"cannot serialize {type(value).__name__}")


def serialize(payload: Any) -> bytes:
    """JSON bytes of a response or error body."""
    return json.dumps(payload, default=_json_default, separators=(",", ":")).encode("utf-8")


def dispatch(
    service: LocalDataAPI, target: str | None, body: bytes | str | None, content_type: str | None
) -> tuple[int, bytes]:
    """Answer one AWS JSON 1.1 request: (HTTP status, response body bytes)."""
    try:
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
        if not isinstance(params, dict):
            raise ServiceError("SerializationException", "The request body must be a JSON object.")
    except ServiceError as exc:
        logger.debug("%s refused: %s", target, exc.code)
        return exc.http_status, serialize(exc.to_body())
    try:
        return 200, serialize(service.handle(operation, params))
    except ServiceError as exc:  # handle() has logged it
        return exc.http_status, serialize(exc.to_body())
    except Exception as exc:  # a transport must never crash on a handler bug
        logger.exception("unexpected failure answering %s", target)
        error = ServiceError("InternalServerException", f"internal error: {exc}")
        return error.http_status, serialize(error.to_body())
