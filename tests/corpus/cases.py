"""The documented-SQL corpus: Redshift SQL reference examples over TICKIT, with answers.

Each :class:`Case` is a statement in the style of the Redshift SQL reference
(run against the generated TICKIT data of :mod:`.tickit`) and its expected
rows, computed here in Python from the same data, never by an engine.
``setup`` statements run first (in the same session).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from .tickit import Tickit

__all__ = ["CATEGORIES", "Case", "cases"]

CATEGORIES = [
    "date/time",
    "string",
    "conditional",
    "aggregate/window",
    "numeric",
    "set/TOP",
    "DDL/DML",
    "SUPER/JSON",
    "SET/SHOW/EXPLAIN",
]

Rows = list[list[object]]


@dataclass(frozen=True)
class Case:
    """One corpus statement: its category, SQL, setup, and expected rows (or a check)."""

    category: str
    name: str
    sql: str
    expected: Rows | None = None
    setup: tuple[str, ...] = ()
    check: Callable[[Rows], bool] | None = None
    #: The statement must fail with an error containing this text.
    error: str | None = None
    #: The result's ColumnMetadata typeNames, where Redshift documents the type.
    types: tuple[str, ...] | None = None


def _number(value: object) -> float:
    return float(str(value))


def _ts(value: dt.datetime) -> str:
    return value.isoformat(" ")


def cases(t: Tickit) -> list[Case]:
    """Every case, with its answer computed from ``t``."""
    users = {u[0]: u for u in t.users}
    dates = {d[0]: d for d in t.date}
    sales = t.sales
    sale1 = sales[0]
    saletime1 = sale1[9]
    assert isinstance(saletime1, dt.datetime)
    caldates = [d[1] for d in t.date]
    first_date = min(caldates)
    assert isinstance(first_date, dt.date)
    prices = sorted(Decimal(str(s[7])) for s in sales)
    qty_total = sum(int(str(s[6])) for s in sales)
    u1 = users[1]
    email1 = str(u1[6])
    venue1 = t.venue[0]
    price1 = Decimal(str(sale1[7]))
    commission1 = Decimal(str(sale1[8]))
    out = [
        # -- date/time ---------------------------------------------------------------
        Case(
            "date/time",
            "DATEADD day",
            "SELECT DATEADD(day, 30, caldate) FROM date WHERE dateid = 1827",
            [[_ts(dt.datetime.combine(first_date + dt.timedelta(days=30), dt.time()))]],
        ),
        Case(
            "date/time",
            "DATEADD month",
            "SELECT DATEADD(month, 1, '2008-01-31'::date)",
            [["2008-02-29 00:00:00"]],
        ),
        Case(
            "date/time",
            "DATEDIFF day",
            "SELECT DATEDIFF(day, MIN(caldate), MAX(caldate)) FROM date",
            [[(max(caldates) - min(caldates)).days]],  # type: ignore[operator]
        ),
        Case(
            "date/time",
            "DATEDIFF week",
            "SELECT DATEDIFF(week, '2009-01-01'::date, '2009-12-31'::date) AS numweeks",
            [[52]],
        ),
        Case(
            "date/time",
            "DATE_TRUNC",
            "SELECT DATE_TRUNC('month', saletime) FROM sales WHERE salesid = 1",
            [[_ts(saletime1.replace(day=1, hour=0, minute=0, second=0))]],
        ),
        Case(
            "date/time",
            "DATE_PART",
            "SELECT DATE_PART(dow, caldate), DATE_PART(year, caldate) FROM date"
            " WHERE dateid = 1827",
            [[(first_date.weekday() + 1) % 7, first_date.year]],
        ),
        Case(
            "date/time",
            "EXTRACT",
            "SELECT EXTRACT(month FROM saletime) FROM sales WHERE salesid = 1",
            [[saletime1.month]],
        ),
        Case(
            "date/time",
            "TO_CHAR",
            "SELECT TO_CHAR(saletime, 'YYYY-MM-DD HH24:MI') FROM sales WHERE salesid = 1",
            [[saletime1.strftime("%Y-%m-%d %H:%M")]],
        ),
        Case(
            "date/time",
            "TO_DATE",
            "SELECT TO_DATE('20080115', 'YYYYMMDD')",
            [["2008-01-15"]],
        ),
        Case(
            "date/time",
            "TRUNC timestamp",
            "SELECT TRUNC(saletime) FROM sales WHERE salesid = 1",
            [[saletime1.date().isoformat()]],
            types=("date",),
        ),
        Case(
            "date/time",
            "DATE_CMP",
            "SELECT DATE_CMP(caldate, '2008-01-04') FROM date WHERE dateid IN (1827, 1830, 1831)"
            " ORDER BY dateid",
            [[-1], [0], [1]],
        ),
        Case(
            "date/time",
            "CONVERT_TIMEZONE",
            "SELECT CONVERT_TIMEZONE('UTC', 'America/New_York', '2008-01-15 12:00:00'::timestamp)",
            [["2008-01-15 07:00:00"]],
        ),
        Case(
            "date/time",
            "GETDATE and SYSDATE",
            "SELECT GETDATE() <= SYSDATE + INTERVAL '1 second', TRUNC(SYSDATE) = CURRENT_DATE",
            [[True, True]],
        ),
        # -- string ----------------------------------------------------------------------
        Case(
            "string",
            "SPLIT_PART",
            "SELECT SPLIT_PART(email, '@', 2) FROM users WHERE userid = 1",
            [[email1.split("@")[1]]],
        ),
        Case(
            "string",
            "REGEXP_SUBSTR",
            "SELECT REGEXP_SUBSTR(email, '@[^.]*') FROM users WHERE userid = 1",
            [["@example"]],
        ),
        Case(
            "string",
            "REGEXP_COUNT",
            "SELECT REGEXP_COUNT('abcabcab', 'ab')",
            [[3]],
        ),
        Case(
            "string",
            "REGEXP_REPLACE",
            "SELECT REGEXP_REPLACE(email, '@.*\\\\.(org|gov|com)$', '') FROM users"
            " WHERE userid = 1",
            [[email1.split("@")[0]]],
        ),
        Case("string", "BTRIM", "SELECT BTRIM('xyzaxyzbxyzcxyz', 'xyz')", [["axyzbxyzc"]]),
        Case(
            "string",
            "LPAD",
            "SELECT LPAD(firstname, 10, '*') FROM users WHERE userid = 1",
            [[str(u1[2]).rjust(10, "*")]],
        ),
        Case("string", "CHARINDEX", "SELECT CHARINDEX('dog', 'fish dog')", [[6]]),
        Case("string", "STRPOS", "SELECT STRPOS('dogfish', 'fist')", [[0]]),
        Case(
            "string",
            "LEN",
            "SELECT LEN(firstname), LENGTH('français') FROM users WHERE userid = 1",
            [[len(str(u1[2])), 8]],
        ),
        Case("string", "INITCAP", "SELECT INITCAP('kent washington')", [["Kent Washington"]]),
        Case("string", "REPLICATE", "SELECT REPLICATE('ab', 3)", [["ababab"]]),
        Case(
            "string",
            "TRANSLATE",
            "SELECT TRANSLATE('mint tea', 'inea', 'osin')",
            [["most tin"]],
        ),
        Case(
            "string",
            "STRTOL documented examples",
            "SELECT STRTOL('0xf', 16), STRTOL('abcd1234', 16), STRTOL('1234567', 10),"
            " STRTOL('1234567', 8), STRTOL('110101', 2)",
            [[int("f", 16), int("abcd1234", 16), 1234567, int("1234567", 8), int("110101", 2)]],
            types=("int8",) * 5,
        ),
        Case(
            "string",
            "STRTOL of the null character",
            # '\0' is a NUL character in a Redshift literal; the string then reads as empty.
            "SELECT STRTOL('\\0', 2)",
            [[0]],
        ),
        Case(
            "string",
            "STRTOL blanks, sign and a column",
            "SELECT STRTOL('  -ff', 16), STRTOL('+0x1A', 16), STRTOL(venuestate, 36) FROM venue"
            " WHERE venueid = 1",
            [[-255, 26, int(str(venue1[3]), 36)]],
        ),
        Case(
            "string",
            "OCTET_LENGTH",
            "SELECT OCTET_LENGTH('français'), OCTET_LENGTH(email) FROM users WHERE userid = 1",
            [[len("français".encode()), len(email1.encode())]],
        ),
        Case("string", "TO_HEX documented", "SELECT TO_HEX(2147676847)", [[f"{2147676847:x}"]]),
        Case(
            "string",
            "TO_HEX of a VARBYTE column",
            "SELECT TO_HEX(b) FROM user_bytes ORDER BY userid",
            [[f"{u:04x}"] for u in sorted(users)[:3]],
            setup=(
                "CREATE TEMP TABLE user_bytes AS SELECT userid,"
                " FROM_HEX(LPAD(TO_HEX(userid), 4, '0')) AS b FROM users WHERE userid <= 3",
            ),
        ),
        Case(
            "string",
            "CHAR blank padding",
            "SELECT LEN(username), OCTET_LENGTH(username) FROM users WHERE userid = 1",
            [[len(str(u1[1]).rstrip()), 8]],
        ),
        Case(
            "string",
            "CHAR LENGTH without trailing blanks",
            # The reference: 'Augusta' in a CHAR(20) column has a length of 7.
            "SELECT LENGTH(city_name), city_name FROM address",
            [[7, "Augusta".ljust(20)]],
            setup=(
                "CREATE TEMP TABLE address (address_id INT, city_name CHAR(20))",
                "INSERT INTO address VALUES (1, 'Augusta')",
            ),
        ),
        # -- conditional -----------------------------------------------------------------
        Case(
            "conditional",
            "NVL",
            "SELECT COUNT(*) FROM users WHERE NVL(phone, 'none') = 'none'",
            [[sum(1 for u in t.users if u[7] is None)]],
        ),
        Case(
            "conditional",
            "NVL2",
            "SELECT NVL2(phone, 'has', 'none') FROM users WHERE userid IN (6, 7) ORDER BY userid",
            [["has"], ["none"]],
        ),
        Case(
            "conditional",
            "DECODE",
            "SELECT DECODE(catgroup, 'Sports', 'S', 'Shows', 'H', 'other') FROM category"
            " ORDER BY catid",
            [["S"], ["S"], ["H"], ["H"], ["other"]],
        ),
        Case(
            "conditional",
            "COALESCE and NULLIF",
            "SELECT COALESCE(NULLIF(venueseats, 0), -1) FROM venue ORDER BY venueid",
            [[v[4] if v[4] else -1] for v in t.venue],
        ),
        # -- aggregates and windows -------------------------------------------------------
        Case(
            "aggregate/window",
            "LISTAGG",
            "SELECT LISTAGG(catname, ',') WITHIN GROUP (ORDER BY catname) FROM category"
            " WHERE catgroup = 'Sports'",
            [["MLB,NHL"]],
        ),
        Case(
            "aggregate/window",
            "MEDIAN",
            "SELECT MEDIAN(pricepaid) FROM sales",
            [[statistics.median(prices)]],
        ),
        Case(
            "aggregate/window",
            "PERCENTILE_CONT",
            "SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY pricepaid) FROM sales",
            [[statistics.median(prices)]],
        ),
        Case(
            "aggregate/window",
            "APPROXIMATE COUNT DISTINCT",
            "SELECT APPROXIMATE COUNT(DISTINCT buyerid) FROM sales",
            # HyperLogLog: Redshift's answer is within a few percent of the exact count.
            check=lambda rows: abs(_number(rows[0][0]) / len({s[3] for s in sales}) - 1) <= 0.05,
        ),
        Case(
            "aggregate/window",
            "RATIO_TO_REPORT",
            "SELECT r FROM (SELECT salesid, RATIO_TO_REPORT(qtysold) OVER () AS r FROM sales)"
            " WHERE salesid = 1",
            [[Decimal(str(sale1[6])) / qty_total]],
        ),
        Case(
            "aggregate/window",
            "RANK",
            "SELECT salesid FROM (SELECT salesid, RANK() OVER (ORDER BY pricepaid DESC, salesid)"
            " AS r FROM sales) WHERE r = 1",
            [[sorted(sales, key=lambda s: (-Decimal(str(s[7])), s[0]))[0][0]]],
        ),
        Case(
            "aggregate/window",
            "SUM OVER",
            "SELECT SUM(qtysold) OVER (ORDER BY salesid ROWS UNBOUNDED PRECEDING) FROM sales"
            " WHERE salesid <= 3 ORDER BY salesid",
            [[sum(int(str(s[6])) for s in sales[:i])] for i in (1, 2, 3)],
        ),
        # -- numeric functions and arithmetic ----------------------------------------------
        Case(
            "numeric",
            "ROUND of a FLOAT8 stays FLOAT8",
            "SELECT ROUND(CAST(pricepaid AS FLOAT8) / 3, 2) FROM sales WHERE salesid = 1",
            [[round(float(str(sale1[7])) / 3, 2)]],
            types=("float8",),
        ),
        Case(
            "numeric",
            "ROUND of a DECIMAL",
            "SELECT ROUND(commission, 1), ROUND(commission, -1) FROM sales WHERE salesid = 1",
            [
                [
                    commission1.quantize(Decimal("0.1"), ROUND_HALF_UP),
                    (commission1 / 10).quantize(Decimal(1), ROUND_HALF_UP) * 10,
                ]
            ],
            types=("numeric", "numeric"),
        ),
        Case(
            "numeric",
            "TRUNC of numbers",
            "SELECT TRUNC(111.86), TRUNC(111.86, 1), TRUNC(-111.86, 1)",
            [[111, Decimal("111.8"), Decimal("-111.8")]],
        ),
        Case(
            "numeric",
            "DECIMAL division is DECIMAL",
            # Redshift: DECIMAL(8,2) / DECIMAL(8,2) is DECIMAL(17,9).
            "SELECT pricepaid / commission FROM sales WHERE salesid = 1",
            [[(price1 / commission1).quantize(Decimal("1e-9"), ROUND_DOWN)]],
            types=("numeric",),
        ),
        # -- set operations and TOP -------------------------------------------------------
        Case(
            "set/TOP",
            "MINUS",
            "SELECT userid FROM users MINUS SELECT buyerid FROM sales ORDER BY 1",
            [[u] for u in sorted(set(users) - {s[3] for s in sales})],
        ),
        Case(
            "set/TOP",
            "INTERSECT",
            "SELECT sellerid FROM listing INTERSECT SELECT buyerid FROM sales ORDER BY 1",
            [[u] for u in sorted({li[1] for li in t.listing} & {s[3] for s in sales})],
        ),
        Case(
            "set/TOP",
            "UNION",
            "SELECT catgroup FROM category UNION SELECT 'Other' ORDER BY 1",
            [[g] for g in sorted({c[1] for c in t.category} | {"Other"})],
        ),
        Case(
            "set/TOP",
            "TOP",
            "SELECT TOP 3 salesid FROM sales ORDER BY pricepaid DESC, salesid",
            [[s[0]] for s in sorted(sales, key=lambda s: (-Decimal(str(s[7])), s[0]))[:3]],
        ),
        # -- DDL and DML -----------------------------------------------------------------
        Case(
            "DDL/DML",
            "SELECT INTO",
            "SELECT COUNT(*) FROM sports_users",
            [[len(t.users)]],
            setup=("SELECT * INTO TEMP TABLE sports_users FROM users",),
        ),
        Case(
            "DDL/DML",
            "CTAS with DISTKEY",
            "SELECT SUM(qtysold) FROM event_qty",
            [[qty_total]],
            setup=(
                "CREATE TABLE event_qty DISTKEY(eventid) SORTKEY(eventid) AS"
                " SELECT eventid, SUM(qtysold) AS qtysold FROM sales GROUP BY eventid",
            ),
        ),
        Case(
            "DDL/DML",
            "UPDATE FROM",
            "SELECT COUNT(*) FROM cat_copy WHERE catdesc = 'updated'",
            [[2]],
            setup=(
                "CREATE TEMP TABLE cat_copy AS SELECT * FROM category",
                "UPDATE cat_copy SET catdesc = 'updated' FROM category c"
                " WHERE cat_copy.catid = c.catid AND c.catgroup = 'Shows'",
            ),
        ),
        Case(
            "DDL/DML",
            "DELETE USING",
            "SELECT COUNT(*) FROM cat_del",
            [[3]],
            setup=(
                "CREATE TEMP TABLE cat_del AS SELECT * FROM category",
                "DELETE FROM cat_del USING category c"
                " WHERE cat_del.catid = c.catid AND c.catgroup = 'Sports'",
            ),
        ),
        Case(
            "DDL/DML",
            "late-binding view",
            "SELECT COUNT(*) FROM sales_view",
            [[len(sales)]],
            setup=("CREATE VIEW sales_view AS SELECT * FROM public.sales WITH NO SCHEMA BINDING",),
        ),
        Case(
            "DDL/DML",
            "IDENTITY",
            "SELECT id, name FROM ident ORDER BY id",
            [[1, "a"], [2, "b"]],
            setup=(
                "CREATE TEMP TABLE ident (id INT IDENTITY(1, 1), name VARCHAR(5))",
                "INSERT INTO ident (name) VALUES ('a')",
                "INSERT INTO ident (name) VALUES ('b')",
            ),
        ),
        Case(
            "DDL/DML",
            "VARCHAR length enforced",
            "INSERT INTO short_text VALUES ('abcd')",
            setup=("CREATE TEMP TABLE short_text (s VARCHAR(3))",),
            error="too long for type character varying(3)",
        ),
        # -- SUPER / JSON -----------------------------------------------------------------
        Case(
            "SUPER/JSON",
            "JSON_EXTRACT_PATH_TEXT",
            "SELECT JSON_EXTRACT_PATH_TEXT("
            """'{"f2":{"f3":1},"f4":{"f5":99,"f6":"star"}}', 'f4', 'f6')""",
            [["star"]],
        ),
        Case(
            "SUPER/JSON",
            "IS_VALID_JSON",
            """SELECT IS_VALID_JSON('{"a":2}'), IS_VALID_JSON('{"a":2')""",
            [[True, False]],
        ),
        Case(
            "SUPER/JSON",
            "JSON_PARSE",
            """SELECT JSON_SERIALIZE(JSON_PARSE('{"a": [1, 2]}'))""",
            [[json.dumps({"a": [1, 2]}, separators=(",", ":"))]],
        ),
        Case(
            "SUPER/JSON",
            "PartiQL navigation",
            "SELECT doc.a[1] FROM (SELECT JSON_PARSE('{\"a\": [10, 20]}') AS doc)",
            [[20]],
            types=("super",),
        ),
        Case(
            "SUPER/JSON",
            "JSON_SERIALIZE documented",
            """SELECT JSON_SERIALIZE(JSON_PARSE('[10001,10002,"abc"]'))""",
            [[json.dumps([10001, 10002, "abc"], separators=(",", ":"))]],
        ),
        Case(
            "SUPER/JSON",
            "PartiQL navigation of a SUPER column",
            "SELECT d.doc.event.id, d.doc.event.place[1], d.doc.event.missing FROM event_docs d"
            " ORDER BY d.eventid",
            [[e[0], e[2], None] for e in sorted(t.event)[:3]],
            setup=(
                "CREATE TEMP TABLE event_docs AS SELECT eventid, JSON_PARSE("
                """'{"event": {"id": ' || eventid || ', "place": [' || venueid || ', '"""
                """ || catid || ']}}') AS doc FROM event WHERE eventid <= 3""",
            ),
            types=("super", "super", "super"),
        ),
        Case(
            "SUPER/JSON",
            "JSON_ARRAY_LENGTH",
            'SELECT JSON_ARRAY_LENGTH(\'[11,12,13,{"f1":21,"f2":[25,26]},14]\')',
            [[5]],
        ),
        # -- SET / SHOW / EXPLAIN ---------------------------------------------------------
        Case(
            "SET/SHOW/EXPLAIN",
            "SHOW search_path",
            "SHOW search_path",
            check=lambda rows: rows[0][0].replace('"', "") == "$user, public",  # type: ignore[union-attr]
        ),
        Case(
            "SET/SHOW/EXPLAIN",
            "SET then SHOW",
            "SHOW search_path",
            [["public"]],
            setup=("SET search_path TO public",),
        ),
        Case(
            "SET/SHOW/EXPLAIN",
            "EXPLAIN as a result set",
            "EXPLAIN SELECT eventname FROM event WHERE eventid = 1",
            check=lambda rows: len(rows) >= 1 and isinstance(rows[0][0], str),
        ),
        Case(
            "SET/SHOW/EXPLAIN",
            "current_user",
            "SELECT current_user",
            [["awsuser"]],
        ),
    ]
    # Sanity of the generated data used above.
    assert Counter(d[6] for d in dates.values())[2008] == len(t.date)
    return out
