"""When two tellings are one real-world event: the one rule that extraction and the graph share.

``watchfloor-same-event-v2``: two events are the same real-world event when

- they have the same type;
- they share a source actor (canonical ids; both must name one);
- their target actors share one, or either names none;
- their objects share a content word (``containers of equipment`` / ``containers of shells``;
  plural ``s`` dropped, stop words and capitalised names ignored), or either has none;
- so do their places (whose names count as words);
- their dates, where both are given, are at most 120 days apart (ranges: the gap between them).

What one telling leaves out does not contradict another: a report that names no target can tell
the same shipment as one that does. Extraction merges the candidates of one report with this rule
(:func:`watchfloor.extract.events.same_event`), the graph clusters stored events with it
(:mod:`watchfloor.graph.event_clusters`). It lives on the extraction layer so that both import it and
the graph never reaches back up.

Every condition is a shared value (or a missing one) or a date gap, so clustering needs no
pairwise comparison (:func:`cluster_keys`): events are blocked by type and source actor, then by
each target, object word and place word (an event without one joins every block of that kind),
and each block is single-linked by a sweep over its dates. The components are exactly those of
single-link over :func:`same_event_keys`.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

SAME_EVENT_ALGORITHM = "watchfloor-same-event-v2"
DATE_WINDOW_DAYS = 120

_STOP = frozenset(
    {
        "the", "a", "an", "of", "and", "or", "other", "its", "their", "to", "in", "on", "at", "by",
        "for", "with", "that", "which", "some", "between", "could", "may", "be", "is", "are", "out",
        "from", "more", "than", "all", "this", "these", "those", "into", "about", "as",
    }
)  # fmt: skip
_PUNCTUATION = ".,“”\"'’"


def content_words(text: str | None, *, names: bool = False) -> frozenset[str]:
    """The words of ``text`` that say what it is about (lower case, plural ``s`` dropped); names
    (capitalised words) only when ``names`` is set, as for places."""
    if not text:
        return frozenset()
    words = (w.strip(_PUNCTUATION) for w in text.split())
    return frozenset(
        w.lower().removesuffix("s")
        for w in words
        if w and w.lower() not in _STOP and (names or not w[0].isupper())
    )


@dataclass(frozen=True)
class EventKey:
    """What the rule looks at in an event, however it is held (extracted candidate or stored row)."""

    id: str
    type: str
    source_actors: frozenset[str]
    target_actors: frozenset[str]
    words: frozenset[str]
    """Content words of the object (empty: no object)."""
    places: frozenset[str]
    """Content words of the place (empty: no place)."""
    start: date | None
    end: date | None

    @classmethod
    def of(
        cls,
        id_: str,
        type_: str,
        source_actors: Iterable[str],
        target_actors: Iterable[str],
        object_: str | None,
        place: str | None,
        start: date | None,
        end: date | None = None,
    ) -> EventKey:
        return cls(
            id_,
            type_,
            frozenset(a for a in source_actors if a),
            frozenset(a for a in target_actors if a),
            content_words(object_),
            content_words(place, names=True),
            start,
            end,
        )

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None

    @property
    def low(self) -> date:
        return self.start or date.min

    @property
    def high(self) -> date:
        return self.end or date.max


def _compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    return not a or not b or bool(a & b)


def _gap_days(a: EventKey, b: EventKey) -> int:
    """Days between two date ranges (0 or less: they overlap)."""
    later, earlier = (a, b) if a.low >= b.low else (b, a)
    if earlier.high == date.max:
        return 0
    return (later.low - earlier.high).days


def same_event_keys(a: EventKey, b: EventKey) -> bool:
    """Whether ``a`` and ``b`` tell the same real-world event (``watchfloor-same-event-v2``)."""
    if a.type != b.type or not a.source_actors & b.source_actors:
        return False
    if not _compatible(a.target_actors, b.target_actors):
        return False
    if not _compatible(a.words, b.words) or not _compatible(a.places, b.places):
        return False
    return not a.dated or not b.dated or _gap_days(a, b) <= DATE_WINDOW_DAYS


class _UnionFind:
    def __init__(self, ids: Iterable[str]) -> None:
        self.parent = {i: i for i in ids}

    def find(self, x: str) -> str:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            first, second = (ra, rb) if ra < rb else (rb, ra)
            self.parent[second] = first


def _split(keys: list[EventKey], values: Callable[[EventKey], frozenset[str]]) -> list[list[EventKey]]:
    """Blocks by one shared-or-missing condition: one per value, each with the keys that lack one."""
    lacking = [k for k in keys if not values(k)]
    blocks: dict[str, list[EventKey]] = defaultdict(list)
    for key in keys:
        for value in values(key):
            blocks[value].append(key)
    if not blocks:
        return [keys]
    return [block + lacking for block in blocks.values()]


def _link_by_date(uf: _UnionFind, keys: list[EventKey]) -> None:
    """Single-link ``keys`` (all compatible but for their dates) by a sweep over their ranges."""
    if len(keys) < 2:
        return
    undated = [k for k in keys if not k.dated]
    if undated:  # an undated telling is close to every date: the whole block is one event
        for other in keys[1:]:
            uf.union(keys[0].id, other.id)
        return
    window = timedelta(days=DATE_WINDOW_DAYS)
    ordered = sorted(keys, key=lambda k: (k.low, k.id))
    reach = ordered[0].high
    for before, after in itertools.pairwise(ordered):
        if reach == date.max or after.low - reach <= window:
            uf.union(before.id, after.id)
            reach = max(reach, after.high)
        else:
            reach = after.high


def cluster_keys(keys: Sequence[EventKey]) -> list[tuple[str, tuple[str, ...]]]:
    """Group events into real-world events: (first id, sorted member ids), sorted by first id.

    Blocked, never pairwise: about O(n log n) in the events times the values they carry.
    """
    uf = _UnionFind(k.id for k in keys)
    by_source: dict[tuple[str, str], list[EventKey]] = defaultdict(list)
    for key in keys:
        for actor in key.source_actors:
            by_source[(key.type, actor)].append(key)
    for block in by_source.values():
        for by_target in _split(block, lambda k: k.target_actors):
            for by_object in _split(by_target, lambda k: k.words):
                for by_place in _split(by_object, lambda k: k.places):
                    _link_by_date(uf, by_place)
    groups: dict[str, list[str]] = defaultdict(list)
    for key in sorted(keys, key=lambda k: k.id):
        groups[uf.find(key.id)].append(key.id)
    return sorted((root, tuple(ids)) for root, ids in groups.items())
