"""``watchfloor watch --once`` and ``--status`` as a user runs them (real entry point, subprocess)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.watch.conftest import SRC

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
