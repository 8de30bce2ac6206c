"""SQLAlchemy's dialect compliance suite, with Redshift's justified deviations.

Each override below says in one line why Redshift (or the local engine) differs.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import bindparam, exc
from sqlalchemy.testing import config, expect_raises_message, skip_test
from sqlalchemy.testing.suite import *  # noqa: F403
from sqlalchemy.testing.suite import IsolationLevelTest as _IsolationLevelTest
from sqlalchemy.testing.suite import JoinTest as _JoinTest

from sqlalchemy_dialect.compat import SA2
from tests.sqla.requirements import local_engine

#: test name (or name[parameters prefix) -> (engine it cannot pass on, or "any"; why)
ENGINE_SKIPS: dict[str, tuple[str, str]] = {
    "test_long_convention_name[ix": ("any", "Redshift has no indexes"),
    "test_truediv_divisor[numeric_38_digit_divisor-untyped": (
        "any",
        "Redshift NUMERIC has a fixed scale: a 38-digit value overflows NUMERIC(38,10)",
    ),
    "test_truediv_divisor[numeric_tiny_divisor-untyped": (
        "any",
        "Redshift NUMERIC has a fixed scale: 1e-13 in NUMERIC(38,10) is 0",
    ),
    "test_string_length_reflection": (
        "duckdb",
        "DuckDB's information_schema drops VARCHAR lengths (used in a transaction)",
    ),
    "test_varchar_reflection": (
        "duckdb",
        "DuckDB's information_schema drops VARCHAR lengths (a table made in the transaction)",
    ),
    # SQLAlchemy 1.4's suite asks for these without the index_reflection requirement
    "test_get_indexes": ("any", "Redshift has no indexes"),
    "test_has_index": ("any", "Redshift has no indexes"),
    "test_has_index_schema": ("any", "Redshift has no indexes"),
    "test_long_convention_name": ("duckdb", "DuckDB does not keep constraint names"),
    "test_truediv_numeric": ("duckdb", "DuckDB divides NUMERIC as DOUBLE (Redshift keeps NUMERIC)"),
    "test_truediv_divisor": ("duckdb", "DuckDB divides NUMERIC as DOUBLE (Redshift keeps NUMERIC)"),
}


@pytest.fixture(autouse=True)
def _engine_skips(request: pytest.FixtureRequest) -> None:
    """Skip the few tests one local engine cannot pass, saying why (see ENGINE_SKIPS)."""
    name = request.node.name
    for key, (engine, reason) in ENGINE_SKIPS.items():
        matches = name.startswith(key) if "[" in key else name.split("[")[0] == key
        if matches and engine in ("any", local_engine(config)):
            skip_test(reason)


if not SA2:

    class JoinTest(_JoinTest):
        """1.4 deletes every table's rows in one transaction between tests, which the
        local DuckDB engine refuses for parent rows (see provision.py): one
        transaction per table, as the 2.x provisioning hook does."""

        def _teardown_each_tables(self) -> None:
            from tests.sqla.provision import _delete_from_all_tables

            with self.bind.connect() as connection:
                _delete_from_all_tables(connection, config, self._tables_metadata)


class IsolationLevelTest(_IsolationLevelTest):
    def test_dialect_user_setting_is_restored(self, testing_engine: Any) -> None:
        skip_test("Redshift has one isolation level per database: nothing to switch between")


try:  # SQLAlchemy 2.x
    from sqlalchemy.testing.suite import ReturningGuardsTest as _ReturningGuardsTest
except ImportError:  # 1.4 has no such suite
    _ReturningGuardsTest = None

if _ReturningGuardsTest is not None:

    class ReturningGuardsTest(_ReturningGuardsTest):
        """Redshift has no RETURNING: the dialect refuses it at compile time (CompileError)
        instead of sending it to the database to fail (the local engines would accept it)."""

        def _refused(self, connection: Any, kind: str, many: bool) -> None:
            t = self.tables.t
            by_id = t.c.id == bindparam("b_id")
            stmt = {"insert": t.insert(), "update": t.update().where(by_id)}.get(
                kind, t.delete().where(by_id)
            )
            row = {"id": 1, "b_id": 1, "data": "d1"}
            params = [row, {"id": 2, "b_id": 2, "data": "d2"}] if many else row
            with expect_raises_message(exc.CompileError, "RETURNING"):
                connection.execute(stmt.returning(t.c.id), params)

        def test_insert_single(self, connection: Any, run_stmt: Any) -> None:
            self._refused(connection, "insert", many=False)

        def test_update_single(self, connection: Any, run_stmt: Any) -> None:
            self._refused(connection, "update", many=False)

        def test_delete_single(self, connection: Any, run_stmt: Any) -> None:
            self._refused(connection, "delete", many=False)

        def test_insert_many(self, connection: Any, run_stmt: Any) -> None:
            self._refused(connection, "insert", many=True)

        def test_update_many(self, connection: Any, run_stmt: Any) -> None:
            self._refused(connection, "update", many=True)

        def test_delete_many(self, connection: Any, run_stmt: Any) -> None:
            self._refused(connection, "delete", many=True)
