"""Who a local request runs as: DbUser, or the user named by a SecretArn's secret.

A SecretArn is resolved as the Data API does it: the secret is read from
AWS Secrets Manager (by default the embedded moto server of this process,
see :mod:`..aws`; any endpoint by setting) and must hold a JSON object with
``username`` and ``password``.  When it also holds ``dbClusterIdentifier``,
that must name the request's ClusterIdentifier.  A secret that does not
exist, or lacks those keys, fails the request with ValidationException and
the reason.

Offline option: a JSON file named by ``REDSHIFT_DATAAPI_LOCAL_SECRETS`` (or
passed to the service) maps ARNs to the same objects, and is consulted
first::

    {
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:analyst-AbCdEf":
          {"username": "analyst", "password": "not-checked-locally"}
    }

With Secrets Manager turned off (endpoint setting ``none``), an ARN that is
not in the file runs as the user named by the secret's name (the part after
``secret:`` up to the random six-character suffix).  Passwords are never
logged nor checked: the engine trusts the local endpoint.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..aws.settings import AwsSettings
from ..errors import validation_error

__all__ = ["ENV_VAR", "SecretResolver"]

logger = logging.getLogger(__name__)

ENV_VAR = "REDSHIFT_DATAAPI_LOCAL_SECRETS"

_ARN_NAME = re.compile(
    r"^arn:[\w-]+:secretsmanager:[\w-]*:\d*:secret:(?P<name>.+?)(?:-[A-Za-z0-9]{6})?$"
)


def _load_file(secrets: str | Path) -> dict[str, Any]:
    with open(secrets, encoding="utf-8") as handle:
        loaded = json.load(handle)
    if not isinstance(loaded, dict):
        raise ValueError(f"{secrets}: expected a JSON object of ARN -> {{username, password}}")
    return loaded


class SecretResolver:
    """Maps SecretArn values to user names for the local endpoint (see the module docstring).

    ``secrets``: the offline mapping or JSON file (None: the file named by
    ``REDSHIFT_DATAAPI_LOCAL_SECRETS``, if any).  ``aws``: where Secrets
    Manager is (None: the embedded moto server).
    """

    def __init__(
        self,
        secrets: Mapping[str, Mapping[str, Any]] | str | Path | None = None,
        aws: AwsSettings | None = None,
    ) -> None:
        if secrets is None:
            path = os.environ.get(ENV_VAR)
            secrets = Path(path) if path else {}
        if isinstance(secrets, (str, Path)):
            secrets = _load_file(secrets)
        self._secrets = {str(arn): dict(value) for arn, value in secrets.items()}
        self._aws = aws or AwsSettings()
        self._client: Any = None

    def user_for(
        self,
        db_user: str | None,
        secret_arn: str | None,
        cluster_identifier: str | None = None,
    ) -> str | None:
        """The engine user a request runs as; None means the engine's default user.

        Raises ValidationException when the secret cannot be used.
        """
        if db_user:
            return db_user
        if not secret_arn:
            return None
        entry = self._secrets.get(secret_arn)
        if entry is not None:
            # The offline file predates the password check: a username is enough.
            if not entry.get("username"):
                raise validation_error(f"{ENV_VAR}: the entry of {secret_arn} has no username")
            return self._check({"password": "-", **entry}, cluster_identifier)
        if not self._aws.enabled("secretsmanager"):
            return self._name_of(secret_arn)
        return self._check(self._fetch(secret_arn), cluster_identifier)

    def _fetch(self, secret_arn: str) -> dict[str, Any]:
        from botocore.exceptions import BotoCoreError, ClientError

        if self._client is None:
            self._client = self._aws.client("secretsmanager", self._region_of(secret_arn))
        try:
            value = self._client.get_secret_value(SecretId=secret_arn)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            raise validation_error(
                f"{error.get('Message') or error.get('Code')} ({error.get('Code')}: {secret_arn})"
            ) from None
        except BotoCoreError as exc:
            raise validation_error(f"Secrets Manager could not be reached: {exc}") from None
        try:
            entry = json.loads(value.get("SecretString") or "")
        except ValueError:
            entry = None
        if not isinstance(entry, dict):
            raise validation_error(
                "The secret value is not a JSON object with username and password."
            )
        return entry

    def _region_of(self, secret_arn: str) -> str | None:
        parts = secret_arn.split(":")
        return parts[3] if len(parts) > 3 and parts[3] else None

    @staticmethod
    def _check(entry: Mapping[str, Any], cluster_identifier: str | None) -> str:
        if not entry.get("username") or not entry.get("password"):
            raise validation_error("username and password in secret cannot be empty")
        expected = entry.get("dbClusterIdentifier")
        if expected and cluster_identifier and expected != cluster_identifier:
            raise validation_error(
                f"The secret's dbClusterIdentifier {expected!r} does not match the "
                f"ClusterIdentifier {cluster_identifier!r} of the request."
            )
        return str(entry["username"])

    @staticmethod
    def _name_of(secret_arn: str) -> str | None:
        match = _ARN_NAME.match(secret_arn)
        if match:
            return match.group("name").rsplit("/", 1)[-1]
        logger.debug("secret ARN without a mapping and no usable name; running as default user")
        return None
