"""Run every detector over AIS positions, one time partition at a time, and stitch the results.

The positions are cut into time windows (``window_hours``, aligned on the epoch). Each window is
prepared once (:func:`watchfloor.maritime.tracks.prepare`) and yields small *pieces*: transitions
(gaps, jumps), each vessel's first and last position, run pieces (loitering, port visits),
per-bucket vessel positions (encounters) and reception counts. Pieces are stitched into whole
events at the end. Only one window is in memory at a time, so memory does not grow with the
input; :mod:`watchfloor.maritime.distributed` runs the very same window and band functions on
Dask workers, which is why both give identical events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

import polars as pl

from watchfloor.maritime.config import DetectionConfig, load_detection_config
from watchfloor.maritime.encounters import buckets, close_pairs, encounter_events, encounter_pieces
from watchfloor.maritime.gaps import coverage, endpoints, gap_events, stitch_endpoints, transitions
from watchfloor.maritime.identity import jump_events, static_identity_events
from watchfloor.maritime.links import VesselListIndex, attach_links, vessel_identities
from watchfloor.maritime.loitering import loitering_events, loitering_pieces
from watchfloor.maritime.port_visits import port_visit_events, port_visit_pieces
from watchfloor.maritime.ports import Port, load_ports
from watchfloor.maritime.records import EventKind, MaritimeEvent
from watchfloor.sources.ais.schema import POSITION_SCHEMA, STATIC_SCHEMA
from watchfloor.sources.lists.records import ListEntry

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class WindowPieces:
    """What one time window contributes, before stitching."""

    window: int
    positions: int
    transitions: pl.DataFrame
    endpoints: pl.DataFrame
    loitering: pl.DataFrame
    port_visits: pl.DataFrame
    coverage: pl.DataFrame


@dataclass
class DetectionResult:
    """Events found, sorted, with the counts a report needs."""

    events: list[MaritimeEvent]
    positions: int
    windows: int
    counts: dict[str, int] = field(default_factory=dict)

    def by_kind(self, kind: EventKind) -> list[MaritimeEvent]:
        return [e for e in self.events if e.kind is kind]


@dataclass(frozen=True)
class Detectors:
    """Thresholds and ports in force for one run."""

    cfg: DetectionConfig
    ports: list[Port]

    @classmethod
    def load(cls, config_file: Path | None = None, ports_file: Path | None = None) -> Detectors:
        """From the given files, else the settings' files, else the shipped defaults."""
        if config_file is None or ports_file is None:
            from watchfloor.settings import get_settings

            settings = get_settings()
            config_file = config_file or settings.maritime_config_file
            ports_file = ports_file or settings.ports_file
        return cls(load_detection_config(config_file), load_ports(ports_file).ports)


def window_of(ts: datetime, window_hours: int) -> int:
    """Index of the window that holds ``ts``."""
    return int((ts - EPOCH) // timedelta(hours=window_hours))


def window_bounds(index: int, window_hours: int) -> tuple[datetime, datetime]:
    start = EPOCH + timedelta(hours=window_hours * index)
    return start, start + timedelta(hours=window_hours)


def process_window(frame: pl.DataFrame, window: int, det: Detectors) -> tuple[WindowPieces, pl.DataFrame]:
    """Per-vessel pieces of one window, and its encounter buckets (for the pair stage)."""
    from watchfloor.maritime.tracks import prepare

    track = prepare(frame, det.cfg, det.ports)
    pieces = WindowPieces(
        window=window,
        positions=track.height,
        transitions=transitions(track, det.cfg),
        endpoints=endpoints(track),
        loitering=loitering_pieces(track, det.cfg),
        port_visits=port_visit_pieces(track, det.cfg),
        coverage=coverage(track, det.cfg),
    )
    return pieces, buckets(track, det.cfg)


def pair_stage(bk: pl.DataFrame, det: Detectors, band: tuple[float, float] | None = None) -> pl.DataFrame:
    """Encounter run pieces of one window (and, optionally, one longitude band)."""
    return encounter_pieces(close_pairs(bk, det.cfg, band), det.cfg)


StaticPart = tuple[list[MaritimeEvent], dict[int, dict[str, set[str]]]]


def static_part(static: pl.DataFrame | pl.LazyFrame | None, cfg: DetectionConfig) -> StaticPart:
    """The identity events and each vessel's identities from the static rows (what ``finish`` adds)."""
    frame = static if static is not None else pl.DataFrame(schema=STATIC_SCHEMA)
    return static_identity_events(frame, cfg), vessel_identities(frame)


def finish(
    parts: list[WindowPieces],
    pair_parts: list[pl.DataFrame],
    static: pl.DataFrame | pl.LazyFrame | None,
    det: Detectors,
    lists: Iterable[ListEntry] | VesselListIndex | None = None,
    *,
    static_events: StaticPart | None = None,
) -> DetectionResult:
    """Stitch all pieces into events, add identity events and sanctions links, sort.

    ``static_events``: :func:`static_part` of ``static`` computed before (the incremental
    detector keeps it while no static row arrives); the events in it are changed here.
    """
    parts = sorted(parts, key=lambda p: p.window)
    cfg = det.cfg
    inner = [p.transitions for p in parts if p.transitions.height]
    across = stitch_endpoints([p.endpoints for p in parts], cfg)
    trans = pl.concat([*inner, across]) if inner or across.height else across
    cover_parts = [p.coverage for p in parts if p.coverage.height]
    cover = (
        pl.concat(cover_parts)
        if cover_parts
        else pl.DataFrame(
            schema={"cy": pl.Int32, "cx": pl.Int32, "hour": pl.Datetime("us", "UTC"), "vessels": pl.Int32}
        )
    )
    events: list[MaritimeEvent] = []
    events += gap_events(trans, cover, cfg, det.ports)
    events += jump_events(trans, cfg)
    events += loitering_events([p.loitering for p in parts], cfg)
    events += port_visit_events([p.port_visits for p in parts], cfg, det.ports)
    events += encounter_events(pair_parts, cfg)
    identity_events, identities = static_part(static, cfg) if static_events is None else static_events
    events += identity_events
    for event in events:
        mmsis = [*event.mmsis, *(int(m) for m in event.details.get("mmsis", []) if int(m) not in event.mmsis)]
        event.details["vessels"] = {
            str(m): {k: sorted(v) for k, v in identities[m].items()} for m in mmsis if m in identities
        }
    if lists is not None:
        index = lists if isinstance(lists, VesselListIndex) else VesselListIndex.build(lists)
        attach_links(events, identities, index)
    events.sort(key=MaritimeEvent.sort_key)
    counts: dict[str, int] = {}
    for event in events:
        counts[event.kind.value] = counts.get(event.kind.value, 0) + 1
    return DetectionResult(events, sum(p.positions for p in parts), len(parts), counts)


def _time_range(positions: pl.LazyFrame) -> tuple[datetime, datetime] | None:
    row = positions.select(pl.col("ts").min().alias("lo"), pl.col("ts").max().alias("hi")).collect()
    lo, hi = row.item(0, "lo"), row.item(0, "hi")
    return None if lo is None else (lo, hi)


def iter_windows(
    positions: pl.LazyFrame | pl.DataFrame, window_hours: int
) -> Iterator[tuple[int, pl.DataFrame]]:
    """The non-empty windows of a positions source, in time order, one collected at a time."""
    if isinstance(positions, pl.DataFrame):
        if positions.height == 0:
            return
        keyed = positions.with_columns(
            ((pl.col("ts") - EPOCH).dt.total_microseconds() // (window_hours * 3_600_000_000)).alias("_w")
        )
        for (w,), frame in sorted(keyed.partition_by("_w", as_dict=True).items()):
            yield int(w), frame.drop("_w")
        return
    span = _time_range(positions)
    if span is None:
        return
    for w in range(window_of(span[0], window_hours), window_of(span[1], window_hours) + 1):
        lo, hi = window_bounds(w, window_hours)
        frame = positions.filter((pl.col("ts") >= lo) & (pl.col("ts") < hi)).collect()
        if frame.height:
            yield w, frame


def detect(
    positions: pl.LazyFrame | pl.DataFrame,
    static: pl.DataFrame | pl.LazyFrame | None = None,
    lists: Iterable[ListEntry] | VesselListIndex | None = None,
    detectors: Detectors | None = None,
    window_hours: int | None = None,
) -> DetectionResult:
    """All detectors over ``positions`` (POSITION_SCHEMA) in one process, one window at a time."""
    det = detectors or Detectors.load()
    hours = window_hours or det.cfg.window_hours
    if (hours * 60) % det.cfg.encounter.bucket_minutes:
        raise ValueError("window_hours must be a whole number of encounter buckets")
    parts: list[WindowPieces] = []
    pair_parts: list[pl.DataFrame] = []
    for w, frame in iter_windows(_conform(positions), hours):
        pieces, bk = process_window(frame, w, det)
        parts.append(pieces)
        pair_parts.append(pair_stage(bk, det))
    return finish(parts, pair_parts, static, det, lists)


class PositionSource(Protocol):
    """Stored positions, read one window at a time (:class:`watchfloor.store.ais.AisStore`).

    Detection takes the source as an argument, so the analyser never imports the store.
    """

    def windows(self, window_hours: int) -> list[int]:
        """The windows that hold positions."""
        ...

    def window(self, window: int, window_hours: int) -> pl.DataFrame:
        """One window's positions (``TRACK_COLUMNS``)."""
        ...

    def static(self) -> pl.LazyFrame:
        """All static/voyage rows (``STATIC_SCHEMA``)."""
        ...


def detect_store(
    source: PositionSource,
    lists: Iterable[ListEntry] | VesselListIndex | None = None,
    detectors: Detectors | None = None,
    window_hours: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DetectionResult:
    """All detectors over stored positions, streaming one window at a time (bounded memory)."""
    det = detectors or Detectors.load()
    hours = window_hours or det.cfg.window_hours
    parts: list[WindowPieces] = []
    pair_parts: list[pl.DataFrame] = []
    windows = source.windows(hours)
    for i, w in enumerate(windows):
        frame = source.window(w, hours)
        if frame.height:
            pieces, bk = process_window(frame, w, det)
            del frame
            parts.append(pieces)
            pair_parts.append(pair_stage(bk, det))
        if progress is not None:
            progress(i + 1, len(windows))
    return finish(parts, pair_parts, source.static(), det, lists)


def _conform(positions: pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame | pl.DataFrame:
    """Check that the positions carry the columns of POSITION_SCHEMA that detection needs."""
    names = positions.collect_schema().names()
    missing = [c for c in ("mmsi", "ts", "lat", "lon", "sog", "src_file", "src_line") if c not in names]
    if missing:
        from watchfloor.errors import InputError

        raise InputError("positions", f"missing columns {missing}; expected {list(POSITION_SCHEMA)}")
    return positions
