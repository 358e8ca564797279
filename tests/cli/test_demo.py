"""`watchfloor demo`: the main job, idempotent, and working from the package's bundled data."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def demo(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "watchfloor.cli.app", "demo", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=1200,
    )


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as connection:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_demo_prints_the_store_and_the_founding_report(tmp_path: Path, shared_data: Path) -> None:
    result = demo(tmp_path, "--data", str(shared_data))
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    # rich wraps long lines for the terminal: compare with all white space removed
    assert f"store:{tmp_path / 'watchfloor-demo.db'}" in "".join(result.stdout.split())
    assert "2024-10-29" in out
    assert "Associated Press" in out
    assert "length 2,616" in out


def test_demo_twice_stores_nothing_twice(tmp_path: Path, shared_data: Path) -> None:
    first = demo(tmp_path, "--data", str(shared_data), "--json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    after_first = _counts(Path(summary["store"]))
    second = demo(tmp_path, "--data", str(shared_data), "--json")
    assert second.returncode == 0, second.stderr
    assert _counts(Path(summary["store"])) == after_first
    assert after_first["documents"] == 1
    again = json.loads(second.stdout)
    assert again["reports"]["stored"] is False
    assert again["counts"] == summary["counts"]


def test_demo_works_without_shared_data(tmp_path: Path) -> None:
    """An installed package has no ../shared: the bundled copy of the founding report is used."""
    result = demo(tmp_path, "--data", str(tmp_path / "no-such-folder"), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    report = summary["reports"]["founding_report"]
    assert "watchfloor/data/reports" in report["origin"]
    assert report["published"] == "2024-10-29"
    assert report["events"] > 0
    # Every step ran on the bundled copies: lists, the synthetic AIS scenario, the assessment.
    assert summary["lists"]["lists"] == {"un_sc": 1003, "us_ofac_sdn": 14965, "gb_uk": 6046}
    assert summary["ais"]["recall"] == 1.0
    assert Path(summary["assessment"]["brief"]).is_file()
