"""Indicators of cooperation: which evidence matches each, and how far it is supported.

An indicator's status (``watchfloor-indicator-v1``) is decided from independent sources only:

- *not observed*: nothing matches;
- *speculative*: only speculation matches ("Russia may offer technology");
- *reported*: at least one source asserts or accuses, or a sensor (AIS) shows it;
- *corroborated*: at least ``min_independent_sources`` independent sources whose best claim
  weighs at least ``min_source_weight`` (hedged and weakly graded claims weigh less);
- *confirmed*: more independent sources still, one of them reliable (A/B) with credibility 1-2
  and unhedged, or an analyst confirmed a supporting event of a corroborated indicator.

Claims of events an analyst rejected are left out. A denial by an accused party is recorded
next to the indicator, never treated as refutation; a denial by a third party is recorded as
contradicting evidence. Maritime matches with role ``corroborates`` back reported claims but do
not make an indicator reported on their own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from normality import normalize

from watchfloor.assess.evidence import ClaimRecord, EventRecord, Evidence, MaritimeRecord
from watchfloor.assess.grading import Estimate, Grade, estimate, grade_claim
from watchfloor.assess.policy import (
    EventMatcher,
    EvidenceRole,
    IndicatorSpec,
    MaritimeMatcher,
    Policy,
    Status,
    StatusRules,
)
from watchfloor.model.stance import Stance

INDICATOR_ALGORITHM = "watchfloor-indicator-v1"
AIS_SOURCE = "ais"
DENIAL_TYPES = {"denial", "reject"}
ANALYST_SOURCE = "analyst"


@lru_cache(maxsize=4096)
def _key(text: str | None) -> str:
    return normalize(text or "", lowercase=True) or ""


@lru_cache(maxsize=1024)
def _word_pattern(word: str) -> re.Pattern[str]:
    return re.compile(r"\b" + re.escape(word.lower()))


def has_word(text: str, word: str) -> bool:
    """Whether ``text`` has a word starting with ``word`` (``shell`` finds "shells", not "bombshell")."""
    return _word_pattern(word).search(text) is not None


def _actors_match(actors: tuple[str, ...], wanted: list[str | None]) -> bool:
    if not actors:
        return None in wanted
    return any(a in wanted for a in actors)


def match_event(matcher: EventMatcher, event: EventRecord) -> bool:
    """Whether ``event`` meets every condition of ``matcher``."""
    if event.type not in matcher.types and event.type.lower() not in {t.lower() for t in matcher.types}:
        return False
    if matcher.source_actors is not None and not _actors_match(event.source_actors, matcher.source_actors):
        return False
    if matcher.target_actors is not None and not _actors_match(event.target_actors, matcher.target_actors):
        return False
    text = event.text
    if matcher.text_any and not any(has_word(text, word) for word in matcher.text_any):
        return False
    return not (matcher.places_any and not any(has_word(text, word) for word in matcher.places_any))


def _port_is(record: MaritimeRecord, port: str) -> bool:
    return _key(record.port) == _key(port) or _key(record.port).replace(" ", "") == _key(port)


@dataclass(frozen=True)
class MaritimeMatch:
    record: MaritimeRecord
    role: EvidenceRole
    reason: str


def maritime_pool(matcher: MaritimeMatcher, records: list[MaritimeRecord]) -> list[MaritimeRecord]:
    """The records of the right kind, port and listing: every one a route could be made of."""
    kinds = {k.lower() for k in matcher.kinds}
    pool = [r for r in records if r.kind.lower() in kinds]
    if matcher.listed_only:
        pool = [r for r in pool if r.listed]
    if matcher.ports_any:
        pool = [r for r in pool if any(_port_is(r, p) for p in matcher.ports_any)]
    if matcher.ports_each:
        ports = [p for group in matcher.ports_each for p in group]
        pool = [r for r in pool if any(_port_is(r, p) for p in ports)]
    return pool


def relevant_days(spec: IndicatorSpec, evidence: Evidence) -> set[date]:
    """The days on which evidence that can change ``spec``'s status arrived (a superset)."""
    days: set[date] = set()
    for event in evidence.events:
        if any(match_event(m, event) for m in spec.events):
            days.update(c.reported_on for c in event.claims if c.reported_on)
    for matcher in spec.maritime:
        days.update(r.reported_on for r in maritime_pool(matcher, evidence.maritime))
    return days


def match_maritime(matcher: MaritimeMatcher, records: list[MaritimeRecord]) -> list[MaritimeMatch]:
    """The maritime events ``matcher`` selects, each with why."""
    pool = maritime_pool(matcher, records)
    listed = " (list-linked vessel)" if matcher.listed_only else ""
    if not matcher.ports_each:
        return [
            MaritimeMatch(r, matcher.role, f"{r.kind}{' at ' + r.port if r.port else ''}{listed}")
            for r in pool
        ]
    by_vessel: dict[int, list[MaritimeRecord]] = defaultdict(list)
    for record in pool:
        by_vessel[record.imo or record.mmsi].append(record)
    window = timedelta(days=matcher.within_days)
    groups = matcher.ports_each
    found: dict[str, MaritimeMatch] = {}
    for visits in by_vessel.values():
        per_group = [[v for v in visits if any(_port_is(v, p) for p in group)] for group in groups]
        if not all(per_group):
            continue
        for anchor in per_group[0]:
            chain = [anchor]
            for candidates in per_group[1:]:
                near = [v for v in candidates if abs(v.start - anchor.start) <= window]
                if not near:
                    break
                chain.append(min(near, key=lambda v: abs(v.start - anchor.start)))
            else:
                route = " and ".join(sorted({v.port or "?" for v in chain}))
                for visit in chain:
                    found.setdefault(
                        visit.id,
                        MaritimeMatch(
                            visit,
                            matcher.role,
                            f"same vessel called at {route} within {matcher.within_days} days{listed}",
                        ),
                    )
    return sorted(found.values(), key=lambda m: (m.record.start, m.record.id))


@dataclass(frozen=True)
class ClaimAssessment:
    """One claim behind an indicator, graded, with its source group."""

    claim_id: str
    event_id: str
    document_id: str
    source_key: str
    source_label: str
    speaker: str
    speaker_actor: str | None
    stance: str
    hedged: bool
    reported_on: date | None
    grade: Grade
    role: str
    """``supports``, ``speculates``, ``denial by accused party`` or ``contradicts``."""
    quote: str | None
    span_ids: tuple[str, ...]


@dataclass(frozen=True)
class MaritimeSupport:
    maritime_id: str
    kind: str
    vessel_name: str | None
    mmsi: int
    imo: int | None
    port: str | None
    start: date
    list_entries: tuple[str, ...]
    role: str
    reason: str


@dataclass(frozen=True)
class SourceSummary:
    """One independent source behind an indicator and how much it weighs."""

    key: str
    label: str
    kind: str
    """``document``, ``ais`` or ``analyst``."""
    weight: float
    best_grade: str
    strong: bool
    claim_ids: tuple[str, ...]
    document_ids: tuple[str, ...]
    joined_because: tuple[str, ...]
    counts: bool
    """Whether it weighs enough to count towards corroboration."""
    best_claim: str | None = None
    """The claim that gives a document source its weight (its grade is shown as the source's)."""


@dataclass(frozen=True)
class StatusChange:
    on: date
    status: Status


@dataclass
class IndicatorResult:
    id: str
    name: str
    statement: str
    description: str
    status: Status
    explanation: str
    next_status: str | None
    estimate: Estimate
    estimate_reason: str
    independent_sources: int
    sources: list[SourceSummary] = field(default_factory=list)
    claims: list[ClaimAssessment] = field(default_factory=list)
    denials: list[ClaimAssessment] = field(default_factory=list)
    maritime: list[MaritimeSupport] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    rejected_events: list[str] = field(default_factory=list)
    confirmed_events: list[str] = field(default_factory=list)
    timeline: list[StatusChange] = field(default_factory=list)


def _is_accused(claim: ClaimRecord, event: EventRecord) -> bool:
    return claim.speaker_actor is not None and claim.speaker_actor in {
        *event.source_actors,
        *event.target_actors,
    }


def best_key(weight: float, claim: ClaimRecord) -> tuple[float, str, str]:
    """Sort key of a source's best claim: the heaviest, ties to the first in store order."""
    return (-weight, claim.event_id, claim.id)


def decide_status(
    rules: StatusRules,
    *,
    substantive: bool,
    speculative: bool,
    evidence_maritime: bool,
    counting: int,
    strong: bool,
    non_analyst: int,
    analyst: bool,
) -> Status:
    """The status rule of ``watchfloor-indicator-v1`` on what it looks at (shared by the full
    evaluation and the incremental sweep, so that they cannot differ)."""
    if not substantive and not evidence_maritime:
        return Status.SPECULATIVE if speculative else Status.NOT_OBSERVED
    if counting >= rules.confirmed.min_independent_sources and strong:
        return Status.CONFIRMED
    if non_analyst >= rules.corroborated.min_independent_sources and analyst:
        return Status.CONFIRMED
    if counting >= rules.corroborated.min_independent_sources:
        return Status.CORROBORATED
    return Status.REPORTED


def base_grade(policy: Policy, claim: ClaimRecord) -> Grade:
    """A claim's grade before corroboration is known (what decides the weight of its source)."""
    return grade_claim(
        policy.grading,
        reliability=claim.reliability,
        extracted_credibility=claim.credibility,
        stance=claim.stance,
        hedged=claim.hedged,
        corroborated_elsewhere=False,
    )


def evaluate_indicator(spec: IndicatorSpec, evidence: Evidence, policy: Policy) -> IndicatorResult:
    """The status of one indicator on ``evidence``, with every claim and source behind it."""
    matched = [e for e in evidence.events if any(match_event(m, e) for m in spec.events)]
    live = [e for e in matched if e.status != "rejected"]
    rejected = [e.id for e in matched if e.status == "rejected"]
    confirmed = [e.id for e in live if e.status == "confirmed"]
    maritime: dict[str, MaritimeMatch] = {}
    for matcher in spec.maritime:
        for found in match_maritime(matcher, evidence.maritime):
            maritime.setdefault(found.record.id, found)

    pairs = [(e, c) for e in live for c in e.claims]
    substantive = [(e, c) for e, c in pairs if c.stance in (Stance.ASSERTS, Stance.ACCUSES)]
    speculative = [(e, c) for e, c in pairs if c.stance is Stance.SPECULATES]
    denials = [(e, c) for e, c in pairs if c.stance is Stance.DENIES]
    groups = evidence.independence(policy.grading.near_duplicate_ratio).groups(
        c.document_id for _, c in pairs
    )

    grading = policy.grading
    rules = policy.status
    base: dict[str, Grade] = {
        c.id: grade_claim(
            grading,
            reliability=c.reliability,
            extracted_credibility=c.credibility,
            stance=c.stance,
            hedged=c.hedged,
            corroborated_elsewhere=False,
        )
        for _, c in pairs
    }
    by_group: dict[str, list[ClaimRecord]] = defaultdict(list)
    for _, claim in substantive:
        by_group[groups[claim.document_id].key].append(claim)

    evidence_maritime = [m for m in maritime.values() if m.role is EvidenceRole.EVIDENCE]
    usable_maritime = list(maritime.values()) if (substantive or evidence_maritime) else []
    sources: list[SourceSummary] = []
    for key, claims in sorted(by_group.items()):
        group = groups[claims[0].document_id]
        best = min(claims, key=lambda c: best_key(base[c.id].weight, c))
        grade = base[best.id]
        strong = (
            grade.reliability in rules.confirmed.strong_reliability
            and not best.hedged
            and min(base[c.id].credibility for c in claims) <= rules.confirmed.strong_credibility_max
        )
        sources.append(
            SourceSummary(
                key,
                group.label,
                "document",
                grade.weight,
                grade.code,
                strong,
                tuple(c.id for c in claims),
                group.document_ids,
                group.reasons,
                grade.weight >= rules.corroborated.min_source_weight,
                best.id,
            )
        )
    if usable_maritime:
        rel, cred = grading.ais_reliability, grading.ais_credibility
        weight = grading.reliability_weight[rel] * grading.credibility_weight[cred]
        # AIS that only backs reports (it shows the ship, not the cargo) can never confirm.
        sensor_strong = bool(evidence_maritime) and (
            rel in rules.confirmed.strong_reliability and cred <= rules.confirmed.strong_credibility_max
        )
        sources.append(
            SourceSummary(
                AIS_SOURCE,
                "AIS detections",
                "ais",
                round(weight, 4),
                f"{rel}{cred}",
                sensor_strong,
                (),
                (),
                (),
                weight >= rules.corroborated.min_source_weight,
            )
        )
    if confirmed and (substantive or evidence_maritime):
        sources.append(
            SourceSummary(
                ANALYST_SOURCE,
                "analyst review (confirmed " + ", ".join(confirmed) + ")",
                "analyst",
                1.0,
                "A1",
                True,
                (),
                (),
                (),
                True,
            )
        )
    counting = [s for s in sources if s.counts]
    n = len(counting)
    labels = "; ".join(s.label for s in counting) or "none"
    corr_min = rules.corroborated.min_independent_sources
    conf_min = rules.confirmed.min_independent_sources
    non_analyst = [s for s in counting if s.kind != "analyst"]
    analyst_counts = any(s.kind == "analyst" for s in counting)
    status = decide_status(
        rules,
        substantive=bool(substantive),
        speculative=bool(speculative),
        evidence_maritime=bool(evidence_maritime),
        counting=n,
        strong=any(s.strong for s in counting),
        non_analyst=len(non_analyst),
        analyst=analyst_counts,
    )
    if status is Status.SPECULATIVE:
        explanation = f"speculation only ({len(speculative)} claim(s)); nothing asserts it"
        next_status = "a source asserting it, not speculating"
    elif status is Status.NOT_OBSERVED:
        explanation = "no matching evidence"
        next_status = "any report of it, or a matching AIS detection"
    elif status is Status.CONFIRMED and n >= conf_min and any(s.strong for s in counting):
        explanation = f"{n} independent sources ({labels}), at least one reliable and unhedged"
        next_status = None
    elif status is Status.CONFIRMED:
        explanation = f"corroborated by {len(non_analyst)} independent sources and confirmed by an analyst"
        next_status = None
    elif status is Status.CORROBORATED:
        explanation = f"{n} independent sources ({labels})"
        next_status = (
            f"{max(conf_min - n, 0) or 0} more independent source(s) with one graded "
            f"{'/'.join(rules.confirmed.strong_reliability)} and credibility <= "
            f"{rules.confirmed.strong_credibility_max} unhedged, or an analyst confirming a supporting event"
        )
    else:
        weak = [s for s in sources if not s.counts]
        explanation = f"{n} independent source(s) ({labels})"
        if weak:
            explanation += "; too weak to count: " + "; ".join(f"{s.label} ({s.weight:g})" for s in weak)
        if any(c.hedged for _, c in substantive):
            explanation += "; hedged"
        next_status = (
            f"{corr_min - n} more independent source(s) weighing at least "
            f"{rules.corroborated.min_source_weight:g}"
        )

    counted_keys = {s.key for s in counting}
    claims_out: list[ClaimAssessment] = []
    denials_out: list[ClaimAssessment] = []
    for event, claim in pairs:
        group = groups[claim.document_id]
        elsewhere = bool(counted_keys - {group.key, ANALYST_SOURCE}) and claim.stance in (
            Stance.ASSERTS,
            Stance.ACCUSES,
        )
        grade = grade_claim(
            grading,
            reliability=claim.reliability,
            extracted_credibility=claim.credibility,
            stance=claim.stance,
            hedged=claim.hedged,
            corroborated_elsewhere=elsewhere and status.rank >= Status.CORROBORATED.rank,
        )
        if claim.stance is Stance.DENIES:
            role = (
                "denial by accused party (recorded, not refutation)"
                if _is_accused(claim, event)
                else "contradicts"
            )
        elif claim.stance is Stance.SPECULATES:
            role = "speculates"
        else:
            role = "supports"
        item = ClaimAssessment(
            claim.id,
            event.id,
            claim.document_id,
            group.key,
            group.label,
            claim.speaker,
            claim.speaker_actor,
            claim.stance.value,
            claim.hedged,
            claim.reported_on,
            grade,
            role,
            claim.quote,
            tuple(s.provenance_id for s in claim.spans),
        )
        if claim.stance is Stance.DENIES:
            denials_out.append(item)
        else:
            claims_out.append(item)
    del denials  # recorded through denials_out
    if spec.denials_any:
        denied = {d.claim_id for d in denials_out}
        for event in evidence.events:
            if event.type.lower() not in DENIAL_TYPES or event.status == "rejected":
                continue
            if not any(has_word(event.text, word) for word in spec.denials_any):
                continue
            by_pair = any(a in policy.pair for a in event.source_actors)
            for claim in event.claims:
                if claim.id in denied:
                    continue
                denied.add(claim.id)
                accused = by_pair or claim.speaker_actor in policy.pair
                dgroup = groups.get(claim.document_id)
                denials_out.append(
                    ClaimAssessment(
                        claim.id,
                        event.id,
                        claim.document_id,
                        dgroup.key if dgroup else claim.document_id,
                        dgroup.label if dgroup else claim.speaker,
                        claim.speaker,
                        claim.speaker_actor,
                        Stance.DENIES.value,
                        claim.hedged,
                        claim.reported_on,
                        base.get(claim.id)
                        or grade_claim(
                            grading,
                            reliability=claim.reliability,
                            extracted_credibility=claim.credibility,
                            stance=Stance.DENIES,
                            hedged=claim.hedged,
                            corroborated_elsewhere=False,
                        ),
                        "denial by accused party (recorded, not refutation)" if accused else "contradicts",
                        claim.quote,
                        tuple(sp.provenance_id for sp in claim.spans),
                    )
                )
    top = max((s for s in sources if s.kind != "analyst"), key=lambda s: s.weight, default=None)
    est, est_reason = estimate(
        status, top.best_grade[:1] if top else "F", int(top.best_grade[1:]) if top else 6
    )
    return IndicatorResult(
        id=spec.id,
        name=spec.name,
        statement=spec.statement or spec.name,
        description=spec.description,
        status=status,
        explanation=f"{status.value}: {explanation}",
        next_status=next_status,
        estimate=est,
        estimate_reason=est_reason,
        independent_sources=n,
        sources=sources,
        claims=sorted(claims_out, key=lambda c: (c.reported_on or date.min, c.claim_id)),
        denials=denials_out,
        maritime=[
            MaritimeSupport(
                m.record.id,
                m.record.kind,
                m.record.vessel_name,
                m.record.mmsi,
                m.record.imo,
                m.record.port,
                m.record.reported_on,
                m.record.list_entries,
                m.role.value if m in usable_maritime else "not counted (no report to back)",
                m.reason,
            )
            for m in maritime.values()
        ],
        events=[e.id for e in live],
        rejected_events=rejected,
        confirmed_events=confirmed,
    )


def requirement(result: IndicatorResult, target: Status, policy: Policy) -> str:
    """What evidence would bring ``result`` up to ``target``, in words."""
    rules = policy.status
    if result.status.rank >= target.rank:
        return f"already {result.status.value}"
    if target is Status.REPORTED or (
        result.status.rank < Status.REPORTED.rank and target is Status.SPECULATIVE
    ):
        return "a source asserting it (not speculating), or a matching AIS detection"
    have = result.independent_sources
    if target is Status.CORROBORATED:
        need = max(rules.corroborated.min_independent_sources - have, 1)
        return (
            f"{need} more independent source(s) (now {have}) weighing at least "
            f"{rules.corroborated.min_source_weight:g}; copies of one wire story count once"
        )
    need = max(rules.confirmed.min_independent_sources - have, 1)
    return (
        f"{need} more independent source(s) (now {have}) with one graded "
        f"{'/'.join(rules.confirmed.strong_reliability)} and credibility <= "
        f"{rules.confirmed.strong_credibility_max}, unhedged; or corroboration plus an analyst "
        "confirming a supporting event"
    )


def indicator_timeline(spec: IndicatorSpec, evidence: Evidence, policy: Policy) -> list[StatusChange]:
    """The indicator's status each time it changed, as evidence arrived date by date."""
    changes: list[StatusChange] = []
    last = Status.NOT_OBSERVED
    for day in evidence.dates():
        status = evaluate_indicator(spec, evidence.cut(day), policy).status
        if status != last:
            changes.append(StatusChange(day, status))
            last = status
    return changes
