"""The DuckDB engine of the local Data API endpoint (the embedded default).

Databases
    Each Data API database is its own DuckDB instance: in memory by default,
    or a file when the engine is given a path (``duckdb:PATH``).  ``dev`` is
    ``PATH`` itself; any other database ``NAME`` lives beside it as
    ``<PATH without .duckdb/.db>.<NAME>.duckdb`` and is found again when the
    engine restarts.  ``dev`` always exists.  ``CREATE DATABASE name`` and
    ``DROP DATABASE name`` (Redshift SQL) create and remove the others; they
    cannot run inside a transaction, and a database cannot be dropped while
    it is in use (or when it is ``dev``).
    A new database's hidden tables, system views and macros are copied
    from a template made once per process and name (:mod:`.template`).

Schemas
    Redshift's default schema is ``public``: every instance has it and every
    connection starts with ``search_path = public``.  DuckDB's own ``main``
    schema is hidden from the listings (the engine keeps nothing there).

Connections
    One DuckDB connection (``instance.cursor()``) per :class:`EngineConnection`:
    separate transactions and temp tables, statements run concurrently.  They
    cost microseconds, so :meth:`DuckDBEngine.release` closes them instead of
    pooling: nothing (temp tables, SET) leaks from one Data API statement to
    the next, as on Redshift.  The session time zone is UTC, ``/`` on
    integers divides as integers (as Redshift does) and unquoted identifiers
    fold to lower case.

Parameters
    Data API values are strings.  They are bound as strings and DuckDB casts
    them to the type the context needs (``id = $1`` with ``'42'``, a DATE
    column with ``'2024-01-02'``).  A multi-row INSERT of parameters and
    NULLs (SQLAlchemy's insertmanyvalues, pandas ``to_sql``) runs column-wise
    from one ``VARCHAR[]`` per column (``translate_insert.BulkValues``): the
    same conversions, some 25 times faster than DuckDB's VALUES list.
    Operands of arithmetic (``$1 + 1``, where DuckDB cannot choose an
    operator for a string) are bound as numbers when they look like numbers;
    any other "cannot choose" case outside a transaction is retried once
    that way.

Redshift behaviour kept
    Declared CHAR/VARCHAR lengths are enforced (in bytes, SQLSTATE 22001) and
    reported in result and DescribeTable metadata; ``ALTER COLUMN ... TYPE
    VARCHAR(n)`` rebuilds the table (:mod:`.alter_type`), and the columns of
    CREATE TABLE AS, SELECT INTO, LIKE and views keep the declared types of
    the columns they come from (:mod:`.derived`); IDENTITY columns number
    rows (a sequence per column) and show Redshift's ``"identity"(...)``
    default in DescribeTable and ``information_schema.columns``; ``SHOW
    DATABASES`` lists the Data API databases.  Errors read like Redshift's
    (``ERROR: relation "t" does not exist (SQLSTATE 42P01)``).

Users
    DuckDB has no roles.  A connection's ``user`` (None: ``admin_user``,
    ``awsuser`` by default) is what ``current_user`` answers; GRANT, REVOKE
    and CREATE/ALTER/DROP USER|GROUP are accepted and enforce nothing: every
    user may do what the admin may.

Known differences
    TRUNC(timestamp), DATE_CMP and a few other Redshift-only functions do not
    exist in DuckDB; ``SET timezone`` is ignored (results stay in UTC); SUPER
    values are JSON text as written.  PRIMARY KEY, UNIQUE and FOREIGN KEY
    are recorded and not enforced, as on Redshift (see :mod:`.keys`).  The
    fetch of TIMESTAMPTZ and NUMERIC columns
    costs more than other types (DuckDB builds aware datetimes and Decimals
    in Python).
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
from pathlib import Path
from typing import Any

import duckdb

from ...translate.tokens import quote_identifier, quote_literal
from ..base import (
    ColumnInfo,
    Engine,
    EngineConnection,
    EngineError,
    TableInfo,
    UnknownDatabase,
    like_to_regex,
)
from . import template
from .connection import DatabaseInstance, DuckDBConnection
from .errors import from_duckdb_error
from .settings import instance_setup
from .types import apply_declared, column_info, parse_declared

__all__ = ["DEFAULT_DATABASE", "DuckDBConnection", "DuckDBEngine"]

logger = logging.getLogger(__name__)

DEFAULT_DATABASE = "dev"
_DB_NAME_RE = re.compile(r"^[a-z_][a-z0-9_$]{0,126}$")
_SUFFIXES = (".duckdb", ".db", ".ddb")
#: Options DuckDBEngine passes on to duckdb.connect's config.
_OPTIONS = ("threads", "memory_limit")


class DuckDBEngine(Engine):
    """Data API databases on DuckDB, in memory (``path`` None) or in files beside ``path``."""

    name = "duckdb"

    def __init__(self, path: str | None = None, **options: Any) -> None:
        unknown = set(options) - set(_OPTIONS)
        if unknown:
            raise ValueError(
                f"unknown DuckDB engine option(s) {sorted(unknown)}: use {', '.join(_OPTIONS)}"
            )
        self._config: dict[str, str] = {k: str(v) for k, v in options.items() if v is not None}
        self._lock = threading.RLock()
        self._pids = itertools.count(1073741824)
        self._databases: dict[str, DatabaseInstance] = {}
        self._closed = False
        self._base: Path | None = None
        self._suffix = ".duckdb"
        if path is not None:
            p = Path(path).expanduser()
            if p.suffix in _SUFFIXES:
                self._base, self._suffix = p.with_suffix(""), p.suffix
            else:
                self._base = p
            p.parent.mkdir(parents=True, exist_ok=True)
            self._open(DEFAULT_DATABASE, str(p))
            for name, file in self._discover():
                self._open(name, file)
        else:
            self._open(DEFAULT_DATABASE, None)

    # -- databases ------------------------------------------------------------

    def _file_for(self, name: str) -> str | None:
        if self._base is None:
            return None
        return f"{self._base}.{name}{self._suffix}"

    def _discover(self) -> list[tuple[str, str]]:
        assert self._base is not None
        found = []
        prefix = self._base.name + "."
        for file in sorted(self._base.parent.glob(f"{self._base.name}.*{self._suffix}")):
            name = file.name[len(prefix) : -len(self._suffix)]
            if _DB_NAME_RE.match(name) and name != DEFAULT_DATABASE:
                found.append((name, str(file)))
        return found

    def _open(self, name: str, path: str | None) -> DatabaseInstance:
        new = path is None or not Path(path).exists()
        try:
            instance = duckdb.connect(":memory:", config=dict(self._config))
            literal = quote_literal(path or ":memory:")
            for statement in instance_setup(quote_identifier(name), literal):
                instance.execute(statement)
            # Load errors, keys, system views: copied from a template when new (.template).
            template.fill(instance, name, new)
        except duckdb.Error as exc:
            raise from_duckdb_error(exc) from None
        db = DatabaseInstance(name=name, path=path, instance=instance)
        self._databases[name] = db
        return db

    def create_database(self, name: str) -> None:
        """Create the Data API database ``name`` (CREATE DATABASE)."""
        name = self._valid_name(name)
        with self._lock:
            if name in self._databases:
                raise EngineError(
                    f'ERROR: database "{name}" already exists (SQLSTATE 42P04)', "42P04"
                )
            self._open(name, self._file_for(name))
        logger.info("created database %s", name)

    def drop_database(self, name: str, current: str | None = None) -> None:
        """Drop the Data API database ``name`` (DROP DATABASE); its file goes too."""
        name = self._valid_name(name)
        with self._lock:
            db = self._databases.get(name)
            if db is None:
                raise EngineError(
                    f'ERROR: database "{name}" does not exist (SQLSTATE 3D000)', "3D000"
                )
            if name == current:
                raise EngineError(
                    "ERROR: cannot drop the currently open database (SQLSTATE 55006)", "55006"
                )
            if name == DEFAULT_DATABASE:
                raise EngineError(
                    f'ERROR: database "{name}" is the default database and cannot be dropped'
                    " (SQLSTATE 55006)",
                    "55006",
                )
            if db.connections:
                raise EngineError(
                    f'ERROR: database "{name}" is being accessed by other users (SQLSTATE 55006)',
                    "55006",
                )
            del self._databases[name]
        db.instance.close()
        if db.path is not None:
            for file in (Path(db.path), Path(db.path + ".wal")):
                file.unlink(missing_ok=True)
        logger.info("dropped database %s", name)

    @staticmethod
    def _valid_name(name: str) -> str:
        if not _DB_NAME_RE.match(name):
            raise EngineError(
                f'ERROR: invalid database name "{name}": use letters, digits, _ and $,'
                " starting with a letter or _, at most 127 characters (SQLSTATE 42602)",
                "42602",
            )
        return name

    def _get(self, database: str) -> DatabaseInstance:
        if not isinstance(database, str) or not database:
            raise UnknownDatabase("FATAL: a database name is required (SQLSTATE 3D000)", "3D000")
        with self._lock:
            if self._closed:
                raise EngineError("ERROR: the engine is closed (SQLSTATE 08003)", "08003")
            db = self._databases.get(database) or self._databases.get(database.lower())
        if db is None:
            raise UnknownDatabase(
                f'FATAL: database "{database}" does not exist (SQLSTATE 3D000)', "3D000"
            )
        return db

    def list_databases(self) -> list[str]:
        """Names of the databases, sorted; ``dev`` is always there."""
        with self._lock:
            return sorted(self._databases)

    # -- connections -----------------------------------------------------------

    def connect(self, database: str, user: str | None = None) -> DuckDBConnection:
        """A new DuckDB connection to ``database``.

        ``user`` (None: the admin user) is what ``current_user`` answers;
        DuckDB has no roles, so nothing is enforced.
        """
        db = self._get(database)
        with self._lock:
            conn = DuckDBConnection(self, db, next(self._pids), user)
            db.connections.add(conn)
        return conn

    def release(self, connection: EngineConnection) -> None:
        """Close a statement's connection: nothing carries over to the next statement."""
        connection.close()

    def _forget(self, connection: DuckDBConnection) -> None:
        with self._lock:
            for db in self._databases.values():
                db.connections.discard(connection)

    # -- catalog -------------------------------------------------------------------

    def _query(self, database: str, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        db = self._get(database)
        with db.lock:
            cursor = db.instance.cursor()
        try:
            cursor.execute(f"USE {quote_identifier(db.name)}.public")
            return cursor.execute(sql, params).fetchall()
        except duckdb.Error as exc:
            raise from_duckdb_error(exc) from None
        finally:
            cursor.close()

    def list_schemas(
        self, database: str, pattern: str | None = None, user: str | None = None
    ) -> list[str]:
        """User schemas plus information_schema and pg_catalog (never DuckDB's main)."""
        rows = self._query(
            database,
            "SELECT DISTINCT schema_name FROM duckdb_schemas()"
            " WHERE (database_name = current_database() AND schema_name <> 'main')"
            " OR (database_name = 'system'"
            " AND schema_name IN ('information_schema', 'pg_catalog'))",
            [],
        )
        names = sorted(str(r[0]) for r in rows)
        if pattern is not None:
            regex = re.compile(like_to_regex(pattern))
            names = [n for n in names if regex.match(n)]
        return names

    def list_tables(
        self,
        database: str,
        schema_pattern: str | None = None,
        table_pattern: str | None = None,
        user: str | None = None,
    ) -> list[TableInfo]:
        """Tables (TABLE) and views (VIEW) of every schema, and the system views
        of information_schema / pg_catalog (SYSTEM VIEW), matching the LIKE patterns.

        Like the Data API without patterns, every table of the database is listed.
        """
        rows = self._query(
            database,
            "SELECT schema_name, table_name, 'TABLE' FROM duckdb_tables()"
            " WHERE database_name = current_database() AND schema_name <> 'main'"
            " UNION ALL SELECT schema_name, view_name, 'VIEW' FROM duckdb_views()"
            " WHERE database_name = current_database() AND schema_name <> 'main' AND NOT internal"
            " UNION ALL SELECT schema_name, view_name, 'SYSTEM VIEW' FROM duckdb_views()"
            " WHERE database_name = 'system'"
            " AND schema_name IN ('information_schema', 'pg_catalog')"
            # Redshift's system views (SVV_TABLE_INFO, PG_TABLE_DEF...) are in pg_catalog.
            " UNION ALL SELECT 'pg_catalog', view_name, 'SYSTEM VIEW' FROM duckdb_views()"
            " WHERE database_name = current_database() AND schema_name = 'main'"
            " AND NOT starts_with(view_name, 'redshift_')",
            [],
        )
        schema_re = re.compile(like_to_regex(schema_pattern)) if schema_pattern else None
        table_re = re.compile(like_to_regex(table_pattern)) if table_pattern else None
        out = {
            (str(s), str(t)): TableInfo(name=str(t), schema=str(s), type=str(kind))
            for s, t, kind in rows
            if (schema_re is None or schema_re.match(str(s)))
            and (table_re is None or table_re.match(str(t)))
        }
        return [out[key] for key in sorted(out)]

    def describe_table(
        self, database: str, schema: str | None, table: str | None, user: str | None = None
    ) -> list[ColumnInfo]:
        """Columns of ``schema.table`` (schema None: public first, then any schema);
        with ``table`` None, the columns of every table of the schema."""
        if table is None:
            schemas = [schema or "public"]
        elif schema is not None:
            schemas = [schema]
        else:
            found = self._query(
                database,
                "SELECT DISTINCT schema_name FROM duckdb_columns() WHERE table_name = $1"
                " AND database_name = current_database() AND schema_name <> 'main'",
                [table],
            )
            names = sorted(str(r[0]) for r in found)
            names.sort(key=lambda n: n != "public")
            schemas = names[:1]
        if not schemas:
            return []
        rows = self._query(
            database,
            "SELECT schema_name, table_name, column_name, data_type, is_nullable,"
            # IDENTITY columns' sequence defaults as Redshift's "identity"(...) text
            " main.redshift_column_default(column_default, database_name, schema_name,"
            " table_oid, column_index), comment FROM duckdb_columns()"
            " WHERE database_name = current_database() AND schema_name = $1"
            " AND ($2::VARCHAR IS NULL OR table_name = $2)"
            " ORDER BY table_name, column_index",
            [schemas[0], table],
        )
        columns = []
        for schema_name, table_name, column, data_type, nullable, default, comment in rows:
            try:
                duck_type: Any = duckdb.sqltype(str(data_type))
            except (duckdb.Error, ValueError):
                duck_type = str(data_type)
            info, _ = column_info(str(column), duck_type)
            apply_declared(info, parse_declared(comment))
            info.schema_name, info.table_name = str(schema_name), str(table_name)
            info.nullable = 1 if nullable else 0
            info.column_default = None if default is None else str(default)
            columns.append(info)
        return columns

    def close(self) -> None:
        """Close every connection and instance (files stay on disk)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            databases = list(self._databases.values())
        for db in databases:
            for conn in list(db.connections):
                conn.close()
            db.instance.close()
