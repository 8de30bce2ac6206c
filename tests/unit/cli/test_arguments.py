"""Argument parsing, settings and the one-line errors, before any request is sent."""

from __future__ import annotations

import argparse
from typing import Any

import botocore.session
import pytest

from redshift_dataapi._core.settings import CONNECT_PARAMS, LOCAL_REGION, env_name
from redshift_dataapi.cli import app as cli
from redshift_dataapi.cli import settings as cli_settings
from redshift_dataapi.cli.errors import UsageError
from redshift_dataapi.cli.verbs import build_request, flag_name, target_members, verb_name

ENV_NAMES = [env_name(keyword) for keyword in CONNECT_PARAMS]
SERVICE_MODEL = botocore.session.get_session().get_service_model("redshift-data")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


def parse(*argv: str) -> argparse.Namespace:
    return cli.build_parser().parse_args(list(argv))


def request_of(*argv: str) -> dict[str, Any]:
    args = parse(*argv)
    request, _settings = build_request(args, args.operation)
    return request


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _required_flags(operation: str) -> list[str]:
    """The flags a verb cannot go without, each with a value the model accepts."""
    shape = SERVICE_MODEL.operation_model(operation).input_shape
    words: list[str] = []
    for member in sorted(set(shape.required_members) - set(target_members(shape))):
        words += [flag_name(member), "x" * max(1, shape.members[member].metadata.get("min", 1))]
    return words


def test_every_operation_of_the_model_is_a_verb_with_the_aws_cli_name() -> None:
    parser = cli.build_parser()
    commands = next(
        action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
    )
    verbs = {verb_name(op) for op in SERVICE_MODEL.operation_names}
    assert "execute-statement" in verbs and "get-statement-result-v2" in verbs
    assert verbs <= set(commands.choices)
    assert set(commands.choices) - verbs == {"query", "demo", "local"}
    for operation in SERVICE_MODEL.operation_names:
        args = parser.parse_args([verb_name(operation), *_required_flags(operation)])
        assert (args.command, args.operation) == (verb_name(operation), operation)


def test_execute_statement_request_from_flags() -> None:
    request = request_of(
        "execute-statement",
        "--sql",
        "select :a",
        "--cluster-identifier",
        "c1",
        "--database",
        "dev",
        "--db-user",
        "u",
        "--parameters",
        "name=a,value=1",
        "--with-event",
        "--session-keep-alive-seconds",
        "60",
        "--result-format",
        "CSV",
        "--statement-name",
        "nightly",
    )
    assert request == {
        "Sql": "select :a",
        "ClusterIdentifier": "c1",
        "Database": "dev",
        "DbUser": "u",
        "Parameters": [{"name": "a", "value": "1"}],
        "WithEvent": True,
        "SessionKeepAliveSeconds": 60,
        "ResultFormat": "CSV",
        "StatementName": "nightly",
    }


def test_batch_sqls_take_several_values_and_no_with_event() -> None:
    request = request_of(
        "batch-execute-statement",
        "--sqls",
        "select 1",
        "select 2",
        "--workgroup-name",
        "wg",
        "--database",
        "dev",
        "--no-with-event",
    )
    assert request["Sqls"] == ["select 1", "select 2"]
    assert request["WithEvent"] is False
    assert request["WorkgroupName"] == "wg"


def test_sql_from_a_file_url(tmp_path: Any) -> None:
    path = tmp_path / "q.sql"
    path.write_text("select 42")
    request = request_of(
        "execute-statement",
        "--sql",
        f"file://{path}",
        "--cluster-identifier",
        "c",
        "--database",
        "dev",
    )
    assert request["Sql"] == "select 42"


def test_target_and_database_come_from_the_driver_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDSHIFT_DATAAPI_CLUSTER_IDENTIFIER", "env-cluster")
    monkeypatch.setenv("REDSHIFT_DATAAPI_DATABASE", "envdb")
    request = request_of("list-schemas", "--schema-pattern", "demo%")
    assert request == {
        "ClusterIdentifier": "env-cluster",
        "Database": "envdb",
        "SchemaPattern": "demo%",
    }
    # A flag wins over the environment.
    assert request_of("list-schemas", "--database", "flagdb")["Database"] == "flagdb"


def test_filters_of_list_statements_never_come_from_env(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REDSHIFT_DATAAPI_CLUSTER_IDENTIFIER", "env-cluster")
    monkeypatch.setenv("REDSHIFT_DATAAPI_DATABASE", "envdb")
    assert request_of("list-statements", "--status", "ALL") == {"Status": "ALL"}


def test_session_id_runs_without_target() -> None:
    request = request_of("execute-statement", "--sql", "select 1", "--session-id", "s-1")
    assert request == {"Sql": "select 1", "SessionId": "s-1"}


def test_local_endpoint_defaults_target_and_database() -> None:
    request = request_of("list-tables", "--endpoint-url", "http://127.0.0.1:9439")
    assert request == {"ClusterIdentifier": "local", "Database": "dev"}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            [
                "list-schemas",
                "--cluster-identifier",
                "c",
                "--workgroup-name",
                "w",
                "--database",
                "d",
            ],
            "--cluster-identifier and --workgroup-name",
        ),
        (
            ["list-schemas", "--workgroup-name", "w", "--db-user", "u", "--database", "d"],
            "--db-user works with --cluster-identifier only",
        ),
        (
            [
                "list-schemas",
                "--cluster-identifier",
                "c",
                "--db-user",
                "u",
                "--secret-arn",
                "arn:x",
                "--database",
                "d",
            ],
            "--db-user and --secret-arn",
        ),
        (["list-schemas", "--cluster-identifier", "c"], "missing --database"),
        (["execute-statement", "--sql", "select 1", "--database", "d"], "missing target"),
        (["execute-statement", "--database", "d"], "required: --sql"),
        (["execute-statement", "--sql", "x", "--parameters", "nom=a"], "unknown key 'nom'"),
        (["describe-statement", "--id", "x", "--endpoint-url", "localhost:9"], "not a URL"),
        (["no-such-verb"], "invalid choice"),
        (["query"], "no SQL"),
        (["query", "select 1", "--file", "x.sql"], "not both"),
        (["query", "--file", "/nonexistent/x.sql"], "cannot read --file"),
        (["query", "select 1", "-p", "novalue"], "expected NAME=VALUE"),
        (
            ["query", "select 1", "--cluster-identifier", "c", "--workgroup-name", "w"],
            "--cluster-identifier and --workgroup-name",
        ),
        (["local", "serve", "--engine", "oracle"], "is not an engine"),
        (["local", "serve", "--port", "70000"], "is not a port number"),
        (["demo", "--workgroup-name", "w", "--db-user", "u"], "--db-user works with"),
    ],
)
def test_user_mistakes_give_one_line_and_a_usage_exit(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    status, out, err = run_main(capsys, *argv)
    assert status == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("redshift-dataapi: error: ")
    assert expected in lines[0]


def test_env_settings_are_checked_like_flags(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDSHIFT_DATAAPI_WORKGROUP_NAME", "w")
    status, _, err = run_main(
        capsys, "list-schemas", "--cluster-identifier", "c", "--database", "d"
    )
    assert status == 2
    assert "--cluster-identifier and --workgroup-name" in err


def test_debug_shows_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run_main(capsys, "--debug", "query")
    assert status == 2
    assert "Traceback" in err
    assert err.rstrip().splitlines()[-1].startswith("redshift-dataapi: error: ")


def test_the_command_builds_the_drivers_client(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    for name in ("AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    settings = cli_settings.resolve({"endpoint_url": "http://127.0.0.1:9439"})
    client = cli_settings.client_for(settings)
    assert client.meta.region_name == LOCAL_REGION
    assert client.meta.endpoint_url == "http://127.0.0.1:9439"
    # One retry layer, the driver's, on real AWS too (the query command used
    # to leave botocore's on there).
    real = cli_settings.resolve(
        {"workgroup_name": "wg1", "database": "d", "region_name": "eu-west-1"}
    )
    assert cli_settings.client_for(real).meta.config.retries["total_max_attempts"] == 1
    assert client.meta.config.retries["total_max_attempts"] == 1
    # Real AWS with no region is a clear error naming the flag.
    with pytest.raises(UsageError, match="no AWS region: give --region"):
        cli_settings.client_for(cli_settings.resolve({"cluster_identifier": "c", "database": "d"}))


def test_driver_errors_are_said_with_flags_or_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UsageError, match="--timeout must be a positive number"):
        cli_settings.resolve({"cluster_identifier": "c", "database": "d", "timeout": 0})
    monkeypatch.setenv(env_name("wait_time_seconds"), "99")
    with pytest.raises(UsageError, match=f"{env_name('wait_time_seconds')} must be between"):
        cli_settings.resolve({"cluster_identifier": "c", "database": "d"})
