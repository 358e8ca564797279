"""Support for the acceptance tests: the REAL pipeline (read -> extract -> store) on real text.

Reports are read by :mod:`watchfloor.sources.reports`, extracted by :mod:`watchfloor.extract`
and stored by :mod:`watchfloor.store.extractions`, exactly as ``watchfloor ingest reports`` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from watchfloor.extract.reports import extract_reports
from watchfloor.sources.reports import Report, read_many, read_seed_report
from watchfloor.store import Store
from watchfloor.store.extractions import save_extraction

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORROBORATING = FIXTURES / "corroborating_reports.jsonl"


def founding(path: Path) -> Report:
    return read_seed_report(path, source="Associated Press")


def read_fixture_reports(path: Path = CORROBORATING) -> list[Report]:
    outcome = read_many([path])
    assert not outcome.errors, outcome.errors
    return list(outcome.reports)


def ingest(store: Store, reports: list[Report]) -> int:
    """Extract and store ``reports``; the number of claims stored."""
    claims = 0
    with store.session() as session:
        for report, extraction in zip(reports, extract_reports(reports), strict=True):
            claims += save_extraction(session, report, extraction).claims
    return claims


def detect_scenario_events(list_path: Path) -> list[Any]:
    """The maritime helper's SYNTHETIC scenario (invented ships around Rajin, Dunai and Vostochny),
    run through the real detectors with links to the given list file (none links: all invented)."""
    from watchfloor.maritime.detect import detect
    from watchfloor.maritime.scenario import generate
    from watchfloor.sources.lists.formats import read_list

    scenario = generate()
    entries = list(read_list([list_path]))
    return list(detect(scenario.positions, scenario.static, entries).events)


def store_maritime(store: Store, events: list[Any]) -> int:
    """Store detected maritime events with the maritime helper's writer (``store/maritime.py``)."""
    from watchfloor.store.maritime import save_events

    return save_events(store, events)
