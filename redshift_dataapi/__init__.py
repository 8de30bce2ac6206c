"""Amazon Redshift through the Redshift Data API, as a DB-API 2.0 (PEP 249) driver.

>>> import redshift_dataapi
>>> conn = redshift_dataapi.connect(database="dev", workgroup_name="analytics")
>>> cur = conn.cursor()
>>> cur.execute("SELECT :n + 1 AS answer", {"n": 41}).fetchone()
(42,)

``connect()`` opens no network connection; see :mod:`redshift_dataapi._core.settings`
for every keyword and its environment variable, and
:mod:`redshift_dataapi.connection` for what transactions cost in calls.

``threadsafety = 1``: threads may share the module, not connections or cursors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._core import settings as config
from ._core.settings import CONNECT_PARAMS, Settings
from .connection import Connection, build_client
from .cursor import Cursor
from .errors import (
    ConfigurationError,
    DatabaseError,
    DataError,
    Error,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
    Warning,
)
from .types import (
    BINARY,
    DATETIME,
    NUMBER,
    ROWID,
    STRING,
    Binary,
    Date,
    DateFromTicks,
    Time,
    TimeFromTicks,
    Timestamp,
    TimestampFromTicks,
    register_converter,
)

__version__ = "0.1.0"

apilevel = "2.0"
threadsafety = 1
paramstyle = "named"

__all__ = [
    "BINARY",
    "CONNECT_PARAMS",
    "DATETIME",
    "NUMBER",
    "ROWID",
    "STRING",
    "Binary",
    "ConfigurationError",
    "Connection",
    "Cursor",
    "DataError",
    "DatabaseError",
    "Date",
    "DateFromTicks",
    "Error",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "NotSupportedError",
    "OperationalError",
    "ProgrammingError",
    "Settings",
    "Time",
    "TimeFromTicks",
    "Timestamp",
    "TimestampFromTicks",
    "Warning",
    "apilevel",
    "config",
    "connect",
    "paramstyle",
    "register_converter",
    "threadsafety",
]


def connect(
    database: str | None = None,
    *,
    cluster_identifier: str | None = None,
    workgroup_name: str | None = None,
    secret_arn: str | None = None,
    db_user: str | None = None,
    region_name: str | None = None,
    endpoint_url: str | None = None,
    client: Any = None,
    boto3_session: Any = None,
    profile_name: str | None = None,
    autocommit: bool | None = None,
    timeout: float | None = None,
    result_format: str | None = None,
    session_keep_alive_seconds: int | None = None,
    statement_name: str | None = None,
    with_event: bool | None = None,
    parse_super: bool | None = None,
    max_retries: int | None = None,
    wait_time_seconds: int | None = None,
    converters: Mapping[str, Callable[[str], Any]] | None = None,
) -> Connection:
    """A connection to a Redshift cluster or Serverless workgroup via the Data API.

    Opens no network connection.  Every keyword left as None falls back to the
    environment variable ``REDSHIFT_DATAAPI_<KEYWORD>``, then to its default
    (autocommit False, timeout None, result_format "json",
    session_keep_alive_seconds 600; see :mod:`redshift_dataapi._core.settings`).
    ``endpoint_url="local:"`` / ``"local:<engine spec>"`` reaches the in-process
    local endpoint (cluster "local" and database "dev" unless given).
    ``converters`` maps typeNames to functions of the value's text for this
    connection (see :mod:`redshift_dataapi.types`).

    A wrong combination of keywords raises :class:`ConfigurationError` (an
    InterfaceError and a ValueError) naming them, before any call.
    """
    explicit = {
        "database": database,
        "cluster_identifier": cluster_identifier,
        "workgroup_name": workgroup_name,
        "secret_arn": secret_arn,
        "db_user": db_user,
        "region_name": region_name,
        "endpoint_url": endpoint_url,
        "profile_name": profile_name,
        "autocommit": autocommit,
        "timeout": timeout,
        "result_format": result_format,
        "session_keep_alive_seconds": session_keep_alive_seconds,
        "statement_name": statement_name,
        "with_event": with_event,
        "parse_super": parse_super,
        "max_retries": max_retries,
        "wait_time_seconds": wait_time_seconds,
    }
    if converters is not None and not isinstance(converters, Mapping):
        raise ConfigurationError("converters must be a mapping of typeName -> function")
    if client is not None:
        # A ready client already knows its endpoint, region and credentials: an
        # explicit clash is a mistake, but environment defaults simply yield to it.
        clashing = [
            name
            for name in ("region_name", "endpoint_url", "profile_name")
            if explicit[name] is not None
        ]
        if boto3_session is not None:
            clashing.append("boto3_session")
        if clashing:
            raise ConfigurationError(
                f"client is a ready boto3 client: it cannot be combined with {', '.join(clashing)}"
            )
    settings = config.resolve_settings(explicit)
    if client is not None:
        settings.region_name = settings.endpoint_url = settings.profile_name = None
    the_client = build_client(settings, client=client, boto3_session=boto3_session)
    return Connection(settings, the_client, converters=converters)
