"""AIS over a store: ingest files into the Parquet store, detect events, link them to the lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from watchfloor.errors import InputError
from watchfloor.maritime.detect import DetectionResult, Detectors, detect_store
from watchfloor.maritime.distributed import connect, detect_distributed
from watchfloor.maritime.links import VesselListIndex
from watchfloor.maritime.profile import VesselProfile, build_profile, parse_vessel_key, vessel_mmsis
from watchfloor.maritime.records import EventKind, MaritimeEvent
from watchfloor.sources.ais.files import DEFAULT_CHUNK_BYTES
from watchfloor.sources.ais.reader import AIS_SUFFIXES
from watchfloor.sources.ais.report import ReadReport
from watchfloor.store import Store
from watchfloor.store.ais import AisStore, IngestResult, ingest_file
from watchfloor.store.lists import active_entries
from watchfloor.store.maritime import load_events, save_events

Advance = Callable[[int, int], None]


def list_index(store: Store) -> VesselListIndex:
    """Exact vessel lookups over every active list entry in the store."""
    with store.session() as session:
        return VesselListIndex.build(active_entries(session))


def expand_ais_paths(paths: Sequence[Path]) -> list[Path]:
    """Files as given, and the AIS files (by suffix) inside folders, in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in AIS_SUFFIXES)
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(path, "no such file or folder")
    return files


def ingest_ais(
    path: Path,
    data_dir: Path,
    *,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    progress: Callable[[ReadReport], None] | None = None,
) -> IngestResult:
    """Read one AIS file into the day-partitioned Parquet store (same bytes again: skipped)."""
    return ingest_file(path, data_dir, chunk_bytes=chunk_bytes, progress=progress)


def run_detection(
    store: Store,
    data_dir: Path,
    dask: str | None = None,
    workers: int = 0,
    progress: Advance | None = None,
) -> DetectionResult:
    """Detect over the Parquet store (one process, or Dask), link to the lists, save the events."""
    detectors = Detectors.load()
    index = list_index(store)
    if dask is not None or workers:
        # lazy: importing dask.distributed costs about 2 s, paid only when detection runs on Dask

        client = connect(dask, workers or 2)
        try:
            result = detect_distributed(client, source=AisStore(data_dir), lists=index, detectors=detectors)
        finally:
            client.close()
    else:
        result = detect_store(AisStore(data_dir), lists=index, detectors=detectors, progress=progress)
    save_events(store, result.events)
    return result


def maritime_events(
    store: Store, kind: EventKind | None = None, vessel: str | None = None, *, listed_only: bool = False
) -> list[MaritimeEvent]:
    """Stored maritime events, filtered by kind, vessel (IMO or MMSI) and list links."""
    return load_events(store, kind, vessel, listed_only=listed_only)


def vessel_profile(store: Store, vessel: str) -> VesselProfile:
    """The risk profile of one vessel (IMO or MMSI) from the maritime events stored for it, following
    its identity across the MMSIs that broadcast the same IMO, and from its list entries (a listed
    ship with no AIS on record still gets its names, entries and reasons)."""
    kind, number = parse_vessel_key(vessel)
    events = {e.id: e for e in load_events(store, vessel=vessel)}
    for _ in range(2):  # the MMSIs and IMOs found lead to the rest of the ship's events
        keys = {str(m) for m in vessel_mmsis(list(events.values()), kind, number)}
        keys |= {
            imo
            for e in events.values()
            for info in e.details.get("vessels", {}).values()
            for imo in info.get("imo", [])
        }
        before = len(events)
        for key in sorted(keys):
            if len("".join(ch for ch in key if ch.isdigit())) in (7, 9):
                events.update((e.id, e) for e in load_events(store, vessel=key))
        if len(events) == before:
            break
    ordered = sorted(events.values(), key=lambda e: (e.start, e.id))
    return build_profile(vessel, ordered, Detectors.load().ports, lists=list_index(store))
