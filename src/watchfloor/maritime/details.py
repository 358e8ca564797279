"""Typed views of a maritime event's details, one dataclass per kind.

Events keep their details as a JSON-ready dict (that is how the store, the API, STIX and FtM carry
them); code that reads them uses these views instead of string keys, so a renamed or missing field
fails in one place (:func:`details_of`) with the event named, not as a ``KeyError`` in a face.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from watchfloor.errors import InputError
from watchfloor.maritime.records import EventKind, MaritimeEvent


@dataclass(frozen=True)
class VesselIdentity:
    """What one MMSI's static messages said (``details["vessels"][mmsi]``)."""

    imo: list[str] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    call_sign: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VesselIdentity:
        return cls(
            [str(v) for v in data.get("imo", [])],
            [str(v) for v in data.get("name", [])],
            [str(v) for v in data.get("call_sign", [])],
        )


@dataclass(frozen=True)
class Reception:
    """How well others were received around a gap: GFW's "adequate reception" test."""

    hours_inside_gap: int
    hours_with_other_vessels: int
    fraction: float
    good: bool


@dataclass(frozen=True)
class GapDetails:
    hours: float
    distance_km: float
    implied_speed_knots: float
    port_before: str | None
    port_after: str | None
    reception: Reception
    suspected_disabling: bool
    begins_offshore: bool | None


@dataclass(frozen=True)
class EncounterDetails:
    hours: float
    max_distance_m: float
    min_distance_m: float | None


@dataclass(frozen=True)
class LoiteringDetails:
    hours: float
    mean_speed_knots: float
    max_speed_knots: float | None


@dataclass(frozen=True)
class PortVisitDetails:
    port: str
    port_name: str
    country: str
    hours: float
    min_speed_knots: float | None
    entry_km: float | None
    exit_km: float | None


@dataclass(frozen=True)
class IdentityDetails:
    change: str
    """``name``, ``imo``, ``call_sign``, ``mmsi_for_imo``, ``flag`` or ``impossible_position``."""
    values: list[str]


EventDetails = GapDetails | EncounterDetails | LoiteringDetails | PortVisitDetails | IdentityDetails


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def details_of(event: MaritimeEvent) -> EventDetails:
    """The typed details of ``event``; :class:`InputError` naming the event if a field is missing."""
    d = event.details
    try:
        if event.kind is EventKind.GAP:
            rec = d["reception"]
            disabling = d.get("suspected_disabling") or {}
            return GapDetails(
                float(d["hours"]),
                float(d["distance_km"]),
                float(d["implied_speed_knots"]),
                d.get("port_before"),
                d.get("port_after"),
                Reception(
                    int(rec["hours_inside_gap"]),
                    int(rec["hours_with_other_vessels"]),
                    float(rec.get("fraction", 0.0)),
                    bool(rec["good"]),
                ),
                bool(disabling.get("value", False)),
                disabling.get("begins_offshore"),
            )
        if event.kind is EventKind.ENCOUNTER:
            return EncounterDetails(
                float(d["hours"]), float(d["max_distance_m"]), _opt_float(d.get("min_distance_m"))
            )
        if event.kind is EventKind.LOITERING:
            return LoiteringDetails(
                float(d["hours"]), float(d["mean_speed_knots"]), _opt_float(d.get("max_speed_knots"))
            )
        if event.kind is EventKind.PORT_VISIT:
            return PortVisitDetails(
                str(d["port"]),
                str(d["port_name"]),
                str(d.get("country", "")),
                float(d["hours"]),
                _opt_float(d.get("min_speed_knots")),
                _opt_float(d.get("entry_km")),
                _opt_float(d.get("exit_km")),
            )
        return IdentityDetails(str(d["change"]), [str(v.get("value")) for v in d.get("values", [])])
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"maritime event {event.id}", f"{event.kind.value} details lack {exc}") from exc


def vessel_identity(event: MaritimeEvent, mmsi: int) -> VesselIdentity:
    """What ``mmsi``'s static messages said, as recorded on ``event`` (empty when nothing was)."""
    return VesselIdentity.from_dict(event.details.get("vessels", {}).get(str(mmsi), {}))
