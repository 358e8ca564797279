"""The status rule of ``watchfloor-indicator-v1``: a table whose thresholds are the policy's.

Read top to bottom, the first row an indicator meets gives its status (``status:`` in
``policy.yaml`` sets the numbers). Shared by the full evaluation and the incremental sweep, so
that the two cannot differ. A claim's base grade and a source's best claim are decided here too:
they are what the counts rest on.
"""

from __future__ import annotations

from dataclasses import dataclass

from watchfloor.assess.evidence import ClaimRecord
from watchfloor.assess.grading import Grade, grade_claim
from watchfloor.assess.policy import Policy, Status, StatusRules


@dataclass(frozen=True)
class StatusRule:
    """One row of the table: the status, and everything it needs."""

    status: Status
    min_sources: int
    """Independent sources that weigh enough to count (the analyst's apart, when ``analyst``)."""
    strong: bool
    """One of them reliable, unhedged and credible (``confirmed.strong_*``)."""
    analyst: bool
    """An analyst confirmed a supporting event."""


def status_table(rules: StatusRules) -> tuple[StatusRule, ...]:
    """The rows for evidence that asserts something (or a sensor shows it), strongest first."""
    return (
        StatusRule(Status.CONFIRMED, rules.confirmed.min_independent_sources, strong=True, analyst=False),
        StatusRule(Status.CONFIRMED, rules.corroborated.min_independent_sources, strong=False, analyst=True),
        StatusRule(
            Status.CORROBORATED, rules.corroborated.min_independent_sources, strong=False, analyst=False
        ),
        StatusRule(Status.REPORTED, 0, strong=False, analyst=False),
    )


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
    """The first row of :func:`status_table` the counts meet (speculation alone, or nothing, below)."""
    if not substantive and not evidence_maritime:
        return Status.SPECULATIVE if speculative else Status.NOT_OBSERVED
    for row in status_table(rules):
        sources = non_analyst if row.analyst else counting
        if sources >= row.min_sources and (strong or not row.strong) and (analyst or not row.analyst):
            return row.status
    raise AssertionError("the last row of the status table needs nothing")  # pragma: no cover


def best_key(weight: float, claim: ClaimRecord) -> tuple[float, str, str]:
    """Sort key of a source's best claim: the heaviest, ties to the first in store order."""
    return (-weight, claim.event_id, claim.id)


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
