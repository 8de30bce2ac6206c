"""SQLAlchemy's dialect compliance suite (tests/sqla), run from the normal test run.

SQLAlchemy's pytest plugin takes over collection, so the suite runs in its own
pytest process; this test runs that process and fails with its output when any test
of the suite fails.  The pass/skip counts are printed (``pytest -s`` shows them).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run_suite(*extra: str) -> str:
    env = dict(os.environ)
    env.pop("REDSHIFT_DATAAPI_SQLA_ENGINE", None)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/sqla",
            "-q",
            "-p",
            "no:cacheprovider",
            "--tb=short",
            "-rfE",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    print(f"SQLAlchemy suite {' '.join(extra) or '(DuckDB)'}: {summary}")
    assert proc.returncode == 0, proc.stdout[-20000:] + proc.stderr[-5000:]
    assert re.search(r"\d+ passed", summary) and "failed" not in summary, summary
    return summary


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_sqlalchemy_suite_on_duckdb() -> None:
    run_suite()


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.timeout(1500)
def test_sqlalchemy_suite_on_postgresql(pg_dsn: str) -> None:
    from tests.sqla.conftest import _local_url

    run_suite("--dburi", _local_url(pg_dsn))
