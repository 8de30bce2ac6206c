"""A PostgreSQL server for the test suite, from wherever one can be had.

:func:`postgres_server` yields a superuser DSN, trying in order:

1. ``REDSHIFT_DATAAPI_TEST_PG_DSN`` from the environment (your own server; the
   tests create databases prefixed ``t<hash>_`` and roles such as ``alice``
   and drop the databases again);
2. a testcontainers ``PostgresContainer`` when a Docker engine answers a ping
   within two seconds;
3. a throwaway cluster built from the system's binaries (``initdb`` and
   ``pg_ctl`` from ``/usr/lib/postgresql/*/bin`` or ``PATH``) in a temporary
   directory, on a free port, trust authentication on 127.0.0.1 only, fsync
   off, removed again at the end.  As root the binaries run as the
   ``postgres`` OS user, since PostgreSQL refuses to run as root;

and otherwise skips, saying how to get a server.  A cluster that is found but
fails to start is an error, not a skip.  With ``REDSHIFT_DATAAPI_REQUIRE_POSTGRES=1``
(CI) having no server at all is an error too (``pytest.fail`` with the reason):
CI must never skip the PostgreSQL suites silently.

The throwaway cluster lives in a directory of the system's temporary area that
the ``postgres`` OS user can reach, never in the checkout, and the binaries run
with that directory as working directory: a checkout the ``postgres`` user may
not read (CI cloning as root under ``/root``) does not matter.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn
from urllib.parse import quote

import pytest

logger = logging.getLogger(__name__)

ENV_DSN = "REDSHIFT_DATAAPI_TEST_PG_DSN"
ENV_REQUIRE = "REDSHIFT_DATAAPI_REQUIRE_POSTGRES"
DOCKER_PING_TIMEOUT = 2.0
CONTAINER_IMAGE = "postgres:15-alpine"
HOW_TO_GET_ONE = (
    "no PostgreSQL server for the PostgreSQL tests; how to get one: set "
    f"{ENV_DSN}=postgresql://user:password@host:port/postgres (a superuser), start Docker, "
    "or apt-get install postgresql (its initdb/pg_ctl are used for a throwaway cluster)"
)
# Server settings for a throwaway cluster: speed over durability (the data
# dies with the test run anyway) and room for parallel tests' pools.
_FAST_SETTINGS = (
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=200",
)


def required() -> bool:
    """True when ``REDSHIFT_DATAAPI_REQUIRE_POSTGRES`` asks for a server (CI)."""
    return os.environ.get(ENV_REQUIRE, "").strip().lower() in ("1", "true", "yes", "on")


def unavailable(reason: str) -> NoReturn:
    """Skip the test for ``reason``, or fail it when a server is required (CI)."""
    if required():
        pytest.fail(f"{ENV_REQUIRE}=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Yield a superuser DSN of a running PostgreSQL server, or skip the test.

    When no server can be had, the test is skipped with how to get one; with
    ``REDSHIFT_DATAAPI_REQUIRE_POSTGRES=1`` it fails instead (see :func:`unavailable`).
    """
    dsn = os.environ.get(ENV_DSN, "").strip()
    if dsn:
        logger.info("PostgreSQL from %s", ENV_DSN)
        yield dsn
        return
    if docker_answers(DOCKER_PING_TIMEOUT):
        with postgres_container() as dsn:
            yield dsn
        return
    bindir = find_postgres_bindir()
    if bindir is not None:
        with throwaway_cluster(bindir) as dsn:
            yield dsn
        return
    unavailable(HOW_TO_GET_ONE)


def docker_answers(timeout: float = DOCKER_PING_TIMEOUT) -> bool:
    """True when a Docker engine answers a ping within ``timeout`` seconds.

    The ping runs in a daemon thread so that an engine that accepts the
    connection and then never answers cannot hang the test run.
    """
    answered = threading.Event()

    def ping() -> None:
        try:
            import docker

            client = docker.from_env(timeout=max(1, int(timeout)))
            try:
                if client.ping():
                    answered.set()
            finally:
                client.close()
        except Exception as exc:  # no client library, no socket, refused, timed out
            logger.debug("no Docker engine: %s", exc)

    thread = threading.Thread(target=ping, name="docker-ping", daemon=True)
    thread.start()
    thread.join(timeout)
    return answered.is_set()


@contextlib.contextmanager
def postgres_container() -> Iterator[str]:
    """A PostgreSQL container from testcontainers; yields its superuser DSN."""
    from testcontainers.postgres import PostgresContainer

    container = PostgresContainer(
        CONTAINER_IMAGE, username="postgres", password="postgres", dbname="postgres", driver=None
    )
    with container:
        yield container.get_connection_url(driver=None)


def _version_key(path: str) -> tuple[int, ...]:
    match = re.search(r"/postgresql/(\d+(?:\.\d+)*)/bin$", path)
    return tuple(int(part) for part in match.group(1).split(".")) if match else ()


def find_postgres_bindir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl`` (newest Debian version first), or None."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    initdb_on_path = shutil.which("initdb")
    if initdb_on_path:
        candidates.append(str(Path(initdb_on_path).parent))
    for candidate in candidates:
        directory = Path(candidate)
        if (directory / "initdb").is_file() and (directory / "pg_ctl").is_file():
            return directory
    return None


@dataclass
class _RunAs:
    """How to run the server's binaries: directly, or as the ``postgres`` OS user when root."""

    prefix: tuple[str, ...]
    uid: int | None
    gid: int | None

    @classmethod
    def for_current_user(cls) -> _RunAs:
        if os.geteuid() != 0:
            return cls((), None, None)
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            unavailable(
                "running as root and there is no 'postgres' OS user to run the throwaway "
                "PostgreSQL cluster as (PostgreSQL refuses to run as root); " + HOW_TO_GET_ONE
            )
        runuser = shutil.which("runuser")
        prefix = (
            (runuser, "-u", "postgres", "--")
            if runuser
            else ("su", "postgres", "-s", "/bin/sh", "-c")
        )
        return cls(prefix, account.pw_uid, account.pw_gid)

    def command(self, args: Sequence[str]) -> list[str]:
        if self.prefix and self.prefix[-1] == "-c":  # su takes one shell string
            import shlex

            return [*self.prefix, shlex.join(args)]
        return [*self.prefix, *args]


def reachable_by(path: Path, uid: int, gid: int) -> bool:
    """True when the user ``uid``/``gid`` may enter ``path`` and each of its parents.

    Checks the permission bits (owner, group, other) only; ACLs are not consulted.
    """
    try:
        groups = {gid, *os.getgrouplist(pwd.getpwuid(uid).pw_name, gid)}
    except KeyError:
        groups = {gid}
    for directory in (path, *path.parents):
        try:
            info = directory.stat()
        except OSError:
            return False
        if info.st_uid == uid:
            bit = 0o100
        elif info.st_gid in groups:
            bit = 0o010
        else:
            bit = 0o001
        if not info.st_mode & bit:
            return False
    return True


def workdir_base(run_as: _RunAs) -> str:
    """Where the cluster's directory goes: the temporary area, if the server's user can reach it.

    Run as root, the binaries run as ``postgres``; a ``TMPDIR`` inside a
    root-only tree (a CI checkout under ``/root``) is unreachable for them, so
    the cluster goes to the first of ``TMPDIR``, ``/tmp``, ``/var/tmp`` that is.
    """
    default = tempfile.gettempdir()
    if run_as.uid is None or run_as.gid is None:
        return default
    for candidate in (default, "/tmp", "/var/tmp"):
        if Path(candidate).is_dir() and reachable_by(Path(candidate), run_as.uid, run_as.gid):
            return candidate
    raise RuntimeError(
        f"no temporary directory the 'postgres' OS user can reach for the throwaway cluster "
        f"(tried {default}, /tmp, /var/tmp); set TMPDIR to one"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(run_as: _RunAs, args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # cwd: the postgres user may not be allowed into the caller's directory.
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    return subprocess.run(
        run_as.command(args),
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _initdb(run_as: _RunAs, bindir: Path, workdir: Path, password: str | None) -> Path:
    """A new cluster's data directory (superuser ``postgres``); RuntimeError if initdb fails."""
    datadir = workdir / "data"
    auth = ["-A", "trust"]
    if password is not None:
        pwfile = workdir / "pwfile"
        pwfile.write_text(password + "\n")
        if run_as.uid is not None and run_as.gid is not None:
            os.chown(pwfile, run_as.uid, run_as.gid)
        auth = ["--auth-local=trust", "--auth-host=scram-sha-256", f"--pwfile={pwfile}"]
    initdb = _run(
        run_as,
        [
            str(bindir / "initdb"),
            "-D",
            str(datadir),
            "-U",
            "postgres",
            *auth,
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
        ],
        workdir,
    )
    if initdb.returncode != 0:
        raise RuntimeError(f"initdb failed ({initdb.returncode}): {initdb.stderr or initdb.stdout}")
    return datadir


def _start_server(run_as: _RunAs, bindir: Path, workdir: Path, datadir: Path) -> int:
    """Start the cluster on a free port and return the port; RuntimeError if it cannot."""
    logfile = workdir / "server.log"
    for _attempt in range(3):  # the free port can be taken before the server binds it
        port = _free_port()
        options = " ".join(
            [f"-p {port}", "-h 127.0.0.1", f"-k {workdir}"] + [f"-c {s}" for s in _FAST_SETTINGS]
        )
        start = _run(
            run_as,
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(datadir),
                "-l",
                str(logfile),
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start",
            ],
            workdir,
        )
        if start.returncode == 0:
            return port
        log = logfile.read_text(errors="replace") if logfile.exists() else ""
        if "could not bind" not in log and "already in use" not in log:
            raise RuntimeError(f"pg_ctl start failed: {start.stderr or start.stdout}\n{log}")
    raise RuntimeError(f"pg_ctl start failed three times on busy ports; see {logfile}")


@contextlib.contextmanager
def throwaway_cluster(bindir: Path, password: str | None = None) -> Iterator[str]:
    """Create, start, yield the DSN of, stop and delete a private PostgreSQL cluster.

    With ``password``, TCP connections need password (SCRAM) authentication and
    the superuser has that password (the DSN carries it); otherwise every
    connection is trusted.
    """
    run_as = _RunAs.for_current_user()
    workdir = Path(tempfile.mkdtemp(prefix="redshift-dataapi-pg-", dir=workdir_base(run_as)))
    datadir = workdir / "data"
    started = False
    watchdog: subprocess.Popen[bytes] | None = None
    try:
        if run_as.uid is not None and run_as.gid is not None:
            os.chown(workdir, run_as.uid, run_as.gid)
        datadir = _initdb(run_as, bindir, workdir, password)
        port = _start_server(run_as, bindir, workdir, datadir)
        started = True
        logger.info("throwaway PostgreSQL cluster in %s on port %d", workdir, port)
        watchdog = _start_watchdog(run_as, bindir, workdir)
        user = "postgres" if password is None else f"postgres:{quote(password, safe='')}"
        yield f"postgresql://{user}@127.0.0.1:{port}/postgres"
    finally:
        if watchdog is not None:
            watchdog.kill()
            watchdog.wait()
        if started:
            stop = _run(run_as, _stop_command(bindir, datadir), workdir)
            if stop.returncode != 0:
                logger.warning("pg_ctl stop failed: %s", stop.stderr or stop.stdout)
        shutil.rmtree(workdir, ignore_errors=True)


def _stop_command(bindir: Path, datadir: Path) -> list[str]:
    return [str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "-w", "stop"]


# Run by the watchdog: wait for the test process to go, then stop and delete the cluster.
_WATCHDOG = """
import os, shutil, subprocess, sys, time
pid, workdir, stop = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
while True:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        break
    time.sleep(1)
subprocess.run(stop, cwd=workdir, capture_output=True, check=False)
shutil.rmtree(workdir, ignore_errors=True)
"""


def _start_watchdog(run_as: _RunAs, bindir: Path, workdir: Path) -> subprocess.Popen[bytes]:
    """A detached process that removes the cluster if this process dies without cleaning up.

    A test run killed by a timeout (SIGTERM) or SIGKILL never reaches the
    ``finally`` above; without this the server would keep running.
    """
    stop = run_as.command(_stop_command(bindir, workdir / "data"))
    return subprocess.Popen(
        [sys.executable, "-c", _WATCHDOG, str(os.getpid()), str(workdir), *stop],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # not in the test run's process group: survives its signals
    )
