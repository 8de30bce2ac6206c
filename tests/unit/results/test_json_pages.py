"""The raw-body JSON decoder gives the values botocore's parser path gives.

A real botocore client answers from canned bodies (a ``before-send`` handler),
so each page is parsed once by botocore (the reference) and once through the
``before-parse`` hook, and the converted rows are compared.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse

from redshift_dataapi.results import json_pages
from redshift_dataapi.results.json_pages import (
    RawRecords,
    fast_json_pages,
    install_fast_json,
)
from redshift_dataapi.results.resultset import ResultSet

TYPES = [
    "int2", "int4", "int8", "float4", "float8", "numeric", "bool", "date", "time", "timetz",
    "timestamp", "timestamptz", "varchar", "bpchar", "super", "varbyte", "interval", "geometry",
]  # fmt: skip


def _row(i: int) -> list[dict[str, Any]]:
    return [
        {"longValue": i},
        {"longValue": -(2**31) + i},
        {"longValue": 2**63 - 1 - i},
        {"doubleValue": 1.5 + i},
        {"doubleValue": 1e308 if i else 3},  # an integral JSON number stays an int
        {"stringValue": "12345678901234567890123456789.123456789" if i else "-0.00"},
        {"booleanValue": bool(i % 2)},
        {"stringValue": "2024-02-29" if i else "infinity"},
        {"stringValue": "13:14:15.123456789"},
        {"stringValue": "13:14:15+05:30"},
        {"stringValue": "2024-02-29 13:14:15.25" if i else "-infinity"},
        {"stringValue": "2024-02-29 13:14:15.123456+00"},
        {"stringValue": "" if i % 3 == 0 else f"text {i} \u00e9\u4e2d\U0001f600"},
        {"stringValue": "abc  "},
        {"stringValue": '{"a": [1, 2.5, null], "b": "x"}'},
        {"stringValue": "00ff10"},
        {"stringValue": "1 day 02:03:04"},
        {"stringValue": "0101000000000000000000F03F000000000000F03F"},
    ]


def _nulls() -> list[dict[str, Any]]:
    return [{"isNull": True} for _ in TYPES]


def _odd_members() -> list[dict[str, Any]]:
    """Fields whose member is not the column's usual one."""
    odd = _nulls()
    odd[0] = {"stringValue": "7"}  # int column sent as text
    odd[12] = {"blobValue": base64.b64encode(b"\x00\x01bytes").decode()}
    odd[15] = {"blobValue": base64.b64encode(b"\xde\xad").decode()}
    odd[16] = {"arrayValue": {"longValues": [1, 2]}}  # unknown to some botocores
    odd[17] = {"futureValue": "x"}  # a member this botocore does not know
    return odd


def _page(records: list[list[dict[str, Any]]], token: str | None = None) -> dict[str, Any]:
    page: dict[str, Any] = {
        "ColumnMetadata": [{"name": f"c{i}", "label": f"c{i}", "typeName": t} for i, t in
                           enumerate(TYPES)],
        "Records": records,
        "TotalNumRows": TOTAL_ROWS,
    }  # fmt: skip
    if token:
        page["NextToken"] = token
    return page


TOTAL_ROWS = 51 + 2 + 2  # the rows of PAGES below, as the service would report them

PAGES = [
    _page([_row(i) for i in range(50)] + [_nulls()], token="t1"),
    _page([_odd_members(), _row(7)], token="t2"),
    _page([_row(1)[:5], _row(2)]),  # rows of different widths
]


class _Raw:
    def __init__(self, payload: bytes) -> None:
        self.payload = payload

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.payload


def _client(
    pages: list[dict[str, Any]], status: int = 200, operation: str = "GetStatementResult"
) -> Any:
    """A botocore client answering ``operation`` with ``pages`` in turn."""
    client = boto3.client(
        "redshift-data",
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
        endpoint_url="http://canned.invalid",
    )
    bodies: dict[str | None, bytes] = {}
    token: str | None = None
    for page in pages:
        bodies[token] = json.dumps(page).encode()
        token = page.get("NextToken")

    def answer(request: Any, **_: Any) -> AWSResponse:
        token = json.loads(request.body).get("NextToken")
        payload = bodies[token] if status < 300 else b'{"__type":"ValidationException",' \
            b'"message":"no such statement"}'  # fmt: skip
        headers = {"Content-Type": "application/x-amz-json-1.1"}
        return AWSResponse(request.url, status, headers, _Raw(payload))  # type: ignore[arg-type]

    client.meta.events.register(f"before-send.redshift-data.{operation}", answer)
    return client


def _pages(client: Any, csv: bool = False) -> Iterator[dict[str, Any]]:
    fetch = client.get_statement_result_v2 if csv else client.get_statement_result
    token = None
    while True:
        kwargs: dict[str, Any] = {"Id": "id"}
        if token:
            kwargs["NextToken"] = token
        page = fetch(**kwargs)
        yield page
        token = page.get("NextToken")
        if not token:
            return


def _rows(fast: bool, **options: Any) -> list[tuple[Any, ...]]:
    client = _client(PAGES)
    pages = _pages(client)
    if fast:
        assert install_fast_json(client)
        pages = fast_json_pages(pages)
    return ResultSet(pages, **options).fetchall()


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"parse_super": True},
        {
            "converters": {
                "numeric": float,
                "int4": lambda t: f"<{t}>",
                "varbyte": str.upper,
                "timestamptz": lambda t: t[::-1],
                "bool": str,
            }
        },
    ],
    ids=["builtin", "parse_super", "user_converters"],
)
@pytest.mark.parametrize("parser", ["default", "stdlib"])
def test_fast_rows_equal_botocore_rows(
    options: dict[str, Any], parser: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if parser == "stdlib":  # the default is orjson when the `fast` extra is installed
        monkeypatch.setattr(json_pages, "_loads", json.loads)
        monkeypatch.setattr(json_pages, "_dumps", json_pages._stdlib_dumps)
    slow = _rows(False, **options)
    fast = _rows(True, **options)
    assert len(slow) == 50 + 1 + 2 + 2
    assert fast == slow
    # Same types too (== alone would let 1 == 1.0 == True through).
    assert [[type(v) for v in row] for row in fast] == [[type(v) for v in row] for row in slow]


def test_values_users_rely_on() -> None:
    rows = _rows(True)
    first, nulls, odd = rows[1], rows[50], rows[51]
    assert first[5] == Decimal("12345678901234567890123456789.123456789")
    assert first[11] == dt.datetime(2024, 2, 29, 13, 14, 15, 123456, tzinfo=dt.timezone.utc)
    assert first[15] == b"\x00\xff\x10"
    assert rows[0][7] == "infinity" and rows[0][4] == 3 and type(rows[0][4]) is int
    assert nulls == (None,) * len(TYPES)
    assert odd[12] == "00016279746573" and odd[15] == b"\xde\xad"  # text column: hex
    assert odd[16] in ({"longValues": [1, 2]}, {"name": "arrayValue"})
    assert odd[17] == {"name": "futureValue"}  # botocore's SDK_UNKNOWN_MEMBER content
    assert rows[0][12] == ""


def test_hook_leaves_the_users_own_calls_alone() -> None:
    client = _client(PAGES)
    assert install_fast_json(client)
    page = client.get_statement_result(Id="id")  # not inside the driver's fetch
    assert not isinstance(page["Records"], RawRecords)
    assert page["Records"][0][0] == {"longValue": 0}
    fast = next(fast_json_pages(_pages(client)))
    assert isinstance(fast["Records"], RawRecords)
    assert fast["ColumnMetadata"] == page["ColumnMetadata"]
    assert fast["NextToken"] == "t1" and fast["TotalNumRows"] == TOTAL_ROWS


def test_error_responses_are_botocores() -> None:
    client = _client(PAGES, status=400)
    install_fast_json(client)
    with pytest.raises(client.exceptions.ValidationException, match="no such statement"):
        next(fast_json_pages(_pages(client)))


class _NoEvents:
    """A client-like object without botocore's event system."""

    def get_statement_result(self, **_: Any) -> dict[str, Any]:
        raise AssertionError("not called")


class _RefusingEvents:
    class meta:  # mirrors botocore's client.meta
        class events:
            @staticmethod
            def register(*_: Any, **__: Any) -> None:
                raise RuntimeError("frozen")


@pytest.mark.parametrize("client", [_NoEvents(), _RefusingEvents()], ids=["no-events", "refuses"])
def test_clients_without_hooks_fall_back(client: Any) -> None:
    assert install_fast_json(client) is False


def test_install_is_idempotent() -> None:
    client = _client(PAGES)
    assert install_fast_json(client) and install_fast_json(client)
    fast = next(fast_json_pages(_pages(client)))
    assert isinstance(fast["Records"], RawRecords)
    assert json_pages.EVENT.startswith("before-parse.redshift-data.")


# -- GetStatementResultV2 (CSV pages) -------------------------------------------

_CSV_META = [{"name": n, "label": n, "typeName": t} for n, t in
             [("id", "int4"), ("txt", "varchar"), ("n", "numeric")]]  # fmt: skip


def _csv_page(records: list[Any], token: str | None = None) -> dict[str, Any]:
    page: dict[str, Any] = {
        "ColumnMetadata": _CSV_META,
        "Records": records,
        "ResultFormat": "csv",
        "TotalNumRows": 4,
    }
    if token:
        page["NextToken"] = token
    return page


CSV_PAGES = [
    _csv_page([{"CSVRecords": '1,"a ""quoted"", text\n",1.50\n2,,\n'}], token="t1"),
    _csv_page([{"CSVRecords": '3,"\u00e9\u4e2d\U0001f600",-0.00\n'}, {"CSVRecords": ""}]),
]


def _csv_fetch(pages: list[dict[str, Any]], fast: bool) -> list[dict[str, Any]]:
    client = _client(pages, operation="GetStatementResultV2")
    pages_iter = _pages(client, csv=True)
    if fast:
        assert install_fast_json(client)
        pages_iter = fast_json_pages(pages_iter)
    out = []
    for page in pages_iter:
        page.pop("ResponseMetadata")
        out.append(page)
    return out


@pytest.mark.parametrize("parser", ["default", "stdlib"])
def test_csv_pages_equal_botocores(parser: str, monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[bytes] = []
    loads = json.loads if parser == "stdlib" else json_pages._loads

    def counting_loads(body: bytes) -> Any:
        decoded.append(body)
        return loads(body)

    monkeypatch.setattr(json_pages, "_loads", counting_loads)
    if parser == "stdlib":
        monkeypatch.setattr(json_pages, "_dumps", json_pages._stdlib_dumps)
    slow = _csv_fetch(CSV_PAGES, fast=False)
    assert decoded == []  # outside the driver's fetch the hook does nothing
    fast = _csv_fetch(CSV_PAGES, fast=True)
    assert len(decoded) == len(CSV_PAGES)  # ... and inside it decodes every page
    assert fast == slow
    assert fast[0]["Records"][0]["CSVRecords"].startswith('1,"a ""quoted"", text\n"')
    assert fast[1]["Records"][0]["CSVRecords"] == '3,"\u00e9\u4e2d\U0001f600",-0.00\n'
    assert fast[0]["NextToken"] == "t1" and fast[1]["TotalNumRows"] == 4
    assert type(fast[0]["Records"]) is list  # not the JSON path's RawRecords


@pytest.mark.parametrize(
    "odd",
    [{"FutureRecords": "x"}, None, {"CSVRecords": 5}, {"CSVRecords": "1\n", "Extra": "y"}],
    ids=["unknown-member", "null", "not-text", "extra-member"],
)
def test_csv_records_botocore_knows_better_are_left_to_it(odd: Any) -> None:
    pages = [_csv_page([{"CSVRecords": "1,a,2\n"}, odd])]

    def outcome(fast: bool) -> Any:
        try:
            return _csv_fetch(pages, fast=fast)
        except Exception as exc:  # botocore's own verdict on a malformed union
            return f"{type(exc).__name__}: {exc}"

    slow = outcome(False)
    assert outcome(True) == slow
    if odd == {"CSVRecords": "1\n", "Extra": "y"}:
        assert "one and only one member" in slow


def test_csv_error_responses_are_botocores() -> None:
    client = _client(CSV_PAGES, status=400, operation="GetStatementResultV2")
    install_fast_json(client)
    with pytest.raises(client.exceptions.ValidationException, match="no such statement"):
        next(fast_json_pages(_pages(client, csv=True)))


def test_json_hook_is_not_the_csv_hook() -> None:
    # botocore matches event names by whole dotted parts: the GetStatementResult
    # hook must not see V2 bodies (it would wrap CSV records as RawRecords).
    assert json_pages.EVENT_CSV != json_pages.EVENT
    assert json_pages.EVENT_CSV.split(".")[-1] == "GetStatementResultV2"
    page = _csv_fetch(CSV_PAGES, fast=True)[0]
    assert not isinstance(page["Records"], RawRecords)
