"""OFAC ``sdn_advanced.xml``: the UN "Advanced Sanctions List Standard" (ADVANCED_XML) format.

Layout (schema ``ADVANCED_XML.xsd``; namespace
``https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML``):
``Sanctions`` with ``DateOfIssue``; ``ReferenceValueSets`` (look-up tables: AliasType,
Country, DetailReference, FeatureType, IDRegDocType, PartySubType, PartyType, Script,
NamePartType, ...); ``Locations``; ``IDRegDocuments`` (passports, IMO numbers, registration
numbers, each pointing at an ``IdentityID``); ``DistinctParties/DistinctParty/Profile`` with
``Identity/Alias/DocumentedName/DocumentedNamePart/NamePartValue`` and ``Feature`` (birth date,
place of birth, nationality, gender, vessel flag, call sign, MMSI ...); and at the end
``SanctionsEntries/SanctionsEntry`` (``ProfileID``; ``EntryEvent/Date`` the listing date;
``SanctionsMeasure/Comment`` the programme).

Because programmes come after the parties, the file is read twice: first every section but
the parties (small), then the parties, streamed one at a time.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from watchfloor.model.schema import IdScheme, Schema
from watchfloor.sources.lists.parsing import (
    child,
    child_text,
    children,
    descendants,
    imo_number,
    iter_xml,
    local_name,
    partial_date,
    scheme_for_label,
    script_hint,
    text_of,
    to_date,
    unique,
)
from watchfloor.sources.lists.records import EntryName, Identifier, ListEntry, ListSource, NameKind

ENTRY_URL = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={id}"

_FIRST_PASS = frozenset({"DateOfIssue", "ReferenceValueSets", "Location", "IDRegDocument", "SanctionsEntry"})


@dataclass
class _Lookups:
    values: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    """Reference value set name (``AliasType``) -> id -> text."""
    attrs: dict[str, dict[str, dict[str, str]]] = field(default_factory=lambda: defaultdict(dict))
    locations: dict[str, str] = field(default_factory=dict)
    location_country: dict[str, str] = field(default_factory=dict)
    documents: dict[str, list[Identifier]] = field(default_factory=lambda: defaultdict(list))
    programmes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    listed: dict[str, list[date]] = field(default_factory=lambda: defaultdict(list))
    issued: date | None = None

    def text(self, kind: str, ref: str | None) -> str:
        return self.values[kind].get(ref or "", "") if ref else ""


def published_date(path: Path) -> date | None:
    """``DateOfIssue`` of the file."""
    for kind, elem, _place in iter_xml(path, frozenset({"DateOfIssue"})):
        if kind == "item":
            return to_date(
                partial_date(child_text(elem, "Year"), child_text(elem, "Month"), child_text(elem, "Day"))
            )
    return None


def _first_pass(path: Path) -> _Lookups:
    lookups = _Lookups()
    for kind, elem, _place in iter_xml(path, _FIRST_PASS, discard=frozenset({"DistinctParty"})):
        if kind != "item":
            continue
        name = local_name(elem.tag)
        if name == "DateOfIssue":
            lookups.issued = to_date(
                partial_date(child_text(elem, "Year"), child_text(elem, "Month"), child_text(elem, "Day"))
            )
        elif name == "ReferenceValueSets":
            for value_set in elem:
                for value in value_set:
                    ref_kind, ref_id = local_name(value.tag), value.get("ID")
                    if ref_id is not None:
                        lookups.values[ref_kind][ref_id] = text_of(value) or ""
                        lookups.attrs[ref_kind][ref_id] = dict(value.attrib)
        elif name == "Location":
            _location(lookups, elem)
        elif name == "IDRegDocument":
            number = child_text(elem, "IDRegistrationNo")
            identity = elem.get("IdentityID")
            if number and identity:
                label = lookups.text("IDRegDocType", elem.get("IDRegDocTypeID"))
                country_id = elem.get("IssuedBy-CountryID")
                country = lookups.attrs["Country"].get(country_id or "", {}).get("ISO2")
                scheme = IdScheme(scheme_for_label(label)) if label else IdScheme.OTHER
                if scheme is IdScheme.IMO:
                    imo = imo_number(number)
                    scheme, number = (IdScheme.IMO, imo) if imo else (IdScheme.REGISTRATION, number)
                lookups.documents[identity].append(
                    Identifier(scheme, number, country.lower() if country else None, label or None)
                )
        elif name == "SanctionsEntry":
            profile = elem.get("ProfileID") or ""
            for measure in children(elem, "SanctionsMeasure"):
                if (comment := child_text(measure, "Comment")) and lookups.text(
                    "SanctionsType", measure.get("SanctionsTypeID")
                ).lower() in ("", "program"):
                    lookups.programmes[profile].append(comment)
            for event in children(elem, "EntryEvent"):
                when = child(event, "Date")
                if when is not None and (
                    listed := to_date(
                        partial_date(
                            child_text(when, "Year"), child_text(when, "Month"), child_text(when, "Day")
                        )
                    )
                ):
                    lookups.listed[profile].append(listed)
    return lookups


def _location(lookups: _Lookups, elem: ET.Element) -> None:
    parts = [text_of(value) for value in descendants(elem, "Value")]
    country_node = child(elem, "LocationCountry")
    country_name = ""
    if country_node is not None:
        country_id = country_node.get("CountryID") or ""
        country_name = lookups.text("Country", country_id)
        iso = lookups.attrs["Country"].get(country_id, {}).get("ISO2")
        if iso:
            lookups.location_country[elem.get("ID") or ""] = iso.lower()
    text = ", ".join(p for p in [*parts, country_name] if p)
    if text:
        lookups.locations[elem.get("ID") or ""] = text


def read_ofac_advanced(path: Path) -> Iterator[ListEntry]:
    """Stream the distinct parties of an ``sdn_advanced.xml`` file as list entries."""
    lookups = _first_pass(path)
    for kind, elem, place in iter_xml(path, frozenset({"DistinctParty"})):
        if kind == "item":
            yield _party(elem, place, lookups)


def _party(elem: ET.Element, place: str, lookups: _Lookups) -> ListEntry:
    fixed_ref = elem.get("FixedRef") or place
    profile = child(elem, "Profile")
    if profile is None:
        profile = elem
    profile_id = profile.get("ID") or fixed_ref
    subtype_id = profile.get("PartySubTypeID") or ""
    subtype = lookups.text("PartySubType", subtype_id).lower()
    party_type = lookups.text(
        "PartyType", lookups.attrs["PartySubType"].get(subtype_id, {}).get("PartyTypeID")
    ).lower()
    schema = Schema.ORGANIZATION
    if "vessel" in subtype:
        schema = Schema.VESSEL
    elif "aircraft" in subtype:
        schema = Schema.AIRPLANE
    elif "individual" in party_type or "individual" in subtype:
        schema = Schema.PERSON
    names: list[EntryName] = []
    identifiers: list[Identifier] = []
    for identity in children(profile, "Identity"):
        part_types = {
            group.get("ID") or "": lookups.text("NamePartType", group.get("NamePartTypeID")).lower()
            for group in descendants(identity, "NamePartGroup")
        }
        for alias in children(identity, "Alias"):
            alias_type = lookups.text("AliasType", alias.get("AliasTypeID")).lower()
            kind = NameKind.PRIMARY if alias.get("Primary") == "true" else NameKind.ALIAS
            if alias.get("LowQuality") == "true":
                kind = NameKind.WEAK
            elif "f.k.a" in alias_type:
                kind = NameKind.PREVIOUS
            for documented in children(alias, "DocumentedName"):
                given: list[str] = []
                family: list[str] = []
                other: list[str] = []
                for value in descendants(documented, "NamePartValue"):
                    text = text_of(value)
                    if not text:
                        continue
                    part_type = part_types.get(value.get("NamePartGroupID") or "", "")
                    if "last" in part_type:
                        family.append(text)
                    elif "first" in part_type or "middle" in part_type or "patronymic" in part_type:
                        given.append(text)
                    else:
                        other.append(text)
                if family and given:
                    full = f"{' '.join(family)}, {' '.join(given)}"
                else:
                    full = " ".join(other + given + family)
                if full:
                    names.append(
                        EntryName(
                            full,
                            kind,
                            lang=script_hint(full),
                            given=" ".join(given) or None if family else None,
                            family=" ".join(family) or None if given else None,
                        )
                    )
        identifiers.extend(lookups.documents.get(identity.get("ID") or "", []))
    birth_dates: list[str] = []
    birth_places: list[str] = []
    nationalities: list[str] = []
    addresses: list[str] = []
    gender: str | None = None
    for feature in children(profile, "Feature"):
        feature_type = lookups.text("FeatureType", feature.get("FeatureTypeID")).lower()
        for version in children(feature, "FeatureVersion"):
            details: list[str] = []
            for detail in children(version, "VersionDetail"):
                detail_text = text_of(detail) or lookups.text(
                    "DetailReference", detail.get("DetailReferenceID")
                )
                if detail_text:
                    details.append(detail_text)
            location_ids = [loc.get("LocationID") or "" for loc in children(version, "VersionLocation")]
            if "birthdate" in feature_type or "date of birth" in feature_type:
                for start in descendants(version, "From"):
                    born = partial_date(
                        child_text(start, "Year"), child_text(start, "Month"), child_text(start, "Day")
                    )
                    if born:
                        birth_dates.append(born)
                        break
            elif "place of birth" in feature_type:
                birth_places.extend(lookups.locations[i] for i in location_ids if i in lookups.locations)
            elif "nationality" in feature_type or "citizenship" in feature_type or "flag" in feature_type:
                nationalities.extend(
                    lookups.location_country[i] for i in location_ids if i in lookups.location_country
                )
                for country_name in details:
                    if (code := _country_code(lookups, country_name)) is not None:
                        nationalities.append(code)
            elif "gender" in feature_type:
                gender = details[0].lower() if details else None
            elif feature_type == "location" or "address" in feature_type:
                addresses.extend(lookups.locations[i] for i in location_ids if i in lookups.locations)
            elif "mmsi" in feature_type:
                identifiers.extend(Identifier(IdScheme.MMSI, v) for v in details)
            elif "call sign" in feature_type:
                identifiers.extend(Identifier(IdScheme.CALL_SIGN, v) for v in details)
            elif "imo" in feature_type:
                identifiers.extend(
                    Identifier(IdScheme.IMO, v.upper().removeprefix("IMO").strip()) for v in details
                )
    caption = next(
        (n.value for n in names if n.kind is NameKind.PRIMARY), names[0].value if names else fixed_ref
    )
    listed = lookups.listed.get(profile_id, [])
    remarks = child_text(elem, "Comment")
    return ListEntry(
        source=ListSource.US_OFAC_SDN,
        entry_id=fixed_ref,
        schema=schema,
        caption=caption,
        names=names,
        birth_dates=unique(birth_dates),
        birth_places=unique(birth_places),
        nationalities=unique(nationalities),
        gender=gender if gender in ("male", "female") else None,
        addresses=unique(addresses),
        identifiers=identifiers,
        programmes=unique(lookups.programmes.get(profile_id, [])),
        listed_on=min(listed) if listed else None,
        remarks=remarks,
        url=ENTRY_URL.format(id=fixed_ref),
        place=place,
    )


def _country_code(lookups: _Lookups, name: str) -> str | None:
    for ref_id, text in lookups.values["Country"].items():
        if text.lower() == name.lower():
            iso = lookups.attrs["Country"].get(ref_id, {}).get("ISO2")
            return iso.lower() if iso else None
    return None
