"""``watchfloor ais simulate | detect | events``: the whole chain as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WATCHFLOOR_DATABASE_URL": f"sqlite:///{tmp_path / 'wf.db'}", "COLUMNS": "250"}
    return subprocess.run(
        [sys.executable, "-m", "watchfloor.cli.app", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


@pytest.mark.slow
def test_simulate_ingest_detect_and_list_events(tmp_path: Path, shared_data: Path) -> None:
    sim = run(tmp_path, "ais", "simulate", "--out", str(tmp_path / "sim"), "--json")
    assert sim.returncode == 0, sim.stderr
    summary = json.loads(sim.stdout)
    assert summary["synthetic"] is True and summary["planted"]["encounter"] == 1
    header = Path(summary["csv"]).read_text("utf-8").splitlines()[0]
    assert header.startswith("MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign")
    assert "SYNTHETIC" in (tmp_path / "sim" / "SYNTHETIC.md").read_text("utf-8")

    data = str(tmp_path / "data")
    assert run(tmp_path, "ais", "ingest", str(tmp_path / "sim"), "--data-dir", data, "--json").returncode == 0
    ofac = shared_data / "sanctions" / "ofac" / "sdn_2024-05-03.csv"
    loaded = run(tmp_path, "lists", "load", str(ofac), "--json")
    assert loaded.returncode == 0, loaded.stderr
    detected = run(tmp_path, "ais", "detect", "--data-dir", data, "--json")
    assert detected.returncode == 0, detected.stderr
    counts = json.loads(detected.stdout)["counts"]
    assert counts["encounter"] == 1 and counts["gap"] >= 3

    angara = json.loads(run(tmp_path, "ais", "events", "--vessel", "9179842", "--json").stdout)
    assert {e["kind"] for e in angara} == {"gap", "port_visit"}
    assert all(any(link["entry_key"] == "us_ofac_sdn:37059" for link in e["links"]) for e in angara)

    encounter = run(tmp_path, "ais", "events", "--kind", "encounter")
    assert encounter.returncode == 0
    assert "LADY R" in encounter.stdout and "us_ofac_sdn:37095" in encounter.stdout

    # Detecting again stores nothing twice.
    again = run(tmp_path, "ais", "detect", "--data-dir", data, "--json")
    assert json.loads(again.stdout)["counts"] == counts
    everything = json.loads(run(tmp_path, "ais", "events", "--json").stdout)
    assert len(everything) == sum(counts.values())


@pytest.mark.slow
def test_demo_step_prints_the_events_of_listed_vessels(tmp_path: Path, shared_data: Path) -> None:
    from io import StringIO

    from rich.console import Console

    from watchfloor.cli.demo import ais_step
    from watchfloor.store import open_store
    from watchfloor.store.lists import load_paths

    store = open_store(f"sqlite:///{tmp_path / 'demo.db'}")
    load_paths(store, [shared_data / "sanctions" / "ofac" / "sdn_2024-05-03.csv"])
    out = StringIO()
    summary = ais_step(store, Console(file=out, width=200))
    assert summary["synthetic"] is True
    assert summary["recall"] == 1.0 and summary["false_events"] == 0
    assert summary["listed_vessels"] == ["ANGARA", "LADY R", "MAIA-1", "SPARTA IV"]
    text = out.getvalue()
    assert "SYNTHETIC" in text and "us_ofac_sdn:37059" in text
    store.close()
