"""Merging candidate events that tell the same event into one event with several claims."""

from __future__ import annotations

from collections.abc import Iterable

from watchfloor.extract.event_identity import EventKey, same_event_keys
from watchfloor.extract.records import Event


def same_event(a: Event, b: Event) -> bool:
    """Whether two candidates tell the same event: the one rule shared with the graph
    (:func:`watchfloor.extract.event_identity.same_event_keys`)."""
    return same_event_keys(_identity(a), _identity(b))


def _identity(event: Event) -> EventKey:
    start, end = (event.date.start, event.date.end) if event.date else (None, None)
    return EventKey.of(
        event.id, event.type.value, event.source_actors, event.target_actors, event.object, event.place,
        start, end,
    )  # fmt: skip


def merge_into(kept: Event, other: Event) -> None:
    """Fold ``other`` into ``kept``: spans and claims added, missing slots filled."""
    for span in other.spans:
        if span not in kept.spans:
            kept.spans.append(span)
    for claim in other.claims:
        duplicate = any(c.speaker == claim.speaker and c.span == claim.span for c in kept.claims)
        if not duplicate:
            kept.claims.append(claim)
    for actor in other.source_actors:
        if actor not in kept.source_actors:
            kept.source_actors.append(actor)
    if not kept.target_actors:
        kept.target_actors, kept.target_text = list(other.target_actors), other.target_text
    kept.place = kept.place or other.place
    kept.object = kept.object or other.object
    if kept.date is None or (kept.date.basis != "text" and other.date and other.date.basis == "text"):
        kept.date = other.date


def merge_events(events: Iterable[Event]) -> list[Event]:
    """Merge candidates that tell the same event (:func:`same_event`), keeping first-seen order."""
    merged: list[Event] = []
    keys: list[EventKey] = []  # each kept event's identity, computed once and again after a merge
    for event in events:
        key = _identity(event)
        for number, kept in enumerate(merged):
            if same_event_keys(keys[number], key):
                merge_into(kept, event)
                keys[number] = _identity(kept)
                break
        else:
            merged.append(event)
            keys.append(key)
    return merged
