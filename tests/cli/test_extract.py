"""``watchfloor extract``, ``ingest reports`` and ``events`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.cli.runner import run_in

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[1] / "extract" / "fixtures"


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_in(cwd, *args)


def test_extract_json_on_the_founding_report(tmp_path: Path, founding_report: Path) -> None:
    result = run(tmp_path, "extract", str(founding_report), "--json")
    assert result.returncode == 0, result.stderr
    [document] = json.loads(result.stdout)
    assert document["source"] == "Associated Press" and document["published"] == "2024-10-29"
    types = {e["type"] for e in document["events"]}
    assert {
        "troop_deployment",
        "arms_transfer",
        "technology_transfer",
        "sanctions_evasion",
        "military_cooperation",
        "countermeasure",
        "denial",
    } <= types
    deployment = next(e for e in document["events"] if e["type"] == "troop_deployment")
    assert deployment["summary"] == "troop_deployment kp -> ru @ the Kursk border region"
    assert deployment["claims"][0]["claim_date"]["start"] == "2024-10-28"
    span = deployment["spans"][0]
    assert span["start"] == 275
    assert document["text"][span["start"] : span["end"]] == span["quote"]


def test_ingest_goes_on_past_bad_files_and_is_idempotent(tmp_path: Path, founding_report: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)))
    nomain = tmp_path / "nomain.html"
    nomain.write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("date 2024-02-31 Pyongyang sent troops.", encoding="utf-8")
    args = [str(p) for p in (empty, founding_report, junk, nomain, FIXTURES / "feed_2024-11.rss", wrong)]
    first = run(tmp_path, "ingest", "reports", *args, "--json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert summary["stored"] == 3 and summary["already_stored"] == 0
    errors = first.stderr.strip().splitlines()
    assert len(errors) == 6, errors  # four bad files and two bad feed items, one line each
    assert any("empty.txt: empty file" in line for line in errors)
    assert any("junk.txt" in line and "binary" in line for line in errors)
    assert any("nomain.html, body: HTML page has no main text" in line for line in errors)
    assert any("wrong.txt, line 1: invalid date '2024-02-31'" in line for line in errors)
    assert any("feed_2024-11.rss, item 3" in line for line in errors)
    again = run(tmp_path, "ingest", "reports", *args, "--json")
    assert json.loads(again.stdout)["stored"] == 0 and json.loads(again.stdout)["already_stored"] == 3
    listed = run(tmp_path, "events", "--type", "arms_transfer", "--json")
    rows = json.loads(listed.stdout)
    assert len(rows) == 2 and all(r["type"] == "arms_transfer" for r in rows)
    shells = next(
        r for r in rows if r["object"] == "millions of artillery shells and other military equipment"
    )
    assert len(shells["claims"]) == 2  # the AP report and the Yonhap feed item tell the same transfer
    table = run(tmp_path, "events", "--since", "2024-11-01")
    assert table.returncode == 0 and "events" in table.stdout


def test_demo_step_prints_the_founding_events(tmp_path: Path) -> None:
    from rich.console import Console

    from watchfloor.cli.demo import reports_step
    from watchfloor.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'demo.db'}")
    console = Console(record=True, width=200)
    result = reports_step(store, console)
    assert result["stored"] and result["events"] >= 7
    assert "troop_deployment" in console.export_text()
    assert reports_step(store, Console(record=True))["stored"] is False
    store.close()


def test_reingest_with_date_source_and_grade_updates_the_document(
    tmp_path: Path, founding_report: Path
) -> None:
    """Issue 17: a pasted report stored undated and ungraded, then ingested again with metadata."""
    pasted = tmp_path / "pasted.txt"
    pasted.write_text(founding_report.read_text(encoding="utf-8").split(" ", 2)[2], encoding="utf-8")
    first = run(tmp_path, "ingest", "reports", str(pasted))
    assert first.returncode == 0, first.stderr
    assert "undated" in first.stderr and "ungraded" in first.stderr
    again = run(
        tmp_path, "ingest", "reports", str(pasted), "--date", "2024-10-29", "--source", "Associated Press",
        "--grade", "c", "--json",
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["already_stored"] == 1
    import sqlite3

    with sqlite3.connect(tmp_path / "wf.db") as db:
        rows = db.execute("select published, source, source_grade from documents").fetchall()
        grades = {g for (g,) in db.execute("select distinct reliability from claims")}
    assert rows == [("2024-10-29", "Associated Press", "C")] and grades == {"C"}
    bad = run(tmp_path, "ingest", "reports", str(pasted), "--grade", "Z")
    assert bad.returncode != 0 and "A-F" in bad.stderr
