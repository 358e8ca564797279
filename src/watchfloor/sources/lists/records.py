"""The typed record every sanctions-list reader produces, whatever the format."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date


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


class Schema(enum.StrEnum):
    """Entity kinds, named as FollowTheMoney names them."""

    PERSON = "Person"
    ORGANIZATION = "Organization"
    COMPANY = "Company"
    LEGAL_ENTITY = "LegalEntity"
    VESSEL = "Vessel"
    AIRPLANE = "Airplane"


class NameKind(enum.StrEnum):
    PRIMARY = "primary"
    ALIAS = "alias"
    WEAK = "weak"
    """A low-quality alias (UN 'Low', OFAC 'weak AKA'): matched with care."""
    PREVIOUS = "previous"
    """A former name (vessels, companies)."""


class IdScheme(enum.StrEnum):
    IMO = "imo"
    MMSI = "mmsi"
    CALL_SIGN = "call_sign"
    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    REGISTRATION = "registration"
    TAX_ID = "tax_id"
    SWIFT = "swift"
    OTHER = "other"


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
