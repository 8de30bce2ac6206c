"""Driver and endpoint read the same placeholders, on both sides of a real boto3 client.

The texts are those on which the driver's, the endpoint's and the
translator's scanners used to disagree (``tests/lexer_cases.py``).  Through
the DB-API on each engine, the driver binds what it reads, the endpoint's
Parameters check accepts exactly that, and the translator hands the engine
the same placeholders: valid statements return their row, the others reach
the engine (a FAILED statement with the engine's syntax error), never a
ValidationException about parameters.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

import redshift_dataapi
from tests.lexer_cases import DISAGREEMENTS, Disagreement

from .helpers import TARGET

CASES = pytest.mark.parametrize("case", DISAGREEMENTS, ids=lambda case: repr(case.sql))


@CASES
def test_driver_endpoint_and_engine_agree(dataapi_client: Any, case: Disagreement) -> None:
    conn = redshift_dataapi.connect(
        "dev", cluster_identifier="local-cluster", client=dataapi_client, autocommit=True
    )
    cur = conn.cursor()
    try:
        if case.row is not None:
            cur.execute(case.sql, case.parameters() or None)
            assert cur.fetchall() == [case.row]
            return
        with pytest.raises(redshift_dataapi.DatabaseError) as raised:
            cur.execute(case.sql, case.parameters() or None)
        assert raised.value.code is None, raised.value  # no service error: the engine's own
        assert raised.value.statement_id is not None
        assert raised.value.sqlstate == "42601"
    finally:
        conn.close()


@CASES
def test_the_endpoint_references_exactly_the_lexers_placeholders(
    dataapi_client: Any, case: Disagreement
) -> None:
    # One value more than the placeholders: the only complaint is about that one.
    parameters = [{"name": name, "value": "1"} for name in [*case.names, "zz_extra"]]
    with pytest.raises(ClientError) as raised:
        dataapi_client.execute_statement(Sql=case.sql, Parameters=parameters, **TARGET)
    error = raised.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert error["Message"] == (
        "Parameters list contains unused parameters. Unused parameters: [zz_extra]"
    )
