"""The demo store the browser tests run on, built by the real pipeline (as ``watchfloor demo`` does).

Lists: the OFAC subset of the graph tests (ANGARA, LADY R, ...). Reports: the founding AP report
and the assessment tests' corroborating reports, read and extracted for real. AIS: the SYNTHETIC
scenario written as CSV, ingested into the Parquet store, detected and linked to the lists.
"""

from __future__ import annotations

from pathlib import Path

from tests.assess.pipeline_support import founding, ingest, read_fixture_reports
from watchfloor.maritime.detect import Detectors, detect_store
from watchfloor.maritime.links import VesselListIndex
from watchfloor.maritime.parquet_store import ingest_file
from watchfloor.maritime.scenario import generate
from watchfloor.store import open_store
from watchfloor.store.lists import active_entries, load_paths
from watchfloor.store.maritime import save_events

LIST_SUBSET = Path(__file__).resolve().parents[1] / "graph" / "fixtures" / "sdn_subset.csv"


def build_demo_store(db_path: Path, data_dir: Path, founding_report: Path, extra_reports: list[Path]) -> int:
    """Fill a fresh SQLite store and AIS data folder; returns the number of maritime events stored."""
    store = open_store(f"sqlite:///{db_path}")
    try:
        load_paths(store, [LIST_SUBSET])
        from watchfloor.sources.reports import read_many

        more = list(read_many(extra_reports).reports) if extra_reports else []
        ingest(store, [founding(founding_report), *read_fixture_reports(), *more])
        csv_path, _ = generate().write(data_dir.parent / "scenario")
        ingest_file(csv_path, data_dir)
        with store.session() as session:
            index = VesselListIndex.build(active_entries(session))
        result = detect_store(data_dir, lists=index, detectors=Detectors.load())
        save_events(store, result.events)
        return len(result.events)
    finally:
        store.close()
