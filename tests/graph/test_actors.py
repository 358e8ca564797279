"""State actors: capitals, adjectives and names resolve to one id."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.graph.actors import actor_name, canonical_actor, state_actors


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


def test_institutions_resolve_to_the_state_they_act_for_but_people_do_not() -> None:
    assert canonical_actor("Pentagon") == "us"
    assert canonical_actor("Korean People's Army") == "kp"
    assert canonical_actor("EU Commission") == "eu"
    assert canonical_actor("Yoon") == "yoon"  # a person is not a state


def test_actors_come_from_the_gazetteer_in_force(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One vocabulary: replacing the gazetteer replaces the names resolution joins."""
    from watchfloor.settings import get_settings

    custom = tmp_path / "gazetteer.yaml"
    custom.write_text(
        "version: test\nactors:\n"
        "  - {id: ir, kind: state, name: Iran, names: [Iran], metonyms: [Tehran], adjectives: [Iranian]}\n"
        "  - {id: ir-irgc, kind: institution, name: IRGC, names: [IRGC], affiliation: ir}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("WATCHFLOOR_GAZETTEER_FILE", str(custom))
    get_settings.cache_clear()
    try:
        assert canonical_actor("Tehran") == "ir" and canonical_actor("IRGC") == "ir"
        assert canonical_actor("Pyongyang") == "pyongyang"  # not in this gazetteer
        assert [a.id for a in state_actors()] == ["ir"]
    finally:
        get_settings.cache_clear()
