"""Formatting: AWS-CLI JSON for the verbs, table/JSON/CSV for query rows."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import decimal
import io
import json

from redshift_dataapi.cli.output import aws_json, format_csv, format_json_rows, format_table


def test_aws_json_drops_response_metadata_and_writes_iso_and_base64() -> None:
    created = dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.timezone.utc)
    text = aws_json(
        {
            "ResponseMetadata": {"RequestId": "x"},
            "CreatedAt": created,
            "Records": [[{"blobValue": b"\x00\xff"}]],
        }
    )
    data = json.loads(text)
    assert "ResponseMetadata" not in data
    assert dt.datetime.fromisoformat(data["CreatedAt"]) == created
    assert base64.b64decode(data["Records"][0][0]["blobValue"]) == b"\x00\xff"
    assert text.startswith("{\n    ")  # the AWS CLI's 4-space indent


def test_table_aligns_columns_and_counts_rows() -> None:
    rows = [(1, "a", None), (12345, "longer text", decimal.Decimal("1.50"))]
    lines = format_table(["id", "name", "amount"], rows).splitlines()
    header, rule, first, second, footer = lines
    assert header.split(" | ")[0].strip() == "id"
    # Every line puts its column separators in the same places.
    positions = {line.index("|") for line in (header, first, second)}
    assert len(positions) == 1
    assert rule.index("+") == header.index("|")
    # Numbers are right-aligned, text left-aligned, NULL shown.
    assert first.split(" | ")[0] == "    1"
    assert first.split(" | ")[1].startswith("a ")
    assert first.rstrip().endswith("NULL")
    assert footer == "(2 rows)"


def test_table_with_no_rows() -> None:
    lines = format_table(["x"], []).splitlines()
    assert lines[-1] == "(0 rows)"


def test_json_rows_keep_decimal_digits_and_iso_times() -> None:
    rows = [(decimal.Decimal("12345678901234567890.123"), dt.date(2016, 1, 2), None, True)]
    data = json.loads(format_json_rows(["n", "d", "x", "b"], rows))
    assert data == [{"n": "12345678901234567890.123", "d": "2016-01-02", "x": None, "b": True}]


def test_csv_has_header_quotes_and_empty_null() -> None:
    rows = [("a,b", None, 3), ('say "hi"', 2.5, 4)]
    text = format_csv(["text", "f", "i"], rows)
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed == [["text", "f", "i"], ["a,b", "", "3"], ['say "hi"', "2.5", "4"]]
