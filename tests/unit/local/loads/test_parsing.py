"""COPY/UNLOAD recognition and parsing, without an engine or S3."""

from __future__ import annotations

import datetime as dt

import pytest

from redshift_dataapi.local.engines.base import EngineError
from redshift_dataapi.local.loads import statement_kind
from redshift_dataapi.local.loads.datetimes import date_parser, timestamp_parser
from redshift_dataapi.local.loads.options import parse_copy, parse_unload, unquote
from redshift_dataapi.local.loads.records import text_records
from redshift_dataapi.local.loads.text_output import text_value


@pytest.mark.parametrize(
    ("sql", "kind"),
    [
        ("COPY t FROM 's3://b/k' IAM_ROLE default", "COPY"),
        ("  -- load\n/* block */ copy t from 's3://b/k'", "COPY"),
        ("unload ('select 1') to 's3://b/p'", "UNLOAD"),
        ("SELECT 'COPY t FROM x'", None),
        ('SELECT 1 AS "copy"', None),
        ("INSERT INTO copy_log VALUES (1)", None),
        ("", None),
    ],
)
def test_statement_kind(sql: str, kind: str | None) -> None:
    assert statement_kind(sql) == kind


def test_copy_options_are_read_with_or_without_as() -> None:
    command = parse_copy(
        'COPY "Sales".orders (id, "Note") FROM \'s3://b/p/\' '
        "CREDENTIALS 'aws_access_key_id=AK;aws_secret_access_key=SK;token=T' "
        "FORMAT AS CSV QUOTE AS '''' DELIMITER AS '\\t' GZIP IGNOREHEADER AS 2 NULL AS 'nil' "
        "DATEFORMAT 'auto' TIMEFORMAT AS 'epochsecs' ACCEPTINVCHARS MAXERROR AS 5 "
        "COMPUPDATE OFF STATUPDATE ON EMPTYASNULL REGION 'us-west-2';"
    )
    assert command.table == '"Sales".orders' and command.table_label == "orders"
    assert command.columns == ["id", "Note"]
    assert command.auth.kind == "CREDENTIALS" and command.auth.access_key_id == "AK"
    assert command.auth.has_session_token
    assert (command.format, command.quote, command.delimiter) == ("CSV", "'", "\t")
    assert (command.compression, command.ignore_header, command.null_as) == ("GZIP", 2, "nil")
    assert (command.date_format, command.time_format) == ("auto", "epochsecs")
    assert (command.accept_inv_chars, command.max_error, command.region) == ("?", 5, "us-west-2")
    assert command.empty_as_null


def test_unload_options() -> None:
    command = parse_unload(
        "UNLOAD ('select * from t where name = ''x''') TO 's3://b/p_' IAM_ROLE default "
        "PARQUET PARTITION BY (day, region) INCLUDE MANIFEST VERBOSE MAXFILESIZE 1 GB "
        "PARALLEL OFF CLEANPATH"
    )
    assert command.query == "select * from t where name = 'x'"
    assert command.partition_by == ["day", "region"] and command.partition_include
    assert command.manifest_verbose and command.max_file_size == 1024**3
    assert not command.parallel and command.clean_path


@pytest.mark.parametrize(
    "sql",
    [
        "COPY t FROM 'https://example.com/x'",
        "COPY t FROM 's3://b/k' IAM_ROLE default DELIMITER '||'",
        "UNLOAD (select 1) TO 's3://b/k'",
        "UNLOAD ('select 1') TO 's3://b/k' PARALLEL OFF ROWGROUPSIZE",
    ],
)
def test_malformed_statements_raise_engine_errors(sql: str) -> None:
    with pytest.raises(EngineError, match=r"SQLSTATE"):
        parse_copy(sql) if sql.startswith("COPY") else parse_unload(sql)


def test_string_literals() -> None:
    assert unquote("'it''s'") == "it's"
    assert unquote("'a\\tb\\001'") == "a\tb\x01"


def test_date_and_time_formats() -> None:
    assert date_parser("DD-MON-YYYY")("05-Feb-2016") == dt.date(2016, 2, 5)
    assert date_parser(None)("2016-02-05") == dt.date(2016, 2, 5)
    with pytest.raises(ValueError):
        date_parser(None)("02/05/2016")
    assert timestamp_parser("auto", aware=True)("2016-02-05T01:02:03+02:00") == dt.datetime(
        2016, 2, 4, 23, 2, 3, tzinfo=dt.timezone.utc
    )
    assert timestamp_parser("YYYYMMDD HH24MISS", aware=False)("20160205 010203") == dt.datetime(
        2016, 2, 5, 1, 2, 3
    )


def test_text_records_count_lines_past_header_and_blank_lines() -> None:
    command = parse_copy("COPY t FROM 's3://b/k' IAM_ROLE default IGNOREHEADER 1 IGNOREBLANKLINES")
    records = list(text_records("head\n1|a\n\n2|\\N\n", command))
    assert [(r.line, r.fields) for r in records] == [(2, ["1", "a"]), (4, ["2", None])]


def test_text_values_read_as_redshift_writes_them() -> None:
    assert text_value(4.300000190734863, "float4") == "4.3"
    assert text_value(True, "bool") == "t"
    aware = dt.datetime(2016, 1, 1, 1, 2, 3, tzinfo=dt.timezone.utc)
    assert text_value(aware, "timestamptz") == "2016-01-01 01:02:03+00"
