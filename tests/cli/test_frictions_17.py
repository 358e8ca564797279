"""Issue 17's frictions, each reproduced as the issue writes it, through the real ``watchfloor`` entry point.

Frictions an existing test already reproduces exactly are listed here, not duplicated:

- ``watchfloor --version`` fails with "internal error: NoSuchOption", and every user mistake is
  called an "internal error":
  tests/cli/test_app.py::test_version_option_and_usage_mistakes_are_not_internal_errors
- a mistyped ``--store`` silently creates an empty store:
  tests/cli/test_app.py::test_a_mistyped_store_is_refused_not_created
- ... which then yields a confident "Stage 0: Monitoring" brief:
  tests/assess/test_cli.py::test_an_empty_store_is_not_a_confident_stage_0
- ``screen "Sergei Shoigu" --dob 21/05/1955`` treats the date as a conflict (1.00 -> 0.68):
  tests/cli/test_screen.py::test_dob_option_reads_written_dates_and_refuses_ambiguous_ones
- ... and drops the true OFAC entry out of the CSV batch output:
  tests/cli/test_screen.py::test_csv_batch_frictions_of_issue_17
- re-ingesting with ``--date --source`` changes only the source name (a pasted report):
  tests/cli/test_extract.py::test_reingest_with_date_source_and_grade_updates_the_document
- the same AP sentence graded B1, B2 and B3 in different parts of the brief:
  tests/report/test_brief_evidence.py::test_one_grade_per_claim_wherever_the_brief_shows_it
- the simulated scenario uses real sanctioned vessels with their real IMO numbers:
  tests/maritime/test_scenario.py::test_no_scenario_identity_is_on_a_real_list (every IMO, MMSI,
  call sign and name against the real UN, OFAC and UK lists) and
  ::test_no_scenario_identity_is_a_ship_of_the_real_ais_files
- the dashboard shows simulated events only under a SYNTHETIC label:
  tests/web/test_dashboard.py::test_map_draws_the_simulated_shuttle_track_and_opens_its_dunai_port_visit

The tests below reproduce the rest, on the demo store (``demo_db``, built by ``watchfloor demo``)
or on a fresh store, through the CLI as an analyst types it.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.cli.runner import SOURCE
from tests.live_server import copy_demo_store, live_server, make_keys, open_service
from watchfloor.maritime.scenario import STORY_VESSELS
from watchfloor.service.users import Role

pytestmark = pytest.mark.slow

SEOUL = (
    "SEOUL, March 12, 2025 (Reuters) - North Korea has shipped artillery shells to Russia by rail "
    "and by sea, South Korean officials said on Wednesday.\n"
)


def watchfloor(
    store: Path, *args: str, columns: int = 200, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The real entry point, on ``store``, with a private data folder and a given terminal width."""
    env = {
        **os.environ,
        "COLUMNS": str(columns),
        "WATCHFLOOR_DATA_DIR": str(store.parent / "wf-data"),
        "PYTHONPATH": os.pathsep.join([SOURCE, os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.run(
        [sys.executable, "-m", "watchfloor.cli.app", "--store", str(store), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=cwd or store.parent,
    )


@pytest.fixture
def demo_copy(demo_db: Path, tmp_path: Path) -> Path:
    """A private copy of the demo store (commands below may write alerts, reviews, caches)."""
    return copy_demo_store(demo_db, tmp_path / "store")


# --- The demo: synthetic data never counts as evidence, and says it is a simulation. ----------


def test_demo_assess_counts_no_synthetic_record_as_a_source(demo_copy: Path) -> None:
    """Was: "highly likely ... citing 2 independent sources: Associated Press; AIS detections"."""
    result = watchfloor(demo_copy, "assess", "--json")
    assert result.returncode == 0, result.stderr
    assessment = json.loads(result.stdout)
    events = json.loads(watchfloor(demo_copy, "ais", "events", "--json").stdout)
    assert events and all(e["synthetic"] for e in events)  # every AIS event of the demo is simulated
    assert assessment["counts"]["synthetic_maritime_ignored"] == len(events)
    for indicator in assessment["indicators"]:
        labels = {s["label"] for s in indicator["sources"]}
        assert "AIS detections" not in labels, indicator["name"]
        assert not indicator["maritime"], indicator["name"]
        assert len(indicator["sources"]) <= 1  # only the founding AP report is real evidence
    assert "AIS detections" not in result.stdout


def test_demo_brief_shows_the_simulation_under_a_synthetic_label(demo_copy: Path, tmp_path: Path) -> None:
    """Was: "Synthetic" appears only inside file paths."""
    out = tmp_path / "brief.html"
    result = watchfloor(demo_copy, "brief", "--out", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "AIS detections" not in html
    label = "<span class='synthetic'"
    top = html.split("<h2>Ship tracks (AIS)</h2>")[0]
    assert f"{label}" in top and "AIS event(s)) were set aside" in top  # the warning beside the stage
    tracks = html.split("<h2>Ship tracks (AIS)</h2>")[1].split("<h2>")[0]
    assert label in tracks and "simulation, not evidence" in tracks and "encounter 1" in tracks
    assert 'data-kind="ais"' not in html  # no simulated event is cited as a source


def test_every_table_labels_the_simulated_events(demo_copy: Path) -> None:
    """`watchfloor ais events` labels every row; none links to a real list entry."""
    events = json.loads(watchfloor(demo_copy, "ais", "events", "--json").stdout)
    table = watchfloor(demo_copy, "ais", "events")
    assert table.returncode == 0, table.stderr
    rows = [line for line in table.stdout.splitlines() if re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", line)]
    assert len(rows) == len(events) > 50
    assert all("SYNTHETIC" in row for row in rows)
    assert json.loads(watchfloor(demo_copy, "ais", "events", "--listed", "--json").stdout) == []
    shuttle = STORY_VESSELS["dunai_shuttle"]
    assert shuttle.name in table.stdout and "ANGARA" not in table.stdout
    assert json.loads(watchfloor(demo_copy, "ais", "events", "--vessel", "9179842", "--json").stdout) == []


def test_the_api_labels_every_simulated_event(demo_copy: Path) -> None:
    service = open_service(demo_copy)
    keys = make_keys(service)
    try:
        with live_server(service) as url:
            headers = {"Authorization": f"Bearer {keys[Role.VIEWER]}"}
            page = httpx.get(f"{url}/api/v1/maritime/events?limit=500", headers=headers, timeout=60)
            assert page.status_code == 200, page.text
            items = page.json()["items"]
            assert len(items) == page.json()["total"] > 50
            assert all(item["synthetic"] is True for item in items)
    finally:
        service.close()


def test_the_events_table_labels_events_of_made_up_reports(tmp_path: Path) -> None:
    """A report read from a file named synthetic (the rule the API and the brief use) is labelled."""
    store = tmp_path / "wf.db"
    real = tmp_path / "seoul_wire.txt"
    real.write_text(SEOUL, encoding="utf-8")
    made_up = tmp_path / "synthetic_wire.txt"
    made_up.write_text(SEOUL.replace("artillery shells", "rocket launchers"), encoding="utf-8")
    for path in (real, made_up):
        ingested = watchfloor(store, "ingest", "reports", str(path))
        assert ingested.returncode == 0, ingested.stderr
    rows = json.loads(watchfloor(store, "events", "--json").stdout)
    assert {r["synthetic"] for r in rows} == {True, False}
    table = watchfloor(store, "events").stdout
    for row in rows:
        line = next(x for x in table.splitlines() if row["id"].rpartition("-")[2][:8] in x)
        assert ("SYNTHETIC" in line) is row["synthetic"], line


# --- Report metadata read from the text, overridden consistently, undated kept undated. ---------


def _documents(store: Path) -> list[dict[str, object]]:
    listed = watchfloor(store, "documents", "--json")
    assert listed.returncode == 0, listed.stderr
    documents: list[dict[str, object]] = json.loads(listed.stdout)
    return documents


def test_a_reuters_dateline_gives_the_date_source_and_grade(tmp_path: Path) -> None:
    """Was: a plain-text report opening `SEOUL, March 12, 2025 (Reuters) -` is stored with no date
    and grade F; re-ingesting with `--date --source` changes only the source name."""
    store, report = tmp_path / "wf.db", tmp_path / "report.txt"
    report.write_text(SEOUL, encoding="utf-8")
    first = watchfloor(store, "ingest", "reports", str(report))
    assert first.returncode == 0, first.stderr
    (doc,) = _documents(store)
    assert (doc["published"], doc["source"]) == ("2025-03-12", "Reuters")
    assert doc["source_grade"] not in (None, "F")
    again = watchfloor(
        store, "ingest", "reports", str(report), "--date", "2025-03-14", "--source", "Yonhap", "--grade", "C"
    )
    assert again.returncode == 0, again.stderr
    (doc,) = _documents(store)
    assert (doc["published"], doc["source"], doc["source_grade"]) == ("2025-03-14", "Yonhap", "C")


def test_undated_claims_are_not_placed_at_another_reports_date(tmp_path: Path) -> None:
    """Was: undated claims are then placed on the timeline at another report's date."""
    store, dated, undated = tmp_path / "wf.db", tmp_path / "dated.txt", tmp_path / "pasted.txt"
    dated.write_text(SEOUL, encoding="utf-8")
    undated.write_text(
        "North Korea has sent troops to Russia to fight in the Kursk region, officials said.\n",
        encoding="utf-8",
    )
    assert watchfloor(store, "ingest", "reports", str(dated)).returncode == 0
    pasted = watchfloor(store, "ingest", "reports", str(undated))
    assert pasted.returncode == 0 and "undated" in pasted.stderr
    docs = {d["origin"]: d for d in _documents(store)}
    assert docs[str(undated)]["published"] is None
    rows = json.loads(watchfloor(store, "events", "--json").stdout)
    told_by_undated = [r for r in rows if {c["document"] for c in r["claims"]} == {docs[str(undated)]["id"]}]
    assert told_by_undated, "the undated report tells an event"
    for row in told_by_undated:
        assert row["date_start"] is None and row["date_end"] is None, row
        assert all(c["claimed_on"] is None for c in row["claims"])


# --- Screening inputs, as the issue types them: one CSV batch with a `Name` header. -------------


def test_screening_frictions_in_a_csv_batch_with_a_name_header(demo_copy: Path, tmp_path: Path) -> None:
    """Was: `Name` is rejected (headers case-sensitive); Shoigu with 21/05/1955 drops to 0.68;
    "Foreign Trade Bank of the DPRK" and "Ким Чен Ын" are missed; "Lady R" matches LINDA, LADY D
    and LADY RANIA."""
    source, out = tmp_path / "names.csv", tmp_path / "out.csv"
    source.write_text(
        "Ref,Name,DOB\n"
        "1,Sergei Shoigu,21/05/1955\n"
        "2,Foreign Trade Bank of the DPRK,\n"
        "3,Ким Чен Ын,\n"
        "4,Lady R,\n",
        encoding="utf-8",
    )
    result = watchfloor(demo_copy, "screen", "--csv", str(source), "--out", str(out), "--limit", "20")
    assert result.returncode == 0, result.stderr
    by_ref: dict[str, list[dict[str, str]]] = {}
    for row in csv.DictReader(out.open(encoding="utf-8")):
        by_ref.setdefault(row["Ref"], []).append(row)
    shoigu = by_ref["1"][0]
    assert (
        shoigu["id"] == "us_ofac_sdn:35173" and shoigu["match"] == "True" and float(shoigu["score"]) >= 0.99
    )
    assert by_ref["2"][0]["id"] == "us_ofac_sdn:15603" and by_ref["2"][0]["match"] == "True"
    assert by_ref["3"][0]["id"] == "us_ofac_sdn:20157" and by_ref["3"][0]["match"] == "True"
    lady = by_ref["4"]
    assert lady[0]["caption"] == "LADY R" and lady[0]["match"] == "True"
    wrong = [r for r in lady if r["caption"] in ("LINDA", "LADY D", "LADY RANIA") and r["match"] == "True"]
    assert wrong == []
    assert {row["query"] for row in lady} == {"Lady R"}  # read from the `Name` column


# --- CLI basics: the events table has the id `review` takes, readable at 80 columns. -----------


def test_the_events_table_at_80_columns_shows_the_id_review_takes(demo_copy: Path) -> None:
    """Was: the events table has no id, yet `review` needs one; tables unreadable at 80 columns."""
    table = watchfloor(demo_copy, "events", columns=80)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines and max(len(line) for line in lines) <= 80
    ids = [m.group(1) for line in lines if (m := re.match(r"^\s*([0-9a-f]{8})\s", line))]
    events = json.loads(watchfloor(demo_copy, "events", "--json").stdout)
    assert len(ids) == len(events) > 5
    reviewed = watchfloor(
        demo_copy, "review", ids[0], "reject", "--why", "not what the sentence says", "--json"
    )
    assert reviewed.returncode == 0, reviewed.stderr
    after = {e["id"]: e for e in json.loads(watchfloor(demo_copy, "events", "--json").stdout)}
    (full,) = [i for i in after if i.rpartition("-")[2].startswith(ids[0])]
    assert after[full]["status"] == "rejected"
