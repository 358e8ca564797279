"""Dask run == single-process run, with a longitude band edge cut through the planted encounter."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from watchfloor.maritime.detect import DetectionResult, Detectors
from watchfloor.maritime.distributed import band_edges, detect_distributed, local_client
from watchfloor.maritime.records import EventKind
from watchfloor.maritime.scenario import Scenario
from watchfloor.store.ais import AisStore, ingest_file


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    dask_client = local_client(workers=2, processes=False)
    yield dask_client
    dask_client.close()


def test_band_edges_cover_everything() -> None:
    edges = band_edges(3, 129.0, 135.0)
    assert [round(hi, 6) for _, hi in edges[:-1]] == [131.0, 133.0]
    assert edges[0][0] < -180 and edges[-1][1] > 180


def test_dask_on_two_workers_matches_single_process(
    client: Any, scenario: Scenario, detected: DetectionResult, detectors: Detectors, ofac_entries: list
) -> None:
    encounter = detected.by_kind(EventKind.ENCOUNTER)[0]
    # Two bands whose edge runs through the encounter, so its two ships sit on both sides.
    lon_range = (encounter.lon - 1.0, encounter.lon + 1.0)
    assert band_edges(2, *lon_range)[0][1] == pytest.approx(encounter.lon)
    result = detect_distributed(
        client,
        positions=scenario.positions,
        static=scenario.static,
        lists=ofac_entries,
        detectors=detectors,
        bands=2,
        lon_range=lon_range,
        window_hours=6,
    )
    assert result.windows > detected.windows
    assert [e.to_dict() for e in result.events] == [e.to_dict() for e in detected.events]


def test_dask_workers_read_the_parquet_store(
    client: Any, scenario: Scenario, detectors: Detectors, tmp_path: Path
) -> None:
    from watchfloor.maritime.detect import detect_store

    csv_path, _ = scenario.write(tmp_path / "sim")
    ingest_file(csv_path, tmp_path / "data")
    single = detect_store(AisStore(tmp_path / "data"), detectors=detectors)
    spread = detect_distributed(
        client, source=AisStore(tmp_path / "data"), detectors=detectors, bands=4, lon_range=(129, 140)
    )
    assert [e.to_dict() for e in spread.events] == [e.to_dict() for e in single.events]
    assert spread.counts == single.counts and spread.counts["encounter"] == 1
