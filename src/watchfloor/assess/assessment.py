"""The assessment: every indicator's status over time, the stage it supports and what would move it.

Recomputed from the store every time (never persisted as such): the same store, policy and
``as_of`` give the same assessment. Its parts carry versioned algorithm names and explanations;
the optional degree-of-cooperation score accompanies the stage and never replaces it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from watchfloor.assess.evidence import EventRecord, Evidence, load_evidence
from watchfloor.assess.indicators import (
    INDICATOR_ALGORITHM,
    IndicatorResult,
    StatusChange,
    evaluate_indicator,
    relevant_days,
)
from watchfloor.assess.ladder import StageResult, TriggerState, current_level, evaluate_stage
from watchfloor.assess.policy import Policy, Status, load_policy
from watchfloor.assess.sources import INDEPENDENCE_ALGORITHM
from watchfloor.graph.events import EVENT_CLUSTER_ALGORITHM, cluster_events


@dataclass(frozen=True)
class ScoreTerm:
    indicator: str
    status: Status
    value: float
    weight: float


@dataclass(frozen=True)
class CooperationScore:
    """Degree of cooperation 0-100: a summary beside the stage, never instead of it."""

    algorithm: str
    score: float
    explanation: str
    terms: tuple[ScoreTerm, ...]
    series: tuple[tuple[date, float], ...]


@dataclass(frozen=True)
class Linchpin:
    """An event (cluster) whose rejection alone would lower the stage."""

    event_id: str
    event_ids: tuple[str, ...]
    summary: str
    stage_without: int


@dataclass
class Assessment:
    algorithm: str
    policy_version: str
    policy_origin: str
    as_of: date | None
    computed_at: datetime
    current_stage: StageResult
    stages: list[StageResult]
    indicators: list[IndicatorResult]
    next_stage: str | None
    missing_for_next: list[TriggerState]
    """The unmet triggers of the next stage up: any one of them would move the stage up."""
    move_up: list[str]
    move_down: list[str]
    linchpins: list[Linchpin]
    stage_timeline: list[tuple[date, int]]
    cooperation: CooperationScore | None
    explanation: str
    counts: dict[str, int] = field(default_factory=dict)
    algorithms: dict[str, str] = field(default_factory=dict)

    def indicator(self, indicator_id: str) -> IndicatorResult:
        for result in self.indicators:
            if result.id == indicator_id:
                return result
        raise KeyError(indicator_id)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (dates as ISO strings, enums as values)."""
        plain: dict[str, Any] = _plain(asdict(self))
        return plain


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Status):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _statuses(evidence: Evidence, policy: Policy) -> dict[str, Status]:
    return {spec.id: evaluate_indicator(spec, evidence, policy).status for spec in policy.indicators}


def _statuses_by_day(evidence: Evidence, policy: Policy) -> list[tuple[date, dict[str, Status]]]:
    """Every indicator's status on every day evidence arrived.

    An indicator is re-evaluated only on the days its own evidence arrived (and on the first day);
    on other days its status cannot change and is carried forward.
    """
    days = evidence.dates()
    relevant = {spec.id: relevant_days(spec, evidence) | set(days[:1]) for spec in policy.indicators}
    current = {spec.id: Status.NOT_OBSERVED for spec in policy.indicators}
    out: list[tuple[date, dict[str, Status]]] = []
    for day in days:
        changed = [spec for spec in policy.indicators if day in relevant[spec.id]]
        if changed:
            cut = evidence.cut(day)
            for spec in changed:
                current[spec.id] = evaluate_indicator(spec, cut, policy).status
        out.append((day, dict(current)))
    return out


def _cooperation(
    policy: Policy, indicators: list[IndicatorResult], per_day: list[tuple[date, dict[str, Status]]]
) -> CooperationScore | None:
    config = policy.cooperation_score
    if config is None:
        return None

    def score_of(statuses: dict[str, Status]) -> tuple[float, list[ScoreTerm]]:
        terms = [
            ScoreTerm(
                ind,
                statuses.get(ind, Status.NOT_OBSERVED),
                config.status_value.get(statuses.get(ind, Status.NOT_OBSERVED), 0.0),
                weight,
            )
            for ind, weight in config.indicator_weight.items()
        ]
        total = sum(t.weight for t in terms) or 1.0
        return round(100 * sum(t.value * t.weight for t in terms) / total, 1), terms

    score, terms = score_of({r.id: r.status for r in indicators})
    series = tuple((day, score_of(statuses)[0]) for day, statuses in per_day)
    explanation = (
        f"{config.algorithm}: weighted mean of indicator status values ("
        + ", ".join(f"{t.indicator} {t.status.value}={t.value:g}x{t.weight:g}" for t in terms)
        + f") = {score:g}/100. A summary only: the stage is decided by the ladder's triggers."
    )
    return CooperationScore(config.algorithm, score, explanation, tuple(terms), series)


def _reject(evidence: Evidence, event_ids: set[str]) -> Evidence:
    events = [replace(e, status="rejected") if e.id in event_ids else e for e in evidence.events]
    return Evidence(
        evidence.as_of, events, evidence.maritime, evidence.documents, _independence=evidence._independence
    )


def _summary(event: EventRecord) -> str:
    parts = [event.type, f"{event.source_actor or '?'} -> {event.target_actor or '?'}"]
    if event.object:
        parts.append(event.object)
    return " ".join(parts)


def assess_evidence(evidence: Evidence, policy: Policy) -> Assessment:
    """The assessment of an evidence snapshot under ``policy``."""
    # Every indicator's status on every day evidence arrived, computed once and shared by the
    # indicator timelines, the stage timeline and the cooperation series.
    evidence.independence(policy.grading.near_duplicate_ratio)  # built once, shared by every cut
    per_day = _statuses_by_day(evidence, policy)
    indicators: list[IndicatorResult] = []
    for spec in policy.indicators:
        result = evaluate_indicator(spec, evidence, policy)
        last = Status.NOT_OBSERVED
        for day, statuses in per_day:
            if statuses[spec.id] != last:
                result.timeline.append(StatusChange(day, statuses[spec.id]))
                last = statuses[spec.id]
        indicators.append(result)
    by_id = {r.id: r for r in indicators}
    stages = [evaluate_stage(stage, by_id, policy) for stage in policy.stages]
    level = max(s.level for s in stages if s.supported)
    current = next(s for s in stages if s.level == level)

    above = [s for s in stages if s.level > level]
    next_stage = above[0] if above else None
    missing_for_next = [t for t in next_stage.triggers if not t.met] if next_stage else []
    move_up = [t.needs for s in stages if s.level == level + 1 for t in s.triggers if t.needs]
    higher = [s for s in stages if s.level > level + 1]
    for stage in higher:
        move_up.extend(f"{stage.id}: {t.needs}" for t in stage.triggers if t.needs)

    move_down: list[str] = []
    held_by = [t for t in current.triggers if t.met]
    for trigger in held_by:
        result = by_id[trigger.indicator]
        move_down.append(
            f"{current.id} rests on {result.name} being {trigger.current.value} "
            f"(needs {trigger.required.value}): {result.explanation}"
        )
    linchpins: list[Linchpin] = []
    if held_by:
        live = [e for e in evidence.events if e.status != "rejected"]
        supporting = {eid for t in held_by for eid in by_id[t.indicator].events}
        for cluster in cluster_events([e for e in live if e.id in supporting]):
            members = {e.id for e in live if any(e.id == m for m in cluster.event_ids)}
            # A review rejects the whole real-world event, wherever else it was told.
            full = next(c for c in cluster_events(live) if cluster.id in c.event_ids)
            members |= set(full.event_ids)
            without = current_level(policy, _statuses(_reject(evidence, members), policy))
            if without < level:
                event = next(e for e in live if e.id == cluster.id)
                linchpins.append(Linchpin(full.id, tuple(sorted(members)), _summary(event), without))
                move_down.append(
                    f"rejecting event {full.id} ({_summary(event)}) would lower the stage to level {without}"
                )
    if level == policy.stages[0].level and not move_down:
        move_down.append("already at the lowest stage")

    stage_timeline: list[tuple[date, int]] = []
    for day, statuses in per_day:
        day_level = current_level(policy, statuses)
        if not stage_timeline or stage_timeline[-1][1] != day_level:
            stage_timeline.append((day, day_level))

    met = [t for t in current.triggers if t.met]
    why = (
        "; ".join(f"{t.indicator_name} is {t.current.value} (>= {t.required.value})" for t in met)
        or "no trigger of a higher stage is met"
    )
    explanation = f"{policy.algorithm}: stage {current.level} ({current.name}) because {why}."
    counts = {
        "events": len(evidence.events),
        "claims": sum(len(e.claims) for e in evidence.events),
        "maritime_events": len(evidence.maritime),
        "documents_cited": len({c.document_id for e in evidence.events for c in e.claims}),
        "claims_after_as_of_ignored": evidence.excluded_claims,
        "maritime_after_as_of_ignored": evidence.excluded_maritime,
    }
    return Assessment(
        algorithm=policy.algorithm,
        policy_version=policy.version,
        policy_origin=policy.origin,
        as_of=evidence.as_of,
        computed_at=datetime.now(UTC),
        current_stage=current,
        stages=stages,
        indicators=indicators,
        next_stage=next_stage.id if next_stage else None,
        missing_for_next=missing_for_next,
        move_up=move_up,
        move_down=move_down,
        linchpins=linchpins,
        stage_timeline=stage_timeline,
        cooperation=_cooperation(policy, indicators, per_day),
        explanation=explanation,
        counts=counts,
        algorithms={
            "stage": policy.algorithm,
            "indicator": INDICATOR_ALGORITHM,
            "independence": INDEPENDENCE_ALGORITHM,
            "event_cluster": EVENT_CLUSTER_ALGORITHM,
            "grade": "watchfloor-grade-v1",
        },
    )


def assess(session: Session, as_of: date | None = None, policy: Policy | None = None) -> Assessment:
    """Assess what the store holds (as reported up to ``as_of``) under ``policy`` (default: settings)."""
    return assess_evidence(load_evidence(session, as_of), policy or load_policy())
