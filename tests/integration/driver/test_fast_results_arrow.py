"""Columnar fetches: Arrow, pandas and polars typed from ColumnMetadata, same values as fetchall."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import pytest

import redshift_dataapi

from .conftest import ConnFactory
from .test_fast_results import SELECT, _row, filled  # noqa: F401 - the table of every type

pa = pytest.importorskip("pyarrow", reason="the columnar fetches need the arrow extra")


def _cursor(connect: ConnFactory, fmt: str, sql: str = SELECT) -> redshift_dataapi.Cursor:
    cur = connect(result_format=fmt).cursor()
    cur.execute(sql)
    return cur


@pytest.mark.parametrize("fmt", ["JSON", "CSV"])
def test_arrow_table_is_typed_and_equals_fetchall(filled: ConnFactory, fmt: str) -> None:  # noqa: F811
    table = _cursor(filled, fmt).fetch_arrow_table()
    rows = _cursor(filled, fmt).fetchall()
    types = {field.name: field.type for field in table.schema}
    assert types["i2"] == pa.int16() and types["i4"] == pa.int32() and types["i8"] == pa.int64()
    assert types["f4"] == pa.float32() and types["f8"] == pa.float64()
    assert types["num"] == pa.decimal128(38, 10) and types["small"] == pa.decimal128(5, 2)
    assert types["flag"] == pa.bool_() and types["d"] == pa.date32()
    assert types["t"] == pa.time64("us") and types["ts"] == pa.timestamp("us")
    assert types["tz"] == pa.timestamp("us", tz="UTC")
    assert types["v"] == pa.string() and types["b"] == pa.binary() and types["sup"] == pa.string()
    assert table.num_rows == len(rows) == 41
    # The same values as the tuple path (aware datetimes compare as instants).
    assert [tuple(row.values()) for row in table.to_pylist()] == rows
    assert table.column("v").to_pylist()[0] == ""  # the empty string is not NULL
    assert table.column("v").to_pylist()[-1] is None


@pytest.mark.parametrize("prefetch", [False, True], ids=["on-demand", "read-ahead"])
def test_batches_stream_one_page_at_a_time(
    connect: ConnFactory, local_service: Any, prefetch: bool
) -> None:
    cur = connect(prefetch=prefetch).cursor()
    cur.execute(
        "CREATE TABLE wide AS SELECT i AS n, 'row ' || i AS label "
        "FROM generate_series(1, 60000) AS s(i)"
    )
    cur.execute("SELECT n, label FROM wide ORDER BY n")
    before = local_service.calls["GetStatementResult"]
    batches = cur.fetch_arrow_batches()
    taken = [next(batches)]  # the page execute fetched
    # On demand, no page is asked for before it is needed; with read-ahead at
    # most one page more than those taken (memory stays about one page).
    ahead = 1 if prefetch else 0
    assert before <= local_service.calls["GetStatementResult"] <= before + ahead
    for batch in batches:
        taken.append(batch)
        assert local_service.calls["GetStatementResult"] <= before + len(taken) - 1 + ahead
    assert len(taken) > 2, "the result should span several pages"
    assert local_service.calls["GetStatementResult"] == before + len(taken) - 1
    total = sum(b.num_rows for b in taken)
    assert total == 60000
    assert pa.Table.from_batches(taken).column("n").to_pylist() == list(range(1, 60001))


def test_columnar_fetch_takes_the_remaining_rows(filled: ConnFactory) -> None:  # noqa: F811
    cur = _cursor(filled, "JSON")
    first = cur.fetchone()
    assert first is not None and first[0] == 0
    table = cur.fetch_arrow_table()
    assert table.column("n").to_pylist()[:2] == [1, 2] and table.num_rows == 40
    assert cur.fetch_arrow_table().num_rows == 0  # typed and empty once consumed
    assert cur.fetch_arrow_table().schema.field("num").type == pa.decimal128(38, 10)


def test_dataframe_and_polars_keep_decimals_and_time_zones(filled: ConnFactory) -> None:  # noqa: F811
    pytest.importorskip("pandas", reason="fetch_dataframe needs pandas")
    frame = _cursor(filled, "CSV").fetch_dataframe()
    assert frame["num"][1] == _row(1)["num"]
    assert str(frame["tz"].dtype) == "datetime64[us, UTC]"
    assert frame["tz"][1].to_pydatetime() == dt.datetime(
        2024, 1, 1, 10, 0, 1, tzinfo=dt.timezone.utc
    )
    polars = pytest.importorskip("polars", reason="fetch_polars needs polars")
    pl_frame = _cursor(filled, "JSON").fetch_polars()
    assert pl_frame.schema["num"] == polars.Decimal(38, 10)
    assert pl_frame.schema["tz"] == polars.Datetime("us", "UTC")
    assert pl_frame["num"][1] == _row(1)["num"]


def test_missing_pyarrow_is_an_interface_error(
    filled: ConnFactory,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    cur = _cursor(filled, "JSON")
    with pytest.raises(redshift_dataapi.InterfaceError, match=r"redshift-dataapi\[arrow\]"):
        cur.fetch_arrow_table()
    assert cur.fetchone() is not None  # nothing was consumed


def test_columns_cast_by_arrow_equal_fetchall(filled: ConnFactory) -> None:  # noqa: F811
    """Without NULLs, JSON numeric/date/timestamp columns are cast from text by Arrow."""
    sql = "SELECT n, num, small, d, ts, tz FROM everything WHERE n < 1000 ORDER BY n"
    table = _cursor(filled, "JSON", sql).fetch_arrow_table()
    rows = _cursor(filled, "JSON", sql).fetchall()
    assert table.schema.field("tz").type == pa.timestamp("us", tz="UTC")
    assert [tuple(row.values()) for row in table.to_pylist()] == rows
    assert table.num_rows == 40
