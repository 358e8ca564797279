"""Detection kept current as positions arrive: only the hours that received new positions are
read and prepared again; the rest reuse the pieces they gave last time.

Every detector already works in two steps (:mod:`watchfloor.maritime.detect`): each time window
gives small per-vessel *pieces* (transitions, first/last positions, run pieces, encounter
buckets, reception counts) from its own positions only, and :func:`~watchfloor.maritime.detect.finish`
stitches the pieces of all windows into events. The overlap each detector needs across windows
(a gap or a loitering run that crosses the hour, an encounter over a window edge, the previous
position of each vessel) is that stitching, which runs over all pieces every time, and the
events do not depend on the window length (``tests/maritime/test_detect.py``). So holding the
pieces of one-hour windows and recomputing those that got new positions gives exactly the events
of a full pass (:func:`~watchfloor.maritime.detect.detect_store`, day windows); the tests compare
both on the real files and the scenario. The work of an update is bounded by the new positions'
hours, not by the day or the store.

Each visible Parquet part (name, size, change time: parts are immutable once renamed into place)
is read once for its time range; a window's *fingerprint* is the list of parts whose range meets
it, and only those parts are read to rebuild it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import polars as pl

from watchfloor.maritime.detect import (
    DetectionResult,
    Detectors,
    StaticPart,
    WindowPieces,
    finish,
    pair_stage,
    process_window,
    static_part,
    window_bounds,
    window_of,
)
from watchfloor.maritime.links import VesselListIndex
from watchfloor.sources.lists.records import ListEntry

INCREMENT_HOURS = 1
"""The window the incremental detector holds pieces for (and so the least it reads again)."""

PartKey = tuple[str, int, int]  # path relative to the positions folder, bytes, change time (ns)
Fingerprint = tuple[PartKey, ...]


@dataclass
class IncrementalRun:
    """One update: the detection result (as a full pass would give it) and what was recomputed."""

    result: DetectionResult
    recomputed: list[int] = field(default_factory=list)
    reused: int = 0
    dropped: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "windows_recomputed": len(self.recomputed),
            "windows_reused": self.reused,
            "windows_dropped": self.dropped,
        }


@dataclass
class _Held:
    fingerprint: Fingerprint
    pieces: WindowPieces | None  # None: the window's parts hold no position inside it
    pairs: pl.DataFrame | None


class PartSource(Protocol):
    """Stored positions as immutable parts (the Parquet store: :class:`watchfloor.store.ais.AisStore`).

    The detector is given the source, so the analyser never imports the store.
    """

    def parts(self) -> list[PartKey]:
        """The visible position parts, in the order a scan of the store reads them."""
        ...

    def part_range(self, key: PartKey) -> tuple[datetime, datetime] | None:
        """The first and last position time of one part; None when it holds none."""
        ...

    def read_parts(self, keys: Fingerprint, lo: datetime, hi: datetime) -> pl.DataFrame:
        """The positions (``TRACK_COLUMNS``) of the given parts with ``lo <= ts < hi``."""
        ...

    def static_parts(self) -> list[PartKey]:
        """The visible static/voyage parts, in the order a scan of the store reads them."""
        ...

    def static(self) -> pl.LazyFrame:
        """All static/voyage rows."""
        ...


class IncrementalDetector:
    """Detection over one Parquet store, recomputing only the hours whose parts changed.

    Held in memory by a long-running process (the watch); a new one starts with a full pass.
    """

    def __init__(
        self, source: PartSource, detectors: Detectors | None = None, window_hours: int = INCREMENT_HOURS
    ) -> None:
        self.source = source
        self.detectors = detectors or Detectors.load()
        self.window_hours = window_hours
        if (self.window_hours * 60) % self.detectors.cfg.encounter.bucket_minutes:
            raise ValueError("window_hours must be a whole number of encounter buckets")
        self._held: dict[int, _Held] = {}
        self._ranges: dict[PartKey, tuple[datetime, datetime] | None] = {}
        self._static: tuple[list[PartKey], StaticPart] | None = None

    def _range(self, key: PartKey) -> tuple[datetime, datetime] | None:
        if key not in self._ranges:
            self._ranges[key] = self.source.part_range(key)
        return self._ranges[key]

    def fingerprints(self) -> dict[int, Fingerprint]:
        """Each window holding positions, with the parts (in scan order) whose time range meets it."""
        parts = self.source.parts()
        self._ranges = {k: v for k, v in self._ranges.items() if k in set(parts)}
        out: dict[int, list[PartKey]] = {}
        for key in parts:
            span = self._range(key)
            if span is None:
                continue
            for window in range(
                window_of(span[0], self.window_hours), window_of(span[1], self.window_hours) + 1
            ):
                out.setdefault(window, []).append(key)
        return {w: tuple(keys) for w, keys in sorted(out.items())}

    def changed(self) -> bool:
        """Whether an update would recompute or drop any window."""
        now = self.fingerprints()
        return set(now) != set(self._held) or any(self._held[w].fingerprint != f for w, f in now.items())

    def _load(self, window: int, parts: Fingerprint) -> pl.DataFrame:
        lo, hi = window_bounds(window, self.window_hours)
        return self.source.read_parts(parts, lo, hi)

    def update(self, lists: Iterable[ListEntry] | VesselListIndex | None = None) -> IncrementalRun:
        """Recompute the changed windows, then stitch all windows' pieces into events."""
        det = self.detectors
        now = self.fingerprints()
        dropped = [w for w in self._held if w not in now]
        for window in dropped:
            del self._held[window]
        recomputed: list[int] = []
        for window, fingerprint in now.items():
            held = self._held.get(window)
            if held is not None and held.fingerprint == fingerprint:
                continue
            frame = self._load(window, fingerprint)
            if frame.height:
                pieces, bk = process_window(frame, window, det)
                del frame
                self._held[window] = _Held(fingerprint, pieces, pair_stage(bk, det))
            else:
                self._held[window] = _Held(fingerprint, None, None)
            recomputed.append(window)
        kept = [h for _, h in sorted(self._held.items()) if h.pieces is not None]
        parts = [h.pieces for h in kept if h.pieces is not None]
        pair_parts = [h.pairs for h in kept if h.pairs is not None]
        static_parts = self.source.static_parts()
        if self._static is None or self._static[0] != static_parts:
            self._static = (static_parts, static_part(self.source.static(), det.cfg))
        held_events, identities = self._static[1]
        fresh = (copy.deepcopy(held_events), identities)  # finish adds details and links to them
        result = finish(parts, pair_parts, None, det, lists, static_events=fresh)
        return IncrementalRun(result, recomputed, len(now) - len(recomputed), len(dropped))
