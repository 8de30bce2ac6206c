"""Catalog calls: ListDatabases, ListSchemas, ListTables, DescribeTable.

Each follows every NextToken and returns the service's own items (names, or
the TableMember / ColumnMetadata dicts).  They run with the connection's target
and credentials, never in its session (these operations take no SessionId).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ._core.runner import StatementRunner

__all__ = ["describe_table", "list_databases", "list_schemas", "list_tables"]


def _paginate(
    runner: StatementRunner, operation: str, key: str, request: Mapping[str, Any]
) -> Iterator[Any]:
    for page in runner.pages(operation, None, request):
        yield from page.get(key) or ()


def _target(target: Mapping[str, str], database: str | None) -> dict[str, str]:
    request = dict(target)
    if database and database != target.get("Database"):
        # Another database of the same warehouse: authenticate against the
        # connection's database, list the other one.
        if "Database" in target:
            request["ConnectedDatabase"] = target["Database"]
        request["Database"] = database
    return request


def list_databases(runner: StatementRunner, target: Mapping[str, str]) -> list[str]:
    """Every database name."""
    return [str(name) for name in _paginate(runner, "ListDatabases", "Databases", target)]


def list_schemas(
    runner: StatementRunner,
    target: Mapping[str, str],
    pattern: str | None = None,
    database: str | None = None,
) -> list[str]:
    """Schema names matching a LIKE ``pattern`` (None = all)."""
    request = _target(target, database)
    if pattern is not None:
        request["SchemaPattern"] = pattern
    return [str(name) for name in _paginate(runner, "ListSchemas", "Schemas", request)]


def list_tables(
    runner: StatementRunner,
    target: Mapping[str, str],
    schema_pattern: str | None = None,
    table_pattern: str | None = None,
    database: str | None = None,
) -> list[dict[str, Any]]:
    """TableMember dicts (``name``, ``schema``, ``type``) matching LIKE patterns."""
    request = _target(target, database)
    if schema_pattern is not None:
        request["SchemaPattern"] = schema_pattern
    if table_pattern is not None:
        request["TablePattern"] = table_pattern
    return [dict(item) for item in _paginate(runner, "ListTables", "Tables", request)]


def describe_table(
    runner: StatementRunner,
    target: Mapping[str, str],
    table: str | None,
    schema: str | None = None,
    database: str | None = None,
) -> list[dict[str, Any]]:
    """ColumnMetadata dicts of ``table`` (in ``schema``, or the search path's match).

    ``table=None`` leaves Table out: every column of every table of ``schema``.
    """
    request = _target(target, database)
    if table is not None:
        request["Table"] = table
    if schema is not None:
        request["Schema"] = schema
    return [dict(item) for item in _paginate(runner, "DescribeTable", "ColumnList", request)]
