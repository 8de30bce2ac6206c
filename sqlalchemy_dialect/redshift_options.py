"""What SQLAlchemy finds under the plain ``redshift`` name: options validation before any engine.

SQLAlchemy validates a ``redshift_distkey=...`` keyword on Table or Column by loading
the dialect registered as ``redshift`` (the ``sqlalchemy.dialects`` entry point of that
name), usually long before ``create_engine`` runs and before this package is imported.
``redshift`` belongs to sqlalchemy-redshift; without it, every model with Redshift
options warned "Can't validate argument".

This package therefore also registers ``redshift``, pointing here, and this module
hands SQLAlchemy:

* sqlalchemy-redshift's own dialect when it is installed (so ``redshift://`` URLs keep
  working exactly as before, whichever entry point the registry reads first; both
  dialects accept the same option names);
* otherwise :class:`RedshiftOptionsDialect`: the option table of this dialect, and a
  clear error if someone tries to connect with a bare ``redshift://`` URL.
"""

from __future__ import annotations

import logging
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any

from sqlalchemy import exc

from .base import RedshiftDialect

logger = logging.getLogger(__name__)

_OWN_MODULE = __name__


class RedshiftOptionsDialect(RedshiftDialect):
    """Validates ``redshift_*`` options; ``redshift://`` itself needs sqlalchemy-redshift."""

    supports_statement_cache = True

    @classmethod
    def import_dbapi(cls) -> ModuleType:
        raise exc.ArgumentError(
            "redshift:// URLs belong to sqlalchemy-redshift, which is not installed; "
            "for the Redshift Data API use redshift+dataapi://"
        )

    @classmethod
    def dbapi(cls) -> ModuleType:  # type: ignore[override]
        """SQLAlchemy 1.4's name for import_dbapi()."""
        return cls.import_dbapi()


def sqlalchemy_redshift_dialect() -> Any:
    """sqlalchemy-redshift's ``redshift`` dialect class, None when it is not installed."""
    for point in entry_points(group="sqlalchemy.dialects", name="redshift"):
        if point.value.split(":")[0] == _OWN_MODULE:
            continue
        try:
            return point.load()
        except ImportError as error:  # installed but unusable: validate with ours
            logger.debug("cannot load %s: %s", point.value, error)
    return None


def _resolve() -> Any:
    import sys

    theirs = sqlalchemy_redshift_dialect()
    if theirs is not None and "sqlalchemy_dialect.alembic_impl" in sys.modules:
        # loading sqlalchemy-redshift registered its Alembic implementation over ours
        sys.modules["sqlalchemy_dialect.alembic_impl"].install()
    return theirs or RedshiftOptionsDialect


#: The class SQLAlchemy's registry receives for ``redshift`` (see the module docstring).
dialect = _resolve()
