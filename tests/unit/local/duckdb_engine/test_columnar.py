"""A large DuckDB result fetched as Arrow reads and encodes exactly as its Python rows do."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from typing import Any

import duckdb
import pytest

from redshift_dataapi.local import response_json
from redshift_dataapi.local.engines.base import ColumnarRows
from redshift_dataapi.local.engines.duckdb import columnar
from redshift_dataapi.local.engines.duckdb.engine import DuckDBConnection
from redshift_dataapi.local.runtime.encoding import EncodedResult, encode_result

TABLE = """CREATE TABLE edge (
    n INT, s SMALLINT, b BIGINT, r REAL, f FLOAT8, d NUMERIC(12, 4), w NUMERIC(38, 10),
    z NUMERIC(5, 0), v VARCHAR(100), t BOOLEAN, dd DATE, ts TIMESTAMP)"""

VALUES = [
    "(1, 1, 9223372036854775807, 0.1, 0.1, 0.1429, 1234567890123456789012345678.0123456789,"
    " 12, 'plain', true, '2024-01-02', '2024-01-01 00:00:01.25')",
    "(-2, -32768, -9223372036854775808, -1.5, 'NaN', -0.0001, -0.0000000001, -99999,"
    " 'a \"quoted\", word \\ slash', true, '0001-01-01', '0001-01-01 00:00:00')",
    "(0, 0, 0, 'Infinity', '-Infinity', 0, 0, 0, '', false, '9999-12-31',"
    " '9999-12-31 23:59:59.999999')",
    "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    "(7, 7, 7, 1e20, -0.0, 1000, 10, 1, 'é ☃ 𝄞', true, '0999-05-06', '0999-05-06 10:00:10.000001')",
    "(8, 8, 8, 3, 1e-7, 99999999.9999, -5, 0, 'ends with \",', false, '1970-01-01',"
    " '1970-01-01 00:00:00.5')",
    "(9, 9, 9, 2.5, 12345678.9, 0.5, 0.5, 5, 'tab\tand\nnewline', true, '2000-02-29',"
    " '2000-02-29 12:34:56.789')",
]


@pytest.fixture
def edge(conn: DuckDBConnection) -> DuckDBConnection:
    conn.execute(TABLE)
    for row in VALUES:
        conn.execute(f"INSERT INTO edge VALUES {row}")
    # Enough rows that part of the result is past a small head.
    conn.execute("INSERT INTO edge SELECT * FROM edge")
    conn.execute("INSERT INTO edge SELECT * FROM edge")
    return conn


def _select(conn: DuckDBConnection, monkeypatch: pytest.MonkeyPatch, head: int) -> Any:
    monkeypatch.setattr(columnar, "COLUMNAR_AFTER_ROWS", head)
    return conn.execute("SELECT * FROM edge ORDER BY n NULLS FIRST, v")


def _decoded(result: EncodedResult) -> list[Any]:
    if result.result_format == "CSV":
        text = "".join(c["CSVRecords"] for i in range(len(result.pages))
                       for c in result.page_records(i))  # type: ignore[index]  # fmt: skip
        return list(csv.reader(io.StringIO(text)))
    rows = []
    for index in range(len(result.pages)):
        rows.extend(json.loads(result.page_records(index)))  # type: ignore[arg-type]
    # NaN != NaN: compare the text of the decoded values.
    return [repr(row) for row in rows]


@pytest.mark.parametrize("head", [1, 3, 2048])
def test_arrow_tail_rows_are_the_rows_duckdb_fetches(
    edge: DuckDBConnection, monkeypatch: pytest.MonkeyPatch, head: int
) -> None:
    expected = _select(edge, monkeypatch, 10**9)
    got = _select(edge, monkeypatch, head)
    assert isinstance(expected.rows, list) and len(expected.rows) == 28
    assert isinstance(got.rows, ColumnarRows) == (head < 28)
    assert got.columns == expected.columns
    assert len(got.rows) == got.affected_rows == 28
    assert repr(list(got.rows)) == repr(expected.rows)  # NaN-safe
    assert got.rows[-1] == expected.rows[-1]


# 28: every row in the head, an empty Arrow tail.
@pytest.mark.parametrize("head", [1, 3, 28])
@pytest.mark.parametrize("fmt", ["JSON", "CSV"])
@pytest.mark.parametrize("page_size", [200, 1 << 20])
@pytest.mark.parametrize("writer", ["orjson", "stdlib"])
def test_arrow_tail_encodes_as_its_rows(
    edge: DuckDBConnection,
    monkeypatch: pytest.MonkeyPatch,
    head: int,
    fmt: str,
    page_size: int,
    writer: str,
) -> None:
    if writer == "orjson":
        pytest.importorskip("orjson", reason="orjson comes with the `fast` extra")
    else:
        monkeypatch.setattr(response_json, "_orjson", None)
    expected = _select(edge, monkeypatch, 10**9)
    got = _select(edge, monkeypatch, head)
    assert isinstance(got.rows, ColumnarRows)
    ours = encode_result(got.columns, got.rows, fmt, page_size_bytes=page_size)
    theirs = encode_result(expected.columns, expected.rows, fmt, page_size_bytes=page_size)
    assert _decoded(ours) == _decoded(theirs)
    assert (ours.total_rows, ours.size_bytes) == (theirs.total_rows, theirs.size_bytes)
    assert len(ours.pages) > 1 or page_size > 200
    if fmt == "CSV" or writer == "orjson":
        # The same text forms make the same pages, byte for byte (the standard
        # module escapes non-ASCII text, where Arrow, like orjson, writes it as is).
        assert ours.pages == theirs.pages
    else:
        assert [len(json.loads(p)) for p in ours.pages] == [
            len(json.loads(p)) for p in theirs.pages
        ]


def test_text_forms_come_from_arrow_for_numeric_date_and_timestamp(
    edge: DuckDBConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    got = _select(edge, monkeypatch, 1)
    rows = got.rows
    assert isinstance(rows, ColumnarRows)
    names = [c.name for c in got.columns]
    for name, type_name in (("d", "numeric"), ("dd", "date"), ("ts", "timestamp")):
        assert rows.tail_text_array(names.index(name), type_name) is not None, name
    # Arrow writes 0E-10 where the encoder writes 0.0000000000: w takes its values.
    assert rows.tail_text_array(names.index("w"), "numeric") is None
    assert rows.tail_text_array(names.index("v"), "varchar") is None
    array = rows.tail_text_array(names.index("ts"), "timestamp")
    assert array is not None
    ts = array.to_pylist()
    assert "0001-01-01 00:00:00" in ts and "1970-01-01 00:00:00.5" in ts
    assert "0999-05-06 10:00:10.000001" in ts and "9999-12-31 23:59:59.999999" in ts


def test_values_outside_pythons_range_are_duckdbs_own() -> None:
    # DuckDB fetches an infinite date as date.max and a timestamp past year
    # 9999 as text: the Arrow tail gives the same, and writes no Arrow text.
    con = duckdb.connect()
    sql = (
        "SELECT i, CASE WHEN i = 3 THEN 'infinity'::date ELSE DATE '2024-01-01' END AS d,"
        " CASE WHEN i = 4 THEN '294247-01-10'::timestamp ELSE TIMESTAMP '2024-01-01' END AS t"
        " FROM range(6) r(i) ORDER BY i"
    )
    expected = con.execute(sql).fetchall()
    assert expected[3][1] == dt.date.max and isinstance(expected[4][2], str)
    rows = columnar.ArrowTailRows(
        con.execute(sql).fetchmany(2), con.execute(sql).to_arrow_table().slice(2)
    )
    assert list(rows) == expected
    assert rows.tail_text_array(1, "date") is None and rows.tail_text_array(2, "timestamp") is None
    assert rows.tail_values(1)[1] == dt.date.max
    con.close()


def test_a_small_result_stays_a_list(conn: DuckDBConnection) -> None:
    result = conn.execute("SELECT 1 AS one")
    assert result.rows == [(1,)] and isinstance(result.rows, list)


def test_char_columns_are_padded_in_a_large_result(
    conn: DuckDBConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CHAR(n) needs a converter: such a result is turned into rows after all.
    conn.execute("CREATE TABLE padded (c CHAR(4), n INT)")
    conn.execute("INSERT INTO padded VALUES ('a', 1), ('bb', 2), ('ccc', 3), (NULL, 4)")
    monkeypatch.setattr(columnar, "COLUMNAR_AFTER_ROWS", 1)
    result = conn.execute("SELECT c, n FROM padded ORDER BY n")
    assert result.rows == [("a   ", 1), ("bb  ", 2), ("ccc ", 3), (None, 4)]


@pytest.mark.parametrize("fmt", ["JSON", "CSV"])
def test_text_with_nothing_to_escape_is_written_by_arrow(
    conn: DuckDBConnection, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    # No quote, backslash, control character, comma or newline: Arrow writes
    # the text itself (the empty string too: "" in CSV).
    pytest.importorskip("orjson", reason="byte-for-byte with orjson's pages")
    conn.execute("CREATE TABLE clean (n INT, v VARCHAR(40), t BOOLEAN)")
    conn.execute(
        "INSERT INTO clean VALUES (1, 'plain', true), (2, '', false), (3, 'é ☃ 𝄞', NULL),"
        " (4, NULL, true), (5, 'a b', false), (-6, 'x', true)"
    )
    sql = "SELECT n, v, t FROM clean ORDER BY n DESC"
    monkeypatch.setattr(columnar, "COLUMNAR_AFTER_ROWS", 10**9)
    expected = conn.execute(sql)
    monkeypatch.setattr(columnar, "COLUMNAR_AFTER_ROWS", 2)
    got = conn.execute(sql)
    assert isinstance(got.rows, ColumnarRows)
    ours = encode_result(got.columns, got.rows, fmt, page_size_bytes=30)
    theirs = encode_result(expected.columns, expected.rows, fmt, page_size_bytes=30)
    assert len(ours.pages) > 1 and ours.pages == theirs.pages
    assert ours.size_bytes == theirs.size_bytes
    if fmt == "CSV":
        assert "".join(map(str, ours.pages)).splitlines()[-1] == "-6,x,true"
        assert '2,"",false' in "".join(map(str, ours.pages))
    else:
        last = json.loads(ours.pages[-1])[-1]
        assert last == [{"longValue": -6}, {"stringValue": "x"}, {"booleanValue": True}]


def test_writing_arrow_pages_does_not_import_pandas() -> None:
    # pyarrow imports pandas (when installed) for pa.scalar()/pa.array() of
    # Python objects: 0.25 s on an endpoint's first large result.
    pytest.importorskip("pandas", reason="only matters where pandas is installed")
    code = (
        "import sys\n"
        "from redshift_dataapi.local.engines import create_engine\n"
        "from redshift_dataapi.local.runtime.encoding import encode_result\n"
        "conn = create_engine('duckdb').connect('dev')\n"
        "r = conn.execute(\"SELECT g AS n, 'x' || g AS s, g % 2 = 0 AS b, 1.5 * g AS f,"
        ' CAST(g AS NUMERIC(10, 2)) AS d FROM generate_series(1, 5000) AS t(g)")\n'
        "assert type(r.rows).__name__ == 'ArrowTailRows'\n"
        "encode_result(r.columns, r.rows)\n"
        "print('pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr
