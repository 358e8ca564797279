"""Concurrent writers on one store, with real processes: every writer finishes (or, past the busy
timeout, stops with a clear error and writes nothing), and the store is never corrupt.

Several ``watchfloor lists load`` commands are started at the same moment on one fresh store —
two SQLite writers, or many PostgreSQL writers — including the same list twice. Afterwards the
store passes its integrity check and holds exactly the rows that the same commands run one after
another give. ``WATCHFLOOR_CONCURRENCY_TRIALS`` sets the rounds (``make fuzz`` runs more).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import SHARED_DATA
from tests.store.test_crash_safety import command, run_to_end, snapshot
from watchfloor.errors import StoreError
from watchfloor.settings import get_settings
from watchfloor.store import open_store

TRIALS = int(os.environ.get("WATCHFLOOR_CONCURRENCY_TRIALS", "1"))
UN_LIST = SHARED_DATA / "sanctions" / "un" / "UN_consolidated_2026-02-27.xml"
FTM_ZALA = SHARED_DATA / "sanctions" / "ftm" / "yente_fixture_zala_entities.ftm.json"
FTM_T1 = SHARED_DATA / "sanctions" / "ftm" / "yente_fixture_t1_entities.ftm.json"

SQLITE_WRITERS = [
    ("lists", "load", str(UN_LIST)),
    ("lists", "load", str(UN_LIST)),  # the same list twice at once: stored once, neither fails
    ("lists", "load", str(FTM_ZALA)),
]
POSTGRES_WRITERS = [
    ("lists", "load", str(UN_LIST)),
    ("lists", "load", str(UN_LIST)),  # the same list twice at once: stored once
    ("lists", "load", str(FTM_ZALA)),
    ("lists", "load", str(FTM_T1)),
    ("lists", "load", str(FTM_ZALA)),
]


def _fresh(base: str, tmp_path: Path, name: str) -> str:
    """An empty store beside ``base`` on the same back-end (not yet migrated: the writers race for it)."""
    if base.startswith("sqlite"):
        return f"sqlite:///{tmp_path / f'{name}.db'}"
    from sqlalchemy import create_engine

    server = create_engine(base, isolation_level="AUTOCOMMIT")
    database = f"{server.url.database}_{name}"
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    url = server.url.set(database=database).render_as_string(hide_password=False)
    server.dispose()
    return url


def _run_at_once(url: str, writers: list[tuple[str, ...]]) -> list[subprocess.CompletedProcess[str]]:
    processes = [
        subprocess.Popen(command(url, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for args in writers
    ]
    results = []
    for process, args in zip(processes, writers, strict=True):
        out, err = process.communicate(timeout=600)
        results.append(subprocess.CompletedProcess(list(args), process.returncode, out, err))
    return results


@pytest.mark.slow
def test_concurrent_writers_finish_and_leave_the_sequential_state(store_url: str, tmp_path: Path) -> None:
    writers = SQLITE_WRITERS if store_url.startswith("sqlite") else POSTGRES_WRITERS
    sequential = _fresh(store_url, tmp_path, "sequential")
    for args in dict.fromkeys(writers):  # each distinct command once: a repeat changes nothing
        run_to_end(sequential, *args)
    expected = snapshot(sequential)
    assert expected["list_entries"], "the writers stored nothing: nothing to compare"
    for trial in range(TRIALS):
        url = _fresh(store_url, tmp_path, f"concurrent{trial}")
        results = _run_at_once(url, writers)
        for result in results:
            assert result.returncode == 0, f"trial {trial}: {' '.join(result.args)} failed: {result.stderr}"
        assert snapshot(url) == expected, f"trial {trial}: concurrent writers left another state"


@pytest.fixture
def locked_sqlite(tmp_path: Path) -> tuple[str, sqlite3.Connection]:
    """A migrated SQLite store whose write lock is held by another connection (a stuck writer)."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    open_store(url).close()
    holder = sqlite3.connect(tmp_path / "store.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return url, holder


def test_a_writer_past_the_busy_timeout_stops_with_a_clear_error(
    locked_sqlite: tuple[str, sqlite3.Connection],
) -> None:
    url, holder = locked_sqlite
    before = snapshot(url)  # readers are not blocked by the held lock
    env = {**os.environ, "WATCHFLOOR_STORE_BUSY_TIMEOUT_S": "1"}
    started = time.monotonic()
    done = subprocess.run(
        command(url, "lists", "load", str(FTM_ZALA)), capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 1, done.stderr
    assert "is locked by another writer: gave up after waiting 1 s (WATCHFLOOR_STORE_BUSY_TIMEOUT_S)" in (
        " ".join(done.stderr.split())
    )
    assert "Traceback" not in done.stderr and "[SQL:" not in done.stderr
    assert time.monotonic() - started < 60
    assert snapshot(url) == before, "a writer that gave up left rows behind"
    holder.execute("ROLLBACK")
    holder.close()
    run_to_end(url, "lists", "load", str(FTM_ZALA))  # once the lock is free, the same command works
    assert snapshot(url) != before


def test_readers_do_not_wait_for_a_writer(
    locked_sqlite: tuple[str, sqlite3.Connection], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, holder = locked_sqlite
    monkeypatch.setenv("WATCHFLOOR_STORE_BUSY_TIMEOUT_S", "2")
    get_settings.cache_clear()
    try:
        store = open_store(url, migrate=False)
        started = time.monotonic()
        with store.reading() as session:
            assert session.execute(text("SELECT count(*) FROM list_entries")).scalar() == 0
        assert time.monotonic() - started < 1.5, "a read waited for the writer's lock"
        started = time.monotonic()
        locked = pytest.raises(StoreError, match="is locked by another writer: gave up after waiting 2 s")
        with locked, store.session() as session:
            session.execute(text("SELECT count(*) FROM list_entries"))
        assert 1.5 < time.monotonic() - started < 30, "a writer did not wait for the busy timeout"
        store.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        get_settings.cache_clear()


_CHECK_THEN_INSERT = """
import sys
from sqlalchemy import text
from watchfloor.store import open_store
store = open_store(sys.argv[1], migrate=False)
print("ready", flush=True)
with store.session() as session:
    if not session.execute(text("SELECT count(*) FROM api_users WHERE name = 'analyst'")).scalar():
        session.execute(text(sys.argv[2]))
"""
_INSERT = (
    "INSERT INTO api_users (name, role, key_hash, key_prefix, created_at, created_by) "
    "VALUES ('analyst', 'viewer', 'hash', 'k', '2026-12-03 12:00:00', 'test')"
)


def test_the_same_check_then_insert_from_two_processes_stores_once(store_url: str) -> None:
    """Found by the concurrency test: two loads of the same list at once both saw it absent, and
    the second failed on a unique key (IntegrityError). Writing transactions now take turns from
    their first statement, so the second one sees the first's row and inserts nothing."""
    store = open_store(store_url)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with store.session() as session:
        assert not session.execute(text("SELECT count(*) FROM api_users WHERE name = 'analyst'")).scalar()
        other = subprocess.Popen(
            [sys.executable, "-c", _CHECK_THEN_INSERT, store_url, _INSERT],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert other.stdout is not None and other.stdout.readline().strip() == "ready", other.communicate()
        time.sleep(1.5)  # the other process is in its transaction now (or waiting to begin it)
        session.execute(text(_INSERT))
    _out, err = other.communicate(timeout=120)
    assert other.returncode == 0, err
    with store.reading() as session:
        assert session.execute(text("SELECT count(*) FROM api_users")).scalar() == 1
    store.close()


def test_the_service_read_side_answers_while_a_writer_holds_the_store(
    locked_sqlite: tuple[str, sqlite3.Connection], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the API and the dashboard read (``Watchfloor.read``) does not queue behind a long write
    such as a ``lists load``: it reads the last committed state at once."""
    from watchfloor.service import queries
    from watchfloor.service.app import Watchfloor
    from watchfloor.service.users import Principal, Role
    from watchfloor.settings import load_settings

    url, holder = locked_sqlite
    monkeypatch.setenv("WATCHFLOOR_STORE_BUSY_TIMEOUT_S", "5")
    get_settings.cache_clear()
    try:
        service = Watchfloor(open_store(url, migrate=False), load_settings(database_url=url))
        started = time.monotonic()
        page = service.read(queries.documents, Principal("vera", Role.VIEWER))
        assert time.monotonic() - started < 3, "a read waited for the writer"
        assert page is not None
        service.store.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        get_settings.cache_clear()
