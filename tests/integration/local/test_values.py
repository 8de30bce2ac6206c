"""Value encoding (Field members, text forms), CSV results and idempotency."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
from typing import Any

import pytest

from redshift_dataapi.local.engines.base import ColumnInfo
from redshift_dataapi.local.runtime.encoding import (
    encode_result,
    interval_text,
    numeric_text,
    time_text,
    timestamp_text,
    timestamptz_text,
    timetz_text,
)

from .helpers import TARGET, ok, wait

pytestmark = pytest.mark.usefixtures("local_service")


def _result(client: Any, sql: str) -> dict[str, Any]:
    described = ok(client, sql)
    result: dict[str, Any] = client.get_statement_result(Id=described["Id"])
    return result


def test_field_members_by_type(any_client: Any) -> None:
    result = _result(
        any_client,
        "SELECT CAST(1 AS SMALLINT) AS i2, CAST(2 AS INTEGER) AS i4, CAST(3 AS BIGINT) AS i8, "
        "CAST(1.5 AS DOUBLE PRECISION) AS f8, CAST(12.340 AS NUMERIC(10, 3)) AS num, "
        "TRUE AS flag, CAST('2024-02-29' AS DATE) AS d, "
        "CAST('2024-02-29 13:14:15.25' AS TIMESTAMP) AS ts, "
        "CAST('hi' AS VARCHAR(10)) AS v, CAST(NULL AS INTEGER) AS nothing",
    )
    types = [c["typeName"] for c in result["ColumnMetadata"]]
    assert types == ["int2", "int4", "int8", "float8", "numeric", "bool", "date", "timestamp",
                     "varchar", "int4"]  # fmt: skip
    assert result["ColumnMetadata"][4]["precision"] == 10
    assert result["ColumnMetadata"][4]["scale"] == 3
    assert result["Records"] == [
        [
            {"longValue": 1},
            {"longValue": 2},
            {"longValue": 3},
            {"doubleValue": 1.5},
            {"stringValue": "12.340"},
            {"booleanValue": True},
            {"stringValue": "2024-02-29"},
            {"stringValue": "2024-02-29 13:14:15.25"},
            {"stringValue": "hi"},
            {"isNull": True},
        ]
    ]


def test_csv_quoting_and_nulls(any_client: Any) -> None:
    sql = (
        "SELECT 1 AS n, 'plain' AS s UNION ALL SELECT 2, '' UNION ALL SELECT 3, NULL "
        "UNION ALL SELECT 4, 'say \"hi\", then' UNION ALL SELECT 5, 'two\nlines' ORDER BY n"
    )
    response = any_client.execute_statement(Sql=sql, ResultFormat="CSV", **TARGET)
    assert wait(any_client, response["Id"])["Status"] == "FINISHED"
    result = any_client.get_statement_result_v2(Id=response["Id"])
    text = "".join(chunk["CSVRecords"] for chunk in result["Records"])
    assert text == '1,plain\n2,""\n3,\n4,"say ""hi"", then"\n5,"two\nlines"\n'
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed == [
        ["1", "plain"],
        ["2", ""],
        ["3", ""],
        ["4", 'say "hi", then'],
        ["5", "two\nlines"],
    ]


def test_client_token_is_idempotent(any_client: Any) -> None:
    ok(any_client, "CREATE TABLE once (a INT)")
    request = {"Sql": "INSERT INTO once VALUES (1)", "ClientToken": "token-1", **TARGET}
    first = any_client.execute_statement(**request)
    second = any_client.execute_statement(**request)
    assert second["Id"] == first["Id"]
    wait(any_client, first["Id"])
    described = ok(any_client, "SELECT COUNT(*) FROM once")
    count = any_client.get_statement_result(Id=described["Id"])["Records"]
    assert count == [[{"longValue": 1}]]
    with pytest.raises(any_client.exceptions.ValidationException, match="ClientToken"):
        any_client.execute_statement(**{**request, "Sql": "INSERT INTO once VALUES (2)"})
    batch_request = {"Sqls": ["INSERT INTO once VALUES (3)"], "ClientToken": "token-2", **TARGET}
    batch = any_client.batch_execute_statement(**batch_request)
    assert any_client.batch_execute_statement(**batch_request)["Id"] == batch["Id"]


# -- text forms of types whose engine support varies (pure encoding) -------------


def test_text_forms() -> None:
    assert timestamp_text(dt.datetime(2024, 1, 2, 3, 4, 5)) == "2024-01-02 03:04:05"
    assert timestamp_text(dt.datetime(2024, 1, 2, 3, 4, 5, 120000)) == "2024-01-02 03:04:05.12"
    plus_two = dt.timezone(dt.timedelta(hours=2))
    aware = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=plus_two)
    assert timestamptz_text(aware) == "2024-01-02 01:04:05+00"
    assert time_text(dt.time(7, 8, 9, 500000)) == "07:08:09.5"
    assert timetz_text(dt.time(7, 8, 9, tzinfo=plus_two)) == "07:08:09+02"
    half = dt.timezone(dt.timedelta(hours=5, minutes=30))
    assert timetz_text(dt.time(7, 8, 9, tzinfo=half)) == "07:08:09+05:30"
    assert numeric_text(decimal.Decimal("1E+3")) == "1000"
    assert numeric_text(decimal.Decimal("0.000001")) == "0.000001"
    assert interval_text(dt.timedelta(days=1, hours=2)) == "1 day 02:00:00"
    assert interval_text(dt.timedelta(seconds=5)) == "00:00:05"
    assert interval_text("3 mons") == "3 mons"


def test_super_varbyte_and_timestamptz_fields() -> None:
    columns = [
        ColumnInfo("s", "super"),
        ColumnInfo("b", "varbyte"),
        ColumnInfo("t", "timestamptz"),
        ColumnInfo("f", "float4"),
    ]
    row = (
        '{"a":[1,2]}',
        b"\x00\xffab",
        dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc),
        float("nan"),
    )
    encoded = encode_result(columns, [row])
    fields = json.loads(encoded.page_records(0))[0]
    assert fields[0] == {"stringValue": '{"a":[1,2]}'}
    assert json.loads(fields[0]["stringValue"]) == {"a": [1, 2]}
    assert fields[1] == {"stringValue": "00ff6162"}
    assert fields[2] == {"stringValue": "2024-05-06 07:08:09+00"}
    csv_result = encode_result(columns, [row], "CSV")
    assert csv_result.pages == ['"{""a"":[1,2]}",00ff6162,2024-05-06 07:08:09+00,NaN\n']


def test_empty_result(any_client: Any) -> None:
    described = ok(any_client, "SELECT 1 AS a WHERE 1 = 0")
    assert described["HasResultSet"] is True
    assert described["ResultRows"] == 0
    result = any_client.get_statement_result(Id=described["Id"])
    assert result["Records"] == []
    assert result["TotalNumRows"] == 0
    assert [c["name"] for c in result["ColumnMetadata"]] == ["a"]
    assert "NextToken" not in result
