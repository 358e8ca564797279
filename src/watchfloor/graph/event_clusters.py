"""One real-world event, however many documents tell it: clustering stored events.

Extraction writes one event per telling where it cannot tell two tellings apart. Stored events
are clustered with the same rule extraction merges candidates with
(:mod:`watchfloor.extract.event_identity`, ``watchfloor-same-event-v2``), applied to the
canonical actors (``North Korea`` and ``kp`` are one actor). Clustering is blocked, never
pairwise. The first id in sort order names the cluster. (``watchfloor-event-cluster-v2``)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Protocol

from watchfloor.extract.event_identity import EventKey, cluster_keys, same_event_keys
from watchfloor.graph.actors import canonical_actor

EVENT_CLUSTER_ALGORITHM = "watchfloor-event-cluster-v2"


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
    def place(self) -> str | None: ...
    @property
    def date_start(self) -> date | None: ...
    @property
    def date_end(self) -> date | None: ...


@dataclass(frozen=True)
class EventCluster:
    id: str
    event_ids: tuple[str, ...]


@lru_cache(maxsize=4096)
def _actors(value: str | None) -> tuple[str, ...]:
    """Canonical actors of a stored actor field (one, or several joined by commas)."""
    if not value:
        return ()
    found = (canonical_actor(part) for part in value.replace(";", ",").split(","))
    return tuple(a for a in found if a)


def event_key(event: EventLike) -> EventKey:
    """What the shared rule looks at in a stored event (a point date when only one is given)."""
    start = event.date_start or event.date_end
    end = event.date_end or event.date_start
    return EventKey.of(
        event.id,
        event.type,
        _actors(event.source_actor),
        _actors(event.target_actor),
        event.object,
        event.place,
        start,
        end,
    )


def same_event(a: EventLike, b: EventLike) -> bool:
    """Whether ``a`` and ``b`` tell the same real-world event."""
    return same_event_keys(event_key(a), event_key(b))


def cluster_events(events: Sequence[EventLike]) -> list[EventCluster]:
    """Group events into real-world events (single-link over :func:`same_event`, blocked)."""
    return [EventCluster(root, ids) for root, ids in cluster_keys([event_key(e) for e in events])]
