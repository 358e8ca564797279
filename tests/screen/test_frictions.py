"""Issue 17's screening frictions, as written there, on the real UN + OFAC + UK lists."""

from __future__ import annotations

import pytest

from watchfloor.model.schema import Schema
from watchfloor.screen import Query, ScreenIndex, screen
from watchfloor.screen.names import korean_in_cyrillic, tokenize
from watchfloor.screen.score import Outcome

SHOIGU_OFAC = "us_ofac_sdn:35173"
KIM_JONG_UN = "us_ofac_sdn:20157"
FTB_OFAC = "us_ofac_sdn:15603"


@pytest.mark.parametrize("dob", ["21/05/1955", "1955-05-21", "21.05.1955", "21 May 1955", "1955"])
def test_shoigu_with_his_birth_date_in_any_form_stays_on_top(full_index: ScreenIndex, dob: str) -> None:
    top = screen(Query("Sergei Shoigu", birth_date=dob), full_index)[0]
    assert top.key == SHOIGU_OFAC and top.match
    assert top.score >= 0.99
    field = next(f for f in top.explanation.fields if f.field == "birth_date")
    assert field.outcome is not Outcome.CONFLICT and field.contribution > 0


def test_foreign_trade_bank_of_the_dprk_in_every_spelling(full_index: ScreenIndex) -> None:
    for name in (
        "Foreign Trade Bank of the DPRK",
        "Foreign Trade Bank of North Korea",
        "Foreign Trade Bank of Korea, Democratic People's Republic of",
        "Foreign Trade Bank of the DPR Korea",
    ):
        top = screen(Query(name), full_index)[0]
        assert top.key == FTB_OFAC and top.match, (name, top.caption, top.score)


def test_country_phrases_fold_only_in_organisation_names() -> None:
    assert [t.text for t in tokenize("Bank of North Korea", organisation=True)] == ["bank", "of", "dprk"]
    assert [t.text for t in tokenize("Bank of North Korea")] == ["bank", "of", "north", "korea"]
    # the longest phrase wins: "Republic of Korea" inside the DPRK's name is not South Korea
    folded = tokenize("Central Bank of the Democratic People's Republic of Korea", organisation=True)
    assert folded[-1].text == "dprk"


def test_kim_jong_un_written_in_cyrillic(full_index: ScreenIndex) -> None:
    top = screen(Query("Ким Чен Ын"), full_index)[0]
    assert top.key == KIM_JONG_UN and top.match
    korean = korean_in_cyrillic("Ким Чен Ын")
    assert korean is not None and [t.text for t in korean] == ["kim", "jong", "un"]
    assert korean_in_cyrillic("Сергей Кужугетович Шойгу") is None


def test_kim_il_sung_style_names_in_cyrillic_are_read_as_korean() -> None:
    korean = korean_in_cyrillic("Ким Ир Сен")
    assert korean is not None and [t.text for t in korean] == ["kim", "il", "song"]


@pytest.mark.parametrize("schema", [None, Schema.VESSEL])
def test_lady_r_does_not_strongly_match_other_ladies(full_index: ScreenIndex, schema: Schema | None) -> None:
    matches = screen(Query("Lady R", schema=schema), full_index, limit=20)
    assert matches[0].caption == "LADY R" and matches[0].match
    wrong = {m.caption: m for m in matches if m.caption != "LADY R"}
    assert not [m for m in wrong.values() if m.match], {c: m.score for c, m in wrong.items()}
    for caption in ("LADY RANIA", "LINDA"):
        if caption in wrong:
            assert wrong[caption].score < 0.7, (caption, wrong[caption].score)


def test_a_different_vessel_letter_is_explained(full_index: ScreenIndex) -> None:
    matches = screen(Query("Lady D", schema=Schema.VESSEL), full_index, limit=20)
    lady_r = next(m for m in matches if m.caption == "LADY R")
    fields = {f.field: f for f in lady_r.explanation.fields}
    assert fields["name_marks"].outcome is Outcome.CONFLICT
    assert not lady_r.match
