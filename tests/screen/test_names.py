"""Tokenisation of names in any script."""

from __future__ import annotations

from watchfloor.screen.names import Script, detect_scripts, joined_variants, tokenize


def test_scripts_are_detected() -> None:
    assert detect_scripts("김정은") == {Script.HANGUL}
    assert detect_scripts("Путин") == {Script.CYRILLIC}
    assert detect_scripts("KIM, Jong Un") == {Script.LATIN}
    assert detect_scripts("صدام حسين") == {Script.OTHER}


def test_tokens_are_lower_ascii_whatever_the_script() -> None:
    assert [t.text for t in tokenize("KIM, Jong-Un")] == ["kim", "jong", "un"]
    assert [t.text for t in tokenize("김정은")] == ["gim", "jeong", "eun"]
    assert [t.text for t in tokenize("Умаров Доку Хаматович")] == ["umarov", "doku", "khamatovich"]
    assert [t.text for t in tokenize("YO'N CHO'NG NAM")] == ["yon", "chong", "nam"]
    assert all(t.text.isascii() for t in tokenize("صدام حسين التكريتي"))


def test_short_parts_get_a_joined_variant_marked_as_joined() -> None:
    variants = joined_variants(tokenize("Kim Jong Un"))
    texts = [[t.text for t in v] for v in variants]
    assert ["kim", "jongun"] in texts
    joined = next(v for v in variants if len(v) == 2 and v[1].text == "jongun")
    assert joined[1].joined
    assert joined_variants(tokenize("Vladimir Vladimirovich Putin")) == []
