"""``watchfloor vessel IMO|MMSI`` on real AIS, through ingest and detect as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WATCHFLOOR_DATABASE_URL": f"sqlite:///{tmp_path / 'wf.db'}", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "watchfloor.cli.app", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


@pytest.mark.slow
def test_vessel_profile_of_a_real_reflagged_ship(tmp_path: Path, shared_data: Path) -> None:
    data = str(tmp_path / "data")
    noaa = shared_data / "ais" / "noaa_marinecadastre_2022-01-03_first99999.csv.gz"
    ingested = run(tmp_path, "ais", "ingest", str(noaa), "--data-dir", data, "--json")
    assert ingested.returncode == 0, ingested.stderr
    detected = run(tmp_path, "ais", "detect", "--data-dir", data, "--json")
    assert detected.returncode == 0, detected.stderr

    out = run(tmp_path, "vessel", "IMO 9548574", "--json")
    assert out.returncode == 0, out.stderr
    profile = json.loads(out.stdout)
    assert profile["identity"]["mmsis"] == [355369000, 538007150]
    assert profile["identity"]["names"] == ["FLAG ALEXANDROS", "LMZ VEGA"]
    assert profile["risk"]["method"] == "vessel-risk-v1" and profile["risk"]["score"] > 0
    assert {r["indicator"] for r in profile["risk"]["reasons"]} >= {"flag_change", "identity_change"}
    assert profile["events"]["synthetic"] == 0

    text = run(tmp_path, "vessel", "538007150")  # by the other MMSI: the same ship
    assert text.returncode == 0, text.stderr
    assert "FLAG ALEXANDROS" in text.stdout and "355369000" in text.stdout and "changed flag" in text.stdout

    bad = run(tmp_path, "vessel", "ANGARA")
    assert bad.returncode == 1 and "7 digits" in bad.stderr and "internal error" not in bad.stderr
