"""Attribution on the dependency parse (attribution-dep-v1): speakers, passive agents, pronouns
carried across sentences, and future or hypothetical events kept apart from what happened."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from watchfloor.extract.attribution import phrase, speaker_of, verb_of
from watchfloor.extract.events import RuleLayer
from watchfloor.extract.ontology import EventType
from watchfloor.extract.records import Claim, Extraction
from watchfloor.extract.reports import extract_reports
from watchfloor.model.stance import Stance
from watchfloor.sources.reports import Report, read_reports


def _extract(text: str, nlp: Any, rules: RuleLayer) -> Extraction:
    report = Report(text=text, published=date(2024, 11, 1), origin="test", source="Associated Press")
    return next(extract_reports([report], nlp=nlp, rules=rules))


def _claims(extraction: Extraction, event_type: EventType) -> list[Claim]:
    return [c for e in extraction.events if e.type is event_type for c in e.claims]


def test_parser_is_loaded(nlp: Any) -> None:
    assert "parser" in nlp.pipe_names
    doc = nlp("Pentagon spokesperson Sabrina Singh told reporters that troops had moved.")
    verb = verb_of(doc[4:5])
    found = speaker_of(verb)
    assert found is not None and found.how == "subject" and found.span is not None
    assert doc[found.span[0] : found.span[1]].text == "Pentagon spokesperson Sabrina Singh"


def test_subject_phrase_leaves_out_prepositional_phrases(nlp: Any, founding_report: Path) -> None:
    """The founding report's "Yoon ... in telephone calls with ... on Monday shared ..."."""
    [sentence] = [s for s in read_reports(founding_report).reports[0].text.split("\n") if " shared " in s]
    doc = nlp(sentence)
    shared = next(t for t in doc if t.text == "shared")
    found = speaker_of(shared)
    assert found is not None and found.span is not None
    assert doc[found.span[0] : found.span[1]].text == "South Korean President Yoon Suk Yeol"
    assert phrase(doc[5]) == found.span


def test_passive_accusation_without_agent_is_the_reports_own(nlp: Any, rules: RuleLayer) -> None:
    found = _extract("North Korea has been accused of supplying artillery shells to Russia.", nlp, rules)
    [claim] = _claims(found, EventType.ARMS_TRANSFER)
    assert claim.speaker == "Associated Press" and claim.speaker_state is None
    assert claim.stance is Stance.ACCUSES


def test_passive_agent_is_the_speaker(nlp: Any, rules: RuleLayer) -> None:
    text = "North Korea has been accused by the United States of supplying artillery shells to Russia."
    [claim] = _claims(_extract(text, nlp, rules), EventType.ARMS_TRANSFER)
    assert (claim.speaker, claim.speaker_state, claim.stance) == ("the United States", "us", Stance.ACCUSES)


def test_he_said_resolves_to_the_last_named_speaker(nlp: Any, rules: RuleLayer) -> None:
    text = (
        "Zelensky met reporters in Kyiv. “North Korea is sending troops to Russia,” Kirby said on Monday. "
        "He said the soldiers had crossed into the Kursk region."
    )
    claims = _claims(_extract(text, nlp, rules), EventType.TROOP_DEPLOYMENT)
    speakers = {c.speaker for c in claims}
    assert "He (John Kirby)" in speakers, speakers
    assert all(c.speaker_state == "us" for c in claims)


def test_future_and_hypothetical_are_kept_apart_from_what_happened(nlp: Any, rules: RuleLayer) -> None:
    happened = _claims(
        _extract("Russia delivered air defence missiles to North Korea.", nlp, rules), EventType.ARMS_TRANSFER
    )
    future = _claims(
        _extract("Russia will deliver air defence missiles to North Korea.", nlp, rules),
        EventType.ARMS_TRANSFER,
    )
    maybe = _claims(
        _extract("Putin said that if Russia sends weapons to North Korea, Seoul would respond.", nlp, rules),
        EventType.ARMS_TRANSFER,
    )
    assert [(c.modality, c.stance) for c in happened] == [("actual", Stance.ASSERTS)]
    assert [(c.modality, c.stance) for c in future] == [("future", Stance.SPECULATES)]
    assert [(c.modality, c.stance) for c in maybe] == [("hypothetical", Stance.SPECULATES)]
    assert any("told as future" in r for r in future[0].credibility_explanation)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "North Korea sent troops to Russia, according to South Korea's spy agency.",
            "South Korea's spy agency",
        ),
        (
            "According to Ukrainian military intelligence, North Korean troops arrived in Kursk.",
            "Ukrainian military intelligence",
        ),
    ],
)
def test_according_to(text: str, speaker: str, nlp: Any, rules: RuleLayer) -> None:
    claims = _claims(_extract(text, nlp, rules), EventType.TROOP_DEPLOYMENT)
    assert [c.speaker for c in claims] == [speaker]


def test_the_north_is_north_korea_and_north_alone_names_nothing(nlp: Any, rules: RuleLayer) -> None:
    found = _extract("The North has sent thousands of troops to Russia, Seoul said.", nlp, rules)
    assert ("The North", "kp") in {(m.text, m.actor) for m in found.mentions}
    [event] = [e for e in found.events if e.type is EventType.TROOP_DEPLOYMENT]
    assert (event.source_actors, event.target_actors) == (["kp"], ["ru"])
    korean = _extract("The North Korean soldiers crossed into Russia.", nlp, rules)
    assert ("North Korean", "kp") in {(m.text, m.actor) for m in korean.mentions}
    assert all(m.text != "North" for m in korean.mentions)


def test_relevance_counts_mentions_and_events(nlp: Any, rules: RuleLayer) -> None:
    passing = _extract("The suspect is wanted by the authorities of the Russian Federation.", nlp, rules)
    assert not passing.relevant and "in passing" in passing.relevance
    told = _extract("North Korea has been accused of supplying artillery shells to Russia.", nlp, rules)
    assert told.relevant and "events" in told.relevance
    north = _extract("The company is a front for a North Korean bank.", nlp, rules)
    assert north.relevant and north.events == []
