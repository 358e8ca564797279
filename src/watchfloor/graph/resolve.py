# Over 500 lines on purpose: one resolution run whose ordered steps share one in-memory graph.
"""Resolution: one entity per real-world actor across reports, sanctions lists and AIS.

``watchfloor-resolve-v1`` builds the evidence graph's entities and merges what is one actor:

- states: every actor id of the events and claims, and every mention whose text names a state
  ("Pyongyang", "North Korean"), resolve to one ``Country`` entity per state (alias table in
  ``extract/gazetteer.yaml``);
- vessels: one entity per MMSI seen in AIS; it is merged into the list entry its maritime events
  link to (the maritime linker's match on IMO/MMSI) or that has the same IMO in the screening
  index; list entries of one vessel on several lists are merged into one;
- people, organisations and vessels named in reports: one entity per name (or gazetteer id),
  merged into a list entry when the screening engine calls it a match, and a vessel named in a
  report into the AIS vessel of exactly that name when only one has it (a weak merge).

Every merge keeps its rule in ``Entity.data['merge']`` and its evidence as :class:`Provenance`
rows (``subject_kind='merge'``, subject the merged entity): list entries, AIS events, document
spans. An analyst can undo a merge (:func:`undo_merge`): ``merged_into`` is cleared and the pair
is remembered so that resolving again does not redo it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from normality import normalize
from sqlalchemy import select
from sqlalchemy.orm import Session

from watchfloor.graph.actors import actor_name, canonical_actor, state_actors
from watchfloor.model.ids import stable_id
from watchfloor.model.schema import IdScheme, Schema
from watchfloor.screen.score import Query, screen
from watchfloor.store.models import (
    Claim,
    Entity,
    EntityIdentifier,
    EntityName,
    Event,
    ListEntryRecord,
    ListVersion,
    MaritimeEvent,
    Mention,
    Provenance,
)

RESOLVE_ALGORITHM = "watchfloor-resolve-v1"
STATE_SCHEMA = Schema.COUNTRY.value
NAME_MATCH_MIN_SCORE = 0.9
_MENTION_SCHEMAS = {
    "PERSON": Schema.PERSON.value,
    "ORG": Schema.ORGANIZATION.value,
    "VESSEL": Schema.VESSEL.value,
    "NORP": None,
    "GPE": None,
}


@dataclass(frozen=True)
class MergeEvidence:
    kind: str
    document_id: str | None = None
    start: int | None = None
    end: int | None = None
    quote: str | None = None
    list_entry_key: str | None = None
    maritime_event_id: str | None = None


@dataclass(frozen=True)
class MergeView:
    entity_id: str
    caption: str
    into: str
    into_caption: str
    rule: str
    strong: bool
    evidence: tuple[MergeEvidence, ...]


@dataclass
class ResolutionReport:
    algorithm: str = RESOLVE_ALGORITHM
    entities_created: int = 0
    merges_made: int = 0
    mentions_linked: int = 0
    merges_skipped_as_rejected: int = 0
    merges: list[MergeView] = field(default_factory=list)


def _now() -> datetime:
    return datetime.now(UTC)


def _norm(text: str | None) -> str:
    return normalize(text or "", lowercase=True) or ""


def root_of(session: Session, entity_id: str) -> str:
    """The canonical entity ``entity_id`` resolves to (following merges)."""
    seen = {entity_id}
    current = entity_id
    while True:
        entity = session.get(Entity, current)
        if entity is None or entity.merged_into is None or entity.merged_into in seen:
            return current
        current = entity.merged_into
        seen.add(current)


class _Graph:
    """Creates entities idempotently within one session."""

    def __init__(self, session: Session, report: ResolutionReport) -> None:
        self.session = session
        self.report = report

    def entity(
        self,
        entity_id: str,
        schema: str,
        caption: str,
        country: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> Entity:
        entity = self.session.get(Entity, entity_id)
        if entity is None:
            entity = Entity(
                id=entity_id,
                schema=schema,
                caption=caption,
                country=country,
                data=dict(data or {}),
                created_at=_now(),
            )
            self.session.add(entity)
            self.session.flush()
            self.report.entities_created += 1
        return entity

    def add_name(self, entity: Entity, name: str, kind: str = "alias", lang: str | None = None) -> None:
        if name and all(n.name != name for n in entity.names):
            entity.names.append(EntityName(name=name, kind=kind, lang=lang))

    def add_identifier(self, entity: Entity, scheme: str, value: str) -> None:
        if value and all((i.scheme, i.value) != (scheme, value) for i in entity.identifiers):
            entity.identifiers.append(EntityIdentifier(scheme=scheme, value=value))

    def state(self, code: str) -> Entity:
        entity = self.entity(
            stable_id("ent", "state", code), STATE_SCHEMA, actor_name(code), code, {"actor": code}
        )
        for actor in state_actors():
            if actor.id == code:
                self.add_name(entity, actor.name, "primary")
                for alias in actor.aliases:
                    self.add_name(entity, alias)
        return entity

    def list_entity(self, key: str) -> Entity | None:
        source, _, entry_id = key.partition(":")
        record = self.session.scalars(
            select(ListEntryRecord)
            .join(ListVersion, ListVersion.id == ListEntryRecord.version_id)
            .where(ListEntryRecord.source == source, ListEntryRecord.entry_id == entry_id)
            .order_by(ListVersion.active.desc(), ListVersion.loaded_at.desc())
            .limit(1)
        ).first()
        if record is None:
            return None
        data = record.data or {}
        countries = data.get("nationalities") or []
        entity = self.entity(
            stable_id("ent", "list", key),
            record.schema,
            record.caption,
            countries[0] if countries else None,
            {"list_entry": key},
        )
        self.add_name(entity, record.caption, "primary")
        for name in data.get("names") or []:
            if isinstance(name, dict) and name.get("value"):
                self.add_name(entity, str(name["value"]), str(name.get("kind") or "alias"), name.get("lang"))
        for ident in data.get("identifiers") or []:
            if isinstance(ident, dict) and ident.get("scheme") and ident.get("value"):
                self.add_identifier(entity, str(ident["scheme"]), str(ident["value"]))
        return entity


def _add_evidence(session: Session, entity_id: str, root: str, evidence: list[MergeEvidence]) -> None:
    seen: set[str] = set()
    for item in evidence:
        prov_id = stable_id("prov", "merge", entity_id, root, item.kind, item.document_id, item.start,
                            item.list_entry_key, item.maritime_event_id)  # fmt: skip
        if prov_id not in seen and session.get(Provenance, prov_id) is None:
            seen.add(prov_id)
            session.add(
                Provenance(id=prov_id, subject_kind="merge", subject_id=entity_id, kind=item.kind,
                           document_id=item.document_id, start=item.start, end=item.end, quote=item.quote,
                           list_entry_key=item.list_entry_key, maritime_event_id=item.maritime_event_id)
            )  # fmt: skip


def merge(
    session: Session,
    entity: Entity,
    target: Entity,
    rule: str,
    evidence: list[MergeEvidence],
    *,
    strong: bool = True,
    report: ResolutionReport | None = None,
) -> bool:
    """Merge ``entity`` into ``target`` (its canonical entity), keeping the rule and the evidence.

    Refused (False) when an analyst rejected this merge before, when it is already made, or when
    it would make a cycle.
    """
    root = root_of(session, target.id)
    if root == entity.id or entity.id == target.id:
        return False
    rejected = set((entity.data or {}).get("merge_rejected") or [])
    if target.id in rejected or root in rejected:
        if report is not None:
            report.merges_skipped_as_rejected += 1
        return False
    if entity.merged_into is not None:
        if entity.merged_into == root:
            _add_evidence(session, entity.id, root, evidence)  # the merge stands: keep any new evidence
        return False
    entity.merged_into = root
    entity.data = {
        **(entity.data or {}),
        "merge": {
            "into": root,
            "rule": rule,
            "strong": strong,
            "algorithm": RESOLVE_ALGORITHM,
            "at": _now().isoformat(),
        },
    }
    _add_evidence(session, entity.id, root, evidence)
    session.flush()
    if report is not None:
        report.merges_made += 1
    return True


def undo_merge(session: Session, entity: Entity) -> None:
    """Undo the merge of ``entity``: clear ``merged_into`` and remember not to redo it."""
    target = entity.merged_into
    data = dict(entity.data or {})
    rejected = list(data.get("merge_rejected") or [])
    if target and target not in rejected:
        rejected.append(target)
    data["merge_rejected"] = rejected
    if "merge" in data:
        data["merge"] = {**data["merge"], "undone_at": _now().isoformat()}
    entity.data = data
    entity.merged_into = None
    session.flush()


def confirm_merge(session: Session, entity: Entity) -> None:
    """Mark the merge of ``entity`` as confirmed by an analyst."""
    data = dict(entity.data or {})
    if "merge" in data:
        data["merge"] = {**data["merge"], "confirmed_at": _now().isoformat()}
    entity.data = data
    session.flush()


def _resolve_states(graph: _Graph, session: Session) -> None:
    known = {a.id for a in state_actors()}
    codes: set[str] = set()
    for src, tgt in session.execute(select(Event.source_actor, Event.target_actor)):
        for value in (src, tgt):
            for part in (value or "").split(","):
                code = canonical_actor(part)
                if code in known:
                    codes.add(code)
    for (speaker,) in session.execute(select(Claim.speaker_actor)):
        code = canonical_actor(speaker)
        if code in known:
            codes.add(code)
    for code in sorted(codes):
        graph.state(code)
    for mention in session.scalars(select(Mention).where(Mention.entity_id.is_(None))):
        code = canonical_actor(mention.text)
        if code not in known:
            continue
        entity = graph.state(code)
        graph.add_name(entity, mention.text)
        mention.entity_id = entity.id
        graph.report.mentions_linked += 1


def _resolve_vessels(graph: _Graph, session: Session, index: Any) -> dict[str, list[Entity]]:
    by_mmsi: dict[int, list[MaritimeEvent]] = defaultdict(list)
    for row in session.scalars(select(MaritimeEvent).order_by(MaritimeEvent.start)):
        by_mmsi[row.mmsi].append(row)
    vessels: dict[str, list[Entity]] = defaultdict(list)
    for mmsi, rows in sorted(by_mmsi.items()):
        names = [r.vessel_name for r in rows if r.vessel_name]
        imos = sorted({r.imo for r in rows if r.imo})
        caption = names[-1] if names else f"MMSI {mmsi}"
        vessel = graph.entity(
            stable_id("ent", "vessel", "mmsi", mmsi),
            Schema.VESSEL.value,
            caption,
            None,
            {"mmsi": mmsi, "source": "ais"},
        )
        for name in dict.fromkeys(names):
            graph.add_name(vessel, name)
        graph.add_identifier(vessel, "mmsi", str(mmsi))
        for imo in imos:
            graph.add_identifier(vessel, "imo", str(imo))
        vessels[_norm(caption)].append(vessel)
        keys: dict[str, tuple[str, str]] = {}
        for row in rows:
            for key in row.list_entries or []:
                keys.setdefault(str(key), ("linked by the maritime linker", row.id))
        if index is not None and imos:
            for imo in imos:
                for position in index.by_identifier(IdScheme.IMO, str(imo)):
                    key = index.entries[position].entry.key
                    keys.setdefault(key, (f"same IMO {imo} in the screening index", rows[0].id))
        entities = [(k, graph.list_entity(k)) for k in sorted(keys)]
        listed = [(k, e) for k, e in entities if e is not None]
        if not listed:
            continue
        canonical_key, canonical = listed[0]
        ident = f"IMO {imos[0]}" if imos else f"MMSI {mmsi}"
        for key, other in listed[1:]:
            merge(
                session,
                other,
                canonical,
                f"same vessel ({ident}) on two lists",
                [
                    MergeEvidence("list_entry", list_entry_key=key),
                    MergeEvidence("list_entry", list_entry_key=canonical_key),
                ],
                report=graph.report,
            )
        why, event_id = keys[canonical_key]
        merge(
            session,
            vessel,
            canonical,
            f"AIS vessel {caption} ({ident}) {why}",
            [
                MergeEvidence("ais", maritime_event_id=event_id),
                MergeEvidence("list_entry", list_entry_key=canonical_key),
            ],
            report=graph.report,
        )
    return vessels


def _resolve_mentions(graph: _Graph, session: Session, index: Any, vessels: dict[str, list[Entity]]) -> None:
    mentions = list(session.scalars(select(Mention).where(Mention.entity_id.is_(None)).order_by(Mention.id)))
    for mention in mentions:
        schema = _MENTION_SCHEMAS.get(mention.label.upper())
        if schema is None:
            continue
        key = _norm(mention.text)
        if not key:
            continue
        entity = graph.entity(
            stable_id("ent", "name", schema, key), schema, mention.text, None, {"source": "report"}
        )
        graph.add_name(entity, mention.text)
        mention.entity_id = entity.id
        graph.report.mentions_linked += 1
        span = MergeEvidence("document_span", mention.document_id, mention.start, mention.end, mention.text)
        if schema == Schema.VESSEL and len(vessels.get(key, [])) == 1:
            target = vessels[key][0]
            merge(
                session,
                entity,
                target,
                f"vessel named {mention.text!r} in a report; the only AIS vessel of that name",
                [
                    span,
                    *(
                        MergeEvidence("ais", maritime_event_id=m.id)
                        for m in session.scalars(
                            select(MaritimeEvent)
                            .where(MaritimeEvent.mmsi == (target.data or {}).get("mmsi"))
                            .limit(1)
                        )
                    ),
                ],
                strong=False,
                report=graph.report,
            )
            continue
        if index is None:
            continue

        matches = screen(Query(name=mention.text, schema=Schema(schema)), index, limit=3)
        good = [m for m in matches if m.match and m.score >= NAME_MATCH_MIN_SCORE]
        if not good:
            continue
        best = good[0]
        listed = graph.list_entity(best.key)
        if listed is None:
            continue
        merge(
            session,
            entity,
            listed,
            f"name {mention.text!r} matches list entry {best.caption!r} (score {best.score:.2f}): "
            f"{best.explanation.summary}",
            [span, MergeEvidence("list_entry", list_entry_key=best.key)],
            strong=best.score >= 0.97,
            report=graph.report,
        )


def _resolve_short_names(graph: _Graph, session: Session) -> None:
    """A person named by one word ("Kirby", "Yoon") is the one person of the same document whose
    full name begins or ends with it ("John Kirby", "Yoon Suk Yeol"): a weak, same-document merge."""
    persons = list(
        session.scalars(select(Mention).where(Mention.label == "PERSON", Mention.entity_id.is_not(None)))
    )
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for mention in persons:
        by_doc[mention.document_id].append(mention)
    for mentions in by_doc.values():
        for short in mentions:
            words = _norm(short.text).split()
            if len(words) != 1:
                continue
            full = {
                m.entity_id
                for m in mentions
                if len(_norm(m.text).split()) > 1
                and words[0] in (_norm(m.text).split()[0], _norm(m.text).split()[-1])
            }
            if len(full) != 1 or short.entity_id is None:
                continue
            target = session.get(Entity, next(iter(full)))
            entity = session.get(Entity, short.entity_id)
            if target is None or entity is None:
                continue
            merge(
                session, entity, target,
                f"{short.text!r} is the only person in the same report whose name contains it "
                f"({target.caption!r})",
                [MergeEvidence("document_span", short.document_id, short.start, short.end, short.text)],
                strong=False, report=graph.report,
            )  # fmt: skip


def needs_screening(session: Session) -> bool:
    """Whether resolution has names or vessels the screening index could still link: a report
    name not linked yet, or an AIS vessel with no entity yet. Saves building the index for nothing."""
    labels = [label for label, schema in _MENTION_SCHEMAS.items() if schema]
    unlinked = session.scalars(
        select(Mention.id).where(Mention.entity_id.is_(None), Mention.label.in_(labels)).limit(1)
    ).first()
    if unlinked is not None:
        return True
    known = {
        int(e.data["mmsi"])
        for e in session.scalars(select(Entity).where(Entity.schema == Schema.VESSEL.value))
        if (e.data or {}).get("mmsi") is not None
    }
    mmsis = set(session.scalars(select(MaritimeEvent.mmsi).distinct()))
    return bool(mmsis - known)


def resolve(session: Session, index: Any = None) -> ResolutionReport:
    """Build and merge the evidence graph's entities from what the store holds.

    ``index`` is a :class:`watchfloor.screen.index.ScreenIndex` of the loaded lists; without one,
    only the maritime linker's list links and the state alias table are used.
    """
    report = ResolutionReport()
    graph = _Graph(session, report)
    _resolve_states(graph, session)
    vessels = _resolve_vessels(graph, session, index)
    _resolve_mentions(graph, session, index, vessels)
    _resolve_short_names(graph, session)
    session.flush()
    report.merges = list_merges(session)
    return report


def rescreen_names(session: Session, index: Any) -> ResolutionReport:
    """Screen again, against ``index`` (the lists as they are now), the names from reports that no
    list entry matched: what a new list version adds is found without waiting for a new mention.

    The same rule and threshold as :func:`resolve` (``NAME_MATCH_MIN_SCORE``), evidence the
    entity's first mention; merges an analyst undid stay undone (:func:`merge` refuses them).
    """

    report = ResolutionReport()
    graph = _Graph(session, report)
    names = session.scalars(
        select(Entity)
        .where(Entity.merged_into.is_(None), Entity.schema.in_(("Person", "Organization", "Vessel")))
        .order_by(Entity.id)
    )
    for entity in [e for e in names if (e.data or {}).get("source") == "report"]:
        mention = session.scalars(
            select(Mention).where(Mention.entity_id == entity.id).order_by(Mention.id).limit(1)
        ).first()
        if mention is None:
            continue
        matches = screen(Query(name=mention.text, schema=Schema(entity.schema)), index, limit=3)
        good = [m for m in matches if m.match and m.score >= NAME_MATCH_MIN_SCORE]
        listed = graph.list_entity(good[0].key) if good else None
        if listed is None:
            continue
        best = good[0]
        merge(
            session,
            entity,
            listed,
            f"name {mention.text!r} matches list entry {best.caption!r} (score {best.score:.2f}) "
            f"when the lists changed: {best.explanation.summary}",
            [
                MergeEvidence("document_span", mention.document_id, mention.start, mention.end, mention.text),
                MergeEvidence("list_entry", list_entry_key=best.key),
            ],
            strong=best.score >= 0.97,
            report=report,
        )
    session.flush()
    return report


def list_merges(session: Session, include_undone: bool = False) -> list[MergeView]:
    """Every merge with its rule and evidence (undone ones too, on request)."""
    evidence: dict[str, list[MergeEvidence]] = defaultdict(list)
    for row in session.scalars(select(Provenance).where(Provenance.subject_kind == "merge")):
        evidence[row.subject_id].append(
            MergeEvidence(
                row.kind,
                row.document_id,
                row.start,
                row.end,
                row.quote,
                row.list_entry_key,
                row.maritime_event_id,
            )
        )
    views: list[MergeView] = []
    statement = select(Entity).order_by(Entity.id)
    for entity in session.scalars(statement):
        info = (entity.data or {}).get("merge")
        if not info or (entity.merged_into is None and not include_undone):
            continue
        into = session.get(Entity, str(info.get("into")))
        views.append(
            MergeView(
                entity.id,
                entity.caption,
                str(info.get("into")),
                into.caption if into else "?",
                str(info.get("rule")),
                bool(info.get("strong", True)),
                tuple(evidence.get(entity.id, [])),
            )
        )
    return views
