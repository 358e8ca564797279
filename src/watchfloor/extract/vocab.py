"""Load and validate the extraction vocabularies shipped as YAML: gazetteer, ontology and cues.

Each file is read once and turned into frozen dataclasses; a malformed file raises ConfigError
naming the file and the entry. Trigger and cue phrases are compiled to spaCy Matcher patterns
over lower-cased word forms (the inflections are generated here, so no lemmatizer is needed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from watchfloor.errors import ConfigError
from watchfloor.extract.ontology import ONTOLOGY_VERSION, EventType, ObjectFrom, ObjectMode, Plover, Role
from watchfloor.model.stance import Stance
from watchfloor.settings import get_settings
from watchfloor.vocabulary import read_vocabulary

ACTOR_LABELS = ("GPE", "NORP", "ORG", "PERSON")
"""Entity labels that can fill an actor slot."""

_IRREGULAR = {
    "send": ["sent"],
    "sell": ["sold"],
    "give": ["gave", "given"],
    "buy": ["bought"],
    "say": ["said"],
    "tell": ["told"],
    "fight": ["fought"],
    "hold": ["held"],
    "meet": ["met"],
    "seek": ["sought"],
    "write": ["wrote", "written"],
    "lead": ["led"],
    "take": ["took", "taken"],
    "be": ["is", "are", "was", "were", "been", "being", "'s", "’s", "am"],
    "have": ["has", "had", "having"],
    "servicemen": [],
}


def inflections(word: str) -> list[str]:
    """Common English inflections of a lower-case word: enough to match triggers without lemmas."""
    w = word.lower()
    forms = {w, *_IRREGULAR.get(w, [])}
    if "-" in w or not w.isalpha() or len(w) < 3:
        return sorted(forms)
    if w.endswith("y") and w[-2] not in "aeiou":
        forms |= {w[:-1] + "ies", w[:-1] + "ied", w + "ing"}
    elif w.endswith("e"):
        forms |= {w + "s", w + "d", w[:-1] + "ing"}
    else:
        forms |= {w + "s", w + "es", w + "ed", w + "ing"}
        if w[-1] in "bdgmnprt" and w[-2] in "aeiou" and w[-3] not in "aeiou":
            forms |= {w + w[-1] + "ed", w + w[-1] + "ing"}
    return sorted(forms)


def compile_phrase(phrase: str, origin: str, verb_first: bool = False) -> list[dict[str, Any]]:
    """Compile a trigger/cue phrase (``a|b ... c``, ``ACTOR``) to a spaCy Matcher pattern."""
    pattern: list[dict[str, Any]] = []
    for item in phrase.split():
        if item == "...":
            pattern.append({"IS_PUNCT": False, "IS_SENT_START": False, "OP": "{,4}"})
        elif item == "ACTOR":
            pattern.append({"ENT_TYPE": {"IN": list(ACTOR_LABELS)}, "OP": "+"})
        else:
            pos = {"/V": "VERB", "/N": "NOUN"}.get(item[-2:])
            words = item[:-2] if pos else item
            forms = sorted({form for word in words.split("|") if word for form in inflections(word)})
            if not forms:
                raise ConfigError(f"empty word in phrase {phrase!r}", origin)
            token: dict[str, Any] = {"LOWER": {"IN": forms}}
            if pos:
                token["POS"] = pos
            pattern.append(token)
    if not pattern or pattern[0].get("OP") == "{,4}" or pattern[-1].get("OP") == "{,4}":
        raise ConfigError(f"phrase {phrase!r} must start and end with a word", origin)
    if verb_first and "POS" not in pattern[0]:
        pattern[0] = {**pattern[0], "POS": "VERB"}
    return pattern


# --- gazetteer -----------------------------------------------------------------------------------

KIND_LABELS = {
    "state": "GPE",
    "institution": "ORG",
    "unit": "ORG",
    "person": "PERSON",
    "weapon": "WEAPON",
    "vessel": "VESSEL",
    "place": "GPE",
    "port": "FAC",
}


@dataclass(frozen=True)
class Actor:
    """A canonical actor, place or thing of the gazetteer."""

    id: str
    kind: str
    name: str
    names: tuple[str, ...]
    metonyms: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    affiliation: str | None = None
    role: str | None = None

    @property
    def label(self) -> str:
        """The entity label its names get."""
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class Gazetteer:
    """Canonical actors by id, and every (text, label, id) name pattern for the entity ruler."""

    actors: dict[str, Actor]
    origin: str

    def state_of(self, actor_id: str | None) -> str | None:
        """Follow affiliations up to a state or a top institution: Sabrina Singh -> us-dod -> us."""
        seen: set[str] = set()
        while actor_id is not None and actor_id not in seen:
            seen.add(actor_id)
            actor = self.actors.get(actor_id)
            if actor is None:
                return None
            if actor.kind == "state" or actor.affiliation is None:
                return actor.id
            actor_id = actor.affiliation
        return actor_id

    def patterns(self) -> list[dict[str, Any]]:
        """Entity-ruler patterns for every name, metonym and adjective."""
        rows: list[dict[str, Any]] = []
        for actor in self.actors.values():
            for name in actor.names:
                rows.append({"label": actor.label, "pattern": name, "id": actor.id})
            for name in actor.metonyms:
                rows.append({"label": "GPE", "pattern": name, "id": actor.id})
            for name in actor.adjectives:
                rows.append({"label": "NORP", "pattern": name, "id": actor.id})
        return rows


def _strings(value: Any, where: str, origin: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise ConfigError(f"{where}: expected a list of names", origin)
    return tuple(str(v) for v in value)


def parse_gazetteer(data: Any, origin: str) -> Gazetteer:
    """Validate the gazetteer YAML."""
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
        raise ConfigError("expected a mapping with an 'actors' list", origin)
    actors: dict[str, Actor] = {}
    for number, entry in enumerate(data["actors"], start=1):
        where = f"actors[{number}]"
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("name"):
            raise ConfigError(f"{where}: needs 'id' and 'name'", origin)
        kind = str(entry.get("kind", ""))
        if kind not in KIND_LABELS:
            raise ConfigError(f"{where}: kind must be one of {sorted(KIND_LABELS)}, not {kind!r}", origin)
        actor = Actor(
            id=str(entry["id"]),
            kind=kind,
            name=str(entry["name"]),
            names=_strings(entry.get("names"), where, origin) or (str(entry["name"]),),
            metonyms=_strings(entry.get("metonyms"), where, origin),
            adjectives=_strings(entry.get("adjectives"), where, origin),
            affiliation=str(entry["affiliation"]) if entry.get("affiliation") else None,
            role=str(entry["role"]) if entry.get("role") else None,
        )
        if actor.id in actors:
            raise ConfigError(f"{where}: duplicate id {actor.id!r}", origin)
        actors[actor.id] = actor
    for actor in actors.values():
        if actor.affiliation and actor.affiliation not in actors:
            raise ConfigError(f"actor {actor.id!r}: unknown affiliation {actor.affiliation!r}", origin)
    return Gazetteer(actors=actors, origin=origin)


# --- ontology --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trigger:
    """One trigger phrase of an event type, with its compiled pattern and role overrides."""

    phrase: str
    pattern: list[dict[str, Any]]
    source: tuple[Role, ...]
    target: tuple[Role, ...]
    object_from: ObjectFrom


@dataclass(frozen=True)
class TypeRule:
    """How an event type is recognised and how its slots are filled."""

    type: EventType
    plover: Plover
    description: str
    triggers: tuple[Trigger, ...]
    object_mode: ObjectMode
    object_terms: frozenset[str]
    watched_source: bool
    fallback: EventType | None


@dataclass(frozen=True)
class Ontology:
    """The event ontology in force."""

    version: str
    watched: frozenset[str]
    rules: dict[EventType, TypeRule]
    origin: str
    relevance_mentions: dict[str, int] = field(default_factory=dict)
    """Mentions of a watched actor that make a report relevant with no event of it (relevance-v1)."""
    agent_nouns: frozenset[str] = frozenset()
    """Ships and firms whose state acts through them ("DPRK tanker", "DPRK-flagged vessel")."""


def _roles(value: Any, where: str, origin: str) -> tuple[Role, ...]:
    try:
        return tuple(Role(str(v)) for v in (value or []))
    except ValueError as exc:
        raise ConfigError(f"{where}: unknown role ({exc})", origin) from exc


_E = TypeVar("_E", EventType, Plover, ObjectMode, ObjectFrom)


def _enum_value(kind: type[_E], value: Any, where: str, origin: str) -> _E:
    try:
        return kind(str(value))
    except ValueError as exc:
        allowed = ", ".join(member.value for member in kind)
        raise ConfigError(f"{where}: {value!r} is not one of {allowed}", origin) from exc


def parse_ontology(data: Any, origin: str) -> Ontology:
    """Validate the ontology YAML against the enums in :mod:`watchfloor.extract.ontology`."""
    if not isinstance(data, dict) or not isinstance(data.get("types"), dict):
        raise ConfigError("expected a mapping with a 'types' table", origin)
    if data.get("version") != ONTOLOGY_VERSION:
        raise ConfigError(f"version must be {ONTOLOGY_VERSION!r}", origin)
    rules: dict[EventType, TypeRule] = {}
    for name, spec in data["types"].items():
        where = f"types.{name}"
        event_type = _enum_value(EventType, name, where, origin)
        if not isinstance(spec, dict):
            raise ConfigError(f"{where}: expected a mapping", origin)
        source = _roles(spec.get("source"), f"{where}.source", origin)
        target = _roles(spec.get("target"), f"{where}.target", origin)
        object_from = _enum_value(ObjectFrom, spec.get("object_from", "start"), where, origin)
        triggers: list[Trigger] = []
        for number, raw in enumerate(spec.get("triggers") or [], start=1):
            twhere = f"{where}.triggers[{number}]"
            item = raw if isinstance(raw, dict) else {"pattern": raw}
            phrase = str(item.get("pattern") or "")
            if not phrase:
                raise ConfigError(f"{twhere}: empty trigger", origin)
            triggers.append(
                Trigger(
                    phrase=phrase,
                    pattern=compile_phrase(phrase, origin),
                    source=_roles(item["source"], twhere, origin) if "source" in item else source,
                    target=_roles(item["target"], twhere, origin) if "target" in item else target,
                    object_from=_enum_value(ObjectFrom, item.get("object_from", object_from), twhere, origin),
                )
            )
        fallback = spec.get("fallback")
        rules[event_type] = TypeRule(
            type=event_type,
            plover=_enum_value(Plover, spec.get("plover"), f"{where}.plover", origin),
            description=str(spec.get("description") or ""),
            triggers=tuple(triggers),
            object_mode=_enum_value(ObjectMode, spec.get("object", "np"), where, origin),
            object_terms=frozenset(t.lower() for t in _strings(spec.get("object_terms"), where, origin)),
            watched_source=bool(spec.get("watched_source", False)),
            fallback=_enum_value(EventType, fallback, where, origin) if fallback else None,
        )
    missing = set(EventType) - set(rules)
    if missing:
        raise ConfigError(f"types missing from the ontology: {sorted(missing)}", origin)
    watched = frozenset(str(v) for v in data.get("watched_actors") or [])
    raw = data.get("relevance_mentions") or {}
    if not isinstance(raw, dict) or not all(isinstance(v, int) and v >= 1 for v in raw.values()):
        raise ConfigError("relevance_mentions: expected a mapping of actor -> count (1 or more)", origin)
    mentions = {str(k): int(v) for k, v in raw.items()}
    agents = frozenset(w.lower() for w in _strings(data.get("agent_nouns"), "agent_nouns", origin))
    return Ontology(
        version=str(data["version"]),
        watched=watched,
        rules=rules,
        origin=origin,
        relevance_mentions=mentions,
        agent_nouns=agents,
    )


# --- cues ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """A cue phrase with its compiled pattern, the stance it signals and its hedge penalty."""

    phrase: str
    pattern: list[dict[str, Any]]
    stance: Stance | None = None
    penalty: int = 0


@dataclass(frozen=True)
class Cues:
    """Reporting verbs, stance cues, hedges and base credibility."""

    version: str
    reporting: tuple[Cue, ...]
    stance: tuple[Cue, ...]
    hedges: tuple[Cue, ...]
    base_credibility: dict[Stance, int] = field(default_factory=dict)
    modality: dict[str, frozenset[str]] = field(default_factory=dict)
    """Word forms that make an event ``future`` or ``hypothetical``, and verbs of ``planning``."""


MODALITY_KINDS = ("future", "hypothetical", "planning")


def parse_cues(data: Any, origin: str) -> Cues:
    """Validate the cues YAML."""
    if not isinstance(data, dict):
        raise ConfigError("expected a mapping", origin)
    try:
        reporting = tuple(
            Cue(str(c["cue"]), compile_phrase(str(c["cue"]), origin, verb_first=True), Stance(c["stance"]))
            for c in data.get("reporting") or []
        )
        stance = tuple(
            Cue(str(phrase), compile_phrase(str(phrase), origin), Stance(name))
            for name, phrases in (data.get("stance") or {}).items()
            for phrase in phrases
        )
        hedges = tuple(
            Cue(str(c["cue"]), compile_phrase(str(c["cue"]), origin), None, int(c["penalty"]))
            for c in data.get("hedges") or []
        )
        base = {Stance(k): int(v) for k, v in (data.get("base_credibility") or {}).items()}
        raw_modality = data.get("modality") or {}
        if not isinstance(raw_modality, dict) or set(raw_modality) - set(MODALITY_KINDS):
            raise ConfigError(f"modality: expected a mapping with keys {list(MODALITY_KINDS)}", origin)
        modality = {
            kind: frozenset(
                str(w).lower() for w in _strings(raw_modality.get(kind), f"modality.{kind}", origin)
            )
            for kind in MODALITY_KINDS
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"invalid cue entry: {exc}", origin) from exc
    if set(base) != set(Stance) or not all(1 <= v <= 6 for v in base.values()):
        raise ConfigError("base_credibility needs every stance, each 1-6", origin)
    return Cues(str(data.get("version") or ""), reporting, stance, hedges, base, modality)


# --- loading ----------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """The gazetteer: the shipped one, or the file given."""
    return parse_gazetteer(*read_vocabulary("watchfloor.extract", "gazetteer.yaml", path))


@lru_cache(maxsize=4)
def load_ontology(path: Path | None = None) -> Ontology:
    """The event ontology: the shipped one, or the file given."""
    return parse_ontology(*read_vocabulary("watchfloor.extract", "ontology.yaml", path))


@lru_cache(maxsize=4)
def load_cues(path: Path | None = None) -> Cues:
    """The claim cues: the shipped ones, or the file given."""
    return parse_cues(*read_vocabulary("watchfloor.extract", "cues.yaml", path))


def configured_gazetteer() -> Gazetteer:
    """The gazetteer in force: ``Settings.gazetteer_file`` if set, else the shipped one."""

    return load_gazetteer(get_settings().gazetteer_file)


def configured_ontology() -> Ontology:
    """The ontology in force: ``Settings.ontology_file`` if set, else the shipped one."""

    return load_ontology(get_settings().ontology_file)


def configured_cues() -> Cues:
    """The claim cues in force: ``Settings.cues_file`` if set, else the shipped ones."""

    return load_cues(get_settings().cues_file)
