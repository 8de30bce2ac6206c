"""Who a local request runs as: DbUser, or the user named by a SecretArn's secret.

The real service reads the secret from AWS Secrets Manager; the local endpoint
has no Secrets Manager, so a secret ARN maps to credentials through a small JSON
file named by ``REDSHIFT_DATAAPI_LOCAL_SECRETS`` (or passed to the service)::

    {
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:analyst-AbCdEf":
          {"username": "analyst", "password": "not-checked-locally"}
    }

An ARN that is not in the file runs as the user named by the secret's name
(the part after ``secret:`` up to the random six-character suffix), so the
endpoint works with no file at all.  Passwords are never logged.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["ENV_VAR", "SecretResolver"]

logger = logging.getLogger(__name__)

ENV_VAR = "REDSHIFT_DATAAPI_LOCAL_SECRETS"

_ARN_NAME = re.compile(
    r"^arn:[\w-]+:secretsmanager:[\w-]*:\d*:secret:(?P<name>.+?)(?:-[A-Za-z0-9]{6})?$"
)


class SecretResolver:
    """Maps SecretArn values to user names for the local endpoint."""

    def __init__(self, secrets: Mapping[str, Mapping[str, Any]] | str | Path | None = None) -> None:
        if secrets is None:
            path = os.environ.get(ENV_VAR)
            secrets = Path(path) if path else {}
        if isinstance(secrets, (str, Path)):
            with open(secrets, encoding="utf-8") as handle:
                loaded = json.load(handle)
            if not isinstance(loaded, dict):
                raise ValueError(
                    f"{secrets}: expected a JSON object of ARN -> {{username, password}}"
                )
            secrets = loaded
        self._secrets = {str(arn): dict(value) for arn, value in secrets.items()}

    def user_for(self, db_user: str | None, secret_arn: str | None) -> str | None:
        """The engine user a request runs as; None means the engine's default user."""
        if db_user:
            return db_user
        if not secret_arn:
            return None
        entry = self._secrets.get(secret_arn)
        if entry and entry.get("username"):
            return str(entry["username"])
        match = _ARN_NAME.match(secret_arn)
        if match:
            return match.group("name").rsplit("/", 1)[-1]
        logger.debug("secret ARN without a mapping and no usable name; running as default user")
        return None
