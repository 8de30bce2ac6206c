"""Building a local service for one test on either engine, and an HTTP client of it.

DuckDB gets a new in-memory instance per test.  PostgreSQL gets a database
prefix unique to the test, so that the Data API database ``dev`` of one test
is a different PostgreSQL database from another test's (see PostgresEngine's
``database_prefix``), and tests never see each other's tables.
"""

from __future__ import annotations

import hashlib
from typing import Any


def make_service(engine_spec: str, test_id: str, **options: Any) -> Any:
    from redshift_dataapi.local import LocalDataAPI
    from redshift_dataapi.local.engines import create_engine

    if engine_spec.startswith("postgres"):
        prefix = "t" + hashlib.sha1(test_id.encode()).hexdigest()[:10] + "_"
        engine = create_engine(engine_spec, database_prefix=prefix, drop_on_close=True)
    else:
        engine = create_engine(engine_spec)
    return LocalDataAPI(engine, **options)


def http_client(endpoint_url: str) -> Any:
    """A real boto3 ``redshift-data`` client talking HTTP to ``endpoint_url`` (no retries)."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "redshift-data",
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1}),
    )
