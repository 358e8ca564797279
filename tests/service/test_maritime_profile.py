"""``service.maritime.vessel_profile`` on the demo store: ANGARA as the issue asks to see it."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.service.maritime import vessel_profile
from watchfloor.store import open_store


@pytest.mark.slow
def test_angara_in_the_demo_store(demo_db: Path) -> None:
    """ANGARA (IMO 9179842): its name, its OFAC and UK entries, its Dunai calls and its long gap with
    Rajin within reach, with the risk reasons; the AIS of the demo is SYNTHETIC, so only the
    listing counts towards the score."""
    profile = vessel_profile(open_store(f"sqlite:///{demo_db}"), "9179842")
    assert profile.names == ["ANGARA"] and 9179842 in profile.imos
    sources = {entry["source"] for entry in profile.list_entries}
    assert sources == {"us_ofac_sdn", "gb_uk"}  # OFAC SDN and the UK sanctions list, both on the IMO
    assert all(entry["matched_on"] == "imo" for entry in profile.list_entries)
    assert [c["port"] for c in profile.port_calls].count("dunai") >= 1
    assert all(c["synthetic"] for c in profile.port_calls)
    assert any("rajin" in g["ports_within_reach"] and g["hours"] > 24 for g in profile.gaps)
    reasons = {r.indicator: r for r in profile.reasons}
    assert reasons["listed"].counted
    assert {"port_call_watched", "gap_near_kp_port"} <= set(reasons)
    assert not any(r.counted for name, r in reasons.items() if name != "listed")
    assert profile.synthetic_events > 0 and profile.real_events == 0
    assert "SYNTHETIC" in profile.explanation
