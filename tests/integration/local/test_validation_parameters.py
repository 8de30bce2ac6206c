"""Long Parameters lists: every item is still checked, with the service's messages.

The service checks a list of many name/value pairs in bulk when all of them
are valid; these tests make sure one bad item among thousands is still found
and reported exactly as when it is alone, and that a valid long list runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from redshift_dataapi.local import LocalDataAPI, ServiceError, inprocess_client

from .helpers import TARGET

COUNT = 2000


@pytest.fixture(scope="module")
def service() -> Iterator[LocalDataAPI]:
    with LocalDataAPI("duckdb") as svc:
        yield svc


def _request(parameters: list[Any]) -> dict[str, Any]:
    names = [
        p["name"] for p in parameters if isinstance(p, dict) and isinstance(p.get("name"), str)
    ]
    sql = "SELECT " + ", ".join(f":{name}" for name in names) if names else "SELECT 1"
    return {"Sql": sql, "Parameters": parameters, **TARGET}


def _many() -> list[Any]:
    return [{"name": f"p{i}", "value": str(i)} for i in range(COUNT)]


def _message(service: LocalDataAPI, parameters: list[Any]) -> str:
    with pytest.raises(ServiceError) as raised:
        service.handle("ExecuteStatement", _request(parameters))
    assert raised.value.code == "ValidationException"
    return raised.value.message


def test_a_long_valid_list_runs(service: LocalDataAPI) -> None:
    client = inprocess_client(service)
    params = _many()
    response = client.execute_statement(
        Sql="SELECT " + ", ".join(f":{p['name']}" for p in params[:500]),
        Parameters=params[:500],
        WaitTimeSeconds=30,
        **TARGET,
    )
    assert response["Status"] == "FINISHED"
    record = client.get_statement_result(Id=response["Id"])["Records"][0]
    assert [next(iter(field.values())) for field in record[:3]] == ["0", "1", "2"]


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        (
            {"name": "bad-name", "value": "1"},
            "Value 'bad-name' at 'parameters.{n}.member.name' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [0-9a-zA-Z_]+",
        ),
        (
            {"name": "x", "value": ""},
            "Value '' at 'parameters.{n}.member.value' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1",
        ),
        (
            {"name": "x"},
            "Value null at 'parameters.{n}.member.value' failed to satisfy constraint: "
            "Member must not be null",
        ),
        (
            {"name": "x", "value": 5},
            "Value '5' at 'parameters.{n}.member.value' failed to satisfy constraint: "
            "Member must be a string",
        ),
        (
            {"name": "x", "value": "1", "size": "2"},
            "Unknown member 'size' at 'parameters.{n}.member.size'",
        ),
        (
            None,
            "Value null at 'parameters.{n}.member' failed to satisfy constraint: "
            "Member must not be null",
        ),
    ],
)
def test_one_bad_item_among_many_is_reported_as_when_alone(
    service: LocalDataAPI, bad: Any, expected: str
) -> None:
    alone = _message(service, [bad])
    assert alone.startswith("1 validation error detected: ")
    assert expected.format(n=1) in alone
    for position in (0, COUNT // 2, COUNT - 1):
        params = _many()
        params[position] = bad
        among = _message(service, params)
        assert among == alone.replace("parameters.1.", f"parameters.{position + 1}.")


def test_every_bad_item_is_counted(service: LocalDataAPI) -> None:
    params = _many()
    params[3] = {"name": "a b", "value": "1"}
    params[1500] = {"name": "ok", "value": ""}
    message = _message(service, params)
    assert message.startswith("2 validation errors detected: ")
    assert "'parameters.4.member.name'" in message
    assert "'parameters.1501.member.value'" in message
