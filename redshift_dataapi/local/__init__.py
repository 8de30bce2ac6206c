"""A local Redshift Data API endpoint: the real wire contract over DuckDB or PostgreSQL.

>>> from redshift_dataapi.local import LocalDataAPI, LocalServer, inprocess_client
>>> svc = LocalDataAPI("duckdb")                      # doctest: +SKIP
>>> client = inprocess_client(svc)                    # a real boto3 client, no socket
>>> with LocalServer(svc, port=0) as server:          # or over HTTP
...     print(server.endpoint_url)                    # doctest: +SKIP
"""

from __future__ import annotations

from .errors import ServiceError
from .service.api import LocalDataAPI, shared_service
from .transport.faults import FaultKind, FaultPlan, FaultRule
from .transport.http import LocalServer
from .transport.inprocess import inprocess_client

__all__ = [
    "FaultKind",
    "FaultPlan",
    "FaultRule",
    "LocalDataAPI",
    "LocalServer",
    "ServiceError",
    "inprocess_client",
    "shared_service",
]
