"""Gaps and impossible jumps on hand-built tracks, including ones across partition edges."""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from tests.maritime.handmade import T0, track
from watchfloor.maritime.detect import Detectors, detect
from watchfloor.maritime.records import EventKind


def test_gap_across_windows_with_positions_before_and_after(detectors: Detectors) -> None:
    before = track(4001, 41.0, 135.0, 1, knots=12)
    after = track(4001, 41.5, 135.5, 1, knots=12).with_columns(
        pl.col("ts") + timedelta(hours=40), pl.col("src_line") + 100
    )
    frame = pl.concat([after, before])  # out of order on purpose
    for hours in (1, 24, 24 * 10):
        result = detect(frame, detectors=detectors, window_hours=hours)
        (gap,) = result.by_kind(EventKind.GAP)
        assert gap.start == before["ts"][-1] and gap.end == after["ts"][0]
        assert [p.role for p in gap.positions] == ["before", "after"]
        assert [p.src_line for p in gap.positions] == [before["src_line"][-1], after["src_line"][0]]
        assert 60 < gap.details["distance_km"] < 75
        assert gap.details["implied_speed_knots"] < 1.0


def test_short_silence_is_no_gap(detectors: Detectors) -> None:
    a = track(4002, 41.0, 135.0, 1, knots=12)
    b = a.with_columns(pl.col("ts") + timedelta(hours=11), pl.col("src_line") + 100)
    assert detect(pl.concat([a, b]), detectors=detectors).counts == {}


def test_impossible_jumps_are_one_identity_event(detectors: Detectors) -> None:
    base = track(4003, 40.0, 134.0, 3, knots=12)
    spoofed = base.with_columns(
        pl.when(pl.col("ts").is_between(T0 + timedelta(hours=1), T0 + timedelta(hours=1, minutes=30)))
        .then(pl.col("lon") + 3.0)
        .otherwise(pl.col("lon"))
        .alias("lon")
    )
    assert detect(base, detectors=detectors).counts == {}
    (event,) = detect(spoofed, detectors=detectors).by_kind(EventKind.IDENTITY)
    assert event.details["change"] == "impossible_position"
    assert event.details["jumps"] == 2  # out and back
    assert event.details["max_implied_speed_knots"] > 1000
