"""COPY and UNLOAD throughput of the local endpoint, rows per second.

Fills a table with the demo's green-taxi trips, UNLOADs it to the embedded
moto S3 as Parquet and as CSV (gzip), then COPYs each back into an empty
table, all through the Data API in-process, and prints rows/s per step.

    python bench/bench_s3.py [--rows 100000] [--engine duckdb|postgresql://...]
"""

from __future__ import annotations

import argparse
import time
import uuid
from typing import Any

from redshift_dataapi._core.statuses import FINAL_STATUSES, FINISHED
from redshift_dataapi.cli import demo_data
from redshift_dataapi.local import LocalDataAPI, inprocess_client

TARGET = {"ClusterIdentifier": "bench", "Database": "dev"}
SEED_TRIPS = 2000
ROLE = "IAM_ROLE 'arn:aws:iam::123456789012:role/bench'"
FORMATS = [
    ("Parquet", "FORMAT PARQUET", "FORMAT PARQUET"),
    ("CSV gzip", "FORMAT CSV GZIP", "CSV GZIP"),
]


def _run(client: Any, sql: str) -> dict[str, Any]:
    response = client.execute_statement(Sql=sql, WaitTimeSeconds=30, **TARGET)
    while True:
        described: dict[str, Any] = client.describe_statement(Id=response["Id"], WaitTimeSeconds=30)
        if described["Status"] == FINISHED:
            return described
        if described["Status"] in FINAL_STATUSES:
            raise SystemExit(f"{sql[:60]}...: {described['Status']} {described.get('Error')}")


def _timed(client: Any, sql: str) -> tuple[float, int]:
    started = time.perf_counter()
    described = _run(client, sql)
    return time.perf_counter() - started, int(described["ResultRows"])


def _report(verb: str, label: str, rows: int, seconds: float) -> None:
    print(f"{verb:<6} {label:<9} {rows:>9,} rows {seconds:6.2f} s {rows / seconds:>10,.0f} rows/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--engine", default="duckdb")
    args = parser.parse_args()
    seed = min(SEED_TRIPS, args.rows)
    copies = -(-args.rows // seed)
    with LocalDataAPI(args.engine) as service:
        client = inprocess_client(service)
        bucket = "bench-" + uuid.uuid4().hex[:12]
        service.aws.client("s3").create_bucket(Bucket=bucket)
        _run(client, f"CREATE SCHEMA IF NOT EXISTS {demo_data.SCHEMA}")
        _run(client, demo_data.CREATE_TABLE)
        for sql in demo_data.load_statements(seed, copies):
            _run(client, sql)
        total = _run(client, f"SELECT COUNT(*) FROM {demo_data.QUALIFIED}")["ResultRows"]
        print(f"engine {service.engine.name}, {seed * copies:,} trips ({total} result row)")
        for label, unload_options, copy_options in FORMATS:
            prefix = f"s3://{bucket}/{label.split()[0].lower()}/trips_"
            seconds, rows = _timed(
                client,
                f"UNLOAD ('SELECT * FROM {demo_data.QUALIFIED}') TO '{prefix}' {ROLE} "
                f"{unload_options}",
            )
            _report("UNLOAD", label, rows, seconds)
            _run(client, f"CREATE TABLE {demo_data.SCHEMA}.copied (LIKE {demo_data.QUALIFIED})")
            seconds, rows = _timed(
                client, f"COPY {demo_data.SCHEMA}.copied FROM '{prefix}' {ROLE} {copy_options}"
            )
            _report("COPY", label, rows, seconds)
            _run(client, f"DROP TABLE {demo_data.SCHEMA}.copied")


if __name__ == "__main__":
    main()
