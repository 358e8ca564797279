"""The assess commands for people (rich text) and the demo step, on the real founding report."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from tests.assess.pipeline_support import founding, ingest
from watchfloor.cli.app import app
from watchfloor.cli.demo import assessment_step
from watchfloor.settings import get_settings
from watchfloor.store import open_store


@pytest.fixture(scope="module")
def founding_path(tmp_path_factory: pytest.TempPathFactory, founding_report: Path) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store.db"
    store = open_store(f"sqlite:///{path}")
    ingest(store, [founding(founding_report)])
    store.close()
    return path


def _run(path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.setenv("WATCHFLOOR_DATABASE_URL", f"sqlite:///{path}")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, list(args))
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    return result.stdout


def test_assess_for_people_names_the_stage_and_the_next_step(
    founding_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _run(founding_path, monkeypatch, "assess", "--no-alerts")
    assert "Stage 1: Diplomatic protest and designations" in out
    assert "to reach stage-2" in out
    assert "degree of cooperation" in out


def test_bad_as_of_is_refused_naming_the_option(founding_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHFLOOR_DATABASE_URL", f"sqlite:///{founding_path}")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["assess", "--as-of", "29/10/2024"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code != 0
    assert "--as-of" in str(result.exception)


def test_demo_step_assesses_and_writes_the_brief(tmp_path: Path, founding_report: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'demo.db'}")
    ingest(store, [founding(founding_report)])
    buffer = io.StringIO()
    summary = assessment_step(store, Console(file=buffer, width=120))
    store.close()
    assert summary["stage"] == 1
    assert summary["indicators"]["munitions_kp_to_ru"] == "reported"
    assert summary["indicators"]["tech_ru_to_kp"] == "speculative"
    assert Path(summary["brief"]).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert summary["footnotes"] > 0
    assert "stage 1" in buffer.getvalue()


def test_an_empty_store_is_not_a_confident_stage_0(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "empty.db"
    open_store(f"sqlite:///{path}").close()
    out = _run(path, monkeypatch, "assess", "--no-alerts", "--no-resolve")
    assert "NO EVIDENCE" in out and "Stage 0: Monitoring" not in out
    brief = tmp_path / "brief.html"
    _run(path, monkeypatch, "brief", "--out", str(brief), "--no-resolve")
    assert "No evidence: nothing is assessed" in brief.read_text(encoding="utf-8")
