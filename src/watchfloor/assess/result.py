"""What an assessment says: the stage, what would move it, the linchpins and the cooperation score.

:func:`compose` puts it together from the indicators' results (computed by
:class:`watchfloor.assess.incremental.IncrementalAssessor`); the types are what every face reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from watchfloor.assess.evidence import ClaimRecord, Evidence
from watchfloor.assess.grading import Grade
from watchfloor.assess.independence import INDEPENDENCE_ALGORITHM
from watchfloor.assess.indicators import INDICATOR_ALGORITHM, IndicatorResult
from watchfloor.assess.ladder import StageResult, TriggerState, current_level, evaluate_stage
from watchfloor.assess.policy import Policy, Status
from watchfloor.graph.event_clusters import EVENT_CLUSTER_ALGORITHM

CLAIM_GRADE_ALGORITHM = "watchfloor-claim-grade-v1"


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
    no_evidence: bool = False
    """Nothing to assess (no claim, no real maritime event): the stage is the ladder's floor, not a
    finding, and every face must say so."""
    claim_grades: dict[str, Grade] = field(default_factory=dict)
    """One grade per claim (``watchfloor-claim-grade-v1``), the same wherever the claim is shown."""

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


LinchpinLines = tuple[list[Linchpin], list[str]]
"""The linchpins and the lines saying what rejecting each would do."""


def compose(
    policy: Policy,
    evidence: Evidence,
    indicators: list[IndicatorResult],
    per_day: list[tuple[date, dict[str, Status]]],
    linchpins_of: Callable[
        [int, list[TriggerState], dict[str, IndicatorResult]], tuple[list[Linchpin], list[str]]
    ],
    claim_grades: Callable[[list[IndicatorResult], list[ClaimRecord]], dict[str, Grade]],
) -> Assessment:
    """The assessment out of the indicators' results: the stage, what would move it, the timeline.

    ``linchpins_of`` and ``claim_grades`` come from the assessor (they read the state it keeps).
    """
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
        linchpins, lines = linchpins_of(level, held_by, by_id)
        move_down.extend(lines)
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
    claims = [c for e in evidence.events for c in e.claims]
    no_evidence = not claims and not evidence.maritime
    if no_evidence:
        explanation = (
            f"{policy.algorithm}: NO EVIDENCE: the store holds no claim and no real maritime event"
            f" ({evidence.synthetic_claims} synthetic claim(s) and {len(evidence.synthetic_maritime)}"
            f" synthetic maritime event(s) set aside); stage {current.level} ({current.name}) is the"
            " floor of the ladder, not a finding."
        )
    counts = {
        "events": len(evidence.events),
        "claims": len(claims),
        "undated_claims": sum(1 for c in claims if c.reported_on is None),
        "maritime_events": len(evidence.maritime),
        "documents_cited": len({c.document_id for c in claims}),
        "claims_after_as_of_ignored": evidence.excluded_claims,
        "maritime_after_as_of_ignored": evidence.excluded_maritime,
        "synthetic_claims_ignored": evidence.synthetic_claims,
        "synthetic_maritime_ignored": len(evidence.synthetic_maritime),
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
            "claim_grade": CLAIM_GRADE_ALGORITHM,
        },
        no_evidence=no_evidence,
        claim_grades=claim_grades(indicators, claims),
    )
