"""COPY from S3 in every format the local endpoint serves, on both engines.

Each test writes objects to a fresh bucket of the embedded moto S3, runs
COPY through a real boto3 ``redshift-data`` client, and reads the table back.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from .helpers import ROLE, ok, put, rows, run

TABLE = "CREATE TABLE trips (id INT, vendor VARCHAR(10), fare NUMERIC(8,2), day DATE)"
EXPECTED = [
    [1, "acme", "4.50", "2016-01-01"],
    [2, "bolt, inc", "12.00", "2016-01-02"],
    [3, "cab", None, "2016-01-03"],
]


def _table(client: Any) -> None:
    ok(client, TABLE)


def _loaded(client: Any) -> list[list[Any]]:
    return rows(client, "SELECT id, vendor, fare, day FROM trips ORDER BY id")


def test_csv_with_header_and_quotes(dataapi_client: Any, s3: Any, bucket: str) -> None:
    _table(dataapi_client)
    put(
        s3,
        bucket,
        "csv/part1.csv",
        'id,vendor,fare,day\n1,acme,4.50,2016-01-01\n2,"bolt, inc",12,2016-01-02\n'
        "3,cab,,2016-01-03\n",
    )
    described = ok(
        dataapi_client,
        f"COPY trips FROM 's3://{bucket}/csv/' {ROLE} CSV IGNOREHEADER 1",
    )
    assert described["ResultRows"] == 3
    assert _loaded(dataapi_client) == EXPECTED


def test_csv_quote_as_another_character(dataapi_client: Any, s3: Any, bucket: str) -> None:
    _table(dataapi_client)
    put(s3, bucket, "q.csv", "1;%ac;me%;4.5;2016-01-01\n")
    ok(
        dataapi_client,
        f"COPY trips FROM 's3://{bucket}/q.csv' {ROLE} FORMAT AS CSV QUOTE AS '%' DELIMITER ';'",
    )
    assert rows(dataapi_client, "SELECT vendor FROM trips") == [["ac;me"]]


def test_pipe_delimited_text_is_the_default(dataapi_client: Any, s3: Any, bucket: str) -> None:
    _table(dataapi_client)
    put(
        s3,
        bucket,
        "t.txt",
        "1|acme|4.50|2016-01-01\n2|bolt, inc|12|2016-01-02\n3|cab|\\N|2016-01-03\n",
    )
    ok(dataapi_client, f"COPY trips FROM 's3://{bucket}/t.txt' {ROLE}")
    assert _loaded(dataapi_client) == EXPECTED


def test_delimiter_tab(dataapi_client: Any, s3: Any, bucket: str) -> None:
    _table(dataapi_client)
    put(s3, bucket, "t.tsv", "1\tacme\t4.5\t2016-01-01\n")
    ok(dataapi_client, f"COPY trips FROM 's3://{bucket}/t.tsv' {ROLE} DELIMITER '\\t'")
    assert _loaded(dataapi_client) == [EXPECTED[0]]


def test_fixedwidth(dataapi_client: Any, s3: Any, bucket: str) -> None:
    _table(dataapi_client)
    lines = [("1", "acme", "4.50", "2016-01-01"), ("3", "cab", "", "2016-01-03")]
    text = "".join(f"{i:<2}{v:<10}{f:>6}{d:<10}\n" for i, v, f, d in lines)
    put(s3, bucket, "f.txt", text)
    ok(
        dataapi_client,
        f"COPY trips FROM 's3://{bucket}/f.txt' {ROLE} FIXEDWIDTH 'id:2,vendor:10,fare:6,day:10'",
    )
    assert rows(dataapi_client, "SELECT id, trim(vendor), fare, day FROM trips ORDER BY id") == [
        [1, "acme", "4.50", "2016-01-01"],
        [3, "cab", None, "2016-01-03"],
    ]


def test_json_auto_matches_keys_to_columns(dataapi_client: Any, s3: Any, bucket: str) -> None:
    _table(dataapi_client)
    objects = [
        {"id": 1, "vendor": "acme", "fare": 4.5, "day": "2016-01-01", "extra": True},
        {"day": "2016-01-02", "id": 2, "vendor": "bolt, inc", "fare": "12"},
        {"id": 3, "vendor": "cab", "fare": None, "day": "2016-01-03"},
    ]
    text = json.dumps(objects[0]) + "\n" + json.dumps(objects[1], indent=2) + json.dumps(objects[2])
    put(s3, bucket, "j.json", text)
    ok(dataapi_client, f"COPY trips FROM 's3://{bucket}/j.json' {ROLE} FORMAT AS JSON 'auto'")
    assert _loaded(dataapi_client) == EXPECTED


def test_json_auto_ignorecase(dataapi_client: Any, s3: Any, bucket: str) -> None:
    _table(dataapi_client)
    put(s3, bucket, "j.json", '{"ID": 1, "Vendor": "acme", "FARE": 4.5, "Day": "2016-01-01"}')
    ok(dataapi_client, f"COPY trips FROM 's3://{bucket}/j.json' {ROLE} JSON 'auto ignorecase'")
    assert _loaded(dataapi_client) == [EXPECTED[0]]


def test_json_with_jsonpaths_file(dataapi_client: Any, s3: Any, bucket: str) -> None:
    _table(dataapi_client)
    paths = put(
        s3,
        bucket,
        "paths.json",
        json.dumps({"jsonpaths": ["$.trip.id", "$['who']", "$.money[1]", "$.trip.when"]}),
    )
    put(
        s3,
        bucket,
        "data/j.json",
        '{"trip": {"id": 1, "when": "2016-01-01"}, "who": "acme", "money": [0, 4.5]}',
    )
    ok(dataapi_client, f"COPY trips FROM 's3://{bucket}/data/' {ROLE} JSON '{paths}'")
    assert _loaded(dataapi_client) == [EXPECTED[0]]


def test_parquet_loads_columns_by_position(dataapi_client: Any, s3: Any, bucket: str) -> None:
    _table(dataapi_client)
    table = pa.table(
        {
            "a": pa.array([1, 2, 3], pa.int64()),
            "b": ["acme", "bolt, inc", "cab"],
            "c": pa.array(["4.50", "12.00", None]).cast(pa.decimal128(8, 2)),
            "d": pa.array([16801, 16802, 16803], pa.int32()).cast(pa.date32()),
        }
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    put(s3, bucket, "p/part-0.parquet", buffer.getvalue())
    described = ok(dataapi_client, f"COPY trips FROM 's3://{bucket}/p/' {ROLE} FORMAT AS PARQUET")
    assert described["ResultRows"] == 3
    assert _loaded(dataapi_client) == EXPECTED


@pytest.mark.parametrize(
    ("option", "compress"),
    [
        ("GZIP", gzip.compress),
        ("BZIP2", bz2.compress),
        ("ZSTD", lambda data: zstandard.ZstdCompressor().compress(data)),
    ],
)
def test_compressed_files(
    dataapi_client: Any, s3: Any, bucket: str, option: str, compress: Any
) -> None:
    _table(dataapi_client)
    put(s3, bucket, "z/a", compress(b"1,acme,4.50,2016-01-01\n"))
    put(s3, bucket, "z/b", compress(b'2,"bolt, inc",12,2016-01-02\n3,cab,,2016-01-03\n'))
    ok(dataapi_client, f"COPY trips FROM 's3://{bucket}/z/' {ROLE} CSV {option}")
    assert _loaded(dataapi_client) == EXPECTED


def test_prefix_loads_every_key_that_starts_with_it(
    dataapi_client: Any, s3: Any, bucket: str
) -> None:
    _table(dataapi_client)
    put(s3, bucket, "load/trips_1.txt", "1|acme|4.5|2016-01-01\n")
    put(s3, bucket, "load/trips_2.txt", "2|bolt, inc|12|2016-01-02\n")
    put(s3, bucket, "load/trips_2/nested.txt", "3|cab|\\N|2016-01-03\n")
    put(s3, bucket, "load/other.txt", "9|not|1|2016-01-09\n")
    put(s3, bucket, "loadx.txt", "9|not|1|2016-01-09\n")
    described = ok(dataapi_client, f"COPY trips FROM 's3://{bucket}/load/trips_' {ROLE}")
    assert described["ResultRows"] == 3
    assert _loaded(dataapi_client) == EXPECTED


def test_manifest_names_the_files(dataapi_client: Any, s3: Any, bucket: str) -> None:
    _table(dataapi_client)
    first = put(s3, bucket, "m/one.txt", "1|acme|4.5|2016-01-01\n")
    second = put(s3, bucket, "elsewhere/two.txt", "3|cab|\\N|2016-01-03\n")
    put(s3, bucket, "m/ignored.txt", "2|bolt|12|2016-01-02\n")
    manifest = {
        "entries": [
            {"url": first, "mandatory": True},
            {"url": second, "mandatory": True},
            {"url": f"s3://{bucket}/m/missing-but-optional.txt", "mandatory": False},
        ]
    }
    put(s3, bucket, "m.manifest", json.dumps(manifest))
    ok(dataapi_client, f"COPY trips FROM 's3://{bucket}/m.manifest' {ROLE} MANIFEST")
    assert [r[0] for r in _loaded(dataapi_client)] == [1, 3]


def test_copy_in_a_batch_rolls_back_with_it(dataapi_client: Any, s3: Any, bucket: str) -> None:
    _table(dataapi_client)
    put(s3, bucket, "b.txt", "1|acme|4.5|2016-01-01\n")
    response = dataapi_client.batch_execute_statement(
        Sqls=[f"COPY trips FROM 's3://{bucket}/b.txt' {ROLE}", "SELECT 1/0"],
        ClusterIdentifier="local-cluster",
        Database="dev",
    )
    from tests.integration.local.helpers import wait

    assert wait(dataapi_client, response["Id"])["Status"] == "FAILED"
    assert rows(dataapi_client, "SELECT COUNT(*) FROM trips") == [[0]]
    described = run(dataapi_client, f"COPY trips FROM 's3://{bucket}/b.txt' {ROLE}")
    assert described["ResultRows"] == 1
