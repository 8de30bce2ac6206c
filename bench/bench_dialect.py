"""Figures of the SQLAlchemy dialect against the local Data API endpoint (DuckDB).

Run:  python bench/bench_dialect.py [--latency 0.02] [--tables 100] [--to-sql-rows 50000]
                                     [--read-rows 100000]

Every Data API call gets a simulated network round trip of ``--latency`` seconds
(``inprocess_client(svc, latency_seconds=...)`` passed to the driver as ``client=``
through ``create_engine(..., connect_args={"client": client})``).  Prints, for each
task, the Data API calls by operation and the wall time:

1. reflecting a ``--tables``-table schema (``MetaData.reflect(schema=...)``), cold;
2. ``DataFrame.to_sql`` of ``--to-sql-rows`` mixed-type rows (method None and "multi");
3. ``pandas.read_sql`` of ``--read-rows`` rows versus the driver's own ``fetchall()``
   of the same query on the same service.

Nothing here asserts anything: the figures go into the README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd
import sqlalchemy as sa

import redshift_dataapi
from redshift_dataapi.local import LocalDataAPI, inprocess_client


class Calls:
    """Counts Data API operations on a boto3 client."""

    def __init__(self, client: Any) -> None:
        self.ops: Counter[str] = Counter()
        client.meta.events.register("before-call.redshift-data", self._seen)

    def _seen(self, model: Any, **_: Any) -> None:
        self.ops[model.name] += 1

    def take(self) -> Counter[str]:
        ops, self.ops = self.ops, Counter()
        return ops


def measure(calls: Calls, fn: Callable[[], Any]) -> tuple[float, Counter[str], Any]:
    calls.take()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, calls.take(), result


def fmt_ops(ops: Counter[str]) -> str:
    return ", ".join(f"{name} {n}" for name, n in sorted(ops.items())) or "-"


def print_table(title: str, rows: list[list[str]]) -> None:
    header = ["task", "calls", "wall s", "by operation"]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def row(task: str, seconds: float, ops: Counter[str]) -> list[str]:
    return [task, str(sum(ops.values())), f"{seconds:.2f}", fmt_ops(ops)]


def bench_reflection(engine: sa.Engine, calls: Calls, tables: int) -> list[list[str]]:
    md = sa.MetaData(schema="bench")
    for i in range(tables):
        sa.Table(
            f"t{i:03d}",
            md,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("name", sa.String(40), nullable=False, unique=True),
            sa.Column("amount", sa.Numeric(12, 2)),
            sa.Column("at", sa.DateTime),
            sa.Column("parent_id", sa.Integer, sa.ForeignKey(f"bench.t{max(i - 1, 0):03d}.id")),
        )
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS bench")
    md.create_all(engine)
    out = []
    seconds, ops, _ = measure(calls, lambda: sa.MetaData().reflect(engine, schema="bench"))
    out.append(row(f"MetaData.reflect, {tables} tables", seconds, ops))

    def names_and_columns() -> None:
        insp = sa.inspect(engine)
        for name in insp.get_table_names("bench"):
            insp.get_columns(name, schema="bench")

    seconds, ops, _ = measure(calls, names_and_columns)
    out.append(row(f"inspect: get_columns x {tables}", seconds, ops))
    return out


def mixed_frame(rows: int) -> pd.DataFrame:
    base = dt.datetime(2024, 1, 1, 12, 0, 0)
    return pd.DataFrame(
        {
            "i": range(rows),
            "f": [i / 3 for i in range(rows)],
            "s": [f"name {i} ünï" if i % 10 else None for i in range(rows)],
            "b": [i % 2 == 0 for i in range(rows)],
            "d": [dt.date(2024, 1, 1) + dt.timedelta(days=i % 365) for i in range(rows)],
            "t": [base + dt.timedelta(seconds=i) for i in range(rows)],
        }
    )


def bench_to_sql(engine: sa.Engine, calls: Calls, rows: int) -> list[list[str]]:
    frame = mixed_frame(rows)
    out = []
    for method, chunksize in ((None, None), ("multi", 500)):
        seconds, ops, _ = measure(
            calls,
            lambda m=method, c=chunksize: frame.to_sql(
                "bench_to_sql", engine, index=False, if_exists="replace", method=m, chunksize=c
            ),
        )
        label = f"to_sql {rows} rows, method={method!r}"
        if chunksize:
            label += f", chunksize={chunksize}"
        out.append(row(label, seconds, ops))
    return out


def bench_read(engine: sa.Engine, calls: Calls, client: Any, rows: int) -> list[list[str]]:
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS bench_read")
        conn.exec_driver_sql(
            "CREATE TABLE bench_read AS SELECT i::int AS a, i * 0.5::float8 AS b, "
            "'name ' || i AS c, DATEADD(second, i, '2024-01-01'::timestamp) AS d "
            f"FROM generate_series(1, {rows}) AS s(i)"
        )
    query = "SELECT a, b, c, d FROM bench_read"
    out = []
    seconds, ops, frame = measure(calls, lambda: pd.read_sql(query, engine))
    out.append(row(f"pandas.read_sql, {len(frame)} rows", seconds, ops))

    def driver_fetchall() -> int:
        conn = redshift_dataapi.connect(
            "dev", cluster_identifier="local", client=client, autocommit=True
        )
        try:
            cur = conn.cursor()
            cur.execute(query)
            return len(cur.fetchall())
        finally:
            conn.close()

    seconds, ops, count = measure(calls, driver_fetchall)
    out.append(row(f"driver fetchall, {count} rows", seconds, ops))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--latency", type=float, default=0.02, help="seconds per Data API call")
    parser.add_argument("--tables", type=int, default=100)
    parser.add_argument("--to-sql-rows", type=int, default=50_000)
    parser.add_argument("--read-rows", type=int, default=100_000)
    args = parser.parse_args(argv)

    service = LocalDataAPI("duckdb")
    client = inprocess_client(service, latency_seconds=args.latency)
    calls = Calls(client)
    engine = sa.create_engine("redshift+dataapi://local/dev", connect_args={"client": client})
    print(f"simulated round trip per Data API call: {args.latency * 1000:.0f} ms (DuckDB engine)")
    try:
        print_table("1. Reflection", bench_reflection(engine, calls, args.tables))
        print_table("2. DataFrame.to_sql", bench_to_sql(engine, calls, args.to_sql_rows))
        print_table("3. Reading", bench_read(engine, calls, client, args.read_rows))
    finally:
        engine.dispose()
        service.close()


if __name__ == "__main__":
    main()
