"""Where a statement runs and as whom: the target and credentials of a request.

A statement outside a session takes them from its request; a session keeps
those of the request that opened it, and every statement it runs shares them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Target"]


@dataclass(frozen=True)
class Target:
    """The database, the cluster or workgroup, and who runs the statement.

    ``db_user`` and ``secret_arn`` are what the request named (reported back
    by Describe and List calls); ``engine_user`` is the engine user they
    resolve to (None: the engine's default user).
    """

    database: str
    cluster_identifier: str | None = None
    workgroup_name: str | None = None
    db_user: str | None = None
    secret_arn: str | None = None
    engine_user: str | None = None
