"""The PostgreSQL engine of the local Data API endpoint (psycopg 3).

Redshift descends from PostgreSQL, so this engine gives the endpoint real
catalogs, transactions, locking, SQLSTATEs and permissions.

Databases
    Each Data API database is a PostgreSQL database.  With a
    ``database_prefix`` (tests use one per test), Data API ``dev`` is the
    PostgreSQL database ``<prefix>dev``; ListDatabases shows only prefixed
    databases, without the prefix, and ``CREATE/DROP/ALTER DATABASE x`` in SQL
    act on ``<prefix>x``.  ``dev`` is created when missing.  ``close()`` drops
    every prefixed database when ``drop_on_close`` is set (it needs a prefix).

Connections
    Statements outside a Data API session run on pooled connections (one
    small idle pool per database and user) in autocommit mode; on release a
    connection is rolled back and ``DISCARD ALL``-ed, so that SET, temp tables
    and the like never leak from one statement to the next, as with the real
    service.  A session keeps its connection until ``close()``.  Every
    connection runs with ``TimeZone=UTC``; ``timestamptz`` values are returned
    in UTC even after a session's ``SET TimeZone``.

Users and permissions
    ``connect(database, user)`` with ``user`` None (or the DSN's own user)
    runs as the DSN's user, the superuser (the engine's own work).  The admin
    user (``admin_user``, ``awsuser`` by default; the service runs requests
    without DbUser or SecretArn as it) is a managed role that owns each
    database it connects to, may create databases and users, and reads and
    writes every table (``pg_read_all_data``/``pg_write_all_data``), like
    Redshift's admin user, without being a PostgreSQL superuser.  Any
    other user (DbUser, or the user a SecretArn names) runs as the PostgreSQL
    role of that name, created on first use if missing as ``LOGIN
    NOSUPERUSER NOCREATEDB NOCREATEROLE`` (see :mod:`.roles`),
    granted CONNECT on the database and USAGE+CREATE on schema ``public``
    (Redshift's default PUBLIC rights), and nothing else.  The engine
    connects *as* that role (password authentication with a password only
    the engine knows, or trust authentication on a throwaway cluster); it
    never uses ``SET ROLE``, which the user's own ``RESET ROLE`` would undo.
    So a user who reads or changes another user's table without a GRANT gets
    PostgreSQL's ``permission denied`` (SQLSTATE 42501) as a FAILED
    statement, and listings show what the role may see.  Roles are
    cluster-wide and survive ``close()``.

SQL
    Redshift SQL goes through ``translate(sql, "postgres")`` (plus the small
    fixes of :mod:`.sql`; GEOMETRY, GEOGRAPHY and HLLSKETCH columns
    become domains over text of those names in schema ``public``, created on
    first use); parameters are bound by psycopg as
    untyped values, so the server casts each Data API string to the type it
    needs.  Errors become :class:`EngineError` with PostgreSQL's message and
    ``(SQLSTATE xxxxx)``; :meth:`PostgresConnection.cancel` interrupts the
    running statement (StatementCancelled, SQLSTATE 57014) and rolls back
    its transaction.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

import psycopg
from psycopg import sql as pgsql
from psycopg.conninfo import conninfo_to_dict

from ..base import (
    DEFAULT_ADMIN_USER,
    ColumnInfo,
    Engine,
    EngineConnection,
    EngineError,
    TableInfo,
    UnknownDatabase,
)
from ..factory import POSTGRES_SCHEMES
from ..system_views import postgres_setup as system_views_setup
from . import keys
from .catalog import describe_table, list_schemas, list_tables
from .connection import PostgresConnection, error_message, from_psycopg_error
from .roles import (
    RoleError,
    adopt_role,
    check_role_name,
    ensure_admin_rights,
    ensure_role,
    grant_database_access,
    grant_schema_access,
    reset_password,
    role_password,
)
from .types import AdaptContext

logger = logging.getLogger(__name__)

T = TypeVar("T")

__all__ = [
    "SESSION_OPTIONS",
    "PostgresConnection",
    "PostgresEngine",
    "error_message",
    "from_psycopg_error",
]

#: Settings of every connection (libpq ``options``): the engine's answers depend on them.
SESSION_OPTIONS = "-c TimeZone=UTC -c DateStyle=ISO,MDY -c IntervalStyle=postgres"
_MAX_IDENTIFIER_BYTES = 63
_APPLICATION_NAME = "redshift-dataapi-local"


def _dsn_params(dsn: str) -> dict[str, Any]:
    """The connection parameters of a PostgreSQL DSN; ValueError for anything else."""
    if not isinstance(dsn, str) or not dsn.startswith(POSTGRES_SCHEMES):
        raise ValueError(f"not a PostgreSQL DSN: {dsn!r} (expected postgresql://user@host:port/)")
    if dsn.startswith("postgresql+psycopg://"):
        dsn = "postgresql://" + dsn[len("postgresql+psycopg://") :]
    try:
        return conninfo_to_dict(dsn)
    except psycopg.ProgrammingError as exc:
        raise ValueError(f"bad PostgreSQL DSN: {exc}") from exc


def _check_options(database_prefix: str, drop_on_close: bool, max_idle: int) -> None:
    if not isinstance(database_prefix, str) or not all(
        ch.isascii() and (ch.isalnum() or ch == "_") for ch in database_prefix
    ):
        raise ValueError(
            f"database_prefix must hold only ASCII letters, digits and '_': {database_prefix!r}"
        )
    if drop_on_close and not database_prefix:
        raise ValueError("drop_on_close needs a database_prefix (it drops every prefixed database)")
    if max_idle < 0:
        raise ValueError(f"max_idle must be >= 0, not {max_idle}")


class PostgresEngine(Engine):
    """The local endpoint's PostgreSQL engine (see the module docstring).

    ``dsn``: ``postgresql://user[:password]@host:port/[maintenance_db]`` of a
    role that may create databases and roles (a superuser).
    ``database_prefix``: see the module docstring; letters, digits and ``_``.
    ``drop_on_close``: drop the prefixed databases in :meth:`close`.
    ``max_idle``: idle pooled connections kept per (database, user).
    ``connect_timeout``: seconds to wait for a new connection.
    ``admin_user``: the user with the admin's rights (see the module docstring).
    """

    name = "postgresql"

    def __init__(
        self,
        dsn: str,
        *,
        database_prefix: str = "",
        drop_on_close: bool = False,
        max_idle: int = 4,
        connect_timeout: int = 10,
        admin_user: str = DEFAULT_ADMIN_USER,
    ) -> None:
        params = _dsn_params(dsn)
        self.admin_user = admin_user
        _check_options(database_prefix, drop_on_close, max_idle)
        self.database_prefix = database_prefix
        self.drop_on_close = drop_on_close
        self.max_idle = max_idle
        self._maintenance_db = str(params.pop("dbname", "") or "postgres")
        self._dsn_password = cast("str | None", params.get("password"))
        options = str(params.pop("options", "") or "")
        self._params: dict[str, Any] = {
            **params,
            "options": f"{options} {SESSION_OPTIONS}".strip(),
            "connect_timeout": params.get("connect_timeout", connect_timeout),
            "application_name": params.get("application_name", _APPLICATION_NAME),
        }
        self._lock = threading.Lock()  # pools and the sets below
        self._admin_lock = threading.RLock()  # the admin connection
        self._idle: dict[tuple[str, str | None], list[PostgresConnection]] = {}
        self._live: set[PostgresConnection] = set()
        self._ready_roles: set[str] = set()
        self._granted: set[tuple[str, str]] = set()
        self._keys_ready: set[str] = set()
        self._closed = False
        self._admin = self._connect_admin()
        self._superuser = self._admin.info.user
        try:
            self._ensure_database("dev")
        except BaseException:
            self._admin.close()
            raise
        logger.info(
            "PostgreSQL engine on %s as %s (database prefix %r)",
            self._where(),
            self._superuser,
            database_prefix,
        )

    def _connect_admin(self) -> psycopg.Connection:
        """The maintenance connection, which creates databases and roles."""
        try:
            return psycopg.Connection.connect(
                **{**self._params, "dbname": self._maintenance_db}, autocommit=True
            )
        except psycopg.Error as exc:
            raise EngineError(
                f"ERROR: cannot connect to PostgreSQL at {self._where()}: {exc}", "08001"
            ) from exc

    def _error(self, exc: psycopg.Error, cls: type[EngineError] = EngineError) -> EngineError:
        return from_psycopg_error(exc, cls, self.database_prefix)

    def _where(self) -> str:
        return f"{self._params.get('host', 'localhost')}:{self._params.get('port', 5432)}"

    # -- databases ----------------------------------------------------------

    def pg_database(self, database: str) -> str:
        """The PostgreSQL database name of Data API ``database``."""
        if not isinstance(database, str) or not database or "\x00" in database:
            raise UnknownDatabase(
                f'ERROR: database "{database}" does not exist (SQLSTATE 3D000)', "3D000"
            )
        name = self.database_prefix + database
        if len(name.encode("utf-8")) > _MAX_IDENTIFIER_BYTES:
            raise UnknownDatabase(
                f'ERROR: database "{database}" does not exist: the name is longer than'
                f" {_MAX_IDENTIFIER_BYTES - len(self.database_prefix)} bytes (SQLSTATE 3D000)",
                "3D000",
            )
        return name

    @contextmanager
    def _admin_connection(self) -> Iterator[psycopg.Connection]:
        with self._admin_lock:
            if self._closed:
                raise EngineError("ERROR: the engine is closed (SQLSTATE 08003)", "08003")
            yield self._admin

    def _database_exists(self, pg_name: str) -> bool:
        with self._admin_connection() as admin:
            return (
                admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [pg_name]).fetchone()
                is not None
            )

    def _ensure_database(self, database: str) -> None:
        """Create ``database`` unless it exists (only ``dev`` is created implicitly)."""
        pg_name = self.pg_database(database)
        if self._database_exists(pg_name):
            return
        statement = pgsql.SQL("CREATE DATABASE {}").format(pgsql.Identifier(pg_name))
        for attempt in range(5):
            try:
                with self._admin_connection() as admin:
                    admin.execute(statement)
                logger.info("created PostgreSQL database %s", pg_name)
                return
            except (psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation):
                return  # created concurrently by another engine
            except psycopg.errors.ObjectInUse:
                # "source database template1 is being accessed by other users": a
                # concurrent CREATE DATABASE holds the template for a moment.
                time.sleep(0.1 * (attempt + 1))
            except psycopg.Error as exc:
                raise self._error(exc) from exc
        raise EngineError(
            f"ERROR: could not create database {pg_name!r}: template busy (SQLSTATE 55006)", "55006"
        )

    def list_databases(self) -> list[str]:
        self._ensure_database("dev")
        with self._admin_connection() as admin:
            rows = admin.execute(
                "SELECT datname FROM pg_database WHERE NOT datistemplate"
            ).fetchall()
        prefix = self.database_prefix
        return sorted(
            name[len(prefix) :] for (name,) in rows if name.startswith(prefix) and name != prefix
        )

    # -- users ----------------------------------------------------------------

    def _role(self, user: str | None) -> str | None:
        """The role ``user`` runs as; None for the DSN's own user."""
        if user is None or user == self._superuser:
            return None
        try:
            return check_role_name(user)
        except RoleError as exc:
            raise EngineError(f"ERROR: invalid user name: {exc} (SQLSTATE 28000)", "28000") from exc

    def _prepare_role(self, database: str, pg_name: str, role: str) -> None:
        """The role exists and may connect to ``pg_name`` and create in its schema public."""
        with self._lock:
            ready = role in self._ready_roles
            granted = (pg_name, role) in self._granted
        if ready and granted:
            return
        if database == "dev":
            self._ensure_database("dev")  # it may have been dropped through SQL
        try:
            with self._admin_connection() as admin:
                if not ready:
                    ensure_role(admin, role, role_password(role, self._dsn_password))
                grant_database_access(admin, pg_name, role)
                if role == self.admin_user:
                    ensure_admin_rights(admin, role, pg_name)
        except psycopg.errors.InvalidCatalogName as exc:
            raise UnknownDatabase(
                f'ERROR: database "{database}" does not exist (SQLSTATE 3D000)', "3D000"
            ) from exc
        except psycopg.Error as exc:
            raise self._error(exc) from exc
        owner = self._checkout(pg_name, None, database)
        try:
            grant_schema_access(owner._conn, role)
        except psycopg.errors.InvalidSchemaName:
            logger.debug("database %s has no schema public; nothing to grant", pg_name)
        except psycopg.Error as exc:
            raise self._error(exc) from exc
        finally:
            self.release(owner)
        with self._lock:
            self._ready_roles.add(role)
            self._granted.add((pg_name, role))

    def adopt_role(self, role: str) -> None:
        """Make ``role``, just created by CREATE USER through the endpoint, one we connect as.

        Nothing happens while the role is not visible yet (created in a
        transaction still open): the user connects then only on a cluster
        that trusts local connections.
        """
        try:
            with self._admin_connection() as admin:
                found = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
                if not found.fetchone():
                    logger.debug("role %s is not committed yet; not adopted", role)
                    return
                adopt_role(admin, role, role_password(role, self._dsn_password))
        except psycopg.Error as exc:
            raise self._error(exc) from exc
        with self._lock:
            self._ready_roles.add(role)

    def forget_role(self, role: str) -> None:
        """``role`` was dropped: create it again if a request runs as it later."""
        with self._lock:
            self._ready_roles.discard(role)
            self._granted = {key for key in self._granted if key[1] != role}

    # -- connections ----------------------------------------------------------

    def _open(self, pg_name: str, role: str | None) -> psycopg.Connection:
        params = {**self._params, "dbname": pg_name}
        if role is not None:
            params["user"] = role
            params["password"] = role_password(role, self._dsn_password)
        return psycopg.Connection.connect(
            **params, autocommit=True, prepare_threshold=None, context=cast("Any", AdaptContext())
        )

    def _open_checked(self, database: str, pg_name: str, role: str | None) -> psycopg.Connection:
        """A new connection, with the causes of a failure told apart."""
        try:
            return self._open(pg_name, role)
        except psycopg.OperationalError as exc:
            if not self._database_exists(pg_name):
                with self._lock:
                    self._granted = {key for key in self._granted if key[0] != pg_name}
                    self._keys_ready.discard(pg_name)
                if database == "dev":
                    self._ensure_database("dev")
                    if role is not None:
                        self._prepare_role(database, pg_name, role)
                    return self._retry_open(pg_name, role)
                raise UnknownDatabase(
                    f'ERROR: database "{database}" does not exist (SQLSTATE 3D000)', "3D000"
                ) from exc
            if role is not None and "password" in str(exc).lower():
                with self._admin_connection() as admin:
                    reset = reset_password(admin, role, role_password(role, self._dsn_password))
                if reset:
                    return self._retry_open(pg_name, role)
                raise EngineError(
                    f'ERROR: cannot connect as user "{role}": the role exists and was not'
                    " created by the local endpoint, so its password is unknown (SQLSTATE 28P01)",
                    "28P01",
                ) from exc
            reason = (str(exc).strip().splitlines() or [repr(exc)])[-1]
            who = role or self._superuser
            raise EngineError(
                f'ERROR: cannot connect to database "{database}" as user "{who}": {reason}'
                " (SQLSTATE 08001)",
                "08001",
            ) from exc

    def _retry_open(self, pg_name: str, role: str | None) -> psycopg.Connection:
        try:
            return self._open(pg_name, role)
        except psycopg.Error as exc:
            raise self._error(exc) from exc

    def _checkout(
        self, pg_name: str, role: str | None, database: str | None = None
    ) -> PostgresConnection:
        key = (pg_name, role)
        with self._lock:
            if self._closed:
                raise EngineError("ERROR: the engine is closed (SQLSTATE 08003)", "08003")
            idle = self._idle.get(key)
            while idle:
                candidate = idle.pop()
                if candidate.usable:
                    self._live.add(candidate)
                    return candidate
        conn = self._open_checked(database or pg_name[len(self.database_prefix) :], pg_name, role)
        wrapped = PostgresConnection(self, conn, key)
        with self._lock:
            self._live.add(wrapped)
        return wrapped

    def forget_databases(self) -> None:
        """A database was dropped through SQL: set up the next one of that name again."""
        with self._lock:
            self._keys_ready.clear()

    def _prepare_keys(self, database: str, pg_name: str) -> None:
        """Create the informational keys' function (:mod:`.keys`) and the system views
        (``engines.system_views``) in ``pg_name``."""
        with self._lock:
            if pg_name in self._keys_ready:
                return
        owner = self._checkout(pg_name, None, database)
        try:
            conn = owner._conn
            try:
                # Always replaced once per engine: a newer endpoint brings a newer body.
                for statement in [*keys.SETUP, *system_views_setup(database)]:
                    conn.execute(cast("Any", statement))
            except psycopg.Error as exc:
                # "tuple concurrently updated": another engine replaced it at the same time.
                conn.execute("RESET allow_system_table_mods")
                found = conn.execute(
                    "SELECT 1 FROM pg_proc WHERE oid = to_regproc(%s)", [keys.FUNCTION]
                ).fetchone()
                if found is None:
                    raise
                logger.debug("informational keys set up concurrently: %s", exc)
        except psycopg.Error as exc:
            raise self._error(exc) from exc
        finally:
            self.release(owner)
        with self._lock:
            self._keys_ready.add(pg_name)

    def connect(self, database: str, user: str | None = None) -> PostgresConnection:
        pg_name = self.pg_database(database)
        self._prepare_keys(database, pg_name)
        role = self._role(user)
        if role is not None:
            self._prepare_role(database, pg_name, role)
        return self._checkout(pg_name, role, database)

    def release(self, connection: EngineConnection) -> None:
        if not isinstance(connection, PostgresConnection) or connection._engine is not self:
            raise ValueError(f"release() got a connection this engine did not make: {connection!r}")
        if connection.reset_for_pool():
            with self._lock:
                idle = self._idle.setdefault(connection.key, [])
                if not self._closed and len(idle) < self.max_idle and connection in self._live:
                    self._live.discard(connection)
                    idle.append(connection)
                    return
        connection.close()

    def _forget(self, connection: PostgresConnection) -> None:
        with self._lock:
            self._live.discard(connection)

    def _with_connection(
        self, database: str, user: str | None, work: Callable[[psycopg.Connection], T]
    ) -> T:
        connection = self.connect(database, user)
        try:
            return work(connection._conn)
        except psycopg.Error as exc:
            raise self._error(exc) from exc
        finally:
            self.release(connection)

    # -- catalog ----------------------------------------------------------------

    def list_schemas(
        self, database: str, pattern: str | None = None, user: str | None = None
    ) -> list[str]:
        return self._with_connection(database, user, lambda conn: list_schemas(conn, pattern))

    def list_tables(
        self,
        database: str,
        schema_pattern: str | None = None,
        table_pattern: str | None = None,
        user: str | None = None,
    ) -> list[TableInfo]:
        return self._with_connection(
            database, user, lambda conn: list_tables(conn, schema_pattern, table_pattern)
        )

    def describe_table(
        self, database: str, schema: str | None, table: str | None, user: str | None = None
    ) -> list[ColumnInfo]:
        return self._with_connection(
            database, user, lambda conn: describe_table(conn, schema, table)
        )

    # -- shutdown ---------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            connections = [c for idle in self._idle.values() for c in idle] + list(self._live)
            self._idle.clear()
            self._live.clear()
        for connection in connections:
            try:
                connection.close()
            except Exception as exc:  # closing is best effort; keep going
                logger.debug("closing connection %s: %s", connection.pid, exc)
        with self._admin_lock:
            try:
                if self.drop_on_close:
                    self._drop_prefixed_databases()
            finally:
                self._admin.close()

    def _drop_prefixed_databases(self) -> None:
        rows = self._admin.execute(
            "SELECT datname FROM pg_database WHERE NOT datistemplate AND starts_with(datname, %s)",
            [self.database_prefix],
        ).fetchall()
        for (name,) in rows:
            try:
                # FORCE (PostgreSQL 13+) ends sessions still connected to it.
                self._admin.execute(
                    pgsql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        pgsql.Identifier(name)
                    )
                )
            except psycopg.Error as exc:
                logger.warning("could not drop database %s: %s", name, exc)
