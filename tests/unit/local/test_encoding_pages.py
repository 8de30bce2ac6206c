"""A finished statement's result is kept as its written pages, and reads back whole."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import gc
import io
import json
import tracemalloc
from typing import Any

import pytest

from redshift_dataapi.local.engines.base import ColumnInfo
from redshift_dataapi.local.runtime.encoding import EncodedResult, encode_result

COLUMNS = [
    ColumnInfo("a", "int4"),
    ColumnInfo("c", "float8"),
    ColumnInfo("d", "numeric"),
    ColumnInfo("e", "varchar"),
    ColumnInfo("f", "bool"),
    ColumnInfo("h", "timestamp"),
]


def _rows(count: int) -> list[tuple[Any, ...]]:
    return [
        (
            None if i % 11 == 0 else i,
            i * 0.5,
            decimal.Decimal(i) / 7,
            f'name "{i}",\nnext' if i % 5 == 0 else f"name {i}",
            i % 2 == 0,
            dt.datetime(2024, 1, 1) + dt.timedelta(seconds=i),
        )
        for i in range(count)
    ]


def _json_rows(result: EncodedResult) -> list[Any]:
    return [
        row for index in range(len(result.pages)) for row in json.loads(result.page_records(index))
    ]


def _csv_rows(result: EncodedResult) -> list[list[str]]:
    text = "".join(
        chunk["CSVRecords"]
        for index in range(len(result.pages))
        for chunk in result.page_records(index)  # type: ignore[union-attr]
    )
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("page_size", [300, 4096, 1 << 20])
def test_every_row_is_on_exactly_one_page_in_order(page_size: int) -> None:
    rows = _rows(500)
    result = encode_result(COLUMNS, rows, page_size_bytes=page_size)
    decoded = _json_rows(result)
    assert result.total_rows == len(decoded) == 500
    assert [r[0] for r in decoded] == [
        {"isNull": True} if i % 11 == 0 else {"longValue": i} for i in range(500)
    ]
    assert decoded[5][3] == {"stringValue": 'name "5",\nnext'}
    assert (len(result.pages) > 1) == (page_size < 1 << 20)
    as_csv = encode_result(COLUMNS, rows, "CSV", page_size_bytes=page_size)
    assert as_csv.total_rows == 500
    parsed = _csv_rows(as_csv)
    assert len(parsed) == 500
    assert parsed[5][3] == 'name "5",\nnext' and parsed[11][0] == ""


def test_an_empty_result_has_one_empty_page() -> None:
    for fmt, records in (("JSON", []), ("CSV", [])):
        result = encode_result(COLUMNS, [], fmt)
        assert result.total_rows == 0 and len(result.pages) == 1
        page = result.page_records(0)
        assert (json.loads(page) if fmt == "JSON" else page) == records


def test_a_kept_result_holds_its_pages_not_an_object_per_value() -> None:
    # The endpoint keeps results for their retention time: what it keeps must be
    # about the size of what it sends, and nothing the collector walks per row.
    rows = _rows(20_000)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        result = encode_result(COLUMNS, rows)
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    written = sum(len(page) for page in result.pages)
    assert kept < 1.5 * written, (kept, written)
    # What the collector walks for it (classes aside): a few objects per page, none per row.
    seen: set[int] = set()
    todo: list[Any] = [result]
    while todo:
        item = todo.pop()
        if id(item) not in seen and gc.is_tracked(item) and not isinstance(item, type):
            seen.add(id(item))
            todo.extend(gc.get_referents(item))
    assert len(seen) < 100 + 2 * len(result.pages), (len(seen), len(result.pages))
