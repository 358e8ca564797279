"""Canonical actors for resolution: "Pyongyang", "DPRK" and "North Korean" are one actor, ``kp``.

The names come from the extraction gazetteer (``extract/gazetteer.yaml``, replaceable through
``Settings.gazetteer_file``), so that the names extraction recognises and the names resolution
joins are one vocabulary. Resolution works at the level of top-level actors: states, and
international bodies that belong to no state (EU, UN, NATO). An institution or unit that acts for
a state (the Pentagon, the KPA) resolves to that state; people, weapons, vessels and places do not.
"""

from __future__ import annotations

from dataclasses import dataclass

from normality import normalize

from watchfloor.extract.vocab import Gazetteer, configured_gazetteer

TOP_KINDS = frozenset({"state", "institution"})
"""Gazetteer kinds that can be a top-level actor (when they are affiliated to nothing)."""
ACTING_KINDS = frozenset({"state", "institution", "unit"})
"""Gazetteer kinds whose names stand for the top-level actor they belong to."""


@dataclass(frozen=True)
class StateActor:
    """A state (or union of states) with the names reports use for it."""

    id: str
    name: str
    aliases: tuple[str, ...]


def _key(text: str) -> str:
    return normalize(text.replace(".", ""), lowercase=True, ascii=False) or ""


_derived: dict[int, tuple[Gazetteer, tuple[StateActor, ...], dict[str, str]]] = {}
"""Actors and alias index per gazetteer object (the gazetteer is loaded once per file)."""


def _derive(gazetteer: Gazetteer) -> tuple[tuple[StateActor, ...], dict[str, str]]:
    hit = _derived.get(id(gazetteer))
    if hit is not None and hit[0] is gazetteer:
        return hit[1], hit[2]
    aliases: dict[str, list[str]] = {}
    for actor in gazetteer.actors.values():
        top = gazetteer.state_of(actor.id)
        if actor.kind not in ACTING_KINDS or top is None or gazetteer.actors[top].kind not in TOP_KINDS:
            continue
        aliases.setdefault(top, []).extend((*actor.names, *actor.metonyms, *actor.adjectives))
    actors = tuple(
        StateActor(top, gazetteer.actors[top].name, tuple(dict.fromkeys(names)))
        for top, names in aliases.items()
    )
    index: dict[str, str] = {}
    for state in actors:
        for name in (state.id, state.name, *state.aliases):
            index.setdefault(_key(name), state.id)
    _derived[id(gazetteer)] = (gazetteer, actors, index)
    return actors, index


def state_actors() -> tuple[StateActor, ...]:
    """The top-level actors of the gazetteer in force, each with every name that stands for it."""
    return _derive(configured_gazetteer())[0]


def canonical_actor(value: str | None) -> str | None:
    """The canonical id of a top-level actor named ``value`` (id, name, capital, adjective, an
    institution acting for it), else the value itself lower-cased: unknown actors keep their own id."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    return _derive(configured_gazetteer())[1].get(_key(text), text.lower())


def actor_name(actor_id: str | None) -> str:
    """A readable name for an actor id (``kp`` -> ``North Korea``)."""
    if actor_id is None:
        return "unknown"
    actor = configured_gazetteer().actors.get(actor_id)
    return actor.name if actor is not None else actor_id
