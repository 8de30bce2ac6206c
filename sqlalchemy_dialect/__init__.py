"""SQLAlchemy 2.x dialect for Amazon Redshift through the Redshift Data API.

``create_engine("redshift+dataapi://[db_user@][cluster_identifier]/database?...")``;
see :mod:`sqlalchemy_dialect.dataapi` for the URL and :mod:`sqlalchemy_dialect.base`
for the Table/Column options (``redshift_diststyle``, ``redshift_sortkey``...), and
:mod:`sqlalchemy_dialect.commands` for the COPY and UNLOAD constructs.
"""

from .base import RedshiftDialect
from .commands import Compression, CopyCommand, Encoding, Format, UnloadFromSelect
from .dataapi import RedshiftDataAPIDialect
from .types import DOUBLE_PRECISION, GEOMETRY, HLLSKETCH, SUPER, TIMESTAMPTZ, TIMETZ, VARBYTE

__all__ = [
    "DOUBLE_PRECISION",
    "GEOMETRY",
    "HLLSKETCH",
    "SUPER",
    "TIMESTAMPTZ",
    "TIMETZ",
    "VARBYTE",
    "Compression",
    "CopyCommand",
    "Encoding",
    "Format",
    "RedshiftDataAPIDialect",
    "RedshiftDialect",
    "UnloadFromSelect",
]
