"""The AWS-CLI-shaped verbs over HTTP against the local endpoint."""

from __future__ import annotations

import json
import socket
import subprocess
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from redshift_dataapi.cli import app as cli
from tests.integration.cli.conftest import command, subprocess_env


class Cli:
    """Runs the command in-process against one endpoint URL."""

    def __init__(self, url: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.url = url
        self.capsys = capsys

    def run(self, *argv: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        status = cli.main([*argv, "--endpoint-url", self.url])
        out, err = self.capsys.readouterr()
        return status, out, err

    def json(self, *argv: str) -> Any:
        status, out, err = self.run(*argv)
        assert status == 0, err
        return json.loads(out)

    def execute(self, sql: str, *extra: str) -> str:
        response = self.json("execute-statement", "--sql", sql, "--wait-time-seconds", "10", *extra)
        statement_id: str = response["Id"]
        described = self.json(
            "describe-statement", "--id", statement_id, "--wait-time-seconds", "10"
        )
        assert described["Status"] == "FINISHED", described
        return statement_id


@pytest.fixture
def aws(http_endpoint: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(http_endpoint, capsys)


@pytest.fixture
def paged_endpoint(request: pytest.FixtureRequest) -> Iterator[str]:
    """An HTTP endpoint whose result pages hold only a few hundred bytes."""
    from redshift_dataapi.local import LocalServer
    from tests.engines import make_service

    service = make_service("duckdb", request.node.nodeid, page_size_bytes=200)
    try:
        with LocalServer(service, host="127.0.0.1", port=0) as server:
            yield server.endpoint_url
    finally:
        service.close()


def test_execute_describe_and_get_result(aws: Cli) -> None:
    aws.execute("CREATE TABLE pets (id INT, name VARCHAR(20), born DATE)")
    aws.execute(
        "INSERT INTO pets VALUES (:id, :name, :born)",
        "--parameters",
        "name=id,value=1",
        "name=name,value=Rex, the dog",
        "name=born,value=2020-02-29",
    )
    aws.execute(
        "INSERT INTO pets VALUES (:id, :name, NULL)",
        "--parameters",
        '[{"name": "id", "value": "2"}, {"name": "name", "value": "Tom"}]',
    )
    statement_id = aws.execute("SELECT id, name, born FROM pets ORDER BY id")
    described = aws.json("describe-statement", "--id", statement_id)
    assert described["Id"] == statement_id
    assert described["HasResultSet"] is True
    assert described["ResultRows"] == 2
    # Timestamps print in ISO 8601, as the AWS CLI prints them.
    assert "T" in described["CreatedAt"]
    result = aws.json("get-statement-result", "--id", statement_id)
    assert [c["name"] for c in result["ColumnMetadata"]] == ["id", "name", "born"]
    assert result["TotalNumRows"] == 2
    assert result["Records"] == [
        [{"longValue": 1}, {"stringValue": "Rex, the dog"}, {"stringValue": "2020-02-29"}],
        [{"longValue": 2}, {"stringValue": "Tom"}, {"isNull": True}],
    ]


def test_csv_result_format_and_get_statement_result_v2(aws: Cli) -> None:
    statement_id = aws.execute("SELECT 1 AS a, 'x' AS b", "--result-format", "CSV")
    result = aws.json("get-statement-result-v2", "--id", statement_id)
    assert result["ResultFormat"] == "CSV"
    text = "".join(r["CSVRecords"] for r in result["Records"])
    assert text.strip().splitlines()[-1] == "1,x"


def test_batch_and_list_statements(aws: Cli) -> None:
    response = aws.json(
        "batch-execute-statement",
        "--sqls",
        "CREATE TABLE b (x INT)",
        "INSERT INTO b VALUES (1), (2)",
        "--statement-name",
        "loader",
        "--wait-time-seconds",
        "10",
    )
    described = aws.json("describe-statement", "--id", response["Id"], "--wait-time-seconds", "10")
    assert described["Status"] == "FINISHED"
    assert len(described["SubStatements"]) == 2
    listed = aws.json("list-statements", "--status", "ALL", "--statement-name", "loader")
    assert [s["Id"] for s in listed["Statements"]] == [response["Id"]]


def test_catalog_verbs(aws: Cli) -> None:
    aws.execute("CREATE SCHEMA demo")
    aws.execute("CREATE TABLE demo.green_201601 (vendorid VARCHAR(4), ratecode INT)")
    aws.execute("CREATE TABLE demo.yellow (x INT)")
    assert "dev" in aws.json("list-databases")["Databases"]
    assert aws.json("list-schemas", "--schema-pattern", "demo%")["Schemas"] == ["demo"]
    tables = aws.json("list-tables", "--schema-pattern", "demo", "--table-pattern", "green%")
    assert [(t["schema"], t["name"]) for t in tables["Tables"]] == [("demo", "green_201601")]
    described = aws.json("describe-table", "--schema", "demo", "--table", "green_201601")
    assert described["TableName"] == "green_201601"
    assert [(c["name"], c["typeName"]) for c in described["ColumnList"]] == [
        ("vendorid", "varchar"),
        ("ratecode", "int4"),
    ]


def test_pages_are_followed_and_merged(
    paged_endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    aws = Cli(paged_endpoint, capsys)
    aws.execute("CREATE TABLE n (i INT, t VARCHAR(40))")
    values = ",".join(f"({i}, 'row number {i:04d} padded out')" for i in range(60))
    aws.execute(f"INSERT INTO n VALUES {values}")
    statement_id = aws.execute("SELECT i, t FROM n ORDER BY i")
    one_page = aws.json("get-statement-result", "--id", statement_id, "--no-paginate")
    assert "NextToken" in one_page  # the service really pages this result
    merged = aws.json("get-statement-result", "--id", statement_id)
    assert "NextToken" not in merged
    assert [r[0]["longValue"] for r in merged["Records"]] == list(range(60))
    first = aws.json("get-statement-result", "--id", statement_id, "--max-items", "7")
    assert len(first["Records"]) == 7
    rest = aws.json(
        "get-statement-result", "--id", statement_id, "--starting-token", first["NextToken"]
    )
    assert [r[0]["longValue"] for r in first["Records"] + rest["Records"]] == list(range(60))


def test_list_tables_page_size_still_lists_everything(aws: Cli) -> None:
    for name in ("t1", "t2", "t3"):
        aws.execute(f"CREATE TABLE {name} (x INT)")
    tables = aws.json(
        "list-tables", "--schema-pattern", "public", "--table-pattern", "t%", "--page-size", "1"
    )
    assert sorted(t["name"] for t in tables["Tables"]) == ["t1", "t2", "t3"]


def _one_error_line(status: int, out: str, err: str) -> str:
    assert status != 0
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("redshift-dataapi: error: ")
    return lines[0]


def test_unknown_statement_id_is_one_line(aws: Cli) -> None:
    unknown = str(uuid.uuid4())
    line = _one_error_line(*aws.run("describe-statement", "--id", unknown))
    assert "DescribeStatement" in line
    line = _one_error_line(*aws.run("get-statement-result", "--id", unknown))
    assert "GetStatementResult" in line


def test_service_validation_error_is_one_line(aws: Cli) -> None:
    line = _one_error_line(*aws.run("describe-statement", "--id", "not-a-uuid"))
    assert "ValidationException" in line


def test_bad_sql_fails_the_statement_with_the_database_message(aws: Cli) -> None:
    response = aws.json("execute-statement", "--sql", "SELECT * FROM no_such_table")
    described = aws.json("describe-statement", "--id", response["Id"], "--wait-time-seconds", "10")
    assert described["Status"] == "FAILED"
    assert "no_such_table" in described["Error"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("argv", [["list-databases"], ["query", "SELECT 1"], ["demo"]])
def test_endpoint_down_is_one_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    status = cli.main([*argv, "--endpoint-url", url])
    out, err = capsys.readouterr()
    # The demo prints its progress before the first call fails.
    line = _one_error_line(status, "" if argv == ["demo"] else out, err)
    assert "could not connect" in line and url in line


def test_missing_credentials_on_real_aws_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    status = cli.main(
        [
            "list-databases",
            "--cluster-identifier",
            "c",
            "--database",
            "dev",
            "--region",
            "us-east-1",
        ]
    )
    out, err = capsys.readouterr()
    line = _one_error_line(status, out, err)
    assert "no AWS credentials" in line


def test_installed_command_in_a_subprocess(http_endpoint: str) -> None:
    done = subprocess.run(
        [
            *command(),
            "execute-statement",
            "--endpoint-url",
            http_endpoint,
            "--sql",
            "SELECT 42 AS answer",
            "--wait-time-seconds",
            "10",
        ],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    statement_id = json.loads(done.stdout)["Id"]
    done = subprocess.run(
        [*command(), "get-statement-result", "--id", statement_id, "--endpoint-url", http_endpoint],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Records"] == [[{"longValue": 42}]]
    done = subprocess.run(
        [
            *command(),
            "list-schemas",
            "--endpoint-url",
            http_endpoint,
            "--cluster-identifier",
            "c",
            "--workgroup-name",
            "w",
        ],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_query_picks_from_the_response_like_the_aws_cli(aws: Cli) -> None:
    aws.execute("CREATE SCHEMA demo")
    assert aws.json("list-schemas", "--query", "Schemas[?starts_with(@, 'dem')]") == ["demo"]
    status, out, err = aws.run("list-schemas", "--query", "Schemas[")
    assert status == 2 and out == "" and len(err.splitlines()) == 1
    assert "--query" in err
