"""UN Security Council Consolidated List, official XML (``consolidated.xml``).

Schema: https://www.un.org/sc/resources/sc-sanctions.xsd. Root ``CONSOLIDATED_LIST`` with
``INDIVIDUALS/INDIVIDUAL`` and ``ENTITIES/ENTITY``; names in ``FIRST_NAME`` .. ``FOURTH_NAME``,
``NAME_ORIGINAL_SCRIPT`` for the name in its own script, aliases with a ``QUALITY`` of
``Good``/``a.k.a.`` (strong) or ``Low`` (weak), ``f.k.a.`` for former names.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from watchfloor.model.schema import IdScheme, Schema
from watchfloor.sources.lists.parsing import (
    child_text,
    children,
    clean,
    country_code,
    iter_xml,
    parse_partial_date,
    partial_date,
    script_hint,
    text_of,
    to_date,
    unique,
)
from watchfloor.sources.lists.records import EntryName, Identifier, ListEntry, ListSource, NameKind

SEARCH_URL = "https://scsanctions.un.org/search/?keywords={ref}"
"""The UN list has no page per entry; its search, keyed by the reference number, stands in."""

_ITEMS = frozenset({"INDIVIDUAL", "ENTITY"})
_ORIGINAL_SCRIPT = re.compile(r"^(.*?)\s*\(original script:\s*(.+?)\)\s*$", re.IGNORECASE)
_IMO = re.compile(r"\bIMO(?:\s*(?:number|no\.?|:))?\s*:?\s*(\d{7})\b", re.IGNORECASE)


def published_date(path: Path) -> date | None:
    """The ``dateGenerated`` attribute of the root element."""
    for kind, elem, _place in iter_xml(path, frozenset()):
        if kind == "root":
            return to_date((elem.get("dateGenerated") or "")[:10])
        break
    return None


def read_un(path: Path) -> Iterator[ListEntry]:
    """Stream every INDIVIDUAL and ENTITY of a UN consolidated list file."""
    for kind, elem, place in iter_xml(path, _ITEMS):
        if kind == "item":
            yield _entry(elem, place)


def _entry(elem: ET.Element, place: str) -> ListEntry:
    is_person = elem.tag.endswith("INDIVIDUAL")
    ref = child_text(elem, "REFERENCE_NUMBER") or child_text(elem, "DATAID") or place
    parts = [child_text(elem, tag) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    full = " ".join(p for p in parts if p)
    # FIRST_NAME is not reliably the given name (DPRK entries put the family name there), so
    # the parts are kept only as the full name, in the list's order.
    names: list[EntryName] = [EntryName(full, NameKind.PRIMARY)] if full else []
    original = child_text(elem, "NAME_ORIGINAL_SCRIPT")
    if original:
        names.append(EntryName(original, NameKind.PRIMARY, lang=script_hint(original)))
    birth_dates: list[str] = []
    birth_places: list[str] = []
    for alias in children(elem, "INDIVIDUAL_ALIAS") + children(elem, "ENTITY_ALIAS"):
        value = child_text(alias, "ALIAS_NAME")
        if not value:
            continue
        quality = (child_text(alias, "QUALITY") or "").lower()
        kind = NameKind.ALIAS
        if quality == "low":
            kind = NameKind.WEAK
        elif quality == "f.k.a.":
            kind = NameKind.PREVIOUS
        # "Amir Khazmat (original script: Амир Хазмат)": two names, each in its own script.
        if match := _ORIGINAL_SCRIPT.match(value):
            latin, original_alias = match.group(1).strip(), match.group(2).strip()
            names.append(EntryName(latin, kind, lang=script_hint(latin)))
            names.append(EntryName(original_alias, kind, lang=script_hint(original_alias)))
        else:
            names.append(EntryName(value, kind, lang=script_hint(value)))
        # Some aliases carry their own date and place of birth.
        if alias_dob := parse_partial_date(child_text(alias, "DATE_OF_BIRTH")):
            birth_dates.append(alias_dob)
    for dob_node in children(elem, "INDIVIDUAL_DATE_OF_BIRTH"):
        birth_dates.extend(_dobs(dob_node))
    for pob in children(elem, "INDIVIDUAL_PLACE_OF_BIRTH"):
        text = ", ".join(
            v for v in (child_text(pob, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")) if v
        )
        if text:
            birth_places.append(text)
    nationalities = [
        code
        for node in children(elem, "NATIONALITY")
        for value in children(node, "VALUE")
        if (code := country_code(text_of(value)))
    ]
    addresses = []
    for addr in children(elem, "INDIVIDUAL_ADDRESS") + children(elem, "ENTITY_ADDRESS"):
        text = ", ".join(
            v
            for v in (
                child_text(addr, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
            )
            if v
        )
        note = child_text(addr, "NOTE")
        if text:
            addresses.append(f"{text} ({note})" if note else text)
    identifiers: list[Identifier] = []
    for doc in children(elem, "INDIVIDUAL_DOCUMENT"):
        number = clean(child_text(doc, "NUMBER"))
        if not number:
            continue
        doc_type = (child_text(doc, "TYPE_OF_DOCUMENT") or "").lower()
        scheme = IdScheme.OTHER
        if "pass" in doc_type or "pasaporte" in doc_type:
            scheme = IdScheme.PASSPORT
        elif "national" in doc_type or "identi" in doc_type:
            scheme = IdScheme.NATIONAL_ID
        country = country_code(child_text(doc, "ISSUING_COUNTRY") or child_text(doc, "COUNTRY_OF_ISSUE"))
        note = "; ".join(v for v in (child_text(doc, "TYPE_OF_DOCUMENT2"), child_text(doc, "NOTE")) if v)
        identifiers.append(Identifier(scheme, number, country, note or None))
    remarks = child_text(elem, "COMMENTS1")
    if remarks and not is_person:
        # Vessels listed as UN entities give their IMO number only in the comments.
        identifiers.extend(Identifier(IdScheme.IMO, imo) for imo in unique(_IMO.findall(remarks)))
    programme = child_text(elem, "UN_LIST_TYPE")
    gender = (child_text(elem, "GENDER") or "").lower() or None
    schema = Schema.PERSON if is_person else Schema.ORGANIZATION
    return ListEntry(
        source=ListSource.UN_SC,
        entry_id=ref,
        schema=schema,
        caption=full or (original or ref),
        names=names,
        birth_dates=unique(birth_dates),
        birth_places=unique(birth_places),
        nationalities=unique(nationalities),
        gender=gender if gender in ("male", "female") else None,
        addresses=unique(addresses),
        identifiers=identifiers,
        programmes=[programme] if programme else [],
        listed_on=to_date(child_text(elem, "LISTED_ON")),
        remarks=remarks,
        url=SEARCH_URL.format(ref=ref),
        place=place,
    )


def _dobs(node: ET.Element) -> list[str]:
    exact = parse_partial_date(child_text(node, "DATE"))
    if exact:
        return [exact]
    year = child_text(node, "YEAR")
    if year:
        value = partial_date(year)
        return [value] if value else []
    low, high = child_text(node, "FROM_YEAR"), child_text(node, "TO_YEAR")
    if low and high and low.isdigit() and high.isdigit() and 0 <= int(high) - int(low) <= 20:
        # A range: every year in it is a possible birth year.
        return [f"{y:04d}" for y in range(int(low), int(high) + 1)]
    return []
