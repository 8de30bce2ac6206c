"""Redshift column types that PostgreSQL does not have, and their bind-cast variants.

``SUPER``, ``GEOMETRY``, ``HLLSKETCH``, ``VARBYTE``, ``TIMETZ`` and ``TIMESTAMPTZ`` are
usable in models (``Column("doc", SUPER)``) and come back from reflection.

The ``_Cast*`` classes are the dialect's implementations of the generic types: the Data
API carries every parameter as a string, so a bound ``5`` would reach Redshift as the
text ``'5'`` and ``SELECT :p`` would return VARCHAR.  These types ask the compiler to
wrap their parameters in ``CAST(:p AS type)`` so Redshift sees the intended type (and a
NULL written into the SQL text by the driver stays typed).
"""

from __future__ import annotations

import decimal
from typing import Any

from sqlalchemy import types as sqltypes

# The PostgreSQL dialect's name exists on 1.4 and 2.x (2.x's is the generic one).
from sqlalchemy.dialects.postgresql import DOUBLE_PRECISION

from .compat import FloatAny, NumericAny, TypeEngineAny, double_type


class SUPER(TypeEngineAny):
    """Redshift's semi-structured SUPER type (values travel as JSON text)."""

    __visit_name__ = "SUPER"


class GEOMETRY(TypeEngineAny):
    """Redshift's spatial GEOMETRY type (values travel as hex EWKB text)."""

    __visit_name__ = "GEOMETRY"


class HLLSKETCH(TypeEngineAny):
    """Redshift's HyperLogLog sketch type."""

    __visit_name__ = "HLLSKETCH"


class VARBYTE(sqltypes.LargeBinary):
    """Redshift's variable-length binary type; ``length`` in bytes (None = server default)."""

    __visit_name__ = "VARBYTE"


class TIMETZ(sqltypes.TIME):
    """TIME WITH TIME ZONE."""

    __visit_name__ = "TIMETZ"

    def __init__(self) -> None:
        super().__init__(timezone=True)


class TIMESTAMPTZ(sqltypes.TIMESTAMP):
    """TIMESTAMP WITH TIME ZONE."""

    __visit_name__ = "TIMESTAMPTZ"

    def __init__(self) -> None:
        super().__init__(timezone=True)


# --- bind-cast implementations (see module docstring) -----------------------------


class _CastInteger(sqltypes.Integer):
    render_bind_cast = True


class _CastBigInteger(sqltypes.BigInteger):
    render_bind_cast = True


class _CastSmallInteger(sqltypes.SmallInteger):
    render_bind_cast = True


class _CastFloat(FloatAny):
    render_bind_cast = True


_Double = double_type()
#: 2.x's generic Double with a bind cast; None on 1.4, which has no Double.
_CastDouble: Any = type("_CastDouble", (_Double,), {"render_bind_cast": True}) if _Double else None


class _CastNumeric(NumericAny):
    # Only cast when precision is declared: Redshift's bare NUMERIC is NUMERIC(18,0),
    # so CAST(:p AS NUMERIC) would silently drop the fraction.
    @property
    def render_bind_cast(self) -> bool:  # type: ignore[override]
        return self.precision is not None

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        # An uncast parameter comes back as text (the Data API types it VARCHAR).
        if not self.asdecimal:
            parent: Any = super()
            return parent.result_processor(dialect, coltype)

        def process(value: Any) -> Any:
            return decimal.Decimal(value) if isinstance(value, str) else value

        return process


class _CastBoolean(sqltypes.Boolean):
    render_bind_cast = True


class _CastDate(sqltypes.Date):
    render_bind_cast = True


class _CastDateTime(sqltypes.DateTime):
    render_bind_cast = True


class _CastTime(sqltypes.Time):
    render_bind_cast = True


__all__ = [
    "DOUBLE_PRECISION",
    "GEOMETRY",
    "HLLSKETCH",
    "SUPER",
    "TIMESTAMPTZ",
    "TIMETZ",
    "VARBYTE",
]
