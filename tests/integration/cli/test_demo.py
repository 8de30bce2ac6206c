"""``redshift-dataapi demo`` end to end."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

import redshift_dataapi
from redshift_dataapi.cli import demo, demo_data
from tests.integration.cli.conftest import command, subprocess_env


def local_connection(service: Any) -> redshift_dataapi.Connection:
    """An autocommit connection to ``service`` (the demo's own kind of connection)."""
    from redshift_dataapi.local import inprocess_client

    return redshift_dataapi.connect(
        "dev", cluster_identifier="local", client=inprocess_client(service), autocommit=True
    )


@pytest.fixture
def fresh_service() -> Iterator[Any]:
    from redshift_dataapi.local import LocalDataAPI

    service = LocalDataAPI("duckdb")
    try:
        yield service
    finally:
        service.close()


@pytest.mark.slow
def test_default_demo_agrees_and_refetches_without_running(fresh_service: Any) -> None:
    out = io.StringIO()
    result = demo.run_demo(local_connection(fresh_service), out, where="test")

    assert result.loaded_rows >= 100_000
    assert result.dbapi_rows, "the walkthrough query returned nothing"
    assert result.agree
    assert result.dbapi_rows == result.sqlalchemy_rows == result.pandas_rows
    ratecodes = [row[0] for row in result.dbapi_rows]
    assert ratecodes == sorted(ratecodes)
    # Re-fetching by id ran nothing: no Execute call, the same Redshift query id.
    assert result.refetched_rows == result.dbapi_rows
    assert "GetStatementResult" in result.refetch_calls
    assert not {"ExecuteStatement", "BatchExecuteStatement"} & set(result.refetch_calls)
    assert result.query_id_before is not None
    assert result.query_id_after == result.query_id_before
    assert result.schemas == ["demo"]
    assert [(t["schema"], t["name"]) for t in result.tables] == [("demo", "green_201601")]
    assert len(result.columns) == 21
    text = out.getvalue()
    assert "agree" in text
    assert "--cluster-identifier" in text and "--workgroup-name" in text
    assert len(result.step_seconds) == 8


@pytest.mark.parametrize("engine", ["duckdb", "postgresql"])
def test_demo_pipeline_copies_unloads_and_shows_the_event(
    engine: str, request: pytest.FixtureRequest
) -> None:
    """On the local endpoint the trips go through S3: COPY, UNLOAD, and the COPY's event."""
    from redshift_dataapi.cli.demo_pipeline import DemoPipeline
    from tests.engines import make_service

    spec = "duckdb" if engine == "duckdb" else request.getfixturevalue("pg_dsn")
    service = make_service(spec, request.node.nodeid)
    try:
        out = io.StringIO()
        result = demo.run_demo(
            local_connection(service),
            out,
            where="test",
            seed_trips=500,
            copies=4,
            pipeline=DemoPipeline.create(service),
        )
    finally:
        service.close()
    assert result.loaded_rows == 2000 and result.agree
    assert result.unloaded_rows == result.read_back_rows == 2000
    assert [f.rsplit("/", 1)[1] for f in result.unloaded_files] == [
        "green_201601_0000_part_00.parquet",
        "green_201601_0001_part_00.parquet",
    ]
    assert result.event is not None
    assert result.event["source"] == "aws.redshift-data"
    assert result.event["detail"]["state"] == "FINISHED"
    assert result.event["detail"]["rows"] == 2000
    assert len(result.step_seconds) == 10
    assert "CSV GZIP DATEFORMAT 'auto' IGNOREHEADER 1" in out.getvalue()


@pytest.mark.postgres
def test_demo_on_the_postgresql_engine(pg_dsn: str, request: pytest.FixtureRequest) -> None:
    from tests.engines import make_service

    service = make_service(pg_dsn, request.node.nodeid)
    try:
        result = demo.run_demo(
            local_connection(service),
            io.StringIO(),
            where="test",
            seed_trips=500,
            copies=4,
        )
    finally:
        service.close()
    assert result.loaded_rows == 2000
    assert result.dbapi_rows and result.agree
    assert not {"ExecuteStatement", "BatchExecuteStatement"} & set(result.refetch_calls)
    assert len(result.columns) == 21


def test_demo_runs_against_another_endpoint_through_the_command(http_endpoint: str) -> None:
    done = subprocess.run(
        [*command(), "demo", "--endpoint-url", http_endpoint, "--rows", "500"],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "500 rows in " + demo_data.QUALIFIED in done.stdout
    assert "Load 500 generated trips through the Data API" in done.stdout  # no S3 there
    assert "results agree" in done.stdout
    assert done.stdout.count(" s)") >= 8  # every step reports its time


def test_demo_takes_its_endpoint_from_the_driver_environment(
    http_endpoint: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from redshift_dataapi.cli import app as cli

    monkeypatch.setenv("REDSHIFT_DATAAPI_ENDPOINT_URL", http_endpoint)
    status = cli.main(["demo", "--rows", "100"])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert f"demo on {http_endpoint}" in out
    assert "results agree" in out
