"""Which ``:name`` placeholders the service sees in a SQL text.

ExecuteStatement refuses a placeholder without a value and a value without a
placeholder, so the service must find exactly the placeholders that are code:
not text in literals, quoted identifiers, dollar quotes or comments, not
``::`` casts, not slices.  Each case sends the expected names plus one extra
value: the only complaint must be about the extra one (a missed placeholder
would be reported unused, a false one as having no value).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from redshift_dataapi.local import LocalDataAPI, ServiceError

from .helpers import TARGET


@pytest.fixture(scope="module")
def service() -> Iterator[LocalDataAPI]:
    with LocalDataAPI("duckdb") as svc:
        yield svc


CASES: list[tuple[str, list[str]]] = [
    ("SELECT :a, :b_2, :3", ["a", "b_2", "3"]),
    ("SELECT ':x', \"y:z\", :c", ["c"]),
    ("SELECT 'it''s :x', :c", ["c"]),
    ("SELECT '\\' :x', :c", ["c"]),
    ('SELECT "a"":x", :c', ["c"]),
    ("SELECT $$ :x $$, $t$ :y $t$, :c", ["c"]),
    ("SELECT a$$, :c", ["c"]),
    ("SELECT $t$ :x", []),
    ("SELECT 1 -- :x\n, :c", ["c"]),
    ("SELECT /* :x */ :c /* :y", ["c"]),
    ("SELECT x::int, :c::varchar, y:::d", ["c", "d"]),
    ("SELECT a[1:2], a[:c], b[n]:x", ["c", "x"]),
    ("SELECT '12:30'::time, a:b, 'q':c", ["c"]),
    ("SELECT :c, :c", ["c"]),
    ("SELECT :é, :c", ["c"]),
]


@pytest.mark.parametrize(("sql", "names"), CASES)
def test_exactly_the_code_placeholders_are_referenced(
    service: LocalDataAPI, sql: str, names: list[str]
) -> None:
    parameters = [{"name": name, "value": "1"} for name in [*names, "zz_extra"]]
    with pytest.raises(ServiceError) as raised:
        service.handle("ExecuteStatement", {"Sql": sql, "Parameters": parameters, **TARGET})
    assert raised.value.code == "ValidationException"
    assert raised.value.message == (
        "Parameters list contains unused parameters. Unused parameters: [zz_extra]"
    )


def test_batch_statement_names_the_sql_with_a_missing_value(service: LocalDataAPI) -> None:
    with pytest.raises(ServiceError) as raised:
        service.handle(
            "BatchExecuteStatement",
            {
                "Sqls": ["SELECT ':y', :x", "SELECT :x, :y -- :z"],
                "Parameters": [{"name": "x", "value": "1"}],
                **TARGET,
            },
        )
    assert raised.value.message == (
        "Sqls[2] references parameters that have no value in Parameters: :y"
    )
