"""The DuckDB settings that make DuckDB answer as Redshift does.

One list, used by the engine and by anyone who runs translated SQL on a bare
DuckDB connection (tests of the translator): the session time zone is UTC,
``/`` on integers divides as integers, and unquoted identifiers fold to lower
case.  DuckDB scopes some settings to the instance and others to one
connection; :func:`configure` applies both to a plain connection.
"""

from __future__ import annotations

import duckdb

from ...translate.functions import CURRENT_USER_VARIABLE
from ...translate.tokens import quote_literal
from ..base import DEFAULT_ADMIN_USER

__all__ = [
    "CONNECTION_SETTINGS",
    "INSTANCE_SETTINGS",
    "configure",
    "connection_setup",
    "instance_setup",
]

#: Instance-wide settings (``SET GLOBAL``): name -> SQL literal.
INSTANCE_SETTINGS: dict[str, str] = {
    "TimeZone": "'UTC'",
    "integer_division": "true",
}
#: Per-connection settings (DuckDB scopes them to one connection): name -> SQL literal.
CONNECTION_SETTINGS: dict[str, str] = {
    "preserve_identifier_case": "'lowercase'",
}


def instance_setup(database: str, path: str) -> list[str]:
    """Statements that prepare a new instance holding the Data API database.

    ``database`` is the quoted database name and ``path`` the quoted file name
    (or ``':memory:'``).  The database is ATTACHed under its Data API name so
    that current_database() answers "dev", not DuckDB's "memory" or a file name.
    """
    return [
        *(f"SET GLOBAL {name} = {value}" for name, value in INSTANCE_SETTINGS.items()),
        f"ATTACH {path} AS {database}",
        f"CREATE SCHEMA IF NOT EXISTS {database}.public",
        f"USE {database}.public",
    ]


def connection_setup(database: str, user: str = DEFAULT_ADMIN_USER) -> list[str]:
    """Statements that prepare a new connection to ``database`` (quoted) for ``user``.

    ``user`` is what ``current_user`` answers (translate's ``duckdb_current_user``).
    """
    return [
        f"USE {database}.public",
        *(f"SET {name} = {value}" for name, value in CONNECTION_SETTINGS.items()),
        f"SET VARIABLE {CURRENT_USER_VARIABLE} = {quote_literal(user)}",
    ]


def configure(connection: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Apply every engine setting to a bare DuckDB ``connection``; returns it."""
    for name, value in {**INSTANCE_SETTINGS, **CONNECTION_SETTINGS}.items():
        connection.execute(f"SET {name} = {value}")
    connection.execute(
        f"SET VARIABLE {CURRENT_USER_VARIABLE} = {quote_literal(DEFAULT_ADMIN_USER)}"
    )
    return connection
