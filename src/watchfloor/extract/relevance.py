"""Document relevance (relevance-v1): is a report about the watched states at all?

Most of a general news feed is about other things. A report is relevant when one of its events
has a watched actor (``watched_actors`` of the ontology: North Korea and Russia by default) on
either side, or when it names watched actors more than in passing: more than one of them, or one
at least as many times as the ontology's ``relevance_mentions`` asks (``MIN_MENTIONS`` by
default). Names count directly or through anything the gazetteer affiliates to a watched state (a
capital, an official, an institution, a port such as Nampo, a vessel). A single passing mention
("wanted by the authorities of the Russian Federation") does not make a report about the pair. An
irrelevant report is still stored as a document (so that it is not read again), with no events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from watchfloor.extract.records import Event, Mention
from watchfloor.extract.vocab import Gazetteer

RELEVANCE_VERSION = "relevance-v1"
MIN_MENTIONS = 2


@dataclass(frozen=True)
class Relevance:
    """Whether a report is about the watched states, and why."""

    relevant: bool
    watched: tuple[str, ...]
    """The watched states it names or tells of."""
    explanation: str


def relevance(
    mentions: Iterable[Mention],
    events: Iterable[Event],
    gazetteer: Gazetteer,
    watched: frozenset[str],
    thresholds: dict[str, int] | None = None,
) -> Relevance:
    """The relevance of one report from its mentions and events (relevance-v1)."""
    named: list[str] = []
    for mention in mentions:
        state = gazetteer.state_of(mention.actor) if mention.actor else None
        if state in watched:
            named.append(str(state))
    told = {a for e in events for a in (*e.source_actors, *e.target_actors) if a in watched}
    found = tuple(sorted(set(named) | told))
    if told:
        return Relevance(True, found, f"{RELEVANCE_VERSION}: tells of events of {', '.join(sorted(told))}")
    if len(set(named)) > 1:
        return Relevance(True, found, f"{RELEVANCE_VERSION}: names {', '.join(found)}")
    if named:
        state, count = named[0], len(named)
        needed = (thresholds or {}).get(state, MIN_MENTIONS)
        if count >= needed:
            return Relevance(
                True, found, f"{RELEVANCE_VERSION}: names {state} {count} times (needs {needed})"
            )
        return Relevance(
            False,
            found,
            f"{RELEVANCE_VERSION}: names {state} {count} times in passing (needs {needed}), no event of it",
        )
    return Relevance(False, (), f"{RELEVANCE_VERSION}: names no watched actor ({', '.join(sorted(watched))})")
