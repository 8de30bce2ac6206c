"""Finding the ``:name`` placeholders a SQL text references.

The service checks Parameters against the SQL before running it: every
placeholder needs a value, and (for ExecuteStatement) every value needs a
placeholder.  Which ``:name`` is a placeholder is decided by the project's
one Redshift SQL lexer (:mod:`redshift_dataapi.sql.lexer`), the same one the
driver binds with, so a statement the driver accepts is never refused here
for a placeholder the two read differently: placeholders inside literals
(backslash escapes included), quoted identifiers, dollar quotes and comments
(nested ones included) do not count, nor do ``::`` casts or slices like
``a[1:2]``.
"""

from __future__ import annotations

from ...sql.lexer import placeholder_names

__all__ = ["referenced_names"]


def referenced_names(sql: str) -> set[str]:
    """Placeholder names referenced by ``sql`` (outside quotes and comments)."""
    return placeholder_names(sql)
