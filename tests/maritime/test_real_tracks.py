"""The detectors on real AIS tracks from ``../shared/data/ais/``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from watchfloor.maritime.detect import Detectors, detect
from watchfloor.maritime.records import EventKind
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


def _read(shared_data: Path, name: str) -> AisBatch:
    return AisBatch.concat(list(read_ais(shared_data / "ais" / name)))


def _with(det: Detectors, section: str, **changes: object) -> Detectors:
    cfg = det.cfg.model_copy(deep=True)
    for key, value in changes.items():
        setattr(getattr(cfg, section), key, value)
    return Detectors(cfg, det.ports)


def test_port_visits_need_a_stop(shared_data: Path, detectors: Detectors) -> None:
    """Vestland, 2022-09-01: 257733000 lies moored in Bergen all day and 257706000 comes in at
    20:27 and moors beside it (nav_status 0 -> 5); 257725000 is underway at ~12 kn."""
    from watchfloor.maritime.ports import Port

    batch = _read(shared_data, "kystverket_vestland_5vessels_2022-09-01.csv.gz")
    positions = batch.positions
    moored = positions.filter(pl.col("mmsi") == 257733000)
    bergen = Port(
        id="bergen_test",
        name="Bergen (test circle)",
        country="no",
        lat=float(moored["lat"].median()),  # type: ignore[arg-type]
        lon=float(moored["lon"].median()),
        radius_km=3.0,
        source="median position of the moored 257733000",  # type: ignore[arg-type]
    )
    # a circle on the underway ship's track where it keeps moving for well over an hour
    ship = positions.filter(pl.col("mmsi") == 257725000).sort("ts")
    stretch = ship.filter(pl.col("ts").dt.hour().is_between(6, 7))  # 06:00-08:00, steaming north
    lat0, lon0 = float(stretch["lat"].mean()), float(stretch["lon"].mean())  # type: ignore[arg-type]
    reach = np.hypot(
        (stretch["lat"].to_numpy() - lat0) * 111.2,
        (stretch["lon"].to_numpy() - lon0) * 111.2 * np.cos(np.radians(lat0)),
    ).max()
    route = Port(
        id="route_test",
        name="On the route (test circle)",
        country="no",
        lat=lat0,
        lon=lon0,
        radius_km=float(reach) + 0.5,
        source="three hours of 257725000 underway",
    )
    inside = ship.filter(
        ((pl.col("lat") - route.lat) * 111.2) ** 2
        + ((pl.col("lon") - route.lon) * 111.2 * np.cos(np.radians(route.lat))) ** 2
        <= route.radius_km**2
    )
    assert float(inside["sog"].min()) > 0.2  # type: ignore[arg-type]  # never stopped there
    span_h = (inside["ts"].max() - inside["ts"].min()).total_seconds() / 3600  # type: ignore[operator]
    assert span_h >= detectors.cfg.port_visit.min_hours  # ... yet inside for longer than a visit lasts

    ports = [bergen, route]
    found = detect(positions, batch.static, detectors=Detectors(detectors.cfg, ports))
    visits = {(e.mmsi, e.details["port"]) for e in found.by_kind(EventKind.PORT_VISIT)}
    assert (257733000, "bergen_test") in visits and (257706000, "bergen_test") in visits
    assert (257725000, "route_test") not in visits  # passing through is a transit
    no_stop = _with(Detectors(detectors.cfg, ports), "port_visit", stop_speed_knots=None)
    visits = {
        (e.mmsi, e.details["port"])
        for e in detect(positions, batch.static, detectors=no_stop).events
        if e.kind is EventKind.PORT_VISIT
    }
    assert (257725000, "route_test") in visits  # the stop rule is what rejected it
    arrival = next(e for e in found.by_kind(EventKind.PORT_VISIT) if e.mmsi == 257706000)
    assert arrival.start.hour == 20 and arrival.details["min_speed_knots"] <= 0.2


def test_loitering_on_the_dma_drift_tracks(shared_data: Path, detectors: Detectors) -> None:
    """212123000 drifts below 2 kn for most of 14.5 h: loitering. 538004030 drifts at ~3 kn: by the
    published < 2 kn definition it is not loitering, whatever its file name says."""
    slow = _read(shared_data, "dma_aisabnormal_drift_212123000_2014-10-02.nmea.gz")
    (event,) = detect(slow.positions, slow.static, detectors=detectors).by_kind(EventKind.LOITERING)
    assert event.mmsi == 212123000 and event.details["hours"] >= detectors.cfg.loitering.min_hours
    run = slow.positions.filter(pl.col("ts").is_between(event.start, event.end))
    assert float(run["sog"].max()) < 2  # type: ignore[arg-type]
    drifting = _read(shared_data, "dma_aisabnormal_drift_538004030_2014-09-28.nmea.gz")
    assert float(drifting.positions["sog"].median()) > 2  # type: ignore[arg-type]
    assert detect(drifting.positions, drifting.static, detectors=detectors).by_kind(EventKind.LOITERING) == []


def test_noaa_gaps_are_file_truncation_not_disabling(shared_data: Path, detectors: Detectors) -> None:
    """The NOAA sample is the first 99,999 rows of a day file: most vessels stop at 00:30 and a few
    reappear late in the day. Those silences are gaps, but reception collapses at the same time for
    everyone, so none may count as a suspected disabling."""
    import csv
    import gzip
    import itertools
    from datetime import datetime

    path = shared_data / "ais" / "noaa_marinecadastre_2022-01-03_first99999.csv.gz"
    times: dict[int, list[datetime]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            times.setdefault(int(row["MMSI"]), []).append(datetime.fromisoformat(row["BaseDateTime"]))
    expected = set()
    for mmsi, stamps in times.items():
        stamps.sort()
        if any((b - a).total_seconds() >= 12 * 3600 for a, b in itertools.pairwise(stamps)):
            expected.add(mmsi)
    batch = _read(shared_data, path.name)
    result = detect(batch.positions, batch.static, detectors=detectors)
    gaps = result.by_kind(EventKind.GAP)
    assert {e.mmsi for e in gaps} <= expected and len({e.mmsi for e in gaps}) >= 0.95 * len(expected)
    assert all(not e.details["suspected_disabling"]["value"] for e in gaps)
    assert all(not e.details["reception"]["good"] for e in gaps)


def test_identity_events_ignore_imo_fill_values(shared_data: Path, detectors: Detectors) -> None:
    from watchfloor.maritime.identity import valid_imo

    values = pl.Series("imo", [9179842, 9161003, 9743033, 1, 111, 9179843, 0, 12345678])
    assert pl.select(valid_imo(pl.lit(values))).to_series().to_list() == [
        True, True, True, False, False, False, False, False,
    ]  # fmt: skip
    batch = _read(shared_data, "noaa_marinecadastre_2022-01-03_first99999.csv.gz")
    shared = [
        e
        for e in detect(batch.positions, batch.static, detectors=detectors).by_kind(EventKind.IDENTITY)
        if e.details["change"] == "mmsi_for_imo"
    ]
    assert shared and all(1_000_000 <= e.details["imo"] <= 9_999_999 for e in shared)
    raw_imos = batch.static.filter(pl.col("imo").is_in([1, 111]))
    assert raw_imos.height > 0  # the fill values are really in the file


def test_ships_moored_in_harbour_are_not_loitering(shared_data: Path, detectors: Detectors) -> None:
    """Vestland and the Solent hold ships moored all day at SOG 0 (nav_status 5 in Vestland): slow
    enough to loiter, but in harbour, within 20 nm of shore; without the shore rule they would be."""
    for name in ("kystverket_vestland_5vessels_2022-09-01.csv.gz", "solent_stonesoup_2016-01-12.csv.gz"):
        batch = _read(shared_data, name)
        assert detect(batch.positions, batch.static, detectors=detectors).by_kind(EventKind.LOITERING) == []
        no_shore = _with(detectors, "loitering", min_shore_nm=None)
        assert detect(batch.positions, batch.static, detectors=no_shore).by_kind(EventKind.LOITERING)
