"""Optional SigV4 checking for the local HTTP endpoint, with botocore's own signer.

Off by default: the endpoint accepts any credentials.  With access keys
configured (:func:`load_access_keys`, ``LocalDataAPI(access_keys=...)``,
``local serve --access-key-id/--secret-access-key/--access-keys-file``), every
HTTP request must carry an ``Authorization: AWS4-HMAC-SHA256 ...`` header signed
with one of them.  The signature is recomputed with ``botocore.auth.SigV4Auth``
(canonical request, string to sign, signing key) over exactly the headers the
client signed, and compared in constant time.  Refusals answer like AWS:

* no or malformed Authorization -> 403 ``MissingAuthenticationTokenException``
  / ``IncompleteSignatureException``;
* an access key id not configured -> 403 ``UnrecognizedClientException``;
* a signature that does not match -> 403 ``InvalidSignatureException``.

The request time (X-Amz-Date) is not checked against the clock: the point is
to refuse clients without the right keys, not replays on a local network.
In-process clients are inside the process and are not checked.
"""

from __future__ import annotations

import configparser
import hashlib
import hmac
import json
import logging
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials

from ..errors import ServiceError

__all__ = ["AccessKeys", "SignatureChecker", "load_access_keys"]

logger = logging.getLogger(__name__)

#: Access key id -> secret access key.
AccessKeys = Mapping[str, str]

_AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256\s+"
    r"Credential=(?P<akid>[^/,\s]+)/(?P<date>\d{8})/(?P<region>[^/,\s]+)/"
    r"(?P<service>[^/,\s]+)/aws4_request\s*,\s*"
    r"SignedHeaders=(?P<signed>[a-z0-9;\-]+)\s*,\s*"
    r"Signature=(?P<signature>[0-9a-f]{64})\s*$"
)


def _forbidden(code: str, message: str) -> ServiceError:
    return ServiceError(code, message, 403)


def load_access_keys(path: str | Path) -> dict[str, str]:
    """Access keys from a file: JSON or an AWS credentials (INI) file.

    JSON: ``{"AKID": "secret", ...}`` or a list of
    ``{"AccessKeyId": ..., "SecretAccessKey": ...}``.  INI: every section with
    ``aws_access_key_id`` and ``aws_secret_access_key`` (the format of
    ``~/.aws/credentials``).  Raises ValueError naming what is wrong.
    """
    text = Path(path).read_text(encoding="utf-8")
    keys: dict[str, str] = {}
    try:
        data: Any = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        keys = {str(k): str(v) for k, v in data.items()}
    elif isinstance(data, list):
        for entry in data:
            if not isinstance(entry, dict) or not {"AccessKeyId", "SecretAccessKey"} <= set(entry):
                raise ValueError(f"{path}: each entry needs AccessKeyId and SecretAccessKey")
            keys[str(entry["AccessKeyId"])] = str(entry["SecretAccessKey"])
    else:
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(text, source=str(path))
        except configparser.Error as exc:
            raise ValueError(f"{path} is neither JSON nor an AWS credentials file") from exc
        for section in parser.sections():
            akid = parser.get(section, "aws_access_key_id", fallback=None)
            secret = parser.get(section, "aws_secret_access_key", fallback=None)
            if akid and secret:
                keys[akid.strip()] = secret.strip()
    if not keys:
        raise ValueError(f"{path} holds no access keys")
    return keys


class _Signer(SigV4Auth):
    """SigV4Auth over exactly the headers the client signed."""

    def __init__(self, credentials: Credentials, service: str, region: str, signed: list[str]):
        super().__init__(credentials, service, region)
        self._signed = signed

    def headers_to_sign(self, request: AWSRequest) -> HTTPHeaders:
        chosen = HTTPHeaders()
        for name in self._signed:
            for value in request.headers.get_all(name) or []:
                chosen[name] = value
        return chosen


class SignatureChecker:
    """Checks the SigV4 signature of HTTP requests against configured access keys."""

    def __init__(self, access_keys: AccessKeys) -> None:
        if not access_keys:
            raise ValueError("SigV4 checking needs at least one access key")
        self._keys = dict(access_keys)

    @property
    def access_key_ids(self) -> list[str]:
        """The configured access key ids (never the secrets)."""
        return sorted(self._keys)

    def check(
        self,
        method: str,
        path: str,
        headers: Iterable[tuple[str, str]],
        body: bytes,
    ) -> None:
        """Raise a 403 :class:`ServiceError` unless the request is signed by a known key."""
        request = AWSRequest(method=method, url="http://local" + path, data=body)
        request.headers = HTTPHeaders()
        for name, value in headers:
            request.headers[name.lower()] = value
        authorization = request.headers.get("authorization")
        if not authorization:
            raise _forbidden("MissingAuthenticationTokenException", "Missing Authentication Token")
        match = _AUTH_RE.match(authorization)
        amz_date = request.headers.get("x-amz-date") or ""
        if match is None or not amz_date:
            raise _forbidden(
                "IncompleteSignatureException",
                "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' "
                "(AWS4-HMAC-SHA256) and an X-Amz-Date header.",
            )
        akid = match["akid"]
        secret = self._keys.get(akid)
        if secret is None:
            logger.info("refused a request signed by an unknown access key id")
            raise _forbidden(
                "UnrecognizedClientException",
                "The security token included in the request is invalid.",
            )
        signed = match["signed"].split(";")
        declared_hash = request.headers.get("x-amz-content-sha256")
        if (
            match["date"] != amz_date[:8]
            or "host" not in signed
            or (declared_hash is not None and declared_hash != hashlib.sha256(body).hexdigest())
        ):
            raise self._mismatch()
        signer = _Signer(Credentials(akid, secret), match["service"], match["region"], signed)
        request.context["timestamp"] = amz_date
        canonical = signer.canonical_request(request)
        expected = signer.signature(signer.string_to_sign(request, canonical), request)
        if not hmac.compare_digest(expected, match["signature"]):
            logger.info("refused a request with a bad signature")
            raise self._mismatch()

    @staticmethod
    def _mismatch() -> ServiceError:
        return _forbidden(
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.",
        )
