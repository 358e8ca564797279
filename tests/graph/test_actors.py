"""State actors: capitals, adjectives and names resolve to one id."""

from __future__ import annotations

import pytest

from watchfloor.graph.actors import actor_name, canonical_actor


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pyongyang", "kp"),
        ("North Korea", "kp"),
        ("DPRK", "kp"),
        ("North Korean", "kp"),
        ("kp", "kp"),
        ("Moscow", "ru"),
        ("Kremlin", "ru"),
        ("Russian Federation", "ru"),
        ("Seoul", "kr"),
        ("U.S.", "us"),
        ("북한", "kp"),
        ("Россия", "ru"),
    ],
)
def test_names_resolve_to_one_state(text: str, expected: str) -> None:
    assert canonical_actor(text) == expected


def test_unknown_actors_keep_their_own_id() -> None:
    assert canonical_actor("Transmorflot LLC") == "transmorflot llc"
    assert canonical_actor("  ") is None and canonical_actor(None) is None
    assert actor_name("kp") == "North Korea" and actor_name("xx") == "xx"
