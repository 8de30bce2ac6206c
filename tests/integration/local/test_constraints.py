"""Informational constraints: PRIMARY KEY, UNIQUE and FOREIGN KEY recorded, not enforced.

As on Redshift, on both engines, through boto3 and through the SQLAlchemy
dialect: keys are accepted, reflected (information_schema, the inspector)
and never checked; NOT NULL is still enforced.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tests.integration.local.helpers import ok, rows, run

USERS = (
    "CREATE TABLE users (userid INTEGER NOT NULL PRIMARY KEY, username CHAR(8) NOT NULL,"
    " email VARCHAR(100) UNIQUE)"
)
SALES = (
    "CREATE TABLE sales (salesid INTEGER NOT NULL, buyerid INTEGER NOT NULL REFERENCES"
    " users(userid), qtysold SMALLINT, CONSTRAINT sales_pk PRIMARY KEY (salesid),"
    " CONSTRAINT sales_buyer FOREIGN KEY (buyerid) REFERENCES users (userid))"
)


def _tables(client: Any) -> None:
    ok(client, USERS)
    ok(client, SALES)


def test_duplicate_primary_keys_load_and_the_key_is_still_reflected(dataapi_client: Any) -> None:
    _tables(dataapi_client)
    ok(
        dataapi_client,
        "INSERT INTO users VALUES (1, 'ann', 'a@example.com'), (1, 'ann2', 'a@example.com')",
    )
    assert rows(dataapi_client, "SELECT COUNT(*) FROM users WHERE userid = 1") == [[2]]
    keys = rows(
        dataapi_client,
        "SELECT tc.constraint_type, kcu.column_name"
        " FROM information_schema.table_constraints AS tc"
        " JOIN information_schema.key_column_usage AS kcu"
        "   ON kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name"
        " WHERE tc.table_name = 'users' AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE')"
        " ORDER BY 1",
    )
    assert keys == [["PRIMARY KEY", "userid"], ["UNIQUE", "email"]]


def test_foreign_keys_are_not_enforced(dataapi_client: Any) -> None:
    _tables(dataapi_client)
    ok(dataapi_client, "INSERT INTO users VALUES (1, 'ann', NULL)")
    ok(dataapi_client, "INSERT INTO sales VALUES (10, 1, 2), (11, 999, 1)")  # 999: an orphan
    ok(dataapi_client, "DELETE FROM users WHERE userid = 1")  # its child rows stay
    assert rows(dataapi_client, "SELECT COUNT(*) FROM sales") == [[2]]
    fks = rows(
        dataapi_client,
        "SELECT constraint_name FROM information_schema.table_constraints"
        " WHERE table_name = 'sales' AND constraint_type = 'FOREIGN KEY' ORDER BY 1",
    )
    assert len(fks) == 2 and ["sales_buyer"] in fks


def test_not_null_is_still_enforced(dataapi_client: Any) -> None:
    _tables(dataapi_client)
    failed = run(dataapi_client, "INSERT INTO users VALUES (NULL, 'ann', NULL)")
    assert failed["Status"] == "FAILED"
    assert "null" in failed["Error"].lower()


def test_keys_in_a_session_transaction(dataapi_client: Any) -> None:
    opened = ok(dataapi_client, "BEGIN", SessionKeepAliveSeconds=60)
    session = {"SessionId": opened["SessionId"]}
    ok(dataapi_client, "CREATE TABLE parent (id INT PRIMARY KEY)", **session)
    ok(dataapi_client, "CREATE TABLE child (pid INT REFERENCES parent (id))", **session)
    ok(dataapi_client, "INSERT INTO parent VALUES (1), (1)", **session)
    ok(dataapi_client, "INSERT INTO child VALUES (5)", **session)
    ok(dataapi_client, "COMMIT", **session)
    assert rows(dataapi_client, "SELECT COUNT(*) FROM parent") == [[2]]
    ok(dataapi_client, "INSERT INTO parent VALUES (1)")
    assert rows(dataapi_client, "SELECT COUNT(*) FROM parent") == [[3]]


def test_the_inspector_reflects_the_keys(dataapi_client: Any) -> None:
    _tables(dataapi_client)
    ok(dataapi_client, "INSERT INTO users VALUES (1, 'a', NULL), (1, 'b', NULL)")
    engine = sa.create_engine(
        "redshift+dataapi://local/dev", connect_args={"client": dataapi_client}
    )
    try:
        inspector = sa.inspect(engine)
        assert inspector.get_pk_constraint("users")["constrained_columns"] == ["userid"]
        sales_pk = inspector.get_pk_constraint("sales")
        assert (sales_pk["name"], sales_pk["constrained_columns"]) == ("sales_pk", ["salesid"])
        fks = {fk["name"]: fk for fk in inspector.get_foreign_keys("sales")}
        assert fks["sales_buyer"]["constrained_columns"] == ["buyerid"]
        assert fks["sales_buyer"]["referred_table"] == "users"
        assert fks["sales_buyer"]["referred_columns"] == ["userid"]
        uniques = inspector.get_unique_constraints("users")
        assert [u["column_names"] for u in uniques] == [["email"]]
    finally:
        engine.dispose()
