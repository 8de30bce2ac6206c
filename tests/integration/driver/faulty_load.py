"""A load through executemany under mixed server-side faults, and what it left in the table.

Shared by the test suite (a small run) and ``bench/bench_faults.py`` (the full
10,000 rows).  Rows are loaded in chunks, one ``executemany`` per chunk (one
multi-row INSERT, atomic on its own), in autocommit mode or one transaction
per chunk.  A chunk whose call raises a PEP 249 error is checked: it must be
in the table whole or not at all (never half), and is sent again only when it
is not there.  Any other exception is counted as a failure of the driver.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import redshift_dataapi
from redshift_dataapi.local import FaultKind, FaultPlan, FaultRule

__all__ = ["LoadReport", "mixed_faults", "run_load"]

TABLE = "load_target"


def mixed_faults(rate: float = 0.10, seed: int = 0, slow_seconds: float = 0.005) -> FaultPlan:
    """Faults of every kind, in equal shares adding up to ``rate`` of all requests."""
    kinds = list(FaultKind)
    return FaultPlan(
        [FaultRule(kind, rate / len(kinds)) for kind in kinds],
        seed=seed,
        slow_seconds=slow_seconds,
    )


@dataclass
class LoadReport:
    """What one load did and what it left in the table."""

    mode: str
    rows: int
    found: int = 0
    lost: int = 0
    duplicated: int = 0
    half_applied: int = 0
    wrong_rowcounts: int = 0
    #: PEP 249 errors the load saw (each followed by a check and, if needed, a resend).
    pep249_errors: list[str] = field(default_factory=list)
    #: Anything else: a failure of the driver.
    other_errors: list[str] = field(default_factory=list)
    faults: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def line(self) -> str:
        """One printable line of figures."""
        faults = sum(self.faults.values())
        return (
            f"{self.mode:<13} rows={self.rows} found={self.found} lost={self.lost} "
            f"duplicated={self.duplicated} half_applied={self.half_applied} "
            f"wrong_rowcounts={self.wrong_rowcounts} "
            f"pep249_errors={len(self.pep249_errors)} non_pep249={len(self.other_errors)} "
            f"faults_injected={faults} seconds={self.seconds:.1f}"
        )


def run_load(
    connect: Callable[..., redshift_dataapi.Connection],
    plan: FaultPlan,
    service: Any,
    *,
    rows: int,
    chunk: int = 250,
    autocommit: bool,
    max_retries: int = 10,
    sleep: Callable[[float], None] | None = None,
) -> LoadReport:
    """Load ``rows`` rows into a fresh table under ``plan``; return the figures.

    ``connect(**kwargs)`` makes connections to ``service``; ``sleep`` replaces
    the driver's backoff pauses (None: real ones).
    """
    report = LoadReport("autocommit" if autocommit else "transactional", rows)
    setup = connect(autocommit=True)
    setup.cursor().execute(f"CREATE TABLE {TABLE} (k INT, v VARCHAR(32))")
    conn = connect(autocommit=autocommit, max_retries=max_retries)
    observer = connect(autocommit=True, max_retries=max_retries)
    for c in (conn, observer):
        if sleep is not None:
            c.runner.sleep = sleep
    cur = conn.cursor()
    sql = f"INSERT INTO {TABLE} (k, v) VALUES (:k, :v)"
    started = time.monotonic()
    service.faults = plan
    try:
        for first in range(0, rows, chunk):
            params = [{"k": k, "v": f"row {k}"} for k in range(first, min(rows, first + chunk))]
            _load_chunk(conn, cur, observer, sql, params, report)
    finally:
        service.faults = None
        report.seconds = time.monotonic() - started
        report.faults = Counter({kind.value: plan.injected(kind) for kind in FaultKind})
    check = setup.cursor()
    found = check.execute(f"SELECT COUNT(*), COUNT(DISTINCT k) FROM {TABLE}").fetchone()
    assert found is not None
    report.found = int(found[0])
    report.duplicated = int(found[0]) - int(found[1])
    report.lost = rows - int(found[1])
    for c in (conn, observer, setup):
        c.close()
    return report


def _load_chunk(
    conn: redshift_dataapi.Connection,
    cur: redshift_dataapi.Cursor,
    observer: redshift_dataapi.Connection,
    sql: str,
    params: list[dict[str, Any]],
    report: LoadReport,
) -> None:
    low, high = params[0]["k"], params[-1]["k"]
    for _attempt in range(5):
        try:
            cur.executemany(sql, params)
            if cur.rowcount != len(params):
                report.wrong_rowcounts += 1
            if not conn.autocommit:
                conn.commit()
            return
        except redshift_dataapi.Error as exc:
            report.pep249_errors.append(f"{type(exc).__name__}: {exc}")
            if conn.in_transaction:
                conn.rollback()
        except Exception as exc:  # a driver failure: counted, and the chunk checked
            report.other_errors.append(f"{type(exc).__name__}: {exc}")
        present = _present(observer, low, high)
        if present == len(params):
            return  # it did happen (an unknown outcome that was a success)
        if present:
            report.half_applied += 1
            return


def _present(observer: redshift_dataapi.Connection, low: int, high: int) -> int:
    """Rows of keys low..high in the table (a read: asked again while the faults win)."""
    for _attempt in range(20):
        try:
            row = (
                observer.cursor()
                .execute(
                    f"SELECT COUNT(*) FROM {TABLE} WHERE k BETWEEN :low AND :high",
                    {"low": low, "high": high},
                )
                .fetchone()
            )
        except redshift_dataapi.OperationalError:
            continue
        return int(row[0]) if row else 0
    raise AssertionError("the check query never got through the faults")
