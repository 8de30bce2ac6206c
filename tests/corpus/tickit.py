"""A small TICKIT sample database (users, venue, category, date, event, listing, sales).

The tables and columns of Redshift's TICKIT sample, filled with generated,
deterministic rows, so that the corpus's expected answers can be computed
here in Python, independently of the endpoint.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

__all__ = ["DDL", "Tickit", "generate", "insert_statements"]

DDL = [
    "CREATE TABLE users (userid INTEGER NOT NULL DISTKEY SORTKEY, username CHAR(8),"
    " firstname VARCHAR(30), lastname VARCHAR(30), city VARCHAR(30), state CHAR(2),"
    " email VARCHAR(100), phone CHAR(14), likesports BOOLEAN)",
    "CREATE TABLE venue (venueid SMALLINT NOT NULL DISTKEY SORTKEY, venuename VARCHAR(100),"
    " venuecity VARCHAR(30), venuestate CHAR(2), venueseats INTEGER)",
    "CREATE TABLE category (catid SMALLINT NOT NULL DISTKEY SORTKEY, catgroup VARCHAR(10),"
    " catname VARCHAR(10), catdesc VARCHAR(50))",
    'CREATE TABLE "date" (dateid SMALLINT NOT NULL DISTKEY SORTKEY, caldate DATE NOT NULL,'
    " day CHAR(3) NOT NULL, week SMALLINT NOT NULL, month CHAR(5) NOT NULL,"
    " qtr CHAR(5) NOT NULL, year SMALLINT NOT NULL, holiday BOOLEAN DEFAULT FALSE)",
    "CREATE TABLE event (eventid INTEGER NOT NULL DISTKEY, venueid SMALLINT NOT NULL,"
    " catid SMALLINT NOT NULL, dateid SMALLINT NOT NULL SORTKEY, eventname VARCHAR(200),"
    " starttime TIMESTAMP)",
    "CREATE TABLE listing (listid INTEGER NOT NULL DISTKEY, sellerid INTEGER NOT NULL,"
    " eventid INTEGER NOT NULL, dateid SMALLINT NOT NULL SORTKEY, numtickets SMALLINT NOT NULL,"
    " priceperticket DECIMAL(8,2), totalprice DECIMAL(8,2), listtime TIMESTAMP)",
    "CREATE TABLE sales (salesid INTEGER NOT NULL, listid INTEGER NOT NULL DISTKEY,"
    " sellerid INTEGER NOT NULL, buyerid INTEGER NOT NULL, eventid INTEGER NOT NULL,"
    " dateid SMALLINT NOT NULL SORTKEY, qtysold SMALLINT NOT NULL, pricepaid DECIMAL(8,2),"
    " commission DECIMAL(8,2), saletime TIMESTAMP)",
]

_FIRST = ["Rafael", "Lars", "Kim", "Ana", "Zoe", "Omar", "Ivy", "Hugo", "Nia", "Theo"]
_LAST = ["Taylor", "Ward", "Lopez", "Chen", "Smith", "Okafor", "Berg", "Silva"]
_CITIES = [("Kent", "WA"), ("Austin", "TX"), ("Boston", "MA"), ("Denver", "CO"), ("Reno", "NV")]
_CATEGORIES = [
    (1, "Sports", "MLB", "Major League Baseball"),
    (2, "Sports", "NHL", "National Hockey League"),
    (3, "Shows", "Musicals", "Musical theatre"),
    (4, "Shows", "Plays", "All non-musical theatre"),
    (5, "Concerts", "Pop", "All rock and pop music concerts"),
]
_DAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]
_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


@dataclass
class Tickit:
    """The generated rows, table by table (tuples in column order)."""

    users: list[tuple[object, ...]] = field(default_factory=list)
    venue: list[tuple[object, ...]] = field(default_factory=list)
    category: list[tuple[object, ...]] = field(default_factory=list)
    date: list[tuple[object, ...]] = field(default_factory=list)
    event: list[tuple[object, ...]] = field(default_factory=list)
    listing: list[tuple[object, ...]] = field(default_factory=list)
    sales: list[tuple[object, ...]] = field(default_factory=list)


def generate(seed: int = 2008) -> Tickit:
    """Deterministic TICKIT rows: 40 users, 6 venues, 5 categories, 60 days, 30 events..."""
    rnd = random.Random(seed)
    t = Tickit()
    for userid in range(1, 41):
        first, last = rnd.choice(_FIRST), rnd.choice(_LAST)
        city, state = rnd.choice(_CITIES)
        phone = None if userid % 7 == 0 else f"({rnd.randint(200, 999)}) 555-{userid:04d}"
        t.users.append(
            (
                userid,
                f"USR{userid:03d}".ljust(8)[:8],
                first,
                last,
                city,
                state,
                f"{first.lower()}.{last.lower()}{userid}@example.com",
                phone,
                None if userid % 5 == 0 else userid % 2 == 0,
            )
        )
    for venueid in range(1, 7):
        city, state = _CITIES[venueid % len(_CITIES)]
        seats = 0 if venueid == 6 else 1000 * venueid + 500
        t.venue.append((venueid, f"Venue {venueid} Arena", city, state, seats))
    t.category = list(_CATEGORIES)
    start = dt.date(2008, 1, 1)
    for dateid in range(1, 61):
        day = start + dt.timedelta(days=dateid - 1)
        t.date.append(
            (
                dateid + 1826,
                day,
                _DAYS[day.weekday()],
                day.isocalendar()[1],
                _MONTHS[day.month - 1],
                f"{(day.month - 1) // 3 + 1}",
                day.year,
                day.day == 1,
            )
        )
    for eventid in range(1, 31):
        dateid = rnd.choice(t.date)[0]
        caldate = next(d[1] for d in t.date if d[0] == dateid)
        assert isinstance(caldate, dt.date)
        starttime = dt.datetime.combine(caldate, dt.time(rnd.choice([14, 19, 20]), 30))
        t.event.append(
            (
                eventid,
                rnd.randint(1, 6),
                rnd.randint(1, 5),
                dateid,
                f"Event {eventid} {rnd.choice(['Live', 'Tour', 'Night'])}",
                starttime,
            )
        )
    for listid in range(1, 61):
        event = rnd.choice(t.event)
        tickets = rnd.randint(1, 8)
        price = Decimal(rnd.randint(2000, 30000)) / 100
        listtime = dt.datetime(2008, 1, 1) + dt.timedelta(minutes=rnd.randint(0, 60 * 24 * 50))
        t.listing.append(
            (
                listid,
                rnd.randint(1, 40),
                event[0],
                event[3],
                tickets,
                price,
                price * tickets,
                listtime,
            )
        )
    for salesid in range(1, 101):
        listing = rnd.choice(t.listing)
        qty = rnd.randint(1, 4)
        price = listing[5]
        assert isinstance(price, Decimal)
        paid = price * qty
        saletime = dt.datetime(2008, 1, 2) + dt.timedelta(seconds=rnd.randint(0, 86400 * 55))
        t.sales.append(
            (
                salesid,
                listing[0],
                listing[1],
                rnd.randint(1, 40),
                listing[2],
                listing[3],
                qty,
                paid,
                (paid * Decimal("0.15")).quantize(Decimal("0.01")),
                saletime,
            )
        )
    return t


def _sql_literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, dt.datetime):
        return f"'{value.isoformat(' ')}'"
    if isinstance(value, dt.date):
        return f"'{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


def insert_statements(data: Tickit) -> list[str]:
    """One multi-row INSERT per table."""
    out = []
    for table in ("users", "venue", "category", "date", "event", "listing", "sales"):
        rows = getattr(data, table)
        values = ", ".join("(" + ", ".join(_sql_literal(v) for v in row) + ")" for row in rows)
        name = '"date"' if table == "date" else table
        out.append(f"INSERT INTO {name} VALUES {values}")
    return out
