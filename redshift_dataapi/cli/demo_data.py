"""A generated, deterministic sample of NYC green-taxi trips (January 2016) for the demo.

Real trip records cannot ship with the package, so the demo makes its own:
a seeded :class:`random.Random` draws "seed trips" with distributions shaped
like the published green-taxi data (mostly one passenger, log-normal trip
distances with a median near two miles, rate code 1 for ~97 % of trips and
the airport rates far less often, evening peaks, metered fares, tips on card
payments only, the odd toll, ehail_fee always NULL), and a table of "spread"
factors turns each seed trip into several trips on other days, at other
minutes, slightly longer or shorter.

Loading goes through the Data API: the seed trips and spread factors are a
few multi-row INSERTs (each well under the 100 KB SQL limit), and one
``INSERT ... SELECT`` cross join writes the table.  That keeps the load to a
handful of statements instead of 100,000 rows of SQL text, and it runs the
same on a real cluster (no leader-node-only function such as generate_series).
On the local endpoint the demo loads as the Data API walkthrough does:
:func:`trip_rows` gives the same trips as rows, :func:`csv_gzip` writes them
as a gzip CSV file for S3, and COPY reads it.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

__all__ = [
    "CREATE_SEED_TABLE",
    "CREATE_SPREAD_TABLE",
    "CREATE_TABLE",
    "INSERT_SELECT",
    "QUALIFIED",
    "SCHEMA",
    "SEED",
    "SEED_TABLE",
    "SPREAD_TABLE",
    "TABLE",
    "WALKTHROUGH_QUERY",
    "SeedTrip",
    "insert_statements",
    "load_statements",
    "seed_trips",
    "spread_factors",
]

SEED = 20160101
SCHEMA = "demo"
TABLE = "green_201601"
QUALIFIED = f"{SCHEMA}.{TABLE}"
SEED_TABLE = f"{SCHEMA}.load_seed_trips"
SPREAD_TABLE = f"{SCHEMA}.load_spread"

#: The walkthrough's DDL (DESIGN.md section 7) with a distribution and sort key.
CREATE_TABLE = f"""CREATE TABLE {QUALIFIED} (
    vendorid VARCHAR(4), pickup_datetime TIMESTAMP, dropoff_datetime TIMESTAMP,
    store_and_fwd_flag VARCHAR(1), ratecode INT, pickup_longitude FLOAT4,
    pickup_latitude FLOAT4, dropoff_longitude FLOAT4, dropoff_latitude FLOAT4,
    passenger_count INT, trip_distance FLOAT4, fare_amount FLOAT4, extra FLOAT4,
    mta_tax FLOAT4, tip_amount FLOAT4, tolls_amount FLOAT4, ehail_fee FLOAT4,
    improvement_surcharge FLOAT4, total_amount FLOAT4, payment_type VARCHAR(4),
    trip_type VARCHAR(4)
) DISTKEY(vendorid) SORTKEY(pickup_datetime)"""

#: The walkthrough's query.
WALKTHROUGH_QUERY = (
    f"SELECT ratecode, COUNT(*) FROM {QUALIFIED} WHERE trip_distance > 5 GROUP BY 1 ORDER BY 1"
)

# Pickup neighbourhoods of green cabs (outside Manhattan's yellow zone): lon, lat.
_AREAS = [
    (-73.944, 40.808),  # Harlem
    (-73.957, 40.714),  # Williamsburg
    (-73.922, 40.762),  # Astoria
    (-73.888, 40.748),  # Jackson Heights
    (-73.944, 40.684),  # Bedford-Stuyvesant
    (-73.937, 40.798),  # East Harlem
    (-73.982, 40.690),  # Downtown Brooklyn
    (-73.910, 40.830),  # South Bronx
]
# Share of pickups by hour of day, shaped like taxi demand (low at 5 am, evening peak).
_HOUR_WEIGHTS = [6, 5, 4, 3, 2, 2, 3, 5, 6, 5, 5, 5, 5, 5, 5, 6, 6, 7, 8, 8, 7, 7, 7, 7]
_RATECODES = [(1, 9750), (5, 180), (2, 30), (4, 25), (3, 10), (6, 5)]
_PASSENGERS = [(1, 8300), (2, 800), (5, 400), (3, 220), (6, 200), (4, 80)]


@dataclass(frozen=True)
class SeedTrip:
    """One generated trip; times as a day of January (0-30) and seconds into that day."""

    vendorid: str
    day: int
    second_of_day: int
    duration_seconds: int
    store_and_fwd_flag: str
    ratecode: int
    pickup_longitude: float | None
    pickup_latitude: float | None
    dropoff_longitude: float | None
    dropoff_latitude: float | None
    passenger_count: int
    trip_distance: float
    fare_amount: float
    extra: float
    mta_tax: float
    tip_amount: float
    tolls_amount: float
    improvement_surcharge: float
    payment_type: str
    trip_type: str


def _weighted(rng: random.Random, choices: Sequence[tuple[int, int]]) -> int:
    values = [c[0] for c in choices]
    weights = [c[1] for c in choices]
    return rng.choices(values, weights)[0]


def _point(rng: random.Random, lon: float, lat: float, spread: float) -> tuple[float, float]:
    return round(rng.gauss(lon, spread), 5), round(rng.gauss(lat, spread), 5)


def _draw_distance(rng: random.Random, ratecode: int) -> float:
    """Miles of one trip, by rate code (airports are long, the rest log-normal)."""
    if ratecode == 2:  # JFK: long trips, flat fare
        distance = rng.uniform(14.0, 22.0)
    elif ratecode == 3:  # Newark
        distance = rng.uniform(16.0, 26.0)
    elif ratecode == 4:  # Nassau/Westchester
        distance = rng.lognormvariate(2.2, 0.4)
    else:
        distance = min(rng.lognormvariate(0.7, 0.75), 40.0)
    return round(distance, 2)


def _draw_fare(rng: random.Random, ratecode: int, distance: float, minutes: float) -> float:
    """The metered fare (JFK's flat rate, a negotiated one, or distance and time)."""
    if ratecode == 2:
        return 52.0
    if ratecode == 5:
        return float(rng.randrange(8, 60))
    return round((2.5 + 2.5 * distance * 0.8 + 0.5 * minutes * 0.2) * 2) / 2


_Point = tuple[float | None, float | None]


def _draw_points(rng: random.Random, distance: float) -> tuple[_Point, _Point]:
    """Pickup and dropoff coordinates around the neighbourhoods green cabs serve."""
    lon, lat = rng.choice(_AREAS)
    if rng.random() < 0.01:  # GPS missing, as in the real files
        return (None, None), (None, None)
    pickup = _point(rng, lon, lat, 0.012)
    d_lon, d_lat = rng.choice(_AREAS)
    step = min(distance / 12.0, 1.0)  # far trips end far from home
    dropoff = _point(
        rng, lon + (d_lon - lon) * step, lat + (d_lat - lat) * step, 0.01 + distance * 0.004
    )
    return pickup, dropoff


def _draw_trip(rng: random.Random) -> SeedTrip:
    """One trip; the draws happen in a fixed order, so a seed gives the same trips."""
    ratecode = _weighted(rng, _RATECODES)
    hour = rng.choices(range(24), _HOUR_WEIGHTS)[0]
    second_of_day = hour * 3600 + rng.randrange(3600)
    day = rng.randrange(31)
    distance = _draw_distance(rng, ratecode)
    speed_mph = max(4.0, rng.gauss(12.0 if 7 <= hour <= 19 else 17.0, 3.0))
    duration = int(distance / speed_mph * 3600) + rng.randrange(30, 240)
    fare = _draw_fare(rng, ratecode, distance, duration / 60)
    overnight = hour >= 20 or hour < 6
    weekday = (day + 4) % 7 < 5  # 2016-01-01 was a Friday
    payment_type = str(_weighted(rng, [(1, 4700), (2, 5200), (3, 60), (4, 40)]))
    tip = 0.0
    if payment_type == "1" and rng.random() < 0.8:
        tip = round(fare * rng.choice([0.15, 0.2, 0.2, 0.25, 0.3]), 2)
    tolls = 5.54 if rng.random() < (0.4 if distance > 10 else 0.01) else 0.0
    pickup, dropoff = _draw_points(rng, distance)
    trip_type = "2" if ratecode == 5 and rng.random() < 0.8 else "1"
    return SeedTrip(
        vendorid="2" if rng.random() < 0.82 else "1",
        day=day,
        second_of_day=second_of_day,
        duration_seconds=duration,
        store_and_fwd_flag="Y" if rng.random() < 0.005 else "N",
        ratecode=ratecode,
        pickup_longitude=pickup[0],
        pickup_latitude=pickup[1],
        dropoff_longitude=dropoff[0],
        dropoff_latitude=dropoff[1],
        passenger_count=_weighted(rng, _PASSENGERS),
        trip_distance=distance,
        fare_amount=fare,
        extra=0.5 if overnight else (1.0 if weekday and 16 <= hour < 20 else 0.0),
        mta_tax=0.0 if ratecode == 5 else 0.5,
        tip_amount=tip,
        tolls_amount=tolls,
        improvement_surcharge=0.3,
        payment_type=payment_type,
        trip_type=trip_type,
    )


def seed_trips(count: int, seed: int = SEED) -> list[SeedTrip]:
    """``count`` trips drawn with a seeded generator: the same list for the same seed."""
    rng = random.Random(seed)
    return [_draw_trip(rng) for _ in range(count)]


def spread_factors(count: int, seed: int = SEED) -> list[tuple[int, int, int, float]]:
    """``count`` rows (k, day shift, second shift, distance factor) for the cross join."""
    rng = random.Random(seed + 1)
    return [
        (k, rng.randrange(31), rng.randrange(-1800, 1800), round(rng.uniform(0.85, 1.15), 3))
        for k in range(count)
    ]


CREATE_SEED_TABLE = f"""CREATE TABLE {SEED_TABLE} (
    vendorid VARCHAR(4), day INT, second_of_day INT, duration_seconds INT,
    store_and_fwd_flag VARCHAR(1), ratecode INT, pickup_longitude FLOAT4,
    pickup_latitude FLOAT4, dropoff_longitude FLOAT4, dropoff_latitude FLOAT4,
    passenger_count INT, trip_distance FLOAT4, fare_amount FLOAT4, extra FLOAT4,
    mta_tax FLOAT4, tip_amount FLOAT4, tolls_amount FLOAT4, improvement_surcharge FLOAT4,
    payment_type VARCHAR(4), trip_type VARCHAR(4))"""

CREATE_SPREAD_TABLE = (
    f"CREATE TABLE {SPREAD_TABLE} (k INT, day_shift INT, second_shift INT, factor FLOAT4)"
)

# Seconds since 2016-01-01 of the copy's pickup; the day wraps inside January.
_PICKUP_SECONDS = (
    "((s.day + p.day_shift) % 31) * 86400 "
    "+ GREATEST(0, LEAST(86399, s.second_of_day + p.second_shift))"
)

# Rounding goes through DECIMAL: ROUND(real, n) exists in Redshift but not in
# PostgreSQL, and the demo runs on both.
_FARE = (
    "CASE WHEN s.ratecode IN (2, 5) THEN CAST(s.fare_amount AS DECIMAL(10,2)) "
    "ELSE ROUND(CAST(s.fare_amount * p.factor * 2 AS DECIMAL(12,4)), 0) / 2 END"
)

#: The one statement that writes the table from the seed trips and the spread.
INSERT_SELECT = f"""INSERT INTO {QUALIFIED}
SELECT s.vendorid,
       DATEADD(second, {_PICKUP_SECONDS}, TIMESTAMP '2016-01-01 00:00:00'),
       DATEADD(second, {_PICKUP_SECONDS} + CAST(s.duration_seconds * p.factor AS INT),
               TIMESTAMP '2016-01-01 00:00:00'),
       s.store_and_fwd_flag, s.ratecode,
       s.pickup_longitude, s.pickup_latitude, s.dropoff_longitude, s.dropoff_latitude,
       s.passenger_count,
       CAST(ROUND(CAST(s.trip_distance * p.factor AS DECIMAL(12,4)), 2) AS FLOAT4),
       CAST({_FARE} AS FLOAT4),
       s.extra, s.mta_tax,
       CAST(ROUND(CAST(s.tip_amount * p.factor AS DECIMAL(12,4)), 2) AS FLOAT4),
       s.tolls_amount, CAST(NULL AS FLOAT4), s.improvement_surcharge,
       CAST(ROUND(CAST({_FARE} + s.extra + s.mta_tax + s.tip_amount * p.factor
                       + s.tolls_amount + s.improvement_surcharge AS DECIMAL(12,4)), 2)
            AS FLOAT4),
       s.payment_type, s.trip_type
FROM {SEED_TABLE} s CROSS JOIN {SPREAD_TABLE} p"""


def _sql_literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


def insert_statements(
    table: str, rows: Sequence[Sequence[object]], max_bytes: int = 60_000
) -> Iterator[str]:
    """Multi-row INSERTs of ``rows`` into ``table``, each under ``max_bytes`` of SQL."""
    head = f"INSERT INTO {table} VALUES "
    values: list[str] = []
    size = len(head)
    for row in rows:
        text = "(" + ",".join(_sql_literal(v) for v in row) + ")"
        if values and size + len(text) + 1 > max_bytes:
            yield head + ",".join(values)
            values, size = [], len(head)
        values.append(text)
        size += len(text) + 1
    if values:
        yield head + ",".join(values)


def load_statements(seed_count: int = 2000, copies: int = 50) -> list[str]:
    """Every statement that loads ``seed_count * copies`` trips, in order (staging dropped)."""
    trips = seed_trips(seed_count)
    seed_rows = [tuple(vars(t).values()) for t in trips]
    statements = [
        f"DROP TABLE IF EXISTS {SEED_TABLE}",
        f"DROP TABLE IF EXISTS {SPREAD_TABLE}",
        CREATE_SEED_TABLE,
        CREATE_SPREAD_TABLE,
    ]
    statements += insert_statements(SEED_TABLE, seed_rows)
    statements += insert_statements(SPREAD_TABLE, spread_factors(copies))
    statements.append(INSERT_SELECT)
    statements += [f"DROP TABLE {SEED_TABLE}", f"DROP TABLE {SPREAD_TABLE}"]
    return statements


_JANUARY = datetime.datetime(2016, 1, 1)
#: The table's columns, in order: the header of the demo's CSV files.
COLUMNS = [
    "vendorid", "pickup_datetime", "dropoff_datetime", "store_and_fwd_flag", "ratecode",
    "pickup_longitude", "pickup_latitude", "dropoff_longitude", "dropoff_latitude",
    "passenger_count", "trip_distance", "fare_amount", "extra", "mta_tax", "tip_amount",
    "tolls_amount", "ehail_fee", "improvement_surcharge", "total_amount", "payment_type",
    "trip_type",
]  # fmt: skip


def trip_rows(seed_count: int = 2000, copies: int = 50) -> Iterator[tuple[object, ...]]:
    """The ``seed_count * copies`` trips as table rows, the same trips INSERT_SELECT writes.

    For the demo's S3 load: the rows go to CSV files and COPY reads them.
    """
    seeds = seed_trips(seed_count)
    for _, day_shift, second_shift, factor in spread_factors(copies):
        for s in seeds:
            seconds = ((s.day + day_shift) % 31) * 86400 + max(
                0, min(86399, s.second_of_day + second_shift)
            )
            pickup = _JANUARY + datetime.timedelta(seconds=seconds)
            dropoff = pickup + datetime.timedelta(seconds=round(s.duration_seconds * factor))
            flat = s.ratecode in (2, 5)  # airport and negotiated fares do not scale
            fare = s.fare_amount if flat else round(s.fare_amount * factor * 2) / 2
            tip = round(s.tip_amount * factor, 2)
            total = round(
                fare + s.extra + s.mta_tax + tip + s.tolls_amount + s.improvement_surcharge, 2
            )
            yield (
                s.vendorid, pickup, dropoff, s.store_and_fwd_flag, s.ratecode,
                s.pickup_longitude, s.pickup_latitude, s.dropoff_longitude, s.dropoff_latitude,
                s.passenger_count, round(s.trip_distance * factor, 2), fare, s.extra, s.mta_tax,
                tip, s.tolls_amount, None, s.improvement_surcharge, total, s.payment_type,
                s.trip_type,
            )  # fmt: skip


def csv_gzip(rows: Sequence[Sequence[object]], header: Sequence[str] = COLUMNS) -> bytes:
    """``rows`` as a gzip-compressed CSV file with a header line (NULL: an empty field)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    # csv writes None as an empty field; timestamps need Redshift's space, not ISO's T.
    stamps = [i for i, v in enumerate(rows[0] if rows else ()) if isinstance(v, datetime.datetime)]
    for row in rows:
        if stamps:
            values = list(row)
            for i in stamps:
                values[i] = str(values[i])
            writer.writerow(values)
        else:
            writer.writerow(row)
    return gzip.compress(buffer.getvalue().encode("utf-8"), compresslevel=1)
