"""All detectors on the SYNTHETIC scenario: recall, false events, partition independence, ingest."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.maritime.detect import DetectionResult, Detectors, detect, detect_store
from watchfloor.maritime.records import EventKind
from watchfloor.maritime.scenario import REFLAGGED_MMSI, STORY_VESSELS, SURVEY, Scenario, score
from watchfloor.model.schema import IdScheme, Schema
from watchfloor.sources.lists.records import EntryName, Identifier, ListEntry, ListSource
from watchfloor.store.ais import AisStore, ingest_file

SHUTTLE = STORY_VESSELS["dunai_shuttle"]
LONER = STORY_VESSELS["dark_to_rajin"]


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
    gap = next(e for e in result.by_kind(EventKind.GAP) if e.mmsi == SHUTTLE.mmsi)
    assert {p.src_file for p in gap.positions} == {str(csv_path)}
    # The cited lines are the CSV lines of the positions before and after the gap.
    lines = csv_path.read_text("utf-8").splitlines()
    for ref in gap.positions:
        assert lines[ref.src_line - 1].startswith(f"{ref.mmsi},{ref.ts:%Y-%m-%dT%H:%M:%S}")


def test_gap_reception_separates_a_watched_area_from_an_empty_ocean(detected: DetectionResult) -> None:
    gaps = {e.mmsi: e for e in detected.by_kind(EventKind.GAP)}
    near_rajin = gaps[LONER.mmsi].details["reception"]  # dark on the approach to Rajin
    empty = gaps[SURVEY.mmsi].details["reception"]  # the lone survey ship
    assert near_rajin["good"] and near_rajin["other_vessel_hours"] > 0
    assert not empty["good"] and empty["hours_with_other_vessels"] == 0
    assert gaps[LONER.mmsi].details["port_after"] == "rajin"


def test_the_real_ofac_list_links_no_simulated_vessel(detected: DetectionResult) -> None:
    """The scenario's identities are invented: detection linked to the real OFAC SDN list finds none
    of them on it (issue 17: simulated events never point at a real listed ship)."""
    assert detected.events and not any(e.links or e.listed for e in detected.events)


def _entry(entry_id: str, caption: str, imo: int) -> ListEntry:
    """An invented list entry carrying an invented IMO: the linking path, without any real ship."""
    return ListEntry(
        ListSource.US_OFAC_SDN,
        entry_id,
        Schema.VESSEL,
        caption,
        names=[EntryName(caption)],
        identifiers=[Identifier(IdScheme.IMO, str(imo))],
    )


def test_a_list_entry_on_a_story_ships_imo_links_every_event_of_it(
    scenario: Scenario, detectors: Detectors
) -> None:
    renamed, meets = STORY_VESSELS["renamed"], STORY_VESSELS["meets_at_sea"]
    entries = [
        _entry("900001", "TEST ENTRY RENAMED", renamed.imo),
        _entry("900002", "TEST ENTRY MEETS", meets.imo),
    ]
    result = detect(scenario.positions, scenario.static, lists=entries, detectors=detectors)
    expected = {
        renamed.mmsi: "us_ofac_sdn:900001",
        REFLAGGED_MMSI: "us_ofac_sdn:900001",  # re-flagged MMSI, same IMO
        meets.mmsi: "us_ofac_sdn:900002",
    }
    seen: set[int] = set()
    for event in result.events:
        for mmsi in event.mmsis:
            if mmsi in expected:
                link = next(x for x in event.links if x.mmsi == mmsi)
                assert (link.entry_key, link.matched_on, link.strong) == (expected[mmsi], "imo", True)
                seen.add(mmsi)
    assert seen == set(expected)
    encounter = result.by_kind(EventKind.ENCOUNTER)[0]
    assert encounter.listed and {link.caption for link in encounter.links} == {"TEST ENTRY MEETS"}
    # Every other ship carries no link.
    assert not any(e.links for e in result.events if not set(e.mmsis) & set(expected))
