"""jupysql's ``%sql`` magics on a ``redshift+dataapi://`` URL: the README's notebook example.

An IPython shell runs the README's cells in-process, as a notebook's kernel would
(``run_cell``: IPython's own parsing of magics, ``{...}`` expansion and assignments),
connecting with the URL a user types to the local endpoint served over HTTP
(``local serve``), on both engines.
"""

from __future__ import annotations

import atexit
import builtins
import datetime as dt
import decimal
import os
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import redshift_dataapi

# jupysql imports ploomber-core, which phones home (usage statistics, a PyPI version
# check) unless these say not to; set before jupysql is first imported.
os.environ.setdefault("PLOOMBER_STATS_ENABLED", "false")
os.environ.setdefault("PLOOMBER_VERSION_CHECK_DISABLED", "true")

pytest.importorskip("sql.magic", reason="jupysql is in the test extra")
interactiveshell = pytest.importorskip("IPython.core.interactiveshell")

README = Path(__file__).resolve().parents[3] / "README.md"
#: The README's cells; only the port differs (9439 is local serve's default).
CONNECT = """\
%load_ext sql
%sql redshift+dataapi://local/dev?endpoint_url={endpoint}&region_name=us-east-1 --alias redshift
"""
CREATE = """\
%%sql
CREATE TABLE sales (id INTEGER, amount NUMERIC(12,2), sold_at TIMESTAMPTZ, day DATE, paid BOOLEAN, note VARCHAR(20));
INSERT INTO sales VALUES (1, 10.50, '2024-01-02 03:04:05+00', '2024-01-02', true, 'it''s'),
                         (2, 7.25, '2024-02-03 04:05:06+00', '2024-02-03', false, NULL);
"""  # noqa: E501
SELECT = "result = %sql SELECT id, amount, sold_at, day, paid, note FROM sales ORDER BY id\n"
TEMPLATE = """\
# {{name}} is a Jinja template: the value is pasted into the SQL text
min_id = 2
later = %sql SELECT id, note FROM sales WHERE id >= {{min_id}}
"""
NAMED = """\
# :name is a bound Data API parameter (quotes and all)
%config SqlMagic.named_parameters = "enabled"
note = "it's"
noted = %sql SELECT id, amount FROM sales WHERE note = :note
"""
CLOSE = "%sql --close redshift\n"


def run(shell: Any, cell: str) -> Any:
    """Run a cell as a notebook would; a failure in it fails the test."""
    outcome = shell.run_cell(cell, store_history=False)
    outcome.raise_error()
    return outcome


@pytest.fixture
def shell(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A fresh IPython shell, leaving no trace in the user's home or the test process.

    Its namespace is a module of its own (not pytest's ``__main__``), and the builtins it
    adds (``__IPYTHON__``, ``display``) go when it does: libraries that look for
    ``__IPYTHON__`` would otherwise think later tests run in a notebook.
    """
    from traitlets.config import Config

    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    builtin_names = set(vars(builtins))
    ip = interactiveshell.InteractiveShell.instance(
        config=config, user_module=types.ModuleType("__main__")
    )
    try:
        yield ip
    finally:
        ip.atexit_operations()  # now, not at the test process's exit
        atexit.unregister(ip.atexit_operations)
        ip.restore_sys_module_state()  # pytest's own __main__ and sys hooks back
        interactiveshell.InteractiveShell.clear_instance()
        for name in set(vars(builtins)) - builtin_names:
            delattr(builtins, name)


@pytest.fixture
def sql(shell: Any, http_endpoint: str) -> Iterator[Any]:
    """The README's first cell run (connected as alias ``redshift``); closes at the end."""
    run(shell, CONNECT.replace("{endpoint}", http_endpoint))
    try:
        yield shell
    finally:
        run(shell, CLOSE)


@pytest.fixture
def sales(sql: Any) -> None:
    """The README's ``%%sql`` cell: two statements, a table and its two rows."""
    run(sql, CREATE)


def test_select_gives_python_values_of_each_type(sql: Any, sales: None) -> None:
    run(sql, SELECT)
    result = sql.user_ns["result"]
    assert result.keys == ["id", "amount", "sold_at", "day", "paid", "note"]
    utc = dt.timezone.utc
    assert list(result) == [
        (1, decimal.Decimal("10.50"), dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=utc),
         dt.date(2024, 1, 2), True, "it's"),
        (2, decimal.Decimal("7.25"), dt.datetime(2024, 2, 3, 4, 5, 6, tzinfo=utc),
         dt.date(2024, 2, 3), False, None),
    ]  # fmt: skip
    amount, sold_at = result[0][1], result[0][2]
    assert isinstance(amount, decimal.Decimal)  # not a float: NUMERIC keeps its cents
    assert sold_at.utcoffset() == dt.timedelta(0)


def test_writes_are_committed(sql: Any, sales: None, http_endpoint: str) -> None:
    """jupysql asks for AUTOCOMMIT: another connection sees the cell's rows at once."""
    with redshift_dataapi.connect(
        cluster_identifier="local",
        database="dev",
        endpoint_url=http_endpoint,
        region_name="us-east-1",
    ) as conn:
        cursor = conn.cursor()
        cursor.execute("SELECT COUNT(*) FROM sales")
        assert cursor.fetchone() == (2,)


def test_template_variable_from_the_namespace(sql: Any, sales: None) -> None:
    run(sql, TEMPLATE)
    assert list(sql.user_ns["later"]) == [(2, None)]


def test_named_parameter_is_bound(sql: Any, sales: None) -> None:
    """The value carries a quote, which only a bound parameter matches as written."""
    run(sql, NAMED)
    assert list(sql.user_ns["noted"]) == [(1, decimal.Decimal("10.50"))]


def test_sql_error_names_the_problem(sql: Any) -> None:
    """A failing statement shows the driver's PEP 249 error and Redshift's message."""
    from IPython.core.error import UsageError

    with pytest.raises(UsageError, match='relation "no_such_table" does not exist') as raised:
        run(sql, "%sql SELECT * FROM no_such_table\n")
    assert isinstance(raised.value.__cause__.orig, redshift_dataapi.ProgrammingError)


@pytest.mark.parametrize("name", ["CONNECT", "CREATE", "SELECT", "TEMPLATE", "NAMED", "CLOSE"])
def test_readme_shows_the_cells_run_here(name: str) -> None:
    cell = globals()[name].replace("{endpoint}", "http://127.0.0.1:9439")
    assert cell in README.read_text(encoding="utf-8")
