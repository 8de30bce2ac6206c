"""connect() keywords: their types, environment defaults and validation.

The one settings object of the project: ``connect()``, the SQLAlchemy URL and
the command line all end in :func:`resolve_settings`, and the client factory
(:mod:`redshift_dataapi._core.client`) builds its client from the result.

Every keyword in :data:`CONNECT_PARAMS` can be given as text (an environment
variable ``REDSHIFT_DATAAPI_<KEYWORD>``, a SQLAlchemy URL query parameter, a
CLI option); :func:`parse_settings` converts such text with errors that name
the keyword.  Explicit connect() arguments win over the environment.  The
region also comes from ``AWS_REGION`` / ``AWS_DEFAULT_REGION`` (or the AWS
config file) the way boto3 finds it.

Defaults:

=============================  =========  ====================================
keyword                        default    meaning
=============================  =========  ====================================
database                       None       required, except with secret_arn
                                          (the secret may name it) or a
                                          local endpoint ("dev")
cluster_identifier             None       provisioned cluster (or workgroup_name)
workgroup_name                 None       Serverless workgroup
secret_arn                     None       credentials from Secrets Manager
db_user                        None       temporary credentials (clusters only)
region_name                    None       boto3's own resolution
endpoint_url                   None       another endpoint (http(s)://...);
                                          ``local:[engine]`` = the in-process
                                          local endpoint
profile_name                   None       AWS profile for the default session
autocommit                     False      PEP 249 default: transactions on
timeout                        None       seconds a statement may run before
                                          CancelStatement (None = no limit)
result_format                  "json"     or "csv" (GetStatementResultV2)
session_keep_alive_seconds     600        how long the Data API keeps the
                                          session of a transactional connection
                                          after each statement (0-86400)
statement_name                 None       StatementName on every statement
with_event                     False      WithEvent on every statement
parse_super                    False      SUPER values as parsed JSON
max_retries                    5          retries of throttled/transient calls
wait_time_seconds              20         long-poll wait per call (1-30)
prefetch                       True       fetch a result's next page in the
                                          background while the current one
                                          is read (results/read_ahead.py)
=============================  =========  ====================================

Local endpoints.  ``local:`` and any URL on a loopback host (what
``redshift-dataapi local serve`` prints) are the local endpoint: the target
then defaults to cluster ``local`` and database ``dev``, and the client
factory defaults the region to us-east-1 and uses dummy credentials when none
are configured (the local endpoint checks no signature, and a newcomer has no
AWS credentials).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigurationError
from .limits import (
    MAX_SESSION_KEEP_ALIVE_SECONDS,
    MAX_STATEMENT_NAME_LENGTH,
    MAX_WAIT_TIME_SECONDS,
    MIN_WAIT_TIME_SECONDS,
)

__all__ = [
    "CONNECT_PARAMS",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_SESSION_KEEP_ALIVE_SECONDS",
    "DEFAULT_WAIT_TIME_SECONDS",
    "ENV_PREFIX",
    "LOCAL_CLUSTER",
    "LOCAL_DATABASE",
    "LOCAL_REGION",
    "LOCAL_SCHEME",
    "TARGET_KEYWORDS",
    "Settings",
    "convert_value",
    "env_name",
    "env_settings",
    "is_local_endpoint",
    "parse_settings",
    "resolve_settings",
]

ENV_PREFIX = "REDSHIFT_DATAAPI_"
#: The driver's own defaults (not service limits).
DEFAULT_SESSION_KEEP_ALIVE_SECONDS = 600
DEFAULT_MAX_RETRIES = 5
DEFAULT_WAIT_TIME_SECONDS = 20
#: ``endpoint_url`` prefix of the in-process local endpoint (``local:[engine spec]``).
LOCAL_SCHEME = "local:"
#: Defaults on a local endpoint.
LOCAL_CLUSTER = "local"
LOCAL_DATABASE = "dev"
LOCAL_REGION = "us-east-1"

#: Every connect() keyword settable from text, with the type its text converts to.
CONNECT_PARAMS: dict[str, type] = {
    "database": str,
    "cluster_identifier": str,
    "workgroup_name": str,
    "secret_arn": str,
    "db_user": str,
    "region_name": str,
    "endpoint_url": str,
    "profile_name": str,
    "autocommit": bool,
    "timeout": float,
    "result_format": str,
    "session_keep_alive_seconds": int,
    "statement_name": str,
    "with_event": bool,
    "parse_super": bool,
    "max_retries": int,
    "wait_time_seconds": int,
    "prefetch": bool,
}

#: The keywords that say which database to reach and as whom (the request's
#: target and auth members).
TARGET_KEYWORDS = ("database", "cluster_identifier", "workgroup_name", "secret_arn", "db_user")

_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "off"})
_NONE = frozenset({"", "none", "null"})


def env_name(keyword: str) -> str:
    """The environment variable that supplies a connect() keyword."""
    return ENV_PREFIX + keyword.upper()


def is_local_endpoint(endpoint_url: str | None) -> bool:
    """True for ``local:[spec]`` and for URLs on a loopback host (a local endpoint)."""
    if not endpoint_url:
        return False
    if endpoint_url.startswith(LOCAL_SCHEME):
        return True
    host = urlsplit(endpoint_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class Settings:
    """The validated settings of one connection (see the module docstring)."""

    database: str | None = None
    cluster_identifier: str | None = None
    workgroup_name: str | None = None
    secret_arn: str | None = None
    db_user: str | None = None
    region_name: str | None = None
    endpoint_url: str | None = None
    profile_name: str | None = None
    autocommit: bool = False
    timeout: float | None = None
    result_format: str = "json"
    session_keep_alive_seconds: int = DEFAULT_SESSION_KEEP_ALIVE_SECONDS
    statement_name: str | None = None
    with_event: bool = False
    parse_super: bool = False
    max_retries: int = DEFAULT_MAX_RETRIES
    wait_time_seconds: int = DEFAULT_WAIT_TIME_SECONDS
    prefetch: bool = True

    @property
    def in_process(self) -> bool:
        """True when endpoint_url names the in-process local endpoint (``local:``)."""
        return bool(self.endpoint_url) and str(self.endpoint_url).startswith(LOCAL_SCHEME)

    @property
    def local_endpoint(self) -> bool:
        """True for the in-process local endpoint and for a loopback endpoint URL."""
        return is_local_endpoint(self.endpoint_url)

    def target(self) -> dict[str, str]:
        """The target and auth members of a Data API request (without a SessionId)."""
        out: dict[str, str] = {}
        if self.cluster_identifier:
            out["ClusterIdentifier"] = self.cluster_identifier
        if self.workgroup_name:
            out["WorkgroupName"] = self.workgroup_name
        if self.database:
            out["Database"] = self.database
        if self.secret_arn:
            out["SecretArn"] = self.secret_arn
        if self.db_user:
            out["DbUser"] = self.db_user
        return out


def _convert_bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return bool(value)
    text = value.strip().lower() if isinstance(value, str) else None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ConfigurationError(f"{name}: expected true or false, got {value!r}", keywords=(name,))


def _convert_number(name: str, value: Any, kind: type) -> Any:
    what = "an integer" if kind is int else "a number"
    accepted = (int,) if kind is int else (int, float)
    if isinstance(value, accepted) and not isinstance(value, bool):
        return kind(value)
    if isinstance(value, str):
        if value.strip().lower() in _NONE:
            return None
        try:
            return kind(value.strip())
        except ValueError:
            pass
    raise ConfigurationError(f"{name}: expected {what}, got {value!r}", keywords=(name,))


def convert_value(name: str, value: Any) -> Any:
    """Convert one keyword's value (text or already typed) to its type.

    Raises ConfigurationError naming the keyword when it is unknown or the value
    does not convert.  ``None`` stays None; for optional numbers, text
    ``''``/``none``/``null`` also means None.
    """
    if name not in CONNECT_PARAMS:
        raise ConfigurationError(
            f"unknown connect() keyword {name!r}; known: {', '.join(sorted(CONNECT_PARAMS))}"
        )
    kind = CONNECT_PARAMS[name]
    if value is None:
        return None
    if kind is bool:
        return _convert_bool(name, value)
    if kind in (int, float):
        return _convert_number(name, value, kind)
    if not isinstance(value, str):
        raise ConfigurationError(
            f"{name}: expected a string, got {type(value).__name__}", keywords=(name,)
        )
    return value


def parse_settings(values: Mapping[str, Any]) -> dict[str, Any]:
    """Convert a mapping of keyword -> text (or typed value) to typed values.

    For the SQLAlchemy URL query, the CLI and the environment.  Unknown keywords
    and bad values raise ConfigurationError naming the keyword.
    """
    return {name: convert_value(name, value) for name, value in values.items()}


def env_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Keyword values from ``REDSHIFT_DATAAPI_<KEYWORD>`` environment variables."""
    env = os.environ if environ is None else environ
    found: dict[str, Any] = {}
    for name in CONNECT_PARAMS:
        key = env_name(name)
        if key in env:
            try:
                found[name] = convert_value(name, env[key])
            except ConfigurationError as exc:
                # The variable is what the user set: the message names it alone.
                raise ConfigurationError(f"environment variable {key}: {exc}") from None
    return found


def resolve_settings(
    explicit: Mapping[str, Any],
    environ: Mapping[str, str] | None = None,
    *,
    require_target: bool = True,
) -> Settings:
    """Merge explicit keywords over environment defaults, then validate.

    ``explicit`` values of None mean "not given" (the environment may supply them).
    Raises ConfigurationError naming the keywords of a wrong combination.

    ``require_target=False`` is for calls that name no database (a statement's
    result by Id, ListStatements...): the environment then supplies no target
    or credentials (a target nobody typed would filter or misdirect the call)
    and none is required; the other rules still hold.
    """
    merged = env_settings(environ)
    if not require_target:
        for name in TARGET_KEYWORDS:
            merged.pop(name, None)
    for name, value in explicit.items():
        if value is not None:
            merged[name] = convert_value(name, value)
    settings = Settings(**merged)
    _check_combination(settings)
    if require_target:
        _default_and_check_target(settings)
    _check_values(settings)
    return settings


def _check_combination(s: Settings) -> None:
    """Keywords that exclude each other, and the endpoint's form."""
    if s.cluster_identifier and s.workgroup_name:
        raise ConfigurationError(
            "cluster_identifier and workgroup_name are exclusive: give the provisioned "
            "cluster or the Serverless workgroup, not both",
            keywords=("cluster_identifier", "workgroup_name"),
        )
    if s.db_user and s.workgroup_name:
        raise ConfigurationError(
            "db_user works with cluster_identifier only (temporary credentials are for "
            "provisioned clusters); for workgroup_name use secret_arn or the IAM identity",
            keywords=("db_user", "cluster_identifier", "workgroup_name", "secret_arn"),
        )
    if s.db_user and s.secret_arn:
        raise ConfigurationError(
            "db_user and secret_arn are two ways to log in: give one of them "
            "(or neither, to use the IAM identity)",
            keywords=("db_user", "secret_arn"),
        )
    url = s.endpoint_url
    if url and not url.startswith(LOCAL_SCHEME):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigurationError(
                f"endpoint_url {url!r} is not a URL: give http(s)://host[:port] or "
                f"'{LOCAL_SCHEME}' (the in-process local endpoint)",
                keywords=("endpoint_url",),
            )


def _default_and_check_target(s: Settings) -> None:
    """The local endpoint's defaults, then a target and a database are required."""
    if s.local_endpoint and not (s.cluster_identifier or s.workgroup_name):
        s.cluster_identifier = LOCAL_CLUSTER
    if s.local_endpoint and not s.database:
        s.database = LOCAL_DATABASE
    if not (s.cluster_identifier or s.workgroup_name):
        raise ConfigurationError(
            "missing target: give cluster_identifier (provisioned) or workgroup_name "
            f"(Serverless), or set {env_name('cluster_identifier')} or "
            f"{env_name('workgroup_name')}",
            keywords=("cluster_identifier", "workgroup_name"),
        )
    if not s.database and not s.secret_arn:
        raise ConfigurationError(
            f"missing database: give database or set {env_name('database')} "
            "(only a secret_arn whose secret holds dbname can do without)",
            keywords=("database", "secret_arn"),
        )


def _check_values(s: Settings) -> None:
    """Each value within its range (the service's, where it has one)."""
    fmt = (s.result_format or "").lower()
    if fmt not in ("json", "csv"):
        raise ConfigurationError(
            f"result_format must be 'json' or 'csv', not {s.result_format!r}",
            keywords=("result_format",),
        )
    s.result_format = fmt
    if s.timeout is not None and not s.timeout > 0:
        raise ConfigurationError(
            f"timeout must be a positive number of seconds or None, not {s.timeout!r}",
            keywords=("timeout",),
        )
    if not 0 <= s.session_keep_alive_seconds <= MAX_SESSION_KEEP_ALIVE_SECONDS:
        raise ConfigurationError(
            f"session_keep_alive_seconds must be between 0 and {MAX_SESSION_KEEP_ALIVE_SECONDS}, "
            f"not {s.session_keep_alive_seconds!r}",
            keywords=("session_keep_alive_seconds",),
        )
    if not s.autocommit and s.session_keep_alive_seconds == 0:
        raise ConfigurationError(
            "session_keep_alive_seconds=0 keeps no session, so transactions "
            "(autocommit=False) cannot work: use autocommit=True or a positive value",
            keywords=("session_keep_alive_seconds", "autocommit"),
        )
    if s.max_retries < 0:
        raise ConfigurationError(
            f"max_retries must be >= 0, not {s.max_retries!r}", keywords=("max_retries",)
        )
    if not MIN_WAIT_TIME_SECONDS <= s.wait_time_seconds <= MAX_WAIT_TIME_SECONDS:
        raise ConfigurationError(
            f"wait_time_seconds must be between {MIN_WAIT_TIME_SECONDS} and "
            f"{MAX_WAIT_TIME_SECONDS}, not {s.wait_time_seconds!r}",
            keywords=("wait_time_seconds",),
        )
    if s.statement_name is not None and len(s.statement_name) > MAX_STATEMENT_NAME_LENGTH:
        raise ConfigurationError(
            f"statement_name is longer than {MAX_STATEMENT_NAME_LENGTH} characters",
            keywords=("statement_name",),
        )
