"""The event ontology: PLOVER's event types as the backbone, a domain layer for exchanges between
sanctioned states on top, and the closed vocabularies of claims (stance).

The enums are the code's view of ``ontology.yaml``; loading the YAML checks that the two agree.
See ``docs/ontology.md`` for definitions and examples.
"""

from __future__ import annotations

from enum import StrEnum

from watchfloor.model.stance import Stance

ONTOLOGY_VERSION = "watchfloor-ontology-v2"


class Plover(StrEnum):
    """PLOVER event types (Halterman et al., 2023) used as the backbone."""

    AGREE = "AGREE"
    CONSULT = "CONSULT"
    SUPPORT = "SUPPORT"
    CONCEDE = "CONCEDE"
    COOPERATE = "COOPERATE"
    AID = "AID"
    RETREAT = "RETREAT"
    REQUEST = "REQUEST"
    ACCUSE = "ACCUSE"
    REJECT = "REJECT"
    THREATEN = "THREATEN"
    PROTEST = "PROTEST"
    SANCTION = "SANCTION"
    MOBILIZE = "MOBILIZE"
    COERCE = "COERCE"
    ASSAULT = "ASSAULT"
    FIGHT = "FIGHT"


class EventType(StrEnum):
    """Event types watchfloor extracts: the domain layer, then PLOVER types with no domain refinement."""

    TROOP_DEPLOYMENT = "troop_deployment"
    TROOPS_IN_COMBAT = "troops_in_combat"
    CASUALTIES = "casualties"
    ARMS_TRANSFER = "arms_transfer"
    TECHNOLOGY_TRANSFER = "technology_transfer"
    SANCTIONS_EVASION = "sanctions_evasion"
    PORT_CALL = "port_call"
    MILITARY_COOPERATION = "military_cooperation"
    COUNTERMEASURE = "countermeasure"
    DENIAL = "denial"
    AID = "aid"
    CONSULT = "consult"
    ASSAULT = "assault"
    MOBILIZE = "mobilize"


DOMAIN_TYPES = frozenset(
    {
        EventType.TROOP_DEPLOYMENT,
        EventType.TROOPS_IN_COMBAT,
        EventType.CASUALTIES,
        EventType.ARMS_TRANSFER,
        EventType.TECHNOLOGY_TRANSFER,
        EventType.SANCTIONS_EVASION,
        EventType.PORT_CALL,
        EventType.MILITARY_COOPERATION,
        EventType.COUNTERMEASURE,
        EventType.DENIAL,
    }
)
"""The domain layer for exchanges between sanctioned states."""


STANCE_STRENGTH = {Stance.DENIES: 3, Stance.ACCUSES: 2, Stance.SPECULATES: 1, Stance.ASSERTS: 0}
"""When cues of several stances occur in one claim, the strongest wins."""


class Role(StrEnum):
    """Where the rule layer looks for an event's source or target actor (see ontology.yaml)."""

    BEFORE = "before"
    INSIDE = "inside"
    TO = "to"
    AFTER = "after"
    BETWEEN = "between"
    AFTER_CLAUSE = "after_clause"
    PLACE = "place"
    POSSESSOR = "possessor"


class ObjectMode(StrEnum):
    """How much text after the trigger makes the event's object."""

    NP = "np"
    CLAUSE = "clause"
    NONE = "none"


class ObjectFrom(StrEnum):
    """Where the object starts: the trigger's first token, after its leading verb, or after it."""

    START = "start"
    VERB = "verb"
    AFTER = "after"
