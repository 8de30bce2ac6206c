"""The PostgreSQL test fixture: environment DSN, Docker probe, throwaway cluster, skip."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests import pg_server


@pytest.fixture
def silent_docker(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """DOCKER_HOST pointing at a socket that accepts connections and never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    host = f"tcp://127.0.0.1:{listener.getsockname()[1]}"
    monkeypatch.setenv("DOCKER_HOST", host)
    try:
        yield host
    finally:
        listener.close()


def test_dsn_from_environment_is_used_as_is(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_docker_probe(timeout: float = 2.0) -> bool:
        raise AssertionError("the Docker engine must not be probed when a DSN is given")

    monkeypatch.setenv(pg_server.ENV_DSN, "postgresql://someone@db.example:6543/postgres")
    monkeypatch.setattr(pg_server, "docker_answers", no_docker_probe)
    with pg_server.postgres_server() as dsn:
        assert dsn == "postgresql://someone@db.example:6543/postgres"


def test_a_docker_engine_that_never_answers_counts_as_absent(silent_docker: str) -> None:
    assert pg_server.docker_answers(timeout=1.0) is False


def test_without_docker_a_throwaway_cluster_runs_and_is_removed(
    monkeypatch: pytest.MonkeyPatch, silent_docker: str
) -> None:
    if pg_server.find_postgres_bindir() is None:
        pg_server.unavailable("no initdb/pg_ctl on this machine: " + pg_server.HOW_TO_GET_ONE)
    monkeypatch.delenv(pg_server.ENV_DSN, raising=False)
    with pg_server.postgres_server() as dsn:
        assert dsn.startswith("postgresql://postgres@127.0.0.1:")
        with psycopg.connect(dsn, autocommit=True) as conn:
            superuser = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            assert superuser.fetchone() == (True,)
            assert conn.execute("SHOW fsync").fetchone() == ("off",)
            assert conn.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
            row = conn.execute("SHOW data_directory").fetchone()
            assert row is not None
            workdir = Path(row[0]).parent
        assert workdir.is_dir()
    assert not workdir.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(dsn, connect_timeout=2)


def test_with_nothing_available_the_skip_says_how_to_get_a_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(pg_server.ENV_DSN, raising=False)
    monkeypatch.delenv(pg_server.ENV_REQUIRE, raising=False)
    monkeypatch.setattr(pg_server, "docker_answers", lambda timeout=2.0: False)
    monkeypatch.setattr(pg_server, "find_postgres_bindir", lambda: None)
    with pytest.raises(pytest.skip.Exception) as skipped, pg_server.postgres_server():
        pass
    message = str(skipped.value)
    assert pg_server.ENV_DSN in message
    assert "Docker" in message
    assert "apt-get install postgresql" in message


def test_the_newest_debian_binaries_are_preferred(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for version in ("9.6", "15", "13"):
        bindir = tmp_path / "postgresql" / version / "bin"
        bindir.mkdir(parents=True)
        (bindir / "initdb").touch()
        (bindir / "pg_ctl").touch()
    pattern = str(tmp_path / "postgresql" / "*" / "bin")
    real_glob = glob.glob
    monkeypatch.setattr(glob, "glob", lambda _: real_glob(pattern))
    monkeypatch.setattr(shutil, "which", lambda _: None)
    assert pg_server.find_postgres_bindir() == tmp_path / "postgresql" / "15" / "bin"


def test_a_killed_test_run_leaves_no_cluster_behind(tmp_path: Path) -> None:
    if pg_server.find_postgres_bindir() is None:
        pg_server.unavailable("no initdb/pg_ctl on this machine: " + pg_server.HOW_TO_GET_ONE)
    report = tmp_path / "report"
    # The child starts a cluster, writes its DSN and directory, and dies by SIGKILL:
    # no finally block runs, only the watchdog can clean up.
    script = (
        "import os, pathlib, psycopg, signal, sys\n"
        "sys.path.insert(0, sys.argv[2])\n"
        "from tests import pg_server\n"
        "with pg_server.throwaway_cluster(pg_server.find_postgres_bindir()) as dsn:\n"
        "    with psycopg.connect(dsn) as conn:\n"
        "        datadir = conn.execute('SHOW data_directory').fetchone()[0]\n"
        "    pathlib.Path(sys.argv[1]).write_text(dsn + '\\n' + datadir)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    root = str(Path(__file__).resolve().parents[2])
    child = subprocess.run([sys.executable, "-c", script, str(report), root], timeout=60)
    assert child.returncode == -9
    dsn, datadir = report.read_text().splitlines()
    workdir = Path(datadir).parent
    deadline = time.monotonic() + 30
    while workdir.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not workdir.exists(), "the watchdog removed the cluster's directory"
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(dsn, connect_timeout=2)


@pytest.mark.parametrize("value", ["1", "true"])
def test_when_a_server_is_required_having_none_fails_the_test(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.delenv(pg_server.ENV_DSN, raising=False)
    monkeypatch.setenv(pg_server.ENV_REQUIRE, value)
    monkeypatch.setattr(pg_server, "docker_answers", lambda timeout=2.0: False)
    monkeypatch.setattr(pg_server, "find_postgres_bindir", lambda: None)
    with pytest.raises(pytest.fail.Exception) as failed, pg_server.postgres_server():
        pass
    message = str(failed.value)
    assert f"{pg_server.ENV_REQUIRE}=1" in message
    assert "apt-get install postgresql" in message


@pytest.mark.parametrize("value", ["", "0"])
def test_a_server_is_not_required_unless_asked(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(pg_server.ENV_REQUIRE, value)
    with pytest.raises(pytest.skip.Exception):
        pg_server.unavailable("no server here")


def test_reachability_follows_the_permission_bits_of_every_parent() -> None:
    nobody = (65534, 65534)  # neither the owner nor in the group of a fresh temp dir
    outer = Path(tempfile.mkdtemp(prefix="redshift-dataapi-reach-"))
    try:
        inner = outer / "inner"
        inner.mkdir(mode=0o755)
        inner.chmod(0o755)
        outer.chmod(0o700)
        assert not pg_server.reachable_by(inner, *nobody)
        outer.chmod(0o711)
        # Now only the temp area itself can stand in the way (TMPDIR may be private).
        assert pg_server.reachable_by(inner, *nobody) == pg_server.reachable_by(
            outer.parent, *nobody
        )
        inner.chmod(0o700)
        assert not pg_server.reachable_by(inner, *nobody)
        assert not pg_server.reachable_by(outer / "missing", *nobody)
    finally:
        shutil.rmtree(outer)


def test_as_root_the_cluster_avoids_a_temp_dir_the_postgres_user_cannot_reach(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root runs the cluster as another OS user ('postgres')")
    bindir = pg_server.find_postgres_bindir()
    if bindir is None:
        pg_server.unavailable("no initdb/pg_ctl on this machine: " + pg_server.HOW_TO_GET_ONE)
    private = Path(tempfile.mkdtemp(prefix="redshift-dataapi-private-"))  # mode 0700, root's
    try:
        monkeypatch.setenv("TMPDIR", str(private))
        monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again
        with pg_server.throwaway_cluster(bindir) as dsn, psycopg.connect(dsn) as conn:
            row = conn.execute("SHOW data_directory").fetchone()
            assert row is not None
            assert private not in Path(row[0]).parents
    finally:
        shutil.rmtree(private)
