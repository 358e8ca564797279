"""Incremental detection gives exactly the events of a full pass, reading only the changed windows.

The reference is :func:`watchfloor.maritime.detect.detect_store` over the same Parquet store after
each addition. Checked on the real DMA and NOAA files (ingested one after another, and a NOAA
file split in two so the second half lands in a window already detected) and on the maritime
SYNTHETIC scenario fed day by day (and half-days) as stream parts, with list links.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path
from typing import Any

import polars as pl

from watchfloor.maritime.detect import DetectionResult, Detectors, detect_store, window_of
from watchfloor.maritime.incremental import IncrementalDetector
from watchfloor.sources.ais.batch import AisBatch
from watchfloor.sources.ais.report import ReadReport
from watchfloor.sources.lists.formats import read_list
from watchfloor.store.ais import AisStore, ingest_file
from watchfloor.watch.stream import append_batch, write_session_manifest

LIST_SUBSET = Path(__file__).resolve().parents[1] / "graph" / "fixtures" / "sdn_subset.csv"


def _plain(result: DetectionResult) -> dict[str, Any]:
    return {
        "events": [e.to_dict() for e in result.events],
        "counts": result.counts,
        "positions": result.positions,  # (not the window count: the incremental windows are hours)
    }


def _same_as_full(detector: IncrementalDetector, data_dir: Path, lists: Any = None) -> DetectionResult:
    run = detector.update(lists)
    full = detect_store(AisStore(data_dir), lists=lists, detectors=detector.detectors)
    assert _plain(run.result) == _plain(full)
    return run.result


def test_real_files_one_after_another(tmp_path: Path, shared_data: Path, detectors: Detectors) -> None:
    data = tmp_path / "data"
    ais = shared_data / "ais"
    detector = IncrementalDetector(AisStore(data), detectors)
    assert detector.update().result.events == [] and not detector.changed()

    ingest_file(ais / "dma_aisabnormal_drift_538004030_2014-09-28.nmea.gz", data)
    assert detector.changed()
    assert _same_as_full(detector, data).positions > 0
    windows = detector.update().counts()
    assert windows["windows_recomputed"] == 0 and windows["windows_reused"] >= 1  # nothing new: nothing read

    ingest_file(ais / "dma_aisabnormal_drift_212123000_2014-10-02.nmea.gz", data)
    before = len(detector.fingerprints())
    run = detector.update()
    assert 0 < len(run.recomputed) < before, "only the new file's windows are read"
    assert _plain(run.result) == _plain(detect_store(AisStore(data), detectors=detectors))

    # One NOAA file in two halves: the second half lands in windows already detected.
    with gzip.open(ais / "noaa_marinecadastre_2022-01-03_first99999.csv.gz", "rt", encoding="utf-8") as f:
        header, *rows = f.readlines()
    half = len(rows) // 2
    for number, chunk in enumerate((rows[:half], rows[half:])):
        part = tmp_path / f"noaa_part{number}.csv"
        part.write_text(header + "".join(chunk), encoding="utf-8")
        ingest_file(part, data)
        run = detector.update()
        assert run.recomputed, "a changed window is read again"
        assert _plain(run.result) == _plain(detect_store(AisStore(data), detectors=detectors))
    assert {e.kind.value for e in run.result.events} >= {"gap", "loitering"}


def _stream_part(data: Path, batch: AisBatch, name: str) -> None:
    """Store ``batch`` the way a live stream session does (manifest, then parts)."""
    sha = hashlib.sha256(name.encode()).hexdigest()
    write_session_manifest(data, sha, f"tcp://test/{name}", ReadReport(name), 1)
    append_batch(data, batch, f"{sha[:16]}-00000")


def test_the_scenario_day_by_day_with_list_links(tmp_path: Path, detectors: Detectors) -> None:
    from watchfloor.maritime.scenario import STORY_VESSELS, generate
    from watchfloor.sources.lists.records import (
        EntryName,
        Identifier,
        IdScheme,
        ListEntry,
        ListSource,
        Schema,
    )

    scenario = generate(days=4, background=10)
    # The scenario's ships are invented and on no real list: one invented entry on the IMO of the ship
    # that meets at sea gives the links to follow.
    meets = STORY_VESSELS["meets_at_sea"]
    caption = "TEST ENTRY MEETS"
    invented = ListEntry(
        ListSource.US_OFAC_SDN, "900002", Schema.VESSEL, caption, names=[EntryName(caption)],
        identifiers=[Identifier(IdScheme.IMO, str(meets.imo))],
    )  # fmt: skip
    entries = [*read_list([LIST_SUBSET]), invented]
    data = tmp_path / "data"
    detector = IncrementalDetector(AisStore(data), detectors)
    positions = scenario.positions.sort("ts")
    days = positions["ts"].dt.date().unique().sort().to_list()
    static_done = False
    for day in days:
        of_day = positions.filter(pl.col("ts").dt.date() == day)
        half = of_day.height // 2
        for number, chunk in enumerate((of_day[:half], of_day[half:])):
            static = scenario.static if not static_done else scenario.static.clear()
            static_done = True
            _stream_part(data, AisBatch(chunk, static), f"{day}-{number}")
            run = detector.update(entries)
            hours = {window_of(t, 1) for t in (chunk["ts"].min(), chunk["ts"].max())}
            assert min(hours) <= min(run.recomputed) and max(run.recomputed) <= max(hours)
            assert run.reused or (day, number) == (days[0], 0), "the hours before are not read again"
            full = detect_store(AisStore(data), lists=entries, detectors=detectors)
            assert _plain(run.result) == _plain(full)
    kinds = {e.kind.value for e in run.result.events}
    assert {"encounter", "port_visit"} <= kinds
    assert any(link.strong for e in run.result.events for link in e.links), "list links attached"
