"""TLP 2.0 and PAP markings: the levels, the OASIS marking-definition objects, and who may see what.

Every stored item carries a TLP level (a ``tlp`` column, default ``Settings.default_tlp``). The
levels rise ``clear < green < amber < amber+strict < red``. A partner cleared for a level sees what
is marked at or below it; ``red`` never leaves the store through an export (STIX, FtM, TAXII) for
anyone, and only a principal cleared for ``red`` (an admin of this store) sees it in API answers.

The marking-definition objects are the ones OASIS publishes for TLP 2.0 (extension
``extension-definition--60a3c5c5-...``) and for PAP (extension ``extension-definition--f8d78575-...``),
reproduced as published, ids and timestamps included. The stix2 library's ``TLP_*`` constants
are TLP 1.0 and are not used.
"""

from __future__ import annotations

import enum
from typing import Any

from watchfloor.errors import InputError

TLP2_EXTENSION_ID = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
PAP_EXTENSION_ID = "extension-definition--f8d78575-edfd-406e-8e84-6162a8450f5b"


class Tlp(enum.StrEnum):
    """A TLP 2.0 level, least restricted first."""

    CLEAR = "clear"
    GREEN = "green"
    AMBER = "amber"
    AMBER_STRICT = "amber+strict"
    RED = "red"

    @property
    def rank(self) -> int:
        return list(Tlp).index(self)

    @property
    def label(self) -> str:
        """``TLP:AMBER+STRICT``: the name a person reads."""
        return f"TLP:{self.value.upper()}"

    @property
    def marking_id(self) -> str:
        return _TLP_MARKINGS[self][0]

    def marking(self) -> dict[str, Any]:
        """The OASIS marking-definition object of this level, as published."""
        marking_id, created = _TLP_MARKINGS[self]
        return {
            "type": "marking-definition",
            "spec_version": "2.1",
            "id": marking_id,
            "created": created,
            "name": self.label,
            "extensions": {
                TLP2_EXTENSION_ID: {"extension_type": "property-extension", "tlp_2_0": self.value}
            },
        }


class Pap(enum.StrEnum):
    """A PAP (Permissible Actions Protocol) level: what a recipient may do with the information."""

    CLEAR = "clear"
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def marking_id(self) -> str:
        return _PAP_MARKINGS[self][0]

    def marking(self) -> dict[str, Any]:
        """The OASIS PAP marking-definition object of this level, as published."""
        marking_id, created = _PAP_MARKINGS[self]
        return {
            "type": "marking-definition",
            "spec_version": "2.1",
            "id": marking_id,
            "created": created,
            "name": f"PAP:{self.value.upper()}",
            "extensions": {PAP_EXTENSION_ID: {"extension_type": "property-extension", "pap": self.value}},
        }


_TLP_MARKINGS: dict[Tlp, tuple[str, str]] = {
    Tlp.CLEAR: ("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "2022-10-01T00:00:00.000Z"),
    Tlp.GREEN: ("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "2022-10-01T00:00:00.000Z"),
    Tlp.AMBER: ("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "2022-10-01T00:00:00.000Z"),
    Tlp.AMBER_STRICT: (
        "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        "2022-10-01T00:00:00.000Z",
    ),
    Tlp.RED: ("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "2022-10-01T00:00:00.000Z"),
}
_PAP_MARKINGS: dict[Pap, tuple[str, str]] = {
    Pap.CLEAR: ("marking-definition--ad15a0cd-55b6-4588-a14c-a66105329b92", "2022-10-01T00:00:00.000Z"),
    Pap.GREEN: ("marking-definition--c43594d1-4b11-4c59-93ab-1c9b14d53ce9", "2022-10-09T00:00:00.000Z"),
    Pap.AMBER: ("marking-definition--60f8932b-e51e-4458-b265-a2e8be9a80ab", "2022-10-02T00:00:00.000Z"),
    Pap.RED: ("marking-definition--740d36e5-7714-4c30-961a-3ae632ceee0e", "2022-10-06T00:00:00.000Z"),
}
TLP_BY_MARKING_ID = {tlp.marking_id: tlp for tlp in Tlp}
# TLP 1.0 ids (the stix2 library's constants), read on import only: WHITE is CLEAR.
TLP_BY_MARKING_ID.update(
    {
        "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": Tlp.CLEAR,
        "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": Tlp.GREEN,
        "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": Tlp.AMBER,
        "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": Tlp.RED,
    }
)

ROLE_LEVELS = {"viewer": Tlp.AMBER, "analyst": Tlp.AMBER_STRICT, "admin": Tlp.RED}
"""The level an API principal of each role is cleared for: only admins see TLP:RED."""


def parse_tlp(value: str | Tlp, where: str = "--tlp") -> Tlp:
    """``amber``, ``AMBER``, ``TLP:AMBER`` or ``white`` (TLP 1.0 for clear) as a level."""
    if isinstance(value, Tlp):
        return value
    text = value.strip().lower().removeprefix("tlp:")
    if text == "white":
        return Tlp.CLEAR
    try:
        return Tlp(text)
    except ValueError:
        choices = ", ".join(t.value for t in Tlp)
        raise InputError(where, f"unknown TLP level {value!r} (one of {choices})") from None


def parse_pap(value: str | Pap, where: str = "--pap") -> Pap:
    if isinstance(value, Pap):
        return value
    text = value.strip().lower().removeprefix("pap:")
    if text == "white":
        return Pap.CLEAR
    try:
        return Pap(text)
    except ValueError:
        raise InputError(where, f"unknown PAP level {value!r} (one of clear, green, amber, red)") from None


def strictest(*levels: str | Tlp | None) -> Tlp:
    """The most restricted of ``levels`` (what a record derived from them must carry)."""
    found = [parse_tlp(level, "marking") for level in levels if level]
    return max(found, key=lambda t: t.rank) if found else Tlp.CLEAR


def _level_or_red(marking: str | Tlp | None) -> Tlp:
    try:
        return parse_tlp(marking or "red", "marking")
    except InputError:
        return Tlp.RED


def visible(marking: str | Tlp, principal_level: str | Tlp) -> bool:
    """Whether an item marked ``marking`` may be shown to a principal cleared for ``principal_level``.

    For API answers: the item's level must not exceed the principal's; ``red`` is shown only to a
    principal cleared for ``red``. An unknown marking is treated as ``red`` (fail closed).
    """
    return _level_or_red(marking).rank <= parse_tlp(principal_level, "principal level").rank


def exportable(marking: str | Tlp, partner_level: str | Tlp) -> bool:
    """Whether an item may leave the store for a partner cleared for ``partner_level``.

    Never for ``red``, whatever the partner's level; otherwise as :func:`visible`.
    """
    return visible(marking, partner_level) and _level_or_red(marking) is not Tlp.RED


def level_for_role(role: Any) -> Tlp:
    """The TLP level a principal's role is cleared for (``role`` may be an enum or its name)."""
    name = str(getattr(role, "value", role)).lower()
    return ROLE_LEVELS.get(name, Tlp.CLEAR)
