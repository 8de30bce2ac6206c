"""A new database copied from the template has what the setup statements make."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from redshift_dataapi.local.engines import create_engine
from redshift_dataapi.local.engines.duckdb import template
from redshift_dataapi.local.engines.duckdb.engine import DuckDBEngine
from redshift_dataapi.local.engines.duckdb.settings import instance_setup

# Everything the endpoint keeps in a database, without the oids (they differ per instance).
_CATALOG = {
    "tables": "SELECT schema_name, table_name, sql FROM duckdb_tables()"
    " WHERE database_name = $1 ORDER BY ALL",
    "views": "SELECT schema_name, view_name, internal, temporary, column_count, comment"
    " FROM duckdb_views() WHERE database_name = $1 ORDER BY ALL",
    "macros": "SELECT schema_name, function_name, function_type, macro_definition,"
    " CAST(parameters AS VARCHAR), CAST(parameter_types AS VARCHAR)"
    " FROM duckdb_functions() WHERE database_name = $1 ORDER BY ALL",
    "schemas": "SELECT schema_name FROM duckdb_schemas() WHERE database_name = $1 ORDER BY ALL",
}


def _catalog(instance: Any, database: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        k: instance.execute(q, [database]).fetchall() for k, q in _CATALOG.items()
    }
    for schema, view, *_ in out["views"]:
        # The columns (names and types) each view answers with.
        out[f"{schema}.{view}"] = instance.execute(
            f'DESCRIBE "{database}"."{schema}"."{view}"'
        ).fetchall()
    return out


def _by_statements(database: str) -> dict[str, Any]:
    instance = duckdb.connect(":memory:")
    try:
        for statement in instance_setup(f'"{database}"', "':memory:'"):
            instance.execute(statement)
        for statement in template.setup_statements(database):
            instance.execute(statement)
        return _catalog(instance, database)
    finally:
        instance.close()


def _of_engine(engine: DuckDBEngine, database: str) -> dict[str, Any]:
    db = engine._get(database)
    with db.lock:
        return _catalog(db.instance, database)


def _open(database: str) -> dict[str, Any]:
    """The catalog of ``database`` in a new engine."""
    engine = create_engine("duckdb")
    assert isinstance(engine, DuckDBEngine)
    try:
        if database != "dev":
            engine.create_database(database)
        return _of_engine(engine, database)
    finally:
        engine.close()


@pytest.mark.parametrize("database", ["dev", "sales"])
def test_a_database_copied_from_the_template_has_every_object_of_the_statements(
    database: str,
) -> None:
    _open(database)
    # Opened before in this process: this one is copied from the template.
    got = _open(database)
    assert database in template._templates
    expected = _by_statements(database)
    assert len(got["views"]) > 20 and len(got["macros"]) > 20
    assert got == expected


def test_the_first_opening_in_a_process_writes_no_template(tmp_path: Path) -> None:
    # A one-shot process (a script on local:, the query command) pays for no file.
    script = (
        "import os, tempfile\n"
        f"tempfile.tempdir = {str(tmp_path)!r}\n"
        "from redshift_dataapi.local.engines import create_engine\n"
        "engine = create_engine('duckdb')\n"
        "c = engine.connect('dev')\n"
        "assert c.execute('SELECT count(*) FROM svv_columns').rows == [(0,)]\n"
        "engine.release(c)\n"
        "engine.close()\n"
        "print(os.listdir(tempfile.gettempdir()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_without_a_template_the_statements_make_the_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unavailable(database: str) -> str:
        raise OSError("no temporary directory")

    monkeypatch.setattr(template, "_template", unavailable)
    for _ in range(2):  # the second opening would copy the template
        engine = create_engine("duckdb")
        assert isinstance(engine, DuckDBEngine)
        try:
            assert _of_engine(engine, "dev") == _by_statements("dev")
            c = engine.connect("dev")
            try:
                assert c.execute("SELECT count(*) FROM svv_table_info").rows == [(0,)]
            finally:
                engine.release(c)
        finally:
            engine.close()


def test_an_existing_file_gets_the_current_objects(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    first = create_engine(f"duckdb:{path}")
    assert isinstance(first, DuckDBEngine)
    try:
        # A file written by an older version: one system view missing, another outdated.
        db = first._get("dev")
        with db.lock:
            db.instance.execute('DROP VIEW "dev".main.svv_table_info')
            db.instance.execute('CREATE OR REPLACE VIEW "dev".main.pg_table_def AS SELECT 1 AS x')
    finally:
        first.close()
    second = create_engine(f"duckdb:{path}")
    assert isinstance(second, DuckDBEngine)
    try:
        assert _of_engine(second, "dev") == _by_statements("dev")
    finally:
        second.close()
