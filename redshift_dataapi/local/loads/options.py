"""Parsing COPY and UNLOAD statements into their options.

The statements are read token by token with the SQL scanner, so a keyword
inside a literal never counts.  Every documented option of the formats the
local endpoint serves is accepted; options that only tune Redshift's own
storage (COMPUPDATE, STATUPDATE, COMPROWS, ROWGROUPSIZE...) are accepted and
have no effect; options for sources the endpoint does not serve (ORC, AVRO,
ENCRYPTED, SSH, DynamoDB) fail with a message that says so.

Authorization (IAM_ROLE, CREDENTIALS, ACCESS_KEY_ID/SECRET_ACCESS_KEY
[SESSION_TOKEN]) is parsed, checked for shape and recorded in
:class:`Authorization` without the secret parts; the local endpoint reads
S3 with its own credentials.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..translate.tokens import BLANK, Token, identifier_text, tokenize
from .errors import statement_error, syntax_error

__all__ = ["Authorization", "CopyCommand", "UnloadCommand", "parse_copy", "parse_unload"]

#: Largest and smallest MAXFILESIZE Redshift accepts (bytes).
MIN_FILE_SIZE = 5 * 1024 * 1024
MAX_FILE_SIZE = int(6.2 * 1024**3)
_SIZE_UNITS = {"MB": 1024 * 1024, "GB": 1024**3}
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", "\\": "\\", "'": "'"}


@dataclass(frozen=True)
class Authorization:
    """How a COPY or UNLOAD says it may reach S3 (never holding a secret key)."""

    kind: str = "NONE"  # IAM_ROLE, CREDENTIALS, ACCESS_KEY or NONE
    role_arn: str | None = None
    access_key_id: str | None = None
    has_session_token: bool = False

    def describe(self) -> str:
        """A log-safe one-line description."""
        if self.role_arn:
            return f"{self.kind} {self.role_arn}"
        if self.access_key_id:
            token = " with session token" if self.has_session_token else ""
            return f"{self.kind} {self.access_key_id}{token}"
        return self.kind


@dataclass
class CopyCommand:
    """A parsed COPY (see the Redshift COPY parameter reference)."""

    table: str
    table_label: str
    columns: list[str] | None
    source: str
    auth: Authorization = field(default_factory=Authorization)
    format: str = "TEXT"  # TEXT, CSV, JSON, PARQUET or FIXEDWIDTH
    quote: str = '"'
    delimiter: str | None = None
    fixed_width: list[tuple[str, int]] | None = None
    json_option: str = "auto"
    compression: str | None = None
    manifest: bool = False
    region: str | None = None
    ignore_header: int = 0
    null_as: str | None = None
    empty_as_null: bool = False
    blanks_as_null: bool = False
    truncate_columns: bool = False
    escape: bool = False
    remove_quotes: bool = False
    fill_record: bool = False
    ignore_blank_lines: bool = False
    roundec: bool = False
    accept_any_date: bool = False
    trim_blanks: bool = False
    date_format: str | None = None
    time_format: str | None = None
    accept_inv_chars: str | None = None
    max_error: int = 0
    no_load: bool = False


@dataclass
class UnloadCommand:
    """A parsed UNLOAD (see the Redshift UNLOAD reference)."""

    query: str
    target: str
    auth: Authorization = field(default_factory=Authorization)
    format: str = "TEXT"  # TEXT, CSV, JSON or PARQUET
    delimiter: str | None = None
    fixed_width: list[tuple[str, int]] | None = None
    header: bool = False
    add_quotes: bool = False
    null_as: str | None = None
    escape: bool = False
    allow_overwrite: bool = False
    clean_path: bool = False
    parallel: bool = True
    max_file_size: int = MAX_FILE_SIZE
    manifest: bool = False
    manifest_verbose: bool = False
    compression: str | None = None
    region: str | None = None
    extension: str | None = None
    partition_by: list[str] = field(default_factory=list)
    partition_include: bool = False


def unquote(literal: str) -> str:
    """The value of a Redshift string literal: '' doubled quotes and backslash escapes."""
    body = literal[1:-1] if len(literal) >= 2 and literal[-1] == "'" else literal[1:]
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "'" and body.startswith("''", i):
            out.append("'")
            i += 2
        elif ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            octal = body[i + 1 : i + 4]
            if len(octal) == 3 and all(c in "01234567" for c in octal):
                out.append(chr(int(octal, 8)))
                i += 4
                continue
            out.append(_ESCAPES.get(nxt, nxt))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


class _Reader:
    """The code tokens of one statement, read front to back."""

    def __init__(self, sql: str) -> None:
        tokens = [t for t in tokenize(sql) if t.kind not in BLANK]
        while tokens and tokens[-1].kind == "semi":
            tokens.pop()
        self.tokens = tokens
        self.i = 0

    @property
    def done(self) -> bool:
        return self.i >= len(self.tokens)

    def peek(self) -> Token | None:
        return None if self.done else self.tokens[self.i]

    def peek_word(self) -> str | None:
        tok = self.peek()
        return tok.text.upper() if tok is not None and tok.kind == "word" else None

    def near(self) -> str:
        tok = self.peek()
        return "end of input" if tok is None else tok.text

    def take(self) -> Token:
        tok = self.peek()
        if tok is None:
            raise syntax_error("end of input")
        self.i += 1
        return tok

    def accept(self, *words: str) -> str | None:
        """Take the next word when it is one of ``words``; its upper-case text."""
        word = self.peek_word()
        if word is not None and word in words:
            self.i += 1
            return word
        return None

    def expect_word(self, word: str) -> None:
        if self.accept(word) is None:
            raise syntax_error(self.near(), f"expected {word}")

    def string(self, option: str) -> str:
        """A string literal (after an optional AS)."""
        self.accept("AS")
        tok = self.peek()
        if tok is None or tok.kind != "string" or not tok.text.startswith("'"):
            raise syntax_error(self.near(), f"{option} takes a quoted string")
        self.i += 1
        return unquote(tok.text)

    def integer(self, option: str) -> int:
        """A non-negative integer (after an optional AS)."""
        self.accept("AS")
        tok = self.peek()
        if tok is None or tok.kind != "word" or not tok.text.isdigit():
            raise syntax_error(self.near(), f"{option} takes a whole number")
        self.i += 1
        return int(tok.text)

    def on_off(self) -> bool | None:
        word = self.accept("ON", "TRUE", "OFF", "FALSE", "PRESET")
        return None if word is None else word in ("ON", "TRUE", "PRESET")

    def name(self) -> tuple[str, str]:
        """A possibly qualified table name: (SQL text, last part as stored)."""
        parts: list[Token] = []
        while True:
            tok = self.take()
            if tok.kind not in ("word", "ident"):
                raise syntax_error(tok.text, "expected a table name")
            parts.append(tok)
            nxt = self.peek()
            if nxt is None or nxt.kind != "op" or nxt.text != ".":
                break
            self.i += 1
        return ".".join(t.text for t in parts), identifier_text(parts[-1])

    def name_list(self) -> list[str]:
        """``( name, ... )`` as stored names."""
        if self.take().kind != "lparen":
            raise syntax_error(self.tokens[self.i - 1].text, "expected (")
        names: list[str] = []
        while True:
            tok = self.take()
            if tok.kind not in ("word", "ident"):
                raise syntax_error(tok.text, "expected a column name")
            names.append(identifier_text(tok))
            sep = self.take()
            if sep.kind == "rparen":
                return names
            if sep.kind != "comma":
                raise syntax_error(sep.text, "expected , or )")


def _credentials(text: str) -> Authorization:
    pairs: dict[str, str] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep:
            raise statement_error(f"Invalid credentials: {key.strip()!r} is not key=value")
        pairs[key.strip().lower()] = value.strip()
    if "aws_iam_role" in pairs:
        return Authorization("CREDENTIALS", role_arn=pairs["aws_iam_role"])
    if pairs.get("aws_access_key_id") and pairs.get("aws_secret_access_key"):
        return Authorization(
            "CREDENTIALS",
            access_key_id=pairs["aws_access_key_id"],
            has_session_token=bool(pairs.get("token")),
        )
    raise statement_error(
        "Invalid credentials. Must be of the format: credentials "
        "'aws_iam_role=...' or 'aws_access_key_id=...;aws_secret_access_key=...[;token=...]'"
    )


def _authorization(reader: _Reader, word: str, keys: dict[str, str]) -> Authorization | None:
    """Read an authorization clause starting at ``word`` (already taken); None if not one."""
    if word == "IAM_ROLE":
        if reader.accept("DEFAULT"):
            return Authorization("IAM_ROLE", role_arn="default")
        role = reader.string("IAM_ROLE")
        for arn in role.split(","):
            if not arn.strip().startswith("arn:"):
                raise statement_error(f"Invalid IAM_ROLE {arn.strip()!r}: expected an IAM role ARN")
        return Authorization("IAM_ROLE", role_arn=role)
    if word == "CREDENTIALS":
        return _credentials(reader.string("CREDENTIALS"))
    if word in ("ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "SESSION_TOKEN"):
        keys[word] = reader.string(word)
        return None
    raise AssertionError(word)


def _finish_keys(auth: Authorization, keys: dict[str, str]) -> Authorization:
    if not keys:
        return auth
    if "ACCESS_KEY_ID" not in keys or "SECRET_ACCESS_KEY" not in keys:
        raise statement_error("ACCESS_KEY_ID and SECRET_ACCESS_KEY must be given together")
    if auth.kind != "NONE":
        raise statement_error("give one authorization: IAM_ROLE, CREDENTIALS or ACCESS_KEY_ID")
    return Authorization(
        "ACCESS_KEY",
        access_key_id=keys["ACCESS_KEY_ID"],
        has_session_token="SESSION_TOKEN" in keys,
    )


def _fixed_width(spec: str) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for part in spec.split(","):
        label, sep, width = part.strip().rpartition(":")
        if not sep or not width.strip().isdigit() or int(width) <= 0:
            raise statement_error(f"Invalid FIXEDWIDTH spec {spec!r}: expected 'label:width,...'")
        out.append((label.strip(), int(width)))
    return out


_AUTH_WORDS = ("IAM_ROLE", "CREDENTIALS", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "SESSION_TOKEN")
_UNSERVED = ("ORC", "AVRO", "ENCRYPTED", "MASTER_SYMMETRIC_KEY", "SSH", "KMS_KEY_ID", "SHAPEFILE")
_COMPRESSIONS = ("GZIP", "BZIP2", "ZSTD", "LZOP")
_COPY_FLAGS = {
    "EMPTYASNULL": "empty_as_null",
    "BLANKSASNULL": "blanks_as_null",
    "TRUNCATECOLUMNS": "truncate_columns",
    "ESCAPE": "escape",
    "REMOVEQUOTES": "remove_quotes",
    "FILLRECORD": "fill_record",
    "IGNOREBLANKLINES": "ignore_blank_lines",
    "ROUNDEC": "roundec",
    "ACCEPTANYDATE": "accept_any_date",
    "TRIMBLANKS": "trim_blanks",
    "MANIFEST": "manifest",
    "NOLOAD": "no_load",
}
#: Options that only tune Redshift's storage or statistics: accepted, no effect.
_COPY_NO_EFFECT = ("EXPLICIT_IDS", "COMPUPDATE", "STATUPDATE", "COMPROWS", "ENCODING", "READRATIO")


def parse_copy(sql: str) -> CopyCommand:
    """Parse a COPY statement; EngineError (42601 and the like) when it is malformed."""
    reader = _Reader(sql)
    reader.expect_word("COPY")
    table, label = reader.name()
    tok = reader.peek()
    columns = reader.name_list() if tok is not None and tok.kind == "lparen" else None
    reader.expect_word("FROM")
    command = CopyCommand(table=table, table_label=label, columns=columns, source="")
    command.source = reader.string("FROM")
    if not command.source.startswith("s3://"):
        raise statement_error(
            f"COPY FROM {command.source!r}: the local endpoint loads from s3:// only "
            "(not EMR, DynamoDB or SSH)",
            "0A000",
        )
    keys: dict[str, str] = {}
    while not reader.done:
        word = reader.peek_word()
        if word is None:
            raise syntax_error(reader.near())
        reader.i += 1
        _copy_option(reader, word, command, keys)
    command.auth = _finish_keys(command.auth, keys)
    _check_copy(command)
    return command


def _copy_option(reader: _Reader, word: str, command: CopyCommand, keys: dict[str, str]) -> None:
    if word == "WITH":
        return
    if word in _AUTH_WORDS:
        auth = _authorization(reader, word, keys)
        if auth is not None:
            command.auth = auth
    elif word == "FORMAT":
        reader.accept("AS")
        fmt = reader.peek_word()
        if fmt is None:
            raise syntax_error(reader.near(), "FORMAT takes CSV, JSON, PARQUET or FIXEDWIDTH")
        reader.i += 1
        _copy_option(reader, fmt, command, keys)
    elif word == "CSV":
        command.format = "CSV"
        if reader.accept("QUOTE"):
            command.quote = reader.string("QUOTE")
    elif word == "QUOTE":
        command.quote = reader.string("QUOTE")
    elif word == "JSON":
        command.format = "JSON"
        tok = reader.peek()
        if reader.accept("AS") or (tok is not None and tok.kind == "string"):
            command.json_option = reader.string("JSON")
    elif word == "PARQUET":
        command.format = "PARQUET"
    elif word == "FIXEDWIDTH":
        command.format = "FIXEDWIDTH"
        command.fixed_width = _fixed_width(reader.string("FIXEDWIDTH"))
    elif word == "DELIMITER":
        command.delimiter = reader.string("DELIMITER")
    elif word in _COMPRESSIONS:
        command.compression = word
    elif word in _COPY_FLAGS:
        setattr(command, _COPY_FLAGS[word], True)
    elif word == "REGION":
        command.region = reader.string("REGION")
    elif word == "IGNOREHEADER":
        command.ignore_header = reader.integer("IGNOREHEADER")
    elif word == "NULL":
        command.null_as = reader.string("NULL AS")
    elif word == "DATEFORMAT":
        command.date_format = reader.string("DATEFORMAT")
    elif word == "TIMEFORMAT":
        command.time_format = reader.string("TIMEFORMAT")
    elif word == "ACCEPTINVCHARS":
        tok = reader.peek()
        has_value = reader.peek_word() == "AS" or (tok is not None and tok.kind == "string")
        command.accept_inv_chars = reader.string("ACCEPTINVCHARS") if has_value else "?"
    elif word == "MAXERROR":
        command.max_error = reader.integer("MAXERROR")
    elif word in _COPY_NO_EFFECT:
        _skip_value(reader)
    elif word in _UNSERVED:
        raise statement_error(f"COPY option {word} is not served by the local endpoint", "0A000")
    else:
        raise syntax_error(reader.tokens[reader.i - 1].text)


def _skip_value(reader: _Reader) -> None:
    reader.accept("AS")
    if reader.on_off() is not None:
        return
    tok = reader.peek()
    if tok is None:
        return
    encodings = ("UTF8", "UTF16", "UTF16LE", "UTF16BE")
    if tok.kind == "string" or tok.text.isdigit() or tok.text.upper() in encodings:
        reader.i += 1


def _check_copy(command: CopyCommand) -> None:
    if command.format == "CSV" and (command.escape or command.remove_quotes):
        raise statement_error("CSV is not compatible with ESCAPE or REMOVEQUOTES", "42601")
    if command.delimiter is not None and len(command.delimiter) != 1:
        raise statement_error(
            f"DELIMITER {command.delimiter!r} must be a single character", "42601"
        )
    if len(command.quote) != 1:
        raise statement_error(f"QUOTE {command.quote!r} must be a single character", "42601")
    if command.format in ("PARQUET", "JSON") and command.delimiter is not None:
        raise statement_error(f"DELIMITER is not compatible with {command.format}", "42601")
    if command.accept_inv_chars is not None and len(command.accept_inv_chars) != 1:
        raise statement_error("ACCEPTINVCHARS takes a single replacement character", "42601")
    if command.compression == "LZOP":
        raise statement_error("LZOP compression is not served by the local endpoint", "0A000")


_UNLOAD_FLAGS = {
    "HEADER": "header",
    "ADDQUOTES": "add_quotes",
    "ESCAPE": "escape",
    "ALLOWOVERWRITE": "allow_overwrite",
    "CLEANPATH": "clean_path",
}


def parse_unload(sql: str) -> UnloadCommand:
    """Parse an UNLOAD statement; EngineError (42601 and the like) when it is malformed."""
    reader = _Reader(sql)
    reader.expect_word("UNLOAD")
    if reader.take().kind != "lparen":
        raise syntax_error(reader.tokens[reader.i - 1].text, "UNLOAD takes ('select ...')")
    query = reader.string("UNLOAD")
    if reader.take().kind != "rparen":
        raise syntax_error(reader.tokens[reader.i - 1].text, "expected )")
    reader.expect_word("TO")
    command = UnloadCommand(query=query, target=reader.string("TO"))
    if not command.target.startswith("s3://"):
        raise statement_error(f"UNLOAD TO {command.target!r}: expected an s3:// path", "42601")
    keys: dict[str, str] = {}
    while not reader.done:
        word = reader.peek_word()
        if word is None:
            raise syntax_error(reader.near())
        reader.i += 1
        _unload_option(reader, word, command, keys)
    command.auth = _finish_keys(command.auth, keys)
    _check_unload(command)
    return command


def _unload_option(
    reader: _Reader, word: str, command: UnloadCommand, keys: dict[str, str]
) -> None:
    if word in _AUTH_WORDS:
        auth = _authorization(reader, word, keys)
        if auth is not None:
            command.auth = auth
    elif word == "FORMAT":
        reader.accept("AS")
        fmt = reader.accept("CSV", "PARQUET", "JSON")
        if fmt is None:
            raise syntax_error(reader.near(), "FORMAT takes CSV, PARQUET or JSON")
        command.format = fmt
    elif word in ("CSV", "PARQUET", "JSON"):
        command.format = word
    elif word in _UNLOAD_FLAGS:
        setattr(command, _UNLOAD_FLAGS[word], True)
    elif word == "MANIFEST":
        command.manifest = True
        command.manifest_verbose = reader.accept("VERBOSE") is not None
    elif word == "DELIMITER":
        command.delimiter = reader.string("DELIMITER")
    elif word == "FIXEDWIDTH":
        command.fixed_width = _fixed_width(reader.string("FIXEDWIDTH"))
    elif word == "NULL":
        command.null_as = reader.string("NULL AS")
    elif word == "PARALLEL":
        value = reader.on_off()
        command.parallel = True if value is None else value
    elif word == "MAXFILESIZE":
        command.max_file_size = _size(reader, "MAXFILESIZE")
    elif word == "ROWGROUPSIZE":
        _size(reader, "ROWGROUPSIZE")
    elif word in _COMPRESSIONS:
        command.compression = word
    elif word == "REGION":
        command.region = reader.string("REGION")
    elif word == "EXTENSION":
        command.extension = reader.string("EXTENSION").lstrip(".")
    elif word == "PARTITION":
        reader.expect_word("BY")
        command.partition_by = reader.name_list()
        command.partition_include = reader.accept("INCLUDE") is not None
    elif word in _UNSERVED:
        raise statement_error(f"UNLOAD option {word} is not served by the local endpoint", "0A000")
    else:
        raise syntax_error(reader.tokens[reader.i - 1].text)


def _size(reader: _Reader, option: str) -> int:
    reader.accept("AS")
    tok = reader.peek()
    try:
        value = float(tok.text) if tok is not None and tok.kind == "word" else None
    except ValueError:
        value = None
    if value is None or value <= 0:
        raise syntax_error(reader.near(), f"{option} takes a size such as 100 MB")
    reader.i += 1
    unit = reader.accept("MB", "GB") or "MB"
    return int(value * _SIZE_UNITS[unit])


def _check_unload(command: UnloadCommand) -> None:
    if command.allow_overwrite and command.clean_path:
        raise statement_error("ALLOWOVERWRITE and CLEANPATH cannot be used together", "42601")
    if not MIN_FILE_SIZE <= command.max_file_size <= MAX_FILE_SIZE:
        raise statement_error("MAXFILESIZE must be between 5 MB and 6.2 GB", "42601")
    if command.format == "PARQUET":
        for option, given in (
            ("DELIMITER", command.delimiter is not None),
            ("HEADER", command.header),
            ("ADDQUOTES", command.add_quotes),
            ("NULL AS", command.null_as is not None),
            ("ESCAPE", command.escape),
            ("FIXEDWIDTH", command.fixed_width is not None),
            ("GZIP/BZIP2/ZSTD", command.compression is not None),
        ):
            if given:
                raise statement_error(f"PARQUET is not compatible with {option}", "42601")
    if command.format == "JSON" and (command.header or command.delimiter is not None):
        raise statement_error("JSON is not compatible with HEADER or DELIMITER", "42601")
    if command.delimiter is not None and len(command.delimiter) != 1:
        raise statement_error(f"DELIMITER {command.delimiter!r} must be a single character")
    if command.header and command.fixed_width is not None:
        raise statement_error("HEADER is not compatible with FIXEDWIDTH", "42601")
