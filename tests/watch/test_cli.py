"""``watchfloor watch --once`` and ``--status`` as a user runs them (real entry point, subprocess)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.watch.conftest import SRC, wait_for
from watchfloor.store.ais import ingest_file, scan_positions

DRIFT = "dma_aisabnormal_drift_212123000_2014-10-02.nmea.gz"


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "WATCHFLOOR_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}",
        "WATCHFLOOR_DATA_DIR": str(tmp_path / "data"),
        "WATCHFLOOR_WATCH_SETTLE_S": "0",
    }


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "watchfloor.cli.app", "watch", *args],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )


def test_once_then_status(tmp_path: Path, shared_data: Path) -> None:
    inbox = tmp_path / "drop"
    inbox.mkdir()
    shutil.copy(shared_data / "ais" / DRIFT, inbox / DRIFT)
    (inbox / "truncated.csv").write_text("this,is,not\nan,ais,export\n")
    once = _run(tmp_path, "--once", "--json", "--inbox", str(inbox))
    assert once.returncode == 0, once.stderr
    outcome = json.loads(once.stdout)
    assert outcome["ais_inbox"]["done"] == 1 and outcome["ais_inbox"]["failed"] == 1
    assert outcome["detect"]["events"] >= 1
    log = [json.loads(line) for line in once.stderr.splitlines() if line.startswith("{")]
    events = [line["event"] for line in log]
    assert "inbox.done" in events and "inbox.failed" in events and events.count("job.done") == 4
    failed = next(line for line in log if line["event"] == "inbox.failed")
    assert failed["file"] == "truncated.csv" and "failed/truncated.csv" in failed["error"]
    status = _run(tmp_path, "--status", "--json")
    assert status.returncode == 0, status.stderr
    summary = json.loads(status.stdout)
    assert summary["files"] == {"done": 1, "failed": 1}
    assert summary["jobs"]["ais_inbox"]["counts"]["done"] == 1
    assert summary["errors"][0]["file"] == "truncated.csv"
    people = _run(tmp_path, "--status")
    assert people.returncode == 0 and "ais_inbox" in people.stdout and "truncated.csv" in people.stdout


def test_a_bad_subscriptions_file_is_one_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "subs.yaml"
    broken.write_text("- name: desk\n  webhook: ftp://nowhere\n")
    env = {**_env(tmp_path), "WATCHFLOOR_WATCH_SUBSCRIPTIONS_FILE": str(broken)}
    result = subprocess.run(
        [sys.executable, "-m", "watchfloor.cli.app", "watch", "--once"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert f"{broken}: item 1 (desk): 'webhook' must be an http(s) URL" in result.stderr


@pytest.mark.slow
def test_kill_9_in_the_middle_of_an_ingest_loses_and_duplicates_nothing(
    tmp_path: Path, shared_data: Path
) -> None:
    """``kill -9`` of ``watchfloor watch --once`` while a 100k-row file is ``ingesting``; the restarted
    watch finishes it: the store holds each row once, and the cut run shows as interrupted."""
    big = shared_data / "ais" / "noaa_marinecadastre_2022-01-03_first99999.csv.gz"
    inbox = tmp_path / "data" / "ais_inbox"
    inbox.mkdir(parents=True)
    shutil.copy(big, inbox / big.name)
    database = tmp_path / "store.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "watchfloor.cli.app", "watch", "--once"],
        env=_env(tmp_path),
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def ingesting() -> bool:
        if not database.is_file():
            return False
        try:
            with sqlite3.connect(database, timeout=1) as connection:
                row = connection.execute("SELECT state FROM watch_files").fetchone()
        except sqlite3.Error:
            return False
        return row is not None and row[0] == "ingesting"

    try:
        assert wait_for(ingesting, timeout=240, step=0.02), "the watch never started the ingest"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
    assert (inbox / "done" / big.name).is_file()  # taken; its record says it is unfinished
    again = _run(tmp_path, "--once", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["ais_inbox"]["resumed"] == 1
    expected = ingest_file(big, tmp_path / "reference").report.positions
    stored = scan_positions(tmp_path / "data").select("mmsi", "ts", "src_line").collect()
    assert stored.height == expected > 90_000
    assert stored.n_unique() == stored.height  # no row twice
    with sqlite3.connect(database) as connection:
        states = connection.execute("SELECT state FROM watch_files").fetchall()
        interrupted = connection.execute(
            "SELECT count(*) FROM watch_runs WHERE job = 'ais_inbox' AND error LIKE 'interrupted%'"
        ).fetchone()
    assert states == [("done",)] and interrupted == (1,)
