"""The YAML vocabularies: shipped files valid, broken files refused with the file and the entry."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from watchfloor.errors import ConfigError
from watchfloor.extract.ontology import DOMAIN_TYPES, EventType, Plover
from watchfloor.extract.vocab import (
    compile_phrase,
    inflections,
    load_cues,
    load_gazetteer,
    load_ontology,
    parse_gazetteer,
    parse_ontology,
)


def test_shipped_ontology_matches_the_enums() -> None:
    ontology = load_ontology()
    assert set(ontology.rules) == set(EventType)
    assert ontology.watched == {"kp", "ru"}
    assert ontology.rules[EventType.TROOP_DEPLOYMENT].plover is Plover.MOBILIZE
    assert all(ontology.rules[t].triggers for t in DOMAIN_TYPES)


def test_gazetteer_metonyms_and_affiliations() -> None:
    gazetteer = load_gazetteer()
    patterns = {(p["pattern"], p["label"]): p["id"] for p in gazetteer.patterns()}
    assert patterns[("Pyongyang", "GPE")] == "kp"
    assert patterns[("Moscow", "GPE")] == "ru"
    assert patterns[("Seoul", "GPE")] == "kr"
    assert patterns[("Kyiv", "GPE")] == "ua"
    assert patterns[("North Korean", "NORP")] == "kp"
    assert patterns[("KN-23", "WEAPON")] == "kn-23"
    assert patterns[("Hwasong-11", "WEAPON")] == "hwasong-11"
    assert gazetteer.state_of("sabrina-singh") == "us"
    assert gazetteer.state_of("ursula-von-der-leyen") == "eu"
    assert gazetteer.actors["kursk"].affiliation == "ru"


def test_cues_compile() -> None:
    cues = load_cues()
    assert {c.phrase for c in cues.hedges} >= {"believe to", "could", "may"}
    assert cues.base_credibility


def test_inflections_and_patterns() -> None:
    assert {"deployed", "deploying", "deploys"} <= set(inflections("deploy"))
    assert {"supplied", "supplies", "supplying"} <= set(inflections("supply"))
    assert {"shipped", "shipping"} <= set(inflections("ship"))
    assert "sent" in inflections("send")
    pattern = compile_phrase("help ... evade sanction/N", "test")
    assert pattern[1]["OP"] == "{,4}" and pattern[3]["POS"] == "NOUN" and "POS" not in pattern[2]
    with pytest.raises(ConfigError, match="must start and end with a word"):
        compile_phrase("... deploy", "test")


def test_broken_vocabularies_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"actors\[1\]: kind must be one of"):
        parse_gazetteer({"actors": [{"id": "x", "name": "X", "kind": "planet"}]}, "g.yaml")
    with pytest.raises(ConfigError, match="unknown affiliation 'nowhere'"):
        parse_gazetteer(
            {"actors": [{"id": "x", "name": "X", "kind": "person", "affiliation": "nowhere"}]}, "g"
        )
    shipped = yaml.safe_load((Path(__file__).parents[2] / "src/watchfloor/extract/ontology.yaml").read_text())
    broken = {**shipped, "types": {**shipped["types"], "smuggling": {"plover": "AID"}}}
    with pytest.raises(ConfigError, match=r"types\.smuggling"):
        parse_ontology(broken, "o.yaml")
    missing = {**shipped, "types": {k: v for k, v in shipped["types"].items() if k != "denial"}}
    with pytest.raises(ConfigError, match="types missing from the ontology"):
        parse_ontology(missing, "o.yaml")


def test_settings_replace_the_shipped_vocabularies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from watchfloor.extract.vocab import configured_gazetteer
    from watchfloor.settings import get_settings

    path = tmp_path / "gazetteer.yaml"
    path.write_text(
        "actors:\n  - {id: zz, kind: state, name: Zedland, metonyms: [Zed City]}\n", encoding="utf-8"
    )
    monkeypatch.setenv("WATCHFLOOR_GAZETTEER_FILE", str(path))
    get_settings.cache_clear()
    try:
        assert set(configured_gazetteer().actors) == {"zz"}
    finally:
        get_settings.cache_clear()
    monkeypatch.delenv("WATCHFLOOR_GAZETTEER_FILE")
    assert "kp" in configured_gazetteer().actors
