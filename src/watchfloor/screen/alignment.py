"""Name alignment shared by the scorers: token similarity (exact, spelling system, typo,
initial), one-to-one pairing of query and list tokens, the weighted name score of v1, numbers and
vessel letters as marks, and names compared written without spaces."""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import OSA

from watchfloor.model.schema import Schema
from watchfloor.screen.index import NameForm
from watchfloor.screen.names import Token
from watchfloor.screen.results import PairHow

_TYPO_FLOOR = 0.7

MARKED_SCHEMAS = frozenset({Schema.VESSEL, Schema.AIRPLANE})
"""Entries whose names carry marks (``Lady R``, ``Sparta IV``) rather than initials."""


def token_similarity(q: Token, c: Token) -> tuple[float, PairHow | None]:
    """Similarity of two tokens and why, 0 below the typo floor.

    A token made by joining two written parts loses 2%, so that where the parts align as
    written, that alignment is the one shown.
    """
    sim, how = _token_similarity(q, c)
    if how is not None and (q.joined or c.joined):
        sim *= 0.98
    return sim, how


def _token_similarity(q: Token, c: Token) -> tuple[float, PairHow | None]:
    if q.text == c.text:
        return 1.0, PairHow.EXACT
    if _is_number(q.text) or _is_number(c.text):
        return 0.0, None  # a number (2, IV) meets only itself: Sparta II is not Sparta III
    if q.korean == c.korean:
        return 0.95, PairHow.SPELLING
    russian = not (q.text.endswith("ng") or c.text.endswith("ng"))
    if q.russian == c.russian and russian:
        # a part ending in -ng is a Korean syllable, never Russian: the Russian key's yo/jo/e
        # folding would make Jong and Yong one name
        return 0.95, PairHow.SPELLING
    lq, lc = len(q.text), len(c.text)
    if lq == 1 or lc == 1:
        if q.text[0] == c.text[0]:
            return 0.8, PairHow.INITIAL
        return 0.0, None
    if q.joined or c.joined or abs(lq - lc) > max(lq, lc) * 0.4:
        return 0.0, None
    sim = OSA.normalized_similarity(q.text, c.text, score_cutoff=_TYPO_FLOOR)
    folded = OSA.normalized_similarity(q.korean, c.korean, score_cutoff=_TYPO_FLOOR)
    if russian:
        folded = max(folded, OSA.normalized_similarity(q.russian, c.russian, score_cutoff=_TYPO_FLOOR))
    best = max(sim, folded * 0.95)
    swapped = best < 0.85 and lq == lc and lq >= 4 and sorted(q.text) == sorted(c.text)
    if swapped and OSA.distance(q.text, c.text) == 1:  # two letters swapped: Faiz/Afiz, Lakhal/Lakahl
        best = 0.85
    # Short tokens are syllables: one letter changed is another name (Jong/Tong, Un/Nam).
    floor = _TYPO_FLOOR if max(lq, lc) > 5 else 0.8
    if best < floor or (min(lq, lc) <= 3 and best < 0.99):
        return 0.0, None
    return best, PairHow.TYPO


def pair_tokens(
    query: tuple[Token, ...],
    listed: tuple[Token, ...],
    cache: dict[tuple[str, str], tuple[float, PairHow | None]],
    marks: bool = False,
) -> list[tuple[int, int, float, PairHow]]:
    """Pair query and list tokens one to one, most similar pairs first: ``(i, j, sim, how)``.

    With ``marks`` (vessels, aircraft) a single letter is a mark of the name (``Lady R``), never
    an initial: it meets only the same letter."""
    pairs: list[tuple[float, int, int, PairHow]] = []
    for i, q in enumerate(query):
        for j, c in enumerate(listed):
            key = (q.text, c.text)
            found = cache.get(key)
            if found is None:
                found = cache[key] = token_similarity(q, c)
            if found[1] is not None and not (marks and found[1] is PairHow.INITIAL):
                pairs.append((found[0], i, j, found[1]))
    pairs.sort(key=lambda p: -p[0])
    used_q: set[int] = set()
    used_c: set[int] = set()
    chosen: list[tuple[int, int, float, PairHow]] = []
    for sim, i, j, how in pairs:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        chosen.append((i, j, sim, how))
    return chosen


def align(
    query: tuple[Token, ...],
    query_weights: tuple[float, ...],
    form: NameForm,
    cache: dict[tuple[str, str], tuple[float, PairHow | None]],
    marks: bool = False,
) -> tuple[float, list[tuple[int, int, float, PairHow]]]:
    """Align tokens one to one (:func:`pair_tokens`); return the weighted name score and the pairs."""
    listed = form.tokens
    chosen = pair_tokens(query, listed, cache, marks)
    used_c = {j for _, j, _, _ in chosen}
    if not any(how is not PairHow.INITIAL for _, _, _, how in chosen):
        return 0.0, chosen  # initials alone never make a name match
    wc = form.weights
    total = sum(query_weights)
    for j in range(len(listed)):
        total += wc[j] if j in used_c else form.spare[j]
    gained = 0.0
    for i, j, sim, how in chosen:
        weight = query_weights[i] + wc[j]
        if how is PairHow.INITIAL:
            weight *= 0.5
            total -= weight
        gained += sim * weight
    if total <= 0:
        return 0.0, chosen
    return gained / total, chosen


_NUMERALS = frozenset({
    "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
    "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx",
})  # fmt: skip


@lru_cache(maxsize=65536)
def _is_number(text: str) -> bool:
    return text.isdigit() or text in _NUMERALS


def is_mark(text: str, marks: bool) -> bool:
    """A number (``2``, ``IV``) or, for vessels and aircraft (``marks``), a single letter
    (``Lady R``): the part of a name that tells two of the same kind apart."""
    return _is_number(text) or (marks and len(text) == 1 and text.isalpha())


def numbered_apart(
    query: tuple[Token, ...],
    listed: tuple[Token, ...],
    chosen: list[tuple[int, int, float, PairHow]],
    marks: bool = False,
) -> bool:
    """True when both names carry a number (``Sparta IV`` / ``Sparta II``), or for vessels a
    letter (``Lady R`` / ``Lady D``), left unaligned: then they are different vessels or
    companies, however alike written without spaces."""
    used_q = {i for i, _, _, _ in chosen}
    used_c = {j for _, j, _, _ in chosen}
    return any(is_mark(t.text, marks) for k, t in enumerate(query) if k not in used_q) and any(
        is_mark(t.text, marks) for k, t in enumerate(listed) if k not in used_c
    )


def whole_similarity(a: str, b: str) -> float:
    """Edit similarity of two names written without spaces, in their given order: catches
    parts split or joined differently (``Arefullaha Ref`` / ``Arefullah Aref``)."""
    if abs(len(a) - len(b)) > 0.2 * max(len(a), len(b)):
        return 0.0
    return OSA.normalized_similarity(a, b, score_cutoff=0.85)
