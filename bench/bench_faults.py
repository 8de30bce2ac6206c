"""The driver's loads under 10% mixed server-side faults: lost, duplicated, half applied.

Run:  python bench/bench_faults.py [--rows 10000] [--chunk 20] [--rate 0.10] [--seed 0]
                                   [--engine duckdb|postgresql|postgresql://DSN]
                                   [--transport inprocess|http|both]

For each transport (in-process and HTTP) and each mode (autocommit, and one
transaction per chunk), ``--rows`` rows go through ``executemany`` in chunks
of ``--chunk`` while the local endpoint injects faults of every kind
(throttling, modeled 500s, HTML 502/503/504 pages, requests dropped, answers
dropped, cut or emptied after the service acted, slow answers) into
``--rate`` of all requests.  ``--engine postgresql`` starts a throwaway
PostgreSQL server (tests/pg_server.py).  The driver's backoff pauses are real.  Prints
per run: rows found, lost, duplicated, chunks half applied, wrong rowcounts,
PEP 249 errors seen by the loader and non-PEP 249 exceptions, and the faults
injected by kind.  Exit status 1 when anything was lost, duplicated, half
applied or raised outside PEP 249.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import redshift_dataapi
from redshift_dataapi.local import LocalServer, inprocess_client
from tests.engines import http_client, make_service
from tests.integration.driver.faulty_load import LoadReport, mixed_faults, run_load


def _one(engine: str, transport: str, autocommit: bool, args: argparse.Namespace) -> LoadReport:
    service = make_service(engine, f"bench-faults-{transport}-{autocommit}")
    server: LocalServer | None = None
    try:
        if transport == "http":
            server = LocalServer(service, host="127.0.0.1", port=0)
            server.start()
            client: Any = http_client(server.endpoint_url)
        else:
            client = inprocess_client(service)

        def connect(**kwargs: Any) -> redshift_dataapi.Connection:
            return redshift_dataapi.connect(
                "dev", cluster_identifier="local", client=client, **kwargs
            )

        plan = mixed_faults(args.rate, seed=args.seed)
        report = run_load(
            connect, plan, service, rows=args.rows, chunk=args.chunk, autocommit=autocommit
        )
        report.mode = f"{transport}/{report.mode}"
        return report
    finally:
        if server is not None:
            server.stop()
        service.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--chunk", type=int, default=20)
    parser.add_argument("--rate", type=float, default=0.10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--engine", default="duckdb")
    parser.add_argument("--transport", choices=["inprocess", "http", "both"], default="both")
    args = parser.parse_args(argv)
    if args.engine == "postgresql":
        from tests.pg_server import postgres_server

        with postgres_server() as dsn:
            return _all(dsn, args)
    return _all(args.engine, args)


def _all(engine: str, args: argparse.Namespace) -> int:
    transports = ["inprocess", "http"] if args.transport == "both" else [args.transport]
    bad = 0
    engine_name = engine.split(":", 1)[0]
    print(f"engine={engine_name} rows={args.rows} chunk={args.chunk} fault_rate={args.rate:g}")
    for transport in transports:
        for autocommit in (True, False):
            report = _one(engine, transport, autocommit, args)
            print(report.line())
            kinds = ", ".join(f"{k}={n}" for k, n in sorted(report.faults.items()) if n)
            print(f"    faults by kind: {kinds}")
            for text in report.other_errors[:5]:
                print(f"    non-PEP 249: {text}")
            bad += report.lost + report.duplicated + report.half_applied + len(report.other_errors)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
