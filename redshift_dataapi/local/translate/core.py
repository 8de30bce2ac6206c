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
  role statements and every SET but ``search_path`` are too (``SET timezone``
  included: the session stays in UTC);
* unaliased result columns get Redshift's names on DuckDB (``count``,
  ``?column?``; PostgreSQL names them that way itself), unquoted aliases are
  lower-cased;
* GETDATE()/SYSDATE are UTC TIMESTAMPs (without time zone) on both
  targets; GETDATE() is truncated to the second as Redshift's is
  (``DATE_TRUNC('SECOND', ...)``, result column ``getdate``), SYSDATE keeps
  microseconds; LISTAGG without a delimiter joins with nothing; DECIMAL
  without precision is DECIMAL(18,0);
* on PostgreSQL FROM_HEX(x) is ``DECODE(x, 'hex')`` and TO_HEX(x) is
  ``TO_HEX(x)`` (integers) unless ``x`` is visibly a VARBYTE (a CAST to
  VARBYTE, FROM_HEX, TO_VARBYTE...), then ``ENCODE(x, 'hex')``: the
  argument's type is not known statically, so TO_HEX of a bare VARBYTE
  column needs ``CAST(col AS VARBYTE)`` there.  DuckDB's HEX/FROM_HEX take
  both;
* DATEDIFF counts datepart boundaries crossed, as Redshift does, on both
  targets (``translate_datediff``); on PostgreSQL ``ROUND(x, n)`` rounds
  ``CAST(x AS NUMERIC)`` (PostgreSQL has no ``round(double precision, int)``),
  so its result is NUMERIC whatever the type of ``x``.

Bulk ``INSERT ... VALUES`` of parameters and literals (SQLAlchemy's
insertmanyvalues, pandas ``to_sql``) skips the scanner and sqlglot:
``translate_insert`` rewrites it in one regular-expression pass, CASTs
included, and gives DuckDB a column-wise form (``Translated.bulk``).

The pieces live beside this module: ``sql_scan`` (tokens, statements and
``:name`` placeholders; ``scan``, ``split_statements`` and ``Token`` are
re-exported here), ``translate_tokens`` (rewrites made on tokens before
sqlglot parses), ``translate_types`` (declared column types and the types
each target gets; ``DeclaredColumn`` is re-exported here) and
``translate_datediff`` (DATEDIFF as boundaries crossed).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import logging
import re
from dataclasses import dataclass, field
from typing import cast

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from .datediff import rewrite_datediffs
from .insert import BulkValues, translate_insert_values
from .scan import (
    BLANK,
    MARKER_RE,
    Target,
    Token,
    identifier_text,
    join_tokens,
    leading_words,
    next_code,
    placeholders,
    replace_params,
    scan,
    split_statements,
)
from .tokens import (
    GETDATE_MARKER,
    create_table_like,
    create_table_target,
    getdate_to_sysdate,
    is_plain_insert_values,
    is_role_statement,
    strip_no_schema_binding,
    strip_table_attributes,
)
from .types import (
    REDSHIFT_TYPE_NAMES,
    DeclaredColumn,
    column_name,
    declared_column,
    identity_to_sequence,
    length_checks,
    rewrite_types,
)

logger = logging.getLogger(__name__)

__all__ = [
    "BulkValues",
    "DeclaredColumn",
    "Target",
    "Token",
    "Translated",
    "scan",
    "split_statements",
    "translate",
]


# ---------------------------------------------------------------------------
# Result
# ---------------------------------------------------------------------------


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
    engine may run instead of ``sql`` (see ``translate_insert``).
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


# ---------------------------------------------------------------------------
# AST transforms
# ---------------------------------------------------------------------------


def _pg_column_name(node: exp.Expression) -> str | None:
    """The name PostgreSQL/Redshift give an unaliased select expression."""
    if isinstance(node, exp.Column):
        return None if MARKER_RE.fullmatch(node.name) else node.name
    if isinstance(node, exp.Paren):
        return _pg_column_name(node.this)
    if isinstance(node, exp.Cast):
        inner = _pg_column_name(node.this)
        if inner is not None:
            return inner
        to = node.args.get("to")
        if isinstance(to, exp.DataType):
            return REDSHIFT_TYPE_NAMES.get(to.this, to.sql("redshift").lower())
        return None
    if isinstance(node, exp.Case):
        return "case"
    if isinstance(node, (exp.Window, exp.WithinGroup)):
        return _pg_column_name(node.this)
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    if node.meta.get("getdate"):
        return "getdate"
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


def _outermost_select(tree: exp.Expression) -> exp.Select | None:
    """The SELECT whose columns the client sees (the first one of a UNION...)."""
    select: exp.Expression | None = tree
    while isinstance(select, exp.SetOperation):
        select = select.this
    return select if isinstance(select, exp.Select) else None


def _name_output_columns(tree: exp.Expression) -> None:
    """Give unaliased result columns Redshift's names (``count``, ``?column?``).

    DuckDB names them after the expression text (``count_star()``); Redshift
    after the function, the cast type or ``?column?``.  Only the outermost
    query's columns are visible to the client, so only those are renamed.
    """
    select = _outermost_select(tree)
    if select is None:
        return
    for i, projection in enumerate(select.expressions):
        if isinstance(projection, (exp.Alias, exp.Star)):
            continue
        if isinstance(projection, exp.Column) and not MARKER_RE.fullmatch(projection.name):
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
        sql = placeholders(join_tokens(tokens), names, target)
        return Translated(sql=sql, kind="utility", param_names=names, command=command)
    if setting == "search_path":
        if command == "RESET":
            return Translated(
                sql="SET search_path = 'public'", kind="utility", param_names=names, command=command
            )
        code = [t for t in tokens if t.kind not in BLANK]
        # SET [SESSION] search_path TO|= a, "b", '$user' ...
        idx = next(i for i, t in enumerate(code) if t.text.lower() == "search_path")
        values = [
            identifier_text(t) if t.kind != "string" else t.text[1:-1]
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
    fast = translate_insert_values(sql, target)
    if fast is not None:
        # Bulk INSERT ... VALUES (SQLAlchemy, pandas): a single regex pass instead of
        # the token scanner and sqlglot, which cost seconds on a 100 KB statement.
        return Translated(
            sql=fast.sql,
            kind="dml",
            param_names=fast.param_names,
            command="INSERT",
            bulk=fast.bulk,
        )
    if len(sql) > _CACHEABLE_LENGTH:
        return _translate(sql, target)
    return _copy(_translate_cached(sql, target))


def _copy(tr: Translated) -> Translated:
    """A copy of a cached translation that callers may change freely.

    Cheaper than ``copy.deepcopy``: only the mutable containers are copied.
    """
    return dataclasses.replace(
        tr,
        param_names=list(tr.param_names),
        pre_sql=list(tr.pre_sql),
        columns=copy.deepcopy(tr.columns) if tr.columns else [],
        source_columns=dict(tr.source_columns),
        numeric_params=list(tr.numeric_params),
    )


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
    while tokens and tokens[0].kind in BLANK:
        tokens = tokens[1:]
    while tokens and tokens[-1].kind in BLANK:
        tokens = tokens[:-1]
    words = leading_words(tokens)
    kind, command = _classify(words)
    tokens, names = replace_params(tokens)

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
        code = [t for t in tokens if t.kind not in BLANK]
        i = 2
        if [t.text.upper() for t in code[2:4]] == ["IF", "EXISTS"]:
            i = 4
        if i >= len(code) or code[i].kind not in ("word", "ident"):
            raise ValueError(f"{command} needs a database name")
        return Translated(
            sql=placeholders(join_tokens(tokens), names, target),
            kind="ddl",
            param_names=names,
            command=command,
            database=identifier_text(code[i]),
        )
    if words[:2] == ["ALTER", "TABLE"]:
        upper = [t.text.upper() for t in tokens if t.kind == "word"]
        # ALTER TABLE t ALTER DISTKEY c / ALTER DISTSTYLE x / ALTER [COMPOUND] SORTKEY (...)
        # / ALTER COLUMN c ENCODE x: physical design only.
        if any(w in upper for w in ("DISTKEY", "DISTSTYLE", "SORTKEY", "ENCODE")) and not any(
            w in upper for w in ("ADD", "RENAME", "DROP")
        ):
            return _noop("ddl", command, names)
    if target == "duckdb" and is_role_statement(tokens, words):
        # DuckDB has no users, groups or privileges: accepted and ignored.
        return _noop("ddl", command, names)
    if words[:2] == ["CREATE", "VIEW"] or words[:4] == ["CREATE", "OR", "REPLACE", "VIEW"]:
        tokens = strip_no_schema_binding(tokens)
    if target == "duckdb" and command == "CREATE TABLE":
        like = create_table_like(tokens)
        if like is not None:
            return Translated(
                sql=placeholders(like, names, target),
                kind="ddl",
                param_names=names,
                command=command,
            )
    if words[:1] == ["EXPLAIN"]:
        rest = tokens[1:]
        prefix = "EXPLAIN"
        rest_words = leading_words(rest, 1)
        if rest_words == ["VERBOSE"]:
            rest = rest[next_code(rest, 0) + 1 :]
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
            sql=placeholders(join_tokens(tokens), names, target),
            kind="query",
            param_names=names,
            command="SHOW",
            parsed=False,
        )
    if kind == "utility":
        # Statements sqlglot's Redshift dialect does not know (LOCK, CHECKPOINT,
        # PRAGMA...) would be misread as expressions: the engine gets them as written.
        return Translated(
            sql=placeholders(join_tokens(tokens), names, target),
            kind=kind,
            param_names=names,
            command=command,
            parsed=False,
        )
    if command == "INSERT" and is_plain_insert_values(tokens):
        # Bulk INSERT ... VALUES of literals and parameters (what SQLAlchemy and
        # pandas send) is the same SQL on every target: sqlglot would cost
        # seconds on a 100 KB statement and change nothing.
        return Translated(
            sql=placeholders(join_tokens(tokens), names, target),
            kind="dml",
            param_names=names,
            command="INSERT",
        )
    return _translate_tokens(tokens, names, target, kind, command)


def _translate_tokens(
    tokens: list[Token], names: list[str], target: Target, kind: str, command: str
) -> Translated:
    """sqlglot translation of one statement whose parameters are already markers."""
    table: tuple[str | None, str] | None = None
    temporary = False
    if command == "CREATE TABLE":
        tokens = strip_table_attributes(tokens, alter=False)
        table, temporary = create_table_target(tokens)
    elif command == "ALTER TABLE":
        tokens = strip_table_attributes(tokens, alter=True)
    # GETDATE() is a TIMESTAMP in Redshift; sqlglot reads it as CURRENT_TIMESTAMP,
    # which is a TIMESTAMPTZ.  A marker word stands for it until _getdates().
    raw = join_tokens(tokens)  # what the engine gets when sqlglot cannot help
    tokens = getdate_to_sysdate(tokens, GETDATE_MARKER)
    text = join_tokens(tokens)
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
        result.sql = placeholders(raw, names, target)
        result.parsed = False
        return result

    tree = _getdates(tree)
    result.kind = _kind_of_tree(tree, kind)
    if isinstance(tree, exp.Values):
        result.command = "VALUES"
    elif isinstance(tree, exp.Query):
        result.command = "SELECT"
    if result.kind == "dml":
        result.command = type(tree).__name__.upper()
    if isinstance(tree, exp.Create) and isinstance(tree.this, exp.Schema):
        result.columns = [
            declared_column(column_name(c), c.args["kind"])
            for c in tree.this.expressions
            if isinstance(c, exp.ColumnDef) and isinstance(c.args.get("kind"), exp.DataType)
        ]
    if isinstance(tree, exp.Alter):
        result.columns = [
            declared_column(column_name(c), c.args["kind"])
            for c in tree.args.get("actions") or []
            if isinstance(c, exp.ColumnDef) and isinstance(c.args.get("kind"), exp.DataType)
        ]
        altered = tree.this
        if isinstance(altered, exp.Table):
            result.table = (altered.db or None, altered.name)
    if isinstance(tree, exp.Create):
        result.pre_sql = identity_to_sequence(tree, target)
        length_checks(tree, target)
    if isinstance(tree, exp.Select) and tree.args.get("into") is not None:
        # SELECT ... INTO t creates a table (both targets get CREATE TABLE AS): no result set.
        result.kind, result.command = "ddl", "SELECT INTO"
    if isinstance(tree, exp.Merge):
        _fix_merge_insert_values(tree)
    for agg in tree.find_all(exp.GroupConcat):
        distinct = agg.this
        if (
            isinstance(distinct, exp.Distinct)
            and len(distinct.expressions) == 2
            and agg.args.get("separator") is None
        ):
            # sqlglot reads LISTAGG(DISTINCT x, ',') as DISTINCT over the pair (x, ','):
            # the second expression is the delimiter.
            separator = distinct.expressions[1].pop()
            agg.set("separator", separator)
        # Redshift's LISTAGG without a delimiter joins with nothing; sqlglot writes ','.
        if agg.args.get("separator") is None:
            agg.set("separator", exp.Literal.string(""))
    if result.kind == "query":
        _find_source(tree, result)
    result.numeric_params = _arithmetic_params(tree, names)
    rewrite_types(tree, target)
    if target == "postgres":
        if result.kind == "query":
            _name_datediff_columns(tree)
        tree = _fix_for_postgres(tree)
    if target == "duckdb":
        _lower_unquoted_aliases(tree)
        if result.kind == "query":
            _name_output_columns(tree)
    # After the naming: DuckDB names a rewritten DATEDIFF after the original call.
    rewrite_datediffs(tree, target)
    try:
        generated = tree.sql(dialect=target)
    except SqlglotError as exc:
        logger.debug("sqlglot cannot write %r for %s (%s); passing it through", text, target, exc)
        result.sql = placeholders(raw, names, target)
        result.parsed = False
        return result
    result.sql = placeholders(generated, names, target)
    return result


def _getdates(tree: exp.Expression) -> exp.Expression:
    """GETDATE() (its marker word) as ``DATE_TRUNC('second', SYSDATE)``.

    Redshift's GETDATE() has second precision, SYSDATE microseconds; both are
    UTC TIMESTAMPs (without time zone).  The node is tagged so that an
    unaliased result column is still named ``getdate``.
    """

    def transform(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and node.name == GETDATE_MARKER and not node.table:
            trunc = exp.TimestampTrunc(
                this=exp.CurrentTimestamp(sysdate=True), unit=exp.Var(this="SECOND")
            )
            trunc.meta["getdate"] = True
            return trunc
        return node

    return tree.transform(transform, copy=False)


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
        m = MARKER_RE.fullmatch(column.name)
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
        if isinstance(node, exp.Round) and node.args.get("decimals") is not None:
            # PostgreSQL has ROUND(numeric, int) only: ROUND(real/double, n) is
            # "function round(double precision, integer) does not exist".  The
            # argument's type is unknown here; the cast is harmless for numbers.
            _cast_to_numeric(node)
            return node
        if isinstance(node, exp.Anonymous) and str(node.name).upper() == "FROM_HEX":
            # FROM_HEX(text) -> VARBYTE is DECODE(text, 'hex') -> bytea.
            return exp.Anonymous(
                this="DECODE", expressions=[*node.expressions[:1], exp.Literal.string("hex")]
            )
        if isinstance(node, (exp.LowerHex, exp.Hex)):
            # TO_HEX takes integers (to_hex) or VARBYTE (encode(x, 'hex')); PostgreSQL
            # has no single function for both and the type is unknown here: integers
            # unless the argument is visibly binary.
            binary = _is_binary(node.this)
            # A replaced node's children are not visited: transform the argument here.
            arg = node.this.transform(transform, copy=False)
            if binary:
                return exp.Anonymous(this="ENCODE", expressions=[arg, exp.Literal.string("hex")])
            return exp.Anonymous(this="TO_HEX", expressions=[arg])
        if isinstance(node, exp.ApproxDistinct):
            # APPROXIMATE COUNT(DISTINCT x): PostgreSQL counts exactly.
            return exp.Count(this=exp.Distinct(expressions=[node.this]))
        return node

    return tree.transform(transform, copy=False)


_BINARY_FUNCTIONS = {"FROM_HEX", "TO_VARBYTE", "DECODE", "FROM_VARBYTE", "SHA2_BINARY"}
_BINARY_TYPES = {
    exp.DataType.Type.VARBINARY,
    exp.DataType.Type.BINARY,
    exp.DataType.Type.BLOB,
    exp.DataType.Type.LONGBLOB,
}


def _is_binary(node: exp.Expression) -> bool:
    """True when ``node`` certainly is a VARBYTE (a cast to one, or a binary function)."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Cast):
        return node.to.this in _BINARY_TYPES
    if isinstance(node, exp.Unhex):
        return True
    return isinstance(node, exp.Anonymous) and str(node.name).upper() in _BINARY_FUNCTIONS


def _cast_to_numeric(node: exp.Round) -> None:
    """Make ``ROUND(x, n)``'s ``x`` a NUMERIC unless it already is one."""
    value = node.this
    if isinstance(value, exp.Cast) and value.to.this == exp.DataType.Type.DECIMAL:
        return
    node.set("this", exp.cast(value, exp.DataType.build("NUMERIC", dialect="postgres")))


def _name_datediff_columns(tree: exp.Expression) -> None:
    """Unaliased DATEDIFF (GETDATE) result columns keep the name ``datediff``
    (``getdate``) on PostgreSQL.

    The boundary-counting rewrite is a ``CAST(... AS BIGINT)``, which
    PostgreSQL would name ``int8``; DuckDB's engine names them ``datediff`` too.
    """
    select = _outermost_select(tree)
    if select is None:
        return
    for i, projection in enumerate(select.expressions):
        if isinstance(projection, (exp.TsOrDsDiff, exp.DateDiff)):
            select.expressions[i] = exp.alias_(
                projection, exp.to_identifier("datediff", quoted=True)
            )
        elif projection.meta.get("getdate"):
            # PostgreSQL would name it date_trunc.
            select.expressions[i] = exp.alias_(
                projection, exp.to_identifier("getdate", quoted=True)
            )


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
        elif isinstance(projection, exp.Column) and not MARKER_RE.fullmatch(projection.name):
            name = _ident_name(projection.this)
            result.source_columns[name] = name
        elif isinstance(projection, exp.Alias) and isinstance(projection.this, exp.Column):
            column = projection.this
            if not MARKER_RE.fullmatch(column.name) and not isinstance(column.this, exp.Star):
                alias = _ident_name(projection.args.get("alias"))
                result.source_columns[alias] = _ident_name(column.this)
