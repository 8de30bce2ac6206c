"""NextToken: what the local service puts in it, and paging a list with it.

A token is URL-safe base64 (no padding) of ``|``-joined parts; the first part
says which call issued it, so a token is refused by any other call.  Result
pages use ``r|<statement Id>|<page>``, ListStatements ``s|<seq>`` and the
catalog and ListSessions ``<Operation>|<offset>``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import validation_error
from .context import Request, Response

__all__ = ["decode_token", "encode_token", "paginate"]


def encode_token(*parts: object) -> str:
    """A NextToken holding ``parts``."""
    raw = "|".join(str(p) for p in parts).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str, expected_parts: int) -> list[str]:
    """The parts of a NextToken; ValidationException when it is not one of ours."""
    try:
        padded = token + "=" * (-len(token) % 4)
        parts = base64.urlsafe_b64decode(padded.encode()).decode().split("|")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        parts = []
    if len(parts) != expected_parts:
        raise validation_error(f"Invalid NextToken: {token!r} was not issued for this request.")
    return parts


def paginate(
    operation: str,
    key: str,
    items: Sequence[Any],
    request: Request,
    convert: Callable[[Any], Any] | None = None,
    *,
    default_limit: int,
) -> Response:
    """The response holding one page of ``items`` under ``key``, and its NextToken.

    ``MaxResults`` (else ``default_limit``) items from the offset the request's
    NextToken holds; ``convert`` turns each item into its response shape.
    """
    limit = request.get("MaxResults") or default_limit
    offset = 0
    if request.get("NextToken"):
        kind, value = decode_token(request["NextToken"], 2)
        if kind != operation or not value.isdigit():
            raise validation_error(f"Invalid NextToken for {operation}.")
        offset = int(value)
    page = items[offset : offset + limit]
    response: Response = {key: list(page) if convert is None else list(map(convert, page))}
    if offset + limit < len(items):
        response["NextToken"] = encode_token(operation, offset + limit)
    return response
