"""Aware datetimes bound to TIMESTAMP and TIMESTAMPTZ columns: converted to UTC, never shifted."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from .conftest import ConnFactory

UTC = dt.timezone.utc


def test_an_aware_datetime_is_stored_as_its_utc_time(connect: ConnFactory) -> None:
    cur = connect().cursor()
    cur.execute("CREATE TABLE stamps (k INT, ts TIMESTAMP, tz TIMESTAMPTZ)")
    local = dt.datetime(2024, 7, 1, 12, 30, tzinfo=ZoneInfo("Europe/Berlin"))  # 10:30 UTC
    naive = dt.datetime(2024, 7, 1, 12, 30)
    cur.executemany(
        "INSERT INTO stamps VALUES (:k, :ts, :tz)",
        [{"k": 1, "ts": local, "tz": local}, {"k": 2, "ts": naive, "tz": naive}],
    )
    rows = cur.execute("SELECT k, ts, tz FROM stamps ORDER BY k").fetchall()
    (_, ts1, tz1), (_, ts2, _tz2) = rows
    # TIMESTAMP keeps no zone: the UTC wall time, not 12:30 (the offset dropped).
    assert ts1 == dt.datetime(2024, 7, 1, 10, 30)
    # TIMESTAMPTZ: the same instant.
    assert isinstance(tz1, dt.datetime) and tz1.astimezone(UTC) == local.astimezone(UTC)
    # Naive values are sent as they are.
    assert ts2 == naive


def test_an_aware_parameter_compares_as_its_instant(connect: ConnFactory) -> None:
    cur = connect().cursor()
    cur.execute("CREATE TABLE ev (ts TIMESTAMP)")
    cur.execute("INSERT INTO ev VALUES ('2024-01-01 11:00:00')")
    east = dt.datetime(2024, 1, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    row = cur.execute("SELECT COUNT(*) FROM ev WHERE ts = :t", {"t": east}).fetchone()
    assert row == (1,)
