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

from watchfloor.errors import InputError
from watchfloor.maritime.config import DetectionConfig, load_detection_config
from watchfloor.maritime.encounters import buckets, close_pairs, encounter_events, encounter_pieces
from watchfloor.maritime.gaps import coverage, endpoints, gap_events, stitch_endpoints, transitions
from watchfloor.maritime.identity import jump_events, static_identity_events
from watchfloor.maritime.links import VesselListIndex, attach_links, vessel_identities
from watchfloor.maritime.loitering import loitering_events, loitering_pieces
from watchfloor.maritime.port_visits import port_visit_events, port_visit_pieces
from watchfloor.maritime.ports import Port, load_ports, port_d2
from watchfloor.maritime.records import EventKind, MaritimeEvent, PositionRef
from watchfloor.maritime.shore import on_land
from watchfloor.maritime.tracks import prepare
from watchfloor.settings import get_settings
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
    set_aside: dict[str, int] = field(default_factory=dict)
    """Positions flagged, by cause (``on_land``); kept out of detection when the config says so."""
    set_aside_refs: list[PositionRef] = field(default_factory=list)
    """The first few of them per cause, to look them up."""


SET_ASIDE_REFS = 20
"""How many set-aside positions per cause a result cites."""


@dataclass
class DetectionResult:
    """Events found, sorted, with the counts a report needs."""

    events: list[MaritimeEvent]
    positions: int
    windows: int
    counts: dict[str, int] = field(default_factory=dict)
    set_aside: dict[str, int] = field(default_factory=dict)
    """Positions flagged by cause: ``on_land`` (well inside land by the 1 km mask, away from every
    watched port: a spoofed or broken fix, or a ship on a river the mask lacks). They are kept out of
    detection only where ``land.set_aside`` is true (``land_set_aside``)."""
    set_aside_refs: list[PositionRef] = field(default_factory=list)
    land_set_aside: bool = False

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

    kept, aside = split_on_land(frame, det.ports)
    if det.cfg.land.set_aside:
        frame = kept
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
    if aside.height:
        pieces.set_aside = {"on_land": aside.height}
        pieces.set_aside_refs = [
            PositionRef(r["mmsi"], r["ts"], r["lat"], r["lon"], str(r["src_file"]), r["src_line"], "on_land")
            for r in aside.sort(["ts", "mmsi"]).head(SET_ASIDE_REFS).iter_rows(named=True)
        ]
    return pieces, buckets(track, det.cfg)


def split_on_land(frame: pl.DataFrame, ports: list[Port]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(positions kept, positions on land). On land: a whole land-grid cell inside land
    (:func:`watchfloor.maritime.shore.on_land`) and more than a kilometre beyond every watched port's
    circle, so that a river port the 1 km mask reads as land keeps its calls."""

    if frame.height == 0:
        return frame, frame
    land = on_land(frame["lat"].to_numpy(), frame["lon"].to_numpy())
    if not land.any():
        return frame, frame.clear()
    mask = pl.Series("_land", land)
    lat, lon = pl.col("lat"), pl.col("lon")
    near = [port_d2(p, lat, lon) <= (p.radius_km + 1.0) ** 2 for p in ports]
    keep_expr = ~pl.col("_land") | (pl.any_horizontal(near) if near else pl.lit(False))
    keyed = frame.with_columns(mask).with_columns(keep_expr.alias("_keep"))
    kept = keyed.filter(pl.col("_keep")).drop("_land", "_keep")
    aside = keyed.filter(~pl.col("_keep")).drop("_land", "_keep")
    return kept, aside


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
    set_aside: dict[str, int] = {}
    refs: dict[str, list[PositionRef]] = {}
    for p in parts:
        for cause, n in p.set_aside.items():
            set_aside[cause] = set_aside.get(cause, 0) + n
        for ref in p.set_aside_refs:
            refs.setdefault(ref.role, []).append(ref)
    cited = [
        r for group in refs.values() for r in sorted(group, key=lambda r: (r.ts, r.mmsi))[:SET_ASIDE_REFS]
    ]
    return DetectionResult(
        events, sum(p.positions for p in parts), len(parts), counts, set_aside, cited, cfg.land.set_aside
    )


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
        raise InputError("positions", f"missing columns {missing}; expected {list(POSITION_SCHEMA)}")
    return positions
