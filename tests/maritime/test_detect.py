"""All detectors on the SYNTHETIC scenario: recall, false events, partition independence, ingest."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.maritime.detect import DetectionResult, Detectors, detect, detect_store
from watchfloor.maritime.records import EventKind
from watchfloor.maritime.scenario import Scenario, score
from watchfloor.store.ais import AisStore, ingest_file


def test_every_planted_event_is_found_with_few_false_ones(
    scenario: Scenario, detected: DetectionResult
) -> None:
    result = score([e.to_dict() for e in detected.events], scenario.truth)
    assert result.missed == []
    assert result.recall == 1.0
    assert result.false_rate <= 0.05, result.false_events[:5]
    kinds = {t["kind"] for t in scenario.truth if t.get("expected", True)}
    assert kinds == {"gap", "encounter", "loitering", "port_visit", "identity"}


def test_each_kind_is_planted_and_detected(scenario: Scenario, detected: DetectionResult) -> None:
    for kind in EventKind:
        planted = [t for t in scenario.truth if t["kind"] == kind.value]
        assert planted, kind
        assert detected.by_kind(kind), kind


@pytest.mark.parametrize("hours", [1, 5, 24 * 30])
def test_events_do_not_depend_on_the_time_partitions(
    scenario: Scenario, detected: DetectionResult, detectors: Detectors, hours: int, ofac_entries: list
) -> None:
    other = detect(
        scenario.positions, scenario.static, lists=ofac_entries, detectors=detectors, window_hours=hours
    )
    assert other.windows != detected.windows
    assert [e.to_dict() for e in other.events] == [e.to_dict() for e in detected.events]


def test_csv_ingested_into_the_parquet_store_gives_the_same_findings(
    scenario: Scenario, detectors: Detectors, tmp_path: Path
) -> None:
    csv_path, truth_path = scenario.write(tmp_path / "sim")
    assert truth_path.is_file()
    ingest_file(csv_path, tmp_path / "data")
    result = detect_store(AisStore(tmp_path / "data"), detectors=detectors)
    found = score([e.to_dict() for e in result.events], scenario.truth)
    assert found.recall == 1.0, found.missed
    assert found.false_rate <= 0.05
    assert result.positions == scenario.positions.height
    gap = next(e for e in result.by_kind(EventKind.GAP) if e.mmsi == 273610310)
    assert {p.src_file for p in gap.positions} == {str(csv_path)}
    # The cited lines are the CSV lines of the positions before and after the gap.
    lines = csv_path.read_text("utf-8").splitlines()
    for ref in gap.positions:
        assert lines[ref.src_line - 1].startswith(f"{ref.mmsi},{ref.ts:%Y-%m-%dT%H:%M:%S}")


def test_gap_reception_separates_a_watched_area_from_an_empty_ocean(detected: DetectionResult) -> None:
    gaps = {e.mmsi: e for e in detected.by_kind(EventKind.GAP)}
    near_rajin = gaps[273354170].details["reception"]  # MAIA-1, dark on the approach to Rajin
    empty = gaps[431800512].details["reception"]  # the lone survey ship
    assert near_rajin["good"] and near_rajin["other_vessel_hours"] > 0
    assert not empty["good"] and empty["hours_with_other_vessels"] == 0
    assert gaps[273354170].details["port_after"] == "rajin"


def test_events_involving_the_four_sanctioned_ships_name_the_ofac_entry(detected: DetectionResult) -> None:
    expected = {
        273610310: ("us_ofac_sdn:37059", "ANGARA"),
        273214860: ("us_ofac_sdn:37095", "LADY R"),
        273354170: ("us_ofac_sdn:37098", "MAIA-1"),
        273445890: ("us_ofac_sdn:37029", "SPARTA IV"),
        457330210: ("us_ofac_sdn:37029", "SPARTA IV"),  # re-flagged MMSI, same IMO
    }
    seen: set[int] = set()
    for event in detected.events:
        for mmsi in event.mmsis:
            if mmsi in expected:
                key, caption = expected[mmsi]
                link = next(x for x in event.links if x.mmsi == mmsi)
                assert (link.entry_key, link.caption, link.matched_on, link.strong) == (
                    key,
                    caption,
                    "imo",
                    True,
                )
                seen.add(mmsi)
    assert seen == set(expected)
    encounter = detected.by_kind(EventKind.ENCOUNTER)[0]
    assert encounter.listed and {link.caption for link in encounter.links} == {"LADY R"}
    # Background ships carry no link.
    assert not any(e.links for e in detected.events if all(m >= 273900000 and m < 274000000 for m in e.mmsis))
