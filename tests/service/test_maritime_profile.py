"""``service.maritime.vessel_profile`` on the demo store: a simulated ship, and the real ANGARA."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.maritime.scenario import STORY_VESSELS
from watchfloor.service.maritime import vessel_profile
from watchfloor.store import open_store


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


@pytest.mark.slow
def test_the_real_angara_has_no_simulated_track_in_the_demo_store(demo_db: Path) -> None:
    """ANGARA (IMO 9179842) is on the real lists, but the simulation no longer borrows its identity:
    no event of the demo store is about it."""
    profile = vessel_profile(open_store(f"sqlite:///{demo_db}"), "9179842")
    assert profile.port_calls == [] and profile.gaps == [] and profile.encounters == []
    assert profile.synthetic_events == 0
