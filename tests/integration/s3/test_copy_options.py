"""COPY's data-conversion options, each on both engines."""

from __future__ import annotations

from typing import Any

import pytest

from .helpers import ROLE, ok, put, rows, run

TABLE = (
    "CREATE TABLE opts (id INT, note VARCHAR(8), fare NUMERIC(6,2), day DATE, "
    "at TIMESTAMP, flag BOOLEAN)"
)


def _copy(client: Any, s3: Any, bucket: str, body: str, options: str) -> dict[str, Any]:
    ok(client, TABLE)
    source = put(s3, bucket, "in/data.txt", body)
    return run(client, f"COPY opts FROM '{source}' {ROLE} {options}")


def _all(client: Any, columns: str = "*") -> list[list[Any]]:
    return rows(client, f"SELECT {columns} FROM opts ORDER BY id")


def test_ignoreheader_skips_lines(dataapi_client: Any, s3: Any, bucket: str) -> None:
    body = "header one\nheader two\n1|a|1|2016-01-01|2016-01-01 00:00:00|t\n"
    described = _copy(dataapi_client, s3, bucket, body, "IGNOREHEADER AS 2")
    assert described["Status"] == "FINISHED", described.get("Error")
    assert _all(dataapi_client, "id") == [[1]]


def test_null_as(dataapi_client: Any, s3: Any, bucket: str) -> None:
    body = "1|NIL|NIL|NIL|NIL|NIL\n2|x|1|2016-01-01|2016-01-01 00:00:00|f\n"
    _copy(dataapi_client, s3, bucket, body, "NULL AS 'NIL'")
    assert _all(dataapi_client, "id, note, fare, day, at, flag") == [
        [1, None, None, None, None, None],
        [2, "x", "1.00", "2016-01-01", "2016-01-01 00:00:00", False],
    ]


def test_empty_fields_of_other_types_load_null_and_emptyasnull(
    dataapi_client: Any, s3: Any, bucket: str
) -> None:
    body = "1|||||\n"
    _copy(dataapi_client, s3, bucket, body, "")
    assert _all(dataapi_client, "note, fare, day, at, flag") == [["", None, None, None, None]]
    ok(dataapi_client, "DROP TABLE opts")
    _copy(dataapi_client, s3, bucket, body, "EMPTYASNULL")
    assert _all(dataapi_client, "note") == [[None]]


def test_blanksasnull(dataapi_client: Any, s3: Any, bucket: str) -> None:
    _copy(dataapi_client, s3, bucket, "1|   ||||\n", "BLANKSASNULL")
    assert _all(dataapi_client, "note") == [[None]]


@pytest.mark.parametrize(
    ("options", "day", "at", "expected"),
    [
        (
            "DATEFORMAT 'MM/DD/YYYY' TIMEFORMAT 'DD.MM.YYYY HH24:MI:SS'",
            "01/31/2016",
            "31.01.2016 23:59:58",
            ["2016-01-31", "2016-01-31 23:59:58"],
        ),
        (
            "DATEFORMAT 'auto' TIMEFORMAT 'auto'",
            "Jan 31, 2016",
            "2016-01-31T23:59:58.250",
            ["2016-01-31", "2016-01-31 23:59:58.25"],
        ),
        (
            "TIMEFORMAT 'epochsecs'",
            "2016-01-31",
            "1454284798",
            ["2016-01-31", "2016-01-31 23:59:58"],
        ),
        (
            "TIMEFORMAT 'epochmillisecs'",
            "2016-01-31",
            "1454284798500",
            ["2016-01-31", "2016-01-31 23:59:58.5"],
        ),
        (
            "TIMEFORMAT 'YYYY-MM-DD HH12:MI:SS AM'",
            "2016-01-31",
            "2016-01-31 11:59:58 PM",
            ["2016-01-31", "2016-01-31 23:59:58"],
        ),
    ],
)
def test_dateformat_and_timeformat(
    dataapi_client: Any,
    s3: Any,
    bucket: str,
    options: str,
    day: str,
    at: str,
    expected: list[str],
) -> None:
    described = _copy(dataapi_client, s3, bucket, f"1|x|1|{day}|{at}|t\n", options)
    assert described["Status"] == "FINISHED", described.get("Error")
    assert _all(dataapi_client, "day, at") == [expected]


def test_acceptinvchars_replaces_bad_bytes(dataapi_client: Any, s3: Any, bucket: str) -> None:
    ok(dataapi_client, TABLE)
    source = put(s3, bucket, "bad-utf8.txt", b"1|a\xffb|1|2016-01-01|2016-01-01 00:00:00|t\n")
    failed = run(dataapi_client, f"COPY opts FROM '{source}' {ROLE}")
    assert failed["Status"] == "FAILED"
    ok(dataapi_client, f"COPY opts FROM '{source}' {ROLE} ACCEPTINVCHARS AS '^'")
    ok(dataapi_client, f"COPY opts FROM '{source}' {ROLE} ACCEPTINVCHARS")
    assert _all(dataapi_client, "note") == [["a^b"], ["a?b"]]


def test_truncatecolumns_cuts_long_strings(dataapi_client: Any, s3: Any, bucket: str) -> None:
    body = "1|ninechars|1|2016-01-01|2016-01-01 00:00:00|t\n"
    assert _copy(dataapi_client, s3, bucket, body, "")["Status"] == "FAILED"
    ok(dataapi_client, f"COPY opts FROM 's3://{bucket}/in/data.txt' {ROLE} TRUNCATECOLUMNS")
    assert _all(dataapi_client, "note") == [["ninechar"]]


def test_maxerror_skips_bad_rows_up_to_the_limit(dataapi_client: Any, s3: Any, bucket: str) -> None:
    body = "1|a|1|2016-01-01||\nx|b|1|2016-01-01||\n3|c|zz|2016-01-01||\n4|d|1|2016-01-01||\n"
    described = _copy(dataapi_client, s3, bucket, body, "MAXERROR 1")
    assert described["Status"] == "FAILED"
    assert rows(dataapi_client, "SELECT COUNT(*) FROM opts") == [[0]]
    described = run(dataapi_client, f"COPY opts FROM 's3://{bucket}/in/data.txt' {ROLE} MAXERROR 2")
    assert described["Status"] == "FINISHED", described.get("Error")
    assert described["ResultRows"] == 2
    assert _all(dataapi_client, "id") == [[1], [4]]


def test_escape(dataapi_client: Any, s3: Any, bucket: str) -> None:
    body = "1|a\\|b|1|2016-01-01||\n2|c\\\\d|1|2016-01-01||\n3|e\\\nf|1|2016-01-01||\n"
    described = _copy(dataapi_client, s3, bucket, body, "ESCAPE")
    assert described["Status"] == "FINISHED", described.get("Error")
    assert _all(dataapi_client, "note") == [["a|b"], ["c\\d"], ["e\nf"]]


def test_removequotes(dataapi_client: Any, s3: Any, bucket: str) -> None:
    body = "1|\"a|b\"|1|2016-01-01||\n2|'cd'|1|2016-01-01||\n"
    _copy(dataapi_client, s3, bucket, body, "REMOVEQUOTES")
    assert _all(dataapi_client, "note") == [["a|b"], ["cd"]]


def test_fillrecord_fills_missing_trailing_columns(
    dataapi_client: Any, s3: Any, bucket: str
) -> None:
    body = "1|a\n2|b|2\n"
    assert _copy(dataapi_client, s3, bucket, body, "")["Status"] == "FAILED"
    ok(dataapi_client, f"COPY opts FROM 's3://{bucket}/in/data.txt' {ROLE} FILLRECORD")
    assert _all(dataapi_client) == [
        [1, "a", None, None, None, None],
        [2, "b", "2.00", None, None, None],
    ]


def test_ignoreblanklines(dataapi_client: Any, s3: Any, bucket: str) -> None:
    body = "1|a|1|2016-01-01||\n\n2|b|1|2016-01-01||\n"
    assert _copy(dataapi_client, s3, bucket, body, "")["Status"] == "FAILED"
    ok(dataapi_client, f"COPY opts FROM 's3://{bucket}/in/data.txt' {ROLE} IGNOREBLANKLINES")
    assert _all(dataapi_client, "id") == [[1], [2]]


def test_column_list_leaves_the_others_to_their_defaults(
    dataapi_client: Any, s3: Any, bucket: str
) -> None:
    ok(dataapi_client, "CREATE TABLE listed (id INT, note VARCHAR(8) DEFAULT 'none', fare INT)")
    source = put(s3, bucket, "l.csv", "5,7\n")
    described = ok(dataapi_client, f"COPY listed (fare, id) FROM '{source}' {ROLE} CSV")
    assert described["ResultRows"] == 1
    assert rows(dataapi_client, "SELECT id, note, fare FROM listed") == [[7, "none", 5]]


def test_roundec_rounds_instead_of_truncating(dataapi_client: Any, s3: Any, bucket: str) -> None:
    body = "1|a|2.345|2016-01-01||\n"
    _copy(dataapi_client, s3, bucket, body, "")
    ok(dataapi_client, f"COPY opts FROM 's3://{bucket}/in/data.txt' {ROLE} ROUNDEC")
    assert rows(dataapi_client, "SELECT fare FROM opts ORDER BY fare") == [["2.34"], ["2.35"]]


def test_rowcount_is_rows_loaded_through_the_driver(
    local_service: Any, s3: Any, bucket: str
) -> None:
    import redshift_dataapi
    from redshift_dataapi.local import inprocess_client

    source = put(s3, bucket, "d.csv", "1,a\n2,b\n3,c\n")
    connection = redshift_dataapi.connect(
        database="dev",
        cluster_identifier="local",
        client=inprocess_client(local_service),
        autocommit=True,
    )
    cursor = connection.cursor()
    cursor.execute("CREATE TABLE driven (id INT, note VARCHAR(4))")
    cursor.execute(f"COPY driven FROM '{source}' {ROLE} CSV")
    assert cursor.rowcount == 3
    cursor.execute("SELECT COUNT(*) FROM driven")
    assert cursor.fetchone() == (3,)
    connection.close()
