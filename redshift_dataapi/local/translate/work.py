"""What the translation passes share: the result, and the statement on its way to it.

* :class:`DeclaredColumn`: a column type as a CREATE TABLE declared it;
* :class:`BulkValues`: a multi-row INSERT as DuckDB runs it column by column;
* :class:`Translated`: one statement translated for an engine (what
  ``translate()`` returns);
* :class:`Work`: one statement on its way through the passes: its tokens,
  then its sqlglot tree, then its text, and the :class:`Translated` the
  passes fill in as they learn about the statement.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import exp

from ...sql.lexer import Token
from .design import TableDesign
from .target import Target

__all__ = [
    "AlterColumnType",
    "BulkValues",
    "DeclaredColumn",
    "DeclaredKey",
    "DerivedColumn",
    "Translated",
    "Work",
]


@dataclass
class DeclaredColumn:
    """A column's type as the Redshift CREATE TABLE declared it.

    Engines record it because they lose what Redshift keeps (DuckDB drops
    VARCHAR lengths and has no SUPER/GEOMETRY/BPCHAR types).
    """

    name: str
    type_name: str  # Redshift typeName: varchar, bpchar, int4, numeric, super...
    length: int = 0  # char/varchar/varbyte declared length
    precision: int = 0  # numeric precision
    scale: int = 0


@dataclass
class DerivedColumn:
    """Where a column of a CREATE TABLE AS / SELECT INTO / view / LIKE comes from.

    ``name`` is the new column's name (``*``: every column of ``source``).
    ``source`` and ``source_column`` name a table column the value is taken
    from unchanged (``source`` None: whichever FROM table has that column);
    ``declared`` is the type a CAST gives it.  Engines that lose declared
    types (DuckDB) copy the source column's declared type to the new column.
    """

    name: str
    source: tuple[str | None, str] | None = None
    source_column: str | None = None
    declared: DeclaredColumn | None = None


@dataclass
class AlterColumnType:
    """``ALTER TABLE t ALTER COLUMN c TYPE new_type`` (see ``translate.alter_type``)."""

    table: tuple[str | None, str]
    column: str
    declared: DeclaredColumn
    using: bool = False


@dataclass
class DeclaredKey:
    """A PRIMARY KEY, UNIQUE or FOREIGN KEY constraint a CREATE TABLE declared.

    ``name`` is None when the statement gave none.  ``ref_*`` name what a
    FOREIGN KEY references (``ref_columns`` empty: the primary key).
    """

    name: str | None
    kind: str  # "PRIMARY KEY", "UNIQUE" or "FOREIGN KEY"
    columns: list[str]
    ref_schema: str | None = None
    ref_table: str | None = None
    ref_columns: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BulkValues:
    """A multi-row INSERT of parameters and NULLs as DuckDB runs it column by column.

    ``sql`` takes one parameter per column, ``$k`` a ``VARCHAR[]`` holding
    the values of column ``k-1``; ``columns[k-1]`` names the Data API
    parameter of each row's value there (None: NULL).
    """

    sql: str
    columns: tuple[tuple[str | None, ...], ...]


@dataclass
class Translated:
    """One statement translated for an engine.

    ``sql`` is empty when ``noop`` is set: the statement is accepted and does
    nothing on this target (VACUUM, ANALYZE, Redshift-only SETs, ALTER ...
    DISTKEY...).  ``pre_sql`` holds statements to run first, in the same
    transaction (DuckDB sequences behind IDENTITY columns).  ``param_names``
    lists the distinct parameter names in the order of their first use: for
    DuckDB ``$k`` is ``param_names[k-1]``.  ``database`` names the database of
    CREATE/DROP DATABASE (the engines run those themselves).  ``table`` and
    ``columns`` describe the table of a CREATE TABLE (or the columns an
    ALTER TABLE ADD COLUMN adds).  For a query reading one table (no join),
    ``source`` names it and ``source_columns`` maps result column names to
    the table's column names (``source_star``: the query selects ``*``), so
    that engines can report where result columns come from.
    ``numeric_params`` names parameters used as operands of arithmetic
    (``:n + 1``), which an engine should bind as numbers.  ``parsed`` is
    False when sqlglot could not parse the statement and ``sql`` is the raw
    text with placeholders rewritten.  ``bulk`` (DuckDB only) is the
    column-wise form of a multi-row INSERT of parameters and NULLs, which an
    engine may run instead of ``sql`` (see ``translate.insert``).  ``keys``
    (DuckDB only) are the keys taken out of a CREATE TABLE, for the engine
    to record (see ``translate.keys``).  ``design`` is a CREATE TABLE's
    distribution, sort keys and encodings (see ``translate.design``).
    ``derived`` lists where the columns of a CREATE TABLE AS, SELECT INTO,
    CREATE TABLE LIKE or CREATE VIEW come from, ``derived_sources`` the
    tables of its FROM clause, ``view`` the view a CREATE VIEW creates and
    ``not_null_like`` that the new table takes its source's NOT NULLs (LIKE);
    see ``translate.derived``.  ``alter_type`` is an ALTER COLUMN ... TYPE
    (see ``translate.alter_type``).  ``search_path`` (DuckDB) is the path a
    SET or RESET search_path leaves, as Redshift's SHOW writes it.
    ``quotients`` maps result columns of a one-table query that divide one
    column of the table by another to those two columns, whose declared
    types give the quotient's (see ``translate.describe.query_source``).
    """

    sql: str
    kind: str
    param_names: list[str]
    command: str = ""
    noop: bool = False
    pre_sql: list[str] = field(default_factory=list)
    database: str | None = None
    table: tuple[str | None, str] | None = None
    columns: list[DeclaredColumn] = field(default_factory=list)
    temporary: bool = False
    parsed: bool = True
    source: tuple[str | None, str] | None = None
    source_columns: dict[str, str] = field(default_factory=dict)
    source_star: bool = False
    numeric_params: list[str] = field(default_factory=list)
    bulk: BulkValues | None = None
    keys: list[DeclaredKey] = field(default_factory=list)
    design: TableDesign | None = None
    derived: list[DerivedColumn] = field(default_factory=list)
    derived_sources: list[tuple[str | None, str]] = field(default_factory=list)
    view: tuple[str | None, str] | None = None
    not_null_like: bool = False
    alter_type: AlterColumnType | None = None
    search_path: str | None = None
    quotients: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class Work:
    """One statement on its way through the passes (see ``translate.passes``).

    Token passes read and rewrite ``tokens``; the parse pass turns them into
    ``tree``, which the AST passes rewrite; the generate pass writes ``text``.
    A pass that decides the statement on its own (a no-op, a pass-through)
    calls :meth:`finish`: once ``text`` is set, only the text passes still
    run.  ``raw`` is the text the engine gets when sqlglot cannot help.
    """

    target: Target
    tokens: list[Token]
    result: Translated
    words: list[str] = field(default_factory=list)
    tree: exp.Expression | None = None
    raw: str = ""
    text: str | None = None

    @property
    def names(self) -> list[str]:
        """The statement's parameter names, in the order of first use."""
        return self.result.param_names

    @property
    def ast(self) -> exp.Expression:
        """The parsed statement (AST passes run only after the parse pass succeeded)."""
        if self.tree is None:
            raise RuntimeError("an AST pass ran before the statement was parsed")
        return self.tree

    def finish(
        self,
        text: str,
        kind: str,
        command: str,
        *,
        noop: bool = False,
        parsed: bool = True,
        database: str | None = None,
    ) -> None:
        """Decide the statement: ``text`` for the engine and what it is."""
        self.text = text
        self.result.kind = kind
        self.result.command = command
        self.result.noop = noop
        self.result.parsed = parsed
        self.result.database = database

    def pass_through(self) -> None:
        """The engine gets the statement as written (``raw``): sqlglot could not help."""
        self.text = self.raw
        self.result.parsed = False
