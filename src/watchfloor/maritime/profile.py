# Over 500 lines on purpose: one profile built in one pass; its sections read the same gathered identity.
"""Vessel risk profile: one vessel's identity history, list entries, port calls, gaps, meetings at
sea and identity changes, gathered from its maritime events, with a risk score and its reasons.

The profile is an analyser: it reads events (and the watched ports), never the store. A vessel is
asked for by IMO (7 digits) or MMSI (9 digits); the profile follows the identity across MMSIs
that broadcast the same IMO. The score (``vessel-risk-v1``) is a noisy-or of the weights in
``profile.yaml`` of the indicators present; every reason names its indicator, weight and the
events it rests on. Events resting on simulated AIS are listed with ``synthetic: true`` and
never counted (the profile of a real ship in the demo scenario scores 0 on simulated behaviour).

Given the loaded lists, the profile also reads the vessel's list entries directly (by IMO and MMSI),
so a listed ship with no AIS on record still shows its names, entries and the reason "on a sanctions
list", and the profile says plainly that no AIS track of it is on record. It then checks what AIS
says against the lists and the ITU table: an MMSI whose MID is not the flag the lists give, an IMO
the lists give another MMSI for (or the reverse), and broadcast names the lists do not know.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from watchfloor.errors import ConfigError, InputError
from watchfloor.maritime.identity import flag_of, mid_of
from watchfloor.maritime.links import VesselListIndex, name_key
from watchfloor.maritime.ports import Port
from watchfloor.maritime.records import EventKind, MaritimeEvent
from watchfloor.model.schema import IdScheme
from watchfloor.sources.lists.records import ListEntry
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
    "mid_flag_mismatch", "list_identity_conflict", "list_name_differs",
)  # fmt: skip

CHECKS_OF = {
    "mid_flag_mismatch": ("mid_flag_mismatch",),
    "list_identity_conflict": ("list_mmsi_conflict", "list_imo_conflict"),
    "list_name_differs": ("list_name_differs",),
}
"""The identity checks behind each identity indicator; counted only when real AIS shows them."""

NO_AIS = "No AIS track of this vessel is on record: no port call, gap or meeting is known from AIS."
SIMULATED_ONLY = (
    "No real AIS track of this vessel is on record; the events below rest on simulated AIS only "
    "and are not counted."
)


@dataclass
class IdentityCheck:
    """One disagreement between what AIS broadcast and what the lists or the ITU table say."""

    check: str
    """``mid_flag_mismatch``, ``list_mmsi_conflict``, ``list_imo_conflict`` or ``list_name_differs``."""
    detail: str
    ais: str
    listed: str
    entry_key: str | None = None
    events: list[str] = field(default_factory=list)
    synthetic: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "detail": self.detail,
            "ais": self.ais,
            "listed": self.listed,
            "entry_key": self.entry_key,
            "events": self.events,
            "synthetic": self.synthetic,
        }


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
    identity_checks: list[IdentityCheck] = field(default_factory=list)
    list_names: list[str] = field(default_factory=list)
    """Every name the list entries give (primary, aliases, former names)."""
    score: float = 0.0
    method: str = METHOD
    weights_version: str = ""
    synthetic_events: int = 0
    real_events: int = 0

    @property
    def ais_statement(self) -> str | None:
        """What the profile rests on when no real AIS does (``None`` when real AIS is on record)."""
        if self.real_events:
            return None
        return SIMULATED_ONLY if self.synthetic_events else NO_AIS

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
                "list_names": self.list_names,
                "checks": [c.to_dict() for c in self.identity_checks],
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
            "ais_on_record": self.real_events > 0,
            "ais_statement": self.ais_statement,
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


def _entry_values(entry: ListEntry, scheme: IdScheme) -> set[str]:
    values = {i.value.strip() for i in entry.identifiers if i.scheme is scheme}
    if scheme is IdScheme.IMO:
        values |= {m.group(1) for m in re.finditer(r"\bIMO\s*(\d{7})\b", entry.remarks or "")}
    return {"".join(ch for ch in v if ch.isdigit()) for v in values} - {""}


def _entry_dict(entry: ListEntry, matched_on: str, value: str) -> dict[str, Any]:
    return {
        "entry_key": entry.key,
        "caption": entry.caption,
        "source": entry.source.value,
        "matched_on": matched_on,
        "value": value,
        "strong": True,
        "method": "exact-identifier-v1",
        "names": [n.value for n in entry.names],
        "flags": list(entry.nationalities),
        "imo": sorted(_entry_values(entry, IdScheme.IMO)),
        "mmsi": sorted(_entry_values(entry, IdScheme.MMSI)),
        "programmes": list(entry.programmes),
        "place": entry.place,
        "events": [],
    }


def _identity_checks(
    mmsis: set[int],
    ais: dict[int, dict[str, set[str]]],
    ais_events: dict[int, tuple[list[str], bool]],
    entries: list[ListEntry],
) -> list[IdentityCheck]:
    """AIS identity against the list entries and the ITU MID table (see the module docstring)."""
    checks: list[IdentityCheck] = []
    for entry in entries:
        flags = set(entry.nationalities)
        e_imos = _entry_values(entry, IdScheme.IMO)
        e_mmsis = _entry_values(entry, IdScheme.MMSI)
        e_names = {name_key(n.value) for n in entry.names}
        for mmsi in sorted(mmsis):
            seen = ais.get(mmsi, {"imo": set(), "name": set(), "call_sign": set()})
            refs, synthetic = ais_events.get(mmsi, ([], False))
            if flags and flag_of(mmsi) not in flags:
                checks.append(IdentityCheck(
                    "mid_flag_mismatch",
                    f"MMSI {mmsi} has MID {mid_of(mmsi)} ({flag_of(mmsi)}); the list gives flag "
                    f"{', '.join(sorted(flags))}",
                    str(mmsi), ", ".join(sorted(flags)), entry.key, refs, synthetic,
                ))  # fmt: skip
            if e_mmsis and str(mmsi) not in e_mmsis and seen["imo"] & e_imos:
                checks.append(IdentityCheck(
                    "list_mmsi_conflict",
                    f"IMO {', '.join(sorted(seen['imo'] & e_imos))} broadcast by MMSI {mmsi}; the list "
                    f"gives MMSI {', '.join(sorted(e_mmsis))}",
                    str(mmsi), ", ".join(sorted(e_mmsis)), entry.key, refs, synthetic,
                ))  # fmt: skip
            other_imos = seen["imo"] - e_imos
            if e_imos and other_imos and (str(mmsi) in e_mmsis or seen["imo"] & e_imos):
                checks.append(IdentityCheck(
                    "list_imo_conflict",
                    f"MMSI {mmsi} broadcast IMO {', '.join(sorted(other_imos))}; the list gives IMO "
                    f"{', '.join(sorted(e_imos))}",
                    ", ".join(sorted(other_imos)), ", ".join(sorted(e_imos)), entry.key, refs, synthetic,
                ))  # fmt: skip
            unknown = sorted(n for n in seen["name"] if name_key(n) not in e_names)
            if unknown and e_names:
                checks.append(IdentityCheck(
                    "list_name_differs",
                    f"MMSI {mmsi} broadcast the name {', '.join(unknown)}, which the list entry lacks",
                    ", ".join(unknown), entry.caption, entry.key, refs, synthetic,
                ))  # fmt: skip
    return checks


def build_profile(
    query: str,
    events: list[MaritimeEvent],
    ports: list[Port],
    weights: RiskWeights | None = None,
    lists: VesselListIndex | None = None,
) -> VesselProfile:
    """The profile of the vessel ``query`` (IMO or MMSI) from ``events`` (any superset of its own)
    and, when given, the list entries of its IMO numbers and MMSIs."""
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
    ais: dict[int, dict[str, set[str]]] = {}
    ais_events: dict[int, tuple[list[str], bool]] = {}
    for event in own:
        for mmsi in mmsis & set(event.mmsis):
            ident = _identity(event, mmsi)
            slot = ais.setdefault(mmsi, {"imo": set(), "name": set(), "call_sign": set()})
            for key, values in ident.items():
                slot[key].update(values)
            refs, synthetic = ais_events.get(mmsi, ([], True))
            if any(ident.values()):
                ais_events[mmsi] = ([*refs, event.id][:5], synthetic and event.synthetic)
    list_only: list[ListEntry] = []
    if lists is not None:
        probes = [("imo", str(v)) for v in sorted(imos)] + [("mmsi", str(m)) for m in sorted(mmsis)]
        for scheme, value in probes:
            for entry in lists.lookup(scheme, value):
                if (scheme, value) == (kind, str(number)):
                    listed_by_query.add(entry.key)
                if entry.key not in {e.key for e in list_only}:
                    list_only.append(entry)
                slot_entry = entries.setdefault(entry.key, _entry_dict(entry, scheme, value))
                for extra, val in _entry_dict(entry, scheme, value).items():
                    slot_entry.setdefault(extra, val)
    checks = _identity_checks(mmsis, ais, ais_events, list_only)
    reasons: list[Reason] = []
    keep = 1.0
    real_ids = {e.id for e in own if not e.synthetic}
    for name in INDICATORS:
        hits = list({e.id: e for e in found[name]}.values())
        ids = [e.id for e in hits]
        counted = any(not e.synthetic for e in hits)
        if name == "listed":
            # a fact of the list: counts when the IMO asked for is listed, with or without AIS
            counted = counted or bool(listed_by_query)
            if not hits and not list_only:
                continue
        elif name in CHECKS_OF:
            mine = [c for c in checks if c.check in CHECKS_OF[name]]
            if not mine:
                continue
            ids = sorted({i for c in mine for i in c.events})
            counted = bool(set(ids) & real_ids)
        elif not hits:
            continue
        indicator = weights.indicators[name]
        reasons.append(Reason(name, indicator.label, indicator.weight, ids, counted))
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
        identity_checks=checks,
        list_names=sorted({n.value for e in list_only for n in e.names}),
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
