"""Transliteration layer for the names watchfloor screens first: Korean and Russian.

Three jobs, all deterministic and table-driven:

* ``hangul_to_latin``: Hangul syllables to Revised Romanization (RR, 2000), decomposed by the
  Unicode Hangul algorithm (initial, medial, final jamo), one Latin token per syllable.
* ``korean_key``: a *folding* key for a romanised Korean syllable or name token which collapses the
  spelling systems in use for the same sound: Revised Romanization (``Jeong``, ``Gim``),
  McCune-Reischauer with or without diacritics (``Chŏng``, ``Kim``), the DPRK's own system
  (``Jong``, ``Ri``, ``Pak``) and traditional surname spellings (``Lee``, ``Rhee``, ``Yi``,
  ``Park``, ``Choi``). Plosive voicing (g/k, d/t, b/p, j/ch), vowel digraphs (eo/ŏ/o, eu/ŭ/u) and
  the initial r/l/n/zero alternation (Ri/I, Ryu/Yu, Rim/Im, Ro/No) fold to one form.
* ``cyrillic_to_latin`` and ``russian_key``: Cyrillic to a canonical Latin spelling, and a folding
  key that maps the spellings produced by GOST 7.79 (system B), BGN/PCGN, ISO 9 (with diacritics)
  and the ICAO 9303 passport rules (``Dmitrii``, ``Iurii``) for one Cyrillic name to one key.

The keys are for candidate generation and token comparison; they are lossy by design, and the
scorer always compares the readable forms too.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from functools import lru_cache

# --- Hangul --------------------------------------------------------------------------------------

_HANGUL_BASE = 0xAC00
_HANGUL_LAST = 0xD7A3
_INITIALS = [
    "g",
    "kk",
    "n",
    "d",
    "tt",
    "r",
    "m",
    "b",
    "pp",
    "s",
    "ss",
    "",
    "j",
    "jj",
    "ch",
    "k",
    "t",
    "p",
    "h",
]
_MEDIALS = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
    "yu", "eu", "ui", "i",
]  # fmt: skip
_FINALS = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t",
    "t", "ng", "t", "t", "k", "t", "p", "t",
]  # fmt: skip


def is_hangul_syllable(char: str) -> bool:
    """True for a precomposed Hangul syllable (U+AC00..U+D7A3)."""
    return _HANGUL_BASE <= ord(char) <= _HANGUL_LAST


def hangul_syllable_to_rr(char: str) -> str:
    """One Hangul syllable in Revised Romanization (names: ``김`` -> ``gim``, ``은`` -> ``eun``)."""
    index = ord(char) - _HANGUL_BASE
    initial, rest = divmod(index, 21 * 28)
    medial, final = divmod(rest, 28)
    return _INITIALS[initial] + _MEDIALS[medial] + _FINALS[final]


def hangul_to_latin(text: str) -> str:
    """Romanise every Hangul syllable (RR), one space-separated token per syllable.

    ``"김정은"`` -> ``"gim jeong eun"``. Non-Hangul characters pass through; syllables are split
    because Korean given names are written joined, hyphenated or spaced in romanised lists.
    """
    out: list[str] = []
    for char in text:
        if is_hangul_syllable(char):
            out.append(f" {hangul_syllable_to_rr(char)} ")
        else:
            out.append(char)
    return re.sub(r"\s+", " ", "".join(out)).strip()


# Whole-token surname spellings which no sound rule reaches (documented in-table).
_KOREAN_SURNAMES = {
    # 이 / 리: RR I, traditional Lee/Yi/Rhee, DPRK Ri
    "lee": "i", "yi": "i", "rhee": "i", "rhie": "i", "yee": "i", "rhi": "i", "ree": "i", "li": "i",
    # 박: Park/Pak/Bak/Bahk
    "park": "pak", "bahk": "pak", "pack": "pak",
    # 유 / 류: Yoo/You/Yu/Ryu/Ryoo
    "you": "yu", "yoo": "yu", "ryoo": "yu",
    # 오: Oh
    "oh": "o",
    # 정: Chung/Jung are traditional spellings of 정 (RR Jeong, MR Chŏng, DPRK Jong)
    "chung": "jong", "jung": "jong", "cheong": "jong",
    # 신: Shin/Sin
    "shin": "sin",
    # 최: Choi/Choe/Choy/Chwe
    "choy": "joe", "chwe": "joe",
    # 현: Hyun/Hyeon/Hyon
    "hyun": "hyon",
}  # fmt: skip

_KOREAN_RULES: list[tuple[str, str]] = [
    ("kh", "k"), ("th", "t"), ("ph", "p"), ("tch", "j"), ("ch", "j"), ("jj", "j"), ("kk", "k"),
    ("tt", "t"), ("pp", "p"), ("ss", "s"),
    ("sh", "s"), ("ck", "k"), ("g", "k"), ("d", "t"), ("b", "p"), ("l", "r"), ("f", "p"),
    ("yeo", "yo"), ("eo", "o"), ("eu", "u"), ("oo", "u"), ("ee", "i"), ("ai", "e"), ("ae", "e"),
    ("oi", "oe"), ("we", "oe"), ("wo", "o"), ("ui", "i"),
]  # fmt: skip


def _strip_marks(text: str) -> str:
    """Drop diacritics (ŏ -> o, ŭ -> u, ž -> z) and keep ASCII letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


@lru_cache(maxsize=65536)
def korean_key(token: str) -> str:
    """Fold one romanised Korean token (surname or syllable group) to its spelling-neutral key.

    ``Jeong``, ``Chŏng``, ``Jong`` and ``Chung`` -> ``jong``; ``Lee``, ``Yi``, ``Rhee``, ``Ri`` ->
    ``i``; ``Park``, ``Pak``, ``Bak`` -> ``pak``; ``Choi``, ``Choe`` -> ``joe``; ``Gim``/``Kim``
    -> ``kim``; ``eun``/``ŭn``/``un`` -> ``un``.
    """
    text = _strip_marks(token)
    if not text:
        return ""
    if text in _KOREAN_SURNAMES:
        return _KOREAN_SURNAMES[text]
    text = text.replace("ng", "\x00")  # keep the final -ng whole while g folds to k
    for old, new in _KOREAN_RULES:
        text = text.replace(old, new)
    text = text.replace("\x00", "ng")
    # Initial r/l (folded to r above): dropped before i/y (Ri -> I, Ryu -> Yu), n elsewhere (Ro -> No).
    if text.startswith("r") and len(text) > 1:
        text = text[1:] if text[1] in "iy" else "n" + text[1:]
    if len(text) > 2 and text.endswith("h") and text[-2] in "aeiou":
        text = text[:-1]
    return text


# --- Cyrillic ------------------------------------------------------------------------------------

# Canonical Latin for Cyrillic: BGN/PCGN-like, without apostrophes for the soft and hard signs.
_CYRILLIC: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Ukrainian, Belarusian and Kazakh letters found in list names
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u", "қ": "k", "ғ": "g", "ң": "n", "ү": "u",
    "ұ": "u", "һ": "h", "ә": "a", "ө": "o",
}  # fmt: skip


def is_cyrillic(char: str) -> bool:
    """True for a letter of the Cyrillic block."""
    return "\u0400" <= char <= "\u04ff"


def cyrillic_to_latin(text: str) -> str:
    """Transliterate Cyrillic letters to canonical Latin (BGN/PCGN-like); the rest passes through."""
    out: list[str] = []
    for char in text:
        lower = char.lower()
        if lower in _CYRILLIC:
            latin = _CYRILLIC[lower]
            out.append(latin.capitalize() if char != lower else latin)
        else:
            out.append(char)
    return "".join(out)


_RUSSIAN_RULES: list[tuple[str, str]] = [
    ("shch", "s"), ("shh", "s"), ("sch", "s"), ("tch", "c"), ("zh", "z"), ("kh", "h"), ("ch", "c"),
    ("ts", "c"), ("tz", "c"), ("tc", "c"), ("cz", "c"), ("sh", "s"), ("x", "ks"), ("ph", "f"),
    ("w", "v"), ("ck", "k"), ("yu", "u"), ("iu", "u"), ("ju", "u"), ("ya", "a"), ("ia", "a"),
    ("ja", "a"), ("yo", "e"), ("jo", "e"), ("ye", "e"), ("je", "e"), ("ie", "e"), ("y", "i"),
    ("j", "i"),
]  # fmt: skip
_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def russian_key(token: str) -> str:
    """Fold one romanised (or Cyrillic) Russian token to its spelling-neutral key.

    GOST 7.79-B ``Shhukin``, BGN/PCGN ``Shchukin``, ISO 9 ``Ŝukin`` and a passport's ``Shchukin``
    all give ``sukin``; ``Dmitriy``/``Dmitrii``/``Dmitrij`` give ``dmitri``; ``Yuriy``/``Iurii``/
    ``Jurij``/``Ûrij`` give ``uri``.
    """
    text = token
    if any(is_cyrillic(c) for c in text):
        text = cyrillic_to_latin(text)
    text = _strip_marks(text)
    if text.startswith("x"):  # GOST 7.79-B writes Х as x: Xrushhyov
        text = "h" + text[1:]
    for old, new in _RUSSIAN_RULES:
        text = text.replace(old, new)
    return _REPEATS.sub(r"\1", text)


# Patronymic endings (Latin key form, after russian_key): -ovich, -evich, -ich, -ovna, -evna, -ichna,
# and Turkic -ogly/-kyzy.
_PATRONYMIC = re.compile(r"(ovic|evic|ovna|evna|icna|inicna|ogli|ogl|uli|kizi)$")


def is_patronymic(token: str) -> bool:
    """True when a token looks like an East Slavic or Turkic patronymic (``Vladimirovich``)."""
    key = russian_key(token)
    return len(key) > 5 and _PATRONYMIC.search(key) is not None


# --- documented romanisation systems (forward), for variants and evaluation ---------------------


class KoreanSystem(enum.StrEnum):
    """Romanisation systems for Korean names."""

    RR = "rr"
    """Revised Romanization (South Korea, 2000): ``Gim Jeong-eun``."""
    MR = "mr"
    """McCune-Reischauer with breves and apostrophes: ``Kim Chŏng-ŭn``."""
    MR_PLAIN = "mr_plain"
    """McCune-Reischauer as lists print it, marks dropped: ``Kim Chong-un``."""
    DPRK = "dprk"
    """DPRK practice (KCNA): ``Kim Jong Un``, ``Ri``, aspirates kh/th/ph, syllables spaced."""


_MR_INITIALS = [
    "k", "kk", "n", "t", "tt", "r", "m", "p", "pp",
    "s", "ss", "", "ch", "tch", "ch'", "k'", "t'", "p'", "h",
]  # fmt: skip
_DPRK_INITIALS = [
    "k", "kk", "n", "t", "tt", "r", "m", "p", "pp",
    "s", "ss", "", "j", "jj", "ch", "kh", "th", "ph", "h",
]  # fmt: skip
_MR_MEDIALS = [
    "a", "ae", "ya", "yae", "ŏ", "e", "yŏ", "ye", "o", "wa", "wae", "oe", "yo", "u", "wŏ", "we", "wi",
    "yu", "ŭ", "ŭi", "i",
]  # fmt: skip
_MR_FINALS = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t",
    "t", "ng", "t", "t", "k", "t", "p", "h",
]  # fmt: skip
_MR_SURNAMES = {"이": "Yi", "리": "Ri", "박": "Pak", "최": "Ch'oe", "오": "O"}
_DPRK_SURNAMES = {"이": "Ri", "리": "Ri", "류": "Ryu", "유": "Yu", "림": "Rim", "임": "Rim"}
_RR_SURNAMES = {"이": "I", "리": "Ri", "박": "Bak", "최": "Choe"}


def _jamo(char: str) -> tuple[int, int, int]:
    index = ord(char) - _HANGUL_BASE
    initial, rest = divmod(index, 21 * 28)
    medial, final = divmod(rest, 28)
    return initial, medial, final


def _syllable(char: str, system: KoreanSystem) -> str:
    if system is KoreanSystem.RR:
        return hangul_syllable_to_rr(char)
    initial, medial, final = _jamo(char)
    initials = _DPRK_INITIALS if system is KoreanSystem.DPRK else _MR_INITIALS
    head = initials[initial]
    if head == "s" and _MR_MEDIALS[medial] in ("i", "wi") and system is not KoreanSystem.DPRK:
        head = "sh"  # MR writes 시 as shi
    text = head + _MR_MEDIALS[medial] + _MR_FINALS[final]
    if system in (KoreanSystem.MR_PLAIN, KoreanSystem.DPRK):
        text = text.replace("ŏ", "o").replace("ŭ", "u").replace("'", "")
    return text


def romanize_korean(name: str, system: KoreanSystem) -> str:
    """Romanise a Hangul personal name (family name = first syllable) in a documented system.

    ``romanize_korean("김정은", KoreanSystem.MR)`` -> ``"Kim Chŏng-ŭn"``; ``DPRK`` -> ``"Kim Jong Un"``;
    ``RR`` -> ``"Gim Jeong-eun"``. Sound changes between syllables are not applied (lists do not
    apply them to personal names either).
    """
    syllables = [c for c in name if is_hangul_syllable(c)]
    if not syllables:
        return name
    family, given = syllables[0], syllables[1:]
    table = {
        KoreanSystem.RR: _RR_SURNAMES,
        KoreanSystem.DPRK: _DPRK_SURNAMES,
    }.get(system, _MR_SURNAMES)
    surname = table.get(family) or _syllable(family, system).capitalize()
    if system in (KoreanSystem.MR_PLAIN, KoreanSystem.DPRK):
        surname = surname.replace("'", "")
    parts = [_syllable(c, system) for c in given]
    if not parts:
        return surname
    if system is KoreanSystem.DPRK:
        return " ".join([surname, *(p.capitalize() for p in parts)])
    return f"{surname} {'-'.join(parts).capitalize()}"


class RussianSystem(enum.StrEnum):
    """Romanisation systems for Russian Cyrillic."""

    ISO9 = "iso9"
    """ISO 9:1995 (= GOST 7.79-2000 system A), one letter for one letter, with diacritics."""
    GOST_B = "gost_b"
    """GOST 7.79-2000 system B (ASCII): ``Shhukin``, ``Xrushhyov``."""
    BGN_PCGN = "bgn_pcgn"
    """BGN/PCGN 1947 (as the US and UK governments write names): ``Shchukin``, ``Khrushchëv``."""
    ICAO = "icao"
    """ICAO Doc 9303 (Russian passports since 2013): ``Dmitrii``, ``Iurii``, ``Aleksandr``."""


_ISO9 = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", [
    "a", "b", "v", "g", "d", "e", "ë", "ž", "z", "i", "j", "k", "l", "m", "n", "o", "p", "r", "s", "t",
    "u", "f", "h", "c", "č", "š", "ŝ", "ʺ", "y", "ʹ", "è", "û", "â",
], strict=True))  # fmt: skip
_GOST_B = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", [
    "a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "j", "k", "l", "m", "n", "o", "p", "r", "s", "t",
    "u", "f", "x", "cz", "ch", "sh", "shh", "``", "y`", "`", "e`", "yu", "ya",
], strict=True))  # fmt: skip
_BGN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", [
    "a", "b", "v", "g", "d", "e", "ë", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t",
    "u", "f", "kh", "ts", "ch", "sh", "shch", "”", "y", "’", "e", "yu", "ya",
], strict=True))  # fmt: skip
_ICAO = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", [
    "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t",
    "u", "f", "kh", "ts", "ch", "sh", "shch", "ie", "y", "", "e", "iu", "ia",
], strict=True))  # fmt: skip
_VOWELS_AND_SIGNS = set("аеёиоуыэюяйъь")


def romanize_russian(text: str, system: RussianSystem) -> str:
    """Romanise Russian Cyrillic in a documented system, keeping capitalisation per word.

    BGN/PCGN's positional rule is applied: е/ё are ``ye``/``yë`` at the start of a word and after
    a vowel, й, ъ or ь. GOST B writes ц as ``c`` before е, и, ы, й.
    """
    table = {
        RussianSystem.ISO9: _ISO9,
        RussianSystem.GOST_B: _GOST_B,
        RussianSystem.BGN_PCGN: _BGN,
        RussianSystem.ICAO: _ICAO,
    }[system]
    out: list[str] = []
    previous = ""
    for position, char in enumerate(text):
        lower = char.lower()
        if lower not in table:
            out.append(char)
            previous = ""
            continue
        latin = table[lower]
        following = text[position + 1].lower() if position + 1 < len(text) else ""
        if (
            system is RussianSystem.BGN_PCGN
            and lower in "её"
            and (not previous or previous in _VOWELS_AND_SIGNS)
        ):
            latin = "y" + latin
        if system is RussianSystem.GOST_B and lower == "ц" and following in "еиыйei":
            latin = "c"
        if char != lower and latin:
            latin = latin[0].upper() + latin[1:]
        out.append(latin)
        previous = lower
    return "".join(out)
