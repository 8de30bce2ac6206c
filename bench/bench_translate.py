"""Cost of big parameterised INSERT ... VALUES statements on the local DuckDB endpoint.

Prints, in one process:

* translate() alone of a 1000-row x 8-column INSERT with plain ``:p`` values
  and with every value wrapped as ``CAST(:p AS type)`` (what clients that
  type their parameters send);
* the DuckDB engine's execute() of those two statements (translation +
  binding + DuckDB), and ExecuteStatement of them through the in-process
  endpoint (plus botocore, validation and the service), with the ratio
  cast / plain;
* pandas ``DataFrame.to_sql`` of N rows x 8 mixed columns (int, Decimal,
  float, text, bool, date, aware datetime, NULLs) through the SQLAlchemy
  dialect (``redshift+dataapi://local/dev?endpoint_url=local:``).

    python bench/bench_translate.py [--rows 50000] [--repeat 3] [--general-path]

``--general-path`` turns the INSERT fast path off (the figures of before it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import time
from typing import Any

from redshift_dataapi.local import LocalDataAPI, inprocess_client
from redshift_dataapi.local.engines.duckdb.engine import DuckDBEngine
from redshift_dataapi.local.translate.core import translate

TARGET = {"ClusterIdentifier": "bench", "Database": "dev"}
COLUMNS = (
    ("id", "BIGINT"),
    ("price", "NUMERIC(10,2)"),
    ("ratio", "DOUBLE PRECISION"),
    ("name", "VARCHAR(40)"),
    ("flag", "BOOLEAN"),
    ("day", "DATE"),
    ("ts", "TIMESTAMPTZ"),
    ("note", "VARCHAR(20)"),
)


def _value(row: int, col: int) -> str | None:
    """One Data API parameter value for row/column (None: NULL, in some rows)."""
    if col == 7 and row % 3 == 0:
        return None
    texts = (
        str(row),
        f"{row % 1000}.{row % 100:02d}",
        f"{row * 0.25}",
        f"name-{row}",
        "true" if row % 2 else "false",
        (dt.date(2024, 1, 1) + dt.timedelta(days=row % 365)).isoformat(),
        f"2024-01-02 03:04:{row % 60:02d}.123456+00",
        f"note {row}",
    )
    return texts[col]


#: The columns of the raw INSERT: with a CAST per value, 1000 rows of more
#: columns would not fit the Data API's 100 KB limit on the SQL text.
RAW_COLUMNS = (0, 1, 5)


def insert_statement(
    rows: int, with_casts: bool, columns: tuple[int, ...] = RAW_COLUMNS
) -> tuple[str, list[dict[str, Any]]]:
    """A multi-row INSERT as SQLAlchemy's insertmanyvalues writes it, and its parameters."""
    tuples = []
    params: list[dict[str, Any]] = []
    for r in range(rows):
        items = []
        for position, c in enumerate(columns):
            type_ = COLUMNS[c][1]
            name = f"p_{r * len(columns) + position}"
            value = _value(r, c)
            # The driver writes NULL parameters into the text as NULL (the Data API
            # has no null parameter value).
            text = "NULL" if value is None else f":{name}"
            items.append(f"CAST({text} AS {type_})" if with_casts else text)
            if value is not None:
                params.append({"name": name, "value": value})
        tuples.append("(" + ", ".join(items) + ")")
    names = ", ".join(COLUMNS[c][0] for c in columns)
    return f"INSERT INTO bench_t ({names}) VALUES " + ", ".join(tuples), params


def _best(fn: Any, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def _run(client: Any, sql: str, params: list[dict[str, Any]] | None = None) -> None:
    kwargs: dict[str, Any] = {"Sql": sql, "WaitTimeSeconds": 30, **TARGET}
    if params:
        kwargs["Parameters"] = params
    response = client.execute_statement(**kwargs)
    while True:
        described = client.describe_statement(Id=response["Id"], WaitTimeSeconds=30)
        if described["Status"] == "FINISHED":
            return
        if described["Status"] in ("FAILED", "ABORTED"):
            raise SystemExit(f"benchmark statement {described['Status']}: {described.get('Error')}")


def bench_raw(repeat: int) -> None:
    """translate() and ExecuteStatement of the 1000-row INSERT, with and without casts."""
    plain_sql, plain_params = insert_statement(1000, with_casts=False)
    cast_sql, cast_params = insert_statement(1000, with_casts=True)
    t_plain = _best(lambda: translate(plain_sql, "duckdb"), repeat)
    t_cast = _best(lambda: translate(cast_sql, "duckdb"), repeat)
    width = len(RAW_COLUMNS)
    plain_kb, cast_kb = len(plain_sql) // 1024, len(cast_sql) // 1024
    print(f"translate 1000 rows x {width}, plain ({plain_kb} KB): {t_plain * 1000:8.1f} ms")
    print(
        f"translate 1000 rows x {width}, CAST ({cast_kb} KB):  {t_cast * 1000:8.1f} ms"
        f"  (x{t_cast / t_plain:.1f} plain)"
    )
    # The engine alone (translate + bind + DuckDB), then the whole endpoint.
    engine = DuckDBEngine()
    conn = engine.connect("dev")
    ddl = ", ".join(f"{name} {type_}" for name, type_ in COLUMNS)
    conn.execute(f"CREATE TABLE bench_t ({ddl})")
    plain_values = {p["name"]: p["value"] for p in plain_params}
    cast_values = {p["name"]: p["value"] for p in cast_params}
    g_plain = _best(lambda: conn.execute(plain_sql, plain_values), repeat)
    g_cast = _best(lambda: conn.execute(cast_sql, cast_values), repeat)
    engine.close()
    print(f"DuckDB engine execute 1000-row INSERT, plain: {g_plain:6.3f} s")
    print(
        f"DuckDB engine execute 1000-row INSERT, CAST:  {g_cast:6.3f} s"
        f"  (x{g_cast / g_plain:.2f} plain)"
    )
    client = inprocess_client(LocalDataAPI("duckdb"))
    _run(client, f"CREATE TABLE bench_t ({ddl})")
    e_plain = _best(lambda: _run(client, plain_sql, plain_params), repeat)
    e_cast = _best(lambda: _run(client, cast_sql, cast_params), repeat)
    print(f"ExecuteStatement 1000-row INSERT, plain: {e_plain:6.3f} s")
    print(
        f"ExecuteStatement 1000-row INSERT, CAST:  {e_cast:6.3f} s  (x{e_cast / e_plain:.2f} plain)"
    )


def bench_to_sql(rows: int) -> None:
    """pandas to_sql of ``rows`` x 8 mixed columns through the dialect."""
    import pandas as pd
    from sqlalchemy import create_engine

    utc = dt.UTC
    frame = pd.DataFrame(
        {
            "id": range(rows),
            "price": [decimal.Decimal(f"{i % 1000}.{i % 100:02d}") for i in range(rows)],
            "ratio": [i * 0.25 for i in range(rows)],
            "name": [f"name-{i}" for i in range(rows)],
            "flag": [bool(i % 2) for i in range(rows)],
            "day": [dt.date(2024, 1, 1) + dt.timedelta(days=i % 365) for i in range(rows)],
            "ts": [dt.datetime(2024, 1, 2, 3, 4, i % 60, tzinfo=utc) for i in range(rows)],
            "note": [None if i % 3 == 0 else f"note {i}" for i in range(rows)],
        }
    )
    engine = create_engine("redshift+dataapi://local/dev?endpoint_url=local:")
    started = time.perf_counter()
    frame.to_sql("bench_frame", engine, index=False, if_exists="replace", chunksize=None)
    elapsed = time.perf_counter() - started
    with engine.connect() as conn:
        from sqlalchemy import text

        count = conn.execute(text("SELECT COUNT(*) FROM bench_frame")).scalar()
    engine.dispose()
    assert count == rows, (count, rows)
    print(
        f"to_sql {rows} rows x 8 mixed columns via the dialect: {elapsed:6.2f} s"
        f" ({rows / elapsed:,.0f} rows/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000, help="rows for to_sql")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions (best is shown)")
    parser.add_argument("--skip-to-sql", action="store_true", help="only the raw INSERTs")
    parser.add_argument(
        "--general-path",
        action="store_true",
        help="disable the INSERT fast path (figures as before it existed)",
    )
    args = parser.parse_args()
    if args.general_path:
        from redshift_dataapi.local.translate import core as translate_module

        translate_module.translate_insert_values = lambda sql, target: None
        print("(INSERT fast path disabled)")
    bench_raw(args.repeat)
    if not args.skip_to_sql:
        bench_to_sql(args.rows)


if __name__ == "__main__":
    main()
