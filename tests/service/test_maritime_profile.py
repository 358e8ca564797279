"""``service.maritime.vessel_profile`` on the demo store: a simulated ship, and the real ANGARA."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.maritime.scenario import STORY_VESSELS
from watchfloor.service.maritime import vessel_profile
from watchfloor.store import open_store


@pytest.mark.slow
def test_angara_in_the_demo_store(demo_db: Path) -> None:
    """ANGARA (IMO 9179842): its names, its OFAC and UK entries and its risk reasons from the lists.
    The demo's AIS is SYNTHETIC (invented vessels since issue 17), so no real AIS track of ANGARA is
    on record: the profile says so, invents no port call, and only the listing counts."""
    profile = vessel_profile(open_store(f"sqlite:///{demo_db}"), "9179842")
    assert "ANGARA" in profile.list_names and 9179842 in profile.imos
    sources = {entry["source"] for entry in profile.list_entries}
    assert sources == {"us_ofac_sdn", "gb_uk"}  # OFAC SDN and the UK sanctions list, both on the IMO
    assert all(entry["matched_on"] == "imo" for entry in profile.list_entries)
    assert profile.real_events == 0 and profile.ais_statement is not None
    assert profile.port_calls == [] and profile.gaps == [] and profile.encounters == []
    assert profile.synthetic_events == 0  # the simulation no longer borrows its identity
    assert "No " in profile.ais_statement and "AIS track of this vessel is on record" in profile.ais_statement
    assert all(c["synthetic"] for c in [*profile.port_calls, *profile.gaps, *profile.encounters])
    reasons = {r.indicator: r for r in profile.reasons}
    assert reasons["listed"].counted
    assert not any(r.counted for name, r in reasons.items() if name != "listed")


@pytest.mark.slow
def test_the_simulated_dunai_shuttle_in_the_demo_store(demo_db: Path) -> None:
    """The scenario's Dunai shuttle (an invented ship): its name, no list entry, its Dunai calls and
    its long gap with Rajin within reach, with the risk reasons; its AIS is SYNTHETIC, so nothing
    counts towards the score."""
    shuttle = STORY_VESSELS["dunai_shuttle"]
    profile = vessel_profile(open_store(f"sqlite:///{demo_db}"), str(shuttle.imo))
    assert profile.names == [shuttle.name] and shuttle.imo in profile.imos
    assert profile.list_entries == []  # an invented identity is on no real list
    assert [c["port"] for c in profile.port_calls].count("dunai") >= 1
    assert all(c["synthetic"] for c in profile.port_calls)
    assert any("rajin" in g["ports_within_reach"] and g["hours"] > 24 for g in profile.gaps)
    reasons = {r.indicator: r for r in profile.reasons}
    assert {"port_call_watched", "gap_near_kp_port"} <= set(reasons)
    assert not any(r.counted for r in reasons.values()) and profile.score == 0
    assert profile.synthetic_events > 0 and profile.real_events == 0
    assert "SYNTHETIC" in profile.explanation
