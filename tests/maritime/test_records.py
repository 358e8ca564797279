"""Maritime event records: deterministic ids and a lossless JSON round trip."""

from __future__ import annotations

import json

from watchfloor.maritime.detect import DetectionResult
from watchfloor.maritime.records import MaritimeEvent


def test_round_trip_keeps_everything_and_the_id(detected: DetectionResult) -> None:
    for event in detected.events:
        data = json.loads(json.dumps(event.to_dict()))
        again = MaritimeEvent.from_dict(data)
        assert again.to_dict() == event.to_dict()
        assert again.id == event.id


def test_ids_are_unique_and_change_with_content(detected: DetectionResult) -> None:
    ids = [e.id for e in detected.events]
    assert len(set(ids)) == len(ids)
    event = MaritimeEvent.from_dict(detected.events[0].to_dict())
    event.mmsi += 1
    assert event.id != detected.events[0].id
