"""Name normalisation, script detection and tokenisation for screening.

Every name, in any script, becomes a sequence of :class:`Token` records carrying three forms:
the readable ASCII form (``text``), the Korean folding key and the Russian folding key (see
:mod:`watchfloor.screen.translit`). Hangul is romanised syllable by syllable (RR), Cyrillic by a
canonical BGN/PCGN-like table, anything else through ICU via ``rigour``/``normality``.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rigour.names.org_types import replace_org_types_compare
from rigour.text.translit import ascii_text

from watchfloor.errors import ConfigError
from watchfloor.screen.translit import (
    cyrillic_to_latin,
    hangul_to_latin,
    is_cyrillic,
    is_hangul_syllable,
    korean_key,
    russian_key,
)
from watchfloor.vocabulary import read_vocabulary


class Script(enum.StrEnum):
    """The writing systems the screening layer tells apart."""

    LATIN = "Latin"
    HANGUL = "Hangul"
    CYRILLIC = "Cyrillic"
    OTHER = "Other"


@dataclass(frozen=True, slots=True)
class Token:
    """One name part in its comparable forms."""

    text: str
    """Lower-case ASCII form (``jong``)."""
    korean: str
    """Korean spelling-neutral key (``jong`` for Jeong/Chŏng/Jong/Chung)."""
    russian: str
    """Russian spelling-neutral key (``sukin`` for Shchukin/Shhukin/Ŝukin)."""
    joined: bool = False
    """Made by joining two written parts (``jongun``); such tokens never match by typo."""


def detect_scripts(text: str) -> set[Script]:
    """The scripts of the letters in ``text`` (``{Script.HANGUL}`` for ``김정은``)."""
    found: set[Script] = set()
    for char in text:
        if not char.isalpha():
            continue
        if is_hangul_syllable(char) or "\u1100" <= char <= "\u11ff" or "\u3130" <= char <= "\u318f":
            found.add(Script.HANGUL)
        elif is_cyrillic(char):
            found.add(Script.CYRILLIC)
        elif char.isascii() or unicodedata.name(char, "").startswith("LATIN"):
            found.add(Script.LATIN)
        else:
            found.add(Script.OTHER)
    return found


_SPLIT = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['\u2019\u2018\u02bc\u02bb`´ʹʺ]")


@lru_cache(maxsize=131072)
def latinize(text: str) -> str:
    """Any-script text to lower-case ASCII, Hangul syllables spaced apart (``gim jeong eun``)."""
    value = unicodedata.normalize("NFKC", text)
    if value.isascii():
        return _APOSTROPHES.sub("", value).lower()
    scripts = detect_scripts(value)
    if Script.HANGUL in scripts:
        value = hangul_to_latin(value)
    if Script.CYRILLIC in scripts:
        value = cyrillic_to_latin(value)
    value = _APOSTROPHES.sub("", value)
    if not value.isascii():
        value = ascii_text(value)
    return value.lower()


@lru_cache(maxsize=131072)
def make_token(text: str) -> Token:
    """A token from one lower-case ASCII name part."""
    return Token(text=text, korean=korean_key(text), russian=russian_key(text))


LEGAL_FORMS = frozenset({
    "llc", "jsc", "pjsc", "cjsc", "ojsc", "ooo", "oao", "zao", "pao", "ao", "ltd", "inc", "corp",
    "gmbh", "ag", "sa", "srl", "bv", "nv", "plc", "co", "fze", "fzco", "fzc", "fzllc", "lp", "llp",
    "sarl", "spa", "kg", "ab", "as", "oy", "pte", "pvt", "jv",
})  # fmt: skip
"""Generic organisation-type forms (``rigour`` writes ``Public Joint Stock Company`` as ``pjsc``):
they say little about who an organisation is, so they weigh little."""


@lru_cache(maxsize=131072)
def _org_types(text: str) -> str:
    return replace_org_types_compare(text, generic=True)


@dataclass(frozen=True)
class NameVocabulary:
    """``names.yaml``: country phrases folded in organisation names, and Korean in Cyrillic."""

    phrases: dict[tuple[str, ...], str]
    """Word sequence -> canonical token (``("north", "korea")`` -> ``dprk``)."""
    longest: int
    korean_surnames: frozenset[str]
    korean_syllables: dict[str, str]
    origin: str


@lru_cache(maxsize=1)
def name_vocabulary() -> NameVocabulary:
    """The shipped ``watchfloor/screen/names.yaml`` (it shapes the index, so it is not replaced
    per user: a different table would need a different index)."""
    data, origin = read_vocabulary("watchfloor.screen", "names.yaml")
    try:
        phrases = {
            tuple(phrase.split()): str(canonical)
            for canonical, written in data["phrases"].items()
            for phrase in written
        }
        surnames = frozenset(str(s) for s in data["korean_surnames_cyrillic"])
        syllables = {str(k): str(v) for k, v in data["korean_syllables_cyrillic"].items()}
    except (KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"malformed name vocabulary: {exc}", origin) from exc
    return NameVocabulary(phrases, max(map(len, phrases)), surnames, syllables, origin)


def fold_phrases(parts: list[str]) -> list[str]:
    """Replace country phrases by their canonical token, longest first (``north korea`` -> ``dprk``)."""
    vocabulary = name_vocabulary()
    out: list[str] = []
    i = 0
    while i < len(parts):
        for size in range(min(vocabulary.longest, len(parts) - i), 0, -1):
            canonical = vocabulary.phrases.get(tuple(parts[i : i + size]))
            if canonical is not None:
                out.append(canonical)
                i += size
                break
        else:
            out.append(parts[i])
            i += 1
    return out


def tokenize(name: str, *, organisation: bool = False) -> tuple[Token, ...]:
    """Split a name in any script into tokens (hyphens, commas and dots separate parts).

    With ``organisation``, spelt-out legal forms are first rewritten to their generic short form
    (``Limited Liability Company`` -> ``llc``), as OpenSanctions' rigour does for comparison, and
    country phrases to one token (``Democratic People's Republic of Korea`` -> ``dprk``).
    """
    text = latinize(name)
    if organisation:
        parts = fold_phrases([part for part in _SPLIT.split(text) if part])
        text = _org_types(" ".join(parts))
    return tuple(make_token(part) for part in _SPLIT.split(text) if part)


_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")


def korean_in_cyrillic(name: str) -> tuple[Token, ...] | None:
    """A Korean name written in Cyrillic (``Ким Чен Ын``), in the Latin spelling the lists use
    (``kim jong un``); ``None`` when the name does not look Korean.

    Russian writes Korean syllables by its own conventions (Kontsevich, and older press
    spellings): read letter by letter, ``Чен Ын`` would become ``chen yn`` and meet nothing.
    """
    words = [w.lower() for w in _CYRILLIC_WORD.findall(unicodedata.normalize("NFC", name))]
    if not 2 <= len(words) <= 5 or any(len(w) > 5 for w in words):
        return None
    vocabulary = name_vocabulary()
    if words[0] not in vocabulary.korean_surnames and words[-1] not in vocabulary.korean_surnames:
        return None
    parts = []
    for word in words:
        latin = vocabulary.korean_syllables.get(word)
        if latin is None:
            latin = cyrillic_to_latin(word.replace("ы", "у")).lower()
        parts.append(latin)
    return tuple(make_token(part) for part in parts)


def joined_variants(tokens: tuple[Token, ...]) -> list[tuple[Token, ...]]:
    """Alternative tokenisations where two short adjacent parts are written as one.

    Korean given names appear joined, hyphenated or spaced (``Jongun``, ``Jong-un``,
    ``Jong Un``); the variants let either side meet the other token for token.
    """
    if not 2 <= len(tokens) <= 4:
        return []
    out: list[tuple[Token, ...]] = []
    for i in range(len(tokens) - 1):
        left, right = tokens[i], tokens[i + 1]
        if len(left.text) <= 5 and len(right.text) <= 5 and len(tokens) > 2:
            plain = make_token(left.text + right.text)
            merged = Token(plain.text, plain.korean, plain.russian, joined=True)
            out.append((*tokens[:i], merged, *tokens[i + 2 :]))
    return out
