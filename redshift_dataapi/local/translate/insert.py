"""The fast path of ``local.translate`` for bulk ``INSERT ... VALUES`` statements.

SQLAlchemy's insertmanyvalues and pandas ``to_sql`` send multi-row INSERTs of
up to 100 KB: a thousand rows of ``:name`` parameters, literals, and (from
clients that type their parameters) ``CAST(:name AS type)``.  Through the
general path (the token scanner, then sqlglot) such a statement costs a
second or more; its translation only ever changes the placeholders and the
CAST types.  :func:`translate_insert_values` does exactly that in one regular
expression pass, and declines (returns None) anything else, which then takes
the general path.

What it accepts, whitespace aside::

    INSERT INTO name[.name[.name]] [(column, ...)] VALUES row, ... [;]
    row:   ( value, ... )
    value: atom | DEFAULT | CAST ( atom AS type ) | FROM_HEX ( atom )
    atom:  :param | 'string' | [+|-]number | NULL | TRUE | FALSE
    type:  words [ ( number|MAX [, number] ) ]

Names are unquoted words or quoted identifiers.  Comments, ``::`` casts,
backslashes in string literals (Redshift reads ``\\'`` as a quote, the
targets do not), ``E''``/dollar-quoted strings, signs before parameters
(arithmetic: the general path binds those as numbers) and any other
expression are declined.  CAST types are written for the target exactly as
the general path writes them (``types.rewrite_types`` then sqlglot), once per
distinct type text; a CAST to CHAR(n)/VARCHAR(n) cuts its value to n bytes
first, as the general path's (``casts.string_casts``).

For DuckDB, a statement of two or more rows whose values are all parameters
or NULLs (each column either bare or always wrapped the same way, in one CAST
type or FROM_HEX, as SQLAlchemy and the driver write them) also gets a
column-wise form, :class:`BulkValues`::

    INSERT INTO t (a, b) SELECT unnest($1::VARCHAR[]), CAST(unnest($2::VARCHAR[]) AS DATE)

with one list of strings per column: DuckDB binds and plans a long VALUES
list expression by expression (150 ms for 800 rows x 8 columns), the lists
in about 5 ms.  The values reach the columns through the same VARCHAR ->
column type (or CAST) conversion either way, so results and conversion
errors are the same; DuckDB's error text then names the UNNEST source, which
the engine's error mapping removes.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from ..._core.limits import PARAMETER_NAME_PATTERN
from .casts import string_length
from .target import Target
from .types import rewrite_types
from .work import BulkValues

__all__ = ["BULK_MIN_ROWS", "FastInsert", "target_type", "translate_insert_values"]

#: Fewest rows for which DuckDB gets the column-wise form (single-row INSERTs,
#: the ORM's usual case, keep their VALUES).
BULK_MIN_ROWS = 2

_NAME = PARAMETER_NAME_PATTERN

# One alternative per token kind; "other" catches everything the path declines.
# The accepted grammar holds no comment, :: cast, dollar quote or backslash, and a
# parameter only where a value starts: there, this reading of ``:name`` is the
# lexer's (``redshift_dataapi.sql.lexer``; the tests check it).
# Strings holding a backslash do not match "string" and end up in "other".
# "cast" is the common ``CAST(:p AS type)`` / ``CAST(NULL AS type)`` in one
# token (three times cheaper); other CASTs are read token by token.
_TOKEN_RE = re.compile(
    rf"""
    (?P<ws>\s+)
    |(?P<string>'(?:[^'\\]|'')*')
    |(?P<param>:{_NAME})
    |(?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)
    |(?P<cast>(?i:CAST)\s*\(\s*(?::{_NAME}|(?i:NULL))\s+(?i:AS)\s+
        [A-Za-z_][A-Za-z0-9_]*(?:\s+[A-Za-z_][A-Za-z0-9_]*)*
        (?:\s*\(\s*(?:[0-9]+|(?i:MAX))\s*(?:,\s*[0-9]+\s*)?\))?\s*\))
    |(?P<word>[A-Za-z_][A-Za-z0-9_$]*)
    |(?P<ident>"(?:[^"]|"")*")
    |(?P<punct>[(),.;+-])
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ATOM_WORDS = frozenset({"NULL", "TRUE", "FALSE"})
# The parts of a "cast" token: the parameter (or NULL) and the type.
_CAST_PARTS_RE = re.compile(r"CAST\s*\(\s*(\S+)\s+AS\s+(.*?)\s*\)$", re.IGNORECASE | re.DOTALL)
# The cheap test that keeps every other statement off this path.
_INSERT_PREFIX_RE = re.compile(r"\s*INSERT\s+INTO\s", re.IGNORECASE)


@dataclass
class FastInsert:
    """The translation of a bulk INSERT: target SQL and parameter names in first-use order."""

    sql: str
    param_names: list[str]
    bulk: BulkValues | None = None


# What one VALUES cell holds, for the column-wise form: a parameter name, NULL,
# or anything else (a literal or DEFAULT: no column-wise form).
_OTHER = object()
_NULL = None


def _cell_name(value: object) -> str | None:
    """A cell's parameter name (None for NULL); only called on parameter/NULL cells."""
    return value if isinstance(value, str) else None


@functools.lru_cache(maxsize=256)
def target_type(type_text: str, target: Target) -> str | None:
    """``type_text`` (a Redshift type) as ``target`` spells it in a CAST, or None.

    Goes through the same sqlglot and ``rewrite_types`` steps as the general
    path, so both write the same type.  None when sqlglot does not read the
    text as one type.
    """
    try:
        tree = sqlglot.parse_one(f"CAST(NULL AS {type_text})", read="redshift")
    except SqlglotError:
        return None
    if not isinstance(tree, exp.Cast) or not isinstance(tree.args.get("to"), exp.DataType):
        return None
    if tree.to.this == exp.DataType.Type.USERDEFINED:
        return None
    rewrite_types(tree, target)
    try:
        return tree.to.sql(dialect=target)
    except SqlglotError:
        return None


@functools.lru_cache(maxsize=256)
def _cast_template(type_text: str, written: str) -> str:
    """``CAST({} AS written)``; a cast to CHAR(n)/VARCHAR(n) cuts to n bytes first.

    The same cut as the general path's (``casts.string_casts``).
    """
    try:
        tree = sqlglot.parse_one(f"CAST(NULL AS {type_text})", read="redshift")
    except SqlglotError:  # pragma: no cover - target_type read it already
        return f"CAST({{}} AS {written})"
    length = string_length(tree.args.get("to"))
    if length is None:
        return f"CAST({{}} AS {written})"
    return f"CAST(redshift_left_bytes(CAST({{}} AS VARCHAR), {length}) AS {written})"


def _wrapped(wraps: list[str | None], sources: list[str]) -> str:
    """The select list of the column-wise form: each source in its column's CAST, if any."""
    pairs = zip(wraps, sources, strict=True)
    return ", ".join(source if wrap is None else wrap.format(source) for wrap, source in pairs)


class _Decline(Exception):
    """The statement is not one this path handles."""


def translate_insert_values(sql: str, target: Target) -> FastInsert | None:
    """Translate a bulk ``INSERT ... VALUES`` of parameters and literals, or return None.

    The result's SQL has the target's placeholders (DuckDB ``$n``, psycopg
    ``%(name)s`` with literal ``%`` doubled) and target CAST types; all other
    text is kept as written.
    """
    if _INSERT_PREFIX_RE.match(sql) is None:
        return None
    matches = [(m.lastgroup, m.group()) for m in _TOKEN_RE.finditer(sql)]
    try:
        return _Parser(matches, target).run()
    except _Decline:
        return None


class _Parser:
    """Recursive-descent check and rewrite over the token list (whitespace skipped)."""

    def __init__(self, tokens: list[tuple[str | None, str]], target: Target) -> None:
        self.kinds = [kind for kind, _ in tokens]
        self.parts = [text for _, text in tokens]
        self.code = [i for i, kind in enumerate(self.kinds) if kind != "ws"]
        self.pos = 0
        self.target = target
        self.index: dict[str, int] = {}
        # Cells of each row: (parameter name, None for NULL or _OTHER; CAST type or None).
        self.rows: list[list[tuple[object, str | None]]] = []
        self.values_at = 0  # index of the VALUES keyword

    # -- token access ----------------------------------------------------------

    def _peek(self) -> int:
        if self.pos >= len(self.code):
            raise _Decline
        return self.code[self.pos]

    def _take(self, kind: str, text: str | None = None) -> int:
        i = self._peek()
        if self.kinds[i] != kind or (text is not None and self.parts[i].upper() != text):
            raise _Decline
        self.pos += 1
        return i

    def _at(self, kind: str, text: str | None = None) -> bool:
        if self.pos >= len(self.code):
            return False
        i = self.code[self.pos]
        return self.kinds[i] == kind and (text is None or self.parts[i].upper() == text)

    def _name(self) -> None:
        i = self._peek()
        kind = self.kinds[i]
        if kind == "ident" or (kind == "word" and self.parts[i].upper() != "VALUES"):
            self.pos += 1
            return
        raise _Decline

    # -- grammar ------------------------------------------------------------------

    def run(self) -> FastInsert:
        self._take("word", "INSERT")
        self._take("word", "INTO")
        self._name()
        for _ in range(2):
            if not self._at("punct", "."):
                break
            self.pos += 1
            self._name()
        if self._at("punct", "("):
            self.pos += 1
            self._name()
            while self._at("punct", ","):
                self.pos += 1
                self._name()
            self._take("punct", ")")
        self.values_at = self._take("word", "VALUES")
        self._row()
        while self._at("punct", ","):
            self.pos += 1
            self._row()
        end = self.pos
        if self._at("punct", ";"):
            self.pos += 1
        if self.pos != len(self.code):
            raise _Decline
        first, last = self.code[0], self.code[end - 1]
        if self.target == "postgres":
            # psycopg reads every '%' of the text: literal ones are doubled.
            for i in range(first, last + 1):
                if self.kinds[i] in ("string", "ident") and "%" in self.parts[i]:
                    self.parts[i] = self.parts[i].replace("%", "%%")
        bulk = self._bulk(first) if self.target == "duckdb" else None
        return FastInsert("".join(self.parts[first : last + 1]), list(self.index), bulk)

    def _bulk(self, first: int) -> BulkValues | None:
        """The column-wise form, when every cell is a parameter or NULL."""
        if len(self.rows) < BULK_MIN_ROWS:
            return None
        width = len(self.rows[0])
        if any(len(row) != width for row in self.rows):
            return None  # DuckDB's own error for the VALUES list
        column_wraps: list[str | None] = []
        columns: list[tuple[str | None, ...]] = []
        for k in range(width):
            cells = [row[k] for row in self.rows]
            if any(value is _OTHER for value, _ in cells):
                return None
            # A column is bare parameters or always the same CAST (NULLs are either).
            wraps = {wrap for value, wrap in cells if value is not _NULL or wrap is not None}
            if len(wraps) > 1:
                return None
            column_wraps.append(next(iter(wraps), None))
            columns.append(tuple(_cell_name(value) for value, _ in cells))
        head = "".join(self.parts[first : self.values_at]).rstrip()
        sources = [f"unnest(${k + 1}::VARCHAR[])" for k in range(width)]
        if any(wrap is not None and "redshift_left_bytes" in wrap for wrap in column_wraps):
            # The cut's macro holds a lambda, where DuckDB refuses UNNEST: unnest first.
            inner = ", ".join(f"{source} AS c{k + 1}" for k, source in enumerate(sources))
            exprs = _wrapped(column_wraps, [f"c{k + 1}" for k in range(width)])
            return BulkValues(f"{head} SELECT {exprs} FROM (SELECT {inner})", tuple(columns))
        return BulkValues(f"{head} SELECT {_wrapped(column_wraps, sources)}", tuple(columns))

    def _row(self) -> None:
        self._take("punct", "(")
        cells = [self._value()]
        while self._at("punct", ","):
            self.pos += 1
            cells.append(self._value())
        self._take("punct", ")")
        self.rows.append(cells)

    def _value(self) -> tuple[object, str | None]:
        """One VALUES cell: (parameter name, NULL or _OTHER; its wrapper or None).

        The wrapper is a format string (``CAST({} AS DATE)``, ``FROM_HEX({})``)
        that the column-wise form applies to the column's values.
        """
        i = self._peek()
        if self.kinds[i] == "cast":
            self.pos += 1
            return self._cast_token(i)
        if self.kinds[i] == "word":
            word = self.parts[i].upper()
            if word == "DEFAULT":
                self.pos += 1
                return _OTHER, None
            if word == "CAST":
                self.pos += 1
                return self._cast()
            if word == "FROM_HEX":
                self.pos += 1
                return self._from_hex()
        return self._atom(), None

    def _atom(self) -> object:
        i = self._peek()
        kind = self.kinds[i]
        if kind == "param":
            name = self.parts[i][1:]
            number = self.index.setdefault(name, len(self.index))
            self.parts[i] = f"${number + 1}" if self.target == "duckdb" else f"%({name})s"
            self.pos += 1
            return name
        if kind in ("string", "number"):
            self.pos += 1
            return _OTHER
        if kind == "word" and self.parts[i].upper() in _ATOM_WORDS:
            self.pos += 1
            return _NULL if self.parts[i].upper() == "NULL" else _OTHER
        if kind == "punct" and self.parts[i] in ("+", "-"):
            self.pos += 1
            self._take("number")
            return _OTHER
        raise _Decline

    def _cast_token(self, i: int) -> tuple[object, str]:  # see _value
        """A whole ``CAST(:p AS type)`` / ``CAST(NULL AS type)`` token."""
        m = _CAST_PARTS_RE.match(self.parts[i])
        if m is None:  # pragma: no cover - the token regex guarantees the shape
            raise _Decline
        operand, type_text = m.groups()
        written = target_type(type_text, self.target)
        if written is None:
            raise _Decline
        template = _cast_template(type_text, written)
        if operand.startswith(":"):
            name = operand[1:]
            number = self.index.setdefault(name, len(self.index))
            placeholder = f"${number + 1}" if self.target == "duckdb" else f"%({name})s"
            self.parts[i] = template.format(placeholder)
            return name, template
        self.parts[i] = template.format("NULL")
        return _NULL, template

    def _cast(self) -> tuple[object, str]:
        self._take("punct", "(")
        value = self._atom()
        self._take("word", "AS")
        start = self._take("word")
        while self._at("word"):
            self.pos += 1
        if self._at("punct", "("):
            self.pos += 1
            i = self._peek()
            if self.kinds[i] == "number" or (
                self.kinds[i] == "word" and self.parts[i].upper() == "MAX"
            ):
                self.pos += 1
            else:
                raise _Decline
            if self._at("punct", ","):
                self.pos += 1
                self._take("number")
            self._take("punct", ")")
        end = self._peek()  # the CAST's closing parenthesis
        self._take("punct", ")")
        type_text = "".join(self.parts[start:end]).strip()
        written = target_type(type_text, self.target)
        if written is None or _cast_template(type_text, written) != f"CAST({{}} AS {written})":
            raise _Decline  # a CAST that cuts its value: the general path writes the cut
        self.parts[start] = written
        for i in range(start + 1, end):
            self.parts[i] = ""
        return value, f"CAST({{}} AS {written})"

    def _from_hex(self) -> tuple[object, str]:
        """``FROM_HEX(atom)``: how the driver sends bytes parameters.

        DuckDB has FROM_HEX; PostgreSQL gets ``DECODE(x, 'hex')``, as the
        general path writes it.
        """
        name_at = self.code[self.pos - 1]
        self._take("punct", "(")
        value = self._atom()
        close = self._take("punct", ")")
        if self.target == "postgres":
            self.parts[name_at] = "DECODE"
            self.parts[close] = ", 'hex')"
        return value, "FROM_HEX({})"
