"""Port visits by GFW's hysteresis rule: in within 3 km, out beyond 4 km, stopped at <= 0.2 kn."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import pytest

from tests.maritime.handmade import T0
from watchfloor.maritime.detect import Detectors, detect
from watchfloor.maritime.ports import KM_PER_DEG_LAT, Port
from watchfloor.maritime.records import EventKind, MaritimeEvent
from watchfloor.sources.ais.schema import POSITION_SCHEMA

PORT = Port(
    id="test_anchorage",
    name="Test anchorage",
    country="xx",
    lat=60.0,
    lon=5.0,
    radius_km=3.0,
    source="test point",
)


def _legs(mmsi: int, legs: list[tuple[float, float, float]], every_min: int = 6) -> pl.DataFrame:
    """Positions due north of the port: each leg is (km from the port, hours, knots)."""
    rows: list[dict[str, object]] = []
    t = T0
    for km, hours, knots in legs:
        for _ in range(int(hours * 60 / every_min)):
            rows.append(
                {
                    "mmsi": mmsi,
                    "ts": t,
                    "lat": PORT.lat + km / KM_PER_DEG_LAT,
                    "lon": PORT.lon,
                    "sog": knots,
                    "cog": 0.0,
                    "heading": None,
                    "msg_type": 1,
                    "src_file": "hand.csv",
                    "src_line": len(rows) + 1,
                }
            )
            t += timedelta(minutes=every_min)
    return pl.DataFrame(rows, schema=POSITION_SCHEMA)


def _visits(
    frame: pl.DataFrame, detectors: Detectors, window_hours: int | None = None
) -> list[MaritimeEvent]:
    det = Detectors(detectors.cfg, [PORT])
    return detect(frame, detectors=det, window_hours=window_hours).by_kind(EventKind.PORT_VISIT)


def test_the_default_thresholds_are_gfws(detectors: Detectors) -> None:
    pv = detectors.cfg.port_visit
    assert (pv.entry_km, pv.exit_km, pv.stop_speed_knots) == (3, 4, 0.2)


SWINGING = [
    (6.0, 1, 8), (3.5, 2, 0.1), (2.5, 3, 0.0), (3.6, 3, 0.0), (2.8, 3, 0.1), (3.9, 2, 0.5), (5.0, 1, 8),
]  # fmt: skip
"""Legs (km from the port, hours, knots) swinging across the 3 km line, stopped inside it."""


def test_hovering_between_3_and_4_km_is_no_visit(detectors: Detectors) -> None:
    frame = _legs(1, [(6.0, 1, 8), (3.5, 4, 0.0), (3.9, 4, 0.1), (3.2, 4, 0.0), (6.0, 1, 8)])
    assert _visits(frame, detectors) == []
    # the same stop 0.4 km further in is a visit: the entry circle is what decides
    frame = _legs(1, [(6.0, 1, 8), (2.9, 4, 0.0), (6.0, 1, 8)])
    assert len(_visits(frame, detectors)) == 1


def test_swinging_across_the_3_km_line_is_one_visit_from_the_first_entry(detectors: Detectors) -> None:
    (visit,) = _visits(_legs(7, SWINGING), detectors)
    assert visit.start == T0 + timedelta(hours=3)  # the first fix inside 3 km, not the one at 3.5 km
    assert visit.end == T0 + timedelta(hours=14) - timedelta(minutes=6)  # the last fix before 5 km
    assert visit.positions[0].role == "arrival" and visit.positions[0].src_line == 3 * 10 + 1
    assert visit.details["entry_km"] == 3 and visit.details["exit_km"] == 4
    assert visit.details["min_speed_knots"] == 0.0


def test_leaving_beyond_4_km_splits_the_visit(detectors: Detectors) -> None:
    legs = [(6.0, 1, 8), (2.5, 3, 0.0), (4.5, 1, 3), (2.5, 3, 0.0), (6.0, 1, 8)]
    visits = _visits(_legs(9, legs), detectors)
    assert [v.start for v in visits] == [T0 + timedelta(hours=1), T0 + timedelta(hours=5)]


def test_the_stop_counts_only_after_entry(detectors: Detectors) -> None:
    """Stopped in the band before entering, then steaming through the entry circle: no port stop."""
    legs = [(6.0, 1, 8), (3.5, 3, 0.0), (2.0, 2, 4.0), (6.0, 1, 8)]
    assert _visits(_legs(11, legs), detectors) == []


@pytest.mark.parametrize("window_hours", [1, 2, 5, 24])
def test_visits_do_not_depend_on_the_time_partitions(detectors: Detectors, window_hours: int) -> None:
    stop_before_entry = [(6.0, 1, 8), (3.5, 3, 0.0), (2.0, 2, 4.0), (6.0, 1, 8)]
    frame = pl.concat([_legs(7, SWINGING), _legs(9, stop_before_entry)])
    whole = [(v.mmsi, v.start, v.end, v.details["positions"]) for v in _visits(frame, detectors, 24 * 7)]
    cut = [(v.mmsi, v.start, v.end, v.details["positions"]) for v in _visits(frame, detectors, window_hours)]
    assert cut == whole and len(whole) == 1


def test_positions_on_land_are_counted_and_set_aside_only_when_configured(detectors: Detectors) -> None:
    """A fix 300 km inside Sweden in the middle of a ship's stay: counted either way; with
    ``land.set_aside`` it is kept out, so the impossible jump it makes disappears."""
    frame = _legs(21, [(2.0, 3, 0.0)])
    spoof = frame.slice(10, 1).with_columns(pl.lit(62.5).alias("lat"), pl.lit(15.0).alias("lon"))
    frame = pl.concat([frame.slice(0, 10), spoof, frame.slice(11)])
    det = Detectors(detectors.cfg, [PORT])
    kept = detect(frame, detectors=det)
    assert kept.set_aside == {"on_land": 1} and not kept.land_set_aside
    assert kept.set_aside_refs[0].src_line == 11 and kept.set_aside_refs[0].role == "on_land"
    assert kept.by_kind(EventKind.IDENTITY)  # the impossible jump inland and back is seen
    cfg = detectors.cfg.model_copy(deep=True)
    cfg.land.set_aside = True
    aside = detect(frame, detectors=Detectors(cfg, [PORT]))
    assert aside.set_aside == {"on_land": 1} and aside.land_set_aside
    assert aside.positions == frame.height - 1 and aside.by_kind(EventKind.IDENTITY) == []
    assert len(aside.by_kind(EventKind.PORT_VISIT)) == 1
