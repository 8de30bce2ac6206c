"""pandas read_sql / read_sql_table / to_sql through the dialect."""

from __future__ import annotations

import datetime as dt
import decimal

import pandas as pd
import pytest
import sqlalchemy as sa

from .conftest import CallCounter

ROWS = 50_000  # the size users asked to round-trip; see test_..._50k (DuckDB only: slow)
SMALL = 2_000


def mixed_frame(n: int) -> pd.DataFrame:
    """n rows of every type users write, with NULLs in every column."""
    utc = dt.timezone.utc
    base = dt.datetime(2024, 1, 1, 12, 30, 15, 123456)
    pairs = [(i, i % 7 == 3) for i in range(n)]  # (row number, is this row's value NULL)
    frame = pd.DataFrame(
        {
            "i": pd.array([None if z else i * 1_000_003 - 5 for i, z in pairs], dtype="Int64"),
            "f": [None if z else i / 7 for i, z in pairs],
            "d": [
                None if z else decimal.Decimal(i) / 100 - decimal.Decimal("12.34") for i, z in pairs
            ],
            "s": [None if z else f"värde-{i}-ünï ☃" for i, z in pairs],
            "b": pd.array([None if z else i % 2 == 0 for i, z in pairs], dtype="boolean"),
            "day": [
                None if z else dt.date(2020, 1, 1) + dt.timedelta(days=i % 3000) for i, z in pairs
            ],
            "naive": pd.to_datetime(
                [None if z else base + dt.timedelta(seconds=i) for i, z in pairs]
            ),
            "aware": pd.to_datetime(
                [
                    None if z else (base + dt.timedelta(minutes=i)).replace(tzinfo=utc)
                    for i, z in pairs
                ],
                utc=True,
            ),
        }
    )
    return frame


DTYPES = {"d": sa.Numeric(18, 4)}


def assert_same(written: pd.DataFrame, read: pd.DataFrame) -> None:
    read = read.sort_values("i", na_position="first", kind="stable")
    written = written.sort_values("i", na_position="first", kind="stable")
    assert len(read) == len(written)
    for col in written.columns:
        expected = [None if pd.isna(v) else v for v in written[col]]
        got = [None if pd.isna(v) else v for v in read[col]]
        if col == "d":  # read_sql_table turns NUMERIC into float (pandas' choice)
            got = [decimal.Decimal(repr(v)) if isinstance(v, float) else v for v in got]
        if col in ("naive", "aware", "day"):  # pandas reads DATE as datetime64
            expected = [None if v is None else pd.Timestamp(v) for v in expected]
            got = [None if v is None else pd.Timestamp(v) for v in got]
        assert sorted(got, key=_key) == sorted(expected, key=_key), col


def _key(v: object) -> tuple[int, str]:
    return (0, "") if v is None else (1, repr(v))


def round_trip(engine: sa.Engine, calls: CallCounter, rows: int) -> None:
    frame = mixed_frame(rows)
    calls.reset()
    assert frame.to_sql("mixed", engine, index=False, dtype=DTYPES) == rows
    assert calls.statements < rows / 100, calls.ops  # never one call per row
    back = pd.read_sql_table("mixed", engine)
    assert_same(frame, back)
    assert back["aware"].dt.tz is not None
    exact = pd.read_sql("SELECT d FROM mixed", engine, coerce_float=False)["d"].dropna()
    assert sorted(exact) == sorted(frame["d"].dropna())
    assert all(isinstance(v, decimal.Decimal) for v in exact)


def test_to_sql_and_read_back_mixed_rows(engine: sa.Engine, calls: CallCounter) -> None:
    round_trip(engine, calls, SMALL)


@pytest.mark.slow
def test_to_sql_and_read_back_50k_mixed_rows(
    engine: sa.Engine, calls: CallCounter, engine_spec: str
) -> None:
    if engine_spec != "duckdb":
        pytest.skip("50,000 rows run once, on DuckDB (the PostgreSQL path is the same code)")
    round_trip(engine, calls, ROWS)


@pytest.mark.parametrize("method", [None, "multi"])
def test_if_exists_chunksize_and_method(engine: sa.Engine, method: str | None) -> None:
    frame = mixed_frame(600)
    frame.to_sql(
        "t", engine, schema="public", index=False, dtype=DTYPES, chunksize=250, method=method
    )
    with pytest.raises(ValueError, match="already exists"):
        frame.to_sql("t", engine, index=False, if_exists="fail")
    frame.to_sql(
        "t", engine, index=False, dtype=DTYPES, if_exists="append", chunksize=250, method=method
    )
    assert pd.read_sql("SELECT COUNT(*) AS n FROM t", engine)["n"][0] == 1200
    half = frame.iloc[:300]
    half.to_sql(
        "t", engine, index=False, dtype=DTYPES, if_exists="replace", method=method, chunksize=100
    )
    assert_same(half, pd.read_sql_table("t", engine))


def test_read_sql_with_params(engine: sa.Engine) -> None:
    mixed_frame(200).to_sql("p", engine, index=False, dtype=DTYPES)
    got = pd.read_sql(
        sa.text("SELECT i, s FROM p WHERE i > :lo AND s LIKE :pat ORDER BY i"),
        engine,
        params={"lo": 100_000_000, "pat": "värde-1%"},
    )
    assert len(got) > 0
    assert (got["i"] > 100_000_000).all() and got["s"].str.startswith("värde-1").all()
    assert list(got["i"]) == sorted(got["i"])
