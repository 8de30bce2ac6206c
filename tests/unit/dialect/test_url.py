"""URL -> connect() keywords, and the errors a wrong URL gets.  No endpoint needed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.engine import make_url

from sqlalchemy_dialect.dataapi import RedshiftDataAPIDialect


def connect_args(url: str) -> dict:
    cargs, cparams = RedshiftDataAPIDialect().create_connect_args(make_url(url))
    assert cargs == []
    return cparams


def test_entry_point_resolves_the_dialect() -> None:
    engine = sa.create_engine("redshift+dataapi://my-cluster/dev?region_name=us-east-1")
    assert isinstance(engine.dialect, RedshiftDataAPIDialect)
    assert engine.dialect.name == "redshift" and engine.dialect.driver == "dataapi"


def test_provisioned_cluster_with_db_user() -> None:
    assert connect_args("redshift+dataapi://awsuser@my-cluster/dev?region_name=eu-west-1") == {
        "db_user": "awsuser",
        "cluster_identifier": "my-cluster",
        "database": "dev",
        "region_name": "eu-west-1",
    }


def test_serverless_workgroup_with_secret() -> None:
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:analyst-AbCdEf"
    args = connect_args(f"redshift+dataapi:///dev?workgroup_name=wg1&secret_arn={arn}")
    assert args == {"database": "dev", "workgroup_name": "wg1", "secret_arn": arn}


def test_every_connect_keyword_is_a_typed_query_parameter() -> None:
    import redshift_dataapi

    samples = {bool: ("true", True), int: ("42", 42), float: ("2.5", 2.5), str: ("abc", "abc")}
    for name, kind in redshift_dataapi.CONNECT_PARAMS.items():
        if name in ("cluster_identifier", "database"):
            continue
        text, expected = samples[kind]
        args = connect_args(f"redshift+dataapi:///dev?{name}={text}")
        assert args[name] == expected and type(args[name]) is kind, name


@pytest.mark.parametrize(("text", "value"), [("1", True), ("off", False), ("Yes", True)])
def test_boolean_spellings(text: str, value: bool) -> None:
    assert connect_args(f"redshift+dataapi://c/dev?autocommit={text}")["autocommit"] is value


def test_local_endpoint_url_passes_through() -> None:
    args = connect_args("redshift+dataapi://local/dev?endpoint_url=local:")
    assert args["endpoint_url"] == "local:" and args["cluster_identifier"] == "local"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("redshift+dataapi://c/dev?no_such_thing=1", "URL parameter 'no_such_thing'"),
        ("redshift+dataapi://u:secret@c/dev", "take no password.*secret_arn"),
        ("redshift+dataapi://c:5439/dev", "take no port"),
        ("redshift+dataapi://c/dev?timeout=soon", "timeout: expected a number, got 'soon'"),
        ("redshift+dataapi://c/dev?max_retries=1.5", "max_retries: expected an integer"),
        ("redshift+dataapi://c/dev?autocommit=maybe", "autocommit: expected true or false"),
        ("redshift+dataapi://c/dev?workgroup_name=wg", "not both"),
        ("redshift+dataapi://c/dev?region_name=a&region_name=b", "given more than once"),
        ("redshift+dataapi://c/dev?database=other", "contradicts"),
    ],
)
def test_bad_urls_raise_errors_naming_the_problem(url: str, message: str) -> None:
    with pytest.raises(exc.ArgumentError, match=message):
        connect_args(url)


def test_password_is_never_echoed_in_the_error() -> None:
    with pytest.raises(exc.ArgumentError) as info:
        connect_args("redshift+dataapi://u:hunter2@c/dev")
    assert "hunter2" not in str(info.value)


def test_static_start_up_answers() -> None:
    d = RedshiftDataAPIDialect()
    assert d._get_server_version_info(None) == (8, 0, 2)
    assert d._get_default_schema_name(None) == "public"
