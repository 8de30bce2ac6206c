"""Handlers of GetStatementResult (JSON records) and GetStatementResultV2 (CSV chunks).

A statement's result is encoded once, when it ends (:mod:`..runtime.encoding`),
and served page by page; the NextToken names the statement and the page.
GetStatementResult on a statement that has not finished, failed, or has no
result set: ValidationException "Query does not have result. Please check
query status with DescribeStatement." (after waiting ``WaitTimeSeconds`` if
given).  Each call serves the ResultFormat it is for and names the other.
"""

from __future__ import annotations

from ..._core.statuses import FINISHED
from ..errors import validation_error
from ..runtime.encoding import EncodedResult
from ..runtime.statements import Statement
from .context import Handlers, Request, Response, ServiceContext
from .tokens import decode_token, encode_token

__all__ = ["HANDLERS", "get_statement_result", "get_statement_result_v2"]

NO_RESULT = "Query does not have result. Please check query status with DescribeStatement."
_WRONG_CALL = {
    "JSON": "has ResultFormat CSV: fetch its result with GetStatementResultV2.",
    "CSV": "has ResultFormat JSON: fetch its result with GetStatementResult; "
    "GetStatementResultV2 serves ResultFormat CSV.",
}
# The first part of a result page's NextToken.
_PAGE_TOKEN = "r"


def _result_of(
    context: ServiceContext, request: Request, result_format: str
) -> tuple[Statement, EncodedResult]:
    """The statement named by the request and its result, in ``result_format``."""
    statement = context.store.get(request["Id"])
    if statement.is_batch:
        raise validation_error(
            "BatchExecuteStatement result can only be retrieved with sub-statement id."
        )
    context.wait(statement, request)
    outcome = statement.outcome
    if statement.status != FINISHED or outcome is None or outcome.result is None:
        raise validation_error(NO_RESULT)
    if outcome.result.result_format != result_format:
        raise validation_error(f"Statement {statement.id} {_WRONG_CALL[result_format]}")
    return statement, outcome.result


def _page(statement: Statement, result: EncodedResult, request: Request) -> Response:
    index = 0
    token = request.get("NextToken")
    if token:
        kind, statement_id, page = decode_token(token, 3)
        if kind != _PAGE_TOKEN or statement_id != statement.id or not page.isdigit():
            raise validation_error(
                f"Invalid NextToken: {token!r} was not issued for this statement."
            )
        index = int(page)
        if index >= len(result.pages):
            raise validation_error(f"Invalid NextToken: {token!r} is past the last page.")
    response: Response = {
        "Records": result.page_records(index),
        "ColumnMetadata": result.column_metadata,
        "TotalNumRows": result.total_rows,
    }
    if index + 1 < len(result.pages):
        response["NextToken"] = encode_token(_PAGE_TOKEN, statement.id, index + 1)
    return response


def get_statement_result(context: ServiceContext, request: Request) -> Response:
    """GetStatementResult: one page of a JSON result."""
    statement, result = _result_of(context, request, "JSON")
    return _page(statement, result, request)


def get_statement_result_v2(context: ServiceContext, request: Request) -> Response:
    """GetStatementResultV2: one page of a CSV result."""
    statement, result = _result_of(context, request, "CSV")
    response = _page(statement, result, request)
    response["ResultFormat"] = "CSV"
    return response


HANDLERS: Handlers = {
    "GetStatementResult": get_statement_result,
    "GetStatementResultV2": get_statement_result_v2,
}
