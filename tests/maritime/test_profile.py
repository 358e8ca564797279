"""Vessel risk profiles on real AIS (NOAA) and on the SYNTHETIC scenario with the real OFAC list."""

from __future__ import annotations

import csv
import gzip
import math
from datetime import UTC, datetime
from pathlib import Path

import pytest

from watchfloor.errors import InputError
from watchfloor.maritime.detect import DetectionResult, Detectors, detect
from watchfloor.maritime.links import VesselListIndex
from watchfloor.maritime.profile import (
    NO_AIS,
    SIMULATED_ONLY,
    build_profile,
    load_risk_weights,
    parse_vessel_key,
)
from watchfloor.maritime.records import EventKind, MaritimeEvent, PositionRef
from watchfloor.maritime.scenario import STORY_VESSELS
from watchfloor.sources.ais.batch import AisBatch
from watchfloor.sources.ais.reader import read_ais
from watchfloor.sources.lists.records import ListEntry
from watchfloor.sources.lists.uk import read_uk_tables

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


@pytest.fixture(scope="module")
def ofac_uk(shared_data: Path, ofac_entries: list[ListEntry]) -> VesselListIndex:
    """The real OFAC SDN and UK lists."""
    uk = shared_data / "sanctions" / "uk" / "uk_sanctions_list_derived_subjects.csv.gz"
    return VesselListIndex.build([*ofac_entries, *read_uk_tables(uk)])


def test_angara_with_no_ais_on_record(ofac_uk: VesselListIndex, detectors: Detectors) -> None:
    """A listed ship with no AIS at all: names, the OFAC and UK entries and the reason from the
    lists, a plain statement that no AIS track is on record, and no port call invented."""
    profile = build_profile("IMO 9179842", [], detectors.ports, lists=ofac_uk)
    keys = [e["entry_key"] for e in profile.list_entries]
    assert keys == ["gb_uk:RUS2183", "us_ofac_sdn:37059"]
    assert profile.list_names == ["ANGARA"] and profile.imos == [9179842]
    ofac = next(e for e in profile.list_entries if e["source"] == "us_ofac_sdn")
    assert ofac["flags"] == ["ru"] and ofac["imo"] == ["9179842"] and ofac["matched_on"] == "imo"
    assert profile.port_calls == profile.gaps == profile.encounters == []
    assert profile.ais_statement == NO_AIS and profile.to_dict()["ais_on_record"] is False
    (reason,) = profile.reasons
    assert reason.indicator == "listed" and reason.counted and reason.events == []
    assert profile.score == pytest.approx(load_risk_weights(None).indicators["listed"].weight)


def test_angara_in_the_scenario_is_listed_and_simulated_ais_never_counted(
    detected: DetectionResult, detectors: Detectors, ofac_uk: VesselListIndex
) -> None:
    """Whatever the demo scenario simulates, a real ship's profile rests on the lists alone."""
    profile = build_profile("9179842", detected.events, detectors.ports, lists=ofac_uk)
    assert {"gb_uk:RUS2183", "us_ofac_sdn:37059"} <= {e["entry_key"] for e in profile.list_entries}
    assert profile.real_events == 0 and profile.ais_statement in (NO_AIS, SIMULATED_ONLY)
    assert all(c["synthetic"] for c in [*profile.port_calls, *profile.gaps, *profile.encounters])
    assert [r.indicator for r in profile.reasons if r.counted] == ["listed"]
    assert profile.score == pytest.approx(load_risk_weights(None).indicators["listed"].weight)


def _static_event(mmsi: int, imo: int, name: str) -> MaritimeEvent:
    return MaritimeEvent(
        kind=EventKind.IDENTITY,
        mmsi=mmsi,
        start=datetime(2024, 5, 1, tzinfo=UTC),
        end=datetime(2024, 5, 1, 1, tzinfo=UTC),
        lat=None,
        lon=None,
        details={
            "change": "name",
            "vessels": {str(mmsi): {"imo": [str(imo)], "name": [name], "call_sign": []}},
        },
        positions=[PositionRef(mmsi, datetime(2024, 5, 1, tzinfo=UTC), None, None, "hand.csv", 7, "value")],
    )


def test_identity_checks_against_the_lists(ofac_uk: VesselListIndex, detectors: Detectors) -> None:
    """A Panama MMSI broadcasting ANGARA's IMO under another name: the MID is not the listed
    Russian flag, and the name is not on the list; each check names the entry and the event."""
    event = _static_event(352001234, 9179842, "ANGAR 1")
    profile = build_profile("9179842", [event], detectors.ports, lists=ofac_uk)
    checks = {(c.check, c.entry_key) for c in profile.identity_checks}
    assert ("mid_flag_mismatch", "us_ofac_sdn:37059") in checks  # 352 is Panama, OFAC says Russia
    assert ("mid_flag_mismatch", "gb_uk:RUS2183") not in checks  # the UK entry gives no flag
    assert ("list_name_differs", "us_ofac_sdn:37059") in checks
    assert all(c.events == [event.id] for c in profile.identity_checks)
    counted = {r.indicator for r in profile.reasons if r.counted}
    assert {"listed", "mid_flag_mismatch", "list_name_differs"} <= counted
    assert profile.ais_statement is None
    # a Russian MMSI with the listed name raises neither
    plain = build_profile(
        "9179842", [_static_event(273610310, 9179842, "ANGARA")], detectors.ports, lists=ofac_uk
    )
    assert plain.identity_checks == []
    assert "mid_flag_mismatch" not in {r.indicator for r in plain.reasons}


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
