"""Fixtures of the S3 pipeline tests: the embedded moto S3 and a fresh bucket per test.

The local service under test (``dataapi_client``, on DuckDB and on
PostgreSQL) reaches the embedded moto server of this process by default, so
the test's own boto3 clients of that server see the same buckets.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from redshift_dataapi.local.aws import AwsSettings


@pytest.fixture(scope="session")
def aws() -> AwsSettings:
    """The default settings: every service on the embedded moto server."""
    return AwsSettings()


@pytest.fixture(scope="session")
def s3(aws: AwsSettings) -> Any:
    """A boto3 S3 client of the embedded moto server."""
    return aws.client("s3")


@pytest.fixture
def bucket(s3: Any) -> Iterator[str]:
    """A new, empty bucket in us-east-1 (the local cluster's region)."""
    name = "rsdp-" + uuid.uuid4().hex[:16]
    s3.create_bucket(Bucket=name)
    yield name
    listed = s3.list_objects_v2(Bucket=name).get("Contents", [])
    if listed:
        s3.delete_objects(Bucket=name, Delete={"Objects": [{"Key": o["Key"]} for o in listed]})
    s3.delete_bucket(Bucket=name)
