"""The command line's flags for the driver's connect() keywords.

The command has no settings of its own: every command resolves the driver's
:class:`~redshift_dataapi._core.settings.Settings` with the driver's
:func:`~redshift_dataapi._core.settings.resolve_settings` (a flag wins, then
the environment variable ``REDSHIFT_DATAAPI_<KEYWORD>``, then boto3's sources
for the region and credentials) and builds its client with the driver's one
client factory (:mod:`redshift_dataapi._core.client`), botocore's retries off.
So ``--endpoint-url local:`` is the in-process local endpoint, a loopback URL
(what ``redshift-dataapi local serve`` prints) gets the local endpoint's
defaults, and every rule about which keywords go together is the driver's.

This module maps the flags onto those keywords and says the driver's
configuration errors in the flags' words (a :class:`UsageError`, exit 2).
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from redshift_dataapi._core.client import build_client
from redshift_dataapi._core.settings import (
    Settings,
    env_name,
    env_settings,
    resolve_settings,
)
from redshift_dataapi.cli.errors import UsageError
from redshift_dataapi.errors import ConfigurationError

if TYPE_CHECKING:
    from mypy_boto3_redshift_data import RedshiftDataAPIServiceClient

__all__ = [
    "FLAGS",
    "add_endpoint_arguments",
    "add_target_arguments",
    "client_for",
    "from_environment",
    "given",
    "resolve",
    "spell",
    "usage_errors",
]

#: connect() keyword -> its command-line flag (each flag's ``dest`` is the keyword).
FLAGS: dict[str, str] = {
    "cluster_identifier": "--cluster-identifier",
    "workgroup_name": "--workgroup-name",
    "secret_arn": "--secret-arn",
    "db_user": "--db-user",
    "database": "--database",
    "region_name": "--region",
    "endpoint_url": "--endpoint-url",
    "profile_name": "--profile",
    "timeout": "--timeout",
    "result_format": "--result-format",
}


def spell(keyword: str) -> str:
    """How a command-line user sets ``keyword``: its flag, else its environment variable."""
    return FLAGS.get(keyword) or env_name(keyword)


def add_endpoint_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--region``, ``--endpoint-url`` and ``--profile`` (every command has an endpoint)."""
    parser.add_argument(
        FLAGS["region_name"],
        dest="region_name",
        metavar="REGION",
        help=f"AWS region (default: {env_name('region_name')}, then boto3's sources)",
    )
    parser.add_argument(
        FLAGS["endpoint_url"],
        dest="endpoint_url",
        metavar="URL",
        help="Data API endpoint URL; 'local:' for the in-process local endpoint, "
        "or the URL 'redshift-dataapi local serve' prints",
    )
    parser.add_argument(
        FLAGS["profile_name"],
        dest="profile_name",
        metavar="NAME",
        help="AWS profile for credentials and region (default: boto3's usual sources)",
    )


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the target and authentication flags shared by ``query`` and ``demo``."""
    helps = {
        "cluster_identifier": ("ID", "provisioned cluster"),
        "workgroup_name": ("NAME", "Serverless workgroup"),
        "secret_arn": ("ARN", "Secrets Manager secret to log in"),
        "db_user": ("USER", "database user (temporary credentials; clusters only)"),
        "database": ("NAME", "database name"),
    }
    for keyword, (metavar, text) in helps.items():
        parser.add_argument(FLAGS[keyword], dest=keyword, metavar=metavar, help=text)


def given(args: argparse.Namespace) -> dict[str, Any]:
    """The connect() keywords set by flags (an empty flag counts as not given)."""
    found: dict[str, Any] = {}
    for keyword in FLAGS:
        value = getattr(args, keyword, None)
        if value is not None and value != "":
            found[keyword] = value
    return found


@contextlib.contextmanager
def usage_errors() -> Iterator[None]:
    """Turn the driver's ConfigurationError into a UsageError that names the flags."""
    try:
        yield
    except ConfigurationError as exc:
        raise UsageError(exc.spelled(spell)) from None


def from_environment() -> dict[str, Any]:
    """The keywords the driver's environment variables set."""
    with usage_errors():
        return env_settings()


def resolve(explicit: Mapping[str, Any], *, require_target: bool = True) -> Settings:
    """The driver's settings: ``explicit`` keywords over the environment, validated."""
    with usage_errors():
        return resolve_settings(explicit, require_target=require_target)


def client_for(settings: Settings) -> RedshiftDataAPIServiceClient:
    """The driver's client for ``settings`` (the one client factory)."""
    with usage_errors():
        return build_client(settings)
