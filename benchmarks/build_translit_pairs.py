"""Build benchmarks/data/translit_pairs.csv: labelled Korean and Russian name pairs from real lists.

Run: ``.venv/bin/python benchmarks/build_translit_pairs.py`` (deterministic; see
benchmarks/data/PROVENANCE.md for what every column means and how each pair is made).

1. Real names: DPRK persons (UN ``KPi.*``, OFAC DPRK* programmes, UK ``DPR*``) and Russian persons
   (OFAC RUSSIA-EO14024 / UKRAINE-EO1366x, UK ``RUS*``) as the lists romanise them, with the
   family and given names the readers separate.
2. A plausible source-script spelling is reconstructed from the romanisation by the reverse rules
   below (Hangul: DPRK conventions; Cyrillic: reverse BGN/PCGN). Romanisation loses information,
   so this is *a* spelling a user could type, not necessarily the person's own.
3. Variants are generated from it by documented systems (watchfloor.screen.translit):
   Korean RR / McCune-Reischauer (with marks, and as printed) / DPRK practice, Hangul itself,
   given name first, traditional South Korean surname spellings (Lee, Park, Choi, ...); Russian
   ISO 9, GOST 7.79-B, BGN/PCGN, ICAO 9303 passport, Cyrillic itself, with and without
   patronymic. Each variant paired with its own entry is a positive (label 1).
4. Negatives (label 0): the same variant paired with a *different* person on the lists who shares
   the family name (and for Korean, the same list), whose given names differ after folding.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from watchfloor.model.schema import Schema  # noqa: E402
from watchfloor.screen.translit import (  # noqa: E402
    KoreanSystem,
    RussianSystem,
    korean_key,
    romanize_korean,
    romanize_russian,
    russian_key,
)
from watchfloor.sources.lists.formats import read_list  # noqa: E402
from watchfloor.sources.lists.records import ListEntry, NameKind  # noqa: E402

SHARED = (ROOT / ".." / "shared" / "data" / "sanctions").resolve()
OUT = ROOT / "benchmarks" / "data" / "translit_pairs.csv"
LIST_FILES = [
    SHARED / "un" / "UN_consolidated_2026-02-27.xml",
    SHARED / "ofac" / "sdn_2024-05-03.csv",
    SHARED / "ofac" / "alt_2026-06.csv",
    SHARED / "ofac" / "add_2026-06.csv",
    SHARED / "uk" / "uk_sanctions_list_derived_subjects.csv.gz",
]

# -- Korean: romanised syllable -> Hangul (DPRK conventions) ---------------------------------------

_INITIAL = [
    ("tch", 13), ("jj", 13), ("kk", 1), ("tt", 4), ("pp", 8), ("ss", 10), ("ch", 14), ("sh", 9),
    ("kh", 15), ("th", 16), ("ph", 17), ("k", 0), ("g", 0), ("n", 2), ("t", 3), ("d", 3), ("r", 5),
    ("l", 5), ("m", 6), ("p", 7), ("b", 7), ("s", 9), ("j", 12), ("h", 18), ("", 11),
]  # fmt: skip
_MEDIAL = [
    ("yae", 3), ("yeo", 6), ("wae", 10), ("ae", 1), ("ya", 2), ("eo", 4), ("ye", 7), ("wa", 9),
    ("oe", 11), ("oi", 11), ("wo", 14), ("we", 15), ("wi", 16), ("yo", 12), ("yu", 17), ("eu", 18),
    ("ui", 19), ("a", 0), ("e", 5), ("o", 8), ("u", 13), ("i", 20),
]  # fmt: skip
_FINAL = [("ng", 21), ("k", 1), ("n", 4), ("l", 8), ("m", 16), ("p", 17), ("t", 7), ("", 0)]


def syllable_to_hangul(text: str) -> str | None:
    """One romanised syllable to Hangul; unmarked ``o`` in a closed syllable reads as ㅓ
    (DPRK practice writes ㅓ and ㅗ alike: Jong 정, Chol 철, Song 성, Hyok 혁; open Ho 호, Jo 조)."""
    word = text.lower().replace("o'", "eo").replace("u'", "eu").replace("ŏ", "eo").replace("ŭ", "eu")
    word = word.replace("'", "").replace("’", "")
    for ini, ini_index in _INITIAL:
        if not word.startswith(ini):
            continue
        rest = word[len(ini) :]
        for med, med_index in _MEDIAL:
            if not rest.startswith(med):
                continue
            tail = rest[len(med) :]
            for fin, fin_index in _FINAL:
                if tail == fin:
                    medial = med_index
                    if fin and med == "o":
                        medial = 4
                    elif fin and med == "yo":
                        medial = 6
                    return chr(0xAC00 + (ini_index * 21 + medial) * 28 + fin_index)
    return None


def korean_name_to_hangul(family: str, given: str) -> str | None:
    parts = [p for p in re.split(r"[\s\-]+", f"{family} {given}") if p]
    if not 2 <= len(parts) <= 4:
        return None
    out = [syllable_to_hangul(p) for p in parts]
    if any(o is None for o in out):
        return None
    return "".join(o for o in out if o)


TRADITIONAL = {
    "이": "Lee", "리": "Lee", "박": "Park", "최": "Choi", "정": "Jung", "김": "Kim", "유": "Yoo",
    "류": "Yoo", "임": "Lim", "림": "Lim", "신": "Shin", "조": "Cho", "장": "Chang", "강": "Kang",
}  # fmt: skip

# -- Russian: BGN/PCGN-style Latin -> Cyrillic ---------------------------------------------------

_REVERSE_BGN = [
    ("shch", "щ"), ("kh", "х"), ("zh", "ж"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("yu", "ю"),
    ("ya", "я"), ("ye", "е"), ("yo", "ё"), ("iy", "ий"), ("yy", "ый"), ("ey", "ей"), ("ay", "ай"),
    ("oy", "ой"), ("uy", "уй"), ("y", "ы"), ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"),
    ("e", "е"), ("z", "з"), ("i", "и"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"),
    ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("x", "кс"), ("h", "х"),
    ("j", "й"), ("w", "в"), ("c", "к"), ("q", "к"), ("'", "ь"), ("’", "ь"),
]  # fmt: skip


def latin_to_cyrillic(word: str) -> str | None:
    """Reverse BGN/PCGN for one name word; word-final ``-y``/``-iy`` after a consonant is ``-ий``
    (Dmitry, Dmitriy -> Дмитрий), ``-ei``/``-ey`` is ``-ей`` (Andrei -> Андрей)."""
    text = word.lower()
    if re.search(r"[bcdfghklmnprstvz]y$", text):
        text = text[:-1] + "iy"
    if re.search(r"[aeou]i$", text):
        text = text[:-1] + "y"
    out: list[str] = []
    position = 0
    while position < len(text):
        for latin, cyr in _REVERSE_BGN:
            if text.startswith(latin, position):
                out.append(cyr)
                position += len(latin)
                break
        else:
            return None
    result = "".join(out)
    if result.startswith("е") and text.startswith("e"):
        result = "э" + result[1:]
    return result.capitalize()


# -- building --------------------------------------------------------------------------------------


def _is_dprk(entry: ListEntry) -> bool:
    if entry.schema is not Schema.PERSON:
        return False
    if entry.source.value == "un_sc":
        return entry.entry_id.startswith("KPi")
    if entry.source.value == "gb_uk":
        return entry.entry_id.startswith("DPR")
    return any(p.startswith("DPRK") or p == "NKSPEA" for p in entry.programmes)


def _is_russian(entry: ListEntry) -> bool:
    if entry.schema is not Schema.PERSON:
        return False
    if entry.source.value == "gb_uk":
        return entry.entry_id.startswith("RUS") and "ru" in entry.nationalities
    if entry.source.value == "us_ofac_sdn":
        return (
            any(p.startswith(("RUSSIA", "UKRAINE")) for p in entry.programmes) and "ru" in entry.nationalities
        )
    return False


def _primary(entry: ListEntry, korean: bool) -> tuple[str, str, str] | None:
    """(name as listed, family name, given names). Korean names in capitals (UN, and the UK's
    copies of UN names) are written family name first, and their name fields are not reliably
    the given name, so they are split on the first space."""
    for name in entry.names:
        if korean and name.kind is NameKind.PRIMARY and name.value.isupper() and "," not in name.value:
            if " " in name.value.strip():
                family, given = name.value.strip().split(" ", 1)
                return name.value, family, given
            return None
    for name in entry.names:
        if name.kind is NameKind.PRIMARY and name.family and name.given:
            return name.value, name.family, name.given
    return None


def korean_variants(family: str, given: str) -> list[tuple[str, str]]:
    hangul = korean_name_to_hangul(family, given)
    if hangul is None:
        return []
    out = [("hangul", hangul)]
    out += [(f"ko_{system.value}", romanize_korean(hangul, system)) for system in KoreanSystem]
    dprk = romanize_korean(hangul, KoreanSystem.DPRK).split(" ")
    out.append(("ko_dprk_given_first", " ".join([*dprk[1:], dprk[0]])))
    rr = romanize_korean(hangul, KoreanSystem.RR).split(" ")
    if hangul[0] in TRADITIONAL:
        out.append(("ko_rr_traditional_surname", " ".join([TRADITIONAL[hangul[0]], *rr[1:]])))
    out.append(("ko_rr_joined_given_first", rr[1].replace("-", "") + " " + rr[0]))
    return out


def russian_variants(family: str, given: str) -> list[tuple[str, str]]:
    words = [w for w in [*given.split(), family] if w]
    if len(words) != 3:
        return []
    cyrillic = [latin_to_cyrillic(w) for w in words]
    if any(c is None for c in cyrillic):
        return []
    cyr = [c for c in cyrillic if c]
    full = " ".join(cyr)
    short = f"{cyr[0]} {cyr[2]}"
    out = [("cyrillic", full), ("cyrillic_no_patronymic", short)]
    for system in RussianSystem:
        out.append((f"ru_{system.value}", romanize_russian(full, system)))
    out.append(("ru_icao_no_patronymic", romanize_russian(short, RussianSystem.ICAO)))
    out.append(
        ("ru_gost_b_family_first", romanize_russian(f"{cyr[2]} {cyr[0]} {cyr[1]}", RussianSystem.GOST_B))
    )
    return out


def _given_key(given: str, korean: bool = True) -> tuple[str, ...]:
    parts = re.split(r"[\s\-]+", given.lower())
    return tuple(sorted((korean_key if korean else russian_key)(p) for p in parts if p))


def build() -> list[dict[str, str]]:
    entries = list(read_list(LIST_FILES))
    rows: list[dict[str, str]] = []
    for language, select, make, korean in (
        ("ko", _is_dprk, korean_variants, True),
        ("ru", _is_russian, russian_variants, False),
    ):
        people = [(e, p) for e in entries if select(e) and (p := _primary(e, korean))]
        by_family: dict[str, list[tuple[ListEntry, tuple[str, str, str]]]] = defaultdict(list)
        for entry, primary in people:
            fold = korean_key if korean else russian_key
            by_family[fold(primary[1])].append((entry, primary))
        ordered = sorted(people, key=lambda p: p[0].key)
        if not korean:  # every 8th Russian person: about as many as the DPRK persons
            ordered = ordered[::8]
        seen: set[tuple[str, str]] = set()
        for entry, (value, family, given) in ordered:
            variants = make(family, given)
            if not variants:
                continue
            fold = korean_key if korean else russian_key
            mine = " ".join(_given_key(given, korean=korean))
            same_family = [
                (other, primary)
                for other, primary in by_family[fold(family)]
                if other.key != entry.key
                # a different person: given names apart even after folding and allowing a typo,
                # and no shared date of birth (the same person is often on two or three lists)
                and Levenshtein.normalized_similarity(" ".join(_given_key(primary[2], korean=korean)), mine)
                < 0.75
                and not set(other.birth_dates) & set(entry.birth_dates)
            ]
            for number, (system, query) in enumerate(variants):
                if (query, entry.key) in seen:
                    continue
                seen.add((query, entry.key))
                rows.append(
                    {
                        "language": language, "query": query, "query_made_by": system, "label": "1",
                        "list": entry.source.value, "entry_id": entry.entry_id, "list_name": value,
                    }
                )  # fmt: skip
                if same_family:
                    other, (other_value, _, _) = same_family[(number + len(rows)) % len(same_family)]
                    rows.append(
                        {
                            "language": language, "query": query, "query_made_by": system, "label": "0",
                            "list": other.source.value, "entry_id": other.entry_id, "list_name": other_value,
                        }
                    )  # fmt: skip
    return rows


def main() -> None:
    rows = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle,
            fieldnames=["language", "query", "query_made_by", "label", "list", "entry_id", "list_name"],
        )
        writer.writeheader()
        writer.writerows(rows)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        counts[(row["language"], row["label"])] += 1
    print(
        f"{len(rows)} pairs -> {OUT}: "
        + ", ".join(f"{k[0]} label={k[1]}: {v}" for k, v in sorted(counts.items()))
    )


if __name__ == "__main__":
    main()
