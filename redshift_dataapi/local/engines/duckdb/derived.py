"""Declared types of derived columns on DuckDB: CREATE TABLE AS, SELECT INTO, LIKE, views.

On Redshift a column taken straight from a VARCHAR(20) column is VARCHAR(20)
in the new table or view, and a CAST gives its column the type it names.
DuckDB keeps neither (its VARCHAR has no length), so after the statement
:func:`apply_derived` copies the declared type (the ``redshift:...`` first
line of the source column's comment, see :mod:`.types`) to each new column
the translator traced (``translate.derived``):

* a table is rebuilt (:mod:`.rebuild`) so that the copied VARCHAR lengths
  are enforced as in a table created with them; a LIKE table also takes its
  source's NOT NULLs, as on Redshift;
* a view's columns get the declared types as their comments, which
  ``information_schema.columns``, SVV_COLUMNS and DescribeTable read.

A column from any other expression keeps DuckDB's type (a VARCHAR without
length), and only the declared type is copied, never a user's comment.
"""

from __future__ import annotations

from ...translate.work import DerivedColumn, Translated
from .rebuild import Call, find_table, rebuild_table
from .types import COMMENT_PREFIX, declared_comment

__all__ = ["apply_derived"]

# column name -> (declared type comment or None, NOT NULL)
_Columns = dict[str, tuple[str | None, bool]]


def _columns(call: Call, schema: str | None, table: str) -> _Columns:
    """A table's or view's columns with their declared types, as a Redshift name resolves."""
    rows = call(
        "SELECT column_name, comment, is_nullable, database_name = 'temp' FROM duckdb_columns()"
        " WHERE table_name = $1 AND ((database_name = current_database()"
        " AND schema_name = COALESCE($2, current_schema()))"
        " OR ($2 IS NULL AND database_name = 'temp'))"
        " ORDER BY database_name = 'temp' DESC, column_index",
        [table, schema],
    ).fetchall()
    temp = any(r[3] for r in rows)
    out: _Columns = {}
    for name, comment, nullable, is_temp in rows:
        if temp and not is_temp:
            continue  # a temp table hides the permanent one of that name
        declared = str(comment).split("\n", 1)[0] if comment else None
        if declared is not None and not declared.startswith(COMMENT_PREFIX):
            declared = None
        out[str(name)] = (declared, not nullable)
    return out


def _resolve(
    derived: list[DerivedColumn],
    created: list[str],
    sources: dict[tuple[str | None, str], _Columns],
) -> dict[str, tuple[str | None, bool]]:
    """New column -> (declared type, source NOT NULL) for the columns traced to a source."""

    def lookup(source: tuple[str | None, str] | None, column: str) -> tuple[str | None, bool]:
        if source is not None:
            return sources.get(source, {}).get(column, (None, False))
        found = [cols[column] for cols in sources.values() if column in cols]
        return found[0] if len(found) == 1 else (None, False)

    out: dict[str, tuple[str | None, bool]] = {}
    for item in derived:
        if item.name == "*":
            for column in created:
                out.setdefault(column, lookup(item.source, column))
        elif item.declared is not None:
            out[item.name] = (declared_comment(item.declared), False)
        elif item.source_column is not None:
            out[item.name] = lookup(item.source, item.source_column)
    return {name: found for name, found in out.items() if name in created}


def apply_derived(call: Call, tr: Translated) -> None:
    """Give the columns of the table or view ``tr`` created their declared types."""
    target = tr.view or tr.table
    if not tr.derived or target is None:
        return
    sources = {source: _columns(call, *source) for source in tr.derived_sources}
    created = _columns(call, *target)
    found = _resolve(tr.derived, list(created), sources)
    declared = {name: text for name, (text, _) in found.items() if text is not None}
    if tr.view is not None:
        for column, text in declared.items():
            _comment_view_column(call, tr.view, column, text)
        return
    not_null = [n for n, (_, required) in found.items() if required] if tr.not_null_like else []
    if not declared and not not_null:
        return
    ref = find_table(call, *target)
    if ref is not None:
        rebuild_table(call, ref, declared, not_null)


def _comment_view_column(call: Call, view: tuple[str | None, str], column: str, text: str) -> None:
    schema, name = view
    parts = [name, column] if schema is None else [schema, name, column]
    target = ".".join('"' + p.replace('"', '""') + '"' for p in parts)
    call(f"COMMENT ON COLUMN {target} IS '{text.replace(chr(39), chr(39) * 2)}'", [])
