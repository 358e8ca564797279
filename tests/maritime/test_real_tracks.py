"""The detectors on real AIS tracks from ``../shared/data/ais/``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from watchfloor.maritime.detect import Detectors, detect
from watchfloor.maritime.events import EventKind
from watchfloor.sources.ais.batch import AisBatch
from watchfloor.sources.ais.reader import read_ais

CLOSE_PASS = "dma_close_approach_2017-07-05_utm32n.geojson"


@pytest.fixture(scope="module")
def close_pass(shared_data: Path) -> AisBatch:
    return AisBatch.concat(list(read_ais(shared_data / "ais" / CLOSE_PASS)))


def _with_encounter(det: Detectors, **changes: float) -> Detectors:
    cfg = det.cfg.model_copy(deep=True)
    for key, value in changes.items():
        setattr(cfg.encounter, key, value)
    return Detectors(cfg, det.ports)


def test_two_ships_passing_at_speed_are_not_an_encounter(close_pass: AisBatch, detectors: Detectors) -> None:
    positions = close_pass.positions.sort("ts")
    ferry = positions.filter(pl.col("mmsi") == 265410000)
    tanker = positions.filter(pl.col("mmsi") == 265550210)
    # the ships really do come within 500 m (ferry interpolated to the tanker's times) ...
    t_f, t_t = ferry["ts"].dt.epoch("s").to_numpy(), tanker["ts"].dt.epoch("s").to_numpy()
    lat = np.interp(t_t, t_f, ferry["lat"].to_numpy())
    lon = np.interp(t_t, t_f, ferry["lon"].to_numpy())
    dy = (lat - tanker["lat"].to_numpy()) * 111_195
    dx = (lon - tanker["lon"].to_numpy()) * 111_195 * np.cos(np.radians(lat))
    assert np.hypot(dx, dy).min() < 500
    # ... at a pair speed far above 2 kn, for minutes, not hours
    assert float(ferry["sog"].median()) > 8  # type: ignore[arg-type]
    result = detect(positions, close_pass.static, detectors=detectors)
    assert result.by_kind(EventKind.ENCOUNTER) == []
    # each published condition alone rules it out: with 1-minute buckets and no duration floor,
    # the pass is seen as close; the speed rule alone then rejects it, and the 2 h rule alone too
    seen = detect(
        positions,
        close_pass.static,
        detectors=_with_encounter(detectors, bucket_minutes=1, min_hours=0.01, max_median_speed_knots=50),
    )
    (meeting,) = seen.by_kind(EventKind.ENCOUNTER)
    assert {meeting.mmsi, meeting.other_mmsi} == {265410000, 265550210}
    assert meeting.details["min_distance_m"] < 500
    for rule in ({"max_median_speed_knots": 2.0}, {"min_hours": 2.0}):
        relaxed = {"bucket_minutes": 1, "min_hours": 0.01, "max_median_speed_knots": 50.0} | rule
        assert (
            detect(positions, close_pass.static, detectors=_with_encounter(detectors, **relaxed)).events == []
        )
