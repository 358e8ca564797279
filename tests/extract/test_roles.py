"""Event roles on the dependency parse (roles-dep-v1): the subject of the event's predicate acts,
even when another state is named between it and the trigger; word order still decides where the
parse names nobody (passives, pronouns)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from watchfloor.extract.events import RuleLayer
from watchfloor.extract.reports import extract_reports
from watchfloor.extract.roles import actor_span, predicate, recipient_span
from watchfloor.sources.reports import Report


def _roles(text: str, nlp: Any, rules: RuleLayer) -> list[tuple[str, list[str], list[str]]]:
    report = Report(text=text, published=date(2024, 11, 1), origin="test", source="Yonhap")
    [extraction] = list(extract_reports([report], nlp=nlp, rules=rules))
    return [(e.type.value, e.source_actors, e.target_actors) for e in extraction.events]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a state named in a relative clause of the subject does not act
        (
            "Kim Jong Un's government, which Russia has courted for years, sent troops to Russia.",
            ("troop_deployment", ["kp"], ["ru"]),
        ),
        # nor one named in a participle phrase between the subject and the verb
        (
            "The regime in Pyongyang, long shunned by Moscow, has now sent artillery shells to Russia.",
            ("arms_transfer", ["kp"], ["ru"]),
        ),
        # the subject of the verb the event hangs from: "has continued to send"
        (
            "North Korea, which has been under UN sanctions since 2006, has continued to send "
            "artillery shells to Russia.",
            ("arms_transfer", ["kp"], ["ru"]),
        ),
        # the dative recipient
        (
            "Seoul said Russia, after talks with Pyongyang, has given North Korea air defence missiles.",
            ("arms_transfer", ["ru"], ["kp"]),
        ),
    ],
)
def test_actor_and_recipient_from_the_parse(
    text: str, expected: tuple[str, list[str], list[str]], nlp: Any, rules: RuleLayer
) -> None:
    assert expected in _roles(text, nlp, rules)


def test_passive_subject_is_not_the_actor(nlp: Any) -> None:
    doc = nlp("North Korean troops are deployed to the front in Kursk.")
    start = next(t.i for t in doc if t.lower_ == "deployed")
    assert predicate(doc, start, start + 1).lower_ == "deployed"
    assert actor_span(doc, start, start + 1) is None  # what is moved, not who moves it
    recipient = recipient_span(doc, start, start + 1)
    assert recipient is not None and doc[recipient[0] : recipient[1]].text.startswith("the front")


def test_accused_of_providing_names_the_accused_not_the_accuser(nlp: Any) -> None:
    doc = nlp("North Korea has been accused by the United States of supplying artillery shells to Russia.")
    start = next(t.i for t in doc if t.lower_ == "supplying")
    span = actor_span(doc, start, start + 1)
    assert span is not None and doc[span[0] : span[1]].text == "North Korea"
