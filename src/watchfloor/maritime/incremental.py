"""Detection kept current as positions arrive: only the time windows that received new parts are
read and prepared again; the rest reuse the pieces they gave last time.

Every detector already works in two steps (:mod:`watchfloor.maritime.detect`): each time window
gives small per-vessel *pieces* (transitions, first/last positions, run pieces, encounter
buckets, reception counts) from its own positions only, and :func:`~watchfloor.maritime.detect.finish`
stitches the pieces of all windows into events. The overlap each detector needs across windows
(a gap or a loitering run that crosses midnight, an encounter over a window edge) is that
stitching, which runs over all pieces every time. So keeping the pieces of unchanged windows and
recomputing the changed ones gives exactly the events of a full pass
(:func:`~watchfloor.maritime.detect.detect_store`); tests compare both on the real files.

A window's *fingerprint* is the list of the visible Parquet parts (name, size, change time) in
the day folders it spans: a new file or stream batch in a day changes the windows of that day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from watchfloor.maritime.detect import (
    DetectionResult,
    Detectors,
    WindowPieces,
    finish,
    load_store_window,
    pair_stage,
    process_window,
    store_windows,
    window_bounds,
)
from watchfloor.maritime.links import VesselListIndex
from watchfloor.maritime.parquet_store import POSITIONS, ingested, scan_static, store_root
from watchfloor.sources.lists.records import ListEntry

Fingerprint = tuple[tuple[str, int, int], ...]


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


def window_days(window: int, window_hours: int) -> list[date]:
    """The UTC days a window spans (the day folders its positions are in)."""
    lo, hi = window_bounds(window, window_hours)
    last = (hi - timedelta(microseconds=1)).date()
    days, day = [], lo.date()
    while day <= last:
        days.append(day)
        day += timedelta(days=1)
    return days


def day_parts(data_dir: Path) -> dict[date, Fingerprint]:
    """The visible position parts of each day folder: (name, bytes, change time), in name order."""
    visible = {str(m.get("sha256", ""))[:16] for m in ingested(data_dir)}
    out: dict[date, Fingerprint] = {}
    for folder in sorted((store_root(data_dir) / POSITIONS).glob("day=*")):
        try:
            day = date.fromisoformat(folder.name.removeprefix("day="))
        except ValueError:
            continue
        parts = []
        for part in sorted(folder.glob("*.parquet")):
            if part.name[:16] not in visible:
                continue
            try:
                info = part.stat()
            except OSError:  # replaced while we looked: the next update sees the new one
                continue
            parts.append((part.name, info.st_size, info.st_mtime_ns))
        out[day] = tuple(parts)
    return out


class IncrementalDetector:
    """Detection over one Parquet store, recomputing only the windows whose parts changed.

    Held in memory by a long-running process (the watch); a new one starts with a full pass.
    """

    def __init__(self, data_dir: Path, detectors: Detectors | None = None, window_hours: int | None = None):
        self.data_dir = Path(data_dir)
        self.detectors = detectors or Detectors.load()
        self.window_hours = window_hours or self.detectors.cfg.window_hours
        if (self.window_hours * 60) % self.detectors.cfg.encounter.bucket_minutes:
            raise ValueError("window_hours must be a whole number of encounter buckets")
        self._held: dict[int, _Held] = {}

    def fingerprints(self) -> dict[int, Fingerprint]:
        """Each window of the store with the parts it would read now."""
        parts = day_parts(self.data_dir)
        out: dict[int, Fingerprint] = {}
        for window in store_windows(self.data_dir, self.window_hours):
            out[window] = tuple(
                p for day in window_days(window, self.window_hours) for p in parts.get(day, ())
            )
        return out

    def changed(self) -> bool:
        """Whether an update would recompute or drop any window (no file is read)."""
        now = self.fingerprints()
        return set(now) != set(self._held) or any(self._held[w].fingerprint != f for w, f in now.items())

    def update(self, lists: Iterable[ListEntry] | VesselListIndex | None = None) -> IncrementalRun:
        """Recompute the changed windows, then stitch all windows' pieces into events."""
        det, hours = self.detectors, self.window_hours
        now = self.fingerprints()
        dropped = [w for w in self._held if w not in now]
        for window in dropped:
            del self._held[window]
        recomputed: list[int] = []
        for window, fingerprint in sorted(now.items()):
            held = self._held.get(window)
            if held is not None and held.fingerprint == fingerprint:
                continue
            frame = load_store_window(self.data_dir, window, hours)
            if frame.height:
                pieces, bk = process_window(frame, window, det)
                del frame
                self._held[window] = _Held(fingerprint, pieces, pair_stage(bk, det))
            else:
                self._held[window] = _Held(fingerprint, None, None)
            recomputed.append(window)
        kept = [(w, h) for w, h in sorted(self._held.items()) if h.pieces is not None]
        parts = [h.pieces for _, h in kept if h.pieces is not None]
        pair_parts = [h.pairs for _, h in kept if h.pairs is not None]
        result = finish(parts, pair_parts, scan_static(self.data_dir), det, lists)
        return IncrementalRun(result, recomputed, len(now) - len(recomputed), len(dropped))
