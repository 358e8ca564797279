"""Korean and Russian romanisation systems fold to one key; Hangul romanises by RR."""

from __future__ import annotations

import pytest

from watchfloor.screen.translit import (
    KoreanSystem,
    RussianSystem,
    hangul_to_latin,
    is_patronymic,
    korean_key,
    romanize_korean,
    romanize_russian,
    russian_key,
)


def test_hangul_is_romanised_syllable_by_syllable_in_rr() -> None:
    assert hangul_to_latin("김정은") == "gim jeong eun"
    assert hangul_to_latin("리영호") == "ri yeong ho"
    assert hangul_to_latin("최 룡해") == "choe ryong hae"


@pytest.mark.parametrize(
    "spellings",
    [
        ["Jong", "Chong", "Chŏng", "Jeong", "Chung", "Jung"],
        ["Ri", "Lee", "Yi", "Rhee", "I", "Li"],
        ["Pak", "Park", "Bak"],
        ["Choe", "Choi", "Ch'oe"],
        ["Kim", "Gim"],
        ["Un", "Eun", "Ŭn"],
        ["Ryu", "Yu", "Yoo"],
        ["Rim", "Lim", "Im"],
        ["Song", "Seong", "Sŏng"],
    ],
)
def test_korean_spellings_of_one_syllable_share_a_key(spellings: list[str]) -> None:
    keys = {korean_key(s) for s in spellings}
    assert len(keys) == 1, dict(zip(spellings, map(korean_key, spellings), strict=True))


def test_korean_key_keeps_different_syllables_apart() -> None:
    assert korean_key("Jong") != korean_key("Tong")
    assert korean_key("Un") != korean_key("Nam")
    assert korean_key("Kim") != korean_key("Pak")


def test_every_korean_system_of_the_same_hangul_name_folds_alike() -> None:
    for hangul in ("김정은", "리영호", "최춘식", "박봉주", "장명진"):
        keys = {
            tuple(korean_key(p) for p in romanize_korean(hangul, system).replace("-", " ").split())
            for system in KoreanSystem
        }
        rr = tuple(korean_key(p) for p in hangul_to_latin(hangul).split())
        assert keys == {rr}, (hangul, keys)


def test_korean_systems_write_their_documented_forms() -> None:
    assert romanize_korean("김정은", KoreanSystem.MR) == "Kim Chŏng-ŭn"
    assert romanize_korean("김정은", KoreanSystem.MR_PLAIN) == "Kim Chong-un"
    assert romanize_korean("김정은", KoreanSystem.DPRK) == "Kim Jong Un"
    assert romanize_korean("김정은", KoreanSystem.RR) == "Gim Jeong-eun"


CYRILLIC = "Щукин Юрий Ёлкин Цыганов Евгеньевич Хрущёв Объедков Дмитрий Алексей"


def test_russian_systems_write_their_documented_forms() -> None:
    assert romanize_russian("Щукин", RussianSystem.ISO9) == "Ŝukin"
    assert romanize_russian("Щукин", RussianSystem.GOST_B) == "Shhukin"
    assert romanize_russian("Щукин", RussianSystem.BGN_PCGN) == "Shchukin"
    assert romanize_russian("Дмитрий", RussianSystem.ICAO) == "Dmitrii"
    assert romanize_russian("Евгений", RussianSystem.BGN_PCGN) == "Yevgeniy"
    assert romanize_russian("Хрущёв", RussianSystem.GOST_B) == "Xrushhyov"


def test_every_russian_system_folds_to_the_cyrillic_key() -> None:
    words = CYRILLIC.split()
    expected = [russian_key(w) for w in words]
    for system in RussianSystem:
        romanised = [romanize_russian(w, system) for w in words]
        assert [russian_key(w) for w in romanised] == expected, system


def test_common_latin_spellings_of_russian_names_fold_alike() -> None:
    for group in (["Alexei", "Aleksey", "Aleksei", "Alexey"], ["Yuri", "Yury", "Iurii", "Jurij"]):
        assert len({russian_key(s) for s in group}) == 1, group


def test_patronymics_are_recognised() -> None:
    assert is_patronymic("Vladimirovich")
    assert is_patronymic("Сергеевна")
    assert is_patronymic("Kuzhugetovich")
    assert not is_patronymic("Putin")
    assert not is_patronymic("Vladimir")
