"""Columnar results: Arrow record batches typed from ColumnMetadata (the ``arrow`` extra).

==========================  ==========================================
typeName                    Arrow type
==========================  ==========================================
int2 / int4 / int8          int16 / int32 / int64
float4 / float8             float32 / float64
numeric(p, s)               decimal128(p, s); decimal256 past p = 38
bool                        bool
date                        date32
time                        time64[us]
timestamp                   timestamp[us]
timestamptz                 timestamp[us, tz=UTC] (the instant kept)
varbyte                     binary
super                       string (its JSON text)
anything else               string (timetz, interval, geometry...)
==========================  ==========================================

One record batch per result page (CSV pages: per ``CSVRecords`` chunk), so
:func:`record_batches` holds about one page in memory however large the
result.  CSV chunks go straight through pyarrow's CSV reader (C++), which
tells NULL (empty unquoted field) from the empty string (``""``) as the
service writes them; JSON pages and anything pyarrow's reader refuses go
through the driver's own converters, then into Arrow arrays.  User
converters (``connect(converters=...)``) apply to tuple fetches only.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator, Mapping, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from ..errors import DataError, InterfaceError
from ..types import call, csv_converters, json_converters
from .csv_pages import convert_chunk
from .gcpause import gc_paused
from .json_pages import RawRecords, decode_records, json_column_plans

if TYPE_CHECKING:
    import pyarrow as pa

    from .resultset import ResultSet

__all__ = ["arrow_schema", "import_pyarrow", "record_batches", "table"]

logger = logging.getLogger(__name__)

_STRING_VALUE = itemgetter("stringValue")

_INTS = {"int2": "int16", "smallint": "int16", "int4": "int32", "integer": "int32",
         "int": "int32", "int8": "int64", "bigint": "int64"}  # fmt: skip
_FLOATS = {"float4": "float32", "real": "float32", "float8": "float64",
           "double precision": "float64", "float": "float64"}  # fmt: skip
#: Redshift's NUMERIC without a precision is NUMERIC(18, 0).
DEFAULT_PRECISION = 18


def import_pyarrow(feature: str) -> Any:
    """pyarrow, or InterfaceError naming the extra that installs it."""
    try:
        import pyarrow
        import pyarrow.csv
    except ImportError as exc:
        raise InterfaceError(
            f"{feature} needs pyarrow: pip install 'redshift-dataapi[arrow]' ({exc})"
        ) from None
    return pyarrow


def _arrow_type(pa: Any, column: Mapping[str, Any]) -> Any:
    name = str(column.get("typeName") or "").lower()
    if name in _INTS:
        return getattr(pa, _INTS[name])()
    if name in _FLOATS:
        return getattr(pa, _FLOATS[name])()
    if name in ("numeric", "decimal"):
        precision = int(column.get("precision") or 0) or DEFAULT_PRECISION
        scale = int(column.get("scale") or 0)
        return (pa.decimal128 if precision <= 38 else pa.decimal256)(precision, scale)
    if name in ("bool", "boolean"):
        return pa.bool_()
    if name == "date":
        return pa.date32()
    if name in ("time", "time without time zone"):
        return pa.time64("us")
    if name in ("timestamp", "timestamp without time zone"):
        return pa.timestamp("us")
    if name in ("timestamptz", "timestamp with time zone"):
        return pa.timestamp("us", tz="UTC")
    if name in ("varbyte", "varbinary", "binary varying", "bytea"):
        return pa.binary()
    return pa.string()


def arrow_schema(column_metadata: Sequence[Mapping[str, Any]]) -> pa.Schema:
    """The Arrow schema of a result (field names: the column labels)."""
    lib = import_pyarrow("arrow_schema")
    fields = []
    for column in column_metadata:
        label = str(column.get("label") or column.get("name") or "")
        nullable = column.get("nullable") != 0
        fields.append(lib.field(label, _arrow_type(lib, column), nullable=nullable))
    schema: pa.Schema = lib.schema(fields)
    return schema


def _from_columns(pa: Any, schema: Any, columns: Sequence[Sequence[Any]]) -> Any:
    arrays = []
    for field, values in zip(schema, columns, strict=True):
        if isinstance(values, pa.Array):
            arrays.append(values)
            continue
        try:
            arrays.append(pa.array(values, type=field.type, from_pandas=False))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError) as exc:
            bad = next((v for v in values if v is not None and isinstance(v, str)), None)
            raise DataError(
                f"column {field.name!r}: a value does not fit Arrow type {field.type}"
                + (f" ({bad!r})" if bad is not None else "")
                + f": {exc}"
            ) from exc
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _from_rows(pa: Any, schema: Any, rows: Sequence[tuple[Any, ...]]) -> Any:
    width = len(schema)
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in range(width)]
    return _from_columns(pa, schema, columns)


class _Converter:
    """Turns the pages of one result into record batches."""

    def __init__(self, result: ResultSet) -> None:
        self.pa = import_pyarrow("fetch_arrow_batches")
        self.result = result
        self.schema = arrow_schema(result.column_metadata)
        type_names = [str(c.get("typeName") or "") for c in result.column_metadata]
        self.plans = json_column_plans(type_names)
        self.slow = json_converters(type_names)
        self.csv_convs = csv_converters(type_names)
        self._csv_options: tuple[Any, Any, Any] | None = None
        self.binary = [i for i, f in enumerate(self.schema) if f.type == self.pa.binary()]
        types = self.pa.types
        self.castable = {
            i
            for i, f in enumerate(self.schema)
            if types.is_decimal(f.type) or types.is_date(f.type) or types.is_timestamp(f.type)
        }

    def csv_options(self) -> tuple[Any, Any, Any]:
        if self._csv_options is None:
            csv = self.pa.csv
            names = [f"c{i}" for i in range(len(self.schema))]  # labels may repeat
            types = {
                name: (self.pa.string() if i in self.binary else field.type)
                for i, (name, field) in enumerate(zip(names, self.schema, strict=True))
            }
            self._csv_options = (
                csv.ReadOptions(column_names=names, use_threads=True),
                csv.ParseOptions(newlines_in_values=True),
                csv.ConvertOptions(
                    column_types=types,
                    null_values=[""],
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=False,
                    true_values=["t", "true", "TRUE", "True"],
                    false_values=["f", "false", "FALSE", "False"],
                ),
            )
        return self._csv_options

    def from_chunk(self, chunk: str) -> Any:
        pa = self.pa
        read, parse, convert = self.csv_options()
        try:
            parsed = pa.csv.read_csv(
                io.BytesIO(chunk.encode("utf-8")),
                read_options=read,
                parse_options=parse,
                convert_options=convert,
            )
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            # e.g. 'infinity' in a date column: the driver's converters decide.
            logger.debug("pyarrow's CSV reader refused a chunk (%s); converting in Python", exc)
            return _from_rows(pa, self.schema, convert_chunk(chunk, self.csv_convs))
        columns = list(parsed.columns)
        for i in self.binary:  # varbyte is sent as hex text
            texts = columns[i].to_pylist()
            columns[i] = pa.array(
                [None if t is None else _hex_bytes(t) for t in texts], type=pa.binary()
            )
        return pa.RecordBatch.from_arrays(
            [c.combine_chunks() if hasattr(c, "combine_chunks") else c for c in columns],
            schema=self.schema,
        )

    def from_page(self, page: Mapping[str, Any]) -> Iterator[Any]:
        records = page.get("Records") or []
        if self.result.is_csv:
            for record in records:
                chunk = record.get("CSVRecords") if isinstance(record, Mapping) else None
                if chunk:
                    yield self.from_chunk(chunk)
            return
        if (
            isinstance(records, RawRecords)
            and records
            and set(map(len, records)) == {len(self.plans)}
        ):
            columns = zip(*records, strict=True)
            yield _from_columns(
                self.pa,
                self.schema,
                [self.json_column(i, col) for i, col in enumerate(columns)],
            )
            return
        rows = (
            decode_records(records, self.plans, self.slow)
            if isinstance(records, RawRecords)
            else [tuple(map(call, self.slow, record)) for record in records]
        )
        if rows:
            yield _from_rows(self.pa, self.schema, rows)

    def json_column(self, index: int, column: Sequence[Mapping[str, Any]]) -> Any:
        """One raw JSON column: an Arrow array cast from the texts, else Python values.

        Numeric, date and timestamp texts are cast by Arrow's own parsers in
        C++ (no Decimal or datetime objects); a column with NULLs or another
        member, or a text Arrow will not cast, goes through the converters.
        """
        if index in self.castable:
            try:
                texts = self.pa.array(list(map(_STRING_VALUE, column)), self.pa.string())
                return texts.cast(self.schema[index].type)
            except (KeyError, TypeError, self.pa.ArrowInvalid, self.pa.ArrowNotImplementedError):
                pass
        return self.plans[index](column)


def _hex_bytes(text: str) -> bytes:
    from ..types import _to_bytes

    return _to_bytes(text)


def record_batches(result: ResultSet) -> Iterator[pa.RecordBatch]:
    """The rest of ``result`` as record batches, one page (or CSV chunk) at a time."""
    converter = _Converter(result)
    for rows, page in result.remaining_pages():
        if rows is not None:
            yield _from_rows(converter.pa, converter.schema, rows)
            continue
        with gc_paused():  # see results/gcpause.py
            batches = list(converter.from_page(page))
        received = sum(batch.num_rows for batch in batches)
        # A page lost or cut in transit must not end the table quietly short.
        result.count_delivered(received, last=not page.get("NextToken"))
        for batch in batches:
            result.rows_read += batch.num_rows
            yield batch


def table(result: ResultSet) -> pa.Table:
    """The rest of ``result`` as one Arrow table (typed even when empty)."""
    lib = import_pyarrow("fetch_arrow_table")
    schema = arrow_schema(result.column_metadata)
    out: pa.Table = lib.Table.from_batches(list(record_batches(result)), schema=schema)
    return out
