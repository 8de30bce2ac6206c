"""The S3 pipeline with the AWS CLI against ``redshift-dataapi local serve`` as a real process.

``aws s3`` talks to the embedded moto server whose URL ``local serve``
prints; ``aws redshift-data`` talks to the Data API endpoint.  A gzip CSV
file copied up with ``aws s3 cp`` is COPYed into a table, UNLOADed as
Parquet, and the files are listed and fetched back with ``aws s3``.
"""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from tests.aws_cli import aws_env, run_aws
from tests.local_serve import embedded_moto_url, local_serve

ROLE = "arn:aws:iam::123456789012:role/RedshiftCopyUnload"


@pytest.fixture
def served(engine_spec: str) -> Iterator[tuple[str, str]]:
    """(Data API URL, embedded moto URL) of a ``local serve`` subprocess."""
    with local_serve("--engine", engine_spec) as (url, banner):
        yield url, embedded_moto_url(banner)


@pytest.fixture
def aws(
    served: tuple[str, str], tmp_path: Path
) -> Callable[..., subprocess.CompletedProcess[bytes]]:
    env = aws_env(tmp_path, "us-east-1")
    dataapi_url, moto_url = served

    def call(service: str, *args: str) -> subprocess.CompletedProcess[bytes]:
        url = moto_url if service == "s3" else dataapi_url
        done = run_aws(env, service, *args, "--endpoint-url", url, text=False)
        assert done.returncode == 0, f"aws {service} {args}: {done.stderr.decode()}"
        return done

    return call


def _statement(aws: Callable[..., Any], sql: str) -> dict[str, Any]:
    started = json.loads(
        aws(
            "redshift-data", "execute-statement", "--cluster-identifier", "local",
            "--database", "dev", "--sql", sql, "--output", "json",
        ).stdout
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        described: dict[str, Any] = json.loads(
            aws(
                "redshift-data", "describe-statement", "--id", started["Id"], "--output", "json"
            ).stdout
        )
        if described["Status"] in ("FINISHED", "FAILED", "ABORTED"):
            return described
        time.sleep(0.1)
    raise AssertionError(f"{sql} did not end")


def test_copy_and_unload_with_the_aws_cli(
    aws: Callable[..., subprocess.CompletedProcess[bytes]], tmp_path: Path
) -> None:
    bucket = "rsdp-cli-" + uuid.uuid4().hex[:10]
    table = "cli_" + uuid.uuid4().hex[:8]  # PostgreSQL runs share one server
    aws("s3", "mb", f"s3://{bucket}")
    data = tmp_path / "trips.csv.gz"
    data.write_bytes(gzip.compress(b"vendor,fare\nacme,4.5\nbolt,12\n\ncab,7.25\n"))
    aws("s3", "cp", str(data), f"s3://{bucket}/in/trips.csv.gz")

    created = _statement(aws, f"CREATE TABLE {table} (vendor VARCHAR(8), fare NUMERIC(6,2))")
    assert created["Status"] == "FINISHED", created.get("Error")
    copied = _statement(
        aws,
        f"COPY {table} FROM 's3://{bucket}/in/' IAM_ROLE '{ROLE}' CSV GZIP IGNOREHEADER 1 "
        "IGNOREBLANKLINES REGION 'us-east-1'",
    )
    assert copied["Status"] == "FINISHED", copied.get("Error")
    assert copied["ResultRows"] == 3

    unloaded = _statement(
        aws,
        f"UNLOAD ('SELECT * FROM {table} ORDER BY fare') TO 's3://{bucket}/out/{table}_' "
        f"IAM_ROLE '{ROLE}' FORMAT PARQUET PARALLEL OFF",
    )
    assert unloaded["Status"] == "FINISHED", unloaded.get("Error")
    assert unloaded["ResultRows"] == 3
    listing = aws("s3", "ls", f"s3://{bucket}/out/").stdout.decode()
    assert f"{table}_000.parquet" in listing
    fetched = aws("s3", "cp", f"s3://{bucket}/out/{table}_000.parquet", "-").stdout
    rows = pq.read_table(io.BytesIO(fetched)).to_pylist()
    assert [(r["vendor"], str(r["fare"])) for r in rows] == [
        ("acme", "4.50"), ("cab", "7.25"), ("bolt", "12.00"),
    ]  # fmt: skip
    _statement(aws, f"DROP TABLE {table}")
