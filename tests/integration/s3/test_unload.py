"""UNLOAD to S3 on both engines: file names, formats, options and Parquet's logical types."""

from __future__ import annotations

import datetime as dt
import decimal
import gzip
import io
import json
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from .helpers import ROLE, keys, ok, put, read, run

TABLE = (
    "CREATE TABLE src (id INT, name VARCHAR(20), price NUMERIC(10,2), day DATE, at TIMESTAMP, "
    "atz TIMESTAMPTZ, flag BOOLEAN, ratio FLOAT4, big BIGINT)"
)
INSERT = (
    "INSERT INTO src VALUES "
    "(1, 'plain', 4.50, '2016-01-01', '2016-01-01 00:29:24', '2016-01-01 00:29:24+00', true, "
    "0.5, 9000000000), "
    "(2, 'pipe|comma,quote\"', 12.00, '2016-01-02', '2016-01-02 10:00:00.25', "
    "'2016-01-02 10:00:00+00', false, 1.25, -1), "
    "(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL), "
    "(4, 'last', 0.01, '2016-01-04', '2016-01-04 23:59:59', '2016-01-04 23:59:59+00', true, "
    "4.3, 7)"
)
SELECT = "SELECT * FROM src ORDER BY id"


@pytest.fixture
def source(dataapi_client: Any) -> Any:
    ok(dataapi_client, TABLE)
    ok(dataapi_client, INSERT)
    return dataapi_client


def _unload(client: Any, bucket: str, prefix: str, options: str, query: str = SELECT) -> Any:
    quoted = query.replace("'", "''")
    return run(client, f"UNLOAD ('{quoted}') TO 's3://{bucket}/{prefix}' {ROLE} {options}")


def _parquet(s3: Any, bucket: str, names: list[str]) -> pa.Table:
    return pa.concat_tables([pq.read_table(io.BytesIO(read(s3, bucket, k))) for k in names])


def test_parquet_files_per_slice_with_logical_types(source: Any, s3: Any, bucket: str) -> None:
    described = _unload(source, bucket, "out/src_", "FORMAT AS PARQUET")
    assert described["Status"] == "FINISHED", described.get("Error")
    assert described["ResultRows"] == 4
    names = keys(s3, bucket, "out/")
    assert names == ["out/src_0000_part_00.parquet", "out/src_0001_part_00.parquet"]
    table = _parquet(s3, bucket, names)
    schema = {f.name: f.type for f in table.schema}
    assert schema == {
        "id": pa.int32(),
        "name": pa.string(),
        "price": pa.decimal128(10, 2),
        "day": pa.date32(),
        "at": pa.timestamp("us"),
        "atz": pa.timestamp("us", tz="UTC"),
        "flag": pa.bool_(),
        "ratio": pa.float32(),
        "big": pa.int64(),
    }
    first, second, third, _ = table.to_pylist()
    assert first["price"] == decimal.Decimal("4.50")
    assert first["day"] == dt.date(2016, 1, 1)
    assert second["at"] == dt.datetime(2016, 1, 2, 10, 0, 0, 250000)
    assert first["atz"] == dt.datetime(2016, 1, 1, 0, 29, 24, tzinfo=dt.timezone.utc)
    assert third == {name: (3 if name == "id" else None) for name in schema}
    assert [r["id"] for r in table.to_pylist()] == [1, 2, 3, 4]


def test_parallel_off_text_is_pipe_delimited_with_empty_nulls(
    source: Any, s3: Any, bucket: str
) -> None:
    _unload(source, bucket, "t/src_", "PARALLEL OFF", "SELECT id, name, price, flag FROM src")
    assert keys(s3, bucket, "t/") == ["t/src_000"]
    lines = read(s3, bucket, "t/src_000").decode().splitlines()
    assert sorted(lines) == sorted(
        ["1|plain|4.50|t", '2|pipe|comma,quote"|12.00|f', "3|||", "4|last|0.01|t"]
    )


def test_csv_with_header_delimiter_and_null_as(source: Any, s3: Any, bucket: str) -> None:
    query = "SELECT id, name, at FROM src ORDER BY id"
    _unload(
        source, bucket, "c/", "FORMAT CSV HEADER DELIMITER ';' NULL AS 'NULL' PARALLEL FALSE", query
    )
    text = read(s3, bucket, "c/000").decode()
    assert text.splitlines() == [
        "id;name;at",
        "1;plain;2016-01-01 00:29:24",
        '2;"pipe|comma,quote""";2016-01-02 10:00:00.250000',
        "3;NULL;NULL",
        "4;last;2016-01-04 23:59:59",
    ]


def test_json_lines(source: Any, s3: Any, bucket: str) -> None:
    query = "SELECT id, name, price, flag, ratio FROM src ORDER BY id"
    _unload(source, bucket, "j/", "FORMAT JSON PARALLEL OFF", query)
    lines = [json.loads(line) for line in read(s3, bucket, "j/000").decode().splitlines()]
    assert lines[0] == {"id": 1, "name": "plain", "price": 4.5, "flag": True, "ratio": 0.5}
    assert lines[2] == {"id": 3, "name": None, "price": None, "flag": None, "ratio": None}
    assert lines[3]["ratio"] == 4.3


def test_addquotes_and_escape(source: Any, s3: Any, bucket: str) -> None:
    query = "SELECT id, name FROM src WHERE id = 2"
    _unload(source, bucket, "q/", "ADDQUOTES ESCAPE PARALLEL OFF", query)
    assert read(s3, bucket, "q/000").decode() == '"2"|"pipe\\|comma,quote\\""\n'


def test_gzip_and_extension(source: Any, s3: Any, bucket: str) -> None:
    _unload(source, bucket, "g/src_", "FORMAT CSV GZIP EXTENSION 'csv'")
    names = keys(s3, bucket, "g/")
    assert names == ["g/src_0000_part_00.csv.gz", "g/src_0001_part_00.csv.gz"]
    text = "".join(gzip.decompress(read(s3, bucket, k)).decode() for k in names)
    assert [line.split(",")[0] for line in text.splitlines()] == ["1", "2", "3", "4"]


def test_manifest_and_verbose_manifest(source: Any, s3: Any, bucket: str) -> None:
    _unload(source, bucket, "m/src_", "FORMAT PARQUET MANIFEST")
    manifest = json.loads(read(s3, bucket, "m/src_manifest"))
    assert manifest == {
        "entries": [
            {"url": f"s3://{bucket}/m/src_0000_part_00.parquet"},
            {"url": f"s3://{bucket}/m/src_0001_part_00.parquet"},
        ]
    }
    _unload(source, bucket, "v/src_", "MANIFEST VERBOSE PARALLEL OFF")
    verbose = json.loads(read(s3, bucket, "v/src_manifest"))
    assert verbose["entries"] == [
        {
            "url": f"s3://{bucket}/v/src_000",
            "meta": {"content_length": len(read(s3, bucket, "v/src_000")), "record_count": 4},
        }
    ]
    assert verbose["meta"]["record_count"] == 4
    elements = {e["name"]: e["type"] for e in verbose["schema"]["elements"]}
    assert elements["price"] == {"base": "numeric", "precision": 10, "scale": 2}
    assert elements["name"] == {"base": "character varying", "max_length": 20}
    assert elements["id"] == {"base": "integer"}


def test_allowoverwrite_and_the_error_without_it(source: Any, s3: Any, bucket: str) -> None:
    assert _unload(source, bucket, "o/src_", "")["Status"] == "FINISHED"
    again = _unload(source, bucket, "o/src_", "")
    assert again["Status"] == "FAILED"
    assert "Specified unload destination on S3 is not empty" in again["Error"]
    assert "ALLOWOVERWRITE" in again["Error"]
    assert _unload(source, bucket, "o/src_", "ALLOWOVERWRITE")["Status"] == "FINISHED"


def test_cleanpath_removes_what_was_there(source: Any, s3: Any, bucket: str) -> None:
    put(s3, bucket, "cp/stale_file", "old")
    put(s3, bucket, "cp/src_0007_part_00", "old")
    assert _unload(source, bucket, "cp/", "CLEANPATH PARALLEL OFF")["Status"] == "FINISHED"
    assert keys(s3, bucket, "cp/") == ["cp/000"]
    both = _unload(source, bucket, "cp/", "CLEANPATH ALLOWOVERWRITE")
    assert "ALLOWOVERWRITE and CLEANPATH" in both["Error"]


def test_partition_by(source: Any, s3: Any, bucket: str) -> None:
    query = "SELECT id, flag, name FROM src WHERE id <> 3 ORDER BY id"
    _unload(source, bucket, "p/", "FORMAT PARQUET PARTITION BY (flag)", query)
    names = keys(s3, bucket, "p/")
    assert names == [
        "p/flag=f/0000_part_00.parquet",
        "p/flag=t/0000_part_00.parquet",
        "p/flag=t/0001_part_00.parquet",
    ]
    true_rows = _parquet(s3, bucket, names[1:])
    assert true_rows.column_names == ["id", "name"]
    assert true_rows.column("id").to_pylist() == [1, 4]
    _unload(source, bucket, "pi/", "FORMAT PARQUET PARTITION BY (flag) INCLUDE PARALLEL OFF", query)
    assert _parquet(s3, bucket, ["pi/flag=f/000.parquet"]).column_names == ["id", "flag", "name"]


def test_maxfilesize_splits_files(dataapi_client: Any, s3: Any, bucket: str) -> None:
    ok(dataapi_client, "CREATE TABLE wide (id INT, pad VARCHAR(64))")
    ok(
        dataapi_client,
        "INSERT INTO wide SELECT i, 'padding-padding-padding-padding-padding-padding-pad' "
        "FROM generate_series(1, 120000) AS s(i)",
    )
    described = _unload(dataapi_client, bucket, "big/w_", "MAXFILESIZE 5 MB PARALLEL OFF",
                        "SELECT * FROM wide ORDER BY id")  # fmt: skip
    assert described["ResultRows"] == 120000
    names = keys(s3, bucket, "big/")
    assert names == ["big/w_000", "big/w_001"]
    sizes = [s3.head_object(Bucket=bucket, Key=k)["ContentLength"] for k in names]
    assert max(sizes) <= 5 * 1024 * 1024
    bad = _unload(dataapi_client, bucket, "big2/", "MAXFILESIZE 1 MB")
    assert "MAXFILESIZE must be between 5 MB and 6.2 GB" in bad["Error"]


def test_empty_result_still_writes_one_file(source: Any, s3: Any, bucket: str) -> None:
    described = _unload(source, bucket, "e/", "FORMAT PARQUET", "SELECT * FROM src WHERE id < 0")
    assert described["ResultRows"] == 0
    assert keys(s3, bucket, "e/") == ["e/0000_part_00.parquet"]
    assert _parquet(s3, bucket, ["e/0000_part_00.parquet"]).num_rows == 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("FORMAT PARQUET HEADER", "PARQUET is not compatible with HEADER"),
        ("FORMAT JSON DELIMITER ','", "JSON is not compatible"),
        ("DELIMITER ';;'", "single character"),
    ],
)
def test_bad_options(source: Any, bucket: str, options: str, message: str) -> None:
    assert message in _unload(source, bucket, "bad/", options)["Error"]


def test_unload_of_a_failing_query_writes_nothing(source: Any, s3: Any, bucket: str) -> None:
    described = _unload(source, bucket, "f/", "", "SELECT * FROM no_such_table")
    assert described["Status"] == "FAILED"
    assert "no_such_table" in described["Error"]
    assert keys(s3, bucket, "f/") == []


def test_unload_to_a_missing_bucket(source: Any) -> None:
    described = _unload(source, "no-such-bucket-rsdp", "x/", "")
    assert "NoSuchBucket" in described["Error"]
