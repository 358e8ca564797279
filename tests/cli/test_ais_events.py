"""``watchfloor ais simulate | detect | events``: the whole chain as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from watchfloor.maritime.scenario import STORY_VESSELS
from watchfloor.service.users import audit_records
from watchfloor.store import open_store


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

    shuttle = STORY_VESSELS["dunai_shuttle"]
    own = json.loads(run(tmp_path, "ais", "events", "--vessel", str(shuttle.imo), "--json").stdout)
    assert {e["kind"] for e in own} == {"gap", "port_visit"}
    assert all(e["synthetic"] and e["links"] == [] for e in own)  # invented: on no real list
    assert json.loads(run(tmp_path, "ais", "events", "--vessel", "9179842", "--json").stdout) == []

    encounter = run(tmp_path, "ais", "events", "--kind", "encounter")
    assert encounter.returncode == 0
    assert STORY_VESSELS["meets_at_sea"].name in encounter.stdout
    assert "SYNTHETIC encounter" in encounter.stdout  # the table labels every simulated event

    # Detecting again stores nothing twice.
    again = run(tmp_path, "ais", "detect", "--data-dir", data, "--json")
    assert json.loads(again.stdout)["counts"] == counts
    everything = json.loads(run(tmp_path, "ais", "events", "--json").stdout)
    assert len(everything) == sum(counts.values())

    # Every write of the CLI leaves its audit record: one per list load and per detection.
    store = open_store(f"sqlite:///{tmp_path / 'wf.db'}")
    try:
        with store.session() as session:
            _, records = audit_records(session, limit=100)
    finally:
        store.close()
    actions = [r["action"] for r in records]
    assert actions.count("lists.load") == 1 and actions.count("ais.detect") == 2
    assert all(r["user"] for r in records)


@pytest.mark.slow
def test_demo_step_prints_the_simulated_story_and_links_no_real_ship(
    tmp_path: Path, shared_data: Path
) -> None:
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
    assert summary["listed_vessels"] == [] and summary["listed_events"] == 0
    text = out.getvalue()
    assert "simulation with invented ships, never evidence" in text
    assert summary["story_events"] > 5 and text.count("SYNTHETIC") > summary["story_events"]
    for vessel in STORY_VESSELS.values():
        assert vessel.name in text
    assert "us_ofac_sdn:" not in text
    store.close()
