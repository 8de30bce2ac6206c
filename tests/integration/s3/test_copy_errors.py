"""COPY's failures: each fails the statement clearly and loads nothing.

Bad rows are recorded in STL_LOAD_ERRORS and SYS_LOAD_ERROR_DETAIL with the
documented columns; S3 failures (no bucket, no key, another region, a bad
manifest) and malformed statements fail with Redshift's wording.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from redshift_dataapi.local.aws import AwsSettings

from .helpers import ROLE, ok, put, rows, run

TABLE = "CREATE TABLE target (id INT, name VARCHAR(5), day DATE)"
STL_COLUMNS = [
    "userid", "slice", "tbl", "starttime", "session", "query", "filename", "line_number",
    "colname", "type", "col_length", "position", "raw_line", "raw_field_value", "err_code",
    "err_reason", "is_partial", "start_offset", "copy_job_id",
]  # fmt: skip
SYS_COLUMNS = [
    "user_id", "query_id", "transaction_id", "session_id", "database_name", "table_id",
    "start_time", "file_name", "line_number", "column_name", "column_type", "column_length",
    "position", "error_code", "error_message",
]  # fmt: skip
LOAD_FAILED = "Load into table 'target' failed.  Check 'stl_load_errors' system table for details."


def _columns(client: Any, sql: str) -> list[str]:
    described = ok(client, sql)
    result = client.get_statement_result(Id=described["Id"])
    return [c["name"] for c in result["ColumnMetadata"]]


def _failed(client: Any, sql: str) -> str:
    described = run(client, sql)
    assert described["Status"] == "FAILED", described
    return str(described["Error"])


def test_malformed_row_fails_the_copy_and_loads_nothing(
    dataapi_client: Any, s3: Any, bucket: str
) -> None:
    ok(dataapi_client, TABLE)
    put(s3, bucket, "in/1.txt", "1|ok|2016-01-01\n2|ok|2016-01-02\n")
    put(s3, bucket, "in/2.txt", "3|ok|2016-01-03\n4|fine|2016-13-45\n")
    described = run(dataapi_client, f"COPY target FROM 's3://{bucket}/in/' {ROLE}")
    assert described["Status"] == "FAILED"
    assert LOAD_FAILED in described["Error"]
    assert rows(dataapi_client, "SELECT COUNT(*) FROM target") == [[0]]
    query_id = described["RedshiftQueryId"]
    recorded = rows(
        dataapi_client,
        "SELECT query, trim(filename), line_number, trim(colname), trim(type), "
        "trim(raw_line), trim(raw_field_value), err_code FROM stl_load_errors "
        f"WHERE query = {query_id}",
    )
    assert recorded == [
        [query_id, f"s3://{bucket}/in/2.txt", 2, "day", "date", "4|fine|2016-13-45", "2016-13-45",
         1205],
    ]  # fmt: skip
    detail = rows(
        dataapi_client,
        "SELECT query_id, trim(file_name), line_number, trim(column_name), error_code, "
        f"database_name FROM sys_load_error_detail WHERE query_id = {query_id}",
    )
    assert detail == [[query_id, f"s3://{bucket}/in/2.txt", 2, "day", 1205, "dev"]]


def test_load_error_tables_have_the_documented_columns(dataapi_client: Any) -> None:
    ok(dataapi_client, TABLE)
    assert _columns(dataapi_client, "SELECT * FROM stl_load_errors") == STL_COLUMNS
    assert _columns(dataapi_client, "SELECT * FROM sys_load_error_detail") == SYS_COLUMNS


def test_errors_stay_recorded_when_the_session_rolls_back(
    dataapi_client: Any, s3: Any, bucket: str
) -> None:
    ok(dataapi_client, TABLE)
    put(s3, bucket, "bad.txt", "x|name|2016-01-01\n")
    opened = dataapi_client.execute_statement(
        Sql="BEGIN", ClusterIdentifier="local-cluster", Database="dev",
        SessionKeepAliveSeconds=60, WaitTimeSeconds=10,
    )  # fmt: skip
    session = {"SessionId": opened["SessionId"]}
    described = run(dataapi_client, f"COPY target FROM 's3://{bucket}/bad.txt' {ROLE}", **session)
    assert described["Status"] == "FAILED"
    run(dataapi_client, "ROLLBACK", **session)
    reasons = rows(dataapi_client, "SELECT err_code FROM stl_load_errors")
    assert reasons == [[1207]]


@pytest.mark.parametrize(
    ("body", "code", "column"),
    [
        ("1|toolongname|2016-01-01\n", 1204, "name"),
        ("1|a|2016-01-01|extra\n", 1202, ""),
        ("1|a\n", 1214, "day"),
        ("1.5|a|2016-01-01\n", 1207, "id"),
    ],
)
def test_each_kind_of_bad_row_has_its_code(
    dataapi_client: Any, s3: Any, bucket: str, body: str, code: int, column: str
) -> None:
    ok(dataapi_client, TABLE)
    put(s3, bucket, "bad.txt", body)
    assert LOAD_FAILED in _failed(
        dataapi_client, f"COPY target FROM 's3://{bucket}/bad.txt' {ROLE}"
    )
    assert rows(dataapi_client, "SELECT err_code, trim(colname) FROM stl_load_errors") == [
        [code, column]
    ]


def test_missing_bucket(dataapi_client: Any) -> None:
    ok(dataapi_client, TABLE)
    error = _failed(dataapi_client, f"COPY target FROM 's3://no-such-bucket-rsdp/x' {ROLE}")
    assert "S3ServiceException:The specified bucket does not exist" in error
    assert "NoSuchBucket" in error


def test_missing_key_prefix(dataapi_client: Any, bucket: str) -> None:
    ok(dataapi_client, TABLE)
    error = _failed(dataapi_client, f"COPY target FROM 's3://{bucket}/nothing/here' {ROLE}")
    assert "The specified S3 prefix 'nothing/here' does not exist" in error


@pytest.fixture
def west_bucket(aws: AwsSettings) -> Iterator[str]:
    """A bucket in us-west-2: not the local cluster's region."""
    client = aws.client("s3", "us-west-2")
    name = "rsdp-west-" + uuid.uuid4().hex[:12]
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    client.put_object(Bucket=name, Key="data.txt", Body=b"1|west|2016-01-01\n")
    yield name
    client.delete_object(Bucket=name, Key="data.txt")
    client.delete_bucket(Bucket=name)


def test_bucket_in_another_region_needs_region(dataapi_client: Any, west_bucket: str) -> None:
    ok(dataapi_client, TABLE)
    error = _failed(dataapi_client, f"COPY target FROM 's3://{west_bucket}/data.txt' {ROLE}")
    assert "PermanentRedirect" in error and "us-west-2" in error
    error = _failed(
        dataapi_client, f"COPY target FROM 's3://{west_bucket}/data.txt' {ROLE} REGION 'eu-west-1'"
    )
    assert "PermanentRedirect" in error
    ok(dataapi_client, f"COPY target FROM 's3://{west_bucket}/data.txt' {ROLE} REGION 'us-west-2'")
    assert rows(dataapi_client, "SELECT name FROM target") == [["west"]]


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("not json", "Manifest file is not in correct json format"),
        ('{"files": []}', "Manifest file is not in correct json format"),
        ('{"entries": [{"url": "s3://BUCKET/absent.txt", "mandatory": true}]}',
         "lists a mandatory file that does not exist"),
    ],
)  # fmt: skip
def test_bad_manifest(
    dataapi_client: Any, s3: Any, bucket: str, manifest: str, message: str
) -> None:
    ok(dataapi_client, TABLE)
    put(s3, bucket, "present.txt", "1|a|2016-01-01\n")
    source = put(s3, bucket, "load.manifest", manifest.replace("BUCKET", bucket))
    error = _failed(dataapi_client, f"COPY target FROM '{source}' {ROLE} MANIFEST")
    assert message in error
    assert rows(dataapi_client, "SELECT COUNT(*) FROM target") == [[0]]


@pytest.mark.parametrize(
    ("clause", "message"),
    [
        ("", "syntax error"),
        ("IAM_ROLE 'not-an-arn'", "Invalid IAM_ROLE"),
        ("CREDENTIALS 'aws_access_key_id=AKIA'", "Invalid credentials"),
        ("ACCESS_KEY_ID 'AKIAEXAMPLE'", "ACCESS_KEY_ID and SECRET_ACCESS_KEY"),
        (f"{ROLE} FORMAT AS ORC", "not served by the local endpoint"),
        (f"{ROLE} CSV ESCAPE", "CSV is not compatible with ESCAPE"),
        (f"{ROLE} BOGUSOPTION", 'syntax error at or near "BOGUSOPTION"'),
    ],
)
def test_malformed_statements(dataapi_client: Any, bucket: str, clause: str, message: str) -> None:
    ok(dataapi_client, TABLE)
    sql = f"COPY target FROM 's3://{bucket}/x' {clause}"
    if not clause:
        sql = "COPY target FROM"
    assert message in _failed(dataapi_client, sql)


def test_copy_into_a_missing_table(dataapi_client: Any, s3: Any, bucket: str) -> None:
    put(s3, bucket, "x.txt", "1\n")
    error = _failed(dataapi_client, f"COPY nowhere FROM 's3://{bucket}/x.txt' {ROLE}")
    assert "nowhere" in error and "does not exist" in error


@pytest.mark.parametrize(
    ("clause", "kind", "shown"),
    [
        (ROLE, "IAM_ROLE", "arn:aws:iam::123456789012:role/RedshiftCopyUnload"),
        ("IAM_ROLE default", "IAM_ROLE", "default"),
        ("CREDENTIALS 'aws_iam_role=arn:aws:iam::123456789012:role/R'", "CREDENTIALS",
         "arn:aws:iam::123456789012:role/R"),
        ("CREDENTIALS 'aws_access_key_id=AKIAEXAMPLE;aws_secret_access_key=SeCrEt'",
         "CREDENTIALS", "AKIAEXAMPLE"),
        ("ACCESS_KEY_ID 'AKIAEXAMPLE' SECRET_ACCESS_KEY 'SeCrEt' SESSION_TOKEN 'tok'",
         "ACCESS_KEY", "AKIAEXAMPLE with session token"),
    ],
)  # fmt: skip
def test_authorization_is_accepted_and_recorded_without_secrets(
    local_service: Any, dataapi_client: Any, s3: Any, bucket: str, clause: str, kind: str,
    shown: str, caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    ok(dataapi_client, TABLE)
    put(s3, bucket, "x.txt", "1|a|2016-01-01\n")
    with caplog.at_level("INFO", logger="redshift_dataapi.local.loads"):
        ok(dataapi_client, f"COPY target FROM 's3://{bucket}/x.txt' {clause}")
    record = local_service.loads.history[-1]
    assert record.authorization.kind == kind
    assert record.authorization.describe() == f"{kind} {shown}"
    assert "SeCrEt" not in caplog.text and "tok'" not in caplog.text
    assert shown in caplog.text


def test_manifest_json_entries_need_urls(dataapi_client: Any, s3: Any, bucket: str) -> None:
    ok(dataapi_client, TABLE)
    source = put(s3, bucket, "m.json", json.dumps({"entries": [{"mandatory": True}]}))
    assert "Manifest file is not in correct json format" in _failed(
        dataapi_client, f"COPY target FROM '{source}' {ROLE} MANIFEST"
    )
