"""``redshift-dataapi demo``: the Data API walkthrough, end to end, with no AWS account.

By default the demo starts the local Data API endpoint in-process on DuckDB,
creates schema ``demo`` and table ``demo.green_201601`` (NYC green-taxi
columns, DISTKEY and SORTKEY), writes a generated deterministic sample of
100,000 trips (:mod:`redshift_dataapi.cli.demo_data`) to the endpoint's
embedded S3 as gzip CSV and COPYs it with the walkthrough's options and
WithEvent (:mod:`redshift_dataapi.cli.demo_pipeline`), runs
the walkthrough query through the DB-API driver, SQLAlchemy and
``pandas.read_sql`` and checks that the three agree, shows the statement's
DescribeStatement figures, fetches its result again by statement id without
running it (the client's call counts prove it), lists schemas and tables,
describes the table, UNLOADs it to S3 as Parquet and reads the files back,
shows the EventBridge event the COPY published, and ends with the flags
that run the same against a real cluster or workgroup.  Each step reports
its time.  Against another endpoint (no embedded S3) the trips load through
the Data API as INSERTs instead, and the S3 steps are skipped.

``--endpoint-url`` and the connection flags run the same demo against any
endpoint: ``redshift-dataapi local serve`` in another terminal, or Redshift.
The demo replaces ``demo.green_201601`` there (it drops and re-creates it).
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from redshift_dataapi._core.settings import LOCAL_DATABASE, LOCAL_SCHEME, Settings
from redshift_dataapi.cli import demo_data, demo_pipeline
from redshift_dataapi.cli import settings as cli_settings
from redshift_dataapi.cli.demo_pipeline import DemoPipeline
from redshift_dataapi.cli.errors import CliError, UsageError, describe_exception
from redshift_dataapi.cli.output import format_table
from redshift_dataapi.connection import Connection
from redshift_dataapi.cursor import Cursor

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

__all__ = ["CallCounter", "DemoResult", "add_demo_parser", "run_demo", "run_demo_command"]

DEFAULT_SEED_TRIPS = 2000
DEFAULT_COPIES = 50


def add_demo_parser(subparsers: Any, common: list[argparse.ArgumentParser]) -> None:
    """Add the ``demo`` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        parents=common,
        help="walk through the Data API on the local endpoint",
        description="Walk through the Redshift Data API: create and load a green-taxi "
        "table, query it through the DB-API, SQLAlchemy and pandas, describe and re-fetch "
        "the statement, list and describe tables. Runs on the in-process local endpoint "
        "(DuckDB) unless --endpoint-url or the connection flags name another.",
    )
    cli_settings.add_target_arguments(parser)
    parser.add_argument(
        "--engine",
        default="duckdb",
        help="engine of the in-process local endpoint: duckdb (default), duckdb:PATH or "
        "postgresql://...",
    )
    parser.add_argument(
        "--rows",
        type=int,
        default=DEFAULT_SEED_TRIPS * DEFAULT_COPIES,
        metavar="N",
        help="trips to generate (default %(default)s; rounded up to whole spreads)",
    )
    parser.set_defaults(handler=run_demo_command)


@dataclass
class DemoResult:
    """What the demo found, for its caller (and its tests) to check."""

    dbapi_rows: list[tuple[Any, ...]] = field(default_factory=list)
    sqlalchemy_rows: list[tuple[Any, ...]] = field(default_factory=list)
    pandas_rows: list[tuple[Any, ...]] = field(default_factory=list)
    loaded_rows: int = 0
    statement_id: str = ""
    refetched_rows: list[tuple[Any, ...]] = field(default_factory=list)
    #: Data API operations called while re-fetching by statement id.
    refetch_calls: dict[str, int] = field(default_factory=dict)
    query_id_before: int | None = None
    query_id_after: int | None = None
    schemas: list[str] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)
    columns: list[dict[str, Any]] = field(default_factory=list)
    step_seconds: dict[str, float] = field(default_factory=dict)
    #: The S3 steps (on the local endpoint): rows UNLOADed and read back, the COPY's event.
    unloaded_rows: int = 0
    unloaded_files: list[str] = field(default_factory=list)
    read_back_rows: int = 0
    event: dict[str, Any] | None = None

    @property
    def agree(self) -> bool:
        """True when the DB-API, SQLAlchemy and pandas returned the same rows."""
        return self.dbapi_rows == self.sqlalchemy_rows == self.pandas_rows


class CallCounter:
    """Counts the Data API operations a boto3 client makes (a botocore event hook)."""

    def __init__(self, client: Any) -> None:
        self.counts: collections.Counter[str] = collections.Counter()
        client.meta.events.register("before-call.redshift-data", self._count)

    def _count(self, model: Any, **_: Any) -> None:
        self.counts[model.name] += 1

    def snapshot(self) -> collections.Counter[str]:
        """A copy of the counts so far."""
        return collections.Counter(self.counts)


class _Report:
    """Numbered steps on ``out``, each with its time."""

    def __init__(self, out: TextIO, result: DemoResult) -> None:
        self.out = out
        self.result = result
        self.number = 0

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    @contextmanager
    def step(self, title: str) -> Iterator[None]:
        self.number += 1
        self.say(f"\n{self.number}. {title}")
        start = time.perf_counter()
        yield
        seconds = time.perf_counter() - start
        self.result.step_seconds[title] = seconds
        self.say(f"   ({seconds:.2f} s)")


def _plain(rows: Any) -> list[tuple[Any, ...]]:
    # pandas gives numpy integers; the comparison is about values.
    return [tuple(v.item() if hasattr(v, "item") else v for v in row) for row in rows]


def _sqlalchemy_url(settings: Settings) -> URL:
    from sqlalchemy.engine import URL

    query = {
        name: value
        for name, value in (
            ("workgroup_name", settings.workgroup_name),
            ("secret_arn", settings.secret_arn),
        )
        if value
    }
    return URL.create(
        "redshift+dataapi",
        username=settings.db_user,
        host=settings.cluster_identifier,
        database=settings.database,
        query=query,
    )


def _real_target_hint() -> list[str]:
    return [
        "Run the same against Amazon Redshift (credentials and region from the usual AWS sources):",
        "  redshift-dataapi demo --cluster-identifier my-cluster --database dev "
        "--secret-arn arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME --region us-east-1",
        "  redshift-dataapi demo --cluster-identifier my-cluster --database dev "
        "--db-user awsuser --region us-east-1",
        "  redshift-dataapi demo --workgroup-name my-workgroup --database dev --region us-east-1",
        "or against a local endpoint served over HTTP (in another terminal: "
        "redshift-dataapi local serve):",
        "  redshift-dataapi demo --endpoint-url http://127.0.0.1:9439",
        "SQLAlchemy URLs: redshift+dataapi://awsuser@my-cluster/dev?region_name=us-east-1 , "
        "redshift+dataapi:///dev?workgroup_name=my-workgroup&region_name=us-east-1",
    ]


@dataclass
class _Walk:
    """What every step of one demo run shares."""

    connection: Connection
    cursor: Cursor
    report: _Report
    counter: CallCounter
    result: DemoResult


def run_demo(
    connection: Connection,
    out: TextIO,
    *,
    where: str,
    seed_trips: int = DEFAULT_SEED_TRIPS,
    copies: int = DEFAULT_COPIES,
    pipeline: DemoPipeline | None = None,
) -> DemoResult:
    """Run the walkthrough on ``connection`` (autocommit); print it to ``out``.

    With ``pipeline`` the trips load through S3 (COPY, WithEvent) and the
    UNLOAD and event steps run; without it they load through INSERTs.
    SQLAlchemy and pandas reach the same endpoint through the connection's
    client.  Raises :class:`CliError` when a step fails or the three result
    sets differ.  The connection is left open.
    """
    result = DemoResult()
    report = _Report(out, result)
    counter = CallCounter(connection.client)
    walk = _Walk(connection, connection.cursor(), report, counter, result)
    started = time.perf_counter()
    report.say(f"redshift-dataapi demo on {where}")
    _create_table(walk)
    copy_id = _load(walk, seed_trips, copies, pipeline)
    _query_three_ways(walk)
    _statement_figures(walk)
    _refetch(walk)
    _catalog(walk)
    if pipeline is not None:
        _unload(walk, pipeline)
        _event(walk, pipeline, copy_id)
    report.say("")
    for line in _real_target_hint():
        report.say(line)
    total_calls = sum(counter.counts.values())
    report.say(
        f"\nDemo finished in {time.perf_counter() - started:.1f} s, "
        f"{total_calls} Data API calls in all."
    )
    return result


def _create_table(walk: _Walk) -> None:
    with walk.report.step(
        f"CREATE SCHEMA {demo_data.SCHEMA}; CREATE TABLE {demo_data.QUALIFIED} "
        "(green-taxi columns, DISTKEY(vendorid) SORTKEY(pickup_datetime))"
    ):
        walk.cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {demo_data.SCHEMA}")
        walk.cursor.execute(f"DROP TABLE IF EXISTS {demo_data.QUALIFIED}")
        walk.cursor.execute(demo_data.CREATE_TABLE)


def _load(walk: _Walk, seed_trips: int, copies: int, pipeline: DemoPipeline | None) -> str:
    """Load the trips (COPY from S3 with a pipeline, else INSERTs); the COPY's Id or ''."""
    total = seed_trips * copies
    copy_id = ""
    if pipeline is not None:
        with walk.report.step(f"COPY {total:,} generated trips from S3 (gzip CSV), WithEvent"):
            settings = dataclasses.replace(walk.connection.settings, with_event=True)
            with_event = Connection(settings, walk.connection.client)
            try:
                loaded, copy_id = demo_pipeline.load(with_event, pipeline, seed_trips, copies)
            finally:
                with_event.close()
            walk.report.say(f"   s3://{pipeline.bucket}/green/green_tripdata_2016-01.csv.gz")
            walk.report.say(
                f"   COPY ... CSV GZIP DATEFORMAT 'auto' IGNOREHEADER 1: {loaded:,} rows"
            )
    else:
        with walk.report.step(f"Load {total:,} generated trips through the Data API"):
            statements = demo_data.load_statements(seed_trips, copies)
            before = walk.counter.snapshot()
            for sql in statements:
                walk.cursor.execute(sql)
            calls = walk.counter.snapshot() - before
            walk.report.say(
                f"   {seed_trips:,} seeded trips x {copies} spreads: {len(statements)} "
                f"statements, {sum(calls.values())} Data API calls"
            )
    walk.cursor.execute(f"SELECT COUNT(*) FROM {demo_data.QUALIFIED}")
    row = walk.cursor.fetchone()
    walk.result.loaded_rows = int(row[0]) if row else 0
    walk.report.say(f"   {walk.result.loaded_rows:,} rows in {demo_data.QUALIFIED}")
    if walk.result.loaded_rows != total:
        raise CliError(f"the load wrote {walk.result.loaded_rows} rows, expected {total}")
    return copy_id


def _query_three_ways(walk: _Walk) -> None:
    import pandas
    import sqlalchemy

    query = demo_data.WALKTHROUGH_QUERY
    result, report, cursor = walk.result, walk.report, walk.cursor
    with report.step("The walkthrough query through the DB-API driver"):
        report.say(f"   {query}")
        cursor.execute(query)
        columns = [d[0] for d in cursor.description or ()]
        result.dbapi_rows = _plain(cursor.fetchall())
        result.statement_id = cursor.statement_id or ""
        for line in format_table(columns, result.dbapi_rows).splitlines():
            report.say("   " + line)

    engine = sqlalchemy.create_engine(
        _sqlalchemy_url(walk.connection.settings),
        connect_args={"client": walk.connection.client},
    )
    try:
        with report.step("The same query through SQLAlchemy"):
            report.say(f"   engine URL: {engine.url.render_as_string(hide_password=True)}")
            with engine.connect() as conn:
                result.sqlalchemy_rows = _plain(conn.execute(sqlalchemy.text(query)).all())
            report.say(f"   {result.sqlalchemy_rows}")

        with report.step("The same query through pandas.read_sql"):
            frame = pandas.read_sql(sqlalchemy.text(query), engine)
            result.pandas_rows = _plain(frame.itertuples(index=False, name=None))
            for line in frame.to_string(index=False).splitlines():
                report.say("   " + line)
    finally:
        engine.dispose()
    if not result.agree:
        raise CliError(
            "the three results differ: "
            f"DB-API {result.dbapi_rows}, SQLAlchemy {result.sqlalchemy_rows}, "
            f"pandas {result.pandas_rows}"
        )
    report.say("\n   The DB-API, SQLAlchemy and pandas results agree.")


def _statement_figures(walk: _Walk) -> None:
    cursor, report = walk.cursor, walk.report
    with report.step("DescribeStatement figures of the DB-API statement (cursor attributes)"):
        walk.result.query_id_before = cursor.redshift_query_id
        duration = cursor.duration
        report.say(f"   statement_id       {cursor.statement_id}")
        report.say(f"   status             {cursor.status}")
        report.say(
            "   duration           "
            + (f"{duration.total_seconds() * 1000:.1f} ms" if duration else "unknown")
        )
        report.say(f"   result_rows        {cursor.result_rows}")
        report.say(f"   result_size        {cursor.result_size} bytes")
        report.say(f"   redshift_query_id  {walk.result.query_id_before}")


def _refetch(walk: _Walk) -> None:
    result, report = walk.result, walk.report
    with report.step("Fetch the result again by statement id, without running it"):
        before = walk.counter.snapshot()
        again = walk.connection.cursor()
        again.attach(result.statement_id)
        result.refetched_rows = _plain(again.fetchall())
        result.refetch_calls = dict(walk.counter.snapshot() - before)
        result.query_id_after = again.redshift_query_id
        made = ", ".join(f"{name} x{n}" for name, n in sorted(result.refetch_calls.items()))
        report.say(f"   rows: {result.refetched_rows}")
        report.say(f"   calls made: {made or 'none'} (no ExecuteStatement: nothing re-ran)")
        report.say(f"   RedshiftQueryId still {result.query_id_after}")
        if result.refetched_rows != result.dbapi_rows:
            raise CliError("the re-fetched result differs from the first one")


def _catalog(walk: _Walk) -> None:
    result, report, connection = walk.result, walk.report, walk.connection
    with report.step("List schemas (demo%), tables (green%) and describe the table"):
        result.schemas = connection.list_schemas("demo%")
        result.tables = connection.list_tables("demo", "green%")
        result.columns = connection.describe_table(demo_data.TABLE, demo_data.SCHEMA)
        report.say(f"   schemas: {', '.join(result.schemas)}")
        tables = [f"{table['schema']}.{table['name']}" for table in result.tables]
        report.say(f"   tables:  {', '.join(tables)}")
        report.say(f"   {demo_data.QUALIFIED} columns:")
        for column in result.columns:
            report.say("     " + _column_text(column))


def _unload(walk: _Walk, pipeline: DemoPipeline) -> None:
    result, report = walk.result, walk.report
    with report.step("UNLOAD the table to S3 as Parquet and read the files back"):
        result.unloaded_rows, result.unloaded_files, table = demo_pipeline.unload_and_read(
            walk.connection, pipeline
        )
        result.read_back_rows = table.num_rows
        for key in result.unloaded_files:
            report.say(f"   s3://{pipeline.bucket}/{key}")
        report.say(
            f"   {result.unloaded_rows:,} rows unloaded, {result.read_back_rows:,} read back "
            f"with pyarrow; Parquet types: "
            + ", ".join(f"{f.name} {f.type}" for f in list(table.schema)[:3])
            + ", ..."
        )
        if result.read_back_rows != result.loaded_rows:
            raise CliError(f"read back {result.read_back_rows} rows, expected {result.loaded_rows}")


def _event(walk: _Walk, pipeline: DemoPipeline, copy_id: str) -> None:
    result, report = walk.result, walk.report
    with report.step("The EventBridge event of the COPY (WithEvent), from an SQS queue"):
        result.event = pipeline.event_of(copy_id)
        if result.event is None:
            raise CliError(f"no event arrived for statement {copy_id}")
        report.say(f"   source {result.event['source']}, detail-type {result.event['detail-type']}")
        report.say(f"   detail {json.dumps(result.event['detail'])}")


def _column_text(column: dict[str, Any]) -> str:
    type_name = column.get("typeName")
    length = column.get("length")
    suffix = f"({length})" if type_name in ("varchar", "char", "bpchar") and length else ""
    return f"{column.get('name')} {type_name}{suffix}"


#: Flags that point the demo somewhere else than its own in-process endpoint.
_ELSEWHERE = ("endpoint_url", "cluster_identifier", "workgroup_name")


def run_demo_command(args: argparse.Namespace) -> int:
    """The ``demo`` subcommand: pick the endpoint, run :func:`run_demo`, print it."""
    import sys

    if args.rows < 1:
        raise UsageError(f"--rows must be positive, not {args.rows}")
    seed_trips = min(DEFAULT_SEED_TRIPS, args.rows)
    copies = -(-args.rows // seed_trips)
    explicit = {**cli_settings.given(args), "autocommit": True}
    environment = cli_settings.from_environment()
    service = None
    pipeline = None
    if not any(name in explicit or name in environment for name in _ELSEWHERE):
        # No endpoint and no target: the embedded default, a fresh in-process endpoint.
        from redshift_dataapi.local import LocalDataAPI, inprocess_client

        try:
            service = LocalDataAPI(args.engine)
        except Exception as exc:
            raise CliError(f"--engine {args.engine}: {describe_exception(exc)}") from exc
        settings = cli_settings.resolve({**explicit, "endpoint_url": LOCAL_SCHEME})
        client = inprocess_client(service)
        if DemoPipeline.available(service):
            pipeline = DemoPipeline.create(service)
        where = f"the in-process local Data API endpoint ({args.engine}, no AWS account)"
    else:
        if "database" not in explicit and "database" not in environment:
            explicit["database"] = LOCAL_DATABASE  # Redshift's default database too
        settings = cli_settings.resolve(explicit)
        client = cli_settings.client_for(settings)
        where = settings.endpoint_url or "Amazon Redshift"
    connection = Connection(settings, client)
    try:
        run_demo(
            connection,
            sys.stdout,
            where=where,
            seed_trips=seed_trips,
            copies=copies,
            pipeline=pipeline,
        )
    finally:
        connection.close()
        if service is not None:
            service.close()
    return 0
