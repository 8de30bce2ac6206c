"""connect() keywords, environment defaults, validation; error mapping."""

from __future__ import annotations

from typing import Any

import pytest

import redshift_dataapi
from redshift_dataapi import errors
from redshift_dataapi._core import settings as config
from redshift_dataapi.errors import ConfigurationError


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in config.CONNECT_PARAMS:
        monkeypatch.delenv(config.ENV_PREFIX + name.upper(), raising=False)


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"cluster_identifier": "c", "workgroup_name": "w"}, "workgroup_name"),
        ({}, "cluster_identifier"),
        ({"cluster_identifier": "c", "secret_arn": "arn:x", "db_user": "u"}, "db_user"),
        ({"workgroup_name": "wg1", "db_user": "u"}, "db_user"),
        ({"cluster_identifier": "c", "result_format": "xml"}, "result_format"),
        ({"cluster_identifier": "c", "timeout": -1}, "timeout"),
        (
            {"cluster_identifier": "c", "session_keep_alive_seconds": 90000},
            "session_keep_alive_seconds",
        ),
        ({"cluster_identifier": "c", "wait_time_seconds": 31}, "wait_time_seconds"),
    ],
)
def test_wrong_combinations_raise_naming_the_keywords(kwargs: dict[str, Any], named: str) -> None:
    with pytest.raises(ConfigurationError, match=named):
        redshift_dataapi.connect("dev", region_name="us-east-1", **kwargs)


def test_database_is_required_without_a_secret() -> None:
    with pytest.raises(ConfigurationError, match="database"):
        redshift_dataapi.connect(cluster_identifier="c", region_name="us-east-1")


def test_client_cannot_be_combined_with_endpoint_settings() -> None:
    with pytest.raises(ConfigurationError, match="region_name"):
        redshift_dataapi.connect(
            "dev", cluster_identifier="c", client=object(), region_name="us-east-1"
        )


def test_ready_client_wins_over_environment_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    # SQLAlchemy connect_args and the CLI pass a ready client while the user's
    # environment may still name an endpoint: the client is what gets used.
    import boto3

    monkeypatch.setenv("REDSHIFT_DATAAPI_ENDPOINT_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("REDSHIFT_DATAAPI_REGION_NAME", "eu-west-1")
    client = boto3.client("redshift-data", region_name="us-east-1")
    conn = redshift_dataapi.connect(client=client, cluster_identifier="c", database="dev")
    assert conn.client is client
    with pytest.raises(ConfigurationError, match="endpoint_url"):
        redshift_dataapi.connect(
            client=client, cluster_identifier="c", database="dev", endpoint_url="local:"
        )


def test_environment_supplies_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDSHIFT_DATAAPI_WORKGROUP_NAME", "analytics")
    monkeypatch.setenv("REDSHIFT_DATAAPI_DATABASE", "sales")
    monkeypatch.setenv("REDSHIFT_DATAAPI_AUTOCOMMIT", "true")
    monkeypatch.setenv("REDSHIFT_DATAAPI_TIMEOUT", "2.5")
    conn = redshift_dataapi.connect(region_name="eu-west-1")
    assert conn.settings.workgroup_name == "analytics"
    assert conn.database == "sales"
    assert conn.autocommit is True
    assert conn.timeout == 2.5
    assert conn.client.meta.region_name == "eu-west-1"
    assert conn.client.meta.config.retries["total_max_attempts"] == 1


def test_explicit_keywords_win_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDSHIFT_DATAAPI_DATABASE", "sales")
    conn = redshift_dataapi.connect("dev", cluster_identifier="c", region_name="us-east-1")
    assert conn.database == "dev"


def test_bad_environment_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDSHIFT_DATAAPI_MAX_RETRIES", "many")
    with pytest.raises(ConfigurationError, match="REDSHIFT_DATAAPI_MAX_RETRIES"):
        redshift_dataapi.connect("dev", cluster_identifier="c", region_name="us-east-1")


def test_connect_params_types_and_text_parsing() -> None:
    assert redshift_dataapi.CONNECT_PARAMS["autocommit"] is bool
    assert redshift_dataapi.CONNECT_PARAMS["timeout"] is float
    assert redshift_dataapi.CONNECT_PARAMS["session_keep_alive_seconds"] is int
    assert config.parse_settings({"autocommit": "yes", "timeout": "none", "max_retries": "3"}) == {
        "autocommit": True,
        "timeout": None,
        "max_retries": 3,
    }
    with pytest.raises(ConfigurationError, match="with_event"):
        config.parse_settings({"with_event": "perhaps"})
    with pytest.raises(ConfigurationError, match="nonsense"):
        config.parse_settings({"nonsense": "1"})


def test_local_endpoint_defaults_target_and_database() -> None:
    settings = config.resolve_settings({"endpoint_url": "local:"})
    assert settings.cluster_identifier == "local" and settings.database == "dev"


def test_connect_makes_no_call_and_module_globals() -> None:
    assert redshift_dataapi.apilevel == "2.0"
    assert redshift_dataapi.paramstyle == "named"
    assert redshift_dataapi.threadsafety == 1
    for name in (
        "Warning",
        "Error",
        "InterfaceError",
        "DatabaseError",
        "DataError",
        "OperationalError",
        "IntegrityError",
        "InternalError",
        "ProgrammingError",
        "NotSupportedError",
    ):
        assert getattr(redshift_dataapi.Connection, name) is getattr(redshift_dataapi, name)
    assert issubclass(redshift_dataapi.IntegrityError, redshift_dataapi.DatabaseError)
    assert issubclass(redshift_dataapi.DatabaseError, redshift_dataapi.Error)
    assert issubclass(redshift_dataapi.InterfaceError, redshift_dataapi.Error)


@pytest.mark.parametrize(
    ("message", "cls", "state"),
    [
        ("ERROR: duplicate key (SQLSTATE 23505)", errors.IntegrityError, "23505"),
        ('ERROR: relation "x" does not exist (SQLSTATE 42P01)', errors.ProgrammingError, "42P01"),
        ("ERROR: division by zero (SQLSTATE 22012)", errors.DataError, "22012"),
        ("ERROR: canceling statement (SQLSTATE 57014)", errors.OperationalError, "57014"),
        ('ERROR: syntax error at or near "x"', errors.ProgrammingError, None),
        ("something odd happened", errors.DatabaseError, None),
    ],
)
def test_statement_errors_map_by_sqlstate_then_message(
    message: str, cls: type[Exception], state: str | None
) -> None:
    exc = errors.from_statement_error(message, "sid-1")
    assert type(exc) is cls
    assert exc.sqlstate == state
    assert "sid-1" in str(exc)
