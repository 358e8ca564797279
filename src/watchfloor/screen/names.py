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

from watchfloor.screen.translit import (
    cyrillic_to_latin,
    hangul_to_latin,
    is_cyrillic,
    is_hangul_syllable,
    korean_key,
    russian_key,
)


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


def tokenize(name: str, *, organisation: bool = False) -> tuple[Token, ...]:
    """Split a name in any script into tokens (hyphens, commas and dots separate parts).

    With ``organisation``, spelt-out legal forms are first rewritten to their generic short form
    (``Limited Liability Company`` -> ``llc``), as OpenSanctions' rigour does for comparison.
    """
    text = latinize(name)
    if organisation:
        text = _org_types(text)
    return tuple(make_token(part) for part in _SPLIT.split(text) if part)


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
