"""Connection settings of the command: flags, the driver's environment variables, the client.

Every command resolves the same settings the same way: a flag wins, then the
driver's environment variable ``REDSHIFT_DATAAPI_<KEYWORD>`` (``..._DATABASE``,
``..._CLUSTER_IDENTIFIER``, ``..._WORKGROUP_NAME``, ``..._SECRET_ARN``,
``..._DB_USER``, ``..._REGION_NAME``, ``..._ENDPOINT_URL``), then, for the
region and credentials, boto3's usual sources.

Decisions worth knowing:

* ``--endpoint-url local:`` answers requests in-process from the shared local
  endpoint (DuckDB in memory), with no socket and no AWS account;
  ``local:ENGINE`` picks its engine (``local:duckdb:PATH``,
  ``local:postgresql://...``), as the driver's ``endpoint_url`` does.
* On a local endpoint (``local:`` or a loopback URL such as the one
  ``redshift-dataapi local serve`` prints) the target defaults to cluster
  ``local`` and database ``dev``, the region to us-east-1, and dummy
  credentials are used when none are configured: the local endpoint does not
  check signatures, and a newcomer has no AWS credentials.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlsplit

from redshift_dataapi._core.settings import ENV_PREFIX
from redshift_dataapi._core.settings import LOCAL_SCHEME as LOCAL_ENDPOINT
from redshift_dataapi.cli.errors import UsageError

LOCAL_CLUSTER = "local"
LOCAL_DATABASE = "dev"
LOCAL_REGION = "us-east-1"
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


@dataclass
class Settings:
    """Where and as whom to run: the driver's connect() keywords the command knows."""

    cluster_identifier: str | None = None
    workgroup_name: str | None = None
    secret_arn: str | None = None
    db_user: str | None = None
    database: str | None = None
    region_name: str | None = None
    endpoint_url: str | None = None
    profile_name: str | None = None

    def connect_kwargs(self) -> dict[str, Any]:
        """The settings that are set, as ``redshift_dataapi.connect()`` keywords."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


#: Settings field -> command-line flag.
FLAGS: dict[str, str] = {
    "cluster_identifier": "--cluster-identifier",
    "workgroup_name": "--workgroup-name",
    "secret_arn": "--secret-arn",
    "db_user": "--db-user",
    "database": "--database",
    "region_name": "--region",
    "endpoint_url": "--endpoint-url",
    "profile_name": "--profile",
}


def env_name(field_name: str) -> str:
    """The environment variable the driver reads for a connect() keyword."""
    return ENV_PREFIX + field_name.upper()


def add_endpoint_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--region`` and ``--endpoint-url`` (every command talks to an endpoint)."""
    parser.add_argument(
        "--region",
        dest="region_name",
        metavar="REGION",
        help="AWS region (default: REDSHIFT_DATAAPI_REGION_NAME, then boto3's sources)",
    )
    parser.add_argument(
        "--endpoint-url",
        dest="endpoint_url",
        metavar="URL",
        help="Data API endpoint URL; 'local:' for the in-process local endpoint, "
        "or the URL 'redshift-dataapi local serve' prints",
    )
    parser.add_argument(
        "--profile",
        dest="profile_name",
        metavar="NAME",
        help="AWS profile for credentials and region (default: boto3's usual sources)",
    )


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the target and authentication flags shared by ``query`` and ``demo``."""
    parser.add_argument("--cluster-identifier", metavar="ID", help="provisioned cluster")
    parser.add_argument("--workgroup-name", metavar="NAME", help="Serverless workgroup")
    parser.add_argument("--secret-arn", metavar="ARN", help="Secrets Manager secret to log in")
    parser.add_argument(
        "--db-user", metavar="USER", help="database user (temporary credentials; clusters only)"
    )
    parser.add_argument("--database", metavar="NAME", help="database name")


def resolve(args: argparse.Namespace, *, use_env: bool = True) -> Settings:
    """Settings from the parsed flags, then (``use_env``) the driver's environment variables."""
    settings = Settings()
    for name in FLAGS:
        value = getattr(args, name, None)
        if value in (None, "") and use_env:
            value = os.environ.get(env_name(name)) or None
        setattr(settings, name, value)
    return settings


def is_local_endpoint(endpoint_url: str | None) -> bool:
    """True for ``local:`` and for URLs on a loopback host (a local endpoint)."""
    if not endpoint_url:
        return False
    if endpoint_url.startswith(LOCAL_ENDPOINT):
        return True
    host = urlsplit(endpoint_url).hostname or ""
    return host in _LOOPBACK_HOSTS


def apply_local_defaults(settings: Settings) -> Settings:
    """Default the target and database on a local endpoint (see the module docstring)."""
    if is_local_endpoint(settings.endpoint_url):
        if not settings.cluster_identifier and not settings.workgroup_name:
            settings.cluster_identifier = LOCAL_CLUSTER
        if not settings.database:
            settings.database = LOCAL_DATABASE
    return settings


def check_combination(settings: Settings) -> None:
    """Reject flag combinations the Data API refuses, naming the flags involved."""
    if settings.cluster_identifier and settings.workgroup_name:
        raise UsageError(
            "--cluster-identifier and --workgroup-name are exclusive: give the provisioned "
            "cluster or the Serverless workgroup, not both"
        )
    if settings.db_user and settings.workgroup_name:
        raise UsageError(
            "--db-user works with --cluster-identifier only: a Serverless workgroup takes "
            "--secret-arn or your IAM identity"
        )
    if settings.db_user and settings.secret_arn:
        raise UsageError("--db-user and --secret-arn are two ways to log in: give one of them")
    if settings.endpoint_url and not settings.endpoint_url.startswith(LOCAL_ENDPOINT):
        parts = urlsplit(settings.endpoint_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(
                f"--endpoint-url {settings.endpoint_url!r} is not a URL: give "
                "http(s)://host:port or 'local:'"
            )


def check_target(settings: Settings) -> None:
    """Require a target and a database (after env and local defaults were applied)."""
    if not settings.cluster_identifier and not settings.workgroup_name:
        raise UsageError(
            "missing target: give --cluster-identifier (provisioned) or --workgroup-name "
            f"(Serverless), or set {env_name('cluster_identifier')} / "
            f"{env_name('workgroup_name')}"
        )
    if not settings.database:
        raise UsageError(f"missing database: give --database NAME or set {env_name('database')}")


#: Settings a boto3 client carries: the driver gets the client instead of them.
CLIENT_SETTINGS = ("endpoint_url", "region_name", "profile_name")


@contextlib.contextmanager
def client_env_hidden() -> Iterator[None]:
    """Hide the driver's endpoint/region/profile variables while the driver connects.

    The command resolves them itself (flags first) into the boto3 client it
    hands the driver and the dialect; the driver refuses a client together
    with an endpoint_url, even one from the environment.
    """
    hidden = {}
    for name in CLIENT_SETTINGS:
        value = os.environ.pop(env_name(name), None)
        if value is not None:
            hidden[env_name(name)] = value
    try:
        yield
    finally:
        os.environ.update(hidden)


def make_client(settings: Settings) -> Any:
    """A boto3 ``redshift-data`` client for ``settings`` (in-process for ``local:``)."""
    if settings.endpoint_url and settings.endpoint_url.startswith(LOCAL_ENDPOINT):
        from redshift_dataapi.local import inprocess_client, shared_service

        spec = settings.endpoint_url[len(LOCAL_ENDPOINT) :] or "duckdb"
        return inprocess_client(shared_service(spec))

    import boto3
    from botocore.config import Config

    try:
        session = boto3.session.Session(profile_name=settings.profile_name)
    except Exception as exc:  # botocore's ProfileNotFound, named by the user
        raise UsageError(f"--profile {settings.profile_name}: {exc}") from None
    kwargs: dict[str, Any] = {}
    region = settings.region_name or session.region_name
    local = is_local_endpoint(settings.endpoint_url)
    if local:
        region = region or LOCAL_REGION
        # A connection refused on the local machine will not heal in a retry.
        kwargs["config"] = Config(retries={"max_attempts": 1, "mode": "standard"})
        if session.get_credentials() is None:
            kwargs["aws_access_key_id"] = "local"
            kwargs["aws_secret_access_key"] = "local"
    if settings.endpoint_url:
        kwargs["endpoint_url"] = settings.endpoint_url
    if not region:
        raise UsageError(
            "no AWS region: give --region or set AWS_REGION / AWS_DEFAULT_REGION "
            f"(or {env_name('region_name')})"
        )
    return session.client("redshift-data", region_name=region, **kwargs)
