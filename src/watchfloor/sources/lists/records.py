"""The typed record every sanctions-list reader produces, whatever the format."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from watchfloor.model.schema import IdScheme, Schema


class ListSource(enum.StrEnum):
    """The lists watchfloor knows, by their stable short name."""

    UN_SC = "un_sc"
    """UN Security Council consolidated list."""
    US_OFAC_SDN = "us_ofac_sdn"
    """OFAC Specially Designated Nationals list."""
    GB_HMT = "gb_uk"
    """UK sanctions list (FCDO / OFSI)."""
    EU_FSF = "eu_fsf"
    """EU consolidated financial sanctions list."""
    FTM = "ftm"
    """A FollowTheMoney export (e.g. OpenSanctions)."""


class NameKind(enum.StrEnum):
    PRIMARY = "primary"
    ALIAS = "alias"
    WEAK = "weak"
    """A low-quality alias (UN 'Low', OFAC 'weak AKA'): matched with care."""
    PREVIOUS = "previous"
    """A former name (vessels, companies)."""


@dataclass(frozen=True)
class EntryName:
    """One name of an entry, as written on the list, in whatever script."""

    value: str
    kind: NameKind = NameKind.PRIMARY
    lang: str | None = None
    """ISO 639 code or script hint where the list gives one (``ko``, ``ru``, ``Hang``)."""
    given: str | None = None
    family: str | None = None
    """Name parts, where the list separates them (UN FIRST_NAME / SECOND_NAME, OFAC 'LAST, First')."""


@dataclass(frozen=True)
class Identifier:
    scheme: IdScheme
    value: str
    country: str | None = None
    note: str | None = None


def unique_identifiers(identifiers: list[Identifier]) -> list[Identifier]:
    """Identifiers in their first order, without repeats of the same scheme and value (any case)."""
    seen: set[tuple[str, str]] = set()
    out: list[Identifier] = []
    for ident in identifiers:
        key = (ident.scheme.value, ident.value.upper())
        if key not in seen:
            seen.add(key)
            out.append(ident)
    return out


@dataclass
class ListEntry:
    """One designation on one list: a person, organisation or vessel with all it carries.

    ``place`` is the provenance inside the file: an XPath-like path, a CSV row number.
    """

    source: ListSource
    entry_id: str
    """The list's own id (UN reference number, OFAC ent_num, UK unique id)."""
    schema: Schema
    caption: str
    names: list[EntryName] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    """ISO dates, possibly partial: ``1984-01-08``, ``1984-01``, ``1984``."""
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    """ISO 3166-1 alpha-2 codes, lower case (``kp``, ``ru``), where they can be resolved."""
    gender: str | None = None
    addresses: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    listed_on: date | None = None
    remarks: str | None = None
    url: str | None = None
    place: str | None = None

    @property
    def key(self) -> str:
        """Unique across lists: ``us_ofac_sdn:1234``."""
        return f"{self.source.value}:{self.entry_id}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (enums as values, dates as ISO strings); see :meth:`from_dict`."""
        return {
            "source": self.source.value,
            "entry_id": self.entry_id,
            "schema": self.schema.value,
            "caption": self.caption,
            "names": [
                {
                    k: v
                    for k, v in (
                        ("value", n.value),
                        ("kind", n.kind.value),
                        ("lang", n.lang),
                        ("given", n.given),
                        ("family", n.family),
                    )
                    if v is not None
                }
                for n in self.names
            ],
            "birth_dates": list(self.birth_dates),
            "birth_places": list(self.birth_places),
            "nationalities": list(self.nationalities),
            "gender": self.gender,
            "addresses": list(self.addresses),
            "identifiers": [
                {
                    k: v
                    for k, v in (
                        ("scheme", i.scheme.value),
                        ("value", i.value),
                        ("country", i.country),
                        ("note", i.note),
                    )
                    if v is not None
                }
                for i in self.identifiers
            ],
            "programmes": list(self.programmes),
            "listed_on": self.listed_on.isoformat() if self.listed_on else None,
            "remarks": self.remarks,
            "url": self.url,
            "place": self.place,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ListEntry:
        """Rebuild an entry from :meth:`to_dict` output (e.g. ``ListEntryRecord.data``)."""
        listed = data.get("listed_on")
        return cls(
            source=ListSource(data["source"]),
            entry_id=data["entry_id"],
            schema=Schema(data["schema"]),
            caption=data["caption"],
            names=[
                EntryName(
                    n["value"],
                    NameKind(n.get("kind", "primary")),
                    n.get("lang"),
                    n.get("given"),
                    n.get("family"),
                )
                for n in data.get("names", [])
            ],
            birth_dates=list(data.get("birth_dates", [])),
            birth_places=list(data.get("birth_places", [])),
            nationalities=list(data.get("nationalities", [])),
            gender=data.get("gender"),
            addresses=list(data.get("addresses", [])),
            identifiers=[
                Identifier(IdScheme(i["scheme"]), i["value"], i.get("country"), i.get("note"))
                for i in data.get("identifiers", [])
            ],
            programmes=list(data.get("programmes", [])),
            listed_on=date.fromisoformat(listed) if listed else None,
            remarks=data.get("remarks"),
            url=data.get("url"),
            place=data.get("place"),
        )
