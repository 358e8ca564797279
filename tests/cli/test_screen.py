"""``watchfloor screen``: the issue's examples end to end, JSON shape, batch CSV, store-backed index."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from watchfloor.cli.app import app

KIM_JONG_UN = "us_ofac_sdn:20157"


@pytest.fixture(autouse=True)
def _private_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Index caches go to a temporary data folder, not the working tree."""
    from watchfloor.settings import get_settings

    monkeypatch.setenv("WATCHFLOOR_DATA_DIR", str(tmp_path_factory.getbasetemp() / "screen-data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _lists(shared_data: Path) -> list[str]:
    base = shared_data / "sanctions"
    args: list[str] = []
    for path in (
        base / "un" / "UN_consolidated_2026-02-27.xml",
        base / "ofac" / "sdn_2024-05-03.csv",
        base / "ofac" / "alt_2026-06.csv",
        base / "ofac" / "add_2026-06.csv",
        base / "uk" / "uk_sanctions_list_derived_subjects.csv.gz",
    ):
        args += ["--list", str(path)]
    return args


def _screen(shared_data: Path, *args: str) -> dict[str, object]:
    result = CliRunner().invoke(app, ["screen", *args, *_lists(shared_data), "--json"])
    assert result.exit_code == 0, (result.output, result.exception)
    payload: dict[str, object] = json.loads(result.stdout)
    return payload


def test_hangul_name_as_a_user_runs_it(shared_data: Path) -> None:
    """The real entry point in a subprocess: 김정은 returns OFAC's KIM, Jong Un first (OFAC files
    only, to keep it quick; the full index is screened in-process below)."""
    ofac = shared_data / "sanctions" / "ofac"
    files = ["sdn_2024-05-03.csv", "alt_2026-06.csv", "add_2026-06.csv"]
    lists = [arg for name in files for arg in ("--list", str(ofac / name))]
    done = subprocess.run(
        [sys.executable, "-m", "watchfloor.cli.app", "screen", "김정은", "--json", *lists],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    first = payload["results"][0]
    assert first["id"] == KIM_JONG_UN
    assert first["match"] is True
    assert first["caption"] == "KIM, Jong Un"
    for key in ("schema", "score", "lists", "programmes", "listed_on", "explanation"):
        assert key in first
    assert first["lists"] == ["us_ofac_sdn"]
    assert "DPRK3" in first["programmes"]
    assert first["explanation"]["algorithm"] == "watchfloor-name-v1"
    assert first["explanation"]["name"]["list_name"] == "KIM, Jong Un"


@pytest.mark.slow
def test_issue_examples(shared_data: Path) -> None:
    for name in ("김정은", "Kim Chong-un"):
        payload = _screen(shared_data, name)
        results = payload["results"]
        assert isinstance(results, list)
        assert results[0]["id"] == KIM_JONG_UN and results[0]["match"], name

    payload = _screen(shared_data, "Kim Jong Nam", "--dob", "1971-05-10", "--limit", "50")
    results = payload["results"]
    assert isinstance(results, list)
    assert not [r for r in results if r["id"] == KIM_JONG_UN and r["match"]]

    payload = _screen(shared_data, "--imo", "9179842")
    results = payload["results"]
    assert isinstance(results, list)
    assert results[0]["caption"] == "ANGARA" and results[0]["match"]
    assert results[0]["schema"] == "Vessel"

    payload = _screen(shared_data, "--imo", "9179843")
    checks = payload["identifier_checks"]
    assert isinstance(checks, list)
    assert checks[0]["valid"] is False and "check digit" in checks[0]["reason"]


def test_invalid_imo_is_shown_to_people(shared_data: Path) -> None:
    result = CliRunner().invoke(app, ["screen", "--imo", "9179843", *_lists(shared_data)])
    assert result.exit_code == 0
    assert "INVALID" in result.stdout
    assert "check digit" in result.stdout


@pytest.mark.slow
def test_csv_batch(shared_data: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "name,schema,dob,country,imo\n"
        "김정은,,,,\n"
        "Ingeborg Abrahamsen,Person,1972-11-21,France,\n"
        ",Vessel,,,9179842\n"
        "Someone,Spaceship,,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        app, ["screen", "--csv", str(source), "--out", str(out), *_lists(shared_data)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    by_row: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_row.setdefault(row["row"], []).append(row)
    assert by_row["2"][0]["id"] == KIM_JONG_UN and by_row["2"][0]["match"] == "True"
    assert all(r["match"] != "True" for r in by_row["3"])
    assert by_row["4"][0]["caption"] == "ANGARA"
    assert "unknown schema" in by_row["5"][0]["explanation"]


def test_csv_without_a_name_column_is_refused(shared_data: Path, tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("who,when\nx,y\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["screen", "--csv", str(source), "--out", str(tmp_path / "o.csv"), *_lists(shared_data)]
    )
    assert result.exit_code != 0
    assert "name" in str(result.exception)


@pytest.mark.slow
def test_screen_against_the_lists_loaded_in_the_store(shared_data: Path, tmp_path: Path) -> None:
    env = {**os.environ, "WATCHFLOOR_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "watchfloor.cli.app", *args],
            capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path,
        )  # fmt: skip

    empty = run("screen", "Choi Chun-sik")
    assert empty.returncode == 1 and "no sanctions lists are loaded" in empty.stderr
    loaded = run("lists", "load", str(shared_data / "sanctions" / "un" / "UN_consolidated_2026-02-27.xml"))
    assert loaded.returncode == 0, loaded.stderr
    done = run("screen", "Choi Chun-sik", "--json")
    assert done.returncode == 0, done.stderr
    first = json.loads(done.stdout)["results"][0]
    assert first["id"].startswith("un_sc:KPi.")
    assert first["caption"] == "CHOE CHUN-SIK" and first["match"]


def test_demo_step_screens_the_issue_examples_from_the_store(shared_data: Path, tmp_path: Path) -> None:
    import io

    from rich.console import Console

    from watchfloor.cli.demo import DEMO_QUERIES, screen_step
    from watchfloor.store import open_store
    from watchfloor.store.lists import load_paths

    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    load_paths(store, [shared_data / "sanctions" / "un" / "UN_consolidated_2026-02-27.xml"])
    printed = io.StringIO()
    summary = screen_step(store, Console(file=printed, width=200))
    assert summary["index_entries"] == 1003
    assert len(summary["queries"]) == len(DEMO_QUERIES)
    by_label = {q["label"]: q for q in summary["queries"]}
    assert by_label["IMO with a wrong check digit"]["invalid_identifiers"]
    assert by_label["Cyrillic"]["top"] is None or not by_label["Cyrillic"]["top"]["match"]
    assert "screen" in printed.getvalue()


def test_csv_batch_frictions_of_issue_17(shared_data: Path, tmp_path: Path) -> None:
    """Headers in any case, a written date of birth, a customer's own column passed through,
    a bad date refused on its row only, and the lists used recorded on every row."""
    source = tmp_path / "in.csv"
    source.write_text(
        "Customer_Ref,NAME,DOB,Country\n"
        "C-1,Sergei Shoigu,21/05/1955,\n"
        "C-2,Sergei Shoigu,03/04/1955,\n"
        "C-3,Foreign Trade Bank of the DPRK,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        app, ["screen", "--csv", str(source), "--out", str(out), *_lists(shared_data)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    by_ref: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_ref.setdefault(row["Customer_Ref"], []).append(row)
    shoigu = by_ref["C-1"]
    assert shoigu[0]["id"] == "us_ofac_sdn:35173" and shoigu[0]["match"] == "True"
    assert float(shoigu[0]["score"]) >= 0.99
    assert "birth_date agree" in shoigu[0]["explanation"]
    assert by_ref["C-2"][0]["id"] == "" and "ambiguous" in by_ref["C-2"][0]["explanation"]
    assert by_ref["C-3"][0]["id"] == "us_ofac_sdn:15603"
    assert all("UN_consolidated_2026-02-27.xml#sha256:" in r["lists_used"] for r in rows)
    assert all(r["algorithm"] == "watchfloor-name-v1" for r in rows if r["id"])
    assert not (tmp_path / "out.csv.partial").exists()


def test_dob_option_reads_written_dates_and_refuses_ambiguous_ones(shared_data: Path) -> None:
    payload = _screen(shared_data, "Sergei Shoigu", "--dob", "21/05/1955")
    results = payload["results"]
    assert isinstance(results, list)
    assert results[0]["id"] == "us_ofac_sdn:35173" and results[0]["score"] >= 0.99
    args = ["screen", "Sergei Shoigu", "--dob", "03/04/1955", *_lists(shared_data)]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code != 0
    assert "ambiguous" in str(refused.exception)


def test_algorithm_option_selects_v2_and_refuses_unknown_names(shared_data: Path) -> None:
    payload = _screen(shared_data, "Ким Чен Ын", "--algorithm", "watchfloor-name-v2")
    assert payload["algorithm"] == "watchfloor-name-v2"
    results = payload["results"]
    assert isinstance(results, list)
    first = results[0]
    assert first["id"] == KIM_JONG_UN and first["match"]
    features = {f["feature"]: f for f in first["explanation"]["features"]}
    assert features["name_match"]["weight"] == 1.0
    assert payload["threshold"] == first["explanation"]["threshold"]
    refused = CliRunner().invoke(app, ["screen", "Kim", "--algorithm", "name-v9", *_lists(shared_data)])
    assert refused.exit_code != 0 and "unknown scoring algorithm" in str(refused.exception)
