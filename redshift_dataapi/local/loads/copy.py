"""COPY: read the S3 objects, convert every record, insert the good rows at once.

The whole load is read and converted before anything is inserted, and the
rows go into the table in one engine statement (``insert_arrow``), so a
COPY is atomic: it loads every good row, or (when the bad rows exceed
MAXERROR, default 0) nothing at all.  Each bad row becomes a
:class:`LoadErrorEntry` for STL_LOAD_ERRORS.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from ..aws.s3 import S3Store, S3Url
from ..engines.base import ColumnInfo, EngineConnection
from .arrow import arrow_type, rows_to_table
from .convert import Converter, FieldError, column_converter, is_char_type
from .errors import statement_error
from .options import CopyCommand
from .records import Record, json_records, parse_jsonpaths, text_records
from .sources import decompress, load_files

__all__ = ["CopyResult", "LoadErrorEntry", "read_copy"]

#: Bad rows kept per COPY for STL_LOAD_ERRORS (Redshift keeps a bounded number too).
MAX_RECORDED_ERRORS = 1000
_RAW_LIMIT = 1024


@dataclass(frozen=True)
class LoadErrorEntry:
    """One bad row, with the columns STL_LOAD_ERRORS documents."""

    filename: str
    line_number: int
    colname: str
    type: str
    col_length: str
    position: int
    raw_line: str
    raw_field_value: str
    err_code: int
    err_reason: str


@dataclass
class CopyResult:
    """What reading a COPY's input produced: the rows to insert and the bad ones."""

    columns: list[str]
    data: pa.Table | None
    errors: list[LoadErrorEntry] = field(default_factory=list)
    error_count: int = 0
    files: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return 0 if self.data is None else self.data.num_rows


def target_columns(
    connection: EngineConnection, command: CopyCommand
) -> tuple[list[str], list[ColumnInfo]]:
    """Names and types of the columns the COPY fills (its column list, else all)."""
    described = connection.execute(f"SELECT * FROM {command.table} WHERE 1 = 0").columns or []
    by_name = {c.name: c for c in described}
    if command.columns is None:
        return [c.name for c in described], described
    missing = [name for name in command.columns if name not in by_name]
    if missing:
        raise statement_error(
            f'column "{missing[0]}" of relation "{command.table_label}" does not exist', "42703"
        )
    return list(command.columns), [by_name[name] for name in command.columns]


def read_copy(
    store: S3Store, command: CopyCommand, names: list[str], columns: list[ColumnInfo]
) -> CopyResult:
    """Read and convert every object of ``command``; nothing is inserted here."""
    files = load_files(store, command)
    result = CopyResult(columns=names, data=None, files=[str(f.url) for f in files])
    if command.format == "PARQUET":
        tables = [_parquet(store.get(f.url), f.url, names, columns, command) for f in files]
        result.data = pa.concat_tables(tables) if tables else None
        return result
    reader = _RowReader(names, columns, command, result)
    paths = _jsonpaths(store, command, len(names)) if command.format == "JSON" else None
    for load_file in files:
        data = decompress(store.get(load_file.url), command.compression, load_file.url)
        text = data.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
        reader.read(str(load_file.url), _records(text, command, names, paths))
    result.data = rows_to_table(reader.rows, columns, names)
    return result


def _records(
    text: str, command: CopyCommand, names: list[str], paths: list[list[str | int]] | None
) -> Iterator[Record]:
    if command.format == "JSON":
        ignore_case = command.json_option.lower() == "auto ignorecase"
        return json_records(text, names, paths, ignore_case)
    if command.format == "FIXEDWIDTH" and len(command.fixed_width or []) != len(names):
        raise statement_error(
            f"FIXEDWIDTH spec has {len(command.fixed_width or [])} fields for {len(names)} columns"
        )
    return text_records(text, command)


def _jsonpaths(store: S3Store, command: CopyCommand, count: int) -> list[list[str | int]] | None:
    option = command.json_option
    if option.lower() in ("auto", "auto ignorecase"):
        return None
    if not option.startswith("s3://"):
        raise statement_error(
            f"JSON option {option!r}: give 'auto', 'auto ignorecase' or a JSONPaths file s3://..."
        )
    try:
        paths = parse_jsonpaths(store.get(S3Url.parse(option)).decode("utf-8"))
    except FieldError as exc:
        raise statement_error(exc.reason) from None
    if len(paths) != count:
        raise statement_error(
            "Number of jsonpaths and the number of columns should match. "
            f"JSONPath size: {len(paths)}, Number of columns in table or column list: {count}"
        )
    return paths


class _RowReader:
    """Turns records into rows, keeping the bad ones as load errors."""

    def __init__(
        self, names: list[str], columns: list[ColumnInfo], command: CopyCommand, result: CopyResult
    ) -> None:
        self.names = names
        self.columns = columns
        self.converters: list[Converter] = [column_converter(c, command) for c in columns]
        self.fill: list[str | None] = ["" if is_char_type(c) else None for c in columns]
        self.command = command
        self.result = result
        self.rows: list[tuple[Any, ...]] = []

    def read(self, filename: str, records: Iterator[Record]) -> None:
        width = len(self.converters)
        for record in records:
            if record.error is not None:
                self._bad(filename, record, None, "", record.error)
                continue
            fields = record.fields
            if len(fields) > width:
                self._bad(filename, record, None, "", FieldError(1202, "Extra column(s) found"))
                continue
            if len(fields) < width:
                if not self.command.fill_record:
                    self._bad(
                        filename, record, len(fields), "", FieldError(1214, "Delimiter not found")
                    )
                    continue
                fields = fields + self.fill[len(fields) :]
            row: list[Any] = []
            for index, (convert, text) in enumerate(zip(self.converters, fields, strict=True)):
                try:
                    row.append(convert(text))
                except FieldError as exc:
                    self._bad(filename, record, index, text or "", exc)
                    break
            else:
                self.rows.append(tuple(row))

    def _bad(
        self, filename: str, record: Record, index: int | None, value: str, error: FieldError
    ) -> None:
        self.result.error_count += 1
        if len(self.result.errors) >= MAX_RECORDED_ERRORS:
            return
        column = self.columns[index] if index is not None and index < len(self.columns) else None
        self.result.errors.append(
            LoadErrorEntry(
                filename=filename,
                line_number=record.line,
                colname=self.names[index] if column is not None and index is not None else "",
                type=column.type_name if column is not None else "",
                col_length=str(column.length) if column is not None and column.length else "",
                position=error.position,
                raw_line=_printable(record.raw),
                raw_field_value=_printable(value),
                err_code=error.code,
                err_reason=error.reason[:100],
            )
        )


def _printable(text: str) -> str:
    # STL_LOAD_ERRORS replaces multibyte characters by periods; bad bytes too.
    return "".join(ch if ord(ch) < 128 else "." for ch in text[:_RAW_LIMIT])


def _parquet(
    data: bytes, url: S3Url, names: list[str], columns: list[ColumnInfo], command: CopyCommand
) -> pa.Table:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(data))
    except (pa.ArrowException, OSError) as exc:
        raise statement_error(f"File '{url}' is not a valid Parquet file: {exc}") from None
    if table.num_columns != len(columns):
        raise statement_error(
            f"File '{url}' has {table.num_columns} columns, the COPY loads {len(columns)}: "
            "Parquet columns load by position"
        )
    arrays = []
    for index, (name, column) in enumerate(zip(names, columns, strict=True)):
        source = table.column(index)
        try:
            arrays.append(source.cast(arrow_type(column)))
        except (pa.ArrowException, ValueError) as exc:
            raise statement_error(
                f"File '{url}' has an incompatible Parquet schema for column '{name}': "
                f"{source.type} cannot load into {column.type_name} ({exc})"
            ) from None
        _check_length(arrays[-1], column, name, url, command)
    return pa.Table.from_arrays(arrays, names=names)


def _check_length(
    array: pa.ChunkedArray, column: ColumnInfo, name: str, url: S3Url, command: CopyCommand
) -> None:
    import pyarrow.compute as pc

    if not is_char_type(column) or column.length <= 0 or command.truncate_columns:
        return
    longest = pc.max(pc.binary_length(array)).as_py()
    if longest is not None and longest > column.length:
        raise statement_error(
            f"File '{url}': a value of column '{name}' is {longest} bytes long, over its "
            f"DDL length {column.length} (use TRUNCATECOLUMNS to cut it)"
        )
