"""The ``redshift-dataapi`` command line and its demo."""

from __future__ import annotations

from .app import main

__all__ = ["main"]
