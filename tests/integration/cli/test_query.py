"""``redshift-dataapi query`` against the local endpoint over HTTP."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from typing import Any

import pytest

from redshift_dataapi.cli import app as cli

ROWS_SQL = (
    "SELECT 1 AS id, 'Rex' AS name, CAST(12.50 AS NUMERIC(10,2)) AS price, "
    "CAST('2016-01-02 03:04:05' AS TIMESTAMP) AS seen, CAST(NULL AS VARCHAR) AS note "
    "UNION ALL SELECT 22, 'Tom', 3.00, CAST('2016-01-03 00:00:00' AS TIMESTAMP), 'x' "
    "ORDER BY 1"
)


class Query:
    def __init__(self, url: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.url = url
        self.capsys = capsys

    def run(self, *argv: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        status = cli.main(["query", *argv, "--endpoint-url", self.url])
        out, err = self.capsys.readouterr()
        return status, out, err

    def ok(self, *argv: str) -> str:
        status, out, err = self.run(*argv)
        assert status == 0, err
        return out


@pytest.fixture
def query(http_endpoint: str, capsys: pytest.CaptureFixture[str]) -> Query:
    return Query(http_endpoint, capsys)


def test_table_output(query: Query) -> None:
    lines = query.ok(ROWS_SQL).splitlines()
    assert [c.strip() for c in lines[0].split("|")] == ["id", "name", "price", "seen", "note"]
    first = [c.strip() for c in lines[2].split("|")]
    assert first == ["1", "Rex", "12.50", "2016-01-02 03:04:05", "NULL"]
    assert lines[3].split("|")[0] == "22 "  # numbers right-aligned under "id"
    assert lines[-1] == "(2 rows)"


def test_json_output(query: Query) -> None:
    rows = json.loads(query.ok(ROWS_SQL, "--output", "json"))
    assert rows == [
        {"id": 1, "name": "Rex", "price": "12.50", "seen": "2016-01-02T03:04:05", "note": None},
        {"id": 22, "name": "Tom", "price": "3.00", "seen": "2016-01-03T00:00:00", "note": "x"},
    ]


def test_csv_output_with_csv_result_format(query: Query) -> None:
    out = query.ok(ROWS_SQL, "-o", "csv", "--result-format", "csv")
    assert list(csv.reader(io.StringIO(out))) == [
        ["id", "name", "price", "seen", "note"],
        ["1", "Rex", "12.50", "2016-01-02 03:04:05", ""],
        ["22", "Tom", "3.00", "2016-01-03 00:00:00", "x"],
    ]


def test_sql_from_stdin_and_file(
    query: Query, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("SELECT 7 AS seven"))
    assert json.loads(query.ok("-", "-o", "json")) == [{"seven": 7}]
    path = tmp_path / "q.sql"
    path.write_text("SELECT 'from a file' AS source\n")
    assert json.loads(query.ok("--file", str(path), "-o", "json")) == [{"source": "from a file"}]


def test_parameters_ddl_and_dml(query: Query) -> None:
    assert query.ok("CREATE TABLE t (id INT, name VARCHAR(10))").strip() == "OK"
    out = query.ok("INSERT INTO t VALUES (:id, :name)", "-p", "id=5", "-p", "name=a=b")
    assert out.strip() == "OK, 1 row affected"
    rows = json.loads(query.ok("SELECT id, name FROM t WHERE id = :id", "-p", "id=5", "-o", "json"))
    assert rows == [{"id": 5, "name": "a=b"}]


def test_refetch_by_statement_id(query: Query, http_endpoint: str) -> None:
    import redshift_dataapi

    with redshift_dataapi.connect(
        endpoint_url=http_endpoint,
        cluster_identifier="local",
        database="dev",
        region_name="us-east-1",
        autocommit=True,
    ) as conn:
        cursor = conn.cursor()
        cursor.execute("SELECT 3 AS n UNION ALL SELECT 4 ORDER BY 1")
        statement_id = cursor.statement_id
    assert statement_id
    assert json.loads(query.ok("--id", statement_id, "-o", "json")) == [{"n": 3}, {"n": 4}]


def _one_line(status: int, out: str, err: str) -> str:
    assert status == 1
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("redshift-dataapi: error: ")
    return lines[0]


def test_bad_sql_is_one_line_with_the_message_and_statement_id(query: Query) -> None:
    line = _one_line(*query.run("SELECT * FROM no_such_table"))
    assert "no_such_table" in line
    assert re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", line)


def test_unknown_database_is_one_line(query: Query) -> None:
    line = _one_line(*query.run("SELECT 1", "--database", "no_such_db"))
    assert "no_such_db" in line


def test_unknown_statement_id_is_one_line(query: Query) -> None:
    line = _one_line(*query.run("--id", "00000000-0000-4000-8000-000000000000"))
    assert "00000000-0000-4000-8000-000000000000" in line


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_shows_a_status_line_and_clears_it(
    query: Query, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    out = query.ok("SELECT 5 AS five", "-o", "json")
    assert json.loads(out) == [{"five": 5}]
    written = terminal.getvalue()
    # The driver's progress callback drew the status line, then it was erased:
    # the terminal's line ends empty.
    assert re.search(r"FINISHED +[0-9.]+s  statement [0-9a-f-]{36}", written), written
    assert written.endswith("\r\x1b[K")


def test_terminal_failed_statement_is_one_line(
    query: Query, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    status = cli.main(["query", "SELECT * FROM missing_t", "--endpoint-url", query.url])
    assert status == 1
    last = terminal.getvalue().split("\r\x1b[K")[-1]
    assert last.startswith("redshift-dataapi: error: ")
    assert "missing_t" in last and last.count("\n") == 1
    assert re.search(r"statement [0-9a-f]{8}-", last)


def test_settings_from_the_driver_environment(
    http_endpoint: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REDSHIFT_DATAAPI_ENDPOINT_URL", http_endpoint)
    monkeypatch.setenv("REDSHIFT_DATAAPI_CLUSTER_IDENTIFIER", "local")
    monkeypatch.setenv("REDSHIFT_DATAAPI_DATABASE", "dev")
    status = cli.main(["query", "SELECT 'env' AS source", "-o", "json"])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert json.loads(out) == [{"source": "env"}]
    monkeypatch.setenv("REDSHIFT_DATAAPI_DATABASE", "no_such_db")
    status = cli.main(["query", "SELECT 1"])
    _, err = capsys.readouterr()
    assert status == 1 and "no_such_db" in err
