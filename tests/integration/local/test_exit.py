"""Processes that use ``endpoint_url="local:"`` and exit without closing never abort.

Shared in-process services run statements on daemon threads; one left inside
DuckDB while the interpreter finalizes used to abort the process with SIGABRT
("terminate called without an active exception").  Shared services are now
closed at exit.  Every run here must end with status 0.
"""

from __future__ import annotations

import concurrent.futures
import subprocess
import sys
import textwrap

import pytest

from tests.integration.cli.conftest import command, subprocess_env

pytestmark = pytest.mark.slow

CONNECT = (
    "import redshift_dataapi\n"
    "conn = redshift_dataapi.connect(endpoint_url='local:', "
    "cluster_identifier='local', database='dev')\n"
    "cur = conn.cursor()\n"
)

#: Scripts that end without closing anything, in the states a script may end in.
SCRIPTS = {
    "after-a-query": CONNECT + "cur.execute('SELECT 1')\nassert cur.fetchone()[0] == 1\n",
    "in-a-transaction": CONNECT
    + textwrap.dedent(
        """\
        conn.autocommit = False
        cur.execute('CREATE TABLE t (x INT)')
        cur.execute('INSERT INTO t VALUES (1), (2)')
        cur.execute('SELECT COUNT(*) FROM t')
        assert cur.fetchone()[0] == 2
        """
    ),
    "statement-running": textwrap.dedent(
        """\
        from redshift_dataapi.local import inprocess_client
        client = inprocess_client()
        sql = ('SELECT COUNT(*) FROM generate_series(1, 100000) a(i) '
               'CROSS JOIN generate_series(1, 100000) b(j) WHERE a.i * 7 + b.j * 13 = -5')
        sid = client.execute_statement(Sql=sql, ClusterIdentifier='local', Database='dev')['Id']
        while client.describe_statement(Id=sid)['Status'] != 'STARTED':
            pass
        """
    ),
}

#: Interpreters per run: each state 33 times (a hang or abort came in about 1 exit of 12
#: before the fix, so a regression shows in 19 runs of 20); 200 took over two minutes of CI.
RUNS = 100
PARALLEL = 6


def _run(args: list[str]) -> tuple[int | str, str]:
    try:
        done = subprocess.run(
            args, capture_output=True, text=True, timeout=120, env=subprocess_env()
        )
    except subprocess.TimeoutExpired:
        return "timeout", ""
    return done.returncode, done.stderr[-500:]


def _failures(commands: list[list[str]]) -> list[tuple[int | str, str]]:
    with concurrent.futures.ThreadPoolExecutor(PARALLEL) as pool:
        outcomes = list(pool.map(_run, commands))
    return [outcome for outcome in outcomes if outcome[0] != 0]


@pytest.mark.timeout(1200)  # 100 interpreters start and stop: a minute on a small machine
def test_100_scripts_exit_cleanly_without_closing() -> None:
    scripts = list(SCRIPTS.values())
    commands = [[sys.executable, "-c", scripts[i % len(scripts)]] for i in range(RUNS)]
    assert _failures(commands) == []


def test_query_command_on_local_exits_cleanly() -> None:
    args = [*command(), "query", "--endpoint-url", "local:", "SELECT 1 AS one"]
    assert _failures([args] * 30) == []
