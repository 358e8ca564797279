"""Crash safety of the write paths: SIGKILL at seeded random moments, then before-or-after, never half.

Each trial starts the real ``watchfloor`` command in a subprocess on a store holding a known state,
kills it with SIGKILL after a random delay, and checks that the store passes its integrity check
and holds exactly the state before or the state after the command — then that re-running the
command completes the work once. ``WATCHFLOOR_CRASH_TRIALS`` sets the trials per path
(``make fuzz`` runs more).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from tests.conftest import FOUNDING_REPORT, SHARED_DATA
from watchfloor.store import open_store

TRIALS = int(os.environ.get("WATCHFLOOR_CRASH_TRIALS", "4"))
LONG_TRIALS = max(1, TRIALS // 2)
"""Trials for the write paths whose every trial costs a long setup or run (ais ingest, detect, review)."""
UN_LIST = SHARED_DATA / "sanctions" / "un" / "UN_consolidated_2026-02-27.xml"

Snapshot = dict[str, list[tuple[object, ...]]]


def snapshot(url: str, audit: bool = False) -> Snapshot:
    """Every table's primary keys, sorted: ids are deterministic, so equal keys mean equal facts.
    With ``audit``, the audit log by content (who, what, on what): one record per run, so a state
    after a SIGKILL is compared with it (a change must come with its record), a re-run's without."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            state: Snapshot = {}
            inspector = inspect(connection)
            for table in sorted(inspector.get_table_names()):
                if table in ("alembic_version", "audit_log"):
                    continue  # audit_log: one entry per run by design (each re-run appends one)
                keys = inspector.get_pk_constraint(table)["constrained_columns"] or ["*"]
                columns = ", ".join(f'"{k}"' if k != "*" else "*" for k in keys)
                rows = connection.execute(text(f'SELECT {columns} FROM "{table}"')).all()
                state[table] = sorted((tuple(map(str, row)) for row in rows), key=repr)
            if audit:
                rows = connection.execute(text('SELECT "user", action, target FROM audit_log')).all()
                state["audit_log"] = sorted(tuple(map(str, row)) for row in rows)
            return state
    finally:
        engine.dispose()


def command(url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "watchfloor.cli.app", "--store", url, *args]


def run_to_end(url: str, *args: str) -> float:
    started = time.monotonic()
    done = subprocess.run(command(url, *args), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - started


WRITE_PATHS = {
    "lists load": ("lists", "load", str(UN_LIST)),
    "ingest reports": ("ingest", "reports", str(FOUNDING_REPORT)),
}
AUDITED = {"ingest reports"}
"""Write paths that go through the service and so leave an audit record (``lists load`` on the
command line writes the store directly)."""


@pytest.mark.slow
@pytest.mark.parametrize("path_name", sorted(WRITE_PATHS))
def test_sigkill_leaves_before_or_after(path_name: str, store_url: str, tmp_path: Path) -> None:
    args = WRITE_PATHS[path_name]
    open_store(store_url).close()  # an existing, migrated store: the command's own writes are tried
    before, before_audited = snapshot(store_url), snapshot(store_url, audit=True)
    full_run = run_to_end(store_url, *args)
    after, after_audited = snapshot(store_url), snapshot(store_url, audit=True)
    assert after != before, "the command wrote nothing: nothing to try"
    if path_name in AUDITED:
        assert len(after_audited["audit_log"]) == len(before_audited["audit_log"]) + 1

    rng = random.Random(f"{path_name}-{store_url.split(':')[0]}")
    outcomes = {"before": 0, "after": 0}
    for trial in range(TRIALS):
        # Back to the state before: a fresh store for each trial.
        trial_url = _fresh(store_url, tmp_path, trial)
        process = subprocess.Popen(
            command(trial_url, *args), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.3, full_run))
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        state = snapshot(trial_url, audit=True)
        assert state in (before_audited, after_audited), (
            f"trial {trial}: a half-written store (or a change without its audit record) after SIGKILL"
        )
        outcomes["before" if state == before_audited else "after"] += 1
        run_to_end(trial_url, *args)
        assert snapshot(trial_url) == after, f"trial {trial}: re-running did not complete the work once"
        run_to_end(trial_url, *args)
        assert snapshot(trial_url) == after, f"trial {trial}: a second re-run changed the store"
    assert sum(outcomes.values()) == TRIALS


def _fresh(store_url: str, tmp_path: Path, trial: int) -> str:
    """An empty migrated store beside ``store_url`` on the same back-end."""
    if store_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / f'trial-{trial}.db'}"
    else:
        server = create_engine(store_url, isolation_level="AUTOCOMMIT")
        name = f"{server.url.database}_t{trial}"
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = server.url.set(database=name).render_as_string(hide_password=False)
        server.dispose()
    open_store(url).close()
    return url


# -- write paths that start from a prepared store: ais detect, review ---------------------------

SIMULATED = "simulated"  # the labelled synthetic AIS scenario, ingested once per test into data_dir


def content_state(url: str, audit: bool = True) -> Snapshot:
    """``snapshot`` with the audit log, plus what a review changes: event statuses, and the decisions
    by content (their ids and times are new on every run, so a decision counts by what it says)."""
    state = snapshot(url, audit=audit)
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            state["events.status"] = sorted(
                tuple(map(str, row)) for row in connection.execute(text("SELECT id, status FROM events"))
            )
            state["reviews"] = sorted(
                tuple(map(str, row))
                for row in connection.execute(text("SELECT subject_id, decision, reason FROM reviews"))
            )
    finally:
        engine.dispose()
    return state


def _clone(template: str, tmp_path: Path, trial: int) -> str:
    """A copy of the store at ``template`` (SQLite: the backup API; PostgreSQL: a template database)."""
    if template.startswith("sqlite"):
        import sqlite3

        source = sqlite3.connect(str(make_url(template).database))
        target_file = tmp_path / f"trial-{trial}.db"
        target_file.unlink(missing_ok=True)
        target = sqlite3.connect(target_file)
        source.backup(target)
        source.close()
        target.close()
        return f"sqlite:///{target_file}"
    server = create_engine(template, isolation_level="AUTOCOMMIT")
    name = f"{server.url.database}_c{trial}"
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{server.url.database}"'))
    url = server.url.set(database=name).render_as_string(hide_password=False)
    server.dispose()
    return url


@pytest.mark.slow
@pytest.mark.parametrize("path_name", ["ais detect", "review"])
def test_sigkill_on_a_prepared_store_leaves_before_or_after(
    path_name: str, store_url: str, tmp_path: Path
) -> None:
    """``ais detect`` (maritime events from a Parquet store) and a review decision (event statuses
    and the audit trail), each killed at random moments on a copy of one prepared store."""
    data_dir = tmp_path / "data"
    open_store(store_url).close()
    if path_name == "ais detect":
        run_to_end(store_url, "ais", "simulate", "--out", str(tmp_path / SIMULATED))
        run_to_end(store_url, "ais", "ingest", str(tmp_path / SIMULATED), "--data-dir", str(data_dir))
        args: tuple[str, ...] = ("ais", "detect", "--data-dir", str(data_dir))
    else:
        run_to_end(store_url, "ingest", "reports", str(FOUNDING_REPORT))
        engine = create_engine(store_url)
        with engine.connect() as connection:
            event_id = connection.execute(text("SELECT id FROM events ORDER BY id LIMIT 1")).scalar_one()
        engine.dispose()
        args = ("review", str(event_id), "confirm", "--why", "two independent sources agree")
    before = content_state(store_url)
    full = _clone(store_url, tmp_path, 99)
    full_run = run_to_end(full, *args)
    after = content_state(full)
    assert after != before, "the command wrote nothing: nothing to try"

    rng = random.Random(f"{path_name}-{store_url.split(':')[0]}")
    for trial in range(LONG_TRIALS):
        url = _clone(store_url, tmp_path, trial)
        process = subprocess.Popen(command(url, *args), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, full_run))
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        state = content_state(url)
        assert state in (before, after), f"trial {trial}: a half-written store after SIGKILL"
        if state == before:  # a decision is recorded once per run by design: re-run only if it is missing
            run_to_end(url, *args)
        assert content_state(url) == after, f"trial {trial}: re-running did not complete the work once"
        if path_name == "ais detect":  # detection is idempotent: a second run changes nothing
            run_to_end(url, *args)  # (which appends its own audit record)
            assert content_state(url, audit=False) == content_state(full, audit=False), (
                f"trial {trial}: a second re-run changed the store"
            )


# -- ais ingest: the Parquet store ------------------------------------------------------------

NOAA_CSV = SHARED_DATA / "ais" / "noaa_marinecadastre_2022-01-03_first99999.csv.gz"


def parquet_state(data_dir: Path) -> tuple[object, ...]:
    """What a reader of the Parquet store sees: the ingests it lists and every visible row."""
    from watchfloor.store.ais import ingested, scan_positions, scan_static

    positions = scan_positions(data_dir).collect()
    static = scan_static(data_dir).collect()
    return (
        sorted(str(m["sha256"]) for m in ingested(data_dir)),
        positions.height,
        int(positions["src_line"].sum() or 0),
        static.height,
    )


@pytest.mark.slow
@pytest.mark.parametrize("case", ["new file", "changed file"])
def test_sigkill_during_ais_ingest_leaves_before_or_after(case: str, tmp_path: Path) -> None:
    """``ais ingest`` writes a file's Parquet parts block by block and its manifest last; killed at
    any point, a reader sees the store as before (parts of an unfinished ingest are invisible) or
    as after — for a new file, and for a changed file replacing its earlier content."""
    import gzip
    import shutil

    rows = gzip.decompress(NOAA_CSV.read_bytes())  # ~10 MB: ten 1 MiB blocks, ten parts or more
    url = f"sqlite:///{tmp_path / 'store.db'}"
    source = tmp_path / "noaa.csv"
    base = tmp_path / "base"

    def ingest(data_dir: Path) -> list[str]:
        return command(url, "ais", "ingest", str(source), "--data-dir", str(data_dir), "--chunk-mib", "1")

    if case == "changed file":
        source.write_bytes(rows[: len(rows) // 3])  # what was ingested before under the same path
        run_to_end_cmd(ingest(base))
    else:
        base.mkdir()
    before = parquet_state(base)
    source.write_bytes(rows)
    full = tmp_path / "full"
    shutil.copytree(base, full)
    full_run = run_to_end_cmd(ingest(full))
    after = parquet_state(full)
    assert after != before and after[1] > 0

    rng = random.Random(f"ais-ingest-{case}")
    for trial in range(LONG_TRIALS):
        data_dir = tmp_path / f"trial-{trial}"
        shutil.copytree(base, data_dir)
        process = subprocess.Popen(ingest(data_dir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, full_run))
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        state = parquet_state(data_dir)
        assert state in (before, after), f"trial {trial}: a half-ingested file is visible after SIGKILL"
        run_to_end_cmd(ingest(data_dir))
        assert parquet_state(data_dir) == after, f"trial {trial}: re-running did not complete the work once"


def run_to_end_cmd(argv: list[str]) -> float:
    started = time.monotonic()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - started


class _Crash(Exception):
    """Stands for the process dying between two blocks (the SIGKILL test does it for real)."""


def test_an_interrupted_ais_ingest_is_invisible_and_a_replacement_is_all_or_nothing(tmp_path: Path) -> None:
    """Found by the SIGKILL trials: parts written before the crash were read as stored data (half a
    file), and a changed file lost its old rows before its new ones were complete."""
    import gzip

    from watchfloor.store.ais import ingest_file

    rows = gzip.decompress(NOAA_CSV.read_bytes())[: 3 << 20]
    source, data_dir = tmp_path / "noaa.csv", tmp_path / "data"
    blocks = 0

    def crash_after_two(_report: object) -> None:
        nonlocal blocks
        blocks += 1
        if blocks == 2:
            raise _Crash

    source.write_bytes(rows)
    with pytest.raises(_Crash):
        ingest_file(source, data_dir, chunk_bytes=1 << 20, progress=crash_after_two)
    assert parquet_state(data_dir) == ([], 0, 0, 0), "parts of an unfinished ingest are visible"
    ingest_file(source, data_dir, chunk_bytes=1 << 20)
    first = parquet_state(data_dir)
    assert first[1] > 0

    source.write_bytes(rows[: 2 << 20])  # the same path, new content
    blocks = 0
    with pytest.raises(_Crash):
        ingest_file(source, data_dir, chunk_bytes=1 << 20, progress=crash_after_two)
    assert parquet_state(data_dir) == first, "a crash mid-replacement lost the old rows"
    result = ingest_file(source, data_dir, chunk_bytes=1 << 20)
    assert result.replaced
    second = parquet_state(data_dir)
    assert second[0] == [result.sha256] and 0 < second[1] < first[1]


def _differences(state: Snapshot, before: Snapshot, after: Snapshot) -> dict[str, str]:
    """Row counts, in ``state``, before and after, of the tables the command changes (for a message)."""
    return {
        table: f"{len(state.get(table, []))} rows (before {len(rows)}, after {len(after.get(table, []))})"
        for table, rows in before.items()
        if rows != after.get(table)
    }


# -- SIGKILL at every commit: a change never lands without its audit record ---------------------

KILL_AT_COMMIT = """
import os, signal, sys
from sqlalchemy import event
from sqlalchemy.orm import Session

left = int(os.environ["WATCHFLOOR_TEST_KILL_AFTER_COMMIT"])

@event.listens_for(Session, "after_commit")
def _kill(session):
    global left
    left -= 1
    if left == 0:
        os.kill(os.getpid(), signal.SIGKILL)

from watchfloor.cli.app import main
sys.argv = ["watchfloor", *sys.argv[1:]]
main()
"""
"""Runs the real command and SIGKILLs it right after its Nth committed transaction: the moments
between two transactions, where a random delay rarely lands."""


@pytest.mark.slow
@pytest.mark.parametrize("path_name", ["review", "ingest reports"])
def test_sigkill_after_each_commit_never_leaves_a_change_without_its_audit_record(
    path_name: str, store_url: str, tmp_path: Path
) -> None:
    """Found by this trial: the audit record was written in its own transaction after the write, so
    a kill between the two left a review decision (or a stored report) with no record of who made
    it. Now the record is part of the write's transaction (``Watchfloor.audited``)."""
    open_store(store_url).close()
    if path_name == "review":
        run_to_end(store_url, "ingest", "reports", str(FOUNDING_REPORT))
        engine = create_engine(store_url)
        with engine.connect() as connection:
            event_id = connection.execute(text("SELECT id FROM events ORDER BY id LIMIT 1")).scalar_one()
        engine.dispose()
        args: tuple[str, ...] = ("review", str(event_id), "confirm", "--why", "two independent sources agree")
    else:
        args = ("ingest", "reports", str(FOUNDING_REPORT))
    before = content_state(store_url)
    full = _clone(store_url, tmp_path, 99)
    run_to_end(full, *args)
    after = content_state(full)
    assert len(after["audit_log"]) == len(before["audit_log"]) + 1

    killed = 0
    for commit in range(1, 40):
        url = _clone(store_url, tmp_path, commit)
        done = subprocess.run(
            [sys.executable, "-c", KILL_AT_COMMIT, "--store", url, *args],
            env={**os.environ, "WATCHFLOOR_TEST_KILL_AFTER_COMMIT": str(commit)},
            capture_output=True,
            text=True,
            timeout=300,
        )
        state = content_state(url)
        assert state in (before, after), (
            f"killed after commit {commit}: a change without its audit record (or a half-written store): "
            f"{_differences(state, before, after)}"
        )
        if done.returncode != -signal.SIGKILL:
            assert done.returncode == 0, done.stderr
            break  # the command finished before its commit number ``commit``: every boundary was tried
        killed += 1
    else:
        pytest.fail("the command made more than 39 commits")
    assert killed >= 1, "the command was never killed: nothing was tried"
