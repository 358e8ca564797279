"""Nothing invented, nothing silent (issue 17): what the brief may and may not present as evidence.

- synthetic records never count as a source or corroboration, and carry a SYNTHETIC label;
- one grade per claim, the same wherever the brief shows it, with the rule that produced it;
- an undated claim is never placed on the timeline at another report's date;
- an empty store gives no confident "Stage 0" brief: it says there is no evidence.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.assess.evidence_builder import EvidenceBuilder
from watchfloor.assess.assessment import assess
from watchfloor.assess.policy import Status
from watchfloor.report.brief import render_brief
from watchfloor.store import Store, open_store
from watchfloor.store.models import Document, MaritimeEvent, Provenance

KIRBY = "North Korea has delivered more than 1,000 containers of munitions to Russia, the White House said."
NIS = (
    "North Korea has shipped 13,000 containers of artillery shells to Russia, the intelligence service said."
)
TROOPS = "Some North Korean soldiers were heading for the Kursk border region, the Pentagon said on Monday."
TROOPS_2 = "Thousands of North Korean troops are now in Russia's Kursk region, Ukraine's intelligence said."


@pytest.fixture
def session(sqlite_url: str) -> Session:
    store = open_store(sqlite_url)
    with store.session() as opened:
        yield opened  # type: ignore[misc]
    store.close()


def _simulation(builder: EvidenceBuilder, *, flagged: bool) -> None:
    """A real report, a second 'report' from a synthetic document, and a simulated listed port call."""
    shells = builder.event("arms_transfer", "kp", "ru", "containers of artillery shells and munitions")
    real = builder.document(KIRBY, date(2024, 10, 13), "Reuters")
    fake = builder.document(
        NIS, date(2024, 10, 18), "Scenario Wire", meta={"synthetic": "true"} if flagged else {}
    )
    builder.claim(shells, real, KIRBY, "White House", "us")
    builder.claim(shells, fake, NIS, "intelligence service", "kr")
    visit = builder.port_visit(
        445120003, "SYN KP CARGO 1", "Rajin", datetime(2024, 10, 20, tzinfo=UTC), list_entries=["ofac:1"]
    )
    if flagged:
        row = builder.session.get(MaritimeEvent, visit)
        assert row is not None
        row.data = {**(row.data or {}), "synthetic": True}
        builder.session.flush()


def test_synthetic_records_never_count_and_are_labelled(sqlite_url: str) -> None:
    results = {}
    for flagged in (False, True):
        store = open_store(sqlite_url.replace("store.db", f"store-{flagged}.db"))
        with store.session() as session:
            _simulation(EvidenceBuilder(session), flagged=flagged)
            assessment = assess(session)
            html = render_brief(session, assessment)
        store.close()
        results[flagged] = (assessment, html)
    real, _ = results[False]
    assert real.indicator("munitions_kp_to_ru").status is Status.CORROBORATED  # the same rows, unflagged
    assert real.indicator("listed_vessel_port_call").status is Status.REPORTED
    assessment, html = results[True]
    munitions = assessment.indicator("munitions_kp_to_ru")
    assert munitions.status is Status.REPORTED and munitions.independent_sources == 1
    assert [s.label for s in munitions.sources] == ["Reuters"]
    assert assessment.indicator("listed_vessel_port_call").status is Status.NOT_OBSERVED
    assert assessment.counts["synthetic_claims_ignored"] == 1
    assert assessment.counts["synthetic_maritime_ignored"] == 1
    assert "AIS detections" not in html and "Scenario Wire" not in html.split("<h2>Events</h2>")[0]
    tracks = html.split("<h2>Ship tracks (AIS)</h2>")[1].split("<h2>")[0]
    assert "SYNTHETIC" in html.split("<h2>Key judgements</h2>")[1].split("<h2>")[0]
    row = next(r for r in tracks.split("<tr") if "SYN KP CARGO 1" in r)  # listed, so shown ...
    assert "SYNTHETIC" in row and "simulation, not evidence" in row  # ... and labelled


def test_one_grade_per_claim_wherever_the_brief_shows_it(report_store: Store) -> None:
    with report_store.session() as session:
        assessment = assess(session)
        html = render_brief(session, assessment)
        spans = {p.id: p.subject_id for p in session.scalars(select(Provenance))}
    grades = assessment.claim_grades
    assert grades and all(g.explanation.startswith("watchfloor-claim-grade-v1") for g in grades.values())
    shown = 0
    for record, grade in re.findall(r'data-record="([^"]+)">.*?graded <b>([A-F][1-6])</b>', html):
        claim = spans[record]
        if claim in grades:
            assert grade == grades[claim].code, claim
            shown += 1
    assert shown >= 3
    for result in assessment.indicators:  # every place a claim's grade is used agrees with the one grade
        for item in result.claims:
            assert grades[item.claim_id].credibility <= item.grade.credibility
        for source in result.sources:
            if source.best_claim:
                assert f"{source.label} ({grades[source.best_claim].code}," in html.replace("&amp;", "&")
    # no claim is shown with two different grades anywhere in the brief
    per_claim: dict[str, set[str]] = {}
    for record, grade in re.findall(r'data-record="([^"]+)">.*?graded <b>([A-F][1-6])</b>', html):
        per_claim.setdefault(spans[record], set()).add(grade)
    assert all(len(v) == 1 for v in per_claim.values())


def test_an_undated_claim_is_not_placed_at_another_reports_date(session: Session) -> None:
    builder = EvidenceBuilder(session)
    troops = builder.event("troop_deployment", "kp", "ru", None, "Kursk")
    dated = builder.document(TROOPS, date(2024, 10, 29), "Associated Press")
    undated = builder.document(TROOPS_2, None, "Kyiv Independent")  # type: ignore[arg-type]
    builder.claim(troops, dated, TROOPS, "Pentagon", "us")
    builder.claim(troops, undated, TROOPS_2, "Ukraine's intelligence", "ua")
    document = session.get(Document, undated)
    assert document is not None and document.published is None
    assessment = assess(session)
    result = assessment.indicator("troops_kp_in_ru")
    assert result.status is Status.CORROBORATED  # the undated report counts as a source ...
    assert [(c.on, c.status) for c in result.timeline] == [(date(2024, 10, 29), Status.REPORTED)]
    assert assessment.counts["undated_claims"] == 1  # ... but lends no date: the timeline shows only AP's
    html = render_brief(session, assessment)
    assert "1 undated claim(s)" in html and "undated" in html


def test_an_empty_store_says_there_is_no_evidence(session: Session, tmp_path: Path) -> None:
    assessment = assess(session)
    assert assessment.no_evidence and "NO EVIDENCE" in assessment.explanation
    html = render_brief(session, assessment)
    judgements = html.split("<h2>Key judgements</h2>")[1].split("<h2>")[0]
    assert "No evidence: nothing is assessed" in judgements
    assert "Stage 0: Monitoring" not in judgements
    builder = EvidenceBuilder(session)
    troops = builder.event("troop_deployment", "kp", "ru", None, "Kursk")
    builder.claim(
        troops, builder.document(TROOPS, date(2024, 10, 29), "Associated Press"), TROOPS, "Pentagon"
    )
    assert not assess(session).no_evidence
