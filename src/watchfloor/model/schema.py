"""Entity kinds and identifier schemes, named as FollowTheMoney names them.

A list entry, a mention in a report and a node of the evidence graph all carry a :class:`Schema`.
Which schemata can match each other is FollowTheMoney's answer (:func:`can_match`), asked lazily
because importing ``followthemoney`` costs about a second.
"""

from __future__ import annotations

import enum
from functools import lru_cache


class Schema(enum.StrEnum):
    """Entity kinds, named as FollowTheMoney names them."""

    PERSON = "Person"
    ORGANIZATION = "Organization"
    COMPANY = "Company"
    LEGAL_ENTITY = "LegalEntity"
    VESSEL = "Vessel"
    AIRPLANE = "Airplane"
    COUNTRY = "Country"
    """A state as an actor of the evidence graph (``kp``, ``ru``). Not an FtM schema (FtM holds
    countries as a property type) and never on a sanctions list; exported as FtM ``PublicBody``."""


LISTED_SCHEMAS = tuple(s for s in Schema if s is not Schema.COUNTRY)
"""The schemata a sanctions-list entry, or a screening query, can have."""

_FTM_NAME = {Schema.COUNTRY: "PublicBody"}


def ftm_schema_name(schema: Schema) -> str:
    """The FollowTheMoney schema an entity of ``schema`` is exported as."""
    return _FTM_NAME.get(schema, schema.value)


@lru_cache(maxsize=64)
def can_match(left: Schema, right: Schema) -> bool:
    """Whether entities of the two schemata may be the same thing, by FollowTheMoney's model."""
    from followthemoney import model  # lazy: importing followthemoney costs about a second

    return bool(model.schemata[ftm_schema_name(left)].can_match(model.schemata[ftm_schema_name(right)]))


class IdScheme(enum.StrEnum):
    """Kinds of identifier an entity carries."""

    IMO = "imo"
    MMSI = "mmsi"
    CALL_SIGN = "call_sign"
    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    REGISTRATION = "registration"
    TAX_ID = "tax_id"
    SWIFT = "swift"
    OTHER = "other"
