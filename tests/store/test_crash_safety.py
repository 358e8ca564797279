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

from tests.conftest import FOUNDING_REPORT, SHARED_DATA
from watchfloor.store import open_store

TRIALS = int(os.environ.get("WATCHFLOOR_CRASH_TRIALS", "4"))
UN_LIST = SHARED_DATA / "sanctions" / "un" / "UN_consolidated_2026-02-27.xml"

Snapshot = dict[str, list[tuple[object, ...]]]


def snapshot(url: str) -> Snapshot:
    """Every table's primary keys, sorted: ids are deterministic, so equal keys mean equal facts."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            state: Snapshot = {}
            inspector = inspect(connection)
            for table in sorted(inspector.get_table_names()):
                if table == "alembic_version":
                    continue
                keys = inspector.get_pk_constraint(table)["constrained_columns"] or ["*"]
                columns = ", ".join(f'"{k}"' if k != "*" else "*" for k in keys)
                rows = connection.execute(text(f'SELECT {columns} FROM "{table}"')).all()
                state[table] = sorted((tuple(map(str, row)) for row in rows), key=repr)
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


@pytest.mark.slow
@pytest.mark.parametrize("path_name", sorted(WRITE_PATHS))
def test_sigkill_leaves_before_or_after(path_name: str, store_url: str, tmp_path: Path) -> None:
    args = WRITE_PATHS[path_name]
    open_store(store_url).close()  # an existing, migrated store: the command's own writes are tried
    before = snapshot(store_url)
    full_run = run_to_end(store_url, *args)
    after = snapshot(store_url)
    assert after != before, "the command wrote nothing: nothing to try"

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
        state = snapshot(trial_url)
        assert state in (before, after), f"trial {trial}: a half-written store after SIGKILL"
        outcomes["before" if state == before else "after"] += 1
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
