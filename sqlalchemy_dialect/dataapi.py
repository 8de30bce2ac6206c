"""The ``redshift+dataapi://`` driver dialect: SQLAlchemy over the ``redshift_dataapi`` driver.

URL::

    redshift+dataapi://[db_user@][cluster_identifier]/database?key=value&...

* ``cluster_identifier`` (host) for a provisioned cluster, or ``?workgroup_name=`` for
  Serverless; ``db_user`` (user name) for temporary credentials, or ``?secret_arn=``.
* Every keyword of ``redshift_dataapi.connect()`` listed in
  ``redshift_dataapi.CONNECT_PARAMS`` works as a query parameter and is converted to its
  type (``autocommit=true``, ``timeout=30``, ``endpoint_url=local:``...).  An unknown
  parameter, a password or a port is an error that says what to do instead.
* Objects (a boto3 ``client``, a ``boto3_session``) go in ``connect_args``.

Connecting is free: the dialect asks the server nothing when it initializes (no
version, default schema, isolation level or ``standard_conforming_strings`` queries,
each of which would be a Data API round trip).  It reports Redshift's fixed answers:
server version 8.0.2, default schema ``public``, isolation ``SERIALIZABLE``.

Transactions: the default is transactional (the driver keeps a Data API session per
connection and really commits or rolls back); ``isolation_level="AUTOCOMMIT"`` (engine
or connection execution option) switches the driver to autocommit, one
ExecuteStatement per statement and no session.

Reflection: see :mod:`sqlalchemy_dialect.reflecting` (names, columns) and
:mod:`sqlalchemy_dialect.catalog_reflection` (keys, comments, views, table options).
"""

from __future__ import annotations

import logging
from types import ModuleType
from typing import Any

from sqlalchemy import exc
from sqlalchemy.engine.url import URL

from .base import register_option_names
from .catalog_reflection import ReflectingDialect
from .compat import SA2

logger = logging.getLogger(__name__)

#: The isolation level the dialect reports for a transactional connection.  Redshift
#: sets isolation per database (ALTER DATABASE ... ISOLATION LEVEL), not per session.
DEFAULT_ISOLATION_LEVEL = "SERIALIZABLE"


def _convert(name: str, value: str) -> Any:
    """A URL query value as the type connect() expects, or an ArgumentError naming it.

    The driver's own conversion (the one its environment variables go through),
    except that a number must be given: the driver reads ``''``/``none``/``null``
    as "not set", and a URL that names a parameter sets it.
    """
    from redshift_dataapi._core import settings as config
    from redshift_dataapi.errors import ConfigurationError

    try:
        converted = config.convert_value(name, value)
    except ConfigurationError as error:
        raise exc.ArgumentError(f"URL parameter {error.message}") from None
    if converted is None:
        what = "an integer" if config.CONNECT_PARAMS[name] is int else "a number"
        raise exc.ArgumentError(f"URL parameter {name}: expected {what}, got {value!r}")
    return converted


def _unwrap(connection: Any) -> Any:
    """The driver connection behind a pool proxy.

    SQLAlchemy 1.4 passes the pool's connection proxy to reset_isolation_level,
    where setting ``autocommit`` would land on the proxy, not the driver.
    """
    return getattr(connection, "dbapi_connection", connection)


class RedshiftDataAPIDialect(ReflectingDialect):
    """Redshift through the Data API (``redshift+dataapi://``)."""

    driver = "dataapi"
    supports_statement_cache = True
    default_paramstyle = "named"
    supports_sane_rowcount = True
    supports_sane_multi_rowcount = True  # the driver sums executemany row counts

    @classmethod
    def import_dbapi(cls) -> ModuleType:
        import redshift_dataapi

        return redshift_dataapi

    if not SA2:

        @classmethod
        def dbapi(cls) -> ModuleType:  # type: ignore[override]
            """SQLAlchemy 1.4's name for import_dbapi()."""
            return cls.import_dbapi()

    # --- URL -> connect() -----------------------------------------------------------

    def create_connect_args(self, url: URL) -> tuple[list[Any], dict[str, Any]]:
        """Translate the URL into ``redshift_dataapi.connect()`` keywords."""
        import redshift_dataapi

        params = redshift_dataapi.CONNECT_PARAMS
        if url.password:
            raise exc.ArgumentError(
                "redshift+dataapi URLs take no password: the Data API authenticates with "
                "AWS credentials; use ?secret_arn=<Secrets Manager ARN> or db_user@ "
                "(temporary credentials) instead"
            )
        if url.port is not None:
            raise exc.ArgumentError(
                f"redshift+dataapi URLs take no port (got {url.port}): the Data API is an "
                "AWS endpoint; use ?endpoint_url= to reach another endpoint"
            )
        kwargs: dict[str, Any] = {}
        if url.username:
            kwargs["db_user"] = url.username
        if url.host:
            kwargs["cluster_identifier"] = url.host
        if url.database:
            kwargs["database"] = url.database
        for key, value in url.query.items():
            if key not in params:
                raise exc.ArgumentError(
                    f"unknown redshift+dataapi URL parameter {key!r}; "
                    f"known: {', '.join(sorted(params))}"
                )
            if not isinstance(value, str):
                raise exc.ArgumentError(f"URL parameter {key} is given more than once")
            converted = _convert(key, value)
            if key in kwargs and kwargs[key] != converted:
                raise exc.ArgumentError(
                    f"URL parameter {key}={value!r} contradicts the URL's "
                    f"{'host' if key == 'cluster_identifier' else key} {kwargs[key]!r}"
                )
            kwargs[key] = converted
        if kwargs.get("cluster_identifier") and kwargs.get("workgroup_name"):
            raise exc.ArgumentError(
                "give a cluster identifier (URL host) or ?workgroup_name= (Serverless), "
                "not both; for Serverless write redshift+dataapi:///db?workgroup_name=..."
            )
        return [], kwargs

    # --- start-up without round trips -----------------------------------------------

    def initialize(self, connection: Any) -> None:
        # DefaultDialect.initialize only: PGDialect.initialize would also query
        # standard_conforming_strings.  Our overrides below answer without SQL.
        from sqlalchemy.engine.default import DefaultDialect

        DefaultDialect.initialize(self, connection)

    def _get_server_version_info(self, connection: Any) -> tuple[int, ...]:
        return self.server_version_info_static

    def _get_default_schema_name(self, connection: Any) -> str:
        return self.default_schema_name_static

    def on_connect(self) -> None:
        return None

    def do_ping(self, dbapi_connection: Any) -> bool:
        """``SELECT 1`` as one ExecuteStatement.

        A transactional connection with no open transaction pings in autocommit mode,
        so the ping does not open a transaction (BEGIN) that the pool then has to
        roll back: one call instead of three.  A closed connection answers False
        (SQLAlchemy 1.4's pool expects that rather than an exception).
        """
        dbapi = self.import_dbapi()
        try:
            return self._ping(dbapi_connection)
        except dbapi.Error as error:
            if self.is_disconnect(error, dbapi_connection, None):
                return False
            raise

    @staticmethod
    def _ping(dbapi_connection: Any) -> bool:
        flip = not dbapi_connection.autocommit and not getattr(
            dbapi_connection, "in_transaction", True
        )
        if flip:
            dbapi_connection.autocommit = True
        try:
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("SELECT 1")
                cursor.fetchall()
            finally:
                cursor.close()
        finally:
            if flip:
                dbapi_connection.autocommit = False
        return True

    def is_disconnect(self, e: Exception, connection: Any, cursor: Any) -> bool:
        """A closed driver connection is a disconnect (the pool replaces it)."""
        if connection is not None and getattr(connection, "closed", False):
            return True
        dbapi = self.import_dbapi()
        return isinstance(e, dbapi.InterfaceError) and "closed" in str(e)

    # --- isolation ------------------------------------------------------------------

    def get_isolation_level_values(self, dbapi_connection: Any) -> Any:
        return ["AUTOCOMMIT", DEFAULT_ISOLATION_LEVEL]

    def set_isolation_level(self, dbapi_connection: Any, level: str) -> None:
        dbapi_connection = _unwrap(dbapi_connection)
        # 2.x checks the level against get_isolation_level_values first; 1.4 does not.
        valid = self.get_isolation_level_values(dbapi_connection)
        if level not in valid:
            raise exc.ArgumentError(
                f"Invalid value {level!r} for isolation_level. Valid isolation levels for "
                f"{self.name!r} are {', '.join(valid)}"
            )
        dbapi_connection.autocommit = level == "AUTOCOMMIT"

    def get_isolation_level(self, dbapi_connection: Any) -> Any:
        dbapi_connection = _unwrap(dbapi_connection)
        return "AUTOCOMMIT" if dbapi_connection.autocommit else DEFAULT_ISOLATION_LEVEL

    def detect_autocommit_setting(self, dbapi_conn: Any) -> bool:
        return bool(dbapi_conn.autocommit)


register_option_names()


def _register_alembic() -> None:
    """Register the Alembic implementation when Alembic is installed (see alembic_impl)."""
    import importlib.util

    if importlib.util.find_spec("alembic") is not None:
        from . import alembic_impl  # noqa: F401  (registers on import)


_register_alembic()

dialect = RedshiftDataAPIDialect
