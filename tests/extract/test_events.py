"""The rule layer on the founding report (the seven findings the issue asks for) and on every
fixture report (the full expected extraction in fixtures/expected.yaml)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from watchfloor.cli.extract import read_batch
from watchfloor.extract.events import RuleLayer, merge_events, same_event
from watchfloor.extract.ontology import EventType
from watchfloor.extract.records import Claim, Event, Extraction
from watchfloor.extract.reports import extract_reports
from watchfloor.model.stance import Stance
from watchfloor.sources.reports import read_reports

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))
Signature = Callable[[Extraction], list[dict[str, Any]]]


@pytest.fixture(scope="module")
def founding(founding_report: Path, nlp: Any, rules: RuleLayer) -> Extraction:
    reports, errors = read_batch([founding_report], None, None)
    assert errors == []
    return next(extract_reports(reports, nlp=nlp, rules=rules))


def _one(extraction: Extraction, event_type: EventType, **where: Any) -> Event:
    found = [
        e
        for e in extraction.events
        if e.type is event_type and all(getattr(e, key) == value for key, value in where.items())
    ]
    assert len(found) == 1, [e.summary for e in extraction.events]
    return found[0]


def _claim(event: Event, speaker: str) -> Claim:
    [claim] = [c for c in event.claims if c.speaker == speaker]
    return claim


def _text(extraction: Extraction, claim: Claim, founding_report: Path) -> str:
    body = read_reports(founding_report).reports[0].text
    assert body[claim.span.start : claim.span.end] == claim.span.quote
    return claim.span.quote


def test_source_and_grade(founding: Extraction) -> None:
    assert (founding.source, founding.source_grade, founding.published) == (
        "Associated Press",
        "B",
        date(2024, 10, 29),
    )


def test_1_troop_deployment_claimed_by_singh_hedged(founding: Extraction, founding_report: Path) -> None:
    event = _one(founding, EventType.TROOP_DEPLOYMENT)
    assert (event.source_actors, event.target_actors, event.place) == (
        ["kp"],
        ["ru"],
        "the Kursk border region",
    )
    singh = _claim(event, "Pentagon spokesperson Sabrina Singh")
    assert singh.speaker_actor == "sabrina-singh" and singh.speaker_state == "us"
    assert singh.claim_date is not None and singh.claim_date.start == date(2024, 10, 28)
    assert singh.stance is Stance.ASSERTS and singh.hedges == ["believed to"]
    assert singh.credibility > 2  # hedging lowered it from the base of 2
    assert "believed to be heading for the Kursk border region" in _text(founding, singh, founding_report)


def test_2_yoon_shares_an_assessment_with_von_der_leyen_and_rutte(founding: Extraction) -> None:
    event = _one(founding, EventType.TROOP_DEPLOYMENT)
    yoon = _claim(event, "South Korean President Yoon Suk Yeol")
    assert yoon.stance is Stance.SPECULATES
    assert yoon.claim_date is not None and yoon.claim_date.start == date(2024, 10, 28)
    assert yoon.audience == ["Ursula von der Leyen (European Commission)", "Mark Rutte (NATO)"]
    assert yoon.basis == "South Korean intelligence assessments"
    assert yoon.statement is not None and "could be deployed to battlefronts" in yoon.statement
    assert yoon.span.quote.startswith("South Korean President Yoon Suk Yeol in telephone calls")


def test_3_denial_then_claim_of_lawful_cooperation(founding: Extraction) -> None:
    denial = _one(founding, EventType.DENIAL)
    assert denial.source_actors == ["kp", "ru"]
    assert denial.object == "the claims about North Korean troop deployments"
    assert denial.date is not None and denial.date.basis == "before" and denial.date.text == "initially"
    [claim] = denial.claims
    assert (claim.speaker, claim.stance) == ("Pyongyang and Moscow", Stance.DENIES)
    # the deployment itself carries their denial as a claim
    deployment = _one(founding, EventType.TROOP_DEPLOYMENT)
    assert _claim(deployment, "Pyongyang and Moscow").stance is Stance.DENIES
    cooperation = _one(founding, EventType.MILITARY_COOPERATION)
    later = _claim(cooperation, "Pyongyang and Moscow")
    assert later.stance is Stance.ASSERTS
    assert later.statement == "their military cooperation conforms with international law"


def test_4_arms_transfer_is_an_accusation(founding: Extraction) -> None:
    event = _one(
        founding, EventType.ARMS_TRANSFER, object="millions of artillery shells and other military equipment"
    )
    assert (event.source_actors, event.target_actors) == (["kp"], ["ru"])
    [claim] = event.claims
    assert claim.stance is Stance.ACCUSES
    assert claim.speaker == "Associated Press"  # passive: no accuser named, the report's own claim
    assert claim.span.quote.startswith("North Korea has also been accused of providing")


def test_5_sanctions_evasion_as_suspicion(founding: Extraction) -> None:
    event = _one(founding, EventType.SANCTIONS_EVASION)
    assert (event.source_actors, event.target_actors) == (["ru"], ["kp"])
    assert event.object == "evade sanctions and unlawfully finance its weapons program"
    [claim] = event.claims
    assert (claim.speaker, claim.stance) == ("The United States and its partners", Stance.SPECULATES)
    assert "suspicions" in claim.hedges


def test_6_technology_transfer_is_speculative(founding: Extraction) -> None:
    event = _one(founding, EventType.TECHNOLOGY_TRANSFER)
    assert (event.source_actors, event.target_actors) == (["ru"], ["kp"])
    assert event.object is not None and event.object.startswith("technology in return that could advance")
    assert "missile program" in event.object
    [claim] = event.claims
    assert claim.stance is Stance.SPECULATES
    assert claim.speaker == "South Korean and Western leaders"
    assert claim.credibility == 5


def test_7_south_korean_countermeasures(founding: Extraction) -> None:
    measures = {e.object: e for e in founding.events if e.type is EventType.COUNTERMEASURE}
    staged = measures["countermeasures"]
    assert staged.source_actors == ["kr"] and staged.target_actors == ["kp", "ru"]
    assert [c.claim_date.text for c in staged.claims if c.claim_date] == ["Tuesday", "last week"]
    weapons = measures["supplying Ukraine with weapons"]
    assert (weapons.source_actors, weapons.target_actors) == (["kr"], ["ua"])
    raised = weapons.claims[0]
    assert raised.stance is Stance.SPECULATES
    assert raised.claim_date is not None
    assert (raised.claim_date.start, raised.claim_date.end) == (date(2024, 10, 21), date(2024, 10, 27))
    coordination = next(e for o, e in measures.items() if o.startswith("closer coordination with European"))
    assert coordination.target_actors == ["kp", "ru"]
    assert "monitoring and blocking" in (coordination.object or "")
    assert coordination.claims[0].speaker == "Yoon’s office"


def test_every_event_span_is_a_sentence_of_the_report(founding: Extraction, founding_report: Path) -> None:
    body = read_reports(founding_report).reports[0].text
    for event in founding.events:
        assert event.spans
        for span in event.spans + [c.span for c in event.claims]:
            assert body[span.start : span.end] == span.quote


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_full_expected_extraction(
    name: str, founding_report: Path, nlp: Any, rules: RuleLayer, signature_of: Signature
) -> None:
    path = founding_report if name == founding_report.name else FIXTURES / name.split("#")[0]
    reports, _errors = read_batch([path], None, None)
    extractions = {Path(x.origin).name: x for x in extract_reports(reports, nlp=nlp, rules=rules)}
    got = extractions[name]
    expected = EXPECTED[name]
    assert (got.source, got.source_grade) == (expected["source"], expected["grade"])
    assert signature_of(got) == expected["events"]


def test_fixtures_cover_every_domain_type_and_stance() -> None:
    summaries = [e["event"] for doc in EXPECTED.values() for e in doc["events"]]
    stances = {c[1] for doc in EXPECTED.values() for e in doc["events"] for c in e["claims"]}
    for event_type in (
        "troop_deployment",
        "arms_transfer",
        "technology_transfer",
        "sanctions_evasion",
        "military_cooperation",
        "countermeasure",
        "denial",
    ):
        assert sum(s.startswith(event_type) for s in summaries) >= 2, event_type
    assert stances == {s.value for s in Stance}


def test_same_event_across_reports_merges_into_one_with_two_claims(nlp: Any, rules: RuleLayer) -> None:
    reports, _ = read_batch(
        [FIXTURES / "reuters_2023-10-13_containers.txt", FIXTURES / "feed_2024-11.rss"], None, None
    )
    events = [e for x in extract_reports(reports, nlp=nlp, rules=rules) for e in x.events]
    transfers = [e for e in events if e.type is EventType.ARMS_TRANSFER]
    assert len(transfers) == 2
    assert same_event(transfers[0], transfers[1])  # containers of equipment / of shells, kp -> ru
    [merged] = [e for e in merge_events(transfers)]
    assert len(merged.claims) == 3
    assert {c.document for c in merged.claims} == {r.content_hash for r in reports[:2]}


def test_parallel_workers_give_the_same_extraction(signature_of: Signature) -> None:
    paths = sorted(p for p in FIXTURES.iterdir() if p.suffix == ".txt")
    reports, _ = read_batch(paths, None, None)
    one = [signature_of(x) for x in extract_reports(reports)]
    two = [signature_of(x) for x in extract_reports(reports, n_process=2, batch_size=3)]
    assert one == two and len(one) == len(paths)
