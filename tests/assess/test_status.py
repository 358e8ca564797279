"""The status rule table: its thresholds are the policy's, read top to bottom."""

from __future__ import annotations

from watchfloor.assess.policy import Status, StatusRules
from watchfloor.assess.status import decide_status, status_table


def _decide(rules: StatusRules, **counts: int | bool) -> Status:
    given: dict[str, int | bool] = {"substantive": True, "speculative": False, "evidence_maritime": False}
    given.update({"counting": 1, "strong": False, "non_analyst": 1, "analyst": False})
    given.update(counts)
    return decide_status(rules, **given)  # type: ignore[arg-type]  # the keywords are the function's


def test_the_table_takes_its_thresholds_from_the_policy() -> None:
    rules = StatusRules.model_validate({"corroborated": {"min_independent_sources": 3},
                                        "confirmed": {"min_independent_sources": 4}})  # fmt: skip
    assert [(r.status, r.min_sources) for r in status_table(rules)] == [
        (Status.CONFIRMED, 4), (Status.CONFIRMED, 3), (Status.CORROBORATED, 3), (Status.REPORTED, 0),
    ]  # fmt: skip
    assert _decide(rules, counting=2, non_analyst=2) is Status.REPORTED
    assert _decide(StatusRules(), counting=2, non_analyst=2) is Status.CORROBORATED
    assert _decide(rules, counting=3, non_analyst=3) is Status.CORROBORATED
    assert _decide(rules, counting=3, non_analyst=3, strong=True) is Status.CORROBORATED
    assert _decide(rules, counting=4, non_analyst=4, strong=True) is Status.CONFIRMED


def test_an_analyst_confirms_only_beside_corroborating_sources_and_nothing_observed_stays_so() -> None:
    rules = StatusRules()
    # The analyst is a source of its own: one report and the analyst corroborate, not confirm.
    assert _decide(rules, counting=2, non_analyst=1, analyst=True) is Status.CORROBORATED
    assert _decide(rules, counting=3, non_analyst=2, analyst=True) is Status.CONFIRMED
    assert _decide(rules, substantive=False, counting=0, non_analyst=0) is Status.NOT_OBSERVED
    assert _decide(rules, substantive=False, speculative=True, counting=0) is Status.SPECULATIVE
    assert _decide(rules, substantive=False, evidence_maritime=True, counting=1) is Status.REPORTED
