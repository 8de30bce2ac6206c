"""Cost of reading Redshift SQL text on both sides of the wire.

Prints the best CPU time of ``--repeat`` runs (in microseconds or milliseconds) of:

* ``bind()`` of a short SELECT (what every ``execute()`` pays) and of a
  2000-row x 7-column multi-row INSERT as SQLAlchemy's insertmanyvalues
  writes it (about 100 KB of SQL, NULLs and empty strings inlined);
* ``plan()`` (executemany) of a one-row INSERT over 5000 rows;
* the endpoint's placeholder check (``referenced_names``) and the
  translator's token list (``translate.tokens.tokenize``) of the same INSERT.

    python bench/bench_lexer.py [--repeat 40]

Nothing here asserts anything: the figures go into the commit and the README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from redshift_dataapi.local.service.placeholders import referenced_names
from redshift_dataapi.local.translate.tokens import tokenize as scan
from redshift_dataapi.sql.batching import plan
from redshift_dataapi.sql.params import bind

#: One row's values by column, from the row number (every third decimal is NULL
#: and every fifth text empty: both are written into the SQL, not sent).
_VALUES: dict[str, Callable[[int], Any]] = {
    "i": lambda r: r,
    "f": lambda r: r / 4,
    "d": lambda r: Decimal(r) / 100 if r % 3 else None,
    "s": lambda r: f"it's :not_a_param {r}" if r % 5 else "",
    "b": lambda r: r % 2 == 0,
    "dd": lambda r: dt.date(2024, 1, 1) + dt.timedelta(days=r % 365),
    "ts": lambda r: dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=r),
}


def big_insert(rows: int) -> tuple[str, dict[str, Any]]:
    """A multi-row INSERT of ``rows`` x 7 mixed parameters, and its values."""
    tuples = ("(" + ", ".join(f":{c}__{r}" for c in _VALUES) + ")" for r in range(rows))
    sql = f"INSERT INTO t ({', '.join(_VALUES)}) VALUES " + ", ".join(tuples)
    params = {f"{c}__{r}": value(r) for r in range(rows) for c, value in _VALUES.items()}
    return sql, params


def best(fn: Callable[[], object], repeat: int) -> float:
    """Best CPU time of ``repeat`` calls of ``fn``, in seconds.

    CPU time, not wall time: on a shared machine other processes' load moves
    wall time far more than this single-threaded work's own cost.
    """
    fastest = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        fn()
        fastest = min(fastest, time.process_time() - started)
    return fastest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=40, help="repetitions (best is shown)")
    args = parser.parse_args()
    repeat = args.repeat

    short_sql = "SELECT id, name FROM users WHERE id = :id AND name <> :name -- lookup"
    short_params = {"id": 42, "name": "it's"}
    short = best(lambda: [bind(short_sql, short_params) for _ in range(1000)], repeat) / 1000
    print(f"bind() short SELECT, 2 parameters:            {short * 1e6:8.2f} us")

    sql, params = big_insert(2000)
    kb = len(sql.encode()) // 1024
    t_bind = best(lambda: bind(sql, params), repeat)
    print(f"bind() 2000-row x 7 INSERT ({kb} KB):          {t_bind * 1000:8.2f} ms")

    one_row = f"INSERT INTO t ({', '.join(_VALUES)}) VALUES ({', '.join(':' + c for c in _VALUES)})"
    rows = [{c: value(r) for c, value in _VALUES.items()} for r in range(5000)]
    t_plan = best(lambda: plan(one_row, rows), max(3, repeat // 4))
    print(f"plan() executemany of 5000 rows x 7:          {t_plan * 1000:8.2f} ms")

    t_names = best(lambda: referenced_names(sql), repeat)
    print(f"endpoint referenced_names() of the INSERT:    {t_names * 1000:8.2f} ms")
    t_scan = best(lambda: scan(sql), max(3, repeat // 4))
    print(f"translator scan() of the INSERT:              {t_scan * 1000:8.2f} ms")


if __name__ == "__main__":
    main()
