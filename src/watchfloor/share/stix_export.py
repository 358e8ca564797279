# Over 500 lines on purpose: one exporter, one method per STIX kind, in docs/sharing.md's table order.
"""STIX 2.1 export of a selection of the store (see :mod:`watchfloor.share.selection`).

Mapping (``docs/sharing.md`` has the table): sources are ``identity`` objects, the two states of
the policy's pair ``threat-actor`` objects (other actors ``identity``), watched ports and event
places ``location`` objects, vessels a custom ``vessel`` SDO defined by an ``extension-definition``
(new-sdo), report events ``relationship`` objects between the actors with start/stop times,
maritime events ``sighting`` objects, claims ``note`` objects carrying the Admiralty grade,
analyst reviews ``opinion`` objects, the ladder's stages ``course-of-action`` objects, and one
``report`` holding them all with the assessment of the selected evidence.

Every object carries the TLP 2.0 marking of its record (OASIS ids) and the PAP marking. Ids are
uuid5 of what the object says, and timestamps come from the records, so the same store exports
the same bundle byte for byte (``stix-export-v1``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from watchfloor.assess.evidence import split_actors
from watchfloor.graph.actors import actor_name
from watchfloor.maritime.ports import load_ports
from watchfloor.model.schema import Schema
from watchfloor.settings import get_settings
from watchfloor.share.selection import Selection, select_for_partner
from watchfloor.share.tlp import Pap, Tlp, parse_pap, strictest

EXPORT_ALGORITHM = "stix-export-v1"
NAMESPACE = uuid.UUID("6f1b0c3e-2a51-5f4e-9a8d-7c0e5b2d9a41")
"""The uuid5 namespace of watchfloor's STIX ids (fixed: changing it changes every id)."""
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
"""Created/modified time of objects that come from configuration, not from a stored record."""
VESSEL_EXTENSION_ID = "extension-definition--" + str(uuid.uuid5(NAMESPACE, "extension-definition|vessel|1"))
PROPERTIES_EXTENSION_ID = "extension-definition--" + str(
    uuid.uuid5(NAMESPACE, "extension-definition|properties|1")
)
PROPERTIES_SCHEMA = (
    "watchfloor top-level properties v1 (toplevel-property-extension): x_watchfloor_* properties "
    "carry what a standard object has no place for: the Admiralty grade of a note "
    "(x_watchfloor_admiralty_grade, x_watchfloor_reliability A-F, x_watchfloor_credibility 1-6), "
    "the stance and hedging of a claim, the watchfloor ids of the records an object comes from, "
    "the kind of a maritime event, the stage level of a course of action. See docs/sharing.md."
)
PROPERTIES = (
    "x_watchfloor_actor",
    "x_watchfloor_admiralty_grade",
    "x_watchfloor_algorithms",
    "x_watchfloor_claim_id",
    "x_watchfloor_claimed_on",
    "x_watchfloor_credibility",
    "x_watchfloor_decision",
    "x_watchfloor_event_id",
    "x_watchfloor_event_type",
    "x_watchfloor_hedged",
    "x_watchfloor_indicators",
    "x_watchfloor_kind",
    "x_watchfloor_list_entries",
    "x_watchfloor_list_entry",
    "x_watchfloor_maritime_event_id",
    "x_watchfloor_object",
    "x_watchfloor_observer_ref",
    "x_watchfloor_place",
    "x_watchfloor_policy",
    "x_watchfloor_reliability",
    "x_watchfloor_since",
    "x_watchfloor_source_ref",
    "x_watchfloor_span",
    "x_watchfloor_stage_level",
    "x_watchfloor_stage_ref",
    "x_watchfloor_stance",
    "x_watchfloor_status",
    "x_watchfloor_subject",
    "x_watchfloor_synthetic",
    "x_watchfloor_tlp_ceiling",
)
VESSEL_SCHEMA = (
    "watchfloor vessel SDO v1 (new-sdo). Properties: name (string, required); imo_number (string, "
    "7-digit IMO ship number); mmsi (list of strings, 9-digit Maritime Mobile Service Identities "
    "broadcast in AIS); call_signs (list of strings); flag (ISO 3166-1 alpha-2, lower case); "
    "sanctioned (boolean: linked on an identifier to an entry of an official sanctions list); "
    "list_entries (list of strings, source:entry_id of those entries). See docs/sharing.md."
)
ACTOR_RELATIONSHIP = "related-to"


def stix_id(stix_type: str, *parts: Any) -> str:
    """``type--uuid5`` of the parts: the same statement always gets the same id."""
    key = json.dumps([stix_type, *parts], ensure_ascii=False, sort_keys=True, default=str)
    return f"{stix_type}--{uuid.uuid5(NAMESPACE, key)}"


def timestamp(value: datetime | date | None) -> str:
    """STIX timestamp (UTC, milliseconds, ``Z``); a naive datetime is taken as UTC."""
    if value is None:
        value = EPOCH
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(), tzinfo=UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


@dataclass
class BundleBuilder:
    """Collects objects, each with its TLP level; refuses to add an object twice."""

    pap: Pap
    producer: str
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    levels: dict[str, Tlp] = field(default_factory=dict)

    def add(self, obj: dict[str, Any], tlp: Tlp) -> str:
        obj_id = str(obj["id"])
        if obj_id in self.objects:
            self.levels[obj_id] = strictest(self.levels[obj_id], tlp)
            return obj_id
        obj.setdefault("spec_version", "2.1")
        self.objects[obj_id] = obj
        self.levels[obj_id] = tlp
        return obj_id

    def common(
        self, stix_type: str, obj_id: str, created: str, modified: str | None = None
    ) -> dict[str, Any]:
        return {
            "type": stix_type,
            "spec_version": "2.1",
            "id": obj_id,
            "created_by_ref": self.producer,
            "created": created,
            "modified": modified or created,
        }


def _day_after(value: date) -> date:
    return value + timedelta(days=1)


def _actor_list(value: str | None) -> list[str]:
    return list(split_actors(value))


class _Exporter:
    def __init__(self, sel: Selection, pap: Pap) -> None:
        self.sel = sel
        settings = get_settings()
        self.producer_id = stix_id("identity", "producer", settings.stix_producer)
        self.b = BundleBuilder(pap, self.producer_id)
        self.producer_name = settings.stix_producer
        self.actor_ids: dict[str, str] = {}
        self.vessel_by_key: dict[str, str] = {}
        self.event_refs: dict[str, list[str]] = {}
        self.event_types: dict[str, str] = {}
        self.note_ids: dict[str, list[str]] = {}
        self.port_ids: dict[str, str] = {}
        self.stage_ids: list[str] = []

    # -- objects from configuration ------------------------------------------------------------
    def producer(self) -> None:
        obj = self.b.common("identity", self.producer_id, timestamp(EPOCH))
        obj.update(
            name=self.producer_name,
            identity_class="system",
            description="The watchfloor store this bundle was exported from.",
        )
        self.b.add(obj, Tlp.CLEAR)

    def vessel_extension(self) -> None:
        obj = self.b.common("extension-definition", VESSEL_EXTENSION_ID, timestamp(EPOCH))
        obj.update(
            name="watchfloor vessel",
            description="A ship, identified by IMO number and MMSI, as tracked in AIS and listed on "
            "sanctions lists.",
            schema=VESSEL_SCHEMA,
            version="1.0.0",
            extension_types=["new-sdo"],
        )
        self.b.add(obj, Tlp.CLEAR)
        props = self.b.common("extension-definition", PROPERTIES_EXTENSION_ID, timestamp(EPOCH))
        props.update(
            name="watchfloor properties",
            description="Top-level properties watchfloor adds to standard STIX objects.",
            schema=PROPERTIES_SCHEMA,
            version="1.0.0",
            extension_types=["toplevel-property-extension"],
            extension_properties=list(PROPERTIES),
        )
        self.b.add(props, Tlp.CLEAR)

    def identity(self, key: str, name: str, identity_class: str, tlp: Tlp, **extra: Any) -> str:
        obj_id = stix_id("identity", key, name)
        obj = self.b.common("identity", obj_id, timestamp(EPOCH))
        obj.update(name=name, identity_class=identity_class, **extra)
        return self.b.add(obj, tlp)

    def ports(self) -> None:
        table = load_ports(get_settings().ports_file)
        for port in table.ports:
            obj_id = stix_id("location", "port", port.id)
            obj = self.b.common("location", obj_id, timestamp(EPOCH))
            obj.update(
                name=port.name,
                description=f"Watched {port.kind} ({table.version}); coordinates: {port.source}",
                latitude=port.lat,
                longitude=port.lon,
                precision=port.radius_km * 1000,
                country=port.country.upper(),
            )
            self.port_ids[port.id] = self.b.add(obj, Tlp.CLEAR)

    def stages(self) -> None:
        for stage in self.sel.policy.stages:
            obj_id = stix_id("course-of-action", self.sel.policy.version, stage.id)
            obj = self.b.common("course-of-action", obj_id, timestamp(EPOCH))
            options = "; ".join(stage.options)
            obj.update(
                name=f"Stage {stage.level}: {stage.name}",
                description=f"{stage.description} Options: {options}" if options else stage.description,
                x_watchfloor_stage_level=stage.level,
                x_watchfloor_policy=self.sel.policy.version,
            )
            self.stage_ids.append(self.b.add(obj, Tlp.CLEAR))

    # -- actors ---------------------------------------------------------------------------------
    def actors(self) -> None:
        pair = set(self.sel.policy.pair)
        for entity in self.sel.entities.values():
            if entity.schema != Schema.COUNTRY:
                continue
            actor = str((entity.data or {}).get("actor") or entity.country or entity.id)
            tlp = self.sel.entity_tlp(entity.id)
            created = timestamp(entity.created_at)
            if actor in pair:
                obj_id = stix_id("threat-actor", "state", actor)
                obj = self.b.common("threat-actor", obj_id, created)
                obj.update(
                    name=entity.caption,
                    description=f"The state of {entity.caption}, one of the pair the assessment watches.",
                    threat_actor_types=["nation-state"],
                    aliases=sorted({n.name for n in entity.names if n.name != entity.caption}) or None,
                    x_watchfloor_actor=actor,
                )
                self.actor_ids[actor] = self.b.add({k: v for k, v in obj.items() if v is not None}, tlp)
            else:
                obj_id = stix_id("identity", "state", actor)
                obj = self.b.common("identity", obj_id, created)
                obj.update(name=entity.caption, identity_class="organization", x_watchfloor_actor=actor)
                self.actor_ids[actor] = self.b.add(obj, tlp)

    def actor_ref(self, actor: str) -> str | None:
        """The object of an actor: its entity's, else one named from the gazetteer (CLEAR)."""
        if actor not in self.actor_ids:
            if actor in self.sel.policy.pair:
                obj_id = stix_id("threat-actor", "state", actor)
                obj = self.b.common("threat-actor", obj_id, timestamp(EPOCH))
                obj.update(
                    name=actor_name(actor), threat_actor_types=["nation-state"], x_watchfloor_actor=actor
                )
            else:
                obj_id = stix_id("identity", "state", actor)
                obj = self.b.common("identity", obj_id, timestamp(EPOCH))
                obj.update(name=actor_name(actor), identity_class="organization", x_watchfloor_actor=actor)
            self.actor_ids[actor] = self.b.add(obj, Tlp.CLEAR)
        return self.actor_ids[actor]

    # -- report events and claims ---------------------------------------------------------------
    def source_identity(self, source: str | None) -> str:
        name = source or "unknown source"
        return self.identity("source", name, "organization", Tlp.CLEAR)

    def events(self) -> None:
        for item in self.sel.events:
            event = item.event
            sources = _actor_list(event.source_actor)
            targets = _actor_list(event.target_actor)
            pairs = [(s, t) for s in sources for t in targets if s != t]
            if not pairs and not targets and len(sources) > 1:
                pairs = [(a, b) for i, a in enumerate(sources) for b in sources[i + 1 :]]
            refs: list[str] = []
            created = timestamp(event.created_at)
            for src, tgt in pairs:
                source_ref, target_ref = self.actor_ref(src), self.actor_ref(tgt)
                obj_id = stix_id("relationship", event.id, src, tgt)
                obj = self.b.common("relationship", obj_id, created)
                obj.update(
                    relationship_type=event.type.replace("_", "-").lower(),
                    source_ref=source_ref,
                    target_ref=target_ref,
                    description=event.summary or f"{event.type}: {event.object or ''}".strip(),
                    x_watchfloor_event_id=event.id,
                    x_watchfloor_status=event.status,
                )
                if event.object:
                    obj["x_watchfloor_object"] = event.object
                if event.place:
                    obj["x_watchfloor_place"] = event.place
                first_day = event.date_start or event.date_end
                if first_day:
                    obj["start_time"] = timestamp(first_day)
                    obj["stop_time"] = timestamp(_day_after(event.date_end or first_day))
                refs.append(self.b.add(obj, item.tlp))
            if not refs:
                refs = [r for r in (self.actor_ref(a) for a in sources + targets) if r]
            self.event_refs[event.id] = refs
            self.event_types[event.id] = event.type
            for claim in item.claims:
                self.note(item.event.id, claim, refs)

    def note(self, event_id: str, claim: Any, refs: list[str]) -> None:
        doc = self.sel.documents[claim.document_id]
        tlp = self.sel.claim_tlp[claim.id]
        source_ref = self.source_identity(doc.source)
        refs = refs or [source_ref]
        grade = f"{claim.reliability}{claim.credibility}"
        span = self.sel.quotes.get(claim.id)
        quote = (span.quote if span else None) or (claim.data or {}).get("statement")
        obj_id = stix_id("note", claim.id)
        obj = self.b.common("note", obj_id, timestamp(doc.ingested_at))
        hedge = ", hedged" if claim.hedged else ""
        obj.update(
            abstract=f"{grade}: {claim.speaker} {claim.stance}{hedge} (source: {doc.source or 'unknown'})",
            content=str(quote or claim.speaker),
            authors=[claim.speaker],
            object_refs=refs,
            external_references=[
                {
                    "source_name": doc.source or "unknown source",
                    "description": doc.title or doc.origin,
                    "external_id": doc.id,
                    **({"url": doc.url} if doc.url else {}),
                }
            ],
            x_watchfloor_admiralty_grade=grade,
            x_watchfloor_reliability=claim.reliability,
            x_watchfloor_credibility=claim.credibility,
            x_watchfloor_stance=claim.stance,
            x_watchfloor_hedged=bool(claim.hedged),
            x_watchfloor_claim_id=claim.id,
            x_watchfloor_event_id=event_id,
            x_watchfloor_event_type=self.event_types.get(event_id),
            x_watchfloor_source_ref=source_ref,
        )
        if span is not None and span.start is not None:
            obj["x_watchfloor_span"] = [span.start, span.end]
        if claim.claimed_on:
            obj["x_watchfloor_claimed_on"] = claim.claimed_on.isoformat()
        self.note_ids.setdefault(event_id, []).append(self.b.add(obj, tlp))

    # -- vessels and maritime events ------------------------------------------------------------
    def vessels(self) -> None:
        for entity in self.sel.entities.values():
            if entity.schema != Schema.VESSEL:
                continue
            idents = {(i.scheme, i.value) for i in entity.identifiers}
            imos = sorted(v for s, v in idents if s == "imo")
            mmsis = sorted(v for s, v in idents if s == "mmsi")
            key = f"imo:{imos[0]}" if imos else f"mmsi:{mmsis[0]}" if mmsis else f"entity:{entity.id}"
            entry = (entity.data or {}).get("list_entry")
            entries = sorted({str(entry)} if entry else set())
            vessel_id = self._vessel(
                key,
                entity.caption,
                imos[:1],
                mmsis,
                entity.country,
                entries,
                self.sel.entity_tlp(entity.id),
                timestamp(entity.created_at),
            )
            for imo in imos:
                self.vessel_by_key[f"imo:{imo}"] = vessel_id
            for mmsi in mmsis:
                self.vessel_by_key[f"mmsi:{mmsi}"] = vessel_id

    def _vessel(
        self,
        key: str,
        name: str,
        imos: list[str],
        mmsis: list[str],
        flag: str | None,
        entries: list[str],
        tlp: Tlp,
        created: str,
    ) -> str:
        obj_id = stix_id("vessel", key)
        obj = self.b.common("vessel", obj_id, created)
        obj["name"] = name
        if imos:
            obj["imo_number"] = imos[0]
        if mmsis:
            obj["mmsi"] = mmsis
        if flag:
            obj["flag"] = flag.lower()
        obj["sanctioned"] = bool(entries)
        if entries:
            obj["list_entries"] = entries
        obj["extensions"] = {VESSEL_EXTENSION_ID: {"extension_type": "new-sdo"}}
        return self.b.add(obj, tlp)

    def vessel_ref(self, mmsi: int | None, imo: int | None, name: str | None, tlp: Tlp, created: str) -> str:
        for key in (f"imo:{imo}" if imo else None, f"mmsi:{mmsi}" if mmsi else None):
            if key and key in self.vessel_by_key:
                return self.vessel_by_key[key]
        key = f"imo:{imo}" if imo else f"mmsi:{mmsi}"
        vessel_id = self._vessel(
            key,
            name or f"MMSI {mmsi}",
            [str(imo)] if imo else [],
            [str(mmsi)] if mmsi else [],
            None,
            [],
            tlp,
            created,
        )
        self.vessel_by_key[key] = vessel_id
        return vessel_id

    def designations(self) -> None:
        for key, entry in sorted(self.sel.list_entries.items()):
            target = None
            for ident in (entry.data or {}).get("identifiers", []):
                if isinstance(ident, dict) and ident.get("scheme") in ("imo", "mmsi"):
                    target = self.vessel_by_key.get(f"{ident['scheme']}:{ident['value']}")
                    if target:
                        break
            if target is None:
                continue
            authority = self.identity(
                "list",
                entry.source,
                "organization",
                Tlp.CLEAR,
                description=f"Issuer of the sanctions list {entry.source}",
            )
            obj_id = stix_id("relationship", "designation", key)
            obj = self.b.common("relationship", obj_id, timestamp(entry.listed_on or EPOCH))
            obj.update(
                relationship_type="designated-by",
                source_ref=target,
                target_ref=authority,
                description=f"{entry.caption} is listed on {entry.source} as {entry.entry_id} "
                f"(programmes: {', '.join(str(p) for p in entry.programmes or []) or 'none given'})",
                x_watchfloor_list_entry=key,
            )
            if entry.listed_on:
                obj["start_time"] = timestamp(entry.listed_on)
            if entry.url:
                obj["external_references"] = [
                    {"source_name": entry.source, "url": entry.url, "external_id": entry.entry_id}
                ]
            self.b.add(obj, strictest(entry.tlp, self.b.levels[target]))

    def maritime(self) -> None:
        ais = self.identity(
            "sensor",
            "AIS",
            "system",
            Tlp.CLEAR,
            description="Automatic Identification System position reports",
        )
        for row, tlp in self.sel.maritime:
            created = timestamp(row.created_at)
            vessel = self.vessel_ref(row.mmsi, row.imo, row.vessel_name, tlp, created)
            where: list[str] = []
            if row.port and row.port in self.port_ids:
                where.append(self.port_ids[row.port])
            elif row.lat is not None and row.lon is not None:
                loc_id = stix_id("location", "point", round(row.lat, 4), round(row.lon, 4))
                loc = self.b.common("location", loc_id, created)
                loc.update(
                    name=f"{row.lat:.4f}, {row.lon:.4f}",
                    latitude=round(row.lat, 6),
                    longitude=round(row.lon, 6),
                )
                where.append(self.b.add(loc, tlp))
            end = max(row.end, row.start)
            obj_id = stix_id("sighting", row.id)
            obj = self.b.common("sighting", obj_id, created)
            obj.update(
                sighting_of_ref=vessel,
                first_seen=timestamp(row.start),
                last_seen=timestamp(end),
                count=1,
                description=self._maritime_text(row),
                x_watchfloor_kind=row.kind,
                x_watchfloor_maritime_event_id=row.id,
                x_watchfloor_observer_ref=ais,
                x_watchfloor_synthetic=bool((row.data or {}).get("synthetic", False)),
            )
            if where:
                obj["where_sighted_refs"] = where
            if row.list_entries:
                obj["x_watchfloor_list_entries"] = [str(k) for k in row.list_entries]
            self.b.add(obj, tlp)
            if row.kind == "encounter" and row.other_mmsi:
                other = self.vessel_ref(row.other_mmsi, None, None, tlp, created)
                rel_id = stix_id("relationship", row.id, "met")
                rel = self.b.common("relationship", rel_id, created)
                rel.update(
                    relationship_type="met",
                    source_ref=vessel,
                    target_ref=other,
                    start_time=timestamp(row.start),
                    stop_time=timestamp(end + timedelta(seconds=1)),
                    description=self._maritime_text(row),
                    x_watchfloor_maritime_event_id=row.id,
                )
                self.b.add(rel, tlp)
            if row.kind == "port_visit" and where:
                rel_id = stix_id("relationship", row.id, "visited")
                rel = self.b.common("relationship", rel_id, created)
                rel.update(
                    relationship_type="visited",
                    source_ref=vessel,
                    target_ref=where[0],
                    start_time=timestamp(row.start),
                    stop_time=timestamp(end + timedelta(seconds=1)),
                    x_watchfloor_maritime_event_id=row.id,
                )
                self.b.add(rel, tlp)

    @staticmethod
    def _maritime_text(row: Any) -> str:
        who = row.vessel_name or f"MMSI {row.mmsi}"
        other = f" with MMSI {row.other_mmsi}" if row.other_mmsi else ""
        at = f" at {row.port}" if row.port else ""
        span = f"{row.start:%Y-%m-%d %H:%M} to {row.end:%Y-%m-%d %H:%M} UTC"
        return f"{row.kind.replace('_', ' ')}: {who}{other}{at}, {span}"

    # -- reviews, report ------------------------------------------------------------------------
    def reviews(self) -> None:
        for review in self.sel.reviews:
            refs = self.note_ids.get(review.subject_id, []) + self.event_refs.get(review.subject_id, [])
            if not refs:
                continue
            analyst = self.identity("analyst", review.analyst, "individual", Tlp.CLEAR)
            obj_id = stix_id("opinion", review.id, review.subject_id, review.decision)
            obj = {
                "type": "opinion",
                "spec_version": "2.1",
                "id": obj_id,
                "created_by_ref": analyst,
                "created": timestamp(review.at),
                "modified": timestamp(review.at),
                "opinion": "strongly-agree" if review.decision == "confirm" else "strongly-disagree",
                "explanation": review.reason,
                "authors": [review.analyst],
                "object_refs": sorted(set(refs)),
                "x_watchfloor_decision": review.decision,
                "x_watchfloor_subject": f"{review.subject_kind}:{review.subject_id}",
            }
            self.b.add(obj, strictest(review.tlp, *(self.b.levels[r] for r in refs)))

    def report(self, since: date | None) -> None:
        assessment = self.sel.assessment
        assert assessment is not None
        stage = assessment.current_stage
        contents = sorted(
            i
            for i, o in self.b.objects.items()
            if o["type"] not in ("marking-definition", "extension-definition")
        )
        stamps = [str(o.get("modified") or o["created"]) for o in self.b.objects.values()]
        published_days = [d.published for d in self.sel.documents.values() if d.published]
        published_days += [row.end.date() for row, _ in self.sel.maritime]
        published = max(published_days) if published_days else EPOCH.date()
        obj_id = stix_id("report", "assessment", self.sel.level.value, since, self.sel.policy.version)
        stage_ref = next(
            (s for s in self.stage_ids if self.b.objects[s]["x_watchfloor_stage_level"] == stage.level), None
        )
        obj = self.b.common("report", obj_id, min(stamps), max(stamps))
        obj.update(
            name=f"watchfloor assessment: stage {stage.level}, {stage.name}",
            description=assessment.explanation,
            published=timestamp(published),
            report_types=["threat-report"],
            object_refs=contents,
            x_watchfloor_stage_level=stage.level,
            x_watchfloor_stage_ref=stage_ref,
            x_watchfloor_algorithms={
                "export": EXPORT_ALGORITHM,
                **assessment.algorithms,
                "assessment": assessment.algorithm,
            },
            x_watchfloor_indicators={r.id: r.status.value for r in assessment.indicators},
            x_watchfloor_tlp_ceiling=self.sel.level.value,
        )
        if since is not None:
            obj["x_watchfloor_since"] = since.isoformat()
        self.b.add(obj, strictest(*self.b.levels.values()))

    def finish(self) -> list[dict[str, Any]]:
        """Mark every object, add the marking definitions used, and order the bundle."""
        used_tlp: set[Tlp] = set()
        for obj_id, obj in self.b.objects.items():
            tlp = self.b.levels[obj_id]
            used_tlp.add(tlp)
            obj["object_marking_refs"] = [tlp.marking_id, self.b.pap.marking_id]
            own = sorted(k for k in obj if k.startswith("x_watchfloor_"))
            if own and obj["type"] != "vessel":
                extensions = obj.setdefault("extensions", {})
                extensions[PROPERTIES_EXTENSION_ID] = {"extension_type": "toplevel-property-extension"}
            unknown = set(own) - set(PROPERTIES)
            if unknown:  # a property the extension does not define would make the bundle lie
                raise RuntimeError(f"undeclared STIX properties {sorted(unknown)} on {obj_id}")
        markings = [t.marking() for t in sorted(used_tlp, key=lambda t: t.rank)] + [self.b.pap.marking()]
        ordered = sorted(
            self.b.objects.values(), key=lambda o: (_TYPE_ORDER.get(str(o["type"]), 50), o["id"])
        )
        return markings + ordered


_TYPE_ORDER = {
    "extension-definition": 0,
    "identity": 1,
    "threat-actor": 2,
    "location": 3,
    "vessel": 4,
    "course-of-action": 5,
    "relationship": 6,
    "sighting": 7,
    "note": 8,
    "opinion": 9,
    "report": 10,
}


def build_bundle(sel: Selection, pap: Pap | str | None = None) -> dict[str, Any]:
    """The STIX 2.1 bundle of a selection: a dict ready for ``json.dumps``."""
    exporter = _Exporter(sel, parse_pap(pap or get_settings().default_pap))
    exporter.producer()
    exporter.vessel_extension()
    exporter.ports()
    exporter.stages()
    exporter.actors()
    exporter.events()
    exporter.vessels()
    exporter.designations()
    exporter.maritime()
    exporter.reviews()
    exporter.report(sel.since)
    objects = exporter.finish()
    for obj in objects:  # the last guard: nothing above the partner's level, never TLP:RED
        level = exporter.b.levels.get(str(obj["id"]))
        if level is not None and (level.rank > sel.level.rank or level is Tlp.RED):
            raise RuntimeError(f"{obj['id']} is marked {level.label}, above {sel.level.label}")
    bundle_id = stix_id("bundle", *sorted(str(o["id"]) + str(o.get("modified", "")) for o in objects))
    return {"type": "bundle", "id": bundle_id, "objects": objects}


def export_stix(
    session: Session,
    level: str | Tlp,
    since: date | None = None,
    pap: Pap | str | None = None,
) -> tuple[dict[str, Any], Selection]:
    """Select what a partner at ``level`` may have (from ``since``) and build its STIX bundle."""
    sel = select_for_partner(session, level, since)
    return build_bundle(sel, pap), sel


def write_json(data: Any, out: Path) -> int:
    """Write ``data`` as JSON to ``out`` atomically (a temporary file renamed); returns the size."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    return write_text(text, out)


def write_text(text: str, out: Path) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    return len(text.encode("utf-8"))


def object_ids(objects: Iterable[dict[str, Any]]) -> list[str]:
    return [str(o["id"]) for o in objects]
