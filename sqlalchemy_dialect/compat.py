"""What differs between SQLAlchemy 1.4 and 2.x, in one place.

The dialect supports SQLAlchemy 1.4.49+ (Apache Superset pins ``SQLAlchemy<2``) and
2.x.  Every name that exists in only one of them is imported or stood in for here,
so the other modules import from this one and never touch a 2.x-only name on the
1.4 path.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy
from sqlalchemy import types as sqltypes

#: (major, minor) of the installed SQLAlchemy.
SA_VERSION: tuple[int, int] = tuple(  # type: ignore[assignment]
    int(part) for part in sqlalchemy.__version__.split(".")[:2]
)
#: True on SQLAlchemy 2.x: insertmanyvalues, render_bind_cast, ObjectKind reflection.
SA2 = SA_VERSION >= (2, 0)

if TYPE_CHECKING:
    # 1.4's TypeEngine is not generic at run time; the type checker sees 2.x.
    TypeEngineAny = sqltypes.TypeEngine[Any]
    FloatAny = sqltypes.Float[Any]
    NumericAny = sqltypes.Numeric[Any]
else:
    TypeEngineAny = sqltypes.TypeEngine
    FloatAny = sqltypes.Float
    NumericAny = sqltypes.Numeric

if SA2:
    from sqlalchemy.engine.reflection import ObjectKind, ObjectScope
else:  # pragma: no cover - exercised by the SQLAlchemy 1.4 run

    class ObjectKind(enum.Flag):  # type: ignore[no-redef]
        """Stand-in for 2.x's ObjectKind (1.4 never passes one)."""

        TABLE = enum.auto()
        VIEW = enum.auto()
        MATERIALIZED_VIEW = enum.auto()
        ANY_VIEW = VIEW | MATERIALIZED_VIEW
        ANY = TABLE | VIEW | MATERIALIZED_VIEW

    class ObjectScope(enum.Flag):  # type: ignore[no-redef]
        """Stand-in for 2.x's ObjectScope (1.4 never passes one)."""

        DEFAULT = enum.auto()
        TEMPORARY = enum.auto()
        ANY = DEFAULT | TEMPORARY


def double_type() -> Any:
    """``sqltypes.Double`` (2.x) or None: 1.4 has no generic Double."""
    return getattr(sqltypes, "Double", None)


_F = TypeVar("_F", bound=Callable[..., Any])


def reflection_cache(fn: _F) -> _F:
    """SQLAlchemy's ``reflection.cache`` (per-Inspector ``info_cache``) on 1.4 and 2.x.

    2.x's decorator is used as is.  1.4's rebuilds the function's signature from its
    annotations as source text and fails on postponed (string) annotations, so on 1.4
    the same keying is done here.
    """
    if SA2:
        from sqlalchemy.engine import reflection

        return reflection.cache(fn)

    from sqlalchemy.sql.elements import quoted_name

    def _keyed(value: Any) -> Any:
        # Hashable and exact: a quoted_name keeps its quoting; a table's
        # redshift_* options arrive as keyword arguments and may be lists.
        if isinstance(value, quoted_name):
            return (str(value), value.quote)
        if isinstance(value, (list, tuple)):
            return tuple(_keyed(v) for v in value)
        if isinstance(value, dict):
            return tuple(sorted((str(k), _keyed(v)) for k, v in value.items()))
        return value

    @functools.wraps(fn)
    def cached(self: Any, connection: Any, *args: Any, **kw: Any) -> Any:
        info_cache = kw.get("info_cache")
        if info_cache is None:
            return fn(self, connection, *args, **kw)
        key = (
            fn.__name__,
            tuple(_keyed(a) for a in args if isinstance(a, str)),
            tuple(
                (k, _keyed(v)) for k, v in kw.items() if k not in ("info_cache", "unreflectable")
            ),
        )
        found = info_cache.get(key)
        if found is None:
            found = fn(self, connection, *args, **kw)
            info_cache[key] = found
        return found

    return cached  # type: ignore[return-value]


def type_compiler(dialect: Any) -> Any:
    """The dialect's type compiler instance (``type_compiler_instance`` on 2.x only)."""
    instance = getattr(dialect, "type_compiler_instance", None)
    return instance if instance is not None else dialect.type_compiler


__all__ = [
    "SA2",
    "SA_VERSION",
    "FloatAny",
    "NumericAny",
    "ObjectKind",
    "ObjectScope",
    "TypeEngineAny",
    "double_type",
    "reflection_cache",
    "type_compiler",
]
