"""The endpoint's own objects of a new DuckDB database, built once and copied.

Every Data API database carries, in its hidden ``main`` schema, the tables,
views and macros of :func:`setup_statements`: COPY's load errors
(``loads.system_tables``), the recorded keys (:mod:`.keys`) and Redshift's
system views (``engines.system_views``, ``engines.pg_catalog``).  Running
those statements one by one is most of the cost of opening a database
(about 0.1 s: each ``CREATE VIEW`` binds its query), and databases are
opened often (every ``LocalDataAPI()``, every ``CREATE DATABASE``).

So a new database is filled by copying instead: the statements run once per
process and database name in a template, a DuckDB file in a temporary
directory, and each new database takes the template's catalog with
``COPY FROM DATABASE``, which keeps the objects as they are (some 10 ms).
The template is made when a name is opened the second time in a process:
a process that opens its database once (a script on ``local:``, the
``query`` command) runs the statements and writes no file.
The result is the same objects with the same columns and definitions
(``tests/unit/local/duckdb_engine/test_template.py`` compares them).  The
statements name the database (``WHERE database_name = 'dev'``), hence one
template per name.

A database that already has a file runs the statements themselves, so that
an older file gets the current views.  Any failure to build or copy a
template (no writable temporary directory, a forked process whose parent
removed it) falls back to the statements, which create whatever is missing
(``CREATE OR REPLACE`` / ``IF NOT EXISTS``).
"""

from __future__ import annotations

import atexit
import itertools
import logging
import os
import shutil
import tempfile
import threading

import duckdb

from ...loads.system_tables import duckdb_setup as load_errors_setup
from ...translate.tokens import quote_identifier, quote_literal
from ..system_views import duckdb_setup as system_views_setup
from .keys import setup as keys_setup
from .settings import instance_setup

__all__ = ["fill", "setup_statements"]

logger = logging.getLogger(__name__)

_lock = threading.Lock()
#: Database name -> template file, for the process that built them (_owner).
_templates: dict[str, str] = {}
#: Names opened once by that process (their second opening makes the template).
_opened: set[str] = set()
_numbers = itertools.count()
_owner: int | None = None
_directory: str | None = None


def setup_statements(database: str) -> list[str]:
    """The statements creating the endpoint's objects in DuckDB database ``database``."""
    return [
        # COPY's STL_LOAD_ERRORS and SYS_LOAD_ERROR_DETAIL (see loads.system_tables).
        *load_errors_setup(database),
        # Informational keys, recorded instead of enforced (see .keys).
        *keys_setup(database),
        # SVV_TABLE_INFO, PG_TABLE_DEF, pg_catalog... (see engines.system_views).
        *system_views_setup(database),
    ]


def _remove(directory: str, owner: int) -> None:
    # Only the process that made the directory removes it (not a forked child).
    if os.getpid() == owner:
        shutil.rmtree(directory, ignore_errors=True)


def _second_opening(database: str) -> bool:
    """True when this process opened ``database`` before (call with _lock held)."""
    global _owner, _directory
    if _owner != os.getpid():
        # First use, or a child process forked from the one that built the templates.
        _templates.clear()
        _opened.clear()
        _owner, _directory = os.getpid(), None
    if database in _opened:
        return True
    _opened.add(database)
    return False


def _template(database: str) -> str:
    """The template file of ``database``, built on first use (call with _lock held)."""
    global _directory
    if _directory is None:
        _directory = tempfile.mkdtemp(prefix="redshift-dataapi-duckdb-")
        atexit.register(_remove, _directory, os.getpid())
    file = _templates.get(database)
    if file is not None and os.path.exists(file):
        return file
    file = os.path.join(_directory, f"{next(_numbers)}.duckdb")
    builder = duckdb.connect(":memory:")
    try:
        # The same instance settings and steps as the engine's own databases.
        for statement in instance_setup(quote_identifier(database), quote_literal(file)):
            builder.execute(statement)
        for statement in setup_statements(database):
            builder.execute(statement)
        builder.execute("USE memory")
        builder.execute(f"DETACH {quote_identifier(database)}")
    finally:
        builder.close()
    _templates[database] = file
    return file


def fill(instance: duckdb.DuckDBPyConnection, database: str, new: bool) -> None:
    """Create the endpoint's objects in ``database``, ATTACHed to ``instance`` and current.

    ``new``: the database is empty (in memory, or a file just created), so
    the template may be copied; otherwise the statements run.
    """
    with _lock:
        copy = new and _second_opening(database)
    if copy:
        alias = quote_identifier(database + "__template")
        try:
            with _lock:
                file = _template(database)
                instance.execute(f"ATTACH {quote_literal(file)} AS {alias} (READ_ONLY)")
                try:
                    instance.execute(f"COPY FROM DATABASE {alias} TO {quote_identifier(database)}")
                finally:
                    instance.execute(f"DETACH {alias}")
            return
        except (duckdb.Error, OSError) as exc:
            logger.debug("template of database %s not used: %s", database, exc)
    for statement in setup_statements(database):
        instance.execute(statement)
