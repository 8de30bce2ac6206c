"""The fast result paths return the values of the slow ones, on both engines and transports.

Fast: GetStatementResult decoded from the raw body (results/json_pages.py) and
CSV converted per column.  Slow: botocore's parser (the hook not installed)
and CSV converted value by value.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

import redshift_dataapi
from redshift_dataapi import cursor as cursor_module
from redshift_dataapi.results import csv_columns, csv_pages
from redshift_dataapi.results import resultset as resultset_module
from redshift_dataapi.results.json_pages import RawRecords

from .conftest import ConnFactory

CREATE = """
CREATE TABLE everything (
    n INTEGER, i2 SMALLINT, i4 INTEGER, i8 BIGINT, f4 REAL, f8 DOUBLE PRECISION,
    num NUMERIC(38, 10), small NUMERIC(5, 2), flag BOOLEAN, d DATE, t TIME,
    ts TIMESTAMP, tz TIMESTAMPTZ, v VARCHAR(64), c CHAR(4), b VARBYTE(16)
)
"""
INSERT = (
    "INSERT INTO everything VALUES (:n, :i2, :i4, :i8, :f4, :f8, :num, :small, :flag, :d, :t, "
    ":ts, :tz, :v, :c, :b)"
)
COLUMNS = ["n", "i2", "i4", "i8", "f4", "f8", "num", "small", "flag", "d", "t", "ts", "tz", "v",
           "c", "b"]  # fmt: skip
SELECT = 'SELECT *, JSON_PARSE(\'{"k": [1, "x", null]}\') AS sup FROM everything ORDER BY n'


def _row(n: int) -> dict[str, Any]:
    return {
        "n": n,
        "i2": -32768 + n,
        "i4": 2**31 - 1 - n,
        "i8": -(2**63) + n,
        "f4": 0.5 * n,
        "f8": 1e300 / (n + 1),
        "num": Decimal(f"-123456789012345678901234567.01234567{n:02d}"),  # 37 digits
        "small": Decimal("-999.99") + n,
        "flag": n % 2 == 0,
        "d": dt.date(2024, 2, 29) + dt.timedelta(days=n),
        "t": dt.time(23, 59, 59, 999999 - n),
        "ts": dt.datetime(1999, 12, 31, 23, 59, 59, 123456) + dt.timedelta(seconds=n),
        "tz": dt.datetime(2024, 1, 1, 12, 0, n % 60, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        "v": "" if n % 5 == 0 else f'caf\u00e9 \u4e2d {n} "q", x',
        "c": "ab",
        "b": bytes([0, 255, n % 256]),
    }


@pytest.fixture
def filled(connect: ConnFactory) -> ConnFactory:
    cur = connect().cursor()
    cur.execute(CREATE)
    cur.executemany(INSERT, [_row(n) for n in range(40)])
    nulls = {name: None for name in COLUMNS}
    nulls["n"] = 1000
    cur.execute(INSERT, nulls)
    return connect


def _fetch(connect: ConnFactory, fmt: str, **options: Any) -> tuple[list[Any], list[Any]]:
    cur = connect(result_format=fmt, **options).cursor()
    cur.execute(SELECT)
    return cur.fetchall(), list(cur.description or [])


def _slow_csv(chunk: str, convs: Any) -> list[tuple[Any, ...]]:
    return [
        tuple(None if text is None else conv(text) for conv, text in zip(convs, row, strict=True))
        for row in csv_pages.parse_chunk(chunk)
    ]


@pytest.mark.parametrize("options", [{}, {"parse_super": True}], ids=["text-super", "parse-super"])
@pytest.mark.parametrize("prefetch", [True, False], ids=["read-ahead", "on-demand"])
def test_fast_paths_equal_slow_paths(
    filled: ConnFactory, monkeypatch: pytest.MonkeyPatch, options: dict[str, Any], prefetch: bool
) -> None:
    options = {**options, "prefetch": prefetch}
    fast_json, description = _fetch(filled, "JSON", **options)
    fast_csv, _ = _fetch(filled, "CSV", **options)  # small chunks: the Python path
    monkeypatch.setattr(csv_columns, "MIN_CHARS", 0)
    columnwise_csv, _ = _fetch(filled, "CSV", **options)  # every chunk through pyarrow
    monkeypatch.setattr(cursor_module, "install_fast_json", lambda client: False)
    monkeypatch.setattr(csv_columns.ColumnwiseChunks, "convert", lambda self, chunk: None)
    monkeypatch.setattr(resultset_module, "convert_chunk", _slow_csv)
    slow_json, slow_description = _fetch(filled, "JSON", **options)
    slow_csv, _ = _fetch(filled, "CSV", **options)

    assert description == slow_description
    assert len(slow_json) == 41
    for fast, slow in ((fast_json, slow_json), (fast_csv, slow_csv), (columnwise_csv, slow_csv)):
        assert fast == slow
        assert [[type(v) for v in row] for row in fast] == [[type(v) for v in row] for row in slow]


def test_a_one_column_null_on_every_path(
    connect: ConnFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    sql = "SELECT x FROM (SELECT 1 AS x UNION ALL SELECT NULL UNION ALL SELECT 3) AS t ORDER BY x"
    want = [(1,), (3,), (None,)]
    for fmt in ("JSON", "CSV"):
        cur = connect(result_format=fmt).cursor()
        assert cur.execute(sql).fetchall() == want, fmt
    monkeypatch.setattr(csv_columns, "MIN_CHARS", 0)
    assert connect(result_format="CSV").cursor().execute(sql).fetchall() == want


def test_values_users_rely_on(filled: ConnFactory) -> None:
    for fmt in ("JSON", "CSV"):
        rows, _ = _fetch(filled, fmt)
        first = dict(zip([*COLUMNS, "sup"], rows[1], strict=True))
        want = _row(1)
        for name in ("i2", "i4", "i8", "num", "small", "flag", "d", "t", "ts", "v", "b"):
            assert first[name] == want[name], (fmt, name)
        assert first["tz"] == want["tz"] and first["tz"].utcoffset() is not None
        assert rows[0][COLUMNS.index("v")] == ""  # the empty string is not NULL
        assert rows[-1][1:-1] == (None,) * (len(COLUMNS) - 1)
        assert isinstance(first["sup"], str)


def test_the_fast_path_is_taken_with_a_user_supplied_client(
    any_client: Any, filled: ConnFactory
) -> None:
    """connect(client=...) gets the hook; the user's own calls keep botocore's parse."""
    seen: list[bool] = []

    def spy(parsed: dict[str, Any], **_: Any) -> None:
        seen.append(isinstance(parsed.get("Records"), RawRecords))

    any_client.meta.events.register("after-call.redshift-data.GetStatementResult", spy)
    try:
        conn = redshift_dataapi.connect(
            "dev", cluster_identifier="local", client=any_client, autocommit=True
        )
        cur = conn.cursor()
        cur.execute("SELECT n FROM everything ORDER BY n")
        assert [row[0] for row in cur.fetchall()][:3] == [0, 1, 2]
        own = any_client.get_statement_result(Id=cur.statement_id)
    finally:
        any_client.meta.events.unregister("after-call.redshift-data.GetStatementResult", spy)
    assert seen == [True, False]
    assert own["Records"][0] == [{"longValue": 0}]
