"""Arrow batches from pages the local endpoint does not produce (results/arrow.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

import redshift_dataapi
from redshift_dataapi.results import arrow
from redshift_dataapi.results.resultset import ResultSet

pa = pytest.importorskip("pyarrow", reason="the columnar fetches need the arrow extra")

METADATA = [
    {"name": "d", "label": "d", "typeName": "date"},
    {"name": "n", "label": "n", "typeName": "numeric", "precision": 50, "scale": 3},
    {"name": "b", "label": "b", "typeName": "varbyte"},
]


def _result(records: Any, csv: bool = False) -> ResultSet:
    return ResultSet(iter([{"ColumnMetadata": METADATA, "Records": records}]), csv=csv)


def test_decimal256_and_varbyte() -> None:
    record = [
        {"stringValue": "2024-01-02"},
        {"stringValue": "1" * 47 + ".5"},
        {"blobValue": b"\x00\x01"},
    ]
    table = arrow.table(_result([record]))
    assert table.schema.field("n").type == pa.decimal256(50, 3)
    assert table.to_pylist() == [
        {"d": dt.date(2024, 1, 2), "n": Decimal("1" * 47 + ".500"), "b": b"\x00\x01"}
    ]
    from_csv = arrow.table(_result([{"CSVRecords": "2024-01-02,1.5,00ff\n,,\n"}], csv=True))
    assert from_csv.to_pylist() == [
        {"d": dt.date(2024, 1, 2), "n": Decimal("1.500"), "b": b"\x00\xff"},
        {"d": None, "n": None, "b": None},
    ]


@pytest.mark.parametrize("csv", [False, True], ids=["json", "csv"])
def test_a_value_arrow_cannot_hold_is_a_data_error(csv: bool) -> None:
    records: Any = (
        [{"CSVRecords": "infinity,1,00\n"}]
        if csv
        else [[{"stringValue": "infinity"}, {"stringValue": "1"}, {"stringValue": "00"}]]
    )
    with pytest.raises(redshift_dataapi.DataError, match=r"column 'd'.*date32.*infinity"):
        arrow.table(_result(records, csv=csv))


def test_an_empty_result_is_a_typed_empty_table() -> None:
    table = arrow.table(_result([]))
    assert table.num_rows == 0
    assert [f.type for f in table.schema] == [pa.date32(), pa.decimal256(50, 3), pa.binary()]
