"""What the driver benches share: the mixed-type table, a driver connection, raw paging, tables.

Imported by the bench scripts (run as ``python bench/<script>.py``, so this
folder is on ``sys.path``).
"""

from __future__ import annotations

from typing import Any

import redshift_dataapi

#: 8 columns of mixed types, ``rows`` rows: the table the fetch figures read.
MIXED_TABLE = """
CREATE TABLE mixed AS
SELECT i::int AS a, i::bigint * 1000 AS b, i * 0.5::float8 AS c,
       (i / 7.0)::numeric(12, 4) AS d, 'name ' || i AS e, (i % 2 = 0) AS f,
       CAST(DATEADD(day, i % 365, '2024-01-01'::date) AS DATE) AS g,
       DATEADD(second, i, '2024-01-01 00:00:00'::timestamp) AS h
FROM generate_series(1, {rows}) AS s(i)
"""


def connect(client: Any, **kwargs: Any) -> redshift_dataapi.Connection:
    """A driver connection over ``client`` to the local endpoint (autocommit unless given)."""
    kwargs.setdefault("autocommit", True)
    return redshift_dataapi.connect("dev", cluster_identifier="local", client=client, **kwargs)


def table(title: str, header: list[str], rows: list[list[str]]) -> None:
    """Print a titled, aligned text table."""
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def raw_paging(client: Any, operation: str, statement_id: str) -> int:
    """Every page of a result straight from boto3, no conversion: the floor. Returns records."""
    method = getattr(client, operation)
    count = 0
    kwargs: dict[str, Any] = {"Id": statement_id}
    while True:
        page = method(**kwargs)
        count += len(page["Records"])
        token = page.get("NextToken")
        if not token:
            return count
        kwargs["NextToken"] = token


def serve(port_queue: Any, stop_event: Any) -> None:
    """A child process's local endpoint over HTTP on DuckDB, until ``stop_event`` is set."""
    from redshift_dataapi.local import LocalDataAPI, LocalServer

    svc = LocalDataAPI("duckdb")
    with LocalServer(svc, host="127.0.0.1", port=0) as server:
        port_queue.put(server.endpoint_url)
        stop_event.wait()
    svc.close()
