"""The demo's generated green-taxi sample: deterministic, realistic, loadable in few statements."""

from __future__ import annotations

import statistics
from collections import Counter

from redshift_dataapi._core.limits import MAX_SQL_BYTES
from redshift_dataapi.cli import demo_data


def test_same_seed_same_trips_other_seed_other_trips() -> None:
    assert demo_data.seed_trips(300) == demo_data.seed_trips(300)
    assert demo_data.seed_trips(300) != demo_data.seed_trips(300, seed=7)
    assert demo_data.load_statements(100, 3) == demo_data.load_statements(100, 3)


def test_distributions_look_like_green_taxi_data() -> None:
    trips = demo_data.seed_trips(4000)
    ratecodes = Counter(t.ratecode for t in trips)
    assert ratecodes[1] / len(trips) > 0.9
    assert {2, 5} <= set(ratecodes)
    distances = [t.trip_distance for t in trips]
    assert 1.0 < statistics.median(distances) < 3.5
    assert statistics.mean(distances) > statistics.median(distances)  # long right tail
    assert Counter(t.passenger_count for t in trips).most_common(1)[0][0] == 1
    for trip in trips:
        assert 0 <= trip.day < 31
        assert 0 <= trip.second_of_day < 86400
        assert trip.duration_seconds > 0
        if trip.payment_type != "1":
            assert trip.tip_amount == 0  # tips are recorded on card payments only
    cash = [t for t in trips if t.payment_type == "2"]
    card = [t for t in trips if t.payment_type == "1"]
    assert cash and card


def test_inserts_respect_the_size_limit_and_keep_every_row() -> None:
    rows = [tuple(vars(t).values()) for t in demo_data.seed_trips(1500)]
    statements = list(demo_data.insert_statements("demo.t", rows, max_bytes=20_000))
    assert len(statements) > 1
    assert all(len(s.encode()) <= 20_000 for s in statements)
    assert sum(s.count("),(") + 1 for s in statements) == len(rows)


def test_load_statements_stay_few_and_under_the_data_api_sql_limit() -> None:
    statements = demo_data.load_statements()
    assert len(statements) < 20
    assert all(len(s.encode()) < MAX_SQL_BYTES for s in statements)
    assert statements[-3] == demo_data.INSERT_SELECT
    assert "DISTKEY" in demo_data.CREATE_TABLE and "SORTKEY" in demo_data.CREATE_TABLE
