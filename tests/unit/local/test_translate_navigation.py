"""PartiQL navigation: which dotted names are paths into SUPER values, and what they become."""

from __future__ import annotations

import pytest

from redshift_dataapi.local.translate.core import translate


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT sales.pricepaid, s.qtysold FROM sales, sales AS s",
        "SELECT public.sales.pricepaid FROM public.sales",
        "SELECT x.n FROM (SELECT 1 AS n) AS x",
        "WITH w AS (SELECT 1 AS n) SELECT w.n FROM w",
        "COMMENT ON COLUMN account.id IS 'account no'",
        "UPDATE t SET a = s.b FROM s WHERE t.id = s.id",
    ],
)
def test_columns_of_named_tables_are_not_navigation(sql: str) -> None:
    for target in ("duckdb", "postgres"):
        translated = translate(sql, target).sql.upper()
        assert "JSON_EXTRACT" not in translated, translated


def test_paths_after_the_column_become_json_extraction() -> None:
    sql = 'SELECT c.doc.Items[0].price, doc."Key" FROM t AS c'
    assert translate(sql, "duckdb").sql == (
        'SELECT JSON_EXTRACT(c.doc, \'$."items"[0]."price"\') AS "price",'
        ' JSON_EXTRACT(doc, \'$."Key"\') AS "Key" FROM t AS c'
    )
    assert translate(sql, "postgres").sql == (
        "SELECT JSON_EXTRACT_PATH(c.doc, 'items', '0', 'price') AS \"price\","
        " JSON_EXTRACT_PATH(doc, 'Key') AS \"Key\" FROM t AS c"
    )


def test_an_index_that_is_not_a_literal() -> None:
    sql = "SELECT doc[i] AS v FROM t"
    assert translate(sql, "duckdb").sql == (
        "SELECT JSON_EXTRACT(doc, '$[' || CAST(i AS TEXT) || ']') AS v FROM t"
    )
    assert translate(sql, "postgres").sql == (
        "SELECT JSON_EXTRACT_PATH(doc, CAST(i AS TEXT)) AS v FROM t"
    )
