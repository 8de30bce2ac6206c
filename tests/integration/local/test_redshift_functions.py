"""Redshift functions whose answer and result type the engines had wrong, on both engines.

ROUND of a float stays FLOAT8, TRUNC of a timestamp is a DATE, STRTOL is
an INT8, PartiQL navigation gives SUPER, TO_HEX takes a bare VARBYTE column
and JSON_SERIALIZE gives compact JSON text: each checked through a real
boto3 client (ColumnMetadata typeName and Field member) and through the
driver (the Python value), on DuckDB and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import redshift_dataapi
from redshift_dataapi.local.engines.redshift_functions import BASE_ERROR
from redshift_dataapi.local.translate.functions import NUL_IN_LITERAL

from .helpers import ok, run

pytestmark = pytest.mark.usefixtures("local_service")

_DOC = '(SELECT JSON_PARSE(\'{"a": [10, 20], "b": {"c": "x"}}\') AS doc)'

#: (select-list expression and FROM, typeName Redshift documents, the Field it travels in)
CASES = [
    ("ROUND(CAST(1.25 AS FLOAT8), 1)", "float8", {"doubleValue": 1.3}),
    # As the documented ROUND(commission) of 28.05 is 28.
    ("ROUND(CAST(2.5 AS NUMERIC(5, 2)), 0)", "numeric", {"stringValue": "3"}),
    ("TRUNC(CAST('2008-01-15 23:59:59' AS TIMESTAMP))", "date", {"stringValue": "2008-01-15"}),
    ("STRTOL('  -0xFF', 16)", "int8", {"longValue": -255}),
    (f"doc.a[1] FROM {_DOC}", "super", {"stringValue": "20"}),
    (f"doc.b.c FROM {_DOC}", "super", {"stringValue": '"x"'}),
    (f"doc.a[5] FROM {_DOC}", "super", {"isNull": True}),
    ("JSON_SERIALIZE(JSON_PARSE('{\"a\": [1, 2.5, \"z\"]}'))", "varchar",
     {"stringValue": '{"a":[1,2.5,"z"]}'}),
]  # fmt: skip


@pytest.mark.parametrize(("expression", "type_name", "field"), CASES, ids=[c[0] for c in CASES])
def test_answer_and_type_as_on_redshift(
    dataapi_client: Any, expression: str, type_name: str, field: dict[str, Any]
) -> None:
    described = ok(dataapi_client, f"SELECT {expression}")
    result = dataapi_client.get_statement_result(Id=described["Id"])
    assert [c["typeName"] for c in result["ColumnMetadata"]] == [type_name]
    assert result["Records"] == [[field]]


def test_to_hex_of_a_bare_varbyte_column(dataapi_client: Any) -> None:
    # No CAST needed: the engine picks TO_HEX by the argument's type.
    conn = redshift_dataapi.connect(
        "dev", cluster_identifier="local-cluster", client=dataapi_client, autocommit=True
    )
    try:
        cur = conn.cursor()
        cur.execute("CREATE TABLE hexes (id INT, b VARBYTE(8))")
        cur.execute("INSERT INTO hexes VALUES (1, FROM_HEX('0aff')), (2, FROM_HEX(''))")
        cur.execute("SELECT TO_HEX(b), TO_HEX(id * 255) FROM hexes ORDER BY id")
        assert cur.fetchall() == [("0aff", "ff"), ("", "1fe")]
    finally:
        conn.close()


def test_python_values_through_the_driver(dataapi_client: Any) -> None:
    conn = redshift_dataapi.connect(
        "dev", cluster_identifier="local-cluster", client=dataapi_client, autocommit=True
    )
    try:
        cur = conn.cursor()
        cur.execute(
            "SELECT ROUND(CAST(:x AS FLOAT8) / 3, 2) AS r, TRUNC(CAST(:t AS TIMESTAMP)) AS d,"
            " STRTOL(:s, 2) AS n",
            {"x": "10", "t": "2024-02-29 13:14:15", "s": "110101"},
        )
        assert [d[0] for d in cur.description or []] == ["r", "d", "n"]
        assert cur.fetchall() == [(3.33, dt.date(2024, 2, 29), 53)]
    finally:
        conn.close()


def test_a_table_named_like_a_super_column_is_still_a_table(dataapi_client: Any) -> None:
    # doc.a is a column of table doc here, not navigation into a SUPER value doc.
    ok(dataapi_client, "CREATE TABLE doc (a INT, j SUPER)")
    ok(dataapi_client, "INSERT INTO doc VALUES (7, JSON_PARSE('{\"a\": 8}'))")
    described = ok(dataapi_client, "SELECT doc.a, doc.j.a, d.j.a FROM doc, doc AS d")
    result = dataapi_client.get_statement_result(Id=described["Id"])
    assert [c["typeName"] for c in result["ColumnMetadata"]] == ["int4", "super", "super"]
    assert result["Records"] == [[{"longValue": 7}, {"stringValue": "8"}, {"stringValue": "8"}]]


@pytest.mark.parametrize("base", [1, 37])
def test_strtol_refuses_a_base_outside_2_to_36(dataapi_client: Any, base: int) -> None:
    described = run(dataapi_client, f"SELECT STRTOL('11', {base})")
    assert described["Status"] == "FAILED"
    assert BASE_ERROR in described["Error"]


def test_strtol_of_the_nul_character(dataapi_client: Any, engine_spec: str) -> None:
    # Redshift documents STRTOL('\0', 2) as 0; PostgreSQL text cannot hold a NUL.
    described = run(dataapi_client, "SELECT STRTOL('\\0', 2)")
    if engine_spec == "duckdb":
        assert described["Status"] == "FINISHED", described.get("Error")
        result = dataapi_client.get_statement_result(Id=described["Id"])
        assert result["Records"] == [[{"longValue": 0}]]
    else:
        assert described["Status"] == "FAILED"
        assert NUL_IN_LITERAL in described["Error"]
