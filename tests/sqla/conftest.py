"""SQLAlchemy's dialect compliance suite against the local Data API endpoint.

SQLAlchemy's pytest plugin takes over test collection (it drops every test that is
not in a class), so it cannot share a process with the project's other tests.  It is
loaded only when this directory is what pytest was asked to run::

    python -m pytest tests/sqla -p no:randomly                 # DuckDB engine (default)
    REDSHIFT_DATAAPI_SQLA_ENGINE=postgresql python -m pytest tests/sqla
    python -m pytest tests/sqla --dburi "redshift+dataapi://local/dev?endpoint_url=local:postgresql://u@127.0.0.1:5432/"

``tests/integration/dialect/test_sqla_suite.py`` runs exactly these commands in a
subprocess, so the README's single ``python -m pytest`` runs the suite too.

Engine selection: ``--dburi`` wins; otherwise ``REDSHIFT_DATAAPI_SQLA_ENGINE``
(``duckdb``, the default, or ``postgresql``: a server from ``tests/pg_server.py``);
otherwise setup.cfg's ``[db] default``.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

ENGINE_ENV = "REDSHIFT_DATAAPI_SQLA_ENGINE"
_HERE = Path(__file__).parent.resolve()


def _asked_for_this_directory() -> bool:
    """True when pytest's path arguments point into tests/sqla (the plugin's own run)."""
    for arg in sys.argv[1:]:
        if arg.startswith("-"):
            continue
        path = Path(arg.split("::")[0]).resolve()
        if path == _HERE or _HERE in path.parents:
            return True
    return False


if _asked_for_this_directory():
    from sqlalchemy.dialects import registry

    # The entry point does this after `pip install`; registering keeps a source
    # checkout that was installed before the package existed working too.
    registry.register("redshift.dataapi", "sqlalchemy_dialect.dataapi", "RedshiftDataAPIDialect")
    pytest.register_assert_rewrite("sqlalchemy.testing.assertions")

    from sqlalchemy.testing.plugin import pytestplugin as _sqla_plugin
    from sqlalchemy.testing.plugin.pytestplugin import *  # noqa: F403

    from tests.sqla import provision as _provision  # noqa: F401  (registers hooks)

    _pg_server: contextlib.ExitStack | None = None

    @pytest.hookimpl(tryfirst=True)
    def pytest_cmdline_main(config: pytest.Config) -> None:
        """Run the suite in this one process, whatever ``-n`` pyproject.toml's addopts give.

        SQLAlchemy's plugin would give each pytest-xdist worker a database of its
        own (its "follower" provisioning), which the local endpoint has no use
        for; the suite runs serially, as the project's own run starts it in a
        subprocess beside the other tests anyway.
        """
        if getattr(config.option, "numprocesses", None) is not None:
            config.option.numprocesses = 0
            config.option.dist = "no"

    def pytest_configure(config: pytest.Config) -> None:
        """Pick the engine, create the suite's schemas, then hand over to SQLAlchemy."""
        global _pg_server
        for marker in (
            "backend",
            "sparse_backend",
            "sparse_driver_backend",
            "mypy",
            "timing_intensive",
            "memory_intensive",
        ):
            config.addinivalue_line("markers", f"{marker}: SQLAlchemy suite marker")
        if not config.option.dburi:
            engine = os.environ.get(ENGINE_ENV, "duckdb").strip().lower()
            if engine in ("postgres", "postgresql"):
                from tests.pg_server import postgres_server

                _pg_server = contextlib.ExitStack()
                try:
                    dsn = _pg_server.enter_context(postgres_server())
                except BaseException as exc:  # pytest.skip raises Skipped
                    raise pytest.UsageError(f"{ENGINE_ENV}=postgresql: {exc}") from None
                config.option.dburi = [_local_url(dsn)]
            elif engine != "duckdb":
                raise pytest.UsageError(
                    f"{ENGINE_ENV} must be 'duckdb' or 'postgresql', not {engine!r}"
                )
        _sqla_plugin.pytest_configure(config)

    def pytest_sessionstart(session: pytest.Session) -> None:
        _sqla_plugin.pytest_sessionstart(session)
        _create_schemas()

    def pytest_unconfigure(config: pytest.Config) -> None:
        if hasattr(_sqla_plugin, "pytest_unconfigure"):  # SQLAlchemy 2.x
            _sqla_plugin.pytest_unconfigure(config)
        if _pg_server is not None:
            _pg_server.close()

else:
    # A normal run: the suite runs in its own process (see the module docstring).
    collect_ignore_glob = ["test_*.py"]


def _local_url(dsn: str) -> str:
    return "redshift+dataapi://local/dev?endpoint_url=" + quote("local:" + dsn, safe=":")


def _create_schemas() -> None:
    """The suite expects ``test_schema`` and ``test_schema_2`` to exist."""
    from sqlalchemy import text
    from sqlalchemy.testing import config as sqla_config

    engine: Any = sqla_config.db
    with engine.begin() as conn:
        for name in ("test_schema", "test_schema_2"):
            conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {name}"))
