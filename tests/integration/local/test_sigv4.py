"""SigV4 checking on the HTTP endpoint: the right keys work unchanged, others get AWS's 403s."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from redshift_dataapi.local import LocalDataAPI, LocalServer
from redshift_dataapi.local.transport.sigv4 import load_access_keys
from tests.aws_cli import aws_env, run_aws
from tests.local_serve import start_local_serve
from tests.raw_http import post

from .helpers import rows

KEYS = {"AKIDLOCALTEST0001": "right-secret", "AKIDLOCALTEST0002": "other-secret"}
TARGET = {"ClusterIdentifier": "c1", "Database": "dev"}
BODY = json.dumps(TARGET).encode()


@pytest.fixture(scope="module")
def service() -> Iterator[LocalDataAPI]:
    # Signatures are checked by the transport, whatever the engine: DuckDB only.
    svc = LocalDataAPI("duckdb", access_keys=KEYS)
    yield svc
    svc.close()


@pytest.fixture
def endpoint(service: LocalDataAPI) -> Iterator[str]:
    with LocalServer(service, port=0) as server:
        yield server.endpoint_url


def _client(endpoint: str, akid: str, secret: str, region: str = "us-east-1") -> Any:
    return boto3.client(
        "redshift-data",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=akid,
        aws_secret_access_key=secret,
        config=Config(retries={"total_max_attempts": 1}),
    )


def _refusal(call: Any) -> tuple[str, int]:
    with pytest.raises(ClientError) as info:
        call()
    response = info.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1"])
@pytest.mark.parametrize("akid", sorted(KEYS))
def test_right_keys_work_unchanged(endpoint: str, akid: str, region: str) -> None:
    client = _client(endpoint, akid, KEYS[akid], region)
    assert rows(client, "SELECT 6 * 7", **TARGET) == [[42]]
    assert "dev" in client.list_databases(**TARGET)["Databases"]


def test_wrong_secret_is_an_invalid_signature(endpoint: str) -> None:
    client = _client(endpoint, "AKIDLOCALTEST0001", "other-secret")
    assert _refusal(lambda: client.list_databases(**TARGET)) == (
        "InvalidSignatureException",
        403,
    )


def test_unknown_key_id_is_unrecognized(endpoint: str) -> None:
    client = _client(endpoint, "AKIDNOBODYKNOWS", "right-secret")
    assert _refusal(lambda: client.list_databases(**TARGET)) == (
        "UnrecognizedClientException",
        403,
    )


def _signed_headers(endpoint: str, body: bytes, secret: str) -> dict[str, str]:
    request = AWSRequest(
        method="POST",
        url=endpoint + "/",
        data=body,
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "RedshiftData.ListDatabases",
        },
    )
    SigV4Auth(Credentials("AKIDLOCALTEST0001", secret), "redshift-data", "us-east-1").add_auth(
        request
    )
    return dict(request.headers.items())


def _raw_post(endpoint: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    host, port = endpoint.removeprefix("http://").split(":")
    return post((host, int(port)), body, headers)


def test_a_signed_request_round_trips_and_a_tampered_one_does_not(endpoint: str) -> None:
    headers = _signed_headers(endpoint, BODY, "right-secret")
    assert _raw_post(endpoint, BODY, headers) == (200, {"Databases": ["dev"]})
    tampered = BODY.replace(b"c1", b"c2")
    status, answer = _raw_post(endpoint, tampered, headers)
    assert (status, answer["__type"]) == (403, "InvalidSignatureException")
    other_target = {**headers, "X-Amz-Target": "RedshiftData.ListSchemas"}
    status, answer = _raw_post(endpoint, BODY, other_target)
    assert (status, answer["__type"]) == (403, "InvalidSignatureException")


def test_unsigned_and_malformed_authorization_are_refused(endpoint: str) -> None:
    plain = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "RedshiftData.X"}
    status, answer = _raw_post(endpoint, BODY, plain)
    assert (status, answer["__type"]) == (403, "MissingAuthenticationTokenException")
    status, answer = _raw_post(endpoint, BODY, {**plain, "Authorization": "Basic dXNlcg=="})
    assert (status, answer["__type"]) == (403, "IncompleteSignatureException")


def test_without_keys_any_credentials_work() -> None:
    with (
        LocalDataAPI("duckdb") as svc,
        LocalServer(svc, port=0) as server,
    ):
        client = _client(server.endpoint_url, "anything", "at-all")
        assert "dev" in client.list_databases(**TARGET)["Databases"]
    # LocalServer(access_keys=...) turns checking on for a service without keys.
    with (
        LocalDataAPI("duckdb") as svc,
        LocalServer(svc, port=0, access_keys={"AKIDX": "sx"}) as server,
    ):
        wrong = _client(server.endpoint_url, "anything", "at-all")
        assert _refusal(lambda: wrong.list_databases(**TARGET))[0] == (
            "UnrecognizedClientException"
        )
        right = _client(server.endpoint_url, "AKIDX", "sx")
        assert "dev" in right.list_databases(**TARGET)["Databases"]


def _aws(endpoint: str, tmp_path: Path, akid: str, secret: str) -> subprocess.CompletedProcess[str]:
    env = aws_env(tmp_path, "eu-west-1", akid, secret)
    return run_aws(
        env, "redshift-data", "list-databases", "--cluster-identifier", "c1",
        "--database", "dev", "--endpoint-url", endpoint, "--output", "json",
    )  # fmt: skip


def test_aws_cli_with_right_and_wrong_keys(endpoint: str, tmp_path: Path) -> None:
    right = _aws(endpoint, tmp_path, "AKIDLOCALTEST0002", "other-secret")
    assert right.returncode == 0, right.stderr
    assert json.loads(right.stdout)["Databases"] == ["dev"]
    wrong = _aws(endpoint, tmp_path, "AKIDLOCALTEST0002", "right-secret")
    assert wrong.returncode != 0
    assert "InvalidSignatureException" in wrong.stderr
    unknown = _aws(endpoint, tmp_path, "AKIDSOMEONEELSE", "other-secret")
    assert unknown.returncode != 0
    assert "UnrecognizedClientException" in unknown.stderr


def test_load_access_keys_formats(tmp_path: Path) -> None:
    as_map = tmp_path / "keys.json"
    as_map.write_text(json.dumps(KEYS))
    assert load_access_keys(as_map) == KEYS
    as_list = tmp_path / "list.json"
    as_list.write_text(
        json.dumps([{"AccessKeyId": k, "SecretAccessKey": v} for k, v in KEYS.items()])
    )
    assert load_access_keys(as_list) == KEYS
    ini = tmp_path / "credentials"
    ini.write_text(
        "[default]\naws_access_key_id = AKIDLOCALTEST0001\n"
        "aws_secret_access_key = right-secret\n"
        "[other]\naws_access_key_id = AKIDLOCALTEST0002\n"
        "aws_secret_access_key = other-secret\n"
    )
    assert load_access_keys(ini) == KEYS
    for text, message in (("[]", "no access keys"), ("[1]", "AccessKeyId"), ("x y", "neither")):
        bad = tmp_path / "bad"
        bad.write_text(text)
        with pytest.raises(ValueError, match=message):
            load_access_keys(bad)


def test_local_serve_with_keys_checks_them_and_may_bind_remote(tmp_path: Path) -> None:
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps({"AKIDFROMFILE": "file-secret"}))
    process, url, banner = start_local_serve(
        "--host", "0.0.0.0", "--access-key-id", "AKIDFROMFLAGS",
        "--secret-access-key", "flag-secret", "--access-keys-file", str(keys_file),
    )  # fmt: skip
    try:
        assert "AKIDFROMFILE, AKIDFROMFLAGS" in banner
        assert "flag-secret" not in banner
        assert "file-secret" not in banner
        for akid, secret in (("AKIDFROMFLAGS", "flag-secret"), ("AKIDFROMFILE", "file-secret")):
            assert "dev" in _client(url, akid, secret).list_databases(**TARGET)["Databases"]
        assert _refusal(
            lambda: _client(url, "AKIDFROMFLAGS", "file-secret").list_databases(**TARGET)
        ) == ("InvalidSignatureException", 403)
        process.terminate()
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "WARNING: --host 0.0.0.0 is not loopback" in err
    assert "anyone with a configured access key" in err
