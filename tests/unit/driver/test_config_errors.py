"""connect() keywords, environment defaults, validation; error mapping."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest

import redshift_dataapi
from redshift_dataapi import errors
from redshift_dataapi._core import limits
from redshift_dataapi._core import settings as config
from redshift_dataapi._core.client import build_client
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


# -- the one settings object ---------------------------------------------------


def test_settings_fields_are_the_connect_params() -> None:
    assert [f.name for f in dataclasses.fields(config.Settings)] == list(config.CONNECT_PARAMS)


def test_connect_takes_every_settings_keyword_and_three_objects() -> None:
    parameters = set(inspect.signature(redshift_dataapi.connect).parameters)
    assert parameters - set(config.CONNECT_PARAMS) == {"client", "boto3_session", "converters"}
    assert set(config.CONNECT_PARAMS) <= parameters


def _sample(name: str, kind: type) -> tuple[str, Any]:
    """Text for ``name``'s environment variable and the value it must become."""
    special = {"result_format": ("CSV", "csv"), "endpoint_url": ("https://example.test",) * 2}
    if name in special:
        return special[name]
    if kind is bool:
        return "yes", True
    if kind is int:
        return "7", 7
    if kind is float:
        return "2.5", 2.5
    return f"{name}-x", f"{name}-x"


@pytest.mark.parametrize("name", list(config.CONNECT_PARAMS))
def test_every_keyword_comes_from_its_environment_variable(name: str) -> None:
    text, expected = _sample(name, config.CONNECT_PARAMS[name])
    variable = config.env_name(name)
    assert variable == "REDSHIFT_DATAAPI_" + name.upper()
    # A target and database of their own, unless the variable is one of them.
    given = {"cluster_identifier": "c", "database": "d"}
    given.pop("cluster_identifier" if name == "workgroup_name" else name, None)
    settings = config.resolve_settings(given, environ={variable: text})
    assert getattr(settings, name) == expected


def test_calls_without_a_target_take_none_from_the_environment() -> None:
    environ = {
        config.env_name("cluster_identifier"): "env-cluster",
        config.env_name("database"): "envdb",
        config.env_name("region_name"): "eu-west-1",
    }
    settings = config.resolve_settings({}, environ=environ, require_target=False)
    assert settings.target() == {}
    assert settings.region_name == "eu-west-1"
    with pytest.raises(ConfigurationError, match="exclusive"):
        config.resolve_settings(
            {"cluster_identifier": "c", "workgroup_name": "wg1"}, require_target=False
        )


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("local:", True),
        ("local:duckdb:/tmp/x.db", True),
        ("http://localhost:9439", True),
        ("http://127.0.0.1:9439", True),
        ("http://127.0.0.2:9439", True),
        ("http://[::1]:9439", True),
        ("https://redshift-data.us-east-1.amazonaws.com", False),
        ("http://10.0.0.1:9439", False),
        (None, False),
    ],
)
def test_local_endpoints_are_local_scheme_or_loopback(url: str | None, local: bool) -> None:
    assert config.is_local_endpoint(url) is local


def test_a_loopback_endpoint_defaults_target_and_database() -> None:
    settings = config.resolve_settings({"endpoint_url": "http://127.0.0.1:9439"})
    assert settings.target() == {"ClusterIdentifier": "local", "Database": "dev"}
    assert not settings.in_process and settings.local_endpoint


def test_endpoint_url_must_be_a_url() -> None:
    with pytest.raises(ConfigurationError, match="not a URL"):
        config.resolve_settings({"cluster_identifier": "c", "endpoint_url": "localhost:9"})


def test_configuration_errors_can_be_said_with_other_names() -> None:
    with pytest.raises(ConfigurationError) as info:
        config.resolve_settings({"cluster_identifier": "c", "workgroup_name": "wg1"})
    flags = {"cluster_identifier": "--cluster-identifier", "workgroup_name": "--workgroup-name"}
    spelled = info.value.spelled(lambda keyword: flags.get(keyword, keyword))
    assert spelled.startswith("--cluster-identifier and --workgroup-name are exclusive")
    assert str(info.value).startswith("cluster_identifier and workgroup_name are exclusive")


# -- the one client factory ------------------------------------------------------


@pytest.fixture
def no_aws_setup(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_PROFILE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def test_every_client_built_has_botocore_retries_off() -> None:
    for endpoint_url in (None, "https://redshift-data.eu-west-1.amazonaws.com", "local:"):
        settings = config.resolve_settings(
            {"cluster_identifier": "c", "database": "d", "region_name": "eu-west-1"}
            | ({"endpoint_url": endpoint_url} if endpoint_url else {})
        )
        client = build_client(settings)
        assert client.meta.config.retries["total_max_attempts"] == 1, endpoint_url
        assert client.meta.config.read_timeout > limits.MAX_WAIT_TIME_SECONDS


def test_a_ready_client_keeps_its_own_configuration() -> None:
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "redshift-data", region_name="us-east-1", config=Config(retries={"max_attempts": 7})
    )
    conn = redshift_dataapi.connect("dev", cluster_identifier="c", client=client)
    assert conn.client is client
    assert conn.client.meta.config.retries["total_max_attempts"] == 8


@pytest.mark.usefixtures("no_aws_setup")
def test_a_loopback_endpoint_needs_no_aws_setup() -> None:
    settings = config.resolve_settings({"endpoint_url": "http://127.0.0.1:9439"})
    client = build_client(settings)
    assert client.meta.region_name == config.LOCAL_REGION
    assert client.meta.endpoint_url == "http://127.0.0.1:9439"
    # The request is signed with dummy credentials rather than failing without any.
    signed: list[str] = []

    class Sent(Exception):
        pass

    def capture(request: Any, **_: Any) -> None:
        signed.append(request.headers["Authorization"].decode())
        raise Sent

    client.meta.events.register("before-send.redshift-data", capture)
    with pytest.raises(Sent):
        client.list_databases(ClusterIdentifier="local", Database="dev")
    assert "Credential=local/" in signed[0]


@pytest.mark.usefixtures("no_aws_setup")
def test_real_aws_without_a_region_or_with_a_missing_profile_is_a_clear_error() -> None:
    settings = config.resolve_settings({"cluster_identifier": "c", "database": "d"})
    with pytest.raises(ConfigurationError, match="no AWS region") as info:
        build_client(settings)
    assert info.value.keywords == ("region_name",)
    settings.profile_name = "nobody"
    with pytest.raises(ConfigurationError, match="profile_name 'nobody'"):
        build_client(settings)
