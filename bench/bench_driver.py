"""Figures of the DB-API driver against the local Data API endpoint (DuckDB).

Run:  python bench/bench_driver.py [--latency 0.02] [--rows 100000] [--memory-rows 1000000]

Prints four tables:

1. Calls and wall time of a short query with a simulated round trip per call
   (``inprocess_client(latency_seconds=...)``), against the ideal: the server's
   own time (DescribeStatement Duration) + one round trip per call that cannot
   be avoided (ExecuteStatement + GetStatementResult).
2. Rows per second of fetchall() of a ``--rows`` x 8-column mixed-type result
   through the JSON path, the CSV path, and raw boto3 GetStatementResult
   paging with no conversion at all (the floor), with no simulated latency.
3. Peak Python memory (tracemalloc) of iterating a ``--memory-rows`` result
   versus fetchall(), with the endpoint in a child process over HTTP so that
   only the client's memory is counted.

Nothing here asserts anything: the figures go into the README.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import MIXED_TABLE, connect, raw_paging, serve, table

import redshift_dataapi
from redshift_dataapi.local import LocalDataAPI, inprocess_client


def bench_short_query(latency: float, repeats: int = 10) -> None:
    svc = LocalDataAPI("duckdb")
    try:
        client = inprocess_client(svc, latency_seconds=latency)
        rows: list[list[str]] = []
        for label, autocommit in (("autocommit=True", True), ("autocommit=False", False)):
            conn = connect(client, autocommit=autocommit)
            cur = conn.cursor()
            cur.execute("SELECT 1")  # warm up (and open the session)
            cur.fetchall()
            conn.commit()
            walls: list[float] = []
            spent: Counter[str] = Counter()
            servers: list[float] = []
            for _ in range(repeats):
                before = svc.calls.copy()
                started = time.perf_counter()
                cur.execute("SELECT 42 AS answer, 'short' AS kind")
                cur.fetchall()
                if not autocommit:
                    conn.commit()
                walls.append(time.perf_counter() - started)
                spent += svc.calls - before
                described = cur.describe_statement()  # after the clock: server time
                servers.append(int(described.get("Duration") or 0) / 1e9)
            calls = {op: n / repeats for op, n in sorted(spent.items())}
            server = statistics.median(servers)
            ideal = server + 2 * latency
            wall = statistics.median(walls)
            rows.append(
                [
                    label,
                    ", ".join(f"{op} {n:g}" for op, n in calls.items()),
                    f"{sum(calls.values()):g}",
                    f"{wall * 1000:.1f} ms",
                    f"{ideal * 1000:.1f} ms",
                    f"{wall / ideal:.2f}x" if ideal else "-",
                ]
            )
            conn.close()
        table(
            f"Short query (SELECT, {latency * 1000:g} ms simulated round trip per call; ideal = "
            "server time + 2 round trips)",
            ["mode", "calls per query", "total", "wall", "ideal", "wall/ideal"],
            rows,
        )
    finally:
        svc.close()


def best_of_interleaved(funcs: list[Callable[[], int]], repeats: int) -> list[tuple[float, int]]:
    """Best time of each function, running them in turns so that load on a shared
    machine affects them alike."""
    best = [float("inf")] * len(funcs)
    counts = [0] * len(funcs)
    for _ in range(repeats):
        for index, func in enumerate(funcs):
            started = time.perf_counter()
            counts[index] = func()
            best[index] = min(best[index], time.perf_counter() - started)
    return list(zip(best, counts, strict=True))


def bench_fetch(rows: int, repeats: int = 3) -> None:
    svc = LocalDataAPI("duckdb")
    try:
        client = inprocess_client(svc, latency_seconds=0.0)
        conn = connect(client)
        cur = conn.cursor()
        cur.execute(MIXED_TABLE.format(rows=rows))
        sql = "SELECT a, b, c, d, e, f, g, h FROM mixed"
        json_id = cur.execute(sql).statement_id
        csv_id = connect(client, result_format="csv").cursor().execute(sql).statement_id
        assert json_id and csv_id

        def raw(operation: str, statement_id: str) -> Callable[[], int]:
            return lambda: raw_paging(client, operation, statement_id)

        def driver(statement_id: str) -> Callable[[], int]:
            def run() -> int:
                return len(conn.cursor().attach(statement_id).fetchall())

            return run

        labels = [
            "raw boto3 GetStatementResult paging, no conversion (floor)",
            "driver fetchall, JSON",
            "driver fetchall, CSV",
            "raw boto3 GetStatementResultV2 paging (CSV text, unparsed)",
        ]
        results = best_of_interleaved(
            [
                raw("get_statement_result", json_id),
                driver(json_id),
                driver(csv_id),
                raw("get_statement_result_v2", csv_id),
            ],
            repeats,
        )
        floor = results[0][0]
        measured = [
            (label, secs, count) for label, (secs, count) in zip(labels, results, strict=True)
        ]
        measured[3] = (labels[3], results[3][0], rows)  # V2 pages count chunks, not rows
        table(
            f"fetchall of {rows:,} rows x 8 mixed columns (no simulated latency, best of "
            f"{repeats})",
            ["path", "seconds", "rows/s", "vs JSON floor"],
            [
                [label, f"{secs:.2f}", f"{count / secs:,.0f}", f"{secs / floor:.2f}x"]
                for label, secs, count in measured
            ],
        )
    finally:
        svc.close()


def bench_memory(rows: int, result_format: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    urls = ctx.Queue()
    stop = ctx.Event()
    server = ctx.Process(target=serve, args=(urls, stop), daemon=True)
    server.start()
    try:
        endpoint = urls.get(timeout=60)
        # The driver's own client for a loopback endpoint (the one client factory).
        conn = redshift_dataapi.connect(
            endpoint_url=endpoint, autocommit=True, result_format=result_format
        )
        cur = conn.cursor()
        cur.execute(
            f"CREATE TABLE m AS SELECT i::int AS a, 'value ' || i AS b "
            f"FROM generate_series(1, {rows}) AS s(i)"
        )
        statement_id = cur.execute("SELECT a, b FROM m").statement_id
        assert statement_id
        figures: list[list[str]] = []
        for label in ("iterate (for row in cursor)", "fetchall()"):
            cursor = conn.cursor()
            tracemalloc.start()
            started = time.perf_counter()
            cursor.attach(statement_id)
            if label.startswith("iterate"):
                count = sum(1 for _ in cursor)
            else:
                count = len(cursor.fetchall())
            elapsed = time.perf_counter() - started
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            cursor.close()
            figures.append(
                [label, f"{count:,}", f"{peak / 2**20:,.1f} MiB", f"{elapsed:.1f} s (traced)"]
            )
        table(
            f"Peak client memory, {rows:,} rows x 2 columns, {result_format.upper()} over HTTP "
            "(service pages of 1 MiB)",
            ["how", "rows", "peak (tracemalloc)", "time"],
            figures,
        )
    finally:
        stop.set()
        server.join(timeout=30)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.02, help="simulated round trip (s)")
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the fetch benchmark")
    parser.add_argument(
        "--memory-rows", type=int, default=1_000_000, help="rows of the memory benchmark"
    )
    parser.add_argument("--memory-format", choices=["json", "csv"], default="json")
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=["short", "fetch", "memory"],
        help="skip a part",
    )
    args = parser.parse_args(argv)
    if "short" not in args.skip:
        bench_short_query(args.latency)
    if "fetch" not in args.skip:
        bench_fetch(args.rows)
    if "memory" not in args.skip:
        bench_memory(args.memory_rows, args.memory_format)


if __name__ == "__main__":
    main()
