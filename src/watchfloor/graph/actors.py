"""Canonical state actors: "Pyongyang", "DPRK" and "North Korean" are one actor, ``kp``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from normality import normalize

from watchfloor.errors import ConfigError


@dataclass(frozen=True)
class StateActor:
    """A state (or union of states) with the names reports use for it."""

    id: str
    name: str
    aliases: tuple[str, ...]


def _key(text: str) -> str:
    return normalize(text.replace(".", ""), lowercase=True, ascii=False) or ""


def read_actors(path: Path) -> list[StateActor]:
    """Read and validate an actors YAML file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read actors: {exc}", path) from exc
    if not isinstance(data, dict) or not isinstance(data.get("states"), list):
        raise ConfigError("expected a mapping with a 'states' list", path)
    actors: list[StateActor] = []
    for index, item in enumerate(data["states"]):
        if not isinstance(item, dict) or not item.get("id") or not item.get("name"):
            raise ConfigError(f"states[{index}]: needs id and name", path)
        aliases = tuple(str(a) for a in item.get("aliases") or [])
        actors.append(StateActor(str(item["id"]).lower(), str(item["name"]), aliases))
    return actors


@lru_cache(maxsize=1)
def state_actors() -> tuple[StateActor, ...]:
    """The shipped state actors."""
    return tuple(read_actors(Path(str(resources.files("watchfloor.graph") / "actors.yaml"))))


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for actor in state_actors():
        for name in (actor.id, actor.name, *actor.aliases):
            index.setdefault(_key(name), actor.id)
    return index


def canonical_actor(value: str | None) -> str | None:
    """The canonical id of a state actor named ``value`` (id, name, capital, adjective), else the
    value itself lower-cased: unknown actors keep their own id."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    return _alias_index().get(_key(text), text.lower())


def actor_name(actor_id: str | None) -> str:
    """A readable name for an actor id (``kp`` -> ``North Korea``)."""
    if actor_id is None:
        return "unknown"
    for actor in state_actors():
        if actor.id == actor_id:
            return actor.name
    return actor_id
