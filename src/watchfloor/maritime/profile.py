"""Vessel risk profile: one vessel's identity history, list entries, port calls, gaps, meetings at
sea and identity changes, gathered from its maritime events, with a risk score and its reasons.

The profile is an analyser: it reads events (and the watched ports), never the store. A vessel is
asked for by IMO (7 digits) or MMSI (9 digits); the profile follows the identity across MMSIs
that broadcast the same IMO. The score (``vessel-risk-v1``) is a noisy-or of the weights in
``profile.yaml`` of the indicators present; every reason names its indicator, weight and the
events it rests on. Events resting on simulated AIS are listed with ``synthetic: true`` and
never counted (the profile of a real ship in the demo scenario scores 0 on simulated behaviour).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from watchfloor.errors import ConfigError, InputError
from watchfloor.maritime.identity import flag_of
from watchfloor.maritime.ports import Port
from watchfloor.maritime.records import EventKind, MaritimeEvent
from watchfloor.vocabulary import read_vocabulary

METHOD = "vessel-risk-v1"
KM_PER_NM = 1.852


class Indicator(BaseModel):
    weight: float = Field(ge=0, le=1)
    label: str


class RiskWeights(BaseModel):
    """The indicators and weights of ``profile.yaml``."""

    version: str
    near_port_km: float = Field(gt=0)
    reach_speed_knots: float = Field(gt=0)
    indicators: dict[str, Indicator]


@lru_cache(maxsize=8)
def load_risk_weights(path: Path | None = None) -> RiskWeights:
    """The weights in ``path``, or the shipped ``profile.yaml``."""
    data, where = read_vocabulary("watchfloor.maritime", "profile.yaml", path)
    try:
        weights = RiskWeights.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"invalid vessel risk weights: {exc}", where) from exc
    missing = sorted(set(INDICATORS) - set(weights.indicators))
    if missing:
        raise ConfigError(f"vessel risk weights lack indicators: {', '.join(missing)}", where)
    return weights


INDICATORS = (
    "listed", "port_call_kp", "port_call_watched", "suspected_disabling", "gap_near_kp_port", "gap",
    "encounter_listed", "encounter", "loitering", "flag_change", "identity_change", "impossible_position",
)  # fmt: skip


@dataclass
class Reason:
    """One indicator found for the vessel: its weight and the events that show it."""

    indicator: str
    label: str
    weight: float
    events: list[str]
    counted: bool
    """False when every event behind it is simulated: shown, not scored. A list match on the IMO
    asked for is a fact of the list and counts even when only simulated AIS showed the ship."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "label": self.label,
            "weight": self.weight,
            "occurrences": len(self.events),
            "events": self.events,
            "counted": self.counted,
        }


@dataclass
class VesselProfile:
    """What the events say about one vessel, and the risk they add up to."""

    query: str
    mmsis: list[int]
    imos: list[int]
    names: list[str]
    call_signs: list[str]
    flags: dict[int, str]
    list_entries: list[dict[str, Any]]
    port_calls: list[dict[str, Any]]
    gaps: list[dict[str, Any]]
    encounters: list[dict[str, Any]]
    loitering: list[dict[str, Any]]
    identity_changes: list[dict[str, Any]]
    reasons: list[Reason] = field(default_factory=list)
    score: float = 0.0
    method: str = METHOD
    weights_version: str = ""
    synthetic_events: int = 0
    real_events: int = 0

    @property
    def explanation(self) -> str:
        """The score in one sentence, reason by reason."""
        counted = [r for r in self.reasons if r.counted]
        if not counted:
            text = f"{self.method}: score 0.00, no risk indicator in real data"
        else:
            parts = ", ".join(f"{r.label} (+{r.weight:.2f}, {len(r.events)}x)" for r in counted)
            text = f"{self.method}: score {self.score:.2f} from {parts}"
        shown = [r for r in self.reasons if not r.counted]
        if shown:
            text += "; not counted, SYNTHETIC only: " + ", ".join(r.label for r in shown)
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "identity": {
                "mmsis": self.mmsis,
                "imos": self.imos,
                "names": self.names,
                "call_signs": self.call_signs,
                "flags": {str(m): f for m, f in self.flags.items()},
            },
            "list_entries": self.list_entries,
            "port_calls": self.port_calls,
            "gaps": self.gaps,
            "encounters": self.encounters,
            "loitering": self.loitering,
            "identity_changes": self.identity_changes,
            "risk": {
                "method": self.method,
                "weights": self.weights_version,
                "score": self.score,
                "explanation": self.explanation,
                "reasons": [r.to_dict() for r in self.reasons],
            },
            "events": {"real": self.real_events, "synthetic": self.synthetic_events},
        }


def parse_vessel_key(text: str) -> tuple[str, int]:
    """``("imo", n)`` for a 7-digit IMO (``IMO 9179842`` too), ``("mmsi", n)`` for a 9-digit MMSI."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) == 7:
        return "imo", int(digits)
    if len(digits) == 9:
        return "mmsi", int(digits)
    raise InputError(text, "a vessel is an IMO number (7 digits) or an MMSI (9 digits)")


def _identity(event: MaritimeEvent, mmsi: int) -> dict[str, list[str]]:
    info = event.details.get("vessels", {}).get(str(mmsi), {})
    return {k: [str(v) for v in info.get(k, [])] for k in ("imo", "name", "call_sign")}


def vessel_mmsis(events: list[MaritimeEvent], kind: str, number: int) -> set[int]:
    """The MMSIs of the vessel: the one asked for, or those that broadcast the IMO, closed over
    the IMOs those MMSIs broadcast (one ship under several MMSIs)."""
    mmsis: set[int] = {number} if kind == "mmsi" else set()
    imos: set[str] = {str(number)} if kind == "imo" else set()
    for _ in range(3):  # a few rounds close the identity; more would join unrelated ships
        before = (len(mmsis), len(imos))
        for event in events:
            for mmsi in event.mmsis:
                ident = _identity(event, mmsi)
                if mmsi in mmsis:
                    imos.update(ident["imo"])
                elif imos & set(ident["imo"]):
                    mmsis.add(mmsi)
            if event.details.get("change") == "mmsi_for_imo" and str(event.details.get("imo")) in imos:
                mmsis.update(int(m) for m in event.details.get("mmsis", []))
        if (len(mmsis), len(imos)) == before:
            break
    return mmsis


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


def _nearest_port(lat: float | None, lon: float | None, ports: list[Port]) -> tuple[Port, float] | None:
    if lat is None or lon is None or not ports:
        return None
    return min(((p, _distance_km(lat, lon, p.lat, p.lon)) for p in ports), key=lambda pair: pair[1])


def _summary(event: MaritimeEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "start": event.start.isoformat(),
        "end": event.end.isoformat(),
        "hours": round(event.duration_hours, 2),
        "lat": event.lat,
        "lon": event.lon,
        "synthetic": event.synthetic,
    }


def build_profile(
    query: str,
    events: list[MaritimeEvent],
    ports: list[Port],
    weights: RiskWeights | None = None,
) -> VesselProfile:
    """The profile of the vessel ``query`` (IMO or MMSI) from ``events`` (any superset of its own)."""
    weights = weights or load_risk_weights(None)
    kind, number = parse_vessel_key(query)
    mmsis = vessel_mmsis(events, kind, number)
    own = [e for e in events if set(e.mmsis) & mmsis or set(e.details.get("mmsis", [])) & mmsis]
    by_port = {p.id: p for p in ports}
    imos: set[int] = {number} if kind == "imo" else set()
    names: set[str] = set()
    calls: set[str] = set()
    entries: dict[str, dict[str, Any]] = {}
    found: dict[str, list[MaritimeEvent]] = {name: [] for name in INDICATORS}
    port_calls, gaps, encounters, loitering, changes = [], [], [], [], []
    listed_by_query: set[str] = set()  # list links on the very IMO asked for: a fact of the list
    for event in own:
        for mmsi in mmsis & set(event.mmsis):
            ident = _identity(event, mmsi)
            imos.update(int(v) for v in ident["imo"] if v.isdigit())
            names.update(ident["name"])
            calls.update(ident["call_sign"])
        for link in event.links:
            if link.strong and link.mmsi in mmsis:
                entries.setdefault(
                    link.entry_key,
                    {**link.to_dict(), "events": []},
                )["events"].append(event.id)
                found["listed"].append(event)
                if kind == "imo" and link.matched_on == "imo" and link.value == str(number):
                    listed_by_query.add(event.id)
        if event.kind is EventKind.PORT_VISIT:
            port = by_port.get(str(event.details.get("port")))
            country = port.country if port else event.details.get("country")
            port_calls.append({**_summary(event), "port": event.details.get("port"), "country": country})
            found["port_call_kp" if country == "kp" else "port_call_watched"].append(event)
        elif event.kind is EventKind.GAP:
            before = event.positions[0] if event.positions else None
            after = event.positions[-1] if event.positions else None
            near = [
                n
                for ref in (before, after)
                if ref is not None
                for n in [_nearest_port(ref.lat, ref.lon, ports)]
                if n is not None and n[1] <= weights.near_port_km
            ]
            reach = [
                p
                for p in ports
                if before is not None
                and after is not None
                and before.lat is not None
                and before.lon is not None
                and after.lat is not None
                and after.lon is not None
                and _distance_km(before.lat, before.lon, p.lat, p.lon)
                + _distance_km(p.lat, p.lon, after.lat, after.lon)
                <= event.duration_hours * weights.reach_speed_knots * KM_PER_NM
            ]
            near_kp = [n for n in near if n[0].country == "kp"] + [
                (p, 0.0) for p in reach if p.country == "kp"
            ]
            disabling = bool(event.details.get("suspected_disabling", {}).get("value", False))
            gaps.append(
                {
                    **_summary(event),
                    "suspected_disabling": disabling,
                    "near_ports": sorted({f"{p.id} ({km:.0f} km)" for p, km in near}),
                    "ports_within_reach": sorted(p.id for p in reach),
                    "reach_speed_knots": weights.reach_speed_knots,
                }
            )
            if near_kp:
                found["gap_near_kp_port"].append(event)
            if disabling:
                found["suspected_disabling"].append(event)
            if not near_kp and not disabling:
                found["gap"].append(event)
        elif event.kind is EventKind.ENCOUNTER:
            other = event.other_mmsi if event.mmsi in mmsis else event.mmsi
            other_listed = any(link.strong and link.mmsi == other for link in event.links)
            encounters.append({**_summary(event), "other_mmsi": other, "other_listed": other_listed})
            found["encounter_listed" if other_listed else "encounter"].append(event)
        elif event.kind is EventKind.LOITERING:
            loitering.append(_summary(event))
            found["loitering"].append(event)
        elif event.kind is EventKind.IDENTITY:
            change = str(event.details.get("change"))
            changes.append(
                {
                    **_summary(event),
                    "change": change,
                    "values": [v.get("value") for v in event.details.get("values", [])],
                }
            )
            if change == "flag":
                found["flag_change"].append(event)
            elif change == "impossible_position":
                found["impossible_position"].append(event)
            else:
                found["identity_change"].append(event)
    reasons: list[Reason] = []
    keep = 1.0
    for name in INDICATORS:
        hits = list({e.id: e for e in found[name]}.values())
        if not hits:
            continue
        indicator = weights.indicators[name]
        counted = any(not e.synthetic for e in hits) or (name == "listed" and bool(listed_by_query))
        reasons.append(Reason(name, indicator.label, indicator.weight, [e.id for e in hits], counted))
        if counted:
            keep *= 1 - indicator.weight
    return VesselProfile(
        query=query,
        mmsis=sorted(mmsis),
        imos=sorted(imos),
        names=sorted(names),
        call_signs=sorted(calls),
        flags={m: flag_of(m) for m in sorted(mmsis)},
        list_entries=sorted(entries.values(), key=lambda e: str(e["entry_key"])),
        port_calls=port_calls,
        gaps=gaps,
        encounters=encounters,
        loitering=loitering,
        identity_changes=changes,
        reasons=reasons,
        score=round(1 - keep, 4),
        method=METHOD,
        weights_version=weights.version,
        synthetic_events=sum(e.synthetic for e in own),
        real_events=sum(not e.synthetic for e in own),
    )
