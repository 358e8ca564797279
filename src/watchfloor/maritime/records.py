"""The maritime event record every detector produces, with the positions it rests on.

An event is what a detector concluded (a gap, an encounter, loitering, a port visit, an identity
change), for which vessel(s), when and where, with the numbers behind it (``details``), pointers to
the AIS rows it rests on (``positions``: input file and line) and the sanctions-list entries its
vessels link to (``links``). Its ``id`` is a hash of what it says, so the same data gives the same
ids whatever process or partitioning found it.
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DETECTOR_VERSION = "watchfloor-maritime-v1"
"""Versioned name of the detection rules; part of every event id."""

SYNTHETIC_PREFIX = "synthetic_"
"""Input files whose name starts with this are simulated (``watchfloor ais simulate`` writes
``synthetic_ais_YYYYMMDD.csv``): events resting on them are SYNTHETIC and never evidence."""


def is_synthetic_source(src_file: str) -> bool:
    """Whether an input file (path or name) is a simulated one, by the scenario's naming rule."""
    name = src_file.replace("\\", "/").rsplit("/", 1)[-1]
    return name.lower().startswith(SYNTHETIC_PREFIX)


class EventKind(enum.StrEnum):
    """What a maritime event is."""

    GAP = "gap"
    ENCOUNTER = "encounter"
    LOITERING = "loitering"
    PORT_VISIT = "port_visit"
    IDENTITY = "identity"


@dataclass(frozen=True)
class PositionRef:
    """One AIS row an event rests on: where it was read from and what it said."""

    mmsi: int
    ts: datetime
    lat: float | None
    """None for a static (voyage) message, which has no position."""
    lon: float | None
    src_file: str
    src_line: int
    role: str = ""
    """Why it is cited: ``before``/``after`` a gap, ``first``/``last`` of a run, ``value``."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "mmsi": self.mmsi,
            "ts": self.ts.isoformat(),
            "lat": self.lat,
            "lon": self.lon,
            "src_file": self.src_file,
            "src_line": self.src_line,
            "role": self.role,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PositionRef:
        return cls(
            mmsi=int(data["mmsi"]),
            ts=datetime.fromisoformat(data["ts"]),
            lat=_opt_float(data.get("lat")),
            lon=_opt_float(data.get("lon")),
            src_file=str(data["src_file"]),
            src_line=int(data["src_line"]),
            role=str(data.get("role", "")),
        )


@dataclass(frozen=True)
class ListLink:
    """A sanctions-list entry that one vessel of an event links to, and on what it matched."""

    mmsi: int
    entry_key: str
    """``source:entry_id``, e.g. ``us_ofac_sdn:37059``."""
    caption: str
    source: str
    matched_on: str
    """``imo``, ``mmsi``, ``call_sign`` or ``name``."""
    value: str
    strong: bool = True
    """False for a link on name alone (many ships share a name)."""
    method: str = "exact-identifier-v1"

    def to_dict(self) -> dict[str, Any]:
        return {
            "mmsi": self.mmsi,
            "entry_key": self.entry_key,
            "caption": self.caption,
            "source": self.source,
            "matched_on": self.matched_on,
            "value": self.value,
            "strong": self.strong,
            "method": self.method,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ListLink:
        return cls(
            mmsi=int(data["mmsi"]),
            entry_key=str(data["entry_key"]),
            caption=str(data["caption"]),
            source=str(data["source"]),
            matched_on=str(data["matched_on"]),
            value=str(data["value"]),
            strong=bool(data.get("strong", True)),
            method=str(data.get("method", "exact-identifier-v1")),
        )


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


@dataclass
class MaritimeEvent:
    """One detected event; ``other_mmsi`` is set for encounters only."""

    kind: EventKind
    mmsi: int
    start: datetime
    end: datetime
    lat: float | None
    """None where the event has no place (identity changes seen in static data)."""
    lon: float | None
    other_mmsi: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    positions: list[PositionRef] = field(default_factory=list)
    links: list[ListLink] = field(default_factory=list)

    @property
    def duration_hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600.0

    @property
    def mmsis(self) -> tuple[int, ...]:
        return (self.mmsi,) if self.other_mmsi is None else (self.mmsi, self.other_mmsi)

    @property
    def id(self) -> str:
        """Deterministic id: sha256 of the rule version and what the event says (not its links)."""
        payload = json.dumps(
            [
                DETECTOR_VERSION,
                self.kind.value,
                self.mmsi,
                self.other_mmsi,
                _iso(self.start),
                _iso(self.end),
                self.details.get("change") or self.details.get("port") or "",
                [(p.src_file, p.src_line) for p in self.positions],
            ],
            separators=(",", ":"),
        )
        return "mev_" + hashlib.sha256(payload.encode()).hexdigest()[:24]

    @property
    def synthetic(self) -> bool:
        """True when any AIS row the event rests on comes from a simulated file: such an event
        is shown under a SYNTHETIC label and never counted as evidence (stored as ``data["synthetic"]``)."""
        return any(is_synthetic_source(p.src_file) for p in self.positions)

    @property
    def listed(self) -> bool:
        """True when any vessel of the event links to a list entry on an identifier."""
        return any(link.strong for link in self.links)

    def sort_key(self) -> tuple[str, datetime, int, int, str]:
        return (self.kind.value, self.start, self.mmsi, self.other_mmsi or 0, self.id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "mmsi": self.mmsi,
            "other_mmsi": self.other_mmsi,
            "start": _iso(self.start),
            "end": _iso(self.end),
            "duration_hours": round(self.duration_hours, 3),
            "synthetic": self.synthetic,
            "lat": self.lat,
            "lon": self.lon,
            "details": self.details,
            "positions": [p.to_dict() for p in self.positions],
            "links": [link.to_dict() for link in self.links],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MaritimeEvent:
        other = data.get("other_mmsi")
        return cls(
            kind=EventKind(data["kind"]),
            mmsi=int(data["mmsi"]),
            other_mmsi=int(other) if other is not None else None,
            start=datetime.fromisoformat(data["start"]),
            end=datetime.fromisoformat(data["end"]),
            lat=_opt_float(data.get("lat")),
            lon=_opt_float(data.get("lon")),
            details=dict(data.get("details", {})),
            positions=[PositionRef.from_dict(p) for p in data.get("positions", [])],
            links=[ListLink.from_dict(link) for link in data.get("links", [])],
        )
