"""The event types the first evaluation found weak: casualties and prisoners, troops in combat,
port calls, ship-to-ship transfers and other sanctions evasion, technology procurement, meetings.

Sanctions-evasion, port-call and procurement cases are real text: narrative summaries of DPRK
entries of the official UN Consolidated List in ../shared/data. Combat and casualty cases are
short sentences written here (no real text about them is in shared/data)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as ET
import pytest

from watchfloor.extract.events import RuleLayer
from watchfloor.extract.ontology import EventType, Plover
from watchfloor.extract.records import Event
from watchfloor.extract.reports import extract_reports
from watchfloor.sources.reports import Report


def _events(text: str, nlp: Any, rules: RuleLayer) -> list[Event]:
    report = Report(text=text, published=date(2024, 11, 1), origin="test", source="Associated Press")
    return next(extract_reports([report], nlp=nlp, rules=rules)).events


@pytest.fixture(scope="module")
def un_comments(shared_data: Path) -> dict[str, str]:
    root = ET.parse(shared_data / "sanctions" / "un" / "UN_consolidated_2026-02-27.xml").getroot()
    return {
        (e.findtext("REFERENCE_NUMBER") or "").strip(): " ".join((e.findtext("COMMENTS1") or "").split())
        for kind in ("INDIVIDUAL", "ENTITY")
        for e in root.iter(kind)
    }


@pytest.mark.parametrize(
    ("text", "kind", "source", "target"),
    [
        (
            "Hundreds of North Korean soldiers have been killed in the Kursk region, Zelensky said.",
            EventType.CASUALTIES,
            ["kp"],
            ["ru"],
        ),
        (
            "Ukrainian forces captured two wounded North Korean soldiers in Kursk.",
            EventType.CASUALTIES,
            ["kp"],
            ["ru"],
        ),
        (
            "North Korean troops are fighting alongside Russian forces in the Kursk region.",
            EventType.TROOPS_IN_COMBAT,
            ["kp"],
            ["ru"],
        ),
        (
            "North Korean soldiers joined the fighting in Kursk last week.",
            EventType.TROOPS_IN_COMBAT,
            ["kp"],
            ["ru"],
        ),
    ],
)
def test_combat_and_casualties(
    text: str, kind: EventType, source: list[str], target: list[str], nlp: Any, rules: RuleLayer
) -> None:
    found = [e for e in _events(text, nlp, rules) if e.type is kind]
    assert found, [e.summary for e in _events(text, nlp, rules)]
    assert (found[0].source_actors, found[0].target_actors) == (source, target)
    assert found[0].plover is Plover.FIGHT


def test_troops_of_other_states_in_combat_fall_back_to_assault(nlp: Any, rules: RuleLayer) -> None:
    kinds = {e.type for e in _events("Ukrainian soldiers fought in Kursk on Monday.", nlp, rules)}
    assert EventType.TROOPS_IN_COMBAT not in kinds and EventType.CASUALTIES not in kinds


@pytest.mark.parametrize(
    ("ref", "kind", "place"),
    [
        ("KPe.055", EventType.PORT_CALL, "Najin"),
        ("KPe.072", EventType.PORT_CALL, "Hamhung"),
        ("KPe.073", EventType.PORT_CALL, "Nampo"),
        ("KPe.063", EventType.SANCTIONS_EVASION, None),
        ("KPe.067", EventType.SANCTIONS_EVASION, None),
        ("KPe.050", EventType.SANCTIONS_EVASION, None),
        ("KPe.004", EventType.TECHNOLOGY_TRANSFER, None),
        ("KPi.036", EventType.CONSULT, None),
    ],
)
def test_real_un_narratives(
    ref: str, kind: EventType, place: str | None, un_comments: dict[str, str], nlp: Any, rules: RuleLayer
) -> None:
    events = [e for e in _events(un_comments[ref], nlp, rules) if e.type is kind]
    assert events, [e.summary for e in _events(un_comments[ref], nlp, rules)]
    if place is not None:
        assert any(e.place == place for e in events), [e.summary for e in events]


def test_ship_to_ship_with_a_dprk_tanker_names_the_dprk(
    un_comments: dict[str, str], nlp: Any, rules: RuleLayer
) -> None:
    events = [e for e in _events(un_comments["KPe.065"], nlp, rules) if e.type is EventType.SANCTIONS_EVASION]
    assert any("kp" in e.source_actors for e in events), [e.summary for e in events]


def test_a_text_with_no_exchange_gives_no_event(
    un_comments: dict[str, str], nlp: Any, rules: RuleLayer
) -> None:
    for ref in ("KPi.014", "KPi.052", "KPe.024"):
        assert _events(un_comments[ref], nlp, rules) == [], ref


def test_the_state_of_a_tanker_acts_through_it(
    un_comments: dict[str, str], nlp: Any, rules: RuleLayer
) -> None:
    """KPe.062: "Registered owner of DPRK tanker AN SAN 1 believed to have been involved in
    ship-to-ship transfer operations for oil": DPRK is named inside "of ...", yet it acts."""
    events = [e for e in _events(un_comments["KPe.062"], nlp, rules) if e.type is EventType.SANCTIONS_EVASION]
    assert [e.source_actors for e in events] == [["kp"]]


def test_vessels_weapons_and_ports_from_the_gazetteer(nlp: Any, rules: RuleLayer) -> None:
    report = Report(
        text="The Lady R docked at Vostochny after loading at Rajin. "
        "Russia sent Pantsir systems to North Korea.",
        published=date(2024, 11, 1),
        origin="test",
        source="Associated Press",
    )
    found = next(extract_reports([report], nlp=nlp, rules=rules))
    named = {(m.text, m.actor) for m in found.mentions}
    assert {
        ("Lady R", "lady-r"),
        ("Vostochny", "vostochny"),
        ("Rajin", "rajin"),
        ("Pantsir", "pantsir"),
    } <= named
    assert any(e.type is EventType.PORT_CALL and e.place == "Vostochny" for e in found.events), [
        e.summary for e in found.events
    ]
    assert any(e.type is EventType.ARMS_TRANSFER and e.source_actors == ["ru"] for e in found.events)
