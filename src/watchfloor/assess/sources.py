"""Which pieces of evidence are independent: corroboration counts sources, not copies.

Documents are one source when they come from the same outlet, name the same wire origin in their
metadata (``wire``, ``wire_origin``, ``via``, ``syndicated_from``), or repeat one story: their
texts, or the sentences the claims rest on, are near-identical (rapidfuzz ratio at or above the
policy's ``near_duplicate_ratio``). Two outlets running one AP story are therefore one source.
AIS detections are one sensor source. An analyst's confirmation is a source of its own.
(``watchfloor-independence-v1``)

The pairwise comparisons are made once per evidence snapshot (:class:`IndependenceIndex`) and
only where a copy is possible: documents published within ``window_days`` of each other whose
lengths are close enough for the ratio to reach the threshold. Grouping any subset of documents
(an indicator's, at any date) is then a union-find over the stored links.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from normality import normalize
from rapidfuzz import fuzz

INDEPENDENCE_ALGORITHM = "watchfloor-independence-v1"
WIRE_KEYS = ("wire", "wire_origin", "via", "syndicated_from")
TEXT_PREFIX = 6000
QUOTE_MIN = 40
WINDOW_DAYS = 14


def _norm(text: str | None) -> str:
    return normalize(text or "", lowercase=True, ascii=False) or ""


class _HasDoc(Protocol):
    """What the index needs of a document (``DocumentInfo`` fits)."""

    @property
    def id(self) -> str: ...
    @property
    def source(self) -> str | None: ...
    @property
    def origin(self) -> str: ...
    @property
    def published(self) -> date | None: ...
    @property
    def meta(self) -> Mapping[str, object]: ...
    @property
    def text(self) -> str: ...


class _HasQuote(Protocol):
    @property
    def document_id(self) -> str: ...
    @property
    def reported_on(self) -> date | None: ...
    @property
    def quote(self) -> str | None: ...


@dataclass(frozen=True)
class SourceGroup:
    """One independent source: the documents that repeat it and why they were joined."""

    key: str
    label: str
    document_ids: tuple[str, ...]
    reasons: tuple[str, ...]


def _length_ok(a: int, b: int, ratio: float) -> bool:
    """Whether two strings of these lengths can reach ``ratio`` (Indel ratio <= 2*min/(a+b))."""
    return a + b > 0 and 200.0 * min(a, b) / (a + b) >= ratio


def _near(
    items: list[tuple[str, date | None, str]], ratio: float, window: int
) -> list[tuple[str, str, float]]:
    """Pairs (id, id, score) of near-identical texts published within ``window`` days."""
    dated = sorted(items, key=lambda item: (item[1] or date.min, item[0]))
    found: list[tuple[str, str, float]] = []
    for i, (id_a, day_a, text_a) in enumerate(dated):
        for id_b, day_b, text_b in dated[i + 1 :]:
            if day_a and day_b and (day_b - day_a).days > window:
                break
            if id_a == id_b or not _length_ok(len(text_a), len(text_b), ratio):
                continue
            score = fuzz.ratio(text_a, text_b, score_cutoff=ratio)
            if score:
                found.append((id_a, id_b, float(score)))
    return found


@dataclass
class IndependenceIndex:
    """The links between documents that make them one source, computed once per snapshot."""

    labels: dict[str, str] = field(default_factory=dict)
    links: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))

    def link(self, a: str, b: str, why: str) -> None:
        if a != b:
            self.links[a].append((b, why))
            self.links[b].append((a, why))

    @classmethod
    def build(
        cls,
        documents: Iterable[_HasDoc],
        claims: Iterable[_HasQuote],
        near_duplicate_ratio: float,
        window_days: int = WINDOW_DAYS,
    ) -> IndependenceIndex:
        index = cls()
        docs = list(documents)
        by_outlet: dict[str, list[str]] = defaultdict(list)
        by_wire: dict[str, list[str]] = defaultdict(list)
        wired: set[str] = set()
        for doc in docs:
            index.labels[doc.id] = doc.source or doc.origin
            outlet = _norm(doc.source)
            if outlet:
                by_outlet[outlet].append(doc.id)
                by_wire[outlet].append(doc.id)
            for key in WIRE_KEYS:
                value = _norm(str(doc.meta.get(key) or ""))
                if value:
                    by_wire[value].append(doc.id)
                    wired.add(doc.id)
        for outlet, ids in by_outlet.items():
            for a, b in itertools.pairwise(ids):
                index.link(a, b, f"same outlet ({outlet})")
        for wire, ids in by_wire.items():
            if any(i in wired for i in ids):
                for a, b in itertools.pairwise(ids):
                    index.link(a, b, f"same wire origin ({wire})")
        texts = [(d.id, d.published, _norm(d.text[:TEXT_PREFIX])) for d in docs]
        for a, b, score in _near(texts, near_duplicate_ratio, window_days):
            index.link(a, b, f"near-identical text (ratio {score:.0f})")
        quotes = [
            (c.document_id, c.reported_on, _norm(c.quote))
            for c in claims
            if c.quote and len(c.quote) > QUOTE_MIN
        ]
        for a, b, score in _near(quotes, near_duplicate_ratio, window_days):
            index.link(a, b, f"near-identical sentence (ratio {score:.0f})")
        return index

    def groups(self, document_ids: Iterable[str]) -> dict[str, SourceGroup]:
        """Map each of ``document_ids`` to its source group, using only links among them."""
        present = sorted(set(document_ids))
        members = set(present)
        parent = {d: d for d in present}

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        reasons: dict[str, set[str]] = defaultdict(set)
        joined: list[tuple[str, str, str]] = []
        for doc in present:
            for other, why in self.links.get(doc, []):
                if other in members and doc < other:
                    joined.append((doc, other, why))
                    ra, rb = find(doc), find(other)
                    if ra != rb:
                        first, second = sorted((ra, rb))
                        parent[second] = first
        for a, _b, why in joined:
            reasons[find(a)].add(why)
        by_root: dict[str, list[str]] = defaultdict(list)
        for doc in present:
            by_root[find(doc)].append(doc)
        out: dict[str, SourceGroup] = {}
        for root, ids in by_root.items():
            label = " = ".join(sorted({self.labels.get(d, d[:16]) for d in ids}))
            group = SourceGroup(f"doc:{root[:16]}", label, tuple(ids), tuple(sorted(reasons[root])))
            for doc in ids:
                out[doc] = group
        return out
