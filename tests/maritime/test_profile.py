"""Vessel risk profiles on real AIS (NOAA) and on the SYNTHETIC scenario with the real OFAC list."""

from __future__ import annotations

import csv
import gzip
import math
from pathlib import Path

import pytest

from watchfloor.errors import InputError
from watchfloor.maritime.detect import DetectionResult, Detectors, detect
from watchfloor.maritime.profile import build_profile, load_risk_weights, parse_vessel_key
from watchfloor.maritime.scenario import STORY_VESSELS
from watchfloor.sources.ais.batch import AisBatch
from watchfloor.sources.ais.reader import read_ais

NOAA = "noaa_marinecadastre_2022-01-03_first99999.csv.gz"


@pytest.fixture(scope="module")
def noaa(shared_data: Path, detectors: Detectors) -> DetectionResult:
    batch = AisBatch.concat(list(read_ais(shared_data / "ais" / NOAA)))
    return detect(batch.positions, batch.static, detectors=detectors)


def _noaa_rows(shared_data: Path, imo: str) -> list[dict[str, str]]:
    with gzip.open(shared_data / "ais" / NOAA, "rt", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["IMO"] == imo]


def test_a_real_reflagged_ship_is_followed_across_its_mmsis(
    shared_data: Path, noaa: DetectionResult, detectors: Detectors
) -> None:
    """IMO 9548574 is broadcast on 2022-01-03 by a Panama MMSI and a Marshall Islands MMSI under
    two names: one ship, renamed and re-flagged."""
    rows = _noaa_rows(shared_data, "IMO9548574")
    profile = build_profile("IMO 9548574", noaa.events, detectors.ports)
    assert profile.mmsis == sorted({int(r["MMSI"]) for r in rows})
    assert profile.names == sorted({r["VesselName"] for r in rows})
    assert profile.call_signs == sorted({r["CallSign"] for r in rows})
    assert sorted(profile.flags.values()) == ["mh", "pa"]  # MID 538 and 355
    indicators = {r.indicator for r in profile.reasons if r.counted}
    assert {"flag_change", "identity_change"} <= indicators
    weights = load_risk_weights(None)
    expected = 1 - math.prod(1 - weights.indicators[r.indicator].weight for r in profile.reasons if r.counted)
    assert profile.score == pytest.approx(expected, abs=1e-4)
    assert "changed flag" in profile.explanation and profile.method == "vessel-risk-v1"
    assert profile.synthetic_events == 0 and profile.real_events > 0
    same = build_profile(str(profile.mmsis[0]), noaa.events, detectors.ports)  # by one MMSI
    assert same.mmsis == profile.mmsis and same.imos == [9548574]
    assert same.score == profile.score


def test_an_ordinary_ship_scores_nothing(noaa: DetectionResult, detectors: Detectors) -> None:
    quiet = {e.mmsi for e in noaa.events}
    profile = build_profile("366999999", noaa.events, detectors.ports)  # no event at all
    assert 366999999 not in quiet
    assert profile.score == 0 and profile.reasons == []
    assert "no risk indicator" in profile.explanation


def test_a_simulated_ship_is_on_no_list_and_its_simulated_voyage_not_counted(
    detected: DetectionResult, detectors: Detectors
) -> None:
    shuttle = STORY_VESSELS["dunai_shuttle"]
    profile = build_profile(str(shuttle.imo), detected.events, detectors.ports)
    assert profile.names == [shuttle.name] and profile.imos == [shuttle.imo]
    assert profile.list_entries == []  # an invented identity: on no real list
    assert {c["port"] for c in profile.port_calls} == {"dunai"}
    assert all(c["synthetic"] for c in profile.port_calls)
    (gap,) = profile.gaps
    assert gap["hours"] > 30 and "rajin" in gap["ports_within_reach"]
    reasons = {r.indicator: r for r in profile.reasons}
    assert "listed" not in reasons
    assert {"gap_near_kp_port", "port_call_watched"} <= set(reasons)
    assert not any(r.counted for r in reasons.values())
    assert profile.score == 0
    assert "SYNTHETIC" in profile.explanation


def test_the_real_angara_has_no_track_in_the_simulation(
    detected: DetectionResult, detectors: Detectors
) -> None:
    """The scenario no longer borrows ANGARA's IMO: none of its simulated events is about it."""
    profile = build_profile("9179842", detected.events, detectors.ports)
    assert profile.port_calls == [] and profile.gaps == [] and profile.names == []


def test_weights_are_data(tmp_path: Path, noaa: DetectionResult, detectors: Detectors) -> None:
    shipped = load_risk_weights(None)
    own = tmp_path / "risk.yaml"
    lines = ["version: zero", f"near_port_km: {shipped.near_port_km}", "reach_speed_knots: 12", "indicators:"]
    lines += [f"  {name}: {{weight: 0.0, label: {name}}}" for name in shipped.indicators]
    own.write_text("\n".join(lines) + "\n", encoding="utf-8")
    profile = build_profile("9548574", noaa.events, detectors.ports, load_risk_weights(own))
    assert profile.reasons and profile.score == 0 and profile.weights_version == "zero"


def test_vessel_keys() -> None:
    assert parse_vessel_key("IMO 9179842") == ("imo", 9179842)
    assert parse_vessel_key("273610310") == ("mmsi", 273610310)
    with pytest.raises(InputError, match="7 digits"):
        parse_vessel_key("ANGARA")
