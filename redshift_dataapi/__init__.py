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
from typing import TYPE_CHECKING, Any

from ._core import settings as config
from ._core.client import build_client
from ._core.runner import StatementProgress
from ._core.settings import CONNECT_PARAMS, Settings
from .connection import Connection
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

if TYPE_CHECKING:
    import boto3
    from mypy_boto3_redshift_data import RedshiftDataAPIServiceClient

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
    "StatementProgress",
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
    client: RedshiftDataAPIServiceClient | None = None,
    boto3_session: boto3.Session | None = None,
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
    prefetch: bool | None = None,
    converters: Mapping[str, Callable[[str], Any]] | None = None,
) -> Connection:
    """A connection to a Redshift cluster or Serverless workgroup via the Data API.

    Opens no network connection.  Every keyword left as None falls back to the
    environment variable ``REDSHIFT_DATAAPI_<KEYWORD>``, then to its default
    (autocommit False, timeout None, result_format "json",
    session_keep_alive_seconds 600; see :mod:`redshift_dataapi._core.settings`).
    ``endpoint_url="local:"`` / ``"local:<engine spec>"`` reaches the in-process
    local endpoint, and a loopback URL (``redshift-dataapi local serve``) the
    local endpoint over HTTP; cluster "local" and database "dev" are then the
    defaults.  ``client`` is a ready boto3 ``redshift-data`` client, used as
    it is (its own retry configuration included); otherwise the one client
    factory (:mod:`redshift_dataapi._core.client`) builds one with botocore's
    retries off, the driver retrying by itself.  ``converters`` maps typeNames
    to functions of the value's text for this connection (see
    :mod:`redshift_dataapi.types`).  ``prefetch`` (default True) fetches a
    result's next page on a background thread while the current one is read
    (see :mod:`redshift_dataapi.results.read_ahead`); False fetches each page
    only when its rows are needed.

    A wrong combination of keywords raises :class:`ConfigurationError` (an
    InterfaceError and a ValueError) naming them, before any call.
    """
    given = locals()
    # The settings keywords, read off the signature by CONNECT_PARAMS's names.
    explicit = {name: given[name] for name in CONNECT_PARAMS}
    if converters is not None and not isinstance(converters, Mapping):
        raise ConfigurationError("converters must be a mapping of typeName -> function")
    if client is not None:
        _refuse_client_clash(explicit, boto3_session)
    settings = config.resolve_settings(explicit)
    if client is None:
        client = build_client(settings, boto3_session=boto3_session)
    else:
        # A ready client already knows its endpoint, region and credentials.
        settings.region_name = settings.endpoint_url = settings.profile_name = None
    return Connection(settings, client, converters=converters)


#: What a ready client already carries: connect() refuses them next to one.
_CLIENT_KEYWORDS = ("region_name", "endpoint_url", "profile_name")


def _refuse_client_clash(explicit: Mapping[str, Any], boto3_session: object) -> None:
    """An explicit endpoint keyword next to a ready client is a mistake.

    Environment defaults simply yield to the client (SQLAlchemy's connect_args
    and the demo pass one while the user's environment may name an endpoint).
    """
    clashing = [name for name in _CLIENT_KEYWORDS if explicit[name] is not None]
    if boto3_session is not None:
        clashing.append("boto3_session")
    if clashing:
        raise ConfigurationError(
            f"client is a ready boto3 client: it cannot be combined with {', '.join(clashing)}",
            keywords=clashing,
        )
