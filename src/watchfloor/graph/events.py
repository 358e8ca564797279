"""One real-world event, however many documents tell it: clustering extracted events.

Extraction writes one event per telling where it cannot tell two tellings apart. Two events are
the same real-world event when they have the same type and the same (canonical) actors, their
objects name the same thing (rapidfuzz token-set ratio at least 80, or both empty) and their dates,
where given, lie within 120 days of each other. The first id in sort order names the cluster.
(``watchfloor-event-cluster-v1``)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from normality import normalize
from rapidfuzz import fuzz

from watchfloor.graph.actors import canonical_actor

EVENT_CLUSTER_ALGORITHM = "watchfloor-event-cluster-v1"
OBJECT_RATIO = 80.0
DATE_WINDOW_DAYS = 120


class EventLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def source_actor(self) -> str | None: ...
    @property
    def target_actor(self) -> str | None: ...
    @property
    def object(self) -> str | None: ...
    @property
    def date_start(self) -> date | None: ...


@dataclass(frozen=True)
class EventCluster:
    id: str
    event_ids: tuple[str, ...]


def same_event(a: EventLike, b: EventLike) -> bool:
    """Whether ``a`` and ``b`` tell the same real-world event."""
    if a.type != b.type:
        return False
    if canonical_actor(a.source_actor) != canonical_actor(b.source_actor):
        return False
    if canonical_actor(a.target_actor) != canonical_actor(b.target_actor):
        return False
    oa = normalize(a.object or "", lowercase=True) or ""
    ob = normalize(b.object or "", lowercase=True) or ""
    if (oa or ob) and fuzz.token_set_ratio(oa, ob) < OBJECT_RATIO:
        return False
    return not (a.date_start and b.date_start and abs((a.date_start - b.date_start).days) > DATE_WINDOW_DAYS)


def cluster_events(events: Sequence[EventLike]) -> list[EventCluster]:
    """Group events into real-world events (single-link over :func:`same_event`)."""
    ordered = sorted(events, key=lambda e: e.id)
    parent = {e.id: e.id for e in ordered}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if find(a.id) != find(b.id) and same_event(a, b):
                ra, rb = sorted((find(a.id), find(b.id)))
                parent[rb] = ra
    groups: dict[str, list[str]] = {}
    for event in ordered:
        groups.setdefault(find(event.id), []).append(event.id)
    return [EventCluster(root, tuple(ids)) for root, ids in sorted(groups.items())]
