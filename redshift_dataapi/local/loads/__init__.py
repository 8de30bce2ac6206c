"""COPY from S3 and UNLOAD to S3 for the local endpoint, outside the SQL translator.

The workers ask :func:`statement_kind` whether a statement is a COPY or an
UNLOAD and hand those to :class:`LoadRunner`: :mod:`.options` parses them,
:mod:`.sources`, :mod:`.records` and :mod:`.convert` read and convert a
COPY's files, :mod:`.unload` writes an UNLOAD's, and :mod:`.system_tables`
keeps STL_LOAD_ERRORS and SYS_LOAD_ERROR_DETAIL.
"""

from __future__ import annotations

from .kind import LoadKind, statement_kind
from .runner import LoadRecord, LoadRunner, LoadStatement

__all__ = ["LoadKind", "LoadRecord", "LoadRunner", "LoadStatement", "statement_kind"]
