"""COPY and UNLOAD as SQLAlchemy constructs: :class:`CopyCommand` and :class:`UnloadFromSelect`.

Their names and arguments follow sqlalchemy-redshift's constructs of the
same names, so code written for that dialect runs unchanged on
``redshift+dataapi://``::

    from sqlalchemy_dialect.commands import CopyCommand, Format, UnloadFromSelect

    conn.execute(CopyCommand(trips, "s3://bucket/trips/", iam_role_arns=ROLE,
                             format=Format.csv, ignore_header=1))
    conn.execute(UnloadFromSelect(select(trips), "s3://bucket/out/trips_",
                                  iam_role_arns=ROLE, format=Format.parquet))

Every option is written into the statement as a literal, never as a bound
parameter: the Data API binds values only, and an UNLOAD's query is itself
quoted text, which parameters never reach.  Authorization is one of
``iam_role_arns`` (one ARN or several), ``aws_account_id`` with
``iam_role_name``, or ``access_key_id`` with ``secret_access_key`` (and
``session_token``).  Beyond sqlalchemy-redshift's arguments,
UnloadFromSelect takes Redshift's newer options: ``compression``,
``partition_by`` (with ``include_partition``), ``clean_path``,
``extension`` and ``manifest_verbose``.
"""

from __future__ import annotations

import enum
import numbers
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ClauseElement, Executable

__all__ = ["Compression", "CopyCommand", "Encoding", "Format", "UnloadFromSelect"]


class Format(enum.Enum):
    """File formats of COPY (all) and UNLOAD (csv, json, parquet)."""

    csv = "CSV"
    json = "JSON"
    avro = "AVRO"
    orc = "ORC"
    parquet = "PARQUET"
    fixed_width = "FIXEDWIDTH"


class Compression(enum.Enum):
    """Compressions of COPY's and UNLOAD's files."""

    gzip = "GZIP"
    lzop = "LZOP"
    bzip2 = "BZIP2"
    zstd = "ZSTD"


class Encoding(enum.Enum):
    """Character encodings of COPY's files."""

    utf8 = "UTF8"
    utf16 = "UTF16"
    utf16le = "UTF16LE"
    utf16be = "UTF16BE"


def _literal(value: Any) -> str:
    """A Redshift string literal (Redshift reads backslash escapes in literals)."""
    text = str(value).replace("\\", "\\\\").replace("'", "''")
    return f"'{text}'"


def _authorization(
    access_key_id: str | None,
    secret_access_key: str | None,
    session_token: str | None,
    aws_partition: str,
    aws_account_id: str | None,
    iam_role_name: str | None,
    iam_role_arns: str | Sequence[str] | None,
) -> str:
    roles: list[str] = []
    if iam_role_arns:
        roles = [iam_role_arns] if isinstance(iam_role_arns, str) else list(iam_role_arns)
    elif aws_account_id is not None and iam_role_name is not None:
        roles = [f"arn:{aws_partition}:iam::{aws_account_id}:role/{iam_role_name}"]
    has_keys = access_key_id is not None and secret_access_key is not None
    if roles and has_keys:
        raise TypeError(
            "Either access key based credentials or role based credentials should be "
            "specified, but not both"
        )
    if roles:
        return f"IAM_ROLE {_literal(','.join(roles))}"
    if has_keys:
        clause = f"ACCESS_KEY_ID {_literal(access_key_id)}"
        clause += f" SECRET_ACCESS_KEY {_literal(secret_access_key)}"
        if session_token is not None:
            clause += f" SESSION_TOKEN {_literal(session_token)}"
        return clause
    raise TypeError(
        "Either access key based credentials (access_key_id, secret_access_key) or role based "
        "credentials (iam_role_arns, or aws_account_id and iam_role_name) should be specified"
    )


def _enum(cls: type[enum.Enum], value: Any, name: str) -> Any:
    if value is None or isinstance(value, cls):
        return value
    try:
        return cls(value)
    except ValueError:
        raise ValueError(f"{name} must be one of {[m.value for m in cls]}, not {value!r}") from None


def _fixed_width(spec: Iterable[tuple[str, int]]) -> str:
    return ",".join(f"{column}:{int(width)}" for column, width in spec)


def _single_character(value: str | None, name: str) -> None:
    if value is not None and len(value) != 1:
        raise ValueError(f'"{name}" parameter must be a single character')


class _Command(Executable, ClauseElement):
    """An executable statement compiled by a function of this module."""


class CopyCommand(_Command):
    """``COPY table [(columns)] FROM 's3://...' ...``: load files from S3.

    ``to`` is a Table, or columns of one table.  The other arguments are
    sqlalchemy-redshift's (see the module docstring); each maps to the COPY
    option of the same name.
    """

    # Each instance carries its options as literal text: no compiled-SQL cache.
    inherit_cache = False

    def __init__(
        self,
        to: Any,
        data_location: str,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        session_token: str | None = None,
        aws_partition: str = "aws",
        aws_account_id: str | None = None,
        iam_role_name: str | None = None,
        format: Format | str | None = None,
        quote: str | None = None,
        path_file: str = "auto",
        delimiter: str | None = None,
        fixed_width: Iterable[tuple[str, int]] | None = None,
        compression: Compression | str | None = None,
        accept_any_date: bool = False,
        accept_inv_chars: str | None = None,
        blanks_as_null: bool = False,
        date_format: str | None = None,
        empty_as_null: bool = False,
        encoding: Encoding | str | None = None,
        escape: bool = False,
        explicit_ids: bool = False,
        fill_record: bool = False,
        ignore_blank_lines: bool = False,
        ignore_header: int | None = None,
        dangerous_null_delimiter: str | None = None,
        remove_quotes: bool = False,
        roundec: bool = False,
        time_format: str | None = None,
        trim_blanks: bool = False,
        truncate_columns: bool = False,
        comp_rows: int | None = None,
        comp_update: bool | None = None,
        max_error: int | None = None,
        no_load: bool = False,
        stat_update: bool | None = None,
        manifest: bool = False,
        region: str | None = None,
        iam_role_arns: str | Sequence[str] | None = None,
    ) -> None:
        self.authorization = _authorization(
            access_key_id, secret_access_key, session_token, aws_partition, aws_account_id,
            iam_role_name, iam_role_arns,
        )  # fmt: skip
        _single_character(delimiter, "delimiter")
        if ignore_header is not None and not isinstance(ignore_header, numbers.Integral):
            raise TypeError('"ignore_header" parameter should be an integer')
        self.table, self.columns = _target(to)
        self.data_location = data_location
        self.format = _enum(Format, format, "format")
        if self.format == Format.fixed_width and fixed_width is None:
            raise ValueError("'fixed_width' argument required for format 'FIXEDWIDTH'")
        self.clauses = _copy_options(locals())


def _target(to: Any) -> tuple[Any, list[Any]]:
    if hasattr(to, "columns") and hasattr(to, "name") and not hasattr(to, "table"):
        return to, []
    columns = list(to)
    tables = {column.table for column in columns}
    if len(tables) != 1:
        raise ValueError("All columns must come from the same table")
    return tables.pop(), columns


def _copy_options(given: dict[str, Any]) -> list[str]:
    """The COPY options after FROM, in Redshift's words (format first)."""
    fmt = given["self"].format
    out: list[str] = []
    if fmt == Format.csv:
        out.append(
            "FORMAT AS CSV" + (f" QUOTE AS {_literal(given['quote'])}" if given["quote"] else "")
        )
    elif fmt in (Format.json, Format.avro):
        out.append(f"FORMAT AS {fmt.value} AS {_literal(given['path_file'])}")
    elif fmt in (Format.orc, Format.parquet):
        out.append(f"FORMAT AS {fmt.value}")
    if given["delimiter"] is not None:
        out.append(f"DELIMITER AS {_literal(given['delimiter'])}")
    if given["fixed_width"] is not None:
        out.append(f"FIXEDWIDTH AS {_literal(_fixed_width(given['fixed_width']))}")
    compression = _enum(Compression, given["compression"], "compression")
    if compression is not None:
        out.append(compression.value)
    encoding = _enum(Encoding, given["encoding"], "encoding")
    if encoding is not None:
        out.append(f"ENCODING AS {encoding.value}")
    flags = [
        ("manifest", "MANIFEST"), ("accept_any_date", "ACCEPTANYDATE"),
        ("blanks_as_null", "BLANKSASNULL"), ("empty_as_null", "EMPTYASNULL"),
        ("escape", "ESCAPE"), ("explicit_ids", "EXPLICIT_IDS"), ("fill_record", "FILLRECORD"),
        ("ignore_blank_lines", "IGNOREBLANKLINES"), ("remove_quotes", "REMOVEQUOTES"),
        ("roundec", "ROUNDEC"), ("trim_blanks", "TRIMBLANKS"),
        ("truncate_columns", "TRUNCATECOLUMNS"), ("no_load", "NOLOAD"),
    ]  # fmt: skip
    out.extend(word for name, word in flags if given[name])
    valued = [
        ("accept_inv_chars", "ACCEPTINVCHARS AS {}"), ("date_format", "DATEFORMAT AS {}"),
        ("time_format", "TIMEFORMAT AS {}"), ("dangerous_null_delimiter", "NULL AS {}"),
        ("region", "REGION AS {}"),
    ]  # fmt: skip
    out.extend(
        word.format(_literal(given[name])) for name, word in valued if given[name] is not None
    )
    for name, word in (("ignore_header", "IGNOREHEADER AS"), ("max_error", "MAXERROR AS"),
                       ("comp_rows", "COMPROWS")):  # fmt: skip
        if given[name] is not None:
            out.append(f"{word} {int(given[name])}")
    for name, word in (("comp_update", "COMPUPDATE"), ("stat_update", "STATUPDATE")):
        if given[name] is not None:
            out.append(f"{word} {'ON' if given[name] else 'OFF'}")
    return out


@compiles(CopyCommand)
def _compile_copy(element: CopyCommand, compiler: Any, **kw: Any) -> str:
    preparer = compiler.preparer
    columns = ""
    if element.columns:
        columns = " (" + ", ".join(preparer.format_column(c) for c in element.columns) + ")"
    parts = [
        f"COPY {preparer.format_table(element.table)}{columns}",
        f"FROM {_literal(element.data_location)}",
        element.authorization,
        *element.clauses,
    ]
    return "\n".join(parts)


class UnloadFromSelect(_Command):
    """``UNLOAD ('select ...') TO 's3://...' ...``: write a query's rows to S3.

    ``select`` is any selectable; it is compiled with its values inline.
    ``max_file_size`` is in bytes (written as MB, as sqlalchemy-redshift does).
    """

    # Each instance carries its options as literal text: no compiled-SQL cache.
    inherit_cache = False

    def __init__(
        self,
        select: Any,
        unload_location: str,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        session_token: str | None = None,
        aws_partition: str = "aws",
        aws_account_id: str | None = None,
        iam_role_name: str | None = None,
        manifest: bool = False,
        delimiter: str | None = None,
        fixed_width: Iterable[tuple[str, int]] | None = None,
        encrypted: bool = False,
        gzip: bool = False,
        add_quotes: bool = False,
        null: str | None = None,
        escape: bool = False,
        allow_overwrite: bool = False,
        parallel: bool = True,
        header: bool = False,
        region: str | None = None,
        max_file_size: int | None = None,
        format: Format | str | None = None,
        iam_role_arns: str | Sequence[str] | None = None,
        compression: Compression | str | None = None,
        partition_by: Sequence[str] | None = None,
        include_partition: bool = False,
        clean_path: bool = False,
        extension: str | None = None,
        manifest_verbose: bool = False,
    ) -> None:
        _single_character(delimiter, "delimiter")
        if header and fixed_width is not None:
            raise ValueError("'header' cannot be used with 'fixed_width'")
        self.authorization = _authorization(
            access_key_id, secret_access_key, session_token, aws_partition, aws_account_id,
            iam_role_name, iam_role_arns,
        )  # fmt: skip
        self.select = select
        self.unload_location = unload_location
        fmt = _enum(Format, format, "format")
        if fmt not in (None, Format.csv, Format.json, Format.parquet):
            raise ValueError(f"UNLOAD writes CSV, JSON or PARQUET, not {fmt.value}")
        packing: Compression | None = _enum(Compression, compression, "compression")
        if gzip:
            packing = Compression.gzip
        options: list[str] = []
        if fmt is not None:
            options.append(f"FORMAT AS {fmt.value}")
        if partition_by:
            columns = ", ".join(partition_by)
            options.append(f"PARTITION BY ({columns})" + (" INCLUDE" if include_partition else ""))
        if manifest or manifest_verbose:
            options.append("MANIFEST VERBOSE" if manifest_verbose else "MANIFEST")
        if header:
            options.append("HEADER")
        if delimiter is not None:
            options.append(f"DELIMITER AS {_literal(delimiter)}")
        if fixed_width is not None:
            options.append(f"FIXEDWIDTH AS {_literal(_fixed_width(fixed_width))}")
        flags = [(encrypted, "ENCRYPTED"), (add_quotes, "ADDQUOTES"), (escape, "ESCAPE"),
                 (allow_overwrite, "ALLOWOVERWRITE"), (clean_path, "CLEANPATH")]  # fmt: skip
        options.extend(word for given, word in flags if given)
        if packing is not None:
            options.append(packing.value)
        if null is not None:
            options.append(f"NULL AS {_literal(null)}")
        if not parallel:
            options.append("PARALLEL OFF")
        if region is not None:
            options.append(f"REGION AS {_literal(region)}")
        if max_file_size is not None:
            options.append(f"MAXFILESIZE {max_file_size / 1024 / 1024:g} MB")
        if extension is not None:
            options.append(f"EXTENSION {_literal(extension)}")
        self.clauses = options


@compiles(UnloadFromSelect)
def _compile_unload(element: UnloadFromSelect, compiler: Any, **kw: Any) -> str:
    query = compiler.process(element.select, literal_binds=True)
    return "\n".join(
        [
            f"UNLOAD ({_literal(query)})",
            f"TO {_literal(element.unload_location)}",
            element.authorization,
            *element.clauses,
        ]
    )
