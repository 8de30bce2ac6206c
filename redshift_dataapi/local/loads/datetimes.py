"""Dates and timestamps as COPY reads them: DATEFORMAT / TIMEFORMAT strings, 'auto', epochs.

A Redshift format string (``'MM/DD/YYYY'``, ``'YYYY-MM-DD HH:MI:SS'``, ``'DD-MON-YYYY
HH12:MI:SS AM'``...) becomes one compiled regular expression; fractional
seconds up to microseconds are accepted after ``SS`` as Redshift accepts them.
``'auto'`` accepts ISO 8601 (with ``T`` or a space, fractions and offsets)
and the common forms Redshift's automatic recognition lists.  Without a
format, dates are ``YYYY-MM-DD`` and timestamps ``YYYY-MM-DD HH:MI:SS``.
``'epochsecs'`` and ``'epochmillisecs'`` read seconds (milliseconds) since
1970-01-01 UTC.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable

__all__ = ["date_parser", "timestamp_parser"]

_UTC = dt.timezone.utc
_EPOCH = dt.datetime(1970, 1, 1)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may", "may"),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
# Longest first, so that HH24 wins over HH and MONTH over MON over MM.
_ELEMENTS = [
    ("YYYY", r"(?P<Y>\d{4})"),
    ("MONTH", r"(?P<B>[A-Za-z]+)"),
    ("HH24", r"(?P<H>\d{1,2})"),
    ("HH12", r"(?P<I>\d{1,2})"),
    ("MON", r"(?P<B>[A-Za-z]{3})"),
    ("YY", r"(?P<y>\d{2})"),
    ("MM", r"(?P<m>\d{1,2})"),
    ("DD", r"(?P<d>\d{1,2})"),
    ("HH", r"(?P<H>\d{1,2})"),
    ("MI", r"(?P<M>\d{1,2})"),
    ("SS", r"(?P<S>\d{1,2})(?:\.(?P<f>\d{1,6}))?"),
    ("AM", r"(?P<p>[AaPp][Mm])"),
    ("PM", r"(?P<p>[AaPp][Mm])"),
]
_OFFSET = r"\s*(?P<z>Z|[+-]\d{1,2}(?::?\d{2})?)?"
#: Formats 'auto' tries after ISO 8601.
_AUTO_FORMATS = [
    "MM/DD/YYYY HH:MI:SS",
    "MM/DD/YYYY",
    "YYYY/MM/DD HH:MI:SS",
    "YYYY/MM/DD",
    "DD-MON-YYYY HH:MI:SS",
    "DD-MON-YYYY",
    "MON DD, YYYY",
    "MONTH DD, YYYY",
    "DD MON YYYY",
    "YYYYMMDD HH:MI:SS",
    "YYYYMMDD",
    "MM.DD.YYYY",
    "DD.MM.YYYY",
]


@functools.lru_cache(maxsize=64)
def _compile(fmt: str) -> re.Pattern[str]:
    out: list[str] = []
    i = 0
    upper = fmt.upper()
    while i < len(fmt):
        for element, pattern in _ELEMENTS:
            if upper.startswith(element, i):
                out.append(pattern)
                i += len(element)
                break
        else:
            out.append(r"\s+" if fmt[i] == " " else re.escape(fmt[i]))
            i += 1
    return re.compile(r"\s*" + "".join(out) + _OFFSET + r"\s*$")


def _from_match(m: re.Match[str]) -> dt.datetime:
    parts = m.groupdict()
    if parts.get("Y"):
        year = int(parts["Y"])
    elif parts.get("y"):
        short = int(parts["y"])
        year = 2000 + short if short < 70 else 1900 + short
    else:
        year = 1900
    if parts.get("B"):
        month = _MONTHS.get(parts["B"].lower())
        if month is None:
            raise ValueError(f"unknown month {parts['B']!r}")
    else:
        month = int(parts.get("m") or 1)
    hour = int(parts.get("H") or parts.get("I") or 0)
    if parts.get("p"):
        hour = hour % 12 + (12 if parts["p"].lower() == "pm" else 0)
    fraction = (parts.get("f") or "").ljust(6, "0")
    value = dt.datetime(
        year,
        month,
        int(parts.get("d") or 1),
        hour,
        int(parts.get("M") or 0),
        int(parts.get("S") or 0),
        int(fraction or 0),
    )
    zone = parts.get("z")
    if zone:
        value = value.replace(tzinfo=_zone(zone))
    return value


def _zone(text: str) -> dt.timezone:
    if text == "Z":
        return _UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2] if len(digits) > 2 else digits), int(digits[2:] or 0)
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def _with_format(fmt: str) -> Callable[[str], dt.datetime]:
    pattern = _compile(fmt)

    def parse(text: str) -> dt.datetime:
        m = pattern.match(text)
        if m is None:
            raise ValueError(f"does not match {fmt!r}")
        return _from_match(m)

    return parse


def _auto(text: str) -> dt.datetime:
    stripped = text.strip()
    try:
        return dt.datetime.fromisoformat(stripped)
    except ValueError:
        pass
    for fmt in _AUTO_FORMATS:
        m = _compile(fmt).match(stripped)
        if m is not None:
            return _from_match(m)
    raise ValueError("not a recognized date/time")


def _epoch(scale: float) -> Callable[[str], dt.datetime]:
    def parse(text: str) -> dt.datetime:
        return _EPOCH + dt.timedelta(seconds=float(text) / scale)

    return parse


def _iso_first(fallback: Callable[[str], dt.datetime]) -> Callable[[str], dt.datetime]:
    # The default formats are ISO's: the C parser answers almost every value,
    # the format's regular expression the rest (and says why one is bad).
    def parse(text: str) -> dt.datetime:
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            return fallback(text)

    return parse


def _parser(fmt: str | None, default: str) -> Callable[[str], dt.datetime]:
    if fmt is None:
        return _iso_first(_with_format(default))
    lowered = fmt.lower()
    if lowered == "auto":
        return _auto
    if lowered == "epochsecs":
        return _epoch(1)
    if lowered == "epochmillisecs":
        return _epoch(1000)
    return _with_format(fmt)


def date_parser(fmt: str | None) -> Callable[[str], dt.date]:
    """Text -> date under DATEFORMAT ``fmt`` (None: ``YYYY-MM-DD``); ValueError if not one."""
    parse = _parser(fmt, "YYYY-MM-DD")

    def to_date(text: str) -> dt.date:
        return parse(text).date()

    return to_date


def timestamp_parser(fmt: str | None, aware: bool) -> Callable[[str], dt.datetime]:
    """Text -> timestamp under TIMEFORMAT ``fmt``; ``aware`` for TIMESTAMPTZ (UTC if no zone).

    A TIMESTAMP (not aware) drops a given offset after converting to UTC, as
    Redshift stores it.
    """
    parse = _parser(fmt, "YYYY-MM-DD HH:MI:SS")

    def to_timestamp(text: str) -> dt.datetime:
        value = parse(text)
        if aware:
            return value.replace(tzinfo=_UTC) if value.tzinfo is None else value.astimezone(_UTC)
        if value.tzinfo is not None:
            return value.astimezone(_UTC).replace(tzinfo=None)
        return value

    return to_timestamp
