"""watchfloor-name-v2: named features, weights from a replaceable YAML file, full explanations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from watchfloor.errors import ConfigError
from watchfloor.model.schema import IdScheme, Schema
from watchfloor.screen import Query, ScreenIndex, screen
from watchfloor.screen.score_v2 import ALGORITHM, FEATURES, MAIN_FEATURES, QUALIFIERS, read_weights
from watchfloor.settings import get_settings
from watchfloor.sources.lists.records import Identifier

V2 = ALGORITHM
KIM_JONG_UN = "us_ofac_sdn:20157"


@pytest.fixture
def weights_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the shipped weights, put in use through the setting."""
    shipped = read_weights()
    path = tmp_path / "weights.yaml"
    data = yaml.safe_load(
        Path(__file__).parents[2].joinpath("src/watchfloor/screen/name_v2.yaml").read_text()
    )
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.setenv("WATCHFLOOR_SCREEN_WEIGHTS_FILE", str(path))
    get_settings.cache_clear()
    assert read_weights(path).qualifiers == shipped.qualifiers
    yield path
    get_settings.cache_clear()


def test_every_weight_names_a_feature_function() -> None:
    weights = read_weights()
    assert set(FEATURES) == {*MAIN_FEATURES, *QUALIFIERS} == {*weights.main, *weights.qualifiers}


def test_explanation_lists_every_feature_that_fired_with_its_weight(full_index: ScreenIndex) -> None:
    matches = screen(
        Query("Sergei Shoigu", birth_date="21/05/1955", countries=["Russia"]), full_index, algorithm=V2
    )
    top = next(m for m in matches if m.key == "us_ofac_sdn:35173")
    assert top.match and top.score >= 0.99 and matches[0].score == top.score
    assert top.explanation.algorithm == V2
    fired = {f.feature: f for f in top.explanation.features}
    assert {"name_match", "dob.exact"} <= set(fired)
    weights = read_weights()
    for feature in fired.values():
        expected = weights.main.get(feature.feature, weights.qualifiers.get(feature.feature))
        assert feature.weight == expected
        assert feature.contribution == pytest.approx(feature.value * feature.weight, abs=1e-3)
        assert feature.feature in top.explanation.summary


def test_changing_a_weight_in_a_replacement_file_changes_the_score(
    full_index: ScreenIndex, weights_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = Query("Kim Jong Un", birth_date="1950-03-03")
    before = next(m for m in screen(query, full_index, algorithm=V2, limit=30) if m.key == KIM_JONG_UN)
    assert any(f.feature == "dob.year_conflict" for f in before.explanation.features)
    data = yaml.safe_load(weights_file.read_text())
    old = data["qualifiers"]["dob.year_conflict"]
    data["qualifiers"]["dob.year_conflict"] = old - 0.3
    weights_file.write_text(yaml.safe_dump(data), encoding="utf-8")
    other = weights_file.with_name("other.yaml")
    weights_file.rename(other)  # a new path: nothing cached can answer for it
    monkeypatch.setenv("WATCHFLOOR_SCREEN_WEIGHTS_FILE", str(other))
    get_settings.cache_clear()
    after = next(m for m in screen(query, full_index, algorithm=V2, limit=30) if m.key == KIM_JONG_UN)
    assert after.score == pytest.approx(max(0.0, before.score - 0.3), abs=1e-3)
    fired = {f.feature: f for f in after.explanation.features}
    assert fired["dob.year_conflict"].weight == pytest.approx(old - 0.3)


def test_a_weights_file_with_an_unknown_feature_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    data = yaml.safe_load(
        Path(__file__).parents[2].joinpath("src/watchfloor/screen/name_v2.yaml").read_text()
    )
    data["qualifiers"]["dob.exactt"] = 0.1
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"typo.yaml.*dob.exactt"):
        read_weights(path)


def test_v2_on_the_issue_examples(full_index: ScreenIndex) -> None:
    assert screen(Query("김정은"), full_index, algorithm=V2)[0].key == KIM_JONG_UN
    assert screen(Query("Ким Чен Ын"), full_index, algorithm=V2)[0].key == KIM_JONG_UN
    top = screen(Query("Foreign Trade Bank of the DPRK"), full_index, algorithm=V2)[0]
    assert top.key == "us_ofac_sdn:15603" and top.match
    lady = screen(Query("Lady R", schema=Schema.VESSEL), full_index, algorithm=V2, limit=20)
    assert {m.caption for m in lady if m.match} == {"LADY R"}
    angara = screen(
        Query(schema=Schema.VESSEL, identifiers=[Identifier(IdScheme.IMO, "9179842")]),
        full_index,
        algorithm=V2,
    )[0]
    assert angara.caption == "ANGARA" and angara.match
    assert [f.feature for f in angara.explanation.features] == ["identifier_match"]


def test_korean_namesakes_are_not_matches(full_index: ScreenIndex) -> None:
    """A common family name and one given syllable are not a match; a birth date weighs."""
    matches = screen(Query("Kim Jong Nam", birth_date="1971-05-10"), full_index, algorithm=V2, limit=50)
    assert not [m for m in matches if m.key == KIM_JONG_UN and m.match]
    for name in ("Kim Chol", "Ri Jong", "Pak Il"):
        hits = [
            m
            for m in screen(Query(name, schema=Schema.PERSON), full_index, algorithm=V2, limit=50)
            if m.match
        ]
        assert all(len(m.explanation.name.unmatched_list if m.explanation.name else []) == 0 for m in hits), (
            name
        )


def test_numbers_and_vessel_letters_tell_apart(full_index: ScreenIndex) -> None:
    sparta = screen(Query("Sparta II", schema=Schema.VESSEL), full_index, algorithm=V2)
    assert sparta[0].caption == "SPARTA II"
    assert not [m for m in sparta if m.caption in ("SPARTA III", "SPARTA IV") and m.match]
