"""``pg_catalog`` as the tools that browse a Redshift database read it, on both engines.

The queries below have the shapes schema browsers send to Redshift: the
sqlalchemy-redshift dialect's reflection (relations with ``reldiststyle``
and owners, columns with ``format_type``, ``format_encoding``, distribution
and sort keys, ``pg_attrdef.adsrc`` and late-binding view columns,
constraints with ``pg_get_constraintdef``), psql's ``\\dn`` / ``\\d table``
(``::regclass``, ``pg_table_is_visible``, privileges), and the table,
column and comment listings of SQL clients and BI tools (``pg_description``,
``col_description``, ``obj_description``).  Each must answer what Redshift
answers for the objects the test creates.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tests.integration.local.helpers import ok, rows

SCHEMA = [
    "CREATE SCHEMA shop",
    "CREATE TABLE shop.customer (id INTEGER NOT NULL PRIMARY KEY,"
    " email VARCHAR(120) NOT NULL UNIQUE, balance NUMERIC(12,2) DEFAULT 0, joined TIMESTAMP)"
    " DISTSTYLE ALL SORTKEY (joined)",
    "CREATE TABLE shop.orders (id BIGINT NOT NULL, customer_id INTEGER NOT NULL"
    " REFERENCES shop.customer (id), code CHAR(3) ENCODE zstd, amount FLOAT8,"
    " CONSTRAINT orders_pk PRIMARY KEY (id)) DISTKEY (customer_id)"
    " INTERLEAVED SORTKEY (id, customer_id)",
    "CREATE TABLE shop.plain (note VARCHAR(10))",
    "CREATE VIEW shop.big_orders AS SELECT id, amount FROM shop.orders WHERE amount > 100",
    "COMMENT ON TABLE shop.customer IS 'who buys'",
    "COMMENT ON COLUMN shop.customer.email IS 'where receipts go'",
    "CREATE TABLE public.visible (n SMALLINT)",
]

# sqlalchemy-redshift: every relation outside pg_* schemas, with its owner and diststyle.
RELATIONS = """
SELECT c.relkind, n.nspname AS "schema", c.relname,
  CASE c.reldiststyle WHEN 0 THEN 'EVEN' WHEN 1 THEN 'KEY' WHEN 8 THEN 'ALL' END
    AS "diststyle",
  u.usename AS "owner_name",
  pg_catalog.array_to_string(c.relacl, ',') AS "privileges"
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_catalog.pg_user u ON u.usesysid = c.relowner
WHERE c.relkind IN ('r', 'v', 'm', 'S', 'f') AND n.nspname = 'shop'
ORDER BY c.relkind, c.relname
"""

# sqlalchemy-redshift: columns with encodings, keys, defaults, and late-binding view columns.
COLUMNS = """
SELECT n.nspname AS "schema", c.relname AS "table_name", att.attname AS "name",
  format_encoding(att.attencodingtype::integer) AS "encode",
  format_type(att.atttypid, att.atttypmod) AS "type",
  att.attisdistkey AS "distkey", att.attsortkeyord AS "sortkey",
  att.attnotnull AS "notnull", adsrc, attnum,
  pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS "default"
FROM pg_catalog.pg_class c
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute att ON att.attrelid = c.oid
LEFT JOIN pg_catalog.pg_attrdef ad ON (att.attrelid, att.attnum) = (ad.adrelid, ad.adnum)
WHERE n.nspname = 'shop' AND att.attnum > 0 AND NOT att.attisdropped
UNION
SELECT view_schema, view_name, col_name, NULL, col_type, NULL, 0, NULL, NULL, col_num, NULL
FROM pg_get_late_binding_view_cols() cols(view_schema name, view_name name, col_name name,
  col_type varchar, col_num int)
ORDER BY "schema", "table_name", attnum
"""

# sqlalchemy-redshift: constraints, one row per constrained column.
CONSTRAINTS = """
SELECT n.nspname AS "schema", c.relname AS "table_name", t.contype, t.conname,
  a.attname, pg_catalog.pg_get_constraintdef(t.oid, true) AS condef
FROM pg_catalog.pg_class c
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_constraint t ON t.conrelid = c.oid
JOIN pg_catalog.pg_attribute a ON t.conrelid = a.attrelid AND a.attnum = ANY(t.conkey)
WHERE n.nspname = 'shop'
ORDER BY c.relname, t.conname, a.attnum
"""

# Foreign keys as SQL clients draw them: both ends by name through conkey / confkey.
FOREIGN_KEYS = """
SELECT con.conname, src.relname, ref.relname AS referenced, ra.attname AS referenced_column,
  con.confupdtype, con.confdeltype
FROM pg_constraint con
JOIN pg_class src ON src.oid = con.conrelid
JOIN pg_class ref ON ref.oid = con.confrelid
JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = ANY(con.confkey)
WHERE con.contype = 'f'
"""

# psql \dn: the schemas a user may use.
SCHEMAS = """
SELECT n.nspname AS "Name"
FROM pg_catalog.pg_namespace n
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND has_schema_privilege(n.nspname, 'USAGE')
ORDER BY 1
"""

# psql \d shop.customer: columns, types, defaults, NOT NULL, in attnum order.
DESCRIBE = """
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
  (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM pg_catalog.pg_attrdef d
   WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef),
  a.attnotnull, pg_catalog.col_description(a.attrelid, a.attnum)
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = 'shop.customer'::regclass AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
"""

# psql \dt: the tables of the schemas on the search path.
VISIBLE_TABLES = """
SELECT n.nspname, c.relname FROM pg_catalog.pg_class c
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema'
  AND n.nspname !~ '^pg_toast' AND pg_catalog.pg_table_is_visible(c.oid)
ORDER BY 1, 2
"""

# SQL clients and BI tools: tables and views of a schema with their comments.
TABLE_COMMENTS = """
SELECT c.relname, c.relkind, d.description, obj_description(c.oid, 'pg_class')
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d ON d.objoid = c.oid AND d.objsubid = 0
WHERE n.nspname = 'shop' AND c.relkind IN ('r', 'v')
  AND has_table_privilege(c.oid, 'SELECT')
ORDER BY c.relname
"""

# SQL clients' object details: owner, size and a view's query.
DETAILS = """
SELECT c.relname, pg_catalog.pg_get_userbyid(c.relowner) AS owner,
  pg_catalog.pg_total_relation_size(c.oid) > 0 AS has_size,
  pg_catalog.pg_get_viewdef(c.oid, true) AS definition
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'shop' AND c.relname IN ('customer', 'big_orders')
ORDER BY c.relname
"""

# BI tools: the column comments of a schema.
COLUMN_COMMENTS = """
SELECT c.relname, a.attname, col_description(c.oid, a.attnum), d.description
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.objsubid = a.attnum
WHERE n.nspname = 'shop' AND c.relname = 'customer'
ORDER BY a.attnum
"""


def _schema(client: Any) -> None:
    for statement in SCHEMA:
        ok(client, statement)


def test_relations_with_kind_owner_and_diststyle(dataapi_client: Any) -> None:
    _schema(dataapi_client)
    assert rows(dataapi_client, RELATIONS) == [
        ["r", "shop", "customer", "ALL", "awsuser", None],
        ["r", "shop", "orders", "KEY", "awsuser", None],
        ["r", "shop", "plain", None, "awsuser", None],  # AUTO: not EVEN, KEY or ALL
        ["v", "shop", "big_orders", "EVEN", "awsuser", None],
    ]


def test_columns_with_declared_types_keys_encodings_and_defaults(dataapi_client: Any) -> None:
    _schema(dataapi_client)
    columns = [
        [r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[9], r[10]]
        for r in rows(dataapi_client, COLUMNS)
    ]
    assert columns == [
        ["big_orders", "id", "none", "bigint", False, 0, False, 1, None],
        ["big_orders", "amount", "none", "double precision", False, 0, False, 2, None],
        ["customer", "id", "none", "integer", False, 0, True, 1, None],
        ["customer", "email", "none", "character varying(120)", False, 0, True, 2, None],
        ["customer", "balance", "none", "numeric(12,2)", False, 0, False, 3, "0"],
        ["customer", "joined", "none", "timestamp without time zone", False, 1, False, 4, None],
        ["orders", "id", "none", "bigint", False, 1, True, 1, None],
        ["orders", "customer_id", "none", "integer", True, -2, True, 2, None],
        ["orders", "code", "zstd", "character(3)", False, 0, False, 3, None],
        ["orders", "amount", "none", "double precision", False, 0, False, 4, None],
        ["plain", "note", "none", "character varying(10)", False, 0, False, 1, None],
    ]
    adsrc = {(r[1], r[2]): r[8] for r in rows(dataapi_client, COLUMNS)}
    assert adsrc[("customer", "balance")] == "0"  # Redshift keeps pg_attrdef.adsrc


def test_constraints_through_pg_constraint(dataapi_client: Any) -> None:
    _schema(dataapi_client)
    ok(dataapi_client, "INSERT INTO shop.customer VALUES (1, 'a@x', 0, NULL), (1, 'a@x', 0, NULL)")
    assert rows(dataapi_client, CONSTRAINTS) == [
        ["shop", "customer", "u", "customer_email_key", "email", "UNIQUE (email)"],
        ["shop", "customer", "p", "customer_pkey", "id", "PRIMARY KEY (id)"],
        [
            "shop",
            "orders",
            "f",
            "orders_customer_id_fkey",
            "customer_id",
            "FOREIGN KEY (customer_id) REFERENCES shop.customer(id)",
        ],
        ["shop", "orders", "p", "orders_pk", "id", "PRIMARY KEY (id)"],
    ]
    assert rows(dataapi_client, FOREIGN_KEYS) == [
        ["orders_customer_id_fkey", "orders", "customer", "id", "a", "a"]
    ]


def test_psql_schema_and_table_descriptions(dataapi_client: Any) -> None:
    _schema(dataapi_client)
    assert rows(dataapi_client, SCHEMAS) == [["public"], ["shop"]]
    assert rows(dataapi_client, DESCRIBE) == [
        ["id", "integer", None, True, None],
        ["email", "character varying(120)", None, True, "where receipts go"],
        ["balance", "numeric(12,2)", "0", False, None],
        ["joined", "timestamp without time zone", None, False, None],
    ]
    assert rows(dataapi_client, VISIBLE_TABLES) == [["public", "visible"]]
    session = ok(dataapi_client, "SET search_path TO shop, public", SessionKeepAliveSeconds=60)
    in_shop = rows(dataapi_client, VISIBLE_TABLES, SessionId=session["SessionId"])
    assert in_shop == [
        ["public", "visible"],
        ["shop", "customer"],
        ["shop", "orders"],
        ["shop", "plain"],
    ]


def test_comments_as_tools_list_them(dataapi_client: Any) -> None:
    _schema(dataapi_client)
    assert rows(dataapi_client, TABLE_COMMENTS) == [
        ["big_orders", "v", None, None],
        ["customer", "r", "who buys", "who buys"],
        ["orders", "r", None, None],
        ["plain", "r", None, None],
    ]
    assert rows(dataapi_client, COLUMN_COMMENTS) == [
        ["customer", "id", None, None],
        ["customer", "email", "where receipts go", "where receipts go"],
        ["customer", "balance", None, None],
        ["customer", "joined", None, None],
    ]


def test_object_details_as_sql_clients_show_them(dataapi_client: Any) -> None:
    _schema(dataapi_client)
    ok(dataapi_client, "INSERT INTO shop.customer VALUES (1, 'a@x', 0, NULL)")
    (view, table) = rows(dataapi_client, DETAILS)
    assert table == ["customer", "awsuser", True, None]
    assert view[:3] == ["big_orders", "awsuser", False]
    # The view's query (each engine spells it its own way), not the CREATE VIEW statement.
    definition = " ".join(view[3].lower().split())
    assert definition.startswith("select ") and "from shop.orders" in definition


def test_unqualified_catalog_names_are_pg_catalogs(dataapi_client: Any) -> None:
    """Redshift searches pg_catalog first: ``pg_class`` is ``pg_catalog.pg_class``."""
    _schema(dataapi_client)
    qualified = rows(
        dataapi_client,
        "SELECT relname FROM pg_catalog.pg_class WHERE relname IN ('customer', 'plain') ORDER BY 1",
    )
    unqualified = rows(
        dataapi_client,
        "SELECT relname FROM pg_class WHERE relname IN ('customer', 'plain') ORDER BY 1",
    )
    assert qualified == unqualified == [["customer"], ["plain"]]
    # A CTE of the same name is the query's own, not the catalog.
    own = "WITH pg_class AS (SELECT 1 AS relname) SELECT * FROM pg_class"
    assert rows(dataapi_client, own) == [[1]]


def test_the_inspector_reads_table_options_keys_and_comments(dataapi_client: Any) -> None:
    """get_table_options reads SVV_TABLE_INFO and PG_TABLE_DEF, as on Redshift.

    PG_TABLE_DEF lists the schemas on the search path only, and SVV_TABLE_INFO
    the tables with rows only: the tables here are in ``public``, one of them empty.
    """
    _schema(dataapi_client)
    ok(
        dataapi_client,
        "CREATE TABLE public.events (id INT, at TIMESTAMP) DISTSTYLE ALL SORTKEY (at, id)",
    )
    ok(dataapi_client, "INSERT INTO public.events VALUES (1, '2024-01-01')")
    ok(
        dataapi_client,
        "CREATE TABLE public.lines (id INT, seller INT) DISTKEY (seller)"
        " INTERLEAVED SORTKEY (seller, id)",
    )
    engine = sa.create_engine(
        "redshift+dataapi://local/dev", connect_args={"client": dataapi_client}
    )
    try:
        inspector = sa.inspect(engine)
        assert inspector.get_table_options("events") == {
            "redshift_diststyle": "ALL",
            "redshift_sortkey": ["at", "id"],
        }
        # SVV_TABLE_INFO leaves the empty table out; its DISTKEY still says KEY.
        assert inspector.get_table_options("lines") == {
            "redshift_diststyle": "KEY",
            "redshift_distkey": "seller",
            "redshift_interleaved_sortkey": ["seller", "id"],
        }
        assert inspector.get_table_comment("customer", schema="shop")["text"] == "who buys"
        columns = {c["name"]: c for c in inspector.get_columns("customer", schema="shop")}
        assert columns["email"]["comment"] == "where receipts go"
        assert str(columns["email"]["type"]) == "VARCHAR(120)"
        fks = inspector.get_foreign_keys("orders", schema="shop")
        assert [(fk["referred_table"], fk["referred_columns"]) for fk in fks] == [
            ("customer", ["id"])
        ]
    finally:
        engine.dispose()


def test_catalog_function_columns_are_named_after_the_call(dataapi_client: Any) -> None:
    _schema(dataapi_client)
    statement = ok(
        dataapi_client,
        "SELECT pg_catalog.format_type(a.atttypid, a.atttypmod), col_description(c.oid, a.attnum),"
        " format_encoding(a.attencodingtype) AS enc FROM pg_class c"
        " JOIN pg_attribute a ON a.attrelid = c.oid WHERE c.relname = 'plain' AND a.attnum > 0",
    )
    result = dataapi_client.get_statement_result(Id=statement["Id"])
    assert [c["name"] for c in result["ColumnMetadata"]] == [
        "format_type",
        "col_description",
        "enc",
    ]
    values = [[f.get("stringValue") for f in record] for record in result["Records"]]
    assert values == [["character varying(10)", None, "none"]]


def test_an_ordinary_user_reads_the_catalog(dataapi_client: Any) -> None:
    """The catalog is readable by every user, as on Redshift (not only by the admin)."""
    _schema(dataapi_client)
    listed = rows(
        dataapi_client,
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attisdistkey, c.reldiststyle"
        " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
        " WHERE c.relname = 'visible' AND a.attnum > 0",
        DbUser="catalog_reader",
    )
    assert listed == [["n", "smallint", False, 11]]


def test_key_columns_print_as_redshift_arrays(dataapi_client: Any) -> None:
    # conkey / confkey are int2 arrays: Redshift prints them as {1,2}.
    ok(dataapi_client, "CREATE TABLE public.pair (a INT, b INT, c INT, PRIMARY KEY (b, c))")
    ok(
        dataapi_client,
        "CREATE TABLE public.ref (x INT, y INT,"
        " CONSTRAINT ref_fk FOREIGN KEY (x, y) REFERENCES pair (b, c))",
    )
    described = ok(
        dataapi_client,
        "SELECT conname, conkey, confkey FROM pg_catalog.pg_constraint"
        " WHERE conname IN ('pair_pkey', 'ref_fk') ORDER BY conname",
    )
    result = dataapi_client.get_statement_result(Id=described["Id"])
    assert [c["typeName"] for c in result["ColumnMetadata"][1:]] == ["_int2", "_int2"]
    assert result["Records"] == [
        [{"stringValue": "pair_pkey"}, {"stringValue": "{2,3}"}, {"isNull": True}],
        [{"stringValue": "ref_fk"}, {"stringValue": "{1,2}"}, {"stringValue": "{2,3}"}],
    ]
