"""S3 objects for COPY and UNLOAD: URLs, listing by prefix, reading, writing, deleting.

Failures raise :class:`S3Error` whose message reads like the one Redshift
reports for the same cause (``S3ServiceException:The specified bucket does
not exist,Status 404,Error NoSuchBucket,...``), so that a failed COPY or
UNLOAD says what went wrong in the words users search for.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .settings import AwsSettings

__all__ = ["S3Error", "S3Object", "S3Store", "S3Url"]

logger = logging.getLogger(__name__)

_DELETE_BATCH = 1000  # DeleteObjects takes at most 1000 keys


class S3Error(Exception):
    """An S3 request failed; ``message`` is what the statement's Error says."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class S3Url:
    """An ``s3://bucket/key`` address (the key may be a prefix, or empty)."""

    bucket: str
    key: str

    @classmethod
    def parse(cls, url: str) -> S3Url:
        """Split ``s3://bucket/key``; S3Error for anything else."""
        if not isinstance(url, str) or not url.startswith("s3://"):
            raise S3Error(f"Invalid S3 URL '{url}': it must start with s3://")
        bucket, _, key = url[len("s3://") :].partition("/")
        if not bucket:
            raise S3Error(f"Invalid S3 URL '{url}': no bucket name")
        return cls(bucket, key)

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.key}"

    def child(self, suffix: str) -> S3Url:
        """The address ``suffix`` appended to this key."""
        return S3Url(self.bucket, self.key + suffix)


@dataclass(frozen=True)
class S3Object:
    """One object found under a prefix."""

    url: S3Url
    size: int


def _service_error(exc: Any) -> S3Error:
    """A botocore ClientError as Redshift words an S3ServiceException."""
    response = getattr(exc, "response", {}) or {}
    error = response.get("Error", {})
    meta = response.get("ResponseMetadata", {})
    code = error.get("Code", "Unknown")
    message = error.get("Message") or code
    status = meta.get("HTTPStatusCode", "")
    request_id = meta.get("RequestId", "")
    return S3Error(f"S3ServiceException:{message},Status {status},Error {code},Rid {request_id}")


class S3Store:
    """S3 as COPY and UNLOAD see it: a client in the bucket's region, and checks.

    ``region`` is the region the statement says the bucket is in (its REGION
    option, else the local cluster's).  A bucket elsewhere fails as it does on
    Redshift, with S3's PermanentRedirect.
    """

    def __init__(self, settings: AwsSettings, region: str | None = None) -> None:
        self.region = region or settings.region
        try:
            self._client = settings.client("s3", self.region)
        except LookupError as exc:
            raise S3Error(
                "S3 is turned off for this local endpoint (its S3 endpoint setting is 'none')"
            ) from exc
        self._checked: set[str] = set()

    def _call(self, operation: str, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self._client, operation)(**kwargs)
        except ClientError as exc:
            raise _service_error(exc) from None
        except BotoCoreError as exc:
            raise S3Error(f"S3ServiceException:{exc}") from None

    def check_bucket(self, bucket: str) -> None:
        """S3Error unless ``bucket`` exists in this store's region."""
        if bucket in self._checked:
            return
        location = self._call("get_bucket_location", Bucket=bucket).get("LocationConstraint")
        actual = location or "us-east-1"  # S3 reports us-east-1 as no constraint
        if actual == "EU":
            actual = "eu-west-1"
        if actual != self.region:
            raise S3Error(
                "S3ServiceException:The bucket you are attempting to access must be addressed "
                f"using the specified endpoint. Please send all future requests to this "
                f"endpoint.,Status 301,Error PermanentRedirect,Bucket {bucket} is in region "
                f"{actual}, not {self.region} (give REGION '{actual}')"
            )
        self._checked.add(bucket)

    def list(self, prefix: S3Url) -> list[S3Object]:
        """Every object whose key starts with ``prefix``'s key, in key order."""
        self.check_bucket(prefix.bucket)
        found: list[S3Object] = []
        token: str | None = None
        while True:
            kwargs: dict[str, Any] = {"Bucket": prefix.bucket, "Prefix": prefix.key}
            if token:
                kwargs["ContinuationToken"] = token
            page = self._call("list_objects_v2", **kwargs)
            for item in page.get("Contents", []):
                found.append(S3Object(S3Url(prefix.bucket, item["Key"]), int(item["Size"])))
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                break
        found.sort(key=lambda o: o.url.key)
        return found

    def get(self, url: S3Url) -> bytes:
        """The bytes of one object."""
        self.check_bucket(url.bucket)
        body = self._call("get_object", Bucket=url.bucket, Key=url.key)["Body"]
        try:
            return bytes(body.read())
        finally:
            body.close()

    def put(self, url: S3Url, data: bytes, content_type: str | None = None) -> None:
        """Write one object."""
        self.check_bucket(url.bucket)
        kwargs: dict[str, Any] = {"Bucket": url.bucket, "Key": url.key, "Body": data}
        if content_type:
            kwargs["ContentType"] = content_type
        self._call("put_object", **kwargs)

    def delete(self, urls: Iterable[S3Url]) -> None:
        """Delete objects (missing ones are no error, as in S3)."""
        by_bucket: dict[str, list[str]] = {}
        for url in urls:
            by_bucket.setdefault(url.bucket, []).append(url.key)
        for bucket, keys in by_bucket.items():
            for start in range(0, len(keys), _DELETE_BATCH):
                batch = [{"Key": key} for key in keys[start : start + _DELETE_BATCH]]
                self._call("delete_objects", Bucket=bucket, Delete={"Objects": batch})
