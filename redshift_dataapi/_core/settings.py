"""connect() keywords: their types, environment defaults and validation.

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
                                          ``local:`` endpoint ("dev")
cluster_identifier             None       provisioned cluster (or workgroup_name)
workgroup_name                 None       Serverless workgroup
secret_arn                     None       credentials from Secrets Manager
db_user                        None       temporary credentials (clusters only)
region_name                    None       boto3's own resolution
endpoint_url                   None       another endpoint; ``local:[engine]``
                                          = the in-process local endpoint
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
=============================  =========  ====================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigurationError

__all__ = [
    "CONNECT_PARAMS",
    "DEFAULT_SESSION_KEEP_ALIVE_SECONDS",
    "ENV_PREFIX",
    "LOCAL_SCHEME",
    "Settings",
    "convert_value",
    "parse_settings",
    "resolve_settings",
]

ENV_PREFIX = "REDSHIFT_DATAAPI_"
DEFAULT_SESSION_KEEP_ALIVE_SECONDS = 600
LOCAL_SCHEME = "local:"

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
}

_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "off"})
_NONE = frozenset({"", "none", "null"})


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
    max_retries: int = 5
    wait_time_seconds: int = 20

    @property
    def is_local(self) -> bool:
        """True when endpoint_url names the in-process local endpoint."""
        return bool(self.endpoint_url) and str(self.endpoint_url).startswith(LOCAL_SCHEME)

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
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _TRUE:
            return True
        if isinstance(value, str) and value.strip().lower() in _FALSE:
            return False
        raise ConfigurationError(f"{name}: expected true or false, got {value!r}")
    if kind is int:
        if isinstance(value, bool):
            raise ConfigurationError(f"{name}: expected an integer, got {value!r}")
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            if value.strip().lower() in _NONE:
                return None
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise ConfigurationError(f"{name}: expected an integer, got {value!r}")
    if kind is float:
        if isinstance(value, bool):
            raise ConfigurationError(f"{name}: expected a number, got {value!r}")
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str):
            if value.strip().lower() in _NONE:
                return None
            try:
                return float(value.strip())
            except ValueError:
                pass
        raise ConfigurationError(f"{name}: expected a number, got {value!r}")
    if not isinstance(value, str):
        raise ConfigurationError(f"{name}: expected a string, got {type(value).__name__}")
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
        key = ENV_PREFIX + name.upper()
        if key in env:
            try:
                found[name] = convert_value(name, env[key])
            except ConfigurationError as exc:
                raise ConfigurationError(f"environment variable {key}: {exc}") from None
    return found


def resolve_settings(
    explicit: Mapping[str, Any], environ: Mapping[str, str] | None = None
) -> Settings:
    """Merge explicit keywords over environment defaults, then validate.

    ``explicit`` values of None mean "not given" (the environment may supply them).
    Raises ConfigurationError naming the keywords of a wrong combination.
    """
    merged = env_settings(environ)
    for name, value in explicit.items():
        if value is not None:
            merged[name] = convert_value(name, value)
    settings = Settings(**merged)
    _validate(settings)
    return settings


def _validate(s: Settings) -> None:
    if s.cluster_identifier and s.workgroup_name:
        raise ConfigurationError(
            "give cluster_identifier (provisioned) or workgroup_name (Serverless), not both"
        )
    if s.is_local and not (s.cluster_identifier or s.workgroup_name):
        s.cluster_identifier = "local"
    if s.is_local and not s.database:
        s.database = "dev"
    if not (s.cluster_identifier or s.workgroup_name):
        raise ConfigurationError(
            "one of cluster_identifier or workgroup_name is required "
            f"(or the environment variable {ENV_PREFIX}CLUSTER_IDENTIFIER / "
            f"{ENV_PREFIX}WORKGROUP_NAME)"
        )
    if s.secret_arn and s.db_user:
        raise ConfigurationError(
            "give secret_arn or db_user, not both (or neither, to use the IAM identity)"
        )
    if s.db_user and s.workgroup_name:
        raise ConfigurationError(
            "db_user (temporary credentials) works with cluster_identifier only; "
            "for workgroup_name use secret_arn or the IAM identity"
        )
    if not s.database and not s.secret_arn:
        raise ConfigurationError(
            "database is required (unless secret_arn names a secret that holds dbname)"
        )
    fmt = (s.result_format or "").lower()
    if fmt not in ("json", "csv"):
        raise ConfigurationError(f"result_format must be 'json' or 'csv', not {s.result_format!r}")
    s.result_format = fmt
    if s.timeout is not None and not s.timeout > 0:
        raise ConfigurationError(
            f"timeout must be a positive number of seconds or None, not {s.timeout!r}"
        )
    if not 0 <= s.session_keep_alive_seconds <= 86400:
        raise ConfigurationError(
            "session_keep_alive_seconds must be between 0 and 86400, "
            f"not {s.session_keep_alive_seconds!r}"
        )
    if not s.autocommit and s.session_keep_alive_seconds == 0:
        raise ConfigurationError(
            "session_keep_alive_seconds=0 keeps no session, so transactions "
            "(autocommit=False) cannot work: use autocommit=True or a positive value"
        )
    if s.max_retries < 0:
        raise ConfigurationError(f"max_retries must be >= 0, not {s.max_retries!r}")
    if not 1 <= s.wait_time_seconds <= 30:
        raise ConfigurationError(
            f"wait_time_seconds must be between 1 and 30, not {s.wait_time_seconds!r}"
        )
    if s.statement_name is not None and len(s.statement_name) > 2048:
        raise ConfigurationError("statement_name is longer than 2048 characters")
