"""Where the local endpoint finds S3, EventBridge and Secrets Manager.

Each service is one of:

* ``None`` (the default): the embedded moto server of this process
  (:mod:`.embedded`), started when first needed;
* a URL (``http://127.0.0.1:5000`` for ``moto_server``, MinIO's URL for S3,
  ``https://s3.us-east-1.amazonaws.com`` for real AWS): requests go there,
  signed with the credentials of the usual AWS sources;
* ``"none"`` (:data:`DISABLED`): no such service.  COPY and UNLOAD then fail
  with a message that says so, WithEvent statements log that no event was
  published, and SecretArn falls back to the offline JSON file.

The settings come from :class:`AwsSettings` arguments, or from the
environment: ``REDSHIFT_DATAAPI_LOCAL_S3_ENDPOINT_URL``,
``REDSHIFT_DATAAPI_LOCAL_EVENTS_ENDPOINT_URL``,
``REDSHIFT_DATAAPI_LOCAL_SECRETSMANAGER_ENDPOINT_URL`` and
``REDSHIFT_DATAAPI_LOCAL_REGION`` (the local cluster's region: the
region COPY and UNLOAD assume for a bucket without a REGION option, and the
region of the published events; default ``us-east-1``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .embedded import EMBEDDED_CREDENTIALS, embedded_endpoint_url

__all__ = ["DEFAULT_REGION", "DISABLED", "ENV_VARS", "SERVICES", "AwsSettings"]

#: The value that turns a service off.
DISABLED = "none"
#: Region of the local cluster unless configured.
DEFAULT_REGION = "us-east-1"
#: The services the local endpoint talks to, by their boto3 names.
SERVICES = ("s3", "events", "secretsmanager")
#: Environment variable per setting.
ENV_VARS = {
    "s3": "REDSHIFT_DATAAPI_LOCAL_S3_ENDPOINT_URL",
    "events": "REDSHIFT_DATAAPI_LOCAL_EVENTS_ENDPOINT_URL",
    "secretsmanager": "REDSHIFT_DATAAPI_LOCAL_SECRETSMANAGER_ENDPOINT_URL",
    "region": "REDSHIFT_DATAAPI_LOCAL_REGION",
}


def _check_url(service: str, value: str | None) -> str | None:
    if value is None or value == DISABLED:
        return value
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise ValueError(
            f"{service} endpoint {value!r} is not a URL: give http(s)://host:port, "
            f"'{DISABLED}' to turn it off, or nothing for the embedded moto server"
        )
    return value.rstrip("/")


@dataclass(frozen=True)
class AwsSettings:
    """The endpoints of S3, EventBridge and Secrets Manager (see the module docstring)."""

    s3: str | None = None
    events: str | None = None
    secretsmanager: str | None = None
    region: str = DEFAULT_REGION

    def __post_init__(self) -> None:
        for service in SERVICES:
            _check_url(service, getattr(self, service))
        if not self.region:
            raise ValueError("region must not be empty")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **given: Any) -> AwsSettings:
        """Settings from ``given`` (None values skipped), else the environment."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, variable in ENV_VARS.items():
            value = given.get(name)
            if value is None:
                value = env.get(variable) or None
            if value is not None:
                values[name] = value.strip() if isinstance(value, str) else value
        return cls(**values)

    def enabled(self, service: str) -> bool:
        """False when ``service`` was turned off."""
        return bool(getattr(self, service) != DISABLED)

    def is_embedded(self, service: str) -> bool:
        """True when ``service`` is served by the embedded moto server."""
        return getattr(self, service) is None

    def endpoint_url(self, service: str) -> str:
        """The URL requests to ``service`` go to (the embedded server starts if needed)."""
        value = getattr(self, service)
        if value == DISABLED:
            raise LookupError(f"{service} is turned off for the local endpoint")
        return value if value is not None else embedded_endpoint_url()

    def client(self, service: str, region: str | None = None) -> Any:
        """A boto3 client of ``service`` at its endpoint, in ``region`` (default: ours)."""
        import boto3
        from botocore.config import Config

        options: dict[str, Any] = {
            "endpoint_url": self.endpoint_url(service),
            "region_name": region or self.region,
            "config": Config(retries={"max_attempts": 2}, s3={"addressing_style": "path"}),
        }
        if self.is_embedded(service):
            options.update(EMBEDDED_CREDENTIALS)
        # boto3's stubs type client() per literal service name; ours is a variable.
        return boto3.client(service, **options)  # type: ignore[call-overload]
