"""Redshift SQL -> the SQL of the engine behind the local endpoint.

:func:`translate` takes one Redshift statement as a Data API client sends it
and returns SQL for DuckDB or PostgreSQL (psycopg), with:

* the Data API's named parameters (``:name``) turned into the target's
  placeholders: DuckDB positional ``$1``, ``$2``... (one number per distinct
  name) and psycopg ``%(name)s``.  Values are always bound by the engine,
  never pasted into the text.  For psycopg every literal ``%`` is doubled, so
  the engine must always execute with a mapping (``{}`` when there is no
  parameter), never with ``None``;
* Redshift-only syntax removed or rewritten (DISTKEY, SORTKEY, DISTSTYLE,
  ENCODE, BACKUP, IDENTITY, Redshift types such as SUPER, VARBYTE, GEOMETRY),
  by sqlglot (``read="redshift"``) plus small targeted fixes where it goes
  wrong;
* the statement's ``kind`` ("query", "dml", "ddl", "transaction" or
  "utility"), which the engines use to decide HasResultSet.

Statements sqlglot cannot parse are passed through with only the placeholder
rewrite and the Redshift table attributes removed (logged at DEBUG): the
engine may still run them, and if not, its own error message is the one the
user sees.

The Data API runs exactly one statement per ExecuteStatement (several are a
ValidationException there), so more than one raises :class:`ValueError`.

Decisions worth knowing:

* kinds: SELECT/WITH/VALUES/SHOW/EXPLAIN/CALL are "query"; INSERT/UPDATE/
  DELETE/MERGE/COPY "dml"; CREATE/ALTER/DROP/TRUNCATE/COMMENT/GRANT/REVOKE
  and SELECT INTO "ddl"; BEGIN/START TRANSACTION/COMMIT/END/ROLLBACK/ABORT
  "transaction" (``sql`` normalised to BEGIN, COMMIT or ROLLBACK); anything
  else (SET, RESET, VACUUM, ANALYZE, LOCK...) "utility";
* VACUUM, ANALYZE, Redshift-only settings (``SET query_group``...) and the
  physical-design ALTER TABLE forms are no-ops on both targets; on DuckDB
  role statements and ``SET timezone`` are too (the session stays in UTC);
* unaliased result columns get Redshift's names on DuckDB (``count``,
  ``?column?``; PostgreSQL names them that way itself), unquoted aliases are
  lower-cased;
* GETDATE()/SYSDATE are UTC TIMESTAMPs; LISTAGG without a delimiter joins
  with nothing; DECIMAL without precision is DECIMAL(18,0).
"""

from __future__ import annotations

import copy
import functools
import itertools
import logging
import re
from dataclasses import dataclass, field
from typing import Any, Literal, cast

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

logger = logging.getLogger(__name__)

Target = Literal["duckdb", "postgres"]

__all__ = [
    "DeclaredColumn",
    "Target",
    "Token",
    "Translated",
    "scan",
    "split_statements",
    "translate",
]


# ---------------------------------------------------------------------------
# Lexical scanning: enough of the SQL lexer to know what is code and what is
# a string, a quoted identifier or a comment.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    """One lexical piece of SQL.

    ``kind`` is one of ``ws``, ``comment``, ``string``, ``ident`` (quoted
    identifier), ``word`` (keyword, name or number), ``param`` (``:name``;
    ``text`` holds the whole ``:name``), ``semi``, ``lparen``, ``rparen``,
    ``comma`` or ``op`` (anything else, ``::`` included).
    """

    kind: str
    text: str


_WORD_RE = re.compile(
    r"[A-Za-z_\x80-\uffff][A-Za-z0-9_$\x80-\uffff]*|[0-9][0-9.]*(?:[eE][+-]?[0-9]+)?"
)
_PARAM_RE = re.compile(r":([0-9A-Za-z_]+)")
_DOLLAR_TAG_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")
_WS_RE = re.compile(r"\s+")


def _end_of_quoted(sql: str, start: int, quote: str, backslash_escapes: bool) -> int:
    """Index just past the closing quote of the literal opened at ``start``."""
    i = start + 1
    n = len(sql)
    while i < n:
        ch = sql[i]
        if backslash_escapes and ch == "\\":
            i += 2
            continue
        if ch == quote:
            if i + 1 < n and sql[i + 1] == quote:
                i += 2
                continue
            return i + 1
        i += 1
    return n  # unterminated: the engine reports it


def _end_of_block_comment(sql: str, start: int) -> int:
    depth = 0
    i = start
    n = len(sql)
    while i < n:
        if sql.startswith("/*", i):
            depth += 1
            i += 2
        elif sql.startswith("*/", i):
            depth -= 1
            i += 2
            if depth == 0:
                return i
        else:
            i += 1
    return n


def scan(sql: str, backslash_escapes: bool = True) -> list[Token]:
    """Split ``sql`` into :class:`Token` objects; joining their texts gives ``sql`` back.

    ``backslash_escapes`` says whether ``\\'`` escapes a quote inside a string
    literal (Redshift accepts it; DuckDB and standard PostgreSQL strings do not).
    """
    tokens: list[Token] = []
    i = 0
    n = len(sql)
    while i < n:
        ch = sql[i]
        if ch.isspace():
            m = _WS_RE.match(sql, i)
            assert m is not None
            tokens.append(Token("ws", m.group()))
            i = m.end()
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            j = n if j < 0 else j
            tokens.append(Token("comment", sql[i:j]))
            i = j
        elif sql.startswith("/*", i):
            j = _end_of_block_comment(sql, i)
            tokens.append(Token("comment", sql[i:j]))
            i = j
        elif ch == "'":
            j = _end_of_quoted(sql, i, "'", backslash_escapes)
            tokens.append(Token("string", sql[i:j]))
            i = j
        elif ch == '"':
            j = _end_of_quoted(sql, i, '"', False)
            tokens.append(Token("ident", sql[i:j]))
            i = j
        elif ch == "$" and (m := _DOLLAR_TAG_RE.match(sql, i)) is not None:
            tag = m.group()
            j = sql.find(tag, m.end())
            j = n if j < 0 else j + len(tag)
            tokens.append(Token("string", sql[i:j]))
            i = j
        elif ch == ":":
            if sql.startswith("::", i):
                tokens.append(Token("op", "::"))
                i += 2
            elif (m := _PARAM_RE.match(sql, i)) is not None:
                tokens.append(Token("param", m.group()))
                i = m.end()
            else:
                tokens.append(Token("op", ":"))
                i += 1
        elif ch == ";":
            tokens.append(Token("semi", ch))
            i += 1
        elif ch == "(":
            tokens.append(Token("lparen", ch))
            i += 1
        elif ch == ")":
            tokens.append(Token("rparen", ch))
            i += 1
        elif ch == ",":
            tokens.append(Token("comma", ch))
            i += 1
        elif (m := _WORD_RE.match(sql, i)) is not None:
            tokens.append(Token("word", m.group()))
            i = m.end()
        else:
            tokens.append(Token("op", ch))
            i += 1
    return tokens


_BLANK = ("ws", "comment")


def split_statements(tokens: list[Token]) -> list[list[Token]]:
    """The non-empty statements of a token list (split on top-level ``;``)."""
    statements: list[list[Token]] = []
    current: list[Token] = []
    for tok in tokens:
        if tok.kind == "semi":
            statements.append(current)
            current = []
        else:
            current.append(tok)
    statements.append(current)
    return [s for s in statements if any(t.kind not in _BLANK for t in s)]


def _leading_words(tokens: list[Token], count: int = 4) -> list[str]:
    """The first ``count`` words of a statement, upper-cased (opening parens skipped)."""
    words: list[str] = []
    for tok in tokens:
        if tok.kind in _BLANK or (tok.kind == "lparen" and not words):
            continue
        if tok.kind != "word":
            break
        words.append(tok.text.upper())
        if len(words) == count:
            break
    return words


def _join(tokens: list[Token]) -> str:
    return "".join(t.text for t in tokens).strip()


# ---------------------------------------------------------------------------
# Result
# ---------------------------------------------------------------------------


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
    text with placeholders rewritten.
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


_QUERY_WORDS = {"SELECT", "WITH", "VALUES", "SHOW", "EXPLAIN", "TABLE", "CALL", "DESCRIBE"}
_DML_WORDS = {"INSERT", "UPDATE", "DELETE", "MERGE", "COPY"}
_DDL_WORDS = {"CREATE", "ALTER", "DROP", "TRUNCATE", "COMMENT", "GRANT", "REVOKE"}
_BEGIN_WORDS = {"BEGIN", "START"}
_COMMIT_WORDS = {"COMMIT", "END"}
_ROLLBACK_WORDS = {"ROLLBACK", "ABORT"}

#: Redshift settings PostgreSQL and DuckDB do not have: SET is accepted and ignored.
_REDSHIFT_ONLY_SETTINGS = {
    "query_group",
    "enable_result_cache_for_session",
    "wlm_query_slot_count",
    "analyze_threshold_percent",
    "json_serialization_enable",
    "json_serialization_parse_nested_strings",
    "enable_case_sensitive_identifier",
    "enable_case_sensitive_super_attribute",
    "mv_enable_aqmv_for_session",
    "auto_mv",
    "describe_field_name_in_uppercase",
    "downcase_delimited_identifier",
    "use_fips_ssl",
    "spectrum_query_maxerror",
    "compound_sortkey",
    "datashare_break_glass_session_var",
    "max_concurrency_scaling_clusters",
}

#: Settings DuckDB has no equivalent for (or which must stay fixed: TimeZone is
#: kept UTC so that timestamptz values come back in UTC).
_DUCKDB_IGNORED_SETTINGS = {
    "timezone",
    "time zone",
    "datestyle",
    "statement_timeout",
    "application_name",
    "extra_float_digits",
    "client_encoding",
    "standard_conforming_strings",
    "intervalstyle",
    "session",
    "seed",
    "transaction",
    "default_transaction_isolation",
}


def _classify(words: list[str]) -> tuple[str, str]:
    """(kind, command) of a statement from its leading words."""
    if not words:
        return "utility", ""
    first = words[0]
    if first in _BEGIN_WORDS:
        return "transaction", "BEGIN"
    if first in _COMMIT_WORDS:
        return "transaction", "COMMIT"
    if first in _ROLLBACK_WORDS:
        return "transaction", "ROLLBACK"
    if first in _QUERY_WORDS:
        return "query", first
    if first in _DML_WORDS:
        return "dml", first
    if first in _DDL_WORDS:
        command = first
        for word in words[1:] if first in {"CREATE", "ALTER", "DROP"} else []:
            if word in {"OR", "REPLACE", "TEMP", "TEMPORARY", "LOCAL", "EXTERNAL", "MATERIALIZED"}:
                continue
            command = f"{first} {word}"
            break
        return "ddl", command
    return "utility", first


def _is_transaction_tail(words: list[str]) -> bool:
    """BEGIN/START/COMMIT... followed only by TRANSACTION/WORK/isolation options."""
    if words[0] == "START":
        return len(words) >= 2 and words[1] == "TRANSACTION"
    return True


def _identifier_text(tok: Token) -> str:
    """An identifier as Redshift stores it: quoted kept, unquoted lower-cased."""
    if tok.kind == "ident":
        return tok.text[1:-1].replace('""', '"')
    return tok.text.lower()


# ---------------------------------------------------------------------------
# Token-level rewrites done before sqlglot sees the statement
# ---------------------------------------------------------------------------


def _next_code(tokens: list[Token], i: int) -> int:
    """Index of the next non-blank token at or after ``i`` (len(tokens) if none)."""
    while i < len(tokens) and tokens[i].kind in _BLANK:
        i += 1
    return i


def _skip_parens(tokens: list[Token], i: int) -> int:
    """Given tokens[i] is '(', the index just past its matching ')'."""
    depth = 0
    while i < len(tokens):
        if tokens[i].kind == "lparen":
            depth += 1
        elif tokens[i].kind == "rparen":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def _strip_table_attributes(tokens: list[Token], alter: bool) -> list[Token]:
    """Remove Redshift's physical-design clauses from CREATE TABLE / ALTER TABLE.

    Column level: ``ENCODE x``, ``DISTKEY``, ``SORTKEY``.  Table level:
    ``DISTSTYLE x``, ``DISTKEY (c)``, ``[COMPOUND|INTERLEAVED] SORTKEY (c, ...)``,
    ``SORTKEY AUTO``, ``BACKUP YES|NO``, ``ENCODE AUTO``.  A word that starts a
    column definition (a column *named* sortkey) is kept.
    """
    out: list[Token] = []
    depth = 0
    element_start = False  # the next word starts a column definition
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if tok.kind == "lparen":
            depth += 1
            element_start = depth == 1 and not alter
            out.append(tok)
            i += 1
            continue
        if tok.kind == "rparen":
            depth -= 1
            out.append(tok)
            i += 1
            continue
        if tok.kind == "comma":
            element_start = depth == 1 and not alter
            out.append(tok)
            i += 1
            continue
        if tok.kind != "word" or depth > 1:
            out.append(tok)
            i += 1
            continue
        word = tok.text.upper()
        if element_start:
            element_start = False
            out.append(tok)
            i += 1
            continue
        if depth == 0 and word == "AS" and not alter:
            out.extend(tokens[i:])  # CREATE TABLE ... AS query: nothing more to strip
            break
        j = _next_code(tokens, i + 1)
        following = tokens[j] if j < n else None
        if word in {"ENCODE", "DISTSTYLE", "BACKUP"} and following is not None:
            i = j + 1  # the keyword and its argument
            continue
        if (
            word in {"COMPOUND", "INTERLEAVED"}
            and following is not None
            and following.kind == "word"
            and following.text.upper() == "SORTKEY"
        ):
            i = j  # drop the qualifier; SORTKEY handled next round
            continue
        if word in {"DISTKEY", "SORTKEY"}:
            if following is not None and following.kind == "lparen":
                i = _skip_parens(tokens, j)
                continue
            if (
                following is not None
                and following.kind == "word"
                and following.text.upper() == "AUTO"
            ):
                i = j + 1
                continue
            i += 1
            continue
        out.append(tok)
        i += 1
    return out


def _create_table_target(tokens: list[Token]) -> tuple[tuple[str | None, str] | None, bool]:
    """The (schema, table) a CREATE TABLE statement creates, and whether it is TEMP."""
    temporary = False
    code = [t for t in tokens if t.kind not in _BLANK]
    i = 1  # past CREATE
    while (
        i < len(code)
        and code[i].kind == "word"
        and code[i].text.upper()
        in {
            "TEMP",
            "TEMPORARY",
            "LOCAL",
            "GLOBAL",
        }
    ):
        temporary = temporary or code[i].text.upper() in {"TEMP", "TEMPORARY"}
        i += 1
    if i >= len(code) or code[i].text.upper() != "TABLE":
        return None, temporary
    i += 1
    if i + 2 < len(code) and [c.text.upper() for c in code[i : i + 3]] == ["IF", "NOT", "EXISTS"]:
        i += 3
    if i >= len(code) or code[i].kind not in ("word", "ident"):
        return None, temporary
    parts = [_identifier_text(code[i])]
    while i + 2 < len(code) and code[i + 1].text == "." and code[i + 2].kind in ("word", "ident"):
        parts.append(_identifier_text(code[i + 2]))
        i += 2
    if len(parts) == 1:
        return (None, parts[0]), temporary
    return (parts[-2], parts[-1]), temporary


# ---------------------------------------------------------------------------
# Types
# ---------------------------------------------------------------------------

_DT = exp.DataType.Type
_DTType = Any  # sqlglot's DataType.Type enum (not usable as an annotation)

_STRING_TYPES = {_DT.VARCHAR, _DT.NVARCHAR, _DT.TEXT, _DT.CHAR, _DT.NCHAR, _DT.BPCHAR}
_CHAR_TYPES = {_DT.CHAR, _DT.NCHAR, _DT.BPCHAR}
_BINARY_TYPES = {_DT.VARBINARY, _DT.BINARY}

#: sqlglot type -> Redshift typeName (the one the Data API reports).
_REDSHIFT_TYPE_NAMES: dict[_DTType, str] = {
    _DT.SMALLINT: "int2",
    _DT.INT: "int4",
    _DT.BIGINT: "int8",
    _DT.FLOAT: "float4",
    _DT.DOUBLE: "float8",
    _DT.DECIMAL: "numeric",
    _DT.BOOLEAN: "bool",
    _DT.VARCHAR: "varchar",
    _DT.NVARCHAR: "varchar",
    _DT.TEXT: "varchar",
    _DT.CHAR: "bpchar",
    _DT.NCHAR: "bpchar",
    _DT.BPCHAR: "bpchar",
    _DT.DATE: "date",
    _DT.TIME: "time",
    _DT.TIMETZ: "timetz",
    _DT.TIMESTAMP: "timestamp",
    _DT.TIMESTAMPTZ: "timestamptz",
    _DT.SUPER: "super",
    _DT.VARBINARY: "varbyte",
    _DT.BINARY: "varbyte",
    _DT.GEOMETRY: "geometry",
    _DT.GEOGRAPHY: "geography",
    _DT.HLLSKETCH: "hllsketch",
    _DT.INTERVAL: "interval",
}


def _type_params(dtype: exp.DataType) -> list[str]:
    return [p.name.upper() for p in dtype.expressions]


def _declared(name: str, dtype: exp.DataType) -> DeclaredColumn:
    """A Redshift column type, with Redshift's defaults for omitted lengths."""
    type_name = _REDSHIFT_TYPE_NAMES.get(dtype.this, dtype.sql("redshift").lower())
    params = _type_params(dtype)
    col = DeclaredColumn(name=name, type_name=type_name)
    if dtype.this in _STRING_TYPES:
        if params and params[0] == "MAX":
            col.length = 65535
        elif params and params[0].isdigit():
            col.length = int(params[0])
        elif dtype.this in (_DT.CHAR, _DT.NCHAR):
            col.length = 1
        else:
            col.length = 256  # Redshift's VARCHAR/TEXT/BPCHAR without a length
    elif dtype.this in _BINARY_TYPES:
        col.length = int(params[0]) if params and params[0].isdigit() else 64000
    elif dtype.this == _DT.DECIMAL:
        col.precision = int(params[0]) if params and params[0].isdigit() else 18
        col.scale = int(params[1]) if len(params) > 1 and params[1].isdigit() else 0
    return col


def _rewrite_type(dtype: exp.DataType, target: Target) -> exp.DataType | None:
    """The target's type for a Redshift type, or None to keep it."""
    kind = dtype.this
    params = _type_params(dtype)
    if kind in _STRING_TYPES:
        if target == "duckdb":
            # DuckDB ignores lengths (and rejects TEXT(MAX)); the engine records them.
            return exp.DataType.build("VARCHAR")
        if params and params[0] == "MAX":
            size = exp.DataTypeParam(this=exp.Literal.number(65535))
            return exp.DataType(this=kind, expressions=[size])
        return None
    if kind == _DT.SUPER:
        return exp.DataType.build("JSON")
    if kind in (_DT.GEOMETRY, _DT.GEOGRAPHY, _DT.HLLSKETCH):
        return exp.DataType.build("VARCHAR" if target == "duckdb" else "TEXT")
    if kind in _BINARY_TYPES:
        return exp.DataType.build("BLOB" if target == "duckdb" else "BYTEA", dialect=target)
    if kind == _DT.DECIMAL and not params:
        # Redshift's DECIMAL is DECIMAL(18,0); DuckDB's is (18,3), PostgreSQL's unbounded.
        return exp.DataType.build("DECIMAL(18, 0)")
    return None


# ---------------------------------------------------------------------------
# AST transforms
# ---------------------------------------------------------------------------


def _fix_types(tree: exp.Expression, target: Target) -> exp.Expression:
    def transform(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.DataType):
            replacement = _rewrite_type(node, target)
            if replacement is not None:
                return replacement
        return node

    return tree.transform(transform, copy=False)


def _identity_to_sequence(tree: exp.Create, target: Target) -> list[str]:
    """DuckDB has no identity columns: back each one by a sequence.

    Returns the CREATE SEQUENCE statements to run before the CREATE TABLE.
    """
    if target != "duckdb" or not isinstance(tree.this, exp.Schema):
        return []
    table = tree.this.this
    if not isinstance(table, exp.Table):
        return []
    pre: list[str] = []
    for coldef in tree.this.expressions:
        if not isinstance(coldef, exp.ColumnDef):
            continue
        for constraint in list(coldef.args.get("constraints") or []):
            kind = constraint.args.get("kind")
            if not isinstance(kind, exp.GeneratedAsIdentityColumnConstraint):
                continue
            start = kind.args.get("start")
            step = kind.args.get("increment")
            seq_name = f"{table.name}_{coldef.name}_seq"
            seq = exp.Table(this=exp.to_identifier(seq_name), db=table.args.get("db"))
            seq_sql = seq.sql("duckdb")
            exists = " IF NOT EXISTS" if tree.args.get("exists") else ""
            replace = "" if exists else " OR REPLACE"
            pre.append(
                f"CREATE{replace} SEQUENCE{exists} {seq_sql}"
                f" START WITH {start.sql('duckdb') if start else 1}"
                f" INCREMENT BY {step.sql('duckdb') if step else 1}"
            )
            default = exp.DefaultColumnConstraint(
                this=exp.func("nextval", exp.Literal.string(seq_sql))
            )
            constraint.set("kind", default)
    return pre


def _length_checks(tree: exp.Create, target: Target) -> None:
    """Make DuckDB refuse over-long CHAR/VARCHAR values, as Redshift does.

    DuckDB ignores declared lengths; a CHECK on the byte length (Redshift
    counts bytes) gives the same refusal.  The engine turns the CHECK failure
    into Redshift's "value too long for type character varying(n)" (22001).
    Only CREATE TABLE gets them (DuckDB cannot add a CHECK to an existing table).
    """
    if target != "duckdb" or not isinstance(tree.this, exp.Schema):
        return
    for coldef in tree.this.expressions:
        dtype = coldef.args.get("kind") if isinstance(coldef, exp.ColumnDef) else None
        if not isinstance(dtype, exp.DataType) or dtype.this not in _STRING_TYPES:
            continue
        declared = _declared(_column_name(coldef), dtype)
        if declared.length >= 65535:
            continue
        check = exp.CheckColumnConstraint(
            this=exp.LTE(
                # strlen counts bytes (VARCHAR); CHAR holds single-byte characters only.
                this=exp.func(
                    "strlen" if declared.type_name == "varchar" else "length",
                    exp.column(declared.name, quoted=True),
                ),
                expression=exp.Literal.number(declared.length),
            )
        )
        constraints = list(coldef.args.get("constraints") or [])
        constraints.append(exp.ColumnConstraint(kind=check))
        coldef.set("constraints", constraints)


def _pg_column_name(node: exp.Expression) -> str | None:
    """The name PostgreSQL/Redshift give an unaliased select expression."""
    if isinstance(node, exp.Column):
        return None if _MARKER_RE.fullmatch(node.name) else node.name
    if isinstance(node, exp.Paren):
        return _pg_column_name(node.this)
    if isinstance(node, exp.Cast):
        inner = _pg_column_name(node.this)
        if inner is not None:
            return inner
        to = node.args.get("to")
        if isinstance(to, exp.DataType):
            return _REDSHIFT_TYPE_NAMES.get(to.this, to.sql("redshift").lower())
        return None
    if isinstance(node, exp.Case):
        return "case"
    if isinstance(node, (exp.Window, exp.WithinGroup)):
        return _pg_column_name(node.this)
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    if isinstance(node, exp.CurrentTimestamp):
        return "sysdate" if node.args.get("sysdate") else "getdate"
    if isinstance(node, exp.Func):
        # The name the function has in Redshift SQL (sqlglot's class names are its own:
        # TimeToStr is TO_CHAR, TsOrDsDiff is DATEDIFF).
        try:
            m = _FUNC_NAME_RE.match(node.sql("redshift"))
        except SqlglotError:
            m = None
        return m.group(1).lower() if m else node.sql_names()[0].lower()
    return None


_FUNC_NAME_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(")

#: Keyword-like functions DuckDB resolves as column names first: an alias of
#: the same name would shadow them, and DuckDB already names them this way.
_KEYWORD_FUNCTIONS = (
    exp.CurrentDate,
    exp.CurrentTime,
    exp.CurrentUser,
)


def _name_output_columns(tree: exp.Expression) -> None:
    """Give unaliased result columns Redshift's names (``count``, ``?column?``).

    DuckDB names them after the expression text (``count_star()``); Redshift
    after the function, the cast type or ``?column?``.  Only the outermost
    query's columns are visible to the client, so only those are renamed.
    """
    select: exp.Expression | None = tree
    while isinstance(select, exp.SetOperation):
        select = select.this
    if not isinstance(select, exp.Select):
        return
    for i, projection in enumerate(select.expressions):
        if isinstance(projection, (exp.Alias, exp.Star)):
            continue
        if isinstance(projection, exp.Column) and not _MARKER_RE.fullmatch(projection.name):
            continue
        if isinstance(projection, exp.Dot) or projection.find(exp.Star) is projection:
            continue
        if isinstance(projection, _KEYWORD_FUNCTIONS) or (
            isinstance(projection, exp.CurrentTimestamp) and not projection.args.get("sysdate")
        ):
            continue
        name = _pg_column_name(projection) or "?column?"
        select.expressions[i] = exp.alias_(projection, exp.to_identifier(name, quoted=True))


def _lower_unquoted_aliases(tree: exp.Expression) -> None:
    """Redshift folds unquoted aliases to lower case; DuckDB's keep their case."""
    for alias in tree.find_all(exp.Alias):
        ident = alias.args.get("alias")
        if isinstance(ident, exp.Identifier) and not ident.quoted:
            ident.set("this", ident.name.lower())


def _kind_of_tree(tree: exp.Expression, fallback: str) -> str:
    if isinstance(tree, (exp.Query, exp.Values)):
        return "query"
    if isinstance(tree, (exp.Insert, exp.Update, exp.Delete, exp.Merge, exp.Copy)):
        return "dml"
    if isinstance(tree, (exp.Create, exp.Drop, exp.Alter, exp.TruncateTable, exp.Comment)):
        return "ddl"
    return fallback


# ---------------------------------------------------------------------------
# Placeholders
# ---------------------------------------------------------------------------

_MARKER_RE = re.compile(r"__rsdp([0-9]+)__")


def _marker(index: int) -> str:
    return f"__rsdp{index}__"


def _replace_params(tokens: list[Token]) -> tuple[list[Token], list[str]]:
    """Swap ``:name`` tokens for marker words that survive sqlglot unchanged."""
    index: dict[str, int] = {}
    out: list[Token] = []
    for tok in tokens:
        if tok.kind == "param":
            position = index.setdefault(tok.text[1:], len(index))
            out.append(Token("word", _marker(position)))
        else:
            out.append(tok)
    return out, list(index)


def _placeholders(sql: str, names: list[str], target: Target) -> str:
    """Turn markers into the target's placeholders (and double ``%`` for psycopg)."""
    parts: list[str] = []
    for tok in scan(sql, backslash_escapes=False):
        if tok.kind == "word" and (m := _MARKER_RE.fullmatch(tok.text)) is not None:
            index = int(m.group(1))
            if target == "duckdb":
                parts.append(f"${index + 1}")
            else:
                parts.append(f"%({names[index]})s")
        elif target == "postgres":
            parts.append(tok.text.replace("%", "%%"))
        else:
            parts.append(tok.text)
    return "".join(parts)


# ---------------------------------------------------------------------------
# The entry point
# ---------------------------------------------------------------------------


def _noop(kind: str, command: str, names: list[str]) -> Translated:
    return Translated(sql="", kind=kind, param_names=names, command=command, noop=True)


def _translate_set(
    tokens: list[Token], words: list[str], target: Target, names: list[str]
) -> Translated:
    """SET / RESET: keep search_path, drop what the target does not know."""
    command = words[0]
    rest = words[1:]
    if rest and rest[0] in {"SESSION", "LOCAL"}:
        rest = rest[1:]
    setting = rest[0].lower() if rest else ""
    if setting == "time" and len(rest) > 1:
        setting = "time zone"
    if setting in _REDSHIFT_ONLY_SETTINGS or setting == "":
        return _noop("utility", command, names)
    if target == "postgres":
        sql = _placeholders(_join(tokens), names, target)
        return Translated(sql=sql, kind="utility", param_names=names, command=command)
    if setting == "search_path":
        if command == "RESET":
            return Translated(
                sql="SET search_path = 'public'", kind="utility", param_names=names, command=command
            )
        code = [t for t in tokens if t.kind not in _BLANK]
        # SET [SESSION] search_path TO|= a, "b", '$user' ...
        idx = next(i for i, t in enumerate(code) if t.text.lower() == "search_path")
        values = [
            _identifier_text(t) if t.kind != "string" else t.text[1:-1]
            for t in code[idx + 2 :]
            if t.kind in ("word", "ident", "string")
        ]
        schemas = [v for v in values if v and v != "$user" and v.upper() != "DEFAULT"] or ["public"]
        quoted = ",".join(schemas).replace("'", "''")
        return Translated(
            sql=f"SET search_path = '{quoted}'", kind="utility", param_names=names, command=command
        )
    return _noop("utility", command, names)


def translate(sql: str, target: Target) -> Translated:
    """Translate one Redshift statement for ``target`` ("duckdb" or "postgres").

    Raises :class:`ValueError` for an empty text, for more than one statement
    (the Data API runs one statement per ExecuteStatement) and for an unknown
    target.  Results are cached by text (clients repeat the same statements
    with new parameters; sqlglot costs milliseconds); each call returns its
    own copy.
    """
    if target not in ("duckdb", "postgres"):
        raise ValueError(f"unknown translation target {target!r}: use 'duckdb' or 'postgres'")
    if not isinstance(sql, str):
        raise ValueError(f"SQL must be a string, not {type(sql).__name__}")
    if len(sql) > _CACHEABLE_LENGTH:
        return _translate(sql, target)
    return copy.deepcopy(_translate_cached(sql, target))


_CACHEABLE_LENGTH = 20_000  # longer texts (bulk INSERT ... VALUES) are rarely repeated


@functools.lru_cache(maxsize=512)
def _translate_cached(sql: str, target: Target) -> Translated:
    return _translate(sql, target)


def _translate(sql: str, target: Target) -> Translated:
    statements = split_statements(scan(sql))
    if not statements:
        raise ValueError("the SQL text holds no statement")
    if len(statements) > 1:
        raise ValueError(
            f"the SQL text holds {len(statements)} statements; the Data API runs one statement"
            " per ExecuteStatement (use BatchExecuteStatement for several)"
        )
    tokens = statements[0]
    # Leading/trailing comments are no part of the statement for the engine.
    while tokens and tokens[0].kind in _BLANK:
        tokens = tokens[1:]
    while tokens and tokens[-1].kind in _BLANK:
        tokens = tokens[:-1]
    words = _leading_words(tokens)
    kind, command = _classify(words)
    tokens, names = _replace_params(tokens)

    if kind == "transaction" and _is_transaction_tail(words):
        # BEGIN [TRANSACTION|WORK] [ISOLATION LEVEL ...], START TRANSACTION, END, ABORT...
        # Isolation options are dropped: both targets run serializable or snapshot anyway.
        return Translated(sql=command, kind="transaction", param_names=names, command=command)
    if words and words[0] in {"VACUUM", "ANALYZE"}:
        # Redshift's VACUUM/ANALYZE options mean nothing to the local engines.
        return _noop("utility", words[0], names)
    if words and words[0] in {"SET", "RESET"}:
        return _translate_set(tokens, words, target, names)
    if words[:2] in (["CREATE", "DATABASE"], ["DROP", "DATABASE"]):
        code = [t for t in tokens if t.kind not in _BLANK]
        i = 2
        if [t.text.upper() for t in code[2:4]] == ["IF", "EXISTS"]:
            i = 4
        if i >= len(code) or code[i].kind not in ("word", "ident"):
            raise ValueError(f"{command} needs a database name")
        return Translated(
            sql=_placeholders(_join(tokens), names, target),
            kind="ddl",
            param_names=names,
            command=command,
            database=_identifier_text(code[i]),
        )
    if words[:2] == ["ALTER", "TABLE"]:
        upper = [t.text.upper() for t in tokens if t.kind == "word"]
        # ALTER TABLE t ALTER DISTKEY c / ALTER DISTSTYLE x / ALTER [COMPOUND] SORTKEY (...)
        # / ALTER COLUMN c ENCODE x: physical design only.
        if any(w in upper for w in ("DISTKEY", "DISTSTYLE", "SORTKEY", "ENCODE")) and not any(
            w in upper for w in ("ADD", "RENAME", "DROP")
        ):
            return _noop("ddl", command, names)
    if target == "duckdb" and _is_role_statement(tokens, words):
        # DuckDB has no users, groups or privileges: accepted and ignored.
        return _noop("ddl", command, names)
    if words[:2] == ["CREATE", "VIEW"] or words[:4] == ["CREATE", "OR", "REPLACE", "VIEW"]:
        tokens = _strip_no_schema_binding(tokens)
    if target == "duckdb" and command == "CREATE TABLE":
        like = _create_table_like(tokens)
        if like is not None:
            return Translated(
                sql=_placeholders(like, names, target),
                kind="ddl",
                param_names=names,
                command=command,
            )
    if words[:1] == ["EXPLAIN"]:
        rest = tokens[1:]
        prefix = "EXPLAIN"
        rest_words = _leading_words(rest, 1)
        if rest_words == ["VERBOSE"]:
            rest = rest[_next_code(rest, 0) + 1 :]
        body = _translate_tokens(rest, names, target, "query", "EXPLAIN")
        return Translated(
            sql=f"{prefix} {body.sql}",
            kind="query",
            param_names=names,
            command="EXPLAIN",
            parsed=body.parsed,
        )
    if words[:1] == ["SHOW"]:
        return Translated(
            sql=_placeholders(_join(tokens), names, target),
            kind="query",
            param_names=names,
            command="SHOW",
            parsed=False,
        )
    if kind == "utility":
        # Statements sqlglot's Redshift dialect does not know (LOCK, CHECKPOINT,
        # PRAGMA...) would be misread as expressions: the engine gets them as written.
        return Translated(
            sql=_placeholders(_join(tokens), names, target),
            kind=kind,
            param_names=names,
            command=command,
            parsed=False,
        )
    if command == "INSERT" and _is_plain_insert_values(tokens):
        # Bulk INSERT ... VALUES of literals and parameters (what SQLAlchemy and
        # pandas send) is the same SQL on every target: sqlglot would cost
        # seconds on a 100 KB statement and change nothing.
        return Translated(
            sql=_placeholders(_join(tokens), names, target),
            kind="dml",
            param_names=names,
            command="INSERT",
        )
    return _translate_tokens(tokens, names, target, kind, command)


_PLAIN_VALUE_WORDS = {"NULL", "TRUE", "FALSE", "DEFAULT"}
_NUMBER_RE = re.compile(r"[0-9][0-9.]*(?:[eE][+-]?[0-9]+)?")


def _is_plain_insert_values(tokens: list[Token]) -> bool:
    """``INSERT INTO name [(columns)] VALUES (...), ...`` holding only literals/parameters."""
    code = [t for t in tokens if t.kind not in _BLANK]
    if len(code) < 4 or [t.text.upper() for t in code[:2]] != ["INSERT", "INTO"]:
        return False
    i = 2
    # table name: ident[.ident[.ident]]
    while i < len(code) and code[i].kind in ("word", "ident"):
        if code[i].kind == "word" and code[i].text.upper() == "VALUES":
            break
        i += 1
        if i < len(code) and code[i].text == ".":
            i += 1
            continue
        break
    if i < len(code) and code[i].kind == "lparen":  # column list: names and commas only
        i += 1
        while i < len(code) and code[i].kind in ("word", "ident", "comma"):
            i += 1
        if i >= len(code) or code[i].kind != "rparen":
            return False
        i += 1
    if i >= len(code) or code[i].kind != "word" or code[i].text.upper() != "VALUES":
        return False
    for tok in code[i + 1 :]:
        if tok.kind in ("lparen", "rparen", "comma"):
            continue
        if tok.kind == "string":
            # Redshift reads \' inside literals; the targets do not: sqlglot rewrites those.
            if "\\" in tok.text or tok.text.startswith("$"):
                return False
            continue
        if tok.kind == "word" and (
            _MARKER_RE.fullmatch(tok.text)
            or tok.text.upper() in _PLAIN_VALUE_WORDS
            or _NUMBER_RE.fullmatch(tok.text)
        ):
            continue
        if tok.kind == "op" and tok.text in ("-", "+"):
            continue
        return False
    return True


_ROLE_WORDS = {"USER", "GROUP", "ROLE"}


def _is_role_statement(tokens: list[Token], words: list[str]) -> bool:
    """GRANT/REVOKE, CREATE/ALTER/DROP USER|GROUP|ROLE, ALTER ... OWNER TO."""
    if words[:1] in (["GRANT"], ["REVOKE"]):
        return True
    if len(words) >= 2 and words[0] in {"CREATE", "ALTER", "DROP"} and words[1] in _ROLE_WORDS:
        return True
    if words[:1] == ["ALTER"]:
        upper = [t.text.upper() for t in tokens if t.kind == "word"]
        return any(a == "OWNER" and b == "TO" for a, b in itertools.pairwise(upper))
    return False


def _strip_no_schema_binding(tokens: list[Token]) -> list[Token]:
    """Drop a late-binding view's trailing ``WITH NO SCHEMA BINDING``."""
    code = [i for i, t in enumerate(tokens) if t.kind not in _BLANK]
    tail = [tokens[i].text.upper() for i in code[-4:]]
    if tail == ["WITH", "NO", "SCHEMA", "BINDING"]:
        return tokens[: code[-4]]
    return tokens


def _create_table_like(tokens: list[Token]) -> str | None:
    """``CREATE TABLE t (LIKE s ...)`` as DuckDB can run it (columns only), else None."""
    paren = next((i for i, t in enumerate(tokens) if t.kind == "lparen"), None)
    if paren is None:
        return None
    j = _next_code(tokens, paren + 1)
    if j >= len(tokens) or tokens[j].text.upper() != "LIKE":
        return None
    source: list[str] = []
    for tok in tokens[j + 1 :]:
        if tok.kind == "rparen" or tok.text.upper() in {"INCLUDING", "EXCLUDING"}:
            break
        if tok.kind not in _BLANK:
            source.append(tok.text)
    return f"{_join(tokens[:paren])} AS SELECT * FROM {''.join(source)} LIMIT 0"


def _translate_tokens(
    tokens: list[Token], names: list[str], target: Target, kind: str, command: str
) -> Translated:
    """sqlglot translation of one statement whose parameters are already markers."""
    table: tuple[str | None, str] | None = None
    temporary = False
    if command == "CREATE TABLE":
        tokens = _strip_table_attributes(tokens, alter=False)
        table, temporary = _create_table_target(tokens)
    elif command == "ALTER TABLE":
        tokens = _strip_table_attributes(tokens, alter=True)
    # GETDATE() is a TIMESTAMP in Redshift; sqlglot reads it as CURRENT_TIMESTAMP,
    # which is a TIMESTAMPTZ.  SYSDATE has the right type on both targets.
    raw = _join(tokens)  # what the engine gets when sqlglot cannot help
    tokens = _getdate_to_sysdate(tokens)
    text = _join(tokens)
    result = Translated(
        sql="", kind=kind, param_names=names, command=command, table=table, temporary=temporary
    )
    try:
        trees = sqlglot.parse(text, read="redshift")
    except SqlglotError as exc:
        logger.debug("sqlglot cannot parse %r (%s); passing it through", text, exc)
        trees = []
    tree = cast("exp.Expression | None", trees[0] if len(trees) == 1 else None)
    if tree is None or isinstance(tree, exp.Command):
        if tree is not None:
            logger.debug("sqlglot parsed %r only as a command; passing it through", text)
        result.sql = _placeholders(raw, names, target)
        result.parsed = False
        return result

    result.kind = _kind_of_tree(tree, kind)
    if isinstance(tree, exp.Values):
        result.command = "VALUES"
    elif isinstance(tree, exp.Query):
        result.command = "SELECT"
    if result.kind == "dml":
        result.command = type(tree).__name__.upper()
    if isinstance(tree, exp.Create) and isinstance(tree.this, exp.Schema):
        result.columns = [
            _declared(_column_name(c), c.args["kind"])
            for c in tree.this.expressions
            if isinstance(c, exp.ColumnDef) and isinstance(c.args.get("kind"), exp.DataType)
        ]
    if isinstance(tree, exp.Alter):
        result.columns = [
            _declared(_column_name(c), c.args["kind"])
            for c in tree.args.get("actions") or []
            if isinstance(c, exp.ColumnDef) and isinstance(c.args.get("kind"), exp.DataType)
        ]
        altered = tree.this
        if isinstance(altered, exp.Table):
            result.table = (altered.db or None, altered.name)
    if isinstance(tree, exp.Create):
        result.pre_sql = _identity_to_sequence(tree, target)
        _length_checks(tree, target)
    if isinstance(tree, exp.Select) and tree.args.get("into") is not None:
        # SELECT ... INTO t creates a table (both targets get CREATE TABLE AS): no result set.
        result.kind, result.command = "ddl", "SELECT INTO"
    if isinstance(tree, exp.Merge):
        _fix_merge_insert_values(tree)
    for agg in tree.find_all(exp.GroupConcat):
        # Redshift's LISTAGG without a delimiter joins with nothing; sqlglot writes ','.
        if agg.args.get("separator") is None:
            agg.set("separator", exp.Literal.string(""))
    if result.kind == "query":
        _find_source(tree, result)
    result.numeric_params = _arithmetic_params(tree, names)
    _fix_types(tree, target)
    if target == "postgres":
        tree = _fix_for_postgres(tree)
    if target == "duckdb":
        _lower_unquoted_aliases(tree)
        if result.kind == "query":
            _name_output_columns(tree)
    try:
        generated = tree.sql(dialect=target)
    except SqlglotError as exc:
        logger.debug("sqlglot cannot write %r for %s (%s); passing it through", text, target, exc)
        result.sql = _placeholders(raw, names, target)
        result.parsed = False
        return result
    result.sql = _placeholders(generated, names, target)
    return result


def _ident_name(ident: exp.Expression | None) -> str:
    if isinstance(ident, exp.Identifier) and ident.quoted:
        return ident.name
    return ident.name.lower() if ident is not None else ""


_ARITHMETIC = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod, exp.IntDiv, exp.Neg, exp.Pow)
_MATH_FUNCTIONS = (exp.Abs, exp.Round, exp.Ceil, exp.Floor, exp.Sqrt, exp.Ln, exp.Log, exp.Exp)


def _arithmetic_params(tree: exp.Expression, names: list[str]) -> list[str]:
    """Parameters that are direct operands of arithmetic or math functions."""
    found: list[str] = []
    for column in tree.find_all(exp.Column):
        m = _MARKER_RE.fullmatch(column.name)
        if m is None:
            continue
        parent = column.parent
        while isinstance(parent, exp.Paren):
            parent = parent.parent
        if isinstance(parent, _ARITHMETIC + _MATH_FUNCTIONS):
            name = names[int(m.group(1))]
            if name not in found:
                found.append(name)
    return found


def _fix_for_postgres(tree: exp.Expression) -> exp.Expression:
    """Where sqlglot's Redshift -> PostgreSQL output is wrong or not PostgreSQL."""

    def transform(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.CurrentTimestamp) and node.args.get("sysdate"):
            # GETDATE()/SYSDATE are UTC TIMESTAMPs, not TIMESTAMPTZ.
            return exp.AtTimeZone(this=exp.CurrentTimestamp(), zone=exp.Literal.string("UTC"))
        if (
            isinstance(node, exp.WithinGroup)
            and isinstance(node.this, exp.GroupConcat)
            and isinstance(node.expression, exp.Order)
        ):
            # LISTAGG(x, ',') WITHIN GROUP (ORDER BY y) -> STRING_AGG(x, ',' ORDER BY y)
            agg = node.this
            ordered = exp.Order(this=agg.this, expressions=node.expression.expressions)
            return exp.GroupConcat(this=ordered, separator=agg.args.get("separator"))
        if isinstance(node, exp.ApproxDistinct):
            # APPROXIMATE COUNT(DISTINCT x): PostgreSQL counts exactly.
            return exp.Count(this=exp.Distinct(expressions=[node.this]))
        return node

    return tree.transform(transform, copy=False)


def _fix_merge_insert_values(tree: exp.Merge) -> None:
    """``WHEN NOT MATCHED THEN INSERT VALUES (...)`` without a column list.

    sqlglot's Redshift reader takes ``VALUES (...)`` there for a function call
    named VALUES inside a column list, and writes ``INSERT (VALUES(...))``.
    """
    for insert in tree.find_all(exp.Insert):
        target = insert.this
        if (
            isinstance(target, exp.Tuple)
            and len(target.expressions) == 1
            and isinstance(target.expressions[0], exp.Anonymous)
            and str(target.expressions[0].name).upper() == "VALUES"
        ):
            values = target.expressions[0].expressions
            insert.set("this", None)
            insert.set("expression", exp.Tuple(expressions=values))


def _find_source(tree: exp.Expression, result: Translated) -> None:
    """Fill ``result.source*`` when ``tree`` selects from exactly one table."""
    if not isinstance(tree, exp.Select) or tree.args.get("joins"):
        return
    from_ = tree.args.get("from_") or tree.args.get("from")
    table = from_.this if isinstance(from_, exp.From) else None
    if not isinstance(table, exp.Table) or not isinstance(table.this, exp.Identifier):
        return
    if table.args.get("catalog") is not None:
        return
    db = table.args.get("db")
    result.source = (_ident_name(db) if db is not None else None, _ident_name(table.this))
    for projection in tree.expressions:
        if isinstance(projection, exp.Star) or (
            isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star)
        ):
            result.source_star = True
        elif isinstance(projection, exp.Column) and not _MARKER_RE.fullmatch(projection.name):
            name = _ident_name(projection.this)
            result.source_columns[name] = name
        elif isinstance(projection, exp.Alias) and isinstance(projection.this, exp.Column):
            column = projection.this
            if not _MARKER_RE.fullmatch(column.name) and not isinstance(column.this, exp.Star):
                alias = _ident_name(projection.args.get("alias"))
                result.source_columns[alias] = _ident_name(column.this)


def _column_name(coldef: exp.ColumnDef) -> str:
    ident = coldef.this
    if isinstance(ident, exp.Identifier) and ident.quoted:
        return ident.name
    return coldef.name.lower()


def _getdate_to_sysdate(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.kind == "word" and tok.text.upper() == "GETDATE":
            j = _next_code(tokens, i + 1)
            k = _next_code(tokens, j + 1)
            if (
                j < len(tokens)
                and tokens[j].kind == "lparen"
                and k < len(tokens)
                and tokens[k].kind == "rparen"
            ):
                out.append(Token("word", "SYSDATE"))
                i = k + 1
                continue
        out.append(tok)
        i += 1
    return out
