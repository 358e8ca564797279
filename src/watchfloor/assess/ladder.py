"""The countermeasure ladder: which stage the indicators support and what would move it.

A stage is supported when any one of its triggers is met (its indicator has at least the
trigger's minimum status); the floor stage (no triggers) always is. The current stage is the
highest supported one (``watchfloor-stage-v1``). What would move it up is, for each higher stage,
the unmet triggers with the evidence each still needs; what would move it down is the set of
triggers holding the current stage up and the events whose rejection alone would lower it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from watchfloor.assess.indicators import IndicatorResult, StatusChange, requirement
from watchfloor.assess.policy import Policy, StageSpec, Status, Trigger


@dataclass(frozen=True)
class TriggerState:
    """One trigger of a stage: what it needs and where the indicator stands."""

    indicator: str
    indicator_name: str
    required: Status
    current: Status
    met: bool
    first_met: date | None
    needs: str | None
    """The evidence still missing, when not met."""


@dataclass
class StageResult:
    id: str
    level: int
    name: str
    description: str
    supported: bool
    first_supported: date | None
    triggers: list[TriggerState] = field(default_factory=list)
    options: list[str] = field(default_factory=list)


def _first_reached(timeline: list[StatusChange], required: Status) -> date | None:
    for change in timeline:
        if change.status.rank >= required.rank:
            return change.on
    return None


def _trigger_state(trigger: Trigger, indicators: dict[str, IndicatorResult], policy: Policy) -> TriggerState:
    result = indicators[trigger.indicator]
    met = result.status.rank >= trigger.min_status.rank
    needs = None
    if not met:
        needs = (
            f"{result.name}: now {result.status.value}, needs {trigger.min_status.value} "
            f"({requirement(result, trigger.min_status, policy)})"
        )
    return TriggerState(
        trigger.indicator,
        result.name,
        trigger.min_status,
        result.status,
        met,
        _first_reached(result.timeline, trigger.min_status) if met else None,
        needs,
    )


def evaluate_stage(stage: StageSpec, indicators: dict[str, IndicatorResult], policy: Policy) -> StageResult:
    """Whether ``stage`` is supported by ``indicators``, trigger by trigger."""
    triggers = [_trigger_state(t, indicators, policy) for t in stage.triggers]
    supported = not stage.triggers or any(t.met for t in triggers)
    firsts = [t.first_met for t in triggers if t.met and t.first_met]
    first = min(firsts) if firsts else None
    if not stage.triggers:
        dates = [c.on for r in indicators.values() for c in r.timeline]
        first = min(dates) if dates else None
    return StageResult(
        stage.id, stage.level, stage.name, stage.description, supported, first, triggers, list(stage.options)
    )


def current_level(policy: Policy, statuses: dict[str, Status]) -> int:
    """The highest level supported by ``statuses`` (indicator id -> status)."""
    level = policy.stages[0].level
    for stage in policy.stages:
        if not stage.triggers or any(
            statuses.get(t.indicator, Status.NOT_OBSERVED).rank >= t.min_status.rank for t in stage.triggers
        ):
            level = max(level, stage.level)
    return level
