"""Indicators of cooperation: how far each is supported, and by which evidence.

An indicator's status (``watchfloor-indicator-v1``) is decided from independent sources only:

- *not observed*: nothing matches;
- *speculative*: only speculation matches ("Russia may offer technology");
- *reported*: at least one source asserts or accuses, or a sensor (AIS) shows it;
- *corroborated*: at least ``min_independent_sources`` independent sources whose best claim
  weighs at least ``min_source_weight`` (hedged and weakly graded claims weigh less);
- *confirmed*: more independent sources still, one of them reliable (A/B) with credibility 1-2
  and unhedged, or an analyst confirmed a supporting event of a corroborated indicator.

:func:`evaluate_indicator` runs in three steps: collect what matches
(:mod:`watchfloor.assess.matching`), group it into independent sources
(:mod:`watchfloor.assess.independence`), and read the status off the policy's rule table
(:mod:`watchfloor.assess.status`); then it explains the status and grades every claim.

Claims of events an analyst rejected are left out. A denial by an accused party is recorded
next to the indicator, never treated as refutation; a denial by a third party is recorded as
contradicting evidence. Maritime matches with role ``corroborates`` back reported claims but do
not make an indicator reported on their own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from watchfloor.assess.evidence import ClaimRecord, EventRecord, Evidence
from watchfloor.assess.grading import Estimate, Grade, GradeMemo, estimate
from watchfloor.assess.independence import SourceGroup
from watchfloor.assess.matching import MaritimeMatch, has_word, match_event, match_maritime
from watchfloor.assess.policy import EvidenceRole, IndicatorSpec, Policy, Status
from watchfloor.assess.status import best_key, decide_status
from watchfloor.model.stance import Stance

INDICATOR_ALGORITHM = "watchfloor-indicator-v1"
AIS_SOURCE = "ais"
DENIAL_TYPES = {"denial", "reject"}
ANALYST_SOURCE = "analyst"


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


@dataclass
class _Collected:
    """Step 1: what the indicator matches on ``evidence``."""

    live: list[EventRecord]
    rejected: list[str]
    confirmed: list[str]
    maritime: dict[str, MaritimeMatch]
    pairs: list[tuple[EventRecord, ClaimRecord]]
    substantive: list[tuple[EventRecord, ClaimRecord]]
    speculative: list[tuple[EventRecord, ClaimRecord]]

    @property
    def evidence_maritime(self) -> list[MaritimeMatch]:
        return [m for m in self.maritime.values() if m.role is EvidenceRole.EVIDENCE]

    @property
    def usable_maritime(self) -> list[MaritimeMatch]:
        """Maritime matches count once something stands as evidence (a report, or AIS alone)."""
        return list(self.maritime.values()) if (self.substantive or self.evidence_maritime) else []


def _collect(spec: IndicatorSpec, evidence: Evidence) -> _Collected:
    matched = [e for e in evidence.events if any(match_event(m, e) for m in spec.events)]
    live = [e for e in matched if e.status != "rejected"]
    maritime: dict[str, MaritimeMatch] = {}
    for matcher in spec.maritime:
        for found in match_maritime(matcher, evidence.maritime):
            maritime.setdefault(found.record.id, found)
    pairs = [(e, c) for e in live for c in e.claims]
    return _Collected(
        live,
        [e.id for e in matched if e.status == "rejected"],
        [e.id for e in live if e.status == "confirmed"],
        maritime,
        pairs,
        [(e, c) for e, c in pairs if c.stance in (Stance.ASSERTS, Stance.ACCUSES)],
        [(e, c) for e, c in pairs if c.stance is Stance.SPECULATES],
    )


def _sources(
    found: _Collected, groups: dict[str, SourceGroup], base: dict[str, Grade], policy: Policy
) -> list[SourceSummary]:
    """Step 2: the independent sources: one per document group, AIS, and the analyst."""
    grading, rules = policy.grading, policy.status
    by_group: dict[str, list[ClaimRecord]] = defaultdict(list)
    for _, claim in found.substantive:
        by_group[groups[claim.document_id].key].append(claim)
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
    if found.usable_maritime:
        rel, cred = grading.ais_reliability, grading.ais_credibility
        weight = grading.reliability_weight[rel] * grading.credibility_weight[cred]
        # AIS that only backs reports (it shows the ship, not the cargo) can never confirm.
        sensor_strong = bool(found.evidence_maritime) and (
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
    if found.confirmed and (found.substantive or found.evidence_maritime):
        label = "analyst review (confirmed " + ", ".join(found.confirmed) + ")"
        sources.append(SourceSummary(ANALYST_SOURCE, label, "analyst", 1.0, "A1", True, (), (), (), True))
    return sources


def _status(found: _Collected, sources: list[SourceSummary], policy: Policy) -> Status:
    """Step 3: the first row of the policy's status table that the sources meet."""
    counting = [s for s in sources if s.counts]
    return decide_status(
        policy.status,
        substantive=bool(found.substantive),
        speculative=bool(found.speculative),
        evidence_maritime=bool(found.evidence_maritime),
        counting=len(counting),
        strong=any(s.strong for s in counting),
        non_analyst=sum(1 for s in counting if s.kind != "analyst"),
        analyst=any(s.kind == "analyst" for s in counting),
    )


def _explain(
    status: Status, found: _Collected, sources: list[SourceSummary], policy: Policy
) -> tuple[str, str | None]:
    """Why the indicator has ``status``, and what would raise it."""
    rules = policy.status
    counting = [s for s in sources if s.counts]
    n = len(counting)
    labels = "; ".join(s.label for s in counting) or "none"
    corr_min = rules.corroborated.min_independent_sources
    conf_min = rules.confirmed.min_independent_sources
    if status is Status.SPECULATIVE:
        return (
            f"speculation only ({len(found.speculative)} claim(s)); nothing asserts it",
            "a source asserting it, not speculating",
        )
    if status is Status.NOT_OBSERVED:
        return "no matching evidence", "any report of it, or a matching AIS detection"
    if status is Status.CONFIRMED and n >= conf_min and any(s.strong for s in counting):
        return f"{n} independent sources ({labels}), at least one reliable and unhedged", None
    if status is Status.CONFIRMED:
        non_analyst = sum(1 for s in counting if s.kind != "analyst")
        return f"corroborated by {non_analyst} independent sources and confirmed by an analyst", None
    if status is Status.CORROBORATED:
        return f"{n} independent sources ({labels})", (
            f"{max(conf_min - n, 0) or 0} more independent source(s) with one graded "
            f"{'/'.join(rules.confirmed.strong_reliability)} and credibility <= "
            f"{rules.confirmed.strong_credibility_max} unhedged, or an analyst confirming a supporting event"
        )
    weak = [s for s in sources if not s.counts]
    explanation = f"{n} independent source(s) ({labels})"
    if weak:
        explanation += "; too weak to count: " + "; ".join(f"{s.label} ({s.weight:g})" for s in weak)
    if any(c.hedged for _, c in found.substantive):
        explanation += "; hedged"
    return explanation, (
        f"{corr_min - n} more independent source(s) weighing at least "
        f"{rules.corroborated.min_source_weight:g}"
    )


def _graded_claims(
    found: _Collected, groups: dict[str, SourceGroup], status: Status, counted: set[str], grades: GradeMemo
) -> tuple[list[ClaimAssessment], list[ClaimAssessment]]:
    """Every claim behind the indicator, graded now that corroboration is known; denials apart."""
    claims_out: list[ClaimAssessment] = []
    denials_out: list[ClaimAssessment] = []
    for event, claim in found.pairs:
        group = groups[claim.document_id]
        elsewhere = bool(counted - {group.key, ANALYST_SOURCE}) and claim.stance in (
            Stance.ASSERTS,
            Stance.ACCUSES,
        )
        grade = grades(
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
        (denials_out if claim.stance is Stance.DENIES else claims_out).append(item)
    return claims_out, denials_out


def _recorded_denials(
    spec: IndicatorSpec,
    evidence: Evidence,
    policy: Policy,
    groups: dict[str, SourceGroup],
    base: dict[str, Grade],
    denied: set[str],
    grades: GradeMemo,
) -> list[ClaimAssessment]:
    """Denial events by the pair naming the indicator (``denials_any``): recorded, never refutation."""
    out: list[ClaimAssessment] = []
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
            grade = base.get(claim.id) or grades(
                reliability=claim.reliability,
                extracted_credibility=claim.credibility,
                stance=Stance.DENIES,
                hedged=claim.hedged,
                corroborated_elsewhere=False,
            )
            out.append(
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
                    grade,
                    "denial by accused party (recorded, not refutation)" if accused else "contradicts",
                    claim.quote,
                    tuple(sp.provenance_id for sp in claim.spans),
                )
            )
    return out


def evaluate_indicator(spec: IndicatorSpec, evidence: Evidence, policy: Policy) -> IndicatorResult:
    """The status of one indicator on ``evidence``, with every claim and source behind it."""
    found = _collect(spec, evidence)
    groups = evidence.independence(policy.grading.near_duplicate_ratio).groups(
        c.document_id for _, c in found.pairs
    )
    grades = GradeMemo(policy.grading)
    base = {
        c.id: grades(
            reliability=c.reliability,
            extracted_credibility=c.credibility,
            stance=c.stance,
            hedged=c.hedged,
            corroborated_elsewhere=False,
        )
        for _, c in found.pairs
    }  # the same as base_grade, remembered
    sources = _sources(found, groups, base, policy)
    status = _status(found, sources, policy)
    explanation, next_status = _explain(status, found, sources, policy)
    counting = [s for s in sources if s.counts]
    claims_out, denials_out = _graded_claims(found, groups, status, {s.key for s in counting}, grades)
    if spec.denials_any:
        denied = {d.claim_id for d in denials_out}
        denials_out.extend(_recorded_denials(spec, evidence, policy, groups, base, denied, grades))
    top = max((s for s in sources if s.kind != "analyst"), key=lambda s: s.weight, default=None)
    est, est_reason = estimate(
        status, top.best_grade[:1] if top else "F", int(top.best_grade[1:]) if top else 6
    )
    usable = found.usable_maritime
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
        independent_sources=len(counting),
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
                m.role.value if m in usable else "not counted (no report to back)",
                m.reason,
            )
            for m in found.maritime.values()
        ],
        events=[e.id for e in found.live],
        rejected_events=found.rejected,
        confirmed_events=found.confirmed,
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
