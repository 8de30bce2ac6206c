"""Statement results: pages fetched on demand and turned into Python rows."""

from __future__ import annotations

from .resultset import ResultSet

__all__ = ["ResultSet"]
