"""Casts, quotients and SET/SHOW as Redshift answers them, on both engines through boto3.

* An explicit cast to CHAR(n)/VARCHAR(n) cuts the value to ``n`` bytes,
  never splitting a character, and the cut value then fits a column of that
  length (DuckDB returned the whole string, PostgreSQL cut characters).
* A quotient of DECIMALs of known types is Redshift's DECIMAL(p, s)
  (``Computations with numeric values``), not DuckDB's DOUBLE.
* ``SHOW search_path`` answers the path a SET gave, and the default after RESET.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from redshift_dataapi.local.translate.casts import division_type

from .helpers import ok, rows

pytestmark = pytest.mark.usefixtures("local_service")


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("'abcdef'::VARCHAR(3)", "abc"),
        ("CAST('abcdef' AS CHAR(2))", "ab"),
        ("CONVERT(VARCHAR(4), 'abcdef')", "abcd"),
        ("CAST('abc' AS VARCHAR(10))", "abc"),
        # 'é' is two bytes: four bytes hold 'fr' and 'é', and the 'a' after it no more.
        ("CAST('fréage' AS VARCHAR(4))", "fré"),
        # Five bytes would cut the second 'é' in half: the cut keeps whole characters.
        ("CAST('fréé' AS VARCHAR(5))", "fré"),
        ("CAST(123456 AS VARCHAR(3))", "123"),
    ],
)
def test_cast_to_a_shorter_string_cuts_to_its_byte_length(
    dataapi_client: Any, expression: str, expected: str
) -> None:
    assert rows(dataapi_client, f"SELECT {expression} AS v") == [[expected]]


def test_cast_column_keeps_its_redshift_name(dataapi_client: Any) -> None:
    described = ok(dataapi_client, "SELECT 'abcdef'::VARCHAR(3)")
    result = dataapi_client.get_statement_result(Id=described["Id"])
    assert [c["name"] for c in result["ColumnMetadata"]] == ["varchar"]
    assert result["Records"] == [[{"stringValue": "abc"}]]


def test_a_cut_value_fits_the_column(dataapi_client: Any) -> None:
    ok(dataapi_client, "CREATE TABLE codes (id INT, code VARCHAR(3))")
    ok(dataapi_client, "INSERT INTO codes VALUES (1, CAST('abcdef' AS VARCHAR(3)))")
    ok(dataapi_client, "INSERT INTO codes SELECT 2, 'xyzzy'::VARCHAR(3)")
    # Without the cast the value is too long, as on Redshift.
    failed = dataapi_client.execute_statement(
        Sql="INSERT INTO codes VALUES (3, 'abcdef')",
        ClusterIdentifier="local-cluster",
        Database="dev",
        WaitTimeSeconds=30,
    )
    described = dataapi_client.describe_statement(Id=failed["Id"])
    assert described["Status"] == "FAILED"
    assert "value too long" in described["Error"]
    assert rows(dataapi_client, "SELECT id, code FROM codes ORDER BY id") == [
        [1, "abc"],
        [2, "xyz"],
    ]


def test_documented_quotient_type() -> None:
    # The reference's example: DECIMAL(8,2) / DECIMAL(8,2) is DECIMAL(17,9).
    assert division_type((8, 2), (8, 2)) == (17, 9)
    # Past 38 digits the formula leaves no room: such a quotient keeps the engine's type.
    assert division_type((38, 0), (38, 0)) is None
    assert division_type((5, 0), (2, 0)) == (9, 4)  # the scale is at least 4


def test_quotient_of_decimals_is_redshifts_decimal(dataapi_client: Any) -> None:
    described = ok(
        dataapi_client,
        "SELECT CAST(200.00 AS DECIMAL(8,2)) / CAST(3.00 AS DECIMAL(8,2)),"
        " CAST(7 AS DECIMAL(5,0)) / CAST(2 AS DECIMAL(2,0)) AS half",
    )
    result = dataapi_client.get_statement_result(Id=described["Id"])
    columns = result["ColumnMetadata"]
    meta = [(c["name"], c["typeName"], c["precision"], c["scale"]) for c in columns]
    assert meta == [("?column?", "numeric", 17, 9), ("half", "numeric", 9, 4)]
    third = (Decimal("200.00") / Decimal("3.00")).quantize(Decimal("1e-9"), ROUND_HALF_UP)
    assert result["Records"] == [[{"stringValue": str(third)}, {"stringValue": "3.5000"}]]


def test_show_search_path_after_set_and_reset(dataapi_client: Any) -> None:
    ok(dataapi_client, "CREATE SCHEMA taxi")
    session = ok(dataapi_client, "SET search_path TO public", SessionKeepAliveSeconds=60)
    in_session = {"SessionId": session["SessionId"]}
    assert rows(dataapi_client, "SHOW search_path", **in_session) == [["public"]]
    ok(dataapi_client, "SET search_path TO taxi", **in_session)
    assert rows(dataapi_client, "SHOW search_path", **in_session) == [["taxi"]]
    ok(dataapi_client, "RESET search_path", **in_session)
    shown = rows(dataapi_client, "SHOW search_path", **in_session)
    assert shown[0][0].replace('"', "") == "$user, public"  # PostgreSQL quotes "$user"


def test_parameters_cast_to_a_shorter_string_are_cut(dataapi_client: Any) -> None:
    # A multi-row INSERT of cast parameters takes the endpoint's bulk path: the same cut.
    ok(dataapi_client, "CREATE TABLE tags (id INT, tag VARCHAR(4))")
    values = ", ".join(f"(CAST(:i{k} AS INT), CAST(:t{k} AS VARCHAR(4)))" for k in range(5))
    params = [{"name": f"i{k}", "value": str(k)} for k in range(5)]
    params += [{"name": f"t{k}", "value": "tagé" * (k + 1)} for k in range(5)]
    ok(dataapi_client, f"INSERT INTO tags VALUES {values}", Parameters=params)
    # 'tagé' is five bytes: four hold 'tag' only.
    assert rows(dataapi_client, "SELECT DISTINCT tag FROM tags") == [["tag"]]


def test_char_values_are_blank_padded_and_their_blanks_not_counted(dataapi_client: Any) -> None:
    # Redshift's example: 'Augusta' in a CHAR(20) column has a LENGTH of 7.
    ok(dataapi_client, "CREATE TABLE address (id INT, city_name CHAR(20), street VARCHAR(20))")
    ok(dataapi_client, "INSERT INTO address VALUES (1, 'Augusta', 'Main St  '), (2, NULL, NULL)")
    described = ok(
        dataapi_client,
        "SELECT city_name, LENGTH(city_name), LEN(a.city_name), OCTET_LENGTH(city_name),"
        " LENGTH(street) FROM address a ORDER BY id",
    )
    result = dataapi_client.get_statement_result(Id=described["Id"])
    assert result["ColumnMetadata"][0]["typeName"] == "bpchar"
    assert result["Records"][0] == [
        {"stringValue": "Augusta".ljust(20)},
        {"longValue": 7},
        {"longValue": 7},
        {"longValue": 20},  # the stored CHAR(20) is 20 bytes
        {"longValue": 9},  # a VARCHAR's trailing blanks count
    ]
    assert result["Records"][1] == [{"isNull": True}] * 5
    assert rows(dataapi_client, "SELECT id FROM address WHERE city_name = 'Augusta'") == [[1]]


def test_char_lengths_of_a_temp_table(dataapi_client: Any) -> None:
    session = ok(
        dataapi_client, "CREATE TEMP TABLE codes (code CHAR(4))", SessionKeepAliveSeconds=60
    )
    in_session = {"SessionId": session["SessionId"]}
    ok(dataapi_client, "INSERT INTO codes VALUES ('ab')", **in_session)
    sql = "SELECT code, LEN(code), OCTET_LENGTH(code) FROM codes"
    got = rows(dataapi_client, sql, **in_session)
    assert got == [["ab  ", 2, 4]]


def test_quotient_of_decimal_columns_is_redshifts_decimal(dataapi_client: Any) -> None:
    # The reference's example: PRICEPAID / COMMISSION, both DECIMAL(8,2), is DECIMAL(17,9).
    ok(
        dataapi_client,
        "CREATE TABLE sales (salesid INT, pricepaid DECIMAL(8,2), commission DECIMAL(8,2))",
    )
    ok(dataapi_client, "INSERT INTO sales VALUES (1, 728.00, 109.20), (2, 100.00, NULL)")
    described = ok(
        dataapi_client,
        "SELECT pricepaid / commission, commission / pricepaid AS back FROM sales ORDER BY salesid",
    )
    result = dataapi_client.get_statement_result(Id=described["Id"])
    columns = result["ColumnMetadata"]
    meta = [(c["name"], c["typeName"], c["precision"], c["scale"]) for c in columns]
    assert meta == [("?column?", "numeric", 17, 9), ("back", "numeric", 17, 9)]
    nine = Decimal("1e-9")
    there = (Decimal("728.00") / Decimal("109.20")).quantize(nine, ROUND_HALF_UP)
    back = (Decimal("109.20") / Decimal("728.00")).quantize(nine, ROUND_HALF_UP)
    assert result["Records"] == [
        [{"stringValue": str(there)}, {"stringValue": str(back)}],
        [{"isNull": True}, {"isNull": True}],
    ]


def test_quotient_past_38_digits_still_runs(dataapi_client: Any) -> None:
    got = rows(
        dataapi_client,
        "SELECT CAST(30000000000000000000000000000000000000 AS NUMERIC(38, 0))"
        " / CAST(10000000000000000000000000000000000000 AS NUMERIC(38, 0)) AS q",
    )
    # DuckDB divides these as DOUBLE (3.0000000000000004): the engine's type is kept.
    assert float(got[0][0]) == pytest.approx(3)
