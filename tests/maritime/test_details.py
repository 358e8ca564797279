"""Typed event details: every detected event reads into its kind's dataclass, and a broken one
fails with the event named."""

from __future__ import annotations

import dataclasses

import pytest

from watchfloor.errors import InputError
from watchfloor.maritime.details import (
    EncounterDetails,
    GapDetails,
    IdentityDetails,
    LoiteringDetails,
    PortVisitDetails,
    details_of,
    vessel_identity,
)
from watchfloor.maritime.detect import DetectionResult
from watchfloor.maritime.records import EventKind, MaritimeEvent
from watchfloor.maritime.scenario import STORY_VESSELS

KINDS = {
    EventKind.GAP: GapDetails,
    EventKind.ENCOUNTER: EncounterDetails,
    EventKind.LOITERING: LoiteringDetails,
    EventKind.PORT_VISIT: PortVisitDetails,
    EventKind.IDENTITY: IdentityDetails,
}


def test_every_detected_event_has_typed_details(detected: DetectionResult) -> None:
    assert {e.kind for e in detected.events} == set(KINDS)
    for event in detected.events:
        typed = details_of(event)
        assert isinstance(typed, KINDS[event.kind])
        if isinstance(typed, GapDetails):
            assert typed.hours == event.details["hours"]
            assert typed.reception.good is event.details["reception"]["good"]
            assert typed.suspected_disabling is event.details["suspected_disabling"]["value"]
        elif isinstance(typed, PortVisitDetails):
            assert (typed.port, typed.entry_km) == (event.details["port"], event.details["entry_km"])
        elif isinstance(typed, IdentityDetails):
            assert typed.change == event.details["change"]
    shuttle = STORY_VESSELS["dunai_shuttle"]
    visit = next(e for e in detected.events if e.mmsi == shuttle.mmsi and e.kind is EventKind.PORT_VISIT)
    assert vessel_identity(visit, visit.mmsi).name == [shuttle.name]  # the static name the event recorded


def test_missing_fields_name_the_event(detected: DetectionResult) -> None:
    gap = next(e for e in detected.events if e.kind is EventKind.GAP)
    broken = dataclasses.replace(gap, details={k: v for k, v in gap.details.items() if k != "reception"})
    assert isinstance(broken, MaritimeEvent)
    with pytest.raises(InputError, match=f"maritime event {broken.id}.*reception"):
        details_of(broken)
