"""Acceptance: the REAL pipeline (read -> extract -> store -> resolve -> assess -> brief) on the
founding report, independent reports and the maritime scenario, through the CLI.

What issue 6 must show:
- the founding report alone: munitions and troops *reported*, technology *speculative*, stage 1,
  and the missing evidence for stage 2;
- with independent reports and AIS: munitions *corroborated*, an alert for it, footnotes leading
  to the sentences and AIS events behind it;
- ``--as-of 2024-10-01`` ignores everything reported later;
- rejecting the key event lowers the stage, and the audit log shows the decision.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.assess.pipeline_support import (
    detect_scenario_events,
    founding,
    ingest,
    read_fixture_reports,
    store_maritime,
)
from watchfloor.cli.app import app
from watchfloor.settings import get_settings
from watchfloor.store import open_store
from watchfloor.store.lists import load_paths

pytestmark = pytest.mark.slow
LIST_SUBSET = Path(__file__).resolve().parents[1] / "graph" / "fixtures" / "sdn_subset.csv"


def run_cli(url: str, *args: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("WATCHFLOOR_DATABASE_URL", url)
    monkeypatch.setenv("WATCHFLOOR_ANALYST", "test-analyst")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, list(args))
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if "--json" in args else result.stdout


@pytest.fixture(scope="module")
def founding_url(tmp_path_factory: pytest.TempPathFactory, founding_report: Path) -> str:
    path = tmp_path_factory.mktemp("founding") / "store.db"
    store = open_store(f"sqlite:///{path}")
    ingest(store, [founding(founding_report)])
    store.close()
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def full_path(tmp_path_factory: pytest.TempPathFactory, founding_report: Path) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("full") / "store.db"
    store = open_store(f"sqlite:///{path}")
    load_paths(store, [LIST_SUBSET])
    ingest(store, [founding(founding_report), *read_fixture_reports()])
    assert store_maritime(store, detect_scenario_events(LIST_SUBSET)) > 0
    store.close()
    yield path


def _copy(path: Path, target: Path) -> str:
    with sqlite3.connect(path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return f"sqlite:///{target}"


def _indicators(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["id"]: i for i in result["indicators"]}


def test_founding_report_alone(founding_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_cli(founding_url, "assess", "--json", monkeypatch=monkeypatch)
    ind = _indicators(result)
    assert ind["munitions_kp_to_ru"]["status"] == "reported"
    assert ind["troops_kp_in_ru"]["status"] == "reported"
    assert ind["munitions_kp_to_ru"]["independent_sources"] == 1
    assert ind["troops_kp_in_ru"]["independent_sources"] == 1
    assert any(c["hedged"] for c in ind["troops_kp_in_ru"]["claims"] if c["role"] == "supports")
    assert ind["tech_ru_to_kp"]["status"] == "speculative"
    # Pyongyang and Moscow's denial is recorded, not taken as refutation.
    assert any(d["role"].startswith("denial by accused party") for d in ind["troops_kp_in_ru"]["denials"])
    assert result["current_stage"]["level"] == 1
    assert result["current_stage"]["name"] == "Diplomatic protest and designations"
    assert result["next_stage"] == "stage-2"
    missing = {t["indicator"]: t for t in result["missing_for_next"]}
    assert missing["munitions_kp_to_ru"]["current"] == "reported"
    assert missing["munitions_kp_to_ru"]["required"] == "corroborated"
    assert "1 more independent source" in missing["munitions_kp_to_ru"]["needs"]
    assert result["algorithm"] == "watchfloor-stage-v1"


def test_independent_reports_and_ais_corroborate_and_alert(
    full_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _copy(full_path, tmp_path / "store.db")
    result = run_cli(url, "assess", "--json", monkeypatch=monkeypatch)
    munitions = _indicators(result)["munitions_kp_to_ru"]
    assert munitions["status"] == "corroborated"
    counted = [s for s in munitions["sources"] if s["counts"]]
    labels = [s["label"] for s in counted]
    # The syndicated copy of the Yonhap story is the same source, not a fourth one.
    assert any("Yonhap News Agency" in lbl and "Korea JoongAng Daily" in lbl for lbl in labels)
    assert {"Reuters", "38 North", "Associated Press"} <= set(labels)
    # The maritime scenario is a simulation (issue 17): set aside, never a source or corroboration.
    assert "AIS detections" not in labels and not munitions["maritime"]
    assert result["counts"]["synthetic_maritime_ignored"] > 0
    assert munitions["independent_sources"] == len(counted) == 4
    assert result["current_stage"]["level"] == 2
    assert any("munitions" in title.lower() for title in result["alerts_raised"])
    alerts = run_cli(url, "alerts", "--json", monkeypatch=monkeypatch)
    kinds = {a["kind"] for a in alerts}
    assert {"new_stage", "indicator_corroborated"} <= kinds
    assert not kinds & {"listed_vessel_port_call", "dark_meeting"}  # those rest on simulated AIS only
    corroborated = next(a for a in alerts if a["kind"] == "indicator_corroborated")
    assert corroborated["data"]["indicator"] == "munitions_kp_to_ru"
    assert {e["kind"] for e in corroborated["evidence"]} == {"document_span"}

    # The brief's footnotes lead to the sentences and AIS events behind the munitions indicator.
    out = tmp_path / "brief.html"
    run_cli(url, "brief", "--out", str(out), monkeypatch=monkeypatch)
    html = out.read_text(encoding="utf-8")
    from tests.assess.brief_footnotes import footnotes_of

    notes = footnotes_of(url, html)
    quotes = " ".join(n["quote"] for n in notes if n["kind"] == "document_span")
    assert "13,000 containers of artillery shells" in quotes
    assert "1,000 containers of military equipment and munitions" in quotes
    # The simulated AIS events (invented ships, on no list) are named under the SYNTHETIC label.
    tracks = html.split("<h2>Ship tracks (AIS)</h2>")[1].split("<h2>")[0]
    assert "SYNTHETIC" in tracks and "simulation, not evidence" in tracks and "encounter 1" in tracks
    assert not any(n["kind"] == "ais" for n in notes)  # no simulated event is cited as a source


def test_as_of_ignores_later_reporting(full_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{full_path}"
    result = run_cli(url, "assess", "--as-of", "2024-10-01", "--json", monkeypatch=monkeypatch)
    assert result["as_of"] == "2024-10-01"
    ind = _indicators(result)
    for indicator in ind.values():
        for claim in indicator["claims"] + indicator["denials"]:
            assert claim["reported_on"] <= "2024-10-01"
        for item in indicator["maritime"]:
            assert item["start"] <= "2024-10-01"
    assert result["counts"]["claims_after_as_of_ignored"] > 0
    assert result["counts"]["maritime_after_as_of_ignored"] > 0
    # Only Reuters (2023) and 38 North (2024-09) were out by then; no troop reporting yet.
    assert {s["label"] for s in ind["munitions_kp_to_ru"]["sources"] if s["kind"] == "document"} == {
        "Reuters",
        "38 North",
    }
    assert ind["troops_kp_in_ru"]["status"] == "not_observed"
    assert result["alerts_raised"] == []


def test_rejecting_the_key_event_lowers_the_stage(
    full_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _copy(full_path, tmp_path / "store.db")
    before = run_cli(url, "assess", "--json", monkeypatch=monkeypatch)
    (key,) = before["linchpins"]
    assert key["stage_without"] < before["current_stage"]["level"]
    why = "the shipments were re-examined: misattributed containers"
    outcome = run_cli(
        url, "review", key["event_id"], "reject", "--why", why, "--json", monkeypatch=monkeypatch
    )
    assert outcome["stage_before"]["level"] == 2
    assert outcome["stage_after"]["level"] == key["stage_without"] == 1
    (entry,) = outcome["audit_log"]
    assert (entry["decision"], entry["analyst"], entry["reason"]) == ("reject", "test-analyst", why)
    after = run_cli(url, "assess", "--json", monkeypatch=monkeypatch)
    assert _indicators(after)["munitions_kp_to_ru"]["status"] == "not_observed"
    assert key["event_id"] in _indicators(after)["munitions_kp_to_ru"]["rejected_events"]
    alerts = run_cli(url, "alerts", "--json", "--kind", "stage_lowered", monkeypatch=monkeypatch)
    assert len(alerts) == 1 and alerts[0]["data"]["level"] == 1
