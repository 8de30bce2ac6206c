"""The fields each Data API answer must carry, so that a lost answer is never taken for one.

botocore does not enforce Content-Length, and it parses an empty 2xx body as
``{}``: an answer cut or emptied on the way reaches the driver as a success
with fields missing.  :func:`check_response` tells such an answer from a real
one by the fields the operation always returns, and raises
:class:`~redshift_dataapi._core.retries.IncompleteResponseError`, which the
runner retries (the same ClientToken for submissions; every other call is a
read or a cancel) and, when the retries run out, raises as OperationalError.

The fields (beyond those the botocore model itself marks required):

================================  ===========================================
ExecuteStatement, BatchExecute    ``Id``
DescribeStatement                 ``Id``, ``Status``
GetStatementResult(V2)            ``Records``; on the first page (no
                                  NextToken sent) also ``ColumnMetadata``
                                  and ``TotalNumRows``
CancelStatement                   ``Status``
ListStatements                    ``Statements``
================================  ===========================================

Listing calls (ListDatabases, ListSchemas, ListTables, DescribeTable,
ListSessions) must carry at least one member: an answer with nothing at all
is lost, while an empty list is a real answer.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from .retries import IncompleteResponseError

__all__ = ["REQUIRED_FIELDS", "check_response", "required_fields"]

#: Fields every answer of the operation carries.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "ExecuteStatement": ("Id",),
    "BatchExecuteStatement": ("Id",),
    "DescribeStatement": ("Id", "Status"),
    "GetStatementResult": ("Records",),
    "GetStatementResultV2": ("Records",),
    "CancelStatement": ("Status",),
    "ListStatements": ("Statements",),
}

#: Fields of the first result page only (the request has no NextToken).
FIRST_PAGE_FIELDS: dict[str, tuple[str, ...]] = {
    "GetStatementResult": ("ColumnMetadata", "TotalNumRows"),
    "GetStatementResultV2": ("ColumnMetadata", "TotalNumRows"),
}

#: Operations whose answer must hold at least one member (an empty list counts).
NOT_EMPTY = frozenset(
    {"ListDatabases", "ListSchemas", "ListTables", "DescribeTable", "ListSessions"}
)


@functools.cache
def _model_required(operation: str) -> tuple[str, ...]:
    """Members the installed botocore model marks required in ``operation``'s output."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("redshift-data")
    try:
        shape = model.operation_model(operation).output_shape
    except Exception:  # an operation this botocore does not know
        return ()
    return tuple(shape.required_members) if shape is not None else ()


def required_fields(operation: str, request: Mapping[str, Any]) -> tuple[str, ...]:
    """The fields an answer to ``request`` must carry (see the module docstring)."""
    fields = list(REQUIRED_FIELDS.get(operation, ()))
    if not request.get("NextToken"):
        fields.extend(FIRST_PAGE_FIELDS.get(operation, ()))
    fields.extend(f for f in _model_required(operation) if f not in fields)
    return tuple(fields)


def check_response(operation: str, request: Mapping[str, Any], response: Mapping[str, Any]) -> None:
    """Raise IncompleteResponseError when ``response`` lacks a field it always carries."""
    for field in required_fields(operation, request):
        if response.get(field) is None:
            raise IncompleteResponseError(operation, field)
    if operation in NOT_EMPTY and not any(key != "ResponseMetadata" for key in response):
        raise IncompleteResponseError(operation, "member at all")
