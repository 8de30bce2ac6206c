"""CLI tests run on the embedded DuckDB engine only.

The command is a thin layer over the driver and the endpoint; both engines
are covered by their own suites, so running every CLI test on PostgreSQL as
well would only double the time.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from redshift_dataapi._core.settings import ENV_PREFIX

CONSOLE_SCRIPT = Path(sys.executable).with_name("redshift-dataapi")
PROJECT_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def engine_spec() -> str:
    return "duckdb"


def command() -> list[str]:
    """How to start the installed command in a subprocess."""
    if CONSOLE_SCRIPT.exists():
        return [str(CONSOLE_SCRIPT)]
    found = shutil.which("redshift-dataapi")
    return [found] if found else [sys.executable, "-m", "redshift_dataapi.cli"]


def subprocess_env() -> dict[str, str]:
    """The environment for the command in a subprocess: no driver settings, dummy AWS keys."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}
    # The subprocess imports this checkout, whatever an older install may map.
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p
    )
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_EC2_METADATA_DISABLED="true",
    )
    return env


@pytest.fixture(autouse=True)
def _no_driver_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)
