"""UK Sanctions List (FCDO): the official XML, and the derived relational CSV tables.

Official XML (``UK-Sanctions-List.xml``, FCDO "UK Sanctions List data format" guide): root
``Designations`` with one ``Designation`` per subject: ``UniqueID`` (``RUS0001``),
``OFSIGroupID``, ``UNReferenceNumber``, ``DateDesignated``, ``LastUpdated``, ``RegimeName``,
``IndividualEntityShip``, ``Names/Name`` (``Name1``..``Name6``, Name6 being the family name;
``NameType`` Primary Name / Primary Name Variation / Alias; ``AliasStrength``),
``NonLatinNames/NonLatinName/NameNonLatinScript``, ``Addresses/Address``, and per kind
``IndividualDetails`` (DOBs, Nationalities, PassportDetails, NationalIdentifierDetails,
BirthDetails, Genders), ``EntityDetails`` (BusinessRegistrationNumbers) and ``ShipDetails``
(IMONumbers, CurrentBelievedFlagOfShips, CallSigns). The reader looks leaves up by name
inside each Designation so that the container levels may vary between releases.

Derived tables (``uk_sanctions_list_derived_*.csv.gz``, see shared/data PROVENANCE): subjects,
subject_names, subject_dobs, subject_countries, subject_identifiers joined on ``unique_id``.
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from watchfloor.errors import InputError
from watchfloor.model.schema import IdScheme, Schema
from watchfloor.sources.lists.parsing import (
    child_text,
    clean,
    country_code,
    descendants,
    iter_xml,
    parse_partial_date,
    partial_date,
    script_hint,
    text_of,
    text_stream,
    to_date,
    unique,
)
from watchfloor.sources.lists.records import (
    EntryName,
    Identifier,
    ListEntry,
    ListSource,
    NameKind,
    unique_identifiers,
)

TABLE_PREFIX = "uk_sanctions_list_derived_"
TABLES = ("subjects", "subject_names", "subject_dobs", "subject_countries", "subject_identifiers")
_SCHEMAS = {"individual": Schema.PERSON, "entity": Schema.ORGANIZATION, "ship": Schema.VESSEL}
_IDS = {
    "passport": IdScheme.PASSPORT,
    "national": IdScheme.NATIONAL_ID,
    "business_registration_numbers": IdScheme.REGISTRATION,
    "imo": IdScheme.IMO,
}
_IMO = re.compile(r"(\d{7})")


def _uk_date(text: str | None) -> date | None:
    """``dd/mm/yyyy`` or ISO ``yyyy-mm-ddT...`` to a date."""
    if not text:
        return None
    return to_date(text[:10])


def _uk_dob(text: str) -> str | None:
    """``dd/mm/yyyy`` with ``00`` for unknown parts (``00/00/1964``), or ISO."""
    parts = text.strip().split("/")
    if len(parts) == 3:
        return partial_date(parts[2], parts[1], parts[0])
    return parse_partial_date(text)


# -- derived tables -------------------------------------------------------------------------


def table_paths(path: Path) -> dict[str, Path]:
    """The five derived table files next to ``path`` (any one of them, or their folder)."""
    folder = path if path.is_dir() else path.parent
    found: dict[str, Path] = {}
    for table in TABLES:
        for suffix in (".csv.gz", ".csv"):
            candidate = folder / f"{TABLE_PREFIX}{table}{suffix}"
            if candidate.is_file():
                found[table] = candidate
                break
    if "subjects" not in found:
        raise InputError(path, f"no {TABLE_PREFIX}subjects.csv(.gz) table found in {folder}")
    return found


def _table(path: Path, required: set[str]) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(text_stream(path, "utf-8"), strict=True)
    try:
        missing = required - set(reader.fieldnames or [])  # reads the header: a csv.Error here too
        if missing:
            raise InputError(path, f"missing columns {sorted(missing)} (not a UK derived table?)", "line 1")
        for row in reader:
            if None in row or any(v is None for v in row.values()):
                raise InputError(
                    path, "row has the wrong number of fields (truncated?)", f"line {reader.line_num}"
                )
            yield reader.line_num, row
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV: {exc}", f"line {reader.line_num}") from exc


def read_uk_tables(path: Path) -> Iterator[ListEntry]:
    """Stream UK subjects from the derived tables; the detail tables are grouped first."""
    paths = table_paths(path)
    names: dict[str, list[EntryName]] = defaultdict(list)
    dobs: dict[str, list[str]] = defaultdict(list)
    nationalities: dict[str, list[str]] = defaultdict(list)
    birth_places: dict[str, list[str]] = defaultdict(list)
    addresses: dict[str, list[str]] = defaultdict(list)
    identifiers: dict[str, list[Identifier]] = defaultdict(list)
    if "subject_names" in paths:
        for _line, row in _table(paths["subject_names"], {"unique_id", "name_type", "full_name"}):
            value = clean(row["full_name"])
            if not value:
                continue
            name_type = row["name_type"]
            kind = NameKind.PRIMARY if name_type == "primary" else NameKind.ALIAS
            if row.get("alias_strength") == "low_quality_aka":
                kind = NameKind.WEAK
            given = clean(" ".join(row.get(f"name_{i}", "") for i in range(1, 6)))
            family = clean(row.get("name_6"))
            split = bool(given and family and family != value)
            names[row["unique_id"]].append(
                EntryName(
                    value,
                    kind,
                    lang=script_hint(value),
                    given=given if split else None,
                    family=family if split else None,
                )
            )
    if "subject_dobs" in paths:
        for _line, row in _table(paths["subject_dobs"], {"unique_id", "year", "month", "day"}):
            if value := partial_date(row["year"], row["month"], row["day"]):
                dobs[row["unique_id"]].append(value)
    if "subject_countries" in paths:
        for _line, row in _table(
            paths["subject_countries"], {"unique_id", "raw_value", "country_type", "iso"}
        ):
            uid, raw, kind_text = row["unique_id"], clean(row["raw_value"]), row["country_type"]
            code = (row["iso"] or "").strip().lower() or None
            if kind_text == "nationality" and code and len(code) == 2:
                nationalities[uid].append(code)
            elif kind_text == "birth" and raw:
                birth_places[uid].append(raw)
            elif kind_text == "address" and raw:
                addresses[uid].append(raw)
    if "subject_identifiers" in paths:
        for _line, row in _table(paths["subject_identifiers"], {"unique_id", "raw_value", "identifier_type"}):
            value = clean(row["raw_value"])
            if not value:
                continue
            scheme = _IDS.get(row["identifier_type"], IdScheme.OTHER)
            if scheme is IdScheme.IMO and (imo := _IMO.search(value)):
                value = imo.group(1)
            identifiers[row["unique_id"]].append(
                Identifier(scheme, value, note=clean(row.get("additional_info")))
            )
    subjects = paths["subjects"]
    for line, row in _table(subjects, {"unique_id", "subject_type", "date_designated"}):
        uid = row["unique_id"].strip()
        schema = _SCHEMAS.get(row["subject_type"].strip().lower(), Schema.LEGAL_ENTITY)
        entry_names = _dedupe_names(names.get(uid, []))
        caption = next((n.value for n in entry_names if n.kind is NameKind.PRIMARY), None)
        ids = list(identifiers.get(uid, []))
        if un_ref := clean(row.get("un_reference_number")):
            ids.append(Identifier(IdScheme.OTHER, un_ref, note="UN reference number"))
        yield ListEntry(
            source=ListSource.GB_HMT,
            entry_id=uid,
            schema=schema,
            caption=caption or (entry_names[0].value if entry_names else uid),
            names=entry_names,
            birth_dates=unique(dobs.get(uid, [])),
            birth_places=unique(birth_places.get(uid, [])),
            nationalities=unique(nationalities.get(uid, [])),
            addresses=unique(addresses.get(uid, [])),
            identifiers=unique_identifiers(ids),
            programmes=[_regime(uid)],
            listed_on=_uk_date(row["date_designated"]),
            remarks=None,
            url=None,
            place=f"{subjects.name} line {line}",
        )


def _regime(unique_id: str) -> str:
    """The regime code that prefixes the UK unique id (``RUS``, ``DPR``)."""
    return re.sub(r"\d+$", "", unique_id) or unique_id


def _dedupe_names(names: list[EntryName]) -> list[EntryName]:
    seen: set[str] = set()
    out: list[EntryName] = []
    for name in sorted(names, key=lambda n: n.kind is not NameKind.PRIMARY):
        key = " ".join(name.value.casefold().split())
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


# -- official XML ---------------------------------------------------------------------------


def published_date_xml(path: Path) -> date | None:
    """``DateGenerated`` of a UK list XML file, when it comes before the designations."""
    for kind, elem, _place in iter_xml(path, frozenset({"DateGenerated", "Designation"})):
        if kind == "item":
            if elem.tag.endswith("DateGenerated"):
                return _uk_date(text_of(elem))
            return None
    return None


def read_uk_xml(path: Path) -> Iterator[ListEntry]:
    """Stream ``Designation`` elements of the official UK Sanctions List XML."""
    for kind, elem, place in iter_xml(path, frozenset({"Designation"})):
        if kind == "item":
            yield _xml_entry(elem, place)


def _texts(elem: ET.Element, name: str) -> list[str]:
    return [t for node in descendants(elem, name) if (t := text_of(node))]


def _xml_entry(elem: ET.Element, place: str) -> ListEntry:
    uid = child_text(elem, "UniqueID") or place
    kind_text = (child_text(elem, "IndividualEntityShip") or "").lower()
    schema = _SCHEMAS.get(kind_text, Schema.LEGAL_ENTITY)
    names: list[EntryName] = []
    for node in descendants(elem, "Name"):
        parts = [child_text(node, f"Name{i}") for i in range(1, 7)]
        value = " ".join(p for p in parts if p)
        if not value:
            continue
        name_type = (child_text(node, "NameType") or "").lower()
        strength = (child_text(node, "AliasStrength") or "").lower()
        kind = NameKind.PRIMARY if name_type == "primary name" else NameKind.ALIAS
        if "low" in strength:
            kind = NameKind.WEAK
        given = " ".join(p for p in parts[:5] if p) or None
        family = parts[5]
        split = schema is Schema.PERSON and bool(given and family)
        names.append(
            EntryName(
                value,
                kind,
                lang=script_hint(value),
                given=given if split else None,
                family=family if split else None,
            )
        )
    for value in _texts(elem, "NameNonLatinScript"):
        names.append(EntryName(value, NameKind.PRIMARY, lang=script_hint(value)))
    names = _dedupe_names(names)
    addresses: list[str] = []
    for node in descendants(elem, "Address"):
        parts = [child_text(node, f"AddressLine{i}") for i in range(1, 7)]
        parts += [child_text(node, "AddressPostalCode"), child_text(node, "AddressCountry")]
        if text := ", ".join(p for p in parts if p):
            addresses.append(text)
    identifiers: list[Identifier] = []
    for node in descendants(elem, "PassportDetail"):
        if number := child_text(node, "PassportNumber"):
            identifiers.append(
                Identifier(IdScheme.PASSPORT, number, note=child_text(node, "PassportAdditionalInformation"))
            )
    for node in descendants(elem, "NationalIdentifier"):
        if number := child_text(node, "NationalIdentifierNumber"):
            identifiers.append(
                Identifier(
                    IdScheme.NATIONAL_ID,
                    number,
                    note=child_text(node, "NationalIdentifierAdditionalInformation"),
                )
            )
    for value in _texts(elem, "BusinessRegistrationNumber"):
        identifiers.append(Identifier(IdScheme.REGISTRATION, value))
    for value in _texts(elem, "IMONumber"):
        if imo := _IMO.search(value):
            identifiers.append(Identifier(IdScheme.IMO, imo.group(1)))
    for value in _texts(elem, "CallSign"):
        identifiers.append(Identifier(IdScheme.CALL_SIGN, value))
    for value in _texts(elem, "MMSI"):
        identifiers.append(Identifier(IdScheme.MMSI, value))
    if un_ref := child_text(elem, "UNReferenceNumber"):
        identifiers.append(Identifier(IdScheme.OTHER, un_ref, note="UN reference number"))
    nationalities = [c for v in _texts(elem, "Nationality") if (c := country_code(v))]
    nationalities += [c for v in _texts(elem, "CurrentBelievedFlagOfShip") if (c := country_code(v))]
    birth_places = []
    for node in descendants(elem, "Location"):
        parts = [child_text(node, "TownOfBirth"), child_text(node, "CountryOfBirth")]
        if text := ", ".join(p for p in parts if p):
            birth_places.append(text)
    genders = [g.lower() for g in _texts(elem, "Gender")]
    regime = child_text(elem, "RegimeName")
    remarks = "\n".join(
        v for v in (child_text(elem, "OtherInformation"), child_text(elem, "UKStatementofReasons")) if v
    )
    return ListEntry(
        source=ListSource.GB_HMT,
        entry_id=uid,
        schema=schema,
        caption=next(
            (n.value for n in names if n.kind is NameKind.PRIMARY), names[0].value if names else uid
        ),
        names=names,
        birth_dates=unique([d for v in _texts(elem, "DOB") if (d := _uk_dob(v))]),
        birth_places=unique(birth_places),
        nationalities=unique(nationalities),
        gender=genders[0] if genders and genders[0] in ("male", "female") else None,
        addresses=unique(addresses),
        identifiers=unique_identifiers(identifiers),
        programmes=[regime] if regime else [_regime(uid)],
        listed_on=_uk_date(child_text(elem, "DateDesignated")),
        remarks=remarks or None,
        url=None,
        place=place,
    )
