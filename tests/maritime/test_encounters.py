"""Encounters and loitering on small hand-built tracks: distance, duration, speed, port and edges."""

from __future__ import annotations

import polars as pl
import pytest

from tests.maritime.handmade import track
from watchfloor.maritime.detect import Detectors, detect
from watchfloor.maritime.records import EventKind


def kinds(frame: pl.DataFrame, detectors: Detectors) -> dict[str, int]:
    return detect(frame, detectors=detectors).counts


def metres_east(lat: float, metres: float) -> float:
    import math

    return metres / (111_320 * math.cos(math.radians(lat)))


@pytest.mark.parametrize(
    ("apart_m", "hours", "knots", "expected"),
    [
        (300, 3, 0.5, 1),  # close, long, slow: an encounter across the midnight window edge
        (700, 3, 0.5, 0),  # too far apart
        (300, 1.5, 0.5, 0),  # too short
        (300, 3, 3.0, 0),  # too fast (median speed)
    ],
)
def test_encounter_rules(
    detectors: Detectors, apart_m: float, hours: float, knots: float, expected: int
) -> None:
    lat, lon = 40.5, 134.0
    frame = pl.concat(
        [track(1001, lat, lon, hours, knots), track(1002, lat, lon + metres_east(lat, apart_m), hours, knots)]
    )
    counts = kinds(frame, detectors)
    assert counts.get("encounter", 0) == expected


def test_no_encounter_or_loitering_beside_a_watched_port(detectors: Detectors) -> None:
    lat, lon = 42.80, 132.25  # ~8 km from Dunai: inside the 10 km exclusion
    frame = pl.concat([track(1001, lat, lon, 3), track(1002, lat, lon + metres_east(lat, 200), 3)])
    assert kinds(frame, detectors) == {}


def test_encounter_event_cites_both_ships_and_its_numbers(detectors: Detectors) -> None:
    lat, lon = 40.5, 134.0
    frame = pl.concat([track(2002, lat, lon, 3), track(2001, lat, lon + metres_east(lat, 250), 3)])
    result = detect(frame, detectors=detectors)
    (event,) = result.by_kind(EventKind.ENCOUNTER)
    assert (event.mmsi, event.other_mmsi) == (2001, 2002)
    assert 240 <= event.details["min_distance_m"] <= 260
    assert event.duration_hours >= 3
    assert {p.mmsi for p in event.positions} == {2001, 2002}
    assert all(p.src_file == "hand.csv" for p in event.positions)
    assert len(result.by_kind(EventKind.LOITERING)) == 2


def test_loitering_needs_every_position_slow(detectors: Detectors) -> None:
    slow = track(3001, 39.0, 133.0, 4, knots=1.0)
    spiky = slow.with_columns(
        pl.when(pl.int_range(pl.len()) == 40).then(9.0).otherwise(pl.col("sog")).cast(pl.Float32).alias("sog")
    )  # one fast fix after 2 h splits the run into two of about 2 h
    assert kinds(slow, detectors) == {"loitering": 1}
    result = detect(spiky, detectors=detectors)
    assert all(e.duration_hours < 2.05 for e in result.by_kind(EventKind.LOITERING))
