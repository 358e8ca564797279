"""OFAC Specially Designated Nationals (SDN) list: legacy CSV files and ``sdn.xml``.

Legacy CSV (no header row; spec: https://ofac.treasury.gov/media/3466/download "SDN data
specification"): ``sdn.csv`` (ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign,
Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks), ``alt.csv`` (ent_num, alt_num,
alt_type, alt_name, alt_remarks), ``add.csv`` (ent_num, add_num, address, city/state/postal,
country, add_remarks) and ``sdn_comments.csv`` (ent_num, remarks overflow). ``-0-`` marks an
empty field and the files end with a DOS end-of-file byte (0x1A). Dates of birth, places of
birth, nationalities, passports, IMO and MMSI numbers are only in the Remarks text
(``DOB 08 Jan 1984; ... Vessel Registration Identification IMO 9179842``) and are parsed out.

``sdn.xml`` (schema ``sdn.xsd``, namespace
``https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XSD``, formerly
``http://tempuri.org/sdnList.xsd``): ``sdnList/sdnEntry`` with uid, firstName, lastName,
sdnType, programList, idList, akaList, addressList, nationalityList, citizenshipList,
dateOfBirthList, placeOfBirthList, vesselInfo and remarks.
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from watchfloor.errors import InputError
from watchfloor.model.schema import IdScheme, Schema
from watchfloor.sources.lists.parsing import (
    child,
    child_text,
    children,
    clean,
    country_code,
    imo_number,
    iter_xml,
    parse_partial_date,
    scheme_for_label,
    script_hint,
    text_stream,
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

ENTRY_URL = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={id}"

SDN_COLUMNS = 12
ALT_COLUMNS = 5
ADD_COLUMNS = 6
EOF_MARK = "\x1a"

_TYPES = {
    "individual": Schema.PERSON,
    "vessel": Schema.VESSEL,
    "aircraft": Schema.AIRPLANE,
    "entity": Schema.ORGANIZATION,
}
_ALT_KINDS = {"aka": NameKind.ALIAS, "fka": NameKind.PREVIOUS, "nka": NameKind.ALIAS}


# -- remarks --------------------------------------------------------------------------------


@dataclass
class RemarkFacts:
    """What the free-text Remarks of an SDN entry say, field by field."""

    birth_dates: list[str] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    gender: str | None = None
    identifiers: list[Identifier] = field(default_factory=list)
    aliases: list[EntryName] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


_ID_WITH_COUNTRY = re.compile(r"^(?P<number>.+?)\s*\((?P<country>[^()]+)\)(?:\s+(?P<rest>.*))?$")
_ALIAS = re.compile(r"\b([afn])\.k\.a\.,?\s+'([^']+(?:'[^';,][^']*)*)'")
_IMO = re.compile(r"\bIMO\s*(\d{7})\b")
_DOB_RANGE = re.compile(r"^(\d{4})\s+to\s+(\d{4})$")


def split_remarks(text: str) -> list[str]:
    """Split Remarks at top-level ``;`` (not inside parentheses or quotes)."""
    parts: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == ";" and depth == 0:
            parts.append(text[start:index].strip())
            start = index + 1
    parts.append(text[start:].strip().rstrip("."))
    return [p for p in parts if p]


def parse_remarks(text: str | None) -> RemarkFacts:
    """Pull structured facts out of OFAC Remarks text; unknown parts stay in the remarks."""
    facts = RemarkFacts()
    if not text:
        return facts
    for kind, alias in _ALIAS.findall(text):
        name_kind = NameKind.PREVIOUS if kind == "f" else NameKind.ALIAS
        facts.aliases.append(EntryName(alias.strip(), name_kind, lang=script_hint(alias)))
    for part in split_remarks(text):
        label = part[5:] if part.startswith("alt. ") else part
        lower = label.lower()
        if lower.startswith("dob "):
            value = label[4:].removeprefix("circa ").strip()
            if match := _DOB_RANGE.match(value):
                low, high = int(match.group(1)), int(match.group(2))
                if 0 <= high - low <= 20:
                    facts.birth_dates.extend(f"{y:04d}" for y in range(low, high + 1))
            elif dob := parse_partial_date(value):
                facts.birth_dates.append(dob)
        elif lower.startswith("pob "):
            facts.birth_places.append(label[4:].strip())
        elif lower.startswith(("nationality ", "citizen ")):
            if code := country_code(label.split(" ", 1)[1]):
                facts.nationalities.append(code)
        elif lower.startswith("gender "):
            facts.gender = lower.split(" ", 1)[1].strip() or None
        elif lower.startswith("vessel flag ") or lower.startswith("other vessel flag "):
            if code := country_code(label.rsplit("Flag", 1)[-1]):
                facts.flags.append(code)
        elif lower.startswith("mmsi "):
            facts.identifiers.append(Identifier(IdScheme.MMSI, label[5:].strip()))
        elif lower.startswith("other vessel call sign "):
            facts.identifiers.append(Identifier(IdScheme.CALL_SIGN, label[len("other vessel call sign ") :]))
        elif imo := _IMO.search(label):
            note = None if "vessel" in lower else label[: imo.start()].strip() or None
            facts.identifiers.append(Identifier(IdScheme.IMO, imo.group(1), note=note))
        else:
            identifier = _identifier(label)
            if identifier is not None:
                facts.identifiers.append(identifier)
    return facts


_ID_LABEL = re.compile(
    r"^(?P<label>(?:[A-Z][A-Za-z.'/&()-]*\s?)*?(?:No\.|Number|#|ID|Passport|Code \(USCC\)|"
    r"Cedula No\.|SWIFT/BIC|C\.U\.R\.P\.|R\.F\.C\.|Identification))\s+(?P<value>[^\s].*)$"
)


def _identifier(part: str) -> Identifier | None:
    match = _ID_LABEL.match(part)
    if not match:
        return None
    label, value = match.group("label"), match.group("value")
    for marker in ("No. ", "# ", "Number "):
        if value.startswith(marker):
            label, value = f"{label} {marker.strip()}", value[len(marker) :]
    scheme = IdScheme(scheme_for_label(label))
    if scheme is IdScheme.OTHER and label.lower() not in ("identification",):
        return None
    country = None
    note: str | None = label
    if found := _ID_WITH_COUNTRY.match(value):
        value = found.group("number")
        country = country_code(found.group("country"))
        if found.group("rest"):
            note = f"{label}; {found.group('rest')}"
    value = value.strip()
    if not value or len(value) > 64:
        return None
    if scheme is IdScheme.IMO:
        # "Vessel Registration Identification RS 150443": a national register number, not an IMO.
        imo = imo_number(value)
        scheme, value = (IdScheme.IMO, imo) if imo else (IdScheme.REGISTRATION, value)
    return Identifier(scheme, value, country, note)


# -- legacy CSV -----------------------------------------------------------------------------


def _rows(path: Path, columns: int, encoding: str | None) -> Iterator[tuple[int, list[str]]]:
    """Rows of a headerless OFAC CSV with their line numbers; broken rows raise InputError."""
    stream = text_stream(path, encoding)
    reader = csv.reader(stream, strict=True)
    saw_eof_mark = False
    try:
        for row in reader:
            line = reader.line_num
            if not row or (len(row) == 1 and row[0].strip() in ("", EOF_MARK)):
                saw_eof_mark = saw_eof_mark or (bool(row) and row[0].strip() == EOF_MARK)
                continue
            if len(row) != columns:
                raise InputError(
                    path,
                    f"expected {columns} fields, found {len(row)} (truncated file or not an OFAC "
                    f"{path.name} file?)",
                    f"line {line}",
                )
            yield line, row
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV: {exc} (truncated file?)", f"line {reader.line_num}") from exc
    text = stream.getvalue()
    if text and not saw_eof_mark and not text.endswith(("\n", EOF_MARK)):
        raise InputError(
            path, "file ends in the middle of a line (truncated download?)", f"line {reader.line_num}"
        )


def read_ofac_csv(
    sdn: Path,
    alt: Path | None = None,
    add: Path | None = None,
    comments: Path | None = None,
    encoding: str | None = None,
) -> Iterator[ListEntry]:
    """Stream SDN entries from ``sdn.csv`` joined with its companion files where given.

    The companion files are small and read first; ``sdn.csv`` is then streamed row by row.
    """
    aliases: dict[str, list[EntryName]] = defaultdict(list)
    addresses: dict[str, list[str]] = defaultdict(list)
    extra: dict[str, str] = defaultdict(str)
    if alt is not None:
        for _line, row in _rows(alt, ALT_COLUMNS, encoding):
            name = clean(row[3])
            if name:
                kind = _ALT_KINDS.get((clean(row[2]) or "aka").lower(), NameKind.ALIAS)
                aliases[row[0].strip()].append(_ofac_name(name, kind))
    if add is not None:
        for _line, row in _rows(add, ADD_COLUMNS, encoding):
            text = ", ".join(v for v in (clean(row[2]), clean(row[3]), clean(row[4])) if v)
            if text:
                addresses[row[0].strip()].append(text)
    if comments is not None:
        for _line, row in _rows(comments, 2, encoding):
            extra[row[0].strip()] += clean(row[1]) or ""
    for line, row in _rows(sdn, SDN_COLUMNS, encoding):
        ent_num = row[0].strip()
        if not ent_num.isdigit():
            raise InputError(
                sdn, f"ent_num {ent_num!r} is not a number (not an sdn.csv file?)", f"line {line}"
            )
        yield _csv_entry(
            sdn, line, row, aliases.get(ent_num, []), addresses.get(ent_num, []), extra.get(ent_num)
        )


def _ofac_name(value: str, kind: NameKind) -> EntryName:
    family, sep, given = value.partition(", ")
    if sep and given and "," not in given:
        return EntryName(value, kind, lang=script_hint(value), given=given.strip(), family=family.strip())
    return EntryName(value, kind, lang=script_hint(value))


def _csv_entry(
    path: Path, line: int, row: list[str], aliases: list[EntryName], addresses: list[str], extra: str | None
) -> ListEntry:
    ent_num = row[0].strip()
    name = clean(row[1]) or ent_num
    schema = _TYPES.get((clean(row[2]) or "entity").lower(), Schema.ORGANIZATION)
    remarks = clean(row[11])
    if extra:
        remarks = f"{remarks} {extra}" if remarks else extra
    facts = parse_remarks(remarks)
    primary = _ofac_name(name, NameKind.PRIMARY) if schema is Schema.PERSON else EntryName(name)
    names = _merge_names([primary, *aliases, *facts.aliases])
    identifiers = list(facts.identifiers)
    if call_sign := clean(row[5]):
        identifiers.insert(0, Identifier(IdScheme.CALL_SIGN, call_sign))
    nationalities = list(facts.nationalities)
    if flag := country_code(clean(row[9])):
        nationalities.insert(0, flag)
    nationalities.extend(facts.flags)
    programmes = [p.strip() for p in (clean(row[3]) or "").split("] [") if p.strip()]
    return ListEntry(
        source=ListSource.US_OFAC_SDN,
        entry_id=ent_num,
        schema=schema,
        caption=name,
        names=names,
        birth_dates=unique(facts.birth_dates),
        birth_places=unique(facts.birth_places),
        nationalities=unique(nationalities),
        gender=facts.gender if facts.gender in ("male", "female") else None,
        addresses=unique(addresses),
        identifiers=unique_identifiers(identifiers),
        programmes=programmes,
        listed_on=None,
        remarks=remarks,
        url=ENTRY_URL.format(id=ent_num),
        place=f"{path.name} line {line}",
    )


def _merge_names(names: list[EntryName]) -> list[EntryName]:
    seen: set[str] = set()
    out: list[EntryName] = []
    for name in names:
        key = " ".join(name.value.casefold().replace(",", " ").split())
        if key and key not in seen:
            seen.add(key)
            out.append(name)
    return out


# -- sdn.xml --------------------------------------------------------------------------------


def published_date_xml(path: Path) -> date | None:
    """``publshInformation/Publish_Date`` (MM/DD/YYYY) of an ``sdn.xml`` file."""
    for kind, elem, _place in iter_xml(path, frozenset({"publshInformation"})):
        if kind == "item":
            value = child_text(elem, "Publish_Date")
            if value and (match := re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", value)):
                month, day, year = (int(g) for g in match.groups())
                return date(year, month, day)
            return None
    return None


def read_ofac_xml(path: Path) -> Iterator[ListEntry]:
    """Stream ``sdnEntry`` elements of an OFAC ``sdn.xml`` file."""
    for kind, elem, place in iter_xml(path, frozenset({"sdnEntry"})):
        if kind == "item":
            yield _xml_entry(elem, place)


def _xml_entry(elem: ET.Element, place: str) -> ListEntry:
    uid = child_text(elem, "uid") or place
    schema = _TYPES.get((child_text(elem, "sdnType") or "entity").lower(), Schema.ORGANIZATION)
    first, last = child_text(elem, "firstName"), child_text(elem, "lastName")
    caption = f"{last}, {first}" if first and last else (last or first or uid)
    names = [
        EntryName(
            caption, NameKind.PRIMARY, lang=script_hint(caption), given=first, family=last if first else None
        )
    ]
    aka_list = child(elem, "akaList")
    for aka in children(aka_list, "aka") if aka_list is not None else []:
        a_first, a_last = child_text(aka, "firstName"), child_text(aka, "lastName")
        value = f"{a_last}, {a_first}" if a_first and a_last else (a_last or a_first)
        if not value:
            continue
        kind = NameKind.PREVIOUS if (child_text(aka, "type") or "").lower() == "f.k.a." else NameKind.ALIAS
        if (child_text(aka, "category") or "").lower() == "weak":
            kind = NameKind.WEAK
        names.append(
            EntryName(value, kind, lang=script_hint(value), given=a_first, family=a_last if a_first else None)
        )
    remarks = child_text(elem, "remarks")
    facts = parse_remarks(remarks)
    names.extend(facts.aliases)
    identifiers: list[Identifier] = []
    gender: str | None = facts.gender
    id_list = child(elem, "idList")
    for ident in children(id_list, "id") if id_list is not None else []:
        label = child_text(ident, "idType") or ""
        number = child_text(ident, "idNumber")
        if not number:
            continue
        if label.lower() == "gender":
            gender = number.lower()
            continue
        scheme = IdScheme(scheme_for_label(label))
        if scheme is IdScheme.IMO:
            imo = imo_number(number)
            scheme, number = (IdScheme.IMO, imo) if imo else (IdScheme.REGISTRATION, number)
        identifiers.append(
            Identifier(scheme, number, country_code(child_text(ident, "idCountry")), label or None)
        )
    identifiers.extend(facts.identifiers)
    vessel = child(elem, "vesselInfo")
    nationalities: list[str] = []
    if vessel is not None:
        if call_sign := child_text(vessel, "callSign"):
            identifiers.insert(0, Identifier(IdScheme.CALL_SIGN, call_sign))
        if flag := country_code(child_text(vessel, "vesselFlag")):
            nationalities.append(flag)
    for list_name, item_name in (("nationalityList", "nationality"), ("citizenshipList", "citizenship")):
        node = child(elem, list_name)
        for item in children(node, item_name) if node is not None else []:
            if code := country_code(child_text(item, "country")):
                nationalities.append(code)
    nationalities.extend(facts.nationalities)
    dobs: list[str] = []
    node = child(elem, "dateOfBirthList")
    for item in children(node, "dateOfBirthItem") if node is not None else []:
        text = child_text(item, "dateOfBirth") or ""
        if match := _DOB_RANGE.match(text.removeprefix("circa ")):
            dobs.extend(f"{y:04d}" for y in range(int(match.group(1)), int(match.group(2)) + 1))
        elif dob := parse_partial_date(text.removeprefix("circa ")):
            dobs.append(dob)
    places: list[str] = []
    node = child(elem, "placeOfBirthList")
    for item in children(node, "placeOfBirthItem") if node is not None else []:
        if pob := child_text(item, "placeOfBirth"):
            places.append(pob)
    addresses: list[str] = []
    node = child(elem, "addressList")
    for item in children(node, "address") if node is not None else []:
        parts = [
            child_text(item, tag)
            for tag in (
                "address1",
                "address2",
                "address3",
                "city",
                "stateOrProvince",
                "postalCode",
                "country",
            )
        ]
        if text := ", ".join(p for p in parts if p):
            addresses.append(text)
    programmes: list[str] = []
    node = child(elem, "programList")
    for item in children(node, "program") if node is not None else []:
        if value := (item.text or "").strip():
            programmes.append(value)
    return ListEntry(
        source=ListSource.US_OFAC_SDN,
        entry_id=uid,
        schema=schema,
        caption=caption,
        names=_merge_names(names),
        birth_dates=unique(dobs + facts.birth_dates),
        birth_places=unique(places + facts.birth_places),
        nationalities=unique(nationalities),
        gender=gender if gender in ("male", "female") else None,
        addresses=unique(addresses),
        identifiers=unique_identifiers(identifiers),
        programmes=programmes,
        listed_on=None,
        remarks=remarks,
        url=ENTRY_URL.format(id=uid),
        place=place,
    )


__all__ = [
    "RemarkFacts",
    "parse_remarks",
    "published_date_xml",
    "read_ofac_csv",
    "read_ofac_xml",
    "split_remarks",
]
