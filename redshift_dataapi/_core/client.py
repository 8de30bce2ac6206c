"""The one factory of boto3 ``redshift-data`` clients, for connect(), the CLI and the dialect.

One retry layer: every client built here has botocore's own retries off
(``total_max_attempts=1``), because the statement runner retries with
jittered backoff and one ClientToken per submission; with both layers on, one
failure would be retried (botocore's attempts) x (the runner's) times.  A
client the user passes to connect() is never rebuilt: it keeps its own
configuration.

The read timeout is longer than the longest long poll (WaitTimeSeconds up
to 30 s), so a held DescribeStatement is never cut off by the socket.

``endpoint_url="local:[engine spec]"`` gives a client of the in-process local
endpoint (one shared service per spec and process: ``local:`` is DuckDB in
memory, ``local:duckdb:PATH`` a DuckDB file, ``local:postgresql://...`` a
PostgreSQL server).  Its package (the ``local`` extra) is imported only then.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ..errors import ConfigurationError
from .limits import MAX_WAIT_TIME_SECONDS
from .settings import LOCAL_REGION, LOCAL_SCHEME, Settings, env_name

if TYPE_CHECKING:
    import boto3
    from botocore.config import Config
    from mypy_boto3_redshift_data import RedshiftDataAPIServiceClient

__all__ = ["DEFAULT_LOCAL_ENGINE", "build_client", "client_config", "local_engine_spec"]

#: The engine of ``endpoint_url="local:"``.
DEFAULT_LOCAL_ENGINE = "duckdb"
#: Socket read timeout: at least this, and always this much past the long-poll wait.
MIN_READ_TIMEOUT_SECONDS = 60
READ_TIMEOUT_MARGIN_SECONDS = 30
#: Added to botocore's User-Agent, so that the service's logs can tell the driver's calls.
USER_AGENT_EXTRA = "redshift-dataapi"


def local_engine_spec(endpoint_url: str) -> str:
    """The engine spec of a ``local:[spec]`` endpoint URL (``local:`` alone is DuckDB)."""
    if not endpoint_url.startswith(LOCAL_SCHEME):
        raise ConfigurationError(
            f"endpoint_url {endpoint_url!r} does not start with {LOCAL_SCHEME!r}",
            keywords=("endpoint_url",),
        )
    return endpoint_url[len(LOCAL_SCHEME) :] or DEFAULT_LOCAL_ENGINE


def client_config(wait_time_seconds: int = MAX_WAIT_TIME_SECONDS) -> Config:
    """botocore's Config for every client the project builds (retries off, see above)."""
    from botocore.config import Config

    return Config(
        retries={"total_max_attempts": 1, "mode": "standard"},
        read_timeout=max(MIN_READ_TIMEOUT_SECONDS, wait_time_seconds + READ_TIMEOUT_MARGIN_SECONDS),
        user_agent_extra=USER_AGENT_EXTRA,
    )


def build_client(
    settings: Settings, *, boto3_session: boto3.Session | None = None
) -> RedshiftDataAPIServiceClient:
    """The ``redshift-data`` client for ``settings`` (see the module docstring).

    Raises ConfigurationError naming the keyword when no region can be found,
    the profile does not exist, or ``boto3_session`` clashes with
    ``profile_name`` or ``local:``.
    """
    if settings.in_process:
        if boto3_session is not None:
            raise ConfigurationError(
                f"boto3_session cannot be combined with endpoint_url={LOCAL_SCHEME!r}",
                keywords=("endpoint_url",),
            )
        from ..local import inprocess_client, shared_service

        client: RedshiftDataAPIServiceClient = inprocess_client(
            shared_service(local_engine_spec(str(settings.endpoint_url)))
        )
        return client
    session = _session(settings, boto3_session)
    extra: dict[str, Any] = {}
    if settings.local_endpoint and session.get_credentials() is None:
        # The local endpoint checks no signature, and a newcomer has no AWS
        # credentials: sign with dummy ones rather than fail.
        extra = {"aws_access_key_id": "local", "aws_secret_access_key": "local"}
    return session.client(
        "redshift-data",
        region_name=_region(settings, session),
        endpoint_url=settings.endpoint_url,
        config=client_config(settings.wait_time_seconds),
        **extra,
    )


def _session(settings: Settings, boto3_session: boto3.Session | None) -> boto3.Session:
    import boto3
    from botocore.exceptions import ProfileNotFound

    if boto3_session is not None:
        if settings.profile_name is not None:
            raise ConfigurationError(
                "give boto3_session or profile_name, not both", keywords=("profile_name",)
            )
        return boto3_session
    try:
        return boto3.Session(profile_name=settings.profile_name)
    except ProfileNotFound as exc:
        raise ConfigurationError(
            f"profile_name {settings.profile_name!r}: {exc}", keywords=("profile_name",)
        ) from None


def _region(settings: Settings, session: boto3.Session) -> str:
    region = (
        settings.region_name
        or os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or session.region_name
        or (LOCAL_REGION if settings.local_endpoint else None)
    )
    if not region:
        raise ConfigurationError(
            f"no AWS region: give region_name (or set {env_name('region_name')}, "
            "AWS_REGION or AWS_DEFAULT_REGION)",
            keywords=("region_name",),
        )
    return region
