"""Issue 11's result figures, side by side, with a simulated round trip per call.

Run:  python bench/bench_results.py [--latency 0.02] [--rows 100000] [--memory-rows 1000000]

Every figure is one run (``--repeat N``: the best of N, and the column
"runs" lists every run of ours, so that the spread shows) of a
``--rows`` x 8 mixed-type result, first on the in-process DuckDB endpoint,
then over HTTP with the endpoint in a child process (the same figures, by
the same code); each client sleeps ``--latency`` before each request:

* driver fetchall (JSON) vs raw boto3 GetStatementResult paging (botocore's parser),
  and vs the same paging with each body decoded by one plain ``loads`` and no
  conversion (the wire plus a plain JSON decode: the limit);
* driver fetchall (CSV) vs raw boto3 GetStatementResultV2 paging (CSV text, unparsed),
  and vs the same paging plus a plain ``csv.reader`` split (what the plainest decode
  costs);
* both fetchalls again with ``prefetch=False`` (no read-ahead), to show its share;
* fetch_arrow_table (CSV and JSON pages) vs raw JSON paging;
* pandas.read_sql through the SQLAlchemy dialect vs the driver's fetchall, and vs
  pandas.read_sql given the driver's DB-API connection (what the dialect adds); and
  measured apart: the driver's statement and fetch inside it, and the rest (pandas and
  SQLAlchemy), also with the cyclic collector paused;
* the Data API calls of a 1-page pandas.read_sql(query string, engine);
* read_sql on a CSV engine and fetch_dataframe, and awswrangler's redshift_data
  read when awswrangler is installed;
* tracemalloc peak of fetch_arrow_batches over ``--memory-rows`` rows.

The fetches read an earlier statement's result with ``cursor.attach(id)``,
which costs the result's pages alone, so ours and the raw paging make the
same calls.
Before timing, one warm-up fetch of each result format, so that one-time
imports (pyarrow, which the CSV path imports at its first large page) are not
in the figures.  Nothing here asserts anything: the figures go into the README.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import MIXED_TABLE, connect, raw_paging, serve, table

import redshift_dataapi
from redshift_dataapi.local import LocalDataAPI, inprocess_client

SELECT = "SELECT a, b, c, d, e, f, g, h FROM mixed"


REPEAT = 1
#: Wall times of every run of the last timed() call.
RUNS: list[float] = []


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    """Best wall time of ``REPEAT`` runs (``--repeat``; the issue asks for one) and the output."""
    out: Any = None
    RUNS.clear()
    for _ in range(REPEAT):
        started = time.perf_counter()
        out = func()
        RUNS.append(time.perf_counter() - started)
    return min(RUNS), out


def raw_csv_split(client: Any, statement_id: str) -> int:
    """Raw CSV paging plus the plainest decode: csv.reader's split, no conversion."""
    fields = 0
    kwargs: dict[str, Any] = {"Id": statement_id}
    while True:
        page = client.get_statement_result_v2(**kwargs)
        for record in page["Records"]:
            for row in csv.reader(io.StringIO(record["CSVRecords"], newline="")):
                fields += len(row)
        token = page.get("NextToken")
        if not token:
            return fields
        kwargs["NextToken"] = token


def plain_decode(client: Any) -> Any:
    """``client`` with GetStatementResult bodies decoded by one plain ``loads``.

    The wire plus a plain JSON decode, no conversion: the limit a JSON fetch
    can reach.  The Records reach the caller as decoded (Field dicts), and
    botocore parses the rest of the body.  orjson when installed, as the
    driver uses.
    """
    try:
        import orjson

        loads: Callable[[bytes], Any] = orjson.loads
    except ImportError:
        loads = json.loads

    def before_parse(response_dict: Any, customized_response_dict: Any, **_: Any) -> None:
        if response_dict.get("status_code") != 200:
            return
        data = loads(response_dict["body"])
        customized_response_dict["Records"] = data.pop("Records")
        response_dict["body"] = json.dumps(data).encode()

    client.meta.events.register("before-parse.redshift-data.GetStatementResult", before_parse)
    return client


class CallCounter:
    """Data API calls a client makes, counted by a botocore event hook."""

    def __init__(self, client: Any) -> None:
        self.calls: Counter[str] = Counter()
        self._events = client.meta.events
        self._events.register("before-call.redshift-data.*", self._count)

    def _count(self, model: Any, **_: Any) -> None:
        self.calls[model.name] += 1

    def close(self) -> None:
        """Stop counting."""
        self._events.unregister("before-call.redshift-data.*", self._count)


@contextlib.contextmanager
def child_endpoint() -> Iterator[str]:
    """The URL of a local endpoint over HTTP on DuckDB in a child process, while in use."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    urls = ctx.Queue()
    stop = ctx.Event()
    server = ctx.Process(target=serve, args=(urls, stop), daemon=True)
    server.start()
    try:
        yield urls.get(timeout=60)
    finally:
        stop.set()
        server.join(timeout=30)


def bench_memory(rows_list: list[int]) -> list[list[str]]:
    """Peak client memory of fetch_arrow_batches vs fetch_arrow_table (endpoint in a child)."""
    import pyarrow as pa

    out: list[list[str]] = []
    with child_endpoint() as endpoint:
        conn = redshift_dataapi.connect(endpoint_url=endpoint, autocommit=True, result_format="csv")
        for rows in rows_list:
            cur = conn.cursor()
            cur.execute(f"DROP TABLE IF EXISTS m{rows}")
            cur.execute(
                f"CREATE TABLE m{rows} AS SELECT i::int AS a, 'value ' || i AS b, "
                f"(i / 7.0)::numeric(12, 4) AS d FROM generate_series(1, {rows}) AS s(i)"
            )
            for how in ("fetch_arrow_batches", "fetch_arrow_table"):
                cur = conn.cursor()
                cur.execute(f"SELECT a, b, d FROM m{rows}")
                base = pa.total_allocated_bytes()
                tracemalloc.start()
                arrow_peak = 0
                count = 0
                if how == "fetch_arrow_batches":
                    for batch in cur.fetch_arrow_batches():
                        count += batch.num_rows
                        arrow_peak = max(arrow_peak, pa.total_allocated_bytes() - base)
                        del batch
                else:
                    table = cur.fetch_arrow_table()
                    count = table.num_rows
                    arrow_peak = pa.total_allocated_bytes() - base
                    del table
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                out.append(
                    [
                        how,
                        f"{count:,}",
                        f"{peak / 2**20:,.1f} MiB",
                        f"{arrow_peak / 2**20:,.1f} MiB",
                    ]
                )
        conn.close()
    return out


class Figures:
    """The rows of one table: ratio figures (with every run of ours) and plain rows."""

    def __init__(self) -> None:
        self.rows: list[list[str]] = []

    def add(self, name: str, ours: float, base: float, base_name: str, target: str) -> None:
        runs = "/".join(f"{run:.2f}" for run in RUNS) if len(RUNS) > 1 else "-"
        self.rows.append(
            [
                name,
                f"{ours:.2f} s",
                f"{base_name} {base:.2f} s",
                f"{ours / base:.2f}x",
                target,
                runs,
            ]
        )

    def row(self, *cells: str) -> None:
        self.rows.append([*cells, "-"])


def fetch_figures(
    client: Any, rows: int, *, pandas: bool, new_client: Callable[[], Any]
) -> list[list[str]]:
    """Every fetch figure on ``client`` (in-process or over HTTP; the same code for both).

    ``new_client()`` builds another client of the same endpoint: one for the
    plain-decode paging (its own hook) and one for aws-sdk-pandas (without
    the call counter's hook).
    """
    figures = Figures()
    conn = connect(client)
    conn.cursor().execute(MIXED_TABLE.format(rows=rows))
    json_id = conn.cursor().execute(SELECT).statement_id
    csv_conn = connect(client, result_format="csv")
    csv_id = csv_conn.cursor().execute(SELECT).statement_id
    assert json_id and csv_id
    # One warm-up fetch of each path, so that one-time imports (pyarrow, on
    # the first large CSV page) are not in the figures.
    conn.cursor().attach(json_id).fetchmany(1)
    csv_conn.cursor().attach(csv_id).fetchmany(1)
    csv_conn.cursor().attach(csv_id).fetch_arrow_batches()

    raw_json, _ = timed(lambda: raw_paging(client, "get_statement_result", json_id))
    plain = plain_decode(new_client())
    plain_json, _ = timed(lambda: raw_paging(plain, "get_statement_result", json_id))
    ours_json, fetched = timed(lambda: conn.cursor().attach(json_id).fetchall())
    figures.add("fetchall, JSON", ours_json, raw_json, "raw JSON paging", "<= 0.35x")
    figures.add("fetchall, JSON", ours_json, plain_json, "raw JSON paging + plain decode", "-")

    raw_csv, _ = timed(lambda: raw_paging(client, "get_statement_result_v2", csv_id))
    split_csv, _ = timed(lambda: raw_csv_split(client, csv_id))
    ours_csv, _ = timed(lambda: csv_conn.cursor().attach(csv_id).fetchall())
    figures.add("fetchall, CSV", ours_csv, raw_csv, "raw CSV paging", "<= 1.1x")
    figures.add("fetchall, CSV", ours_csv, split_csv, "raw CSV paging + csv.reader split", "-")
    lazy_json = connect(client, prefetch=False)
    lazy_csv = connect(client, result_format="csv", prefetch=False)
    lazy, _ = timed(lambda: lazy_json.cursor().attach(json_id).fetchall())
    figures.add("fetchall, JSON, prefetch=False", lazy, raw_json, "raw JSON paging", "-")
    lazy, _ = timed(lambda: lazy_csv.cursor().attach(csv_id).fetchall())
    figures.add("fetchall, CSV, prefetch=False", lazy, raw_csv, "raw CSV paging", "-")

    arrow_csv, table_ = timed(lambda: csv_conn.cursor().attach(csv_id).fetch_arrow_table())
    figures.add("fetch_arrow_table, CSV", arrow_csv, raw_json, "raw JSON paging", "<= 0.25x")
    assert [tuple(r.values()) for r in table_.slice(0, 1000).to_pylist()] == fetched[:1000]
    arrow_json, _ = timed(lambda: conn.cursor().attach(json_id).fetch_arrow_table())
    figures.add("fetch_arrow_table, JSON", arrow_json, raw_json, "raw JSON paging", "-")
    if pandas:
        pandas_figures(client, new_client(), figures)
    for each in (conn, csv_conn, lazy_json, lazy_csv):
        each.close()
    return figures.rows


@contextlib.contextmanager
def driver_parts() -> Iterator[dict[str, float]]:
    """Seconds of the driver's ``execute`` and ``fetchall`` in the block, whoever calls them."""
    from redshift_dataapi.cursor import Cursor

    parts: dict[str, float] = {"execute": 0.0, "fetchall": 0.0}
    originals = {name: getattr(Cursor, name) for name in parts}

    def timed_method(name: str) -> Callable[..., Any]:
        method = originals[name]

        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return method(self, *args, **kwargs)
            finally:
                parts[name] += time.perf_counter() - started

        return wrapper

    for name in parts:
        setattr(Cursor, name, timed_method(name))
    try:
        yield parts
    finally:
        for name, method in originals.items():
            setattr(Cursor, name, method)


def read_sql_parts(read: Callable[[], Any]) -> list[str]:
    """``read()`` (a pandas.read_sql) measured apart: the driver's statement and fetch, the
    rest (pandas and SQLAlchemy), and the rest again with the cyclic collector paused."""
    import gc

    rests = []
    statement = fetch = 0.0
    for paused in (False, True):
        best: tuple[float, dict[str, float]] | None = None
        for _ in range(REPEAT):
            with driver_parts() as parts:
                if paused:
                    gc.disable()
                started = time.perf_counter()
                try:
                    read()
                finally:
                    wall = time.perf_counter() - started
                    gc.enable()
            if best is None or wall < best[0]:
                best = (wall, dict(parts))
        assert best is not None
        wall, parts = best
        rests.append(wall - parts["execute"] - parts["fetchall"])
        if not paused:
            statement, fetch = parts["execute"], parts["fetchall"]
    return [
        "pandas.read_sql (dialect), measured apart",
        f"statement {statement:.2f} s",
        f"driver fetchall {fetch:.2f} s",
        f"pandas + SQLAlchemy {rests[0]:.2f} s ({rests[1]:.2f} s, collector paused)",
        "-",
    ]


def pandas_figures(client: Any, other_client: Any, figures: Figures) -> None:
    """pandas.read_sql (dialect, JSON and CSV engines), fetch_dataframe, aws-sdk-pandas."""
    import warnings

    import pandas as pd
    import sqlalchemy as sa

    engines = {
        fmt: sa.create_engine(
            f"redshift+dataapi://local/dev?result_format={fmt}", connect_args={"client": client}
        )
        for fmt in ("json", "csv")
    }
    for engine in engines.values():
        pd.read_sql("SELECT 1 AS a", engine)  # the engine's first connect
    counter = CallCounter(client)
    pd.read_sql("SELECT 1 AS a", engines["json"])
    calls = dict(counter.calls)
    counter.close()

    fetchall, _ = timed(lambda: connect(client).cursor().execute(SELECT).fetchall())
    read_sql, _ = timed(lambda: pd.read_sql(SELECT, engines["json"]))
    figures.add("pandas.read_sql (dialect)", read_sql, fetchall, "driver fetchall", "<= 1.1x")
    # pandas given the driver's own DB-API connection: the same fetchall and
    # the same DataFrame construction, without SQLAlchemy.  The ratio is what
    # the dialect adds; the figure above also holds pandas' construction.
    driver_conn = connect(client)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # pandas names only SQLAlchemy and sqlite3
        on_driver, _ = timed(lambda: pd.read_sql(SELECT, driver_conn))
    driver_conn.close()
    figures.add("pandas.read_sql (dialect)", read_sql, on_driver,
                "pandas.read_sql on a driver connection", "-")  # fmt: skip
    figures.row(*read_sql_parts(lambda: pd.read_sql(SELECT, engines["json"])))
    figures.row(
        "calls of a 1-page pandas.read_sql",
        str(sum(calls.values())),
        ", ".join(f"{k} {v}" for k, v in sorted(calls.items())),
        "-",
        "2",
    )
    read_sql_csv, _ = timed(lambda: pd.read_sql(SELECT, engines["csv"]))
    figures.add("pandas.read_sql, ?result_format=csv", read_sql_csv, fetchall,
                "driver fetchall (JSON)", "-")  # fmt: skip
    frame_csv, _ = timed(
        lambda: connect(client, result_format="csv").cursor().execute(SELECT).fetch_dataframe()
    )
    figures.add("cursor.fetch_dataframe, CSV", frame_csv, fetchall, "driver fetchall (JSON)", "-")
    for engine in engines.values():
        engine.dispose()
    wrangler, frame = timed(lambda: wrangler_read(other_client, SELECT))
    if frame is None:
        figures.row("aws-sdk-pandas read_sql_query", "-", "not installed", "-", "-")
        return
    for label, ours in (
        ("pandas.read_sql, JSON engine", read_sql),
        ("pandas.read_sql, CSV engine", read_sql_csv),
        ("cursor.fetch_dataframe, CSV", frame_csv),
    ):
        figures.row(
            "aws-sdk-pandas read_sql_query",
            f"{wrangler:.2f} s",
            f"{label} {ours:.2f} s",
            f"{wrangler / ours:.2f}x slower",
            ">= 3x slower",
        )


def http_client(endpoint: str, latency: float) -> Any:
    """A boto3 client of ``endpoint`` that sleeps ``latency`` before each request."""
    import boto3

    client = boto3.client(
        "redshift-data", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="local", aws_secret_access_key="local",
    )  # fmt: skip
    if latency:
        client.meta.events.register("before-send.redshift-data.*", lambda **_: time.sleep(latency))
    return client


def wrangler_read(client: Any, sql: str) -> Any:
    """aws-sdk-pandas' Data API read on ``client`` (None when awswrangler is not installed)."""
    try:
        import awswrangler as wr
    except ImportError:
        return None
    # A short poll interval, so that its figure is its fetch, not its waiting.
    import boto3

    session = boto3.Session(
        region_name="us-east-1", aws_access_key_id="local", aws_secret_access_key="local"
    )
    con = wr.data_api.redshift.RedshiftDataApi(
        cluster_id="local", database="dev", sleep=0.01, boto3_session=session
    )
    con.client = client
    con.waiter.client = client
    return wr.data_api.redshift.read_sql_query(sql, con=con)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.02, help="simulated round trip (s)")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--memory-rows", type=int, default=1_000_000)
    parser.add_argument("--skip", action="append", default=[], choices=["pandas", "memory", "http"])
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs per figure")
    parser.add_argument(
        "--json-parser",
        choices=["default", "stdlib"],
        default="default",
        help="stdlib: decode pages with json even when orjson is installed",
    )
    args = parser.parse_args(argv)
    global REPEAT
    REPEAT = max(1, args.repeat)
    if args.json_parser == "stdlib":
        from redshift_dataapi.results import json_pages

        json_pages._loads = json.loads
        json_pages._dumps = json_pages._stdlib_dumps
    pandas = "pandas" not in args.skip
    header = ["figure", "ours", "baseline", "ratio", "target", "runs of ours (s)"]
    per_call = f"{args.latency * 1000:g} ms"

    svc = LocalDataAPI("duckdb")
    try:
        figures = fetch_figures(
            inprocess_client(svc, latency_seconds=args.latency),
            args.rows,
            pandas=pandas,
            new_client=lambda: inprocess_client(svc, latency_seconds=args.latency),
        )
    finally:
        svc.close()
    table(
        f"{args.rows:,} x 8 mixed types, in-process endpoint, {per_call} simulated per call, "
        f"best of {REPEAT} run(s)",
        header,
        figures,
    )

    if "http" not in args.skip:
        with child_endpoint() as endpoint:
            figures = fetch_figures(
                http_client(endpoint, args.latency),
                args.rows,
                pandas=pandas,
                new_client=lambda: http_client(endpoint, args.latency),
            )
        table(
            f"The same over HTTP, the endpoint in a child process ({per_call} slept before "
            f"each request), best of {REPEAT} run(s)",
            header,
            figures,
        )

    if "memory" not in args.skip:
        table(
            "Peak client memory, CSV over HTTP (endpoint in a child process; tracemalloc counts "
            "Python objects, the Arrow pool pyarrow's buffers)",
            ["how", "rows", "tracemalloc peak", "Arrow pool peak"],
            bench_memory([args.memory_rows // 4, args.memory_rows]),
        )


if __name__ == "__main__":
    main()
