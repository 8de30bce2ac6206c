"""Small helpers of the S3 pipeline tests."""

from __future__ import annotations

from typing import Any

from tests.integration.local.helpers import ok, rows, run

__all__ = ["ROLE", "keys", "ok", "put", "read", "rows", "run", "scalar"]

ROLE = "IAM_ROLE 'arn:aws:iam::123456789012:role/RedshiftCopyUnload'"


def put(s3: Any, bucket: str, key: str, body: bytes | str) -> str:
    """Write one object; its s3:// URL."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    s3.put_object(Bucket=bucket, Key=key, Body=data)
    return f"s3://{bucket}/{key}"


def read(s3: Any, bucket: str, key: str) -> bytes:
    """The bytes of one object."""
    return bytes(s3.get_object(Bucket=bucket, Key=key)["Body"].read())


def keys(s3: Any, bucket: str, prefix: str = "") -> list[str]:
    """The keys under ``prefix``, sorted."""
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
    return sorted(o["Key"] for o in listed)


def scalar(client: Any, sql: str) -> Any:
    """The single value ``sql`` returns."""
    ((value,),) = rows(client, sql)
    return value
