"""The local Data API endpoint's own cost, in-process and over HTTP.

Prints DescribeStatement calls per second and rows per second when paging a
100,000-row result with GetStatementResult (JSON) and GetStatementResultV2
(CSV), so that other benchmarks know how much of their time is the endpoint's.

    python bench/bench_endpoint.py [--rows 100000] [--describes 2000] [--engine duckdb]
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

import boto3
from botocore.config import Config

from redshift_dataapi._core.statuses import FINAL_STATUSES, FINISHED
from redshift_dataapi.local import LocalDataAPI, LocalServer, inprocess_client

SQL = (
    "SELECT g AS id, 'customer-' || CAST(g AS VARCHAR) AS name, CAST(g AS FLOAT8) * 1.5 AS price, "
    "CAST('2024-01-01' AS DATE) AS day FROM generate_series(1, {rows}) AS t(g)"
)
TARGET = {"ClusterIdentifier": "bench", "Database": "dev"}


def _finished(client: Any, sql: str, result_format: str) -> str:
    response = client.execute_statement(
        Sql=sql, ResultFormat=result_format, WaitTimeSeconds=30, **TARGET
    )
    while True:
        described = client.describe_statement(Id=response["Id"], WaitTimeSeconds=30)
        if described["Status"] == FINISHED:
            return str(response["Id"])
        if described["Status"] in FINAL_STATUSES:
            raise SystemExit(f"benchmark query {described['Status']}: {described.get('Error')}")


def _describes_per_second(client: Any, statement_id: str, calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        client.describe_statement(Id=statement_id)
    return calls / (time.perf_counter() - started)


def _page_all(client: Any, statement_id: str, v2: bool) -> tuple[float, int, int]:
    fetch = client.get_statement_result_v2 if v2 else client.get_statement_result
    started = time.perf_counter()
    rows = 0
    pages = 0
    token = None
    while True:
        kwargs: dict[str, Any] = {"Id": statement_id}
        if token:
            kwargs["NextToken"] = token
        page = fetch(**kwargs)
        pages += 1
        if v2:
            rows += sum(chunk["CSVRecords"].count("\n") for chunk in page["Records"])
        else:
            rows += len(page["Records"])
        token = page.get("NextToken")
        if not token:
            break
    return rows / (time.perf_counter() - started), rows, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--describes", type=int, default=2000)
    parser.add_argument("--engine", default="duckdb")
    args = parser.parse_args()
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")

    service = LocalDataAPI(args.engine)
    with service, LocalServer(service, port=0) as server:
        clients = {
            "in-process": inprocess_client(service),
            "http": boto3.client(
                "redshift-data",
                endpoint_url=server.endpoint_url,
                region_name="us-east-1",
                config=Config(retries={"max_attempts": 1}),
            ),
        }
        sql = SQL.format(rows=args.rows)
        started = time.perf_counter()
        json_id = _finished(clients["in-process"], sql, "JSON")
        json_seconds = time.perf_counter() - started
        started = time.perf_counter()
        csv_id = _finished(clients["in-process"], sql, "CSV")
        csv_seconds = time.perf_counter() - started
        print(f"engine {service.engine.name}; {args.rows} rows x 4 columns; "
              f"page_size_bytes={service.page_size_bytes}")  # fmt: skip
        print(f"query + encode: JSON {json_seconds:.2f} s, CSV {csv_seconds:.2f} s")
        print()
        print(f"{'transport':<12}{'describe/s':>12}{'JSON rows/s':>14}{'pages':>7}"
              f"{'CSV rows/s':>14}{'pages':>7}")  # fmt: skip
        for name, client in clients.items():
            client.describe_statement(Id=json_id)  # warm up the connection and botocore
            describes = _describes_per_second(client, json_id, args.describes)
            json_rate, json_rows, json_pages = _page_all(client, json_id, v2=False)
            csv_rate, csv_rows, csv_pages = _page_all(client, csv_id, v2=True)
            assert json_rows == csv_rows == args.rows, (json_rows, csv_rows)
            print(f"{name:<12}{describes:>12,.0f}{json_rate:>14,.0f}{json_pages:>7}"
                  f"{csv_rate:>14,.0f}{csv_pages:>7}")  # fmt: skip


if __name__ == "__main__":
    main()
