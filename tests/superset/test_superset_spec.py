"""Apache Superset itself on redshift+dataapi:// (runs where Superset is installed).

Superset pins SQLAlchemy<2 and many packages of its own, so it lives in its own
virtual environment (CI's ``.venv-superset``; see the README's "BI and migration
tools").  In the project's main environment these tests skip, saying so.

The local Data API endpoint is served over HTTP, as a real Redshift endpoint would
be reached: Superset builds its own engines from the Database's URL.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip(
    "superset", reason="Apache Superset is installed in its own venv (.venv-superset)"
)

# One worker runs them all: the Superset application is built once per module.
pytestmark = pytest.mark.xdist_group("superset")

# A query that keeps either engine busy for minutes unless it is cancelled.
LONG_SQL = (
    "SELECT COUNT(*) FROM generate_series(1, 100000) a(i) "
    "CROSS JOIN generate_series(1, 100000) b(j) WHERE a.i * 7 + b.j * 13 = -5"
)


@pytest.fixture(scope="module")
def superset_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A Superset application on a throwaway SQLite metadata database."""
    import os

    home = tmp_path_factory.mktemp("superset")
    config = home / "superset_config.py"
    config.write_text(
        "SECRET_KEY = 'a-test-only-secret-key-of-some-length-0123456789'\n"
        f"SQLALCHEMY_DATABASE_URI = 'sqlite:///{home / 'superset.db'}'\n"
        "WTF_CSRF_ENABLED = False\n"
        "CACHE_CONFIG = {'CACHE_TYPE': 'NullCache'}\n"
        "DATA_CACHE_CONFIG = {'CACHE_TYPE': 'NullCache'}\n"
    )
    saved = os.environ.get("SUPERSET_CONFIG_PATH")
    os.environ["SUPERSET_CONFIG_PATH"] = str(config)
    try:
        from superset.app import create_app

        app = create_app()
        with app.app_context():
            import superset.models.core
            import superset.models.sql_lab  # noqa: F401  (the tables create_all makes)
            from flask_appbuilder import Model
            from superset.extensions import db

            # Superset's models live on Flask-AppBuilder's metadata, not db.Model's;
            # creating them directly is what `superset db upgrade` ends with.
            Model.metadata.create_all(db.engine)
            yield app
    finally:
        if saved is None:
            os.environ.pop("SUPERSET_CONFIG_PATH", None)
        else:
            os.environ["SUPERSET_CONFIG_PATH"] = saved


@pytest.fixture
def database(
    superset_app: Any, http_endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Any]:
    """A Superset Database whose URL points at the local endpoint, with a table in it."""
    from superset.extensions import db
    from superset.models.core import Database

    for name, value in (
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
    ):
        monkeypatch.setenv(name, value)
    # wait_time_seconds=1: a cancelled statement's waiter hears of it within a second
    url = (
        f"redshift+dataapi://local/dev?endpoint_url={http_endpoint}&region_name=us-east-1"
        "&wait_time_seconds=1"
    )
    database = Database(database_name=f"redshift-{tmp_path.name}", sqlalchemy_uri=url)
    db.session.add(database)
    db.session.commit()
    with database.get_sqla_engine() as engine, engine.begin() as conn:
        conn.exec_driver_sql("CREATE SCHEMA shop")
        conn.exec_driver_sql(
            "CREATE TABLE shop.orders (id INTEGER, amount NUMERIC(12,2), sold_at TIMESTAMPTZ,"
            " note VARCHAR(40))"
        )
        conn.exec_driver_sql(
            "INSERT INTO shop.orders VALUES (1, 10.50, '2024-01-02 03:04:05+00', 'a'),"
            " (2, 7.25, '2024-02-03 04:05:06+00', 'b')"
        )
    try:
        yield database
    finally:
        db.session.delete(database)
        db.session.commit()


def test_superset_picks_this_spec_for_the_url(database: Any) -> None:
    from sqlalchemy_dialect.superset_spec import RedshiftDataAPIEngineSpec

    assert database.db_engine_spec is RedshiftDataAPIEngineSpec
    assert database.backend == "redshift" and database.driver == "dataapi"
    grains = {grain.duration for grain in database.grains()}
    assert {"P1D", "P1M", "PT1H"} <= grains


def test_schemas_tables_columns_and_a_dataframe(database: Any) -> None:
    import decimal

    from superset.sql.parse import Table

    assert "shop" in database.get_all_schema_names()
    tables = database.get_all_table_names_in_schema(catalog=None, schema="shop")
    assert {t[0] for t in tables} == {"orders"}
    columns = {c["column_name"]: c for c in database.get_columns(Table("orders", "shop"))}
    assert list(columns) == ["id", "amount", "sold_at", "note"]
    assert str(columns["note"]["type"]).startswith("VARCHAR(40)")
    star = database.select_star(Table("orders", "shop"), limit=10)
    assert "FROM shop.orders" in star and "LIMIT 10" in star

    sql = "SELECT id, amount, sold_at FROM shop.orders ORDER BY id"
    frame = database.get_df(sql, schema="shop")
    assert frame["id"].tolist() == [1, 2]
    assert frame["amount"].tolist() == [decimal.Decimal("10.50"), decimal.Decimal("7.25")]
    assert str(frame["sold_at"].iloc[0]) == "2024-01-02 03:04:05+00:00"


def test_a_running_query_is_cancelled_through_the_spec(database: Any, http_endpoint: str) -> None:
    """Superset's "Stop": cancel key from the running cursor, cancel on a new connection."""
    from contextlib import closing

    import redshift_dataapi

    spec = database.db_engine_spec
    errors: list[BaseException] = []
    with database.get_sqla_engine() as engine:
        running = engine.raw_connection()
        cursor = running.cursor()

        def run() -> None:
            try:
                cursor.execute(LONG_SQL)
            except BaseException as error:  # the cancel ends it with OperationalError
                errors.append(error)

        worker = threading.Thread(target=run)
        worker.start()
        try:
            deadline = time.monotonic() + 30
            while spec.get_cancel_query_id(cursor, None) is None:
                assert time.monotonic() < deadline, "the statement was never submitted"
                time.sleep(0.05)
            statement_id = spec.get_cancel_query_id(cursor, None)
            with closing(engine.raw_connection()) as other, closing(other.cursor()) as fresh:
                assert spec.cancel_query(fresh, None, statement_id) is True
        finally:
            worker.join(60)
            running.close()
    assert not worker.is_alive()
    assert errors and isinstance(errors[0], redshift_dataapi.OperationalError)
    from tests.engines import http_client

    client = http_client(http_endpoint)
    deadline = time.monotonic() + 30
    status = client.describe_statement(Id=statement_id)["Status"]
    while status not in ("ABORTED", "FAILED", "FINISHED") and time.monotonic() < deadline:
        time.sleep(0.1)
        status = client.describe_statement(Id=statement_id)["Status"]
    assert status == "ABORTED"


def test_execute_with_cursor_records_the_cancel_key_before_waiting(database: Any) -> None:
    """Superset's SQL Lab path: the statement Id is the query's cancel key, then results."""
    from superset.constants import QUERY_CANCEL_KEY
    from superset.extensions import db
    from superset.models.sql_lab import Query

    query = Query(
        client_id="t" + str(int(time.time() * 1000))[-9:],
        database=database,
        sql="SELECT id FROM shop.orders ORDER BY id",
        schema="shop",
    )
    db.session.add(query)
    db.session.commit()
    with database.get_raw_connection(schema="shop") as conn:
        cursor = conn.cursor()
        database.db_engine_spec.execute_with_cursor(cursor, query.sql, query)
        rows = database.db_engine_spec.fetch_data(cursor)
    assert [tuple(r) for r in rows] == [(1,), (2,)]
    assert query.extra.get(QUERY_CANCEL_KEY) == cursor.statement_id
    assert query.progress == 100
