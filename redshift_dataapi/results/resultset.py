"""A statement's result set, fetched page by page on demand.

Only the page being read is held in memory: the next GetStatementResult(V2)
call is made when the rows of the current page run out, so iterating a result
of any size needs about one page of memory (fetchall, of course, holds all).
With read-ahead (:mod:`.read_ahead`, ``connect(prefetch=True)``) that call is
started in the background as soon as the reader starts on the current page,
so that one more page may be in memory.  Each page is converted with one
converter per column, resolved once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..errors import OperationalError
from ..types import DescriptionItem, build_description, csv_converters, json_converters
from ..types import call as _call
from .csv_columns import ColumnwiseChunks
from .csv_pages import convert_chunk
from .gcpause import collect_young, gc_paused
from .json_pages import RawRecords, decode_records, json_column_plans
from .read_ahead import ReadAhead

__all__ = ["ResultSet"]


class ResultSet:
    """Rows of one statement: ``description``, ``total_rows`` and fetch methods."""

    def __init__(
        self,
        pages: Iterator[dict[str, Any]],
        *,
        csv: bool = False,
        converters: Mapping[str, Callable[[str], Any]] | None = None,
        parse_super: bool = False,
    ) -> None:
        self._pages: Iterator[dict[str, Any]] | None = pages
        self._csv = csv
        first = next(pages)
        metadata = first.get("ColumnMetadata") or []
        self.column_metadata: list[dict[str, Any]] = list(metadata)
        self.description: list[DescriptionItem] = build_description(metadata)
        total = first.get("TotalNumRows")
        self.total_rows: int | None = int(total) if total is not None else None
        type_names = [str(col.get("typeName") or "") for col in metadata]
        if csv:
            self._csv_convs = csv_converters(type_names, converters, parse_super)
            self._csv_columns = ColumnwiseChunks(self._csv_convs)
        else:
            self._json_convs = json_converters(type_names, converters, parse_super)
            # Pages decoded from the raw body (json_pages) are converted per column.
            self._json_plans = json_column_plans(type_names, converters, parse_super)
        # The first page is converted when first read, so that the columnar
        # fetches (results/arrow.py) can take it unconverted.
        self._first: Mapping[str, Any] | None = first
        self._rows: list[tuple[Any, ...]] = []
        self._pos = 0
        # Rows received so far (converted here or by the columnar fetches);
        # checked against TotalNumRows once the last page has been read.
        self._delivered = 0
        if not first.get("NextToken"):
            self._pages = None
        self.rows_read = 0

    def count_delivered(self, rows: int, *, last: bool) -> None:
        """Count ``rows`` received from one page; at the ``last`` page, check the total."""
        self._delivered += rows
        if last:
            self._check_complete()

    def _check_complete(self) -> None:
        """At the last page: the rows received must add up to TotalNumRows.

        A page lost or cut in transit must never end the result quietly short.
        """
        if self.total_rows is not None and self._delivered != self.total_rows:
            raise OperationalError(
                f"the result is incomplete: {self._delivered} rows received of the "
                f"{self.total_rows} the service reported (a result page was lost)"
            )

    def _read_ahead(self) -> None:
        """Start fetching the next page while this one is read (when there is one)."""
        if isinstance(self._pages, ReadAhead):
            self._pages.fetch_next()

    def stop_read_ahead(self) -> None:
        """Fetch no more pages in the background (the rest come on demand)."""
        if isinstance(self._pages, ReadAhead):
            self._pages.stop()

    def close(self) -> None:
        """Drop what is left: wait for a page in flight, make no more calls."""
        pages, self._pages = self._pages, None
        self._first = None
        self._rows = []
        self._pos = 0
        if isinstance(pages, ReadAhead):
            pages.close()

    def _convert(self, page: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        with gc_paused():  # see results/gcpause.py
            return self._convert_page(page)

    def _convert_page(self, page: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        records = page.get("Records") or []
        if self._csv:
            rows: list[tuple[Any, ...]] = []
            convs = self._csv_convs
            for record in records:
                chunk = record.get("CSVRecords") if isinstance(record, Mapping) else None
                if chunk:
                    converted = self._csv_columns.convert(chunk)
                    rows.extend(convert_chunk(chunk, convs) if converted is None else converted)
            return rows
        convs_json = self._json_convs
        if isinstance(records, RawRecords):
            return decode_records(records, self._json_plans, convs_json)
        return [tuple(map(_call, convs_json, record)) for record in records]

    def _next_page(self) -> bool:
        """Load the next page; False when there is none."""
        if self._first is not None:
            page, self._first = self._first, None
            self._read_ahead()
            self._rows = self._convert(page)
            self._pos = 0
            self.count_delivered(len(self._rows), last=self._pages is None)
            if self._rows:
                return True
        while self._pages is not None:
            try:
                page = next(self._pages)
            except StopIteration:
                self._pages = None
                self._check_complete()
                return False
            if not page.get("NextToken"):
                self._pages = None
            self._read_ahead()
            self._rows = self._convert(page)
            self._pos = 0
            self.count_delivered(len(self._rows), last=self._pages is None)
            if self._rows:
                return True
        return False

    def remaining_pages(self) -> Iterator[tuple[list[tuple[Any, ...]] | None, Mapping[str, Any]]]:
        """What is left, for the columnar fetches: ``(rows, page)`` pairs.

        First the rows already converted but not yet read (``page`` empty),
        then each next page unconverted (``rows`` None), fetched as consumed.
        """
        rows = self._rows[self._pos :] if self._pos else self._rows
        self._rows = []
        self._pos = 0
        if rows:
            self.rows_read += len(rows)
            yield rows, {}
        if self._first is not None:
            page, self._first = self._first, None
            self._read_ahead()
            yield None, page
        while self._pages is not None:
            try:
                page = next(self._pages)
            except StopIteration:
                self._pages = None
                self._check_complete()
                return
            if not page.get("NextToken"):
                self._pages = None
            self._read_ahead()
            yield None, page

    @property
    def is_csv(self) -> bool:
        """Whether the pages are GetStatementResultV2 CSV pages."""
        return self._csv

    def fetchone(self) -> tuple[Any, ...] | None:
        """The next row, or None when the result is exhausted."""
        if self._pos >= len(self._rows) and not self._next_page():
            return None
        row = self._rows[self._pos]
        self._pos += 1
        self.rows_read += 1
        return row

    def fetchmany(self, size: int) -> list[tuple[Any, ...]]:
        """Up to ``size`` rows."""
        out: list[tuple[Any, ...]] = []
        while len(out) < size:
            if self._pos >= len(self._rows) and not self._next_page():
                break
            take = self._rows[self._pos : self._pos + size - len(out)]
            self._pos += len(take)
            out.extend(take)
        self.rows_read += len(out)
        return out

    def fetchall(self) -> list[tuple[Any, ...]]:
        """Every remaining row.

        The collector stays paused from the first page to the last, not page
        by page: between pages it would traverse the rows kept so far and the
        next page's decoded fields, only for reference counting to free them.
        Only the youngest generation is collected after each page (see
        :func:`.gcpause.collect_young`), so the rows come back untracked.
        """
        out = self._rows[self._pos :] if self._pos else self._rows
        self._rows = []
        self._pos = 0
        with gc_paused():
            while self._next_page():
                out.extend(self._rows)
                self._rows = []
                collect_young()
        self.rows_read += len(out)
        return out

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        while True:
            if self._pos >= len(self._rows) and not self._next_page():
                return
            row = self._rows[self._pos]
            self._pos += 1
            self.rows_read += 1
            yield row
