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
    reported in result and DescribeTable metadata; IDENTITY columns number
    rows (a sequence per column); ``SHOW DATABASES`` lists the Data API
    databases.  Errors read like Redshift's (``ERROR: relation "t" does not
    exist (SQLSTATE 42P01)``).

Users
    ``user`` is accepted and ignored: DuckDB has no roles, so GRANT, REVOKE
    and CREATE/ALTER/DROP USER|GROUP are accepted and do nothing.

Known differences
    TRUNC(timestamp), DATE_CMP and a few other Redshift-only functions do not
    exist in DuckDB; ``SET timezone`` is ignored (results stay in UTC); SUPER
    values are JSON text as written.  FOREIGN KEYs are enforced (Redshift
    only records them): an orphan row is refused, and a parent row cannot be
    deleted in the transaction that deleted its children (a DuckDB
    foreign-key limitation).  DuckDB 2.0 has no setting nor ``NOT ENFORCED``
    clause to keep a foreign key in the catalog without checking it, and its
    information_schema cannot be extended, so the declarations are kept (for
    reflection) and enforced.  The fetch of TIMESTAMPTZ and NUMERIC columns
    costs more than other types (DuckDB builds aware datetimes and Decimals
    in Python).
"""

from __future__ import annotations

import decimal
import itertools
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from ...translate.core import Translated, translate
from ...translate.tokens import quote_identifier
from ..base import (
    ColumnInfo,
    Engine,
    EngineConnection,
    EngineError,
    ExecResult,
    TableInfo,
    UnknownDatabase,
    like_to_regex,
)
from .errors import engine_error
from .types import apply_declared, column_info, declared_comment, parse_declared

logger = logging.getLogger(__name__)

DEFAULT_DATABASE = "dev"
_DB_NAME_RE = re.compile(r"^[a-z_][a-z0-9_$]{0,126}$")
_SUFFIXES = (".duckdb", ".db", ".ddb")
_SYSTEM_SCHEMAS = ("information_schema", "pg_catalog")
_SHOW_DATABASES_RE = re.compile(r"\s*SHOW\s+DATABASES\s*$", re.IGNORECASE)
_CANCEL_INTERVAL = 0.02  # seconds between repeated interrupts of one statement
_CANCEL_RETRIES = 500  # ... for at most 10 s
_CLOSE_WAIT = 10.0  # seconds close() waits for a cancelled statement to stop
_INT_RE = re.compile(r"^[+-]?[0-9]+$")
_NUM_RE = re.compile(r"^[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)([eE][+-]?[0-9]+)?$")

# Per-connection settings (DuckDB scopes them to one connection); {db} is the
# quoted database name.
_CONNECTION_SETUP = (
    "USE {db}.public",
    "SET preserve_identifier_case = 'lowercase'",
)
# Instance-wide settings.  The database is ATTACHed under its Data API name so
# that current_database() answers "dev", not DuckDB's "memory" or a file name.
_INSTANCE_SETUP = (
    "SET GLOBAL TimeZone = 'UTC'",
    "SET GLOBAL integer_division = true",
    "ATTACH {path} AS {db}",
    "CREATE SCHEMA IF NOT EXISTS {db}.public",
    "USE {db}.public",
)


def _numbers_as_numbers(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if isinstance(value, str) and _INT_RE.match(value):
            out.append(int(value))
        elif isinstance(value, str) and _NUM_RE.match(value):
            out.append(decimal.Decimal(value))
        else:
            out.append(value)
    return out


@dataclass
class _Database:
    """One Data API database: a DuckDB instance and the connections open on it."""

    name: str
    path: str | None
    instance: duckdb.DuckDBPyConnection
    connections: set[DuckDBConnection] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


class DuckDBConnection(EngineConnection):
    """One DuckDB connection serving Data API statements one at a time."""

    def __init__(self, engine: DuckDBEngine, database: _Database, pid: int) -> None:
        self._engine = engine
        self._database = database
        self.pid = pid
        with database.lock:
            self._cursor = database.instance.cursor()
        for statement in _CONNECTION_SETUP:
            self._cursor.execute(statement.format(db=quote_identifier(database.name)))
        self._in_transaction = False
        # Cancel bookkeeping: DuckDB's interrupt() only reaches a query that is
        # already running, so cancel() keeps interrupting until the statement
        # (identified by its generation) ends, and _call() refuses to start new
        # work once a cancel was requested.
        self._busy = False
        self._generation = 0
        self._cancel_requested = False
        self._state_lock = threading.Lock()
        self._closed = False

    @property
    def busy(self) -> bool:
        """True while a statement runs on this connection."""
        return self._busy

    @property
    def database(self) -> str:
        """The Data API database this connection is on."""
        return self._database.name

    # -- statements -------------------------------------------------------

    def execute(self, sql: str, parameters: dict[str, str] | None = None) -> ExecResult:
        """Run one Redshift statement (see :meth:`EngineConnection.execute`)."""
        if self._closed:
            raise EngineError("ERROR: the connection is closed (SQLSTATE 08003)", "08003")
        try:
            tr = translate(sql, "duckdb")
        except ValueError as exc:
            raise EngineError(f"ERROR: {exc} (SQLSTATE 42601)", "42601") from None
        values = self._bind(tr, parameters or {})
        if tr.noop:
            return ExecResult(columns=None)
        with self._state_lock:
            self._busy = True
            self._generation += 1
            self._cancel_requested = False
        try:
            return self._dispatch(tr, values)
        finally:
            with self._state_lock:
                self._busy = False
                self._cancel_requested = False

    def _dispatch(self, tr: Translated, values: list[Any]) -> ExecResult:
        if tr.command == "SHOW" and _SHOW_DATABASES_RE.match(tr.sql):
            # Each database is its own DuckDB instance: only the engine knows them all.
            names = self._engine.list_databases()
            info, _ = column_info("database_name", "VARCHAR")
            return ExecResult(columns=[info], rows=[(n,) for n in names], affected_rows=len(names))
        if tr.kind == "transaction":
            return self._transaction(tr.command)
        if tr.command in ("CREATE DATABASE", "DROP DATABASE"):
            assert tr.database is not None
            if self._in_transaction:
                raise EngineError(
                    f"ERROR: {tr.command} cannot run inside a transaction block (SQLSTATE 25001)",
                    "25001",
                )
            if tr.command == "CREATE DATABASE":
                self._engine.create_database(tr.database)
            else:
                self._engine.drop_database(tr.database, current=self._database.name)
            return ExecResult(columns=None)
        return self._run(tr, values)

    def _bind(self, tr: Translated, parameters: dict[str, str]) -> list[Any]:
        missing = [name for name in tr.param_names if name not in parameters]
        if missing:
            raise EngineError(
                f"ERROR: no value given for parameter {', '.join(':' + m for m in missing)}"
                " (SQLSTATE 07002)",
                "07002",
            )
        if tr.bulk is not None:
            # Column-wise multi-row INSERT: one list of values per column.
            return [
                [None if name is None else parameters[name] for name in column]
                for column in tr.bulk.columns
            ]
        values: list[Any] = [parameters[name] for name in tr.param_names]
        if tr.numeric_params:
            # Operands of arithmetic: DuckDB cannot pick an operator for a string
            # there (Redshift reads the text as a number), so bind numbers.
            numeric = set(tr.numeric_params)
            values = [
                _numbers_as_numbers([v])[0] if name in numeric else v
                for name, v in zip(tr.param_names, values, strict=True)
            ]
        return values

    def _transaction(self, command: str) -> ExecResult:
        # Redshift (like PostgreSQL) only warns on BEGIN inside a transaction and on
        # COMMIT/ROLLBACK outside one; DuckDB raises, so those become no-ops.
        try:
            if command == "BEGIN":
                if not self._in_transaction:
                    self._call("BEGIN", [])
                    self._in_transaction = True
            elif self._in_transaction:
                self._in_transaction = False
                self._call(command, [])
        except duckdb.Error as exc:
            if command == "COMMIT":
                self._rollback_quietly()
            raise engine_error(exc) from None
        return ExecResult(columns=None)

    def _call(self, sql: str, values: list[Any]) -> duckdb.DuckDBPyConnection:
        if self._cancel_requested:
            raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")
        return self._cursor.execute(sql, values)

    def _run(self, tr: Translated, values: list[Any]) -> ExecResult:
        # The SQL only: parameter values may be sensitive and are never logged.
        logger.debug("pid %s runs %s (%d parameters)", self.pid, tr.sql, len(values))
        extra = list(tr.pre_sql)
        after = self._declared_comments(tr)
        # The statement and its helpers (sequence, recorded column types) are one unit.
        wrap = bool(extra or after) and not self._in_transaction
        try:
            if wrap:
                self._call("BEGIN", [])
            for statement in extra:
                self._call(statement, [])
            try:
                cur = self._call(tr.sql if tr.bulk is None else tr.bulk.sql, values)
            except duckdb.BinderException as exc:
                # Inside a transaction the failure has already aborted it: no retry.
                if (
                    not values
                    or tr.bulk is not None
                    or self._in_transaction
                    or wrap
                    or "Could not choose a best candidate" not in str(exc)
                ):
                    raise
                cur = self._call(tr.sql, _numbers_as_numbers(values))
            if tr.kind == "query":
                result = self._fetch(cur, tr)
            else:
                result = ExecResult(columns=None, affected_rows=self._count(cur, tr))
            for statement in after:
                self._call(statement, [])
            if wrap:
                self._call("COMMIT", [])
            return result
        except duckdb.Error as exc:
            if wrap:
                self._rollback_quietly()
            raise engine_error(exc) from None

    def _rollback_quietly(self) -> None:
        try:
            self._cursor.execute("ROLLBACK")
        except duckdb.Error:
            pass

    @staticmethod
    def _count(cur: duckdb.DuckDBPyConnection, tr: Translated) -> int:
        if tr.kind != "dml" or cur.description is None:
            return 0
        row = cur.fetchone()
        return int(row[0]) if row and isinstance(row[0], int) else 0

    def _declared_comments(self, tr: Translated) -> list[str]:
        if tr.table is None or not tr.columns:
            return []
        schema, table = tr.table
        target = quote_identifier(table)
        if schema is not None:
            target = f"{quote_identifier(schema)}.{target}"
        out = []
        for col in tr.columns:
            comment = declared_comment(col).replace("'", "''")
            out.append(f"COMMENT ON COLUMN {target}.{quote_identifier(col.name)} IS '{comment}'")
        return out

    def _fetch(self, cur: duckdb.DuckDBPyConnection, tr: Translated) -> ExecResult:
        description = cur.description or []
        rows = cur.fetchall()
        columns: list[ColumnInfo] = []
        converters: list[tuple[int, Any]] = []
        for index, desc in enumerate(description):
            info, converter = column_info(desc[0], desc[1])
            if str(getattr(desc[1], "id", desc[1])).lower() == "hugeint" and _fits_int8(
                rows, index
            ):
                # DuckDB's SUM over any integer type is HUGEINT; Redshift's SUM of
                # int2/int4 is int8 (of int8, numeric(38,0)).  Report int8 when every
                # value fits, so SUM(int) comes back as longValue as on Redshift.
                info.type_name, info.precision, info.scale = "int8", 19, 0
                converter = None
            columns.append(info)
            if converter is not None:
                converters.append((index, converter))
        self._fill_origin(columns, tr)
        if converters and rows:
            rows = _convert_rows(rows, converters)
        return ExecResult(columns=columns, rows=rows, affected_rows=len(rows))

    def _fill_origin(self, columns: list[ColumnInfo], tr: Translated) -> None:
        """Table, nullability and declared types for columns taken straight from a table."""
        table_cols: dict[str, tuple[str, str, bool, str | None]] = {}
        if tr.source is not None and (tr.source_columns or tr.source_star):
            table_cols = self._source_columns(*tr.source)
        for info in columns:
            origin = tr.source_columns.get(info.name)
            if origin is None and tr.source_star and info.name in table_cols:
                origin = info.name
            found = table_cols.get(origin) if origin is not None else None
            if found is None:
                apply_declared(info, None)
                continue
            schema, table, nullable, comment = found
            info.schema_name, info.table_name = schema, table
            info.nullable = 1 if nullable else 0
            apply_declared(info, parse_declared(comment))

    def _source_columns(
        self, schema: str | None, table: str
    ) -> dict[str, tuple[str, str, bool, str | None]]:
        try:
            if schema is None:
                rows = self._cursor.execute(
                    "SELECT schema_name, table_name, column_name, is_nullable, comment,"
                    " database_name = 'temp' AS tmp"
                    " FROM duckdb_columns() WHERE table_name = $1"
                    " AND (database_name = 'temp' OR (database_name = current_database()"
                    " AND schema_name = current_schema()))",
                    [table],
                ).fetchall()
                temp = [r for r in rows if r[5]]
                rows = temp or rows
            else:
                rows = self._cursor.execute(
                    "SELECT schema_name, table_name, column_name, is_nullable, comment, false"
                    " FROM duckdb_columns() WHERE table_name = $1 AND schema_name = $2"
                    " AND database_name = current_database()",
                    [table, schema],
                ).fetchall()
        except duckdb.Error:
            return {}
        return {r[2]: (r[0], r[1], bool(r[3]), r[4]) for r in rows}

    # -- transactions -------------------------------------------------------

    def begin(self) -> None:
        """Open a transaction."""
        if self._in_transaction:
            raise EngineError("ERROR: a transaction is already open (SQLSTATE 25001)", "25001")
        try:
            self._call("BEGIN", [])
        except duckdb.Error as exc:
            raise engine_error(exc) from None
        self._in_transaction = True

    def commit(self) -> None:
        """Commit the open transaction (a failed one is rolled back and reported)."""
        if not self._in_transaction:
            return
        self._in_transaction = False
        try:
            self._call("COMMIT", [])
        except duckdb.Error as exc:
            self._rollback_quietly()
            raise engine_error(exc) from None

    def rollback(self) -> None:
        """Roll back the open transaction; a no-op when none is open."""
        if not self._in_transaction:
            return
        self._in_transaction = False
        try:
            self._call("ROLLBACK", [])
        except duckdb.Error as exc:
            raise engine_error(exc) from None

    @property
    def in_transaction(self) -> bool:
        """True while an explicit transaction (begin() or BEGIN) is open."""
        return self._in_transaction

    def cancel(self) -> None:
        """Interrupt the running statement; it raises StatementCancelled.

        A no-op when nothing runs: the next statement is never affected.
        """
        with self._state_lock:
            if not self._busy or self._closed:
                return
            self._cancel_requested = True
            generation = self._generation
            self._cursor.interrupt()
        threading.Thread(
            target=self._keep_interrupting, args=(generation,), daemon=True, name="duckdb-cancel"
        ).start()

    def _keep_interrupting(self, generation: int) -> None:
        # The interrupt may land between two DuckDB calls of one statement, or just
        # before the query starts; repeat it until the statement is over.
        for _ in range(_CANCEL_RETRIES):
            with self._state_lock:
                if not self._busy or self._generation != generation or self._closed:
                    return
                self._cursor.interrupt()
            time.sleep(_CANCEL_INTERVAL)

    def close(self) -> None:
        """Roll back anything open and close the DuckDB connection.

        A statement still running (another thread) is cancelled first: closing
        a DuckDB connection under a running query is not safe.
        """
        if self._closed:
            return
        if self._busy:
            self.cancel()
            deadline = time.monotonic() + _CLOSE_WAIT
            while self._busy and time.monotonic() < deadline:
                time.sleep(_CANCEL_INTERVAL)
        self._closed = True
        try:
            if self._in_transaction:
                self._rollback_quietly()
            self._cursor.close()
        except duckdb.Error:  # pragma: no cover - closing never matters to the caller
            logger.debug("error closing a DuckDB connection", exc_info=True)
        self._engine._forget(self)


def _fits_int8(rows: list[tuple[Any, ...]], index: int) -> bool:
    """True when every value of column ``index`` is NULL or fits a signed 64-bit int."""
    low, high = -(2**63), 2**63 - 1
    return all(row[index] is None or low <= row[index] <= high for row in rows)


def _convert_rows(
    rows: list[tuple[Any, ...]], converters: list[tuple[int, Any]]
) -> list[tuple[Any, ...]]:
    out = []
    for row in rows:
        values = list(row)
        for index, converter in converters:
            values[index] = converter(values[index])
        out.append(tuple(values))
    return out


class DuckDBEngine(Engine):
    """Data API databases on DuckDB, in memory (``path`` None) or in files beside ``path``."""

    name = "duckdb"

    def __init__(self, path: str | None = None, **options: Any) -> None:
        unknown = set(options) - {"threads", "memory_limit"}
        if unknown:
            raise ValueError(
                f"unknown DuckDB engine option(s) {sorted(unknown)}: use threads, memory_limit"
            )
        self._config: dict[str, str] = {k: str(v) for k, v in options.items() if v is not None}
        self._lock = threading.RLock()
        self._pids = itertools.count(1073741824)
        self._databases: dict[str, _Database] = {}
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

    def _open(self, name: str, path: str | None) -> _Database:
        try:
            instance = duckdb.connect(":memory:", config=dict(self._config))
            literal = "'" + (path or ":memory:").replace("'", "''") + "'"
            for statement in _INSTANCE_SETUP:
                instance.execute(statement.format(db=quote_identifier(name), path=literal))
        except duckdb.Error as exc:
            raise engine_error(exc) from None
        db = _Database(name=name, path=path, instance=instance)
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

    def _get(self, database: str) -> _Database:
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
        """A new DuckDB connection to ``database`` (``user`` is ignored: no roles)."""
        db = self._get(database)
        with self._lock:
            conn = DuckDBConnection(self, db, next(self._pids))
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
            raise engine_error(exc) from None
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
            " AND schema_name IN ('information_schema', 'pg_catalog')",
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
            " column_default, comment FROM duckdb_columns()"
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
