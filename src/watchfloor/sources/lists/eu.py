"""EU consolidated list of persons, groups and entities subject to financial sanctions (FSF).

Official XML, schema ``xmlFullSanctionsList_1_1`` (namespace
``http://eu.europa.ec/fpi/fsd/export``): root ``export`` (attribute ``generationDate``) with
one ``sanctionEntity`` per designation (attributes ``logicalId``, ``euReferenceNumber``,
``unitedNationId``, ``designationDetails``), whose children carry their data in attributes:
``regulation`` (``programme``, ``publicationDate``, ``entryIntoForceDate``, ``publicationUrl``
child), ``subjectType`` (``code`` person/enterprise), ``nameAlias`` (``wholeName``,
``firstName``, ``middleName``, ``lastName``, ``nameLanguage``, ``gender``, ``strong``),
``citizenship`` (``countryIso2Code``), ``birthdate`` (``birthdate``, ``year``,
``monthOfYear``, ``dayOfMonth``, ``city``, ``countryDescription``), ``identification``
(``identificationTypeCode`` passport/id/regnumber/..., ``number``, ``countryIso2Code``,
``remark``), ``address`` (``street``, ``city``, ``zipCode``, ``countryDescription``) and
``remark`` elements. The list gives no page per entry: an entry's URL is the Official Journal
act that listed it (the first ``regulation/publicationUrl``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from watchfloor.model.schema import IdScheme, Schema
from watchfloor.sources.lists.parsing import (
    children,
    clean,
    country_code,
    iter_xml,
    parse_partial_date,
    partial_date,
    scheme_for_label,
    script_hint,
    text_of,
    to_date,
    unique,
)
from watchfloor.sources.lists.records import EntryName, Identifier, ListEntry, ListSource, NameKind

_SCHEMAS = {"person": Schema.PERSON, "enterprise": Schema.ORGANIZATION, "vessel": Schema.VESSEL}
_ID_CODES = {
    "passport": IdScheme.PASSPORT,
    "id": IdScheme.NATIONAL_ID,
    "fiscalcode": IdScheme.TAX_ID,
    "regnumber": IdScheme.REGISTRATION,
    "imo": IdScheme.IMO,
    "swiftbic": IdScheme.SWIFT,
}


def published_date(path: Path) -> date | None:
    """``generationDate`` of the ``export`` root element."""
    for kind, elem, _place in iter_xml(path, frozenset()):
        if kind == "root":
            return to_date((elem.get("generationDate") or "")[:10])
        break
    return None


def read_eu(path: Path) -> Iterator[ListEntry]:
    """Stream ``sanctionEntity`` elements of an EU FSF XML file."""
    for kind, elem, place in iter_xml(path, frozenset({"sanctionEntity"})):
        if kind == "item":
            yield _entry(elem, place)


def _entry(elem: ET.Element, place: str) -> ListEntry:
    logical_id = elem.get("logicalId") or place
    subject = next(iter(children(elem, "subjectType")), None)
    schema = _SCHEMAS.get((subject.get("code") if subject is not None else "") or "", Schema.LEGAL_ENTITY)
    names: list[EntryName] = []
    genders: list[str] = []
    for alias in children(elem, "nameAlias"):
        whole = clean(alias.get("wholeName"))
        first, last = clean(alias.get("firstName")), clean(alias.get("lastName"))
        middle = clean(alias.get("middleName"))
        value = whole or " ".join(p for p in (first, middle, last) if p)
        if not value:
            continue
        lang = (alias.get("nameLanguage") or "").lower() or None
        kind = NameKind.ALIAS if names else NameKind.PRIMARY
        if alias.get("strong") == "false":
            kind = NameKind.WEAK
        given = " ".join(p for p in (first, middle) if p) or None
        names.append(
            EntryName(
                value,
                kind,
                lang=script_hint(value) or lang,
                given=given if last else None,
                family=last if given else None,
            )
        )
        if alias_gender := {"M": "male", "F": "female"}.get(alias.get("gender") or ""):
            genders.append(alias_gender)
    nationalities = [c for node in children(elem, "citizenship") if (c := _country(node))]
    birth_dates: list[str] = []
    birth_places: list[str] = []
    for node in children(elem, "birthdate"):
        born = parse_partial_date(node.get("birthdate")) or partial_date(
            node.get("year"), node.get("monthOfYear"), node.get("dayOfMonth")
        )
        if born:
            birth_dates.append(born)
        parts = [clean(node.get(a)) for a in ("place", "city", "region", "countryDescription")]
        if text := ", ".join(p for p in parts if p and p != "UNKNOWN"):
            birth_places.append(text)
    identifiers: list[Identifier] = []
    for node in children(elem, "identification"):
        number = clean(node.get("number"))
        if not number:
            continue
        code = (node.get("identificationTypeCode") or "").lower()
        description = clean(node.get("identificationTypeDescription"))
        scheme = _ID_CODES.get(code) or IdScheme(scheme_for_label(description or code))
        note = "; ".join(p for p in (description, clean(node.get("remark"))) if p) or None
        identifiers.append(Identifier(scheme, number, _country(node), note))
    addresses: list[str] = []
    for node in children(elem, "address"):
        parts = [
            clean(node.get(a))
            for a in ("street", "poBox", "city", "zipCode", "region", "place", "countryDescription")
        ]
        if text := ", ".join(p for p in parts if p and p != "UNKNOWN"):
            addresses.append(text)
    programmes: list[str] = []
    listed: list[date] = []
    urls: list[str] = []
    for node in children(elem, "regulation"):
        if url := text_of(next(iter(children(node, "publicationUrl")), None)):
            urls.append(url)
        if programme := clean(node.get("programme")):
            programmes.append(programme)
        if published := to_date(node.get("publicationDate")):
            listed.append(published)
    remarks = [t for node in children(elem, "remark") if (t := text_of(node))]
    caption = names[0].value if names else logical_id
    eu_ref = elem.get("euReferenceNumber")
    if eu_ref:
        identifiers.append(Identifier(IdScheme.OTHER, eu_ref, note="EU reference number"))
    if un_ref := elem.get("unitedNationId"):
        identifiers.append(Identifier(IdScheme.OTHER, un_ref, note="UN reference number"))
    return ListEntry(
        source=ListSource.EU_FSF,
        entry_id=logical_id,
        schema=schema,
        caption=caption,
        names=names,
        birth_dates=unique(birth_dates),
        birth_places=unique(birth_places),
        nationalities=unique(nationalities),
        gender=genders[0] if genders else None,
        addresses=unique(addresses),
        identifiers=identifiers,
        programmes=unique(programmes),
        listed_on=min(listed) if listed else None,
        remarks="\n".join(remarks) or None,
        url=urls[0] if urls else None,
        place=place,
    )


def _country(node: ET.Element) -> str | None:
    code = (node.get("countryIso2Code") or "").strip().lower()
    if len(code) == 2 and code != "00":
        return code
    return country_code(node.get("countryDescription"))
