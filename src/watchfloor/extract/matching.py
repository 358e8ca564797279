"""A small, fast phrase matcher for the trigger and cue patterns of the vocabularies.

spaCy's Matcher evaluates every pattern at every token; with a few hundred patterns whose tokens
are large sets of word forms and gaps, that cost more than the whole model. Here patterns are
indexed by the word forms of their first token, so a token that starts no pattern costs one dict
lookup, and the rest of a pattern is matched by a short backtracking walk. Patterns use the
subset of spaCy's token-pattern language that :func:`watchfloor.extract.vocab.compile_phrase`
writes: word sets (``LOWER`` ``IN``, optional ``POS``), gaps (``OP`` ``{,4}``, no punctuation,
not across a sentence start) and actor runs (``ENT_TYPE`` ``IN``, ``OP`` ``+``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_WORD, _GAP, _RUN = 0, 1, 2


@dataclass(frozen=True)
class _Element:
    kind: int
    forms: frozenset[str] = frozenset()
    pos: str | None = None
    labels: frozenset[str] = frozenset()
    most: int = 0


class TokenView:
    """Plain lists of the token attributes matching needs, read from a Doc once."""

    def __init__(self, doc: Any) -> None:
        self.lower: list[str] = []
        self.pos: list[str] = []
        self.ent_type: list[str] = []
        self.is_punct: list[bool] = []
        self.sent_start: list[bool] = []
        self.space_after: list[bool] = []
        for token in doc:
            self.lower.append(token.lower_)
            self.pos.append(token.pos_)
            self.ent_type.append(token.ent_type_)
            # a hyphen inside a word ("nuclear-related") is part of the word, not a break for gaps
            inner_hyphen = (
                token.text == "-"
                and not token.whitespace_
                and token.i > 0
                and not doc[token.i - 1].whitespace_
            )
            self.is_punct.append(token.is_punct and not inner_hyphen)
            self.sent_start.append(bool(token.is_sent_start))
            self.space_after.append(bool(token.whitespace_))


def _element(spec: dict[str, Any]) -> _Element:
    if "ENT_TYPE" in spec:
        return _Element(_RUN, labels=frozenset(spec["ENT_TYPE"]["IN"]))
    if spec.get("OP", "").startswith("{,"):
        return _Element(_GAP, most=int(spec["OP"][2:-1]))
    return _Element(_WORD, forms=frozenset(spec["LOWER"]["IN"]), pos=spec.get("POS"))


class PhraseMatcher:
    """Patterns keyed by a label; ``find`` gives non-overlapping longest matches in a range."""

    def __init__(self) -> None:
        self._by_form: dict[str, list[tuple[str, tuple[_Element, ...]]]] = {}
        self._by_run: list[tuple[str, tuple[_Element, ...]]] = []

    def add(self, key: str, pattern: list[dict[str, Any]]) -> None:
        elements = tuple(_element(spec) for spec in pattern)
        first = elements[0]
        if first.kind == _RUN:
            self._by_run.append((key, elements))
            return
        for form in first.forms:
            self._by_form.setdefault(form, []).append((key, elements))

    def find(self, view: TokenView, start: int, end: int) -> list[tuple[str, int, int]]:
        """Matches in tokens [start, end): longest first, then leftmost; none overlapping."""
        found: list[tuple[str, int, int]] = []
        for i in range(start, end):
            candidates = self._by_form.get(view.lower[i], [])
            if self._by_run and view.ent_type[i] and (i == start or view.ent_type[i - 1] != view.ent_type[i]):
                candidates = candidates + self._by_run
            for key, elements in candidates:
                stop = _match(view, elements, 0, i, end, i)
                if stop is not None:
                    found.append((key, i, stop))
        found.sort(key=lambda m: (m[1] - m[2], m[1]))
        taken: list[tuple[str, int, int]] = []
        used: set[int] = set()
        for key, s, e in found:
            if not used.intersection(range(s, e)):
                taken.append((key, s, e))
                used.update(range(s, e))
        return sorted(taken, key=lambda m: m[1])


def _match(
    view: TokenView, elements: tuple[_Element, ...], k: int, i: int, end: int, first: int
) -> int | None:
    """The end of the longest match of elements[k:] at token i, or None."""
    if k == len(elements):
        return i
    element = elements[k]
    if element.kind == _WORD:
        if i >= end or view.lower[i] not in element.forms or (element.pos and view.pos[i] != element.pos):
            return None
        return _match(view, elements, k + 1, i + 1, end, first)
    if element.kind == _RUN:
        j = i
        while j < end and view.ent_type[j] in element.labels:
            j += 1
        if j == i:
            return None
        best = None
        for stop in range(j, i, -1):
            got = _match(view, elements, k + 1, stop, end, first)
            if got is not None and (best is None or got > best):
                best = got
        return best
    best = None
    for skip in range(0, element.most + 1):
        j = i + skip
        if j > end:
            break
        if skip and (view.is_punct[j - 1] or (j - 1 > first and view.sent_start[j - 1])):
            break
        got = _match(view, elements, k + 1, j, end, first)
        if got is not None and (best is None or got > best):
            best = got
    return best
