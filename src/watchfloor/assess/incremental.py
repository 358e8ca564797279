"""One assessment kept current as evidence arrives, without recomputing its history.

:class:`IncrementalAssessor` holds one assessment and keeps it current: :meth:`~IncrementalAssessor.add`
takes a day's claims (new events, or new claims of known ones) and maritime events, and
:meth:`~IncrementalAssessor.review` an analyst's decision; each recomputes only the indicators the
new evidence can change (their statuses continue from the last date, see
:mod:`watchfloor.assess.sweep`), and the stage from those. A full assessment is the same object
fed everything at once; the tests hold the two equal on every fixture and on a random corpus.
Linear in the evidence: one pass over the dates, blocked clustering and independence links.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy.orm import Session

from watchfloor.assess.evidence import (
    ClaimRecord,
    DocumentInfo,
    EventRecord,
    Evidence,
    MaritimeRecord,
    _replace_claims,
    load_evidence,
)
from watchfloor.assess.grading import Grade
from watchfloor.assess.indicators import (
    DENIAL_TYPES,
    IndicatorResult,
    StatusChange,
    evaluate_indicator,
)
from watchfloor.assess.ladder import TriggerState, current_level
from watchfloor.assess.matching import maritime_pool, match_event
from watchfloor.assess.policy import IndicatorSpec, Policy, Status, load_policy
from watchfloor.assess.result import Assessment, Linchpin, compose
from watchfloor.assess.status import base_grade
from watchfloor.assess.sweep import StatusTracker
from watchfloor.graph.event_clusters import EventCluster, cluster_events


def _summary(event: EventRecord) -> str:
    parts = [event.type, f"{event.source_actor or '?'} -> {event.target_actor or '?'}"]
    if event.object:
        parts.append(event.object)
    return " ".join(parts)


def _set_aside_synthetic(evidence: Evidence) -> Evidence:
    """The snapshot with synthetic claims and maritime events set aside (counted, never assessed)."""
    events: list[EventRecord] = []
    for event in evidence.events:
        kept = tuple(c for c in event.claims if not _synthetic_document(evidence, c.document_id))
        evidence.synthetic_claims += len(event.claims) - len(kept)
        if kept:
            events.append(event if len(kept) == len(event.claims) else _replace_claims(event, kept))
    evidence.events = events
    evidence.synthetic_maritime.extend(m for m in evidence.maritime if m.synthetic)
    evidence.maritime = [m for m in evidence.maritime if not m.synthetic]
    return evidence


def _synthetic_document(evidence: Evidence, document_id: str) -> bool:
    document = evidence.documents.get(document_id)
    return document is not None and document.synthetic


@dataclass
class _History:
    """One indicator's status on each date its own evidence arrived, and the tracker behind it."""

    tracker: StatusTracker
    statuses: list[tuple[date, Status]] = field(default_factory=list)

    @property
    def last(self) -> date | None:
        return self.statuses[-1][0] if self.statuses else None


class IncrementalAssessor:
    """One assessment kept current as evidence arrives, without recomputing its history.

    ``IncrementalAssessor(policy, evidence)`` assesses a snapshot (the full computation);
    :meth:`add` and :meth:`review` update it and return the new :class:`Assessment`, equal to a
    full assessment of the evidence as it then stands (``computed_at`` aside).
    """

    def __init__(self, policy: Policy, evidence: Evidence | None = None) -> None:
        self.policy = policy
        self.evidence = _set_aside_synthetic(evidence or Evidence(None))
        self.index = self.evidence.independence(policy.grading.near_duplicate_ratio)
        self._events: dict[str, EventRecord] = {e.id: e for e in self.evidence.events}
        self._matched: dict[str, set[str]] = {spec.id: set() for spec in policy.indicators}
        for event in self.evidence.events:
            for spec_id in self._specs_matching(event):
                self._matched[spec_id].add(event.id)
        self._histories: dict[str, _History] = {}
        self._results: dict[str, IndicatorResult] = {}
        self._versions: dict[str, int] = dict.fromkeys(self._matched, 0)
        self._documents: dict[str, set[str]] = {}
        self._event_version = 0
        self._clusters: tuple[int, list[EventCluster]] | None = None
        self._final: dict[str, tuple[int, StatusTracker]] = {}
        self._base_grades: dict[str, Grade] = {}
        self._maritime_version = 0
        self._pools: dict[str, tuple[int, list[MaritimeRecord]]] = {}
        self._without: dict[tuple[frozenset[str], str], tuple[int, Status]] = {}
        self.recomputed: set[str] = set()
        """The indicators the last update recomputed (for tests and the watch's log)."""
        for spec in policy.indicators:
            self._rebuild(spec)
            self._finalise(spec)
        self.recomputed = {spec.id for spec in policy.indicators}
        self.assessment = self._compose()

    # -- what matches what ------------------------------------------------------------------
    def _specs_matching(self, event: EventRecord) -> list[str]:
        return [s.id for s in self.policy.indicators if any(match_event(m, event) for m in s.events)]

    def _spec(self, spec_id: str) -> IndicatorSpec:
        return next(s for s in self.policy.indicators if s.id == spec_id)

    def _maritime_days(self, spec: IndicatorSpec, records: list[MaritimeRecord]) -> set[date]:
        return {r.reported_on for m in spec.maritime for r in maritime_pool(m, records)}

    def _maritime_until(self, spec: IndicatorSpec, day: date) -> list[MaritimeRecord]:
        """The records any of the indicator's matchers could use, reported by ``day`` (in order).

        Pool membership is a property of each record, so cutting the pool equals pooling the cut.
        """
        held = self._pools.get(spec.id)
        if held is None or held[0] != self._maritime_version:
            records = self.evidence.maritime
            ids = {r.id for m in spec.maritime for r in maritime_pool(m, records)}
            held = (self._maritime_version, [r for r in records if r.id in ids])
            self._pools[spec.id] = held
        pool = held[1]
        end = bisect.bisect_right(pool, day, key=lambda r: r.reported_on)
        return pool[:end]

    # -- one indicator ----------------------------------------------------------------------
    def _advance(
        self, history: _History, claims: list[tuple[EventRecord, ClaimRecord]], maritime_days: set[date]
    ) -> None:
        by_day: dict[date, list[tuple[EventRecord, ClaimRecord]]] = defaultdict(list)
        for event, claim in claims:
            if claim.reported_on is not None:
                by_day[claim.reported_on].append((event, claim))
        for day in sorted(set(by_day) | maritime_days):
            for event, claim in by_day.get(day, ()):
                history.tracker.add_claim(event, claim)
            if day in maritime_days:
                history.tracker.set_maritime(self._maritime_until(history.tracker.spec, day))
            entry = (day, history.tracker.status())
            if history.statuses and history.statuses[-1][0] == day:
                history.statuses[-1] = entry
            else:
                history.statuses.append(entry)

    def _live_claims(self, spec: IndicatorSpec) -> list[tuple[EventRecord, ClaimRecord]]:
        events = (self._events[i] for i in sorted(self._matched[spec.id]))
        return [(e, c) for e in events if e.status != "rejected" for c in e.claims]

    def _rebuild(self, spec: IndicatorSpec) -> None:
        history = _History(StatusTracker(spec, self.policy, self.index))
        self._advance(history, self._live_claims(spec), self._maritime_days(spec, self.evidence.maritime))
        self._histories[spec.id] = history
        self._final.pop(spec.id, None)  # what it rested on changed (a review, a late link): start over

    def _finalise(self, spec: IndicatorSpec) -> None:
        # Only the events the indicator can read: those it matches and the denials it records.
        events = [
            e
            for e in self.evidence.events
            if e.id in self._matched[spec.id] or (spec.denials_any and e.type.lower() in DENIAL_TYPES)
        ]
        own = Evidence(
            None, events, self.evidence.maritime, self.evidence.documents, _independence=self.index
        )
        result = evaluate_indicator(spec, own, self.policy)
        self._versions[spec.id] += 1
        self._documents[spec.id] = {c.document_id for _, c in self._live_claims(spec)}
        last = Status.NOT_OBSERVED
        for day, status in self._histories[spec.id].statuses:
            if status != last:
                result.timeline.append(StatusChange(day, status))
                last = status
        self._results[spec.id] = result

    def _status_without(self, spec: IndicatorSpec, rejected: set[str]) -> Status:
        """The indicator's status on all the evidence (dated or not) were ``rejected`` rejected."""
        tracker = StatusTracker(spec, self.policy, self.index)
        for event, claim in self._live_claims(spec):
            if event.id not in rejected:
                tracker.add_claim(event, claim)
        tracker.set_maritime(self._maritime_until(spec, date.max))
        return tracker.status()

    def _final_tracker(self, spec: IndicatorSpec) -> StatusTracker:
        """A tracker holding all the indicator's evidence (for cheap bounds), kept per version.

        Between rebuilds evidence is only added, so the tracker of the last version takes the new
        claims (it skips those it holds) instead of being built again.
        """
        held = self._final.get(spec.id)
        if held is None or held[0] != self._versions[spec.id]:
            tracker = held[1] if held is not None else StatusTracker(spec, self.policy, self.index)
            held = (self._versions[spec.id], tracker)
            for event, claim in self._live_claims(spec):
                held[1].add_claim(event, claim)
            held[1].set_maritime(self._maritime_until(spec, date.max))
            self._final[spec.id] = held
        return held[1]

    @classmethod
    def from_store(cls, session: Session, policy: Policy | None = None) -> IncrementalAssessor:
        """The full assessment of what the store holds now, ready to be kept current."""
        return cls(policy or load_policy(), load_evidence(session))

    def update_from_store(self, session: Session, since: datetime) -> Assessment:
        """Add what the store received after ``since`` (documents ingested, maritime events stored).

        The caller keeps ``since`` (the time it last read, taken before reading); a review goes
        through :meth:`review` with the events it changed (``ReviewOutcome.affected``).
        """
        delta = load_evidence(session, since=since)
        self.evidence.synthetic_claims += delta.synthetic_claims
        return self.add(delta.events, [*delta.maritime, *delta.synthetic_maritime], delta.documents)

    # -- evidence in ------------------------------------------------------------------------
    def add(
        self,
        events: Iterable[EventRecord] = (),
        maritime: Iterable[MaritimeRecord] = (),
        documents: Mapping[str, DocumentInfo] | None = None,
    ) -> Assessment:
        """Add events (new ones, or known ones with new claims) and maritime events; reassess.

        ``documents`` are the documents the new claims cite (those already known may be left out).
        """
        self.evidence.documents.update(documents or {})
        new_claims: list[tuple[EventRecord, ClaimRecord]] = []
        reviewed: dict[str, str] = {}
        for incoming in events:
            known = self._events.get(incoming.id)
            have = {c.id for c in known.claims} if known else set()
            fresh = [c for c in incoming.claims if c.id not in have and not self._synthetic_claim(c)]
            if known is not None and incoming.status != known.status:
                reviewed[incoming.id] = incoming.status
            if not fresh:
                continue
            base = known or incoming
            merged = _replace_claims(
                base, tuple(sorted((*(known.claims if known else ()), *fresh), key=lambda c: c.id))
            )
            self._put_event(merged)
            if known is None:
                for spec_id in self._specs_matching(merged):
                    self._matched[spec_id].add(merged.id)
            new_claims.extend((merged, c) for c in fresh)
        known_maritime = {r.id for r in (*self.evidence.maritime, *self.evidence.synthetic_maritime)}
        new_maritime = [m for m in maritime if m.id not in known_maritime and not m.synthetic]
        self.evidence.synthetic_maritime.extend(
            m for m in maritime if m.id not in known_maritime and m.synthetic
        )
        for record in new_maritime:
            bisect.insort(self.evidence.maritime, record, key=lambda r: (r.start, r.id))
        self._maritime_version += bool(new_maritime)
        cited = {c.document_id for _, c in new_claims}
        touched_pairs = self.index.add(
            (d for d in self.evidence.documents.values() if d.id in cited), (c for _, c in new_claims)
        )
        for spec_id, (_, final) in list(self._final.items()):
            if any(final.has_documents(a, b) for a, b in touched_pairs):
                del self._final[spec_id]  # a new link between documents it holds: start over
        changed: set[str] = set()
        for spec in self.policy.indicators:
            mine = [
                (e, c) for e, c in new_claims if e.id in self._matched[spec.id] and e.status != "rejected"
            ]
            mdays = self._maritime_days(spec, new_maritime)
            history = self._histories[spec.id]
            relinked = any(history.tracker.has_documents(a, b) for a, b in touched_pairs)
            if any(e.id in self._matched[spec.id] for e, _ in new_claims):
                changed.add(spec.id)  # a rejected event's claims are listed, not counted
            if not mine and not mdays and not relinked:
                continue
            changed.add(spec.id)
            days = {c.reported_on for _, c in mine if c.reported_on} | mdays
            if relinked or (history.last is not None and days and min(days) < history.last):
                self._rebuild(spec)  # late evidence or a new link between known documents
            else:
                self._advance(history, mine, mdays)
        if any(e.type.lower() in DENIAL_TYPES for e, _ in new_claims):
            changed |= {s.id for s in self.policy.indicators if s.denials_any}
        changed |= {
            spec_id
            for spec_id, docs in self._documents.items()
            if any(a in docs and b in docs for a, b in touched_pairs)
        }
        if reviewed:
            changed |= self._apply_reviews(reviewed)
        for spec in self.policy.indicators:
            if spec.id in changed:
                self._finalise(spec)
        self.recomputed = changed
        self.assessment = self._compose()
        return self.assessment

    def _synthetic_claim(self, claim: ClaimRecord) -> bool:
        document = self.evidence.documents.get(claim.document_id)
        if document is not None and document.synthetic:
            self.evidence.synthetic_claims += 1
            return True
        return False

    def _put_event(self, event: EventRecord) -> None:
        events = self.evidence.events
        position = bisect.bisect_left(events, event.id, key=lambda e: e.id)
        if position < len(events) and events[position].id == event.id:
            events[position] = event
        else:
            events.insert(position, event)
        self._events[event.id] = event
        self._event_version += 1

    def _apply_reviews(self, decisions: Mapping[str, str]) -> set[str]:
        changed: set[str] = set()
        for event_id, status in decisions.items():
            event = self._events.get(event_id)
            if event is None or event.status == status:
                continue
            self._put_event(replace(event, status=status))
            changed |= {s for s, ids in self._matched.items() if event_id in ids}
            if event.type.lower() in DENIAL_TYPES:
                changed |= {s.id for s in self.policy.indicators if s.denials_any}
        for spec_id in changed:
            self._rebuild(self._spec(spec_id))  # a review applies whatever the date: its history
        return changed

    def review(self, event_ids: Iterable[str], status: str) -> Assessment:
        """An analyst's decision (``confirmed`` / ``rejected``) on events: recompute what they touch."""
        changed = self._apply_reviews({event_id: status for event_id in event_ids})
        for spec in self.policy.indicators:
            if spec.id in changed:
                self._finalise(spec)
        self.recomputed = changed
        self.assessment = self._compose()
        return self.assessment

    # -- the assessment out -----------------------------------------------------------------
    def _per_day(self) -> list[tuple[date, dict[str, Status]]]:
        """Every indicator's status on every day evidence arrived (carried between its own days)."""
        days = self.evidence.dates()
        current = {spec.id: Status.NOT_OBSERVED for spec in self.policy.indicators}
        cursors = dict.fromkeys(current, 0)
        out: list[tuple[date, dict[str, Status]]] = []
        for day in days:
            for spec_id, history in self._histories.items():
                statuses, i = history.statuses, cursors[spec_id]
                while i < len(statuses) and statuses[i][0] <= day:
                    current[spec_id] = statuses[i][1]
                    i += 1
                cursors[spec_id] = i
            out.append((day, dict(current)))
        return out

    def _linchpins(
        self, level: int, held_by: list[TriggerState], by_id: dict[str, IndicatorResult]
    ) -> tuple[list[Linchpin], list[str]]:
        linchpins: list[Linchpin] = []
        lines: list[str] = []
        live = [e for e in self.evidence.events if e.status != "rejected"]
        by_event = {e.id: e for e in live}
        supporting = {eid for t in held_by for eid in by_id[t.indicator].events}
        if self._clusters is None or self._clusters[0] != self._event_version:
            self._clusters = (self._event_version, cluster_events(live))
        whole = self._clusters[1]
        cluster_of = {eid: c for c in whole for eid in c.event_ids}
        for cluster in cluster_events([e for e in live if e.id in supporting]):
            full = cluster_of[cluster.id]
            members = set(cluster.event_ids) | set(full.event_ids)
            statuses = {r.id: r.status for r in by_id.values()}
            touched = [s for s in self.policy.indicators if self._matched[s.id] & members]
            bound = dict(statuses)
            for spec in touched:
                bound[spec.id] = self._final_tracker(spec).lower_bound_without(members)
            if current_level(self.policy, bound) >= level:
                continue  # even the bound keeps the stage: not a linchpin, no recount needed
            frozen = frozenset(members)
            for spec in self.policy.indicators:
                if self._matched[spec.id] & members:
                    # Kept between updates until the indicator changes: a day's claims about
                    # one shipment leave the other shipments' answers as they were.
                    cached = self._without.get((frozen, spec.id))
                    if cached is None or cached[0] != self._versions[spec.id]:
                        cached = (self._versions[spec.id], self._status_without(spec, members))
                        self._without[(frozen, spec.id)] = cached
                    statuses[spec.id] = cached[1]
            without = current_level(self.policy, statuses)
            if without < level:
                event = by_event[cluster.id]
                linchpins.append(Linchpin(full.id, tuple(sorted(members)), _summary(event), without))
                lines.append(
                    f"rejecting event {full.id} ({_summary(event)}) would lower the stage to level {without}"
                )
        return linchpins, lines

    def _compose(self) -> Assessment:
        indicators = [self._results[spec.id] for spec in self.policy.indicators]
        return compose(
            self.policy, self.evidence, indicators, self._per_day(), self._linchpins, self._claim_grades
        )

    def _claim_grades(self, indicators: list[IndicatorResult], claims: list[ClaimRecord]) -> dict[str, Grade]:
        """Each claim's one grade: where it is best corroborated among the indicators it backs, else
        its grade before corroboration (``watchfloor-claim-grade-v1``)."""
        best: dict[str, Grade] = {}
        for result in indicators:
            for item in (*result.claims, *result.denials):
                have = best.get(item.claim_id)
                if have is None or (item.grade.credibility, -item.grade.weight) < (
                    have.credibility,
                    -have.weight,
                ):
                    best[item.claim_id] = item.grade
        out: dict[str, Grade] = {}
        for claim in sorted(claims, key=lambda c: c.id):
            grade = best.get(claim.id)
            if grade is None:
                grade = self._base_grades.get(claim.id)
                if grade is None:
                    grade = self._base_grades[claim.id] = base_grade(self.policy, claim)
            out[claim.id] = grade
        return out
