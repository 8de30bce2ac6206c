"""``python -m redshift_dataapi.cli``: the ``redshift-dataapi`` command."""

from __future__ import annotations

import sys

from .app import main

__all__: list[str] = []

sys.exit(main())
