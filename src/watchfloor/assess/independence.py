"""Which pieces of evidence are independent: corroboration counts sources, not copies.

Documents are one source when they come from the same outlet, name the same wire origin in their
metadata (``wire``, ``wire_origin``, ``via``, ``syndicated_from``), or repeat one story: their
texts, or the sentences the claims rest on, are near-identical (rapidfuzz ratio at or above the
policy's ``near_duplicate_ratio``) and published within ``window_days`` of each other. Two outlets
running one AP story are therefore one source. AIS detections are one sensor source. An
analyst's confirmation is a source of its own. (``watchfloor-independence-v2``)

Nothing is compared pairwise across the corpus. Outlets and wire origins are keys, joined when
a subset of documents is grouped. Near-identical texts are found by blocking: each text's
MinHash signature (word 3-grams for documents, character 4-grams for sentences) is cut into
bands, and only texts that share a whole band are compared with rapidfuzz; the link is the
exact ratio test, as before. Buckets are also split by periods of ``window_days``, so a text
is only looked up beside texts of its own and the neighbouring periods (and undated ones).
Near-identical texts share most of their shingles and so, with 20 bands of 3 rows, a band: a
pair of Jaccard 0.6 is a candidate with probability 0.992, 0.8 with 0.999999; unrelated texts
almost never are. The index only grows (:meth:`add`): a new document is compared with the
members of its buckets, so adding a day costs that day's documents, and the links are the same
whatever order the documents came in.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import numpy as np
from normality import normalize
from rapidfuzz import fuzz

INDEPENDENCE_ALGORITHM = "watchfloor-independence-v2"
WIRE_KEYS = ("wire", "wire_origin", "via", "syndicated_from")
TEXT_PREFIX = 6000
QUOTE_MIN = 40
WINDOW_DAYS = 14
BANDS = 20
ROWS = 3
_MASK32 = np.uint64(0xFFFFFFFF)
_SEEDS = np.random.default_rng(20261203).integers(1, 2**63, size=(2, BANDS * ROWS), dtype=np.uint64)
_MUL_A = _SEEDS[0] | np.uint64(1)  # odd multipliers: multiply-shift hashing
_MUL_B = _SEEDS[1]


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


def _word_shingles(text: str) -> np.ndarray:
    """32-bit hashes of the word 3-grams of ``text`` (the whole text when it has fewer words)."""
    words = np.fromiter((zlib.crc32(w.encode()) for w in text.split()), dtype=np.uint64)
    if len(words) < 3:
        return np.array([zlib.crc32(text.encode())], dtype=np.uint64)
    mixed = words[:-2] * np.uint64(0x9E3779B1) + words[1:-1] * np.uint64(0x85EBCA77) + words[2:]
    return np.unique(mixed & _MASK32)


def _char_shingles(text: str) -> np.ndarray:
    """32-bit hashes of the character 4-grams (bytes) of ``text``."""
    raw = np.frombuffer(text.encode(), dtype=np.uint8).astype(np.uint64)
    if len(raw) < 4:
        return np.array([zlib.crc32(text.encode())], dtype=np.uint64)
    mixed = (raw[:-3] << np.uint64(24)) | (raw[1:-2] << np.uint64(16)) | (raw[2:-1] << np.uint64(8)) | raw[3:]
    return np.unique(mixed)


def band_keys(shingles: np.ndarray) -> list[bytes]:
    """The LSH band keys of a shingle set: its MinHash signature cut into ``BANDS`` bands."""
    hashed = (_MUL_A[:, None] * shingles[None, :] + _MUL_B[:, None]) >> np.uint64(32)
    signature = hashed.min(axis=1).reshape(BANDS, ROWS)
    return [bytes([band]) + row.tobytes() for band, row in enumerate(signature)]


@dataclass(frozen=True)
class _Item:
    document_id: str
    day: date | None
    text: str


@dataclass
class _NearIndex:
    """Near-identical texts of one kind, blocked by LSH bands; links are exact ratio tests."""

    kind: str
    ratio: float
    window: int
    items: list[_Item] = field(default_factory=list)
    seen: set[tuple[str, date | None, str]] = field(default_factory=set)
    buckets: dict[tuple[bytes, int | None], list[int]] = field(default_factory=lambda: defaultdict(list))
    """Items by band and period of ``window`` days (``None``: undated): a pair within the window
    is in the same or a neighbouring period, so nothing further away is even looked at."""
    periods: dict[bytes, set[int | None]] = field(default_factory=lambda: defaultdict(set))
    comparisons: int = 0

    def _period(self, day: date | None) -> int | None:
        return None if day is None else day.toordinal() // max(self.window, 1)

    def add(self, item: _Item) -> list[tuple[str, str, float]]:
        """Index ``item``; the links (id, id, ratio) it makes with items already indexed."""
        key = (item.document_id, item.day, item.text)
        if key in self.seen or not item.text:
            return []
        self.seen.add(key)
        shingles = _word_shingles(item.text) if self.kind == "text" else _char_shingles(item.text)
        keys = band_keys(shingles)
        period = self._period(item.day)
        candidates: set[int] = set()
        for band in keys:
            if period is None:  # an undated text may repeat any other
                near: Iterable[int | None] = self.periods.get(band, ())
            else:
                near = (period - 1, period, period + 1, None)
            for other_period in near:
                candidates.update(self.buckets.get((band, other_period), ()))
        found: list[tuple[str, str, float]] = []
        for index in sorted(candidates):
            other = self.items[index]
            if other.document_id == item.document_id:
                continue
            if other.day and item.day and abs((other.day - item.day).days) > self.window:
                continue
            if not _length_ok(len(other.text), len(item.text), self.ratio):
                continue
            self.comparisons += 1
            score = fuzz.ratio(other.text, item.text, score_cutoff=self.ratio)
            if score:
                found.append((other.document_id, item.document_id, float(score)))
        position = len(self.items)
        self.items.append(item)
        for band in keys:
            self.buckets[(band, period)].append(position)
            self.periods[band].add(period)
        return found


@dataclass
class IndependenceIndex:
    """What makes documents one source: outlet and wire keys, and near-identical text links.

    Built once per snapshot and grown as documents arrive (:meth:`add`); :meth:`groups` joins
    any subset of documents (an indicator's, at any date) with a union-find over what it holds.
    """

    near_duplicate_ratio: float = 85.0
    window_days: int = WINDOW_DAYS
    labels: dict[str, str] = field(default_factory=dict)
    outlets: dict[str, str] = field(default_factory=dict)
    wires: dict[str, tuple[str, ...]] = field(default_factory=dict)
    links: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    _texts: _NearIndex | None = field(default=None, repr=False)
    _quotes: _NearIndex | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._texts = _NearIndex("text", self.near_duplicate_ratio, self.window_days)
        self._quotes = _NearIndex("quote", self.near_duplicate_ratio, self.window_days)

    @property
    def comparisons(self) -> int:
        """How many rapidfuzz comparisons the blocking let through (for benchmarks)."""
        assert self._texts is not None and self._quotes is not None
        return self._texts.comparisons + self._quotes.comparisons

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
        index = cls(near_duplicate_ratio, window_days)
        index.add(documents, claims)
        return index

    def add(self, documents: Iterable[_HasDoc], claims: Iterable[_HasQuote]) -> set[tuple[str, str]]:
        """Index more documents and the sentences of more claims; the pairs of ids newly linked."""
        assert self._texts is not None and self._quotes is not None
        touched: set[tuple[str, str]] = set()
        for doc in documents:
            if doc.id in self.labels:
                continue
            self.labels[doc.id] = doc.source or doc.origin
            outlet = _norm(doc.source)
            if outlet:
                self.outlets[doc.id] = outlet
            wires = tuple(
                sorted({v for k in WIRE_KEYS if doc.meta.get(k) and (v := _norm(str(doc.meta[k])))})
            )
            if wires:
                self.wires[doc.id] = wires
            for a, b, score in self._texts.add(_Item(doc.id, doc.published, _norm(doc.text[:TEXT_PREFIX]))):
                self.link(a, b, f"near-identical text (ratio {score:.0f})")
                touched.add((a, b))
        for claim in claims:
            if not claim.quote or len(claim.quote) <= QUOTE_MIN:
                continue
            for a, b, score in self._quotes.add(
                _Item(claim.document_id, claim.reported_on, _norm(claim.quote))
            ):
                self.link(a, b, f"near-identical sentence (ratio {score:.0f})")
                touched.add((a, b))
        return touched

    def names(self, document_id: str) -> tuple[str, ...]:
        """The outlet and wire-origin names of a document: documents sharing one are one source."""
        outlet = self.outlets.get(document_id)
        return tuple(dict.fromkeys(((outlet,) if outlet else ()) + self.wires.get(document_id, ())))

    def groups(self, document_ids: Iterable[str]) -> dict[str, SourceGroup]:
        """Map each of ``document_ids`` to its source group, using only what joins them."""
        present = sorted(set(document_ids))
        members = set(present)
        parent = {d: d for d in present}

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def union(a: str, b: str) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                first, second = sorted((ra, rb))
                parent[second] = first

        joined: list[tuple[str, str]] = []
        by_name: dict[str, list[str]] = defaultdict(list)
        for doc in present:
            for name in self.names(doc):
                by_name[name].append(doc)
            for other, why in self.links.get(doc, []):
                if other in members and doc < other:
                    union(doc, other)
                    joined.append((doc, why))
        for name, ids in by_name.items():
            if len(ids) < 2:
                continue
            for other in ids[1:]:
                union(ids[0], other)
            if sum(1 for d in ids if self.outlets.get(d) == name) >= 2:
                joined.append((ids[0], f"same outlet ({name})"))
            if any(name in self.wires.get(d, ()) for d in ids):
                joined.append((ids[0], f"same wire origin ({name})"))
        reasons: dict[str, set[str]] = defaultdict(set)
        for doc, why in joined:
            reasons[find(doc)].add(why)
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
