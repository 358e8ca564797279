"""FollowTheMoney entities as JSON lines (OpenSanctions ``entities.ftm.json`` exports).

One JSON object per line: ``id``, ``schema``, ``caption``, ``properties`` (every value a list
of strings), plus OpenSanctions' ``datasets``, ``referents``, ``first_seen``. Targets
(Person, Organization, Company, LegalEntity, Vessel, Airplane) become list entries; the
``Sanction``, ``Address``, ``Passport`` and ``Identification`` entities that point at them are
gathered in a first pass and folded in, so the file is read twice and never held whole.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from watchfloor.errors import InputError
from watchfloor.model.schema import LISTED_SCHEMAS, IdScheme, Schema
from watchfloor.sources.lists.parsing import (
    open_binary,
    parse_partial_date,
    script_hint,
    to_date,
    unique,
)
from watchfloor.sources.lists.records import EntryName, Identifier, ListEntry, ListSource, NameKind

ENTRY_URL = "https://www.opensanctions.org/entities/{id}/"
_TARGETS = {s.value: s for s in LISTED_SCHEMAS}
_ID_PROPS = {
    "imoNumber": IdScheme.IMO,
    "mmsi": IdScheme.MMSI,
    "callSign": IdScheme.CALL_SIGN,
    "passportNumber": IdScheme.PASSPORT,
    "idNumber": IdScheme.NATIONAL_ID,
    "registrationNumber": IdScheme.REGISTRATION,
    "ogrnCode": IdScheme.REGISTRATION,
    "innCode": IdScheme.TAX_ID,
    "taxNumber": IdScheme.TAX_ID,
    "vatCode": IdScheme.TAX_ID,
    "swiftBic": IdScheme.SWIFT,
}
_ALIAS_PROPS = {"alias": NameKind.ALIAS, "weakAlias": NameKind.WEAK, "previousName": NameKind.PREVIOUS}


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with open_binary(path) as handle:
        line_no = 0
        try:
            for raw in handle:
                line_no += 1
                if not raw.strip():
                    continue
                try:
                    data = json.loads(raw)
                except UnicodeDecodeError as exc:
                    raise InputError(
                        path, f"not UTF-8 (wrong encoding?): {exc.reason}", f"line {line_no}"
                    ) from exc
                except json.JSONDecodeError as exc:
                    raise InputError(
                        path,
                        f"invalid JSON: {exc.msg} (truncated file?)",
                        f"line {line_no}, column {exc.colno}",
                    ) from exc
                if (
                    not isinstance(data, dict)
                    or not isinstance(data.get("schema"), str)
                    or not isinstance(data.get("id"), str | int)
                ):
                    raise InputError(
                        path, "not a FollowTheMoney entity (needs id and schema)", f"line {line_no}"
                    )
                if not isinstance(data.get("properties", {}), dict):
                    raise InputError(path, "FollowTheMoney properties must be an object", f"line {line_no}")
                yield line_no, data
        except (OSError, EOFError) as exc:
            raise InputError(path, f"cannot read: {exc} (truncated file?)", f"line {line_no}") from exc


def _props(data: dict[str, Any]) -> dict[str, list[str]]:
    props = data.get("properties") or {}
    return {k: [str(v) for v in vs] for k, vs in props.items() if isinstance(vs, list)}


def published_date(path: Path) -> date | None:
    """FtM exports carry no publication date in the file."""
    return None


def read_ftm(path: Path) -> Iterator[ListEntry]:
    """Stream target entities of a FollowTheMoney JSON-lines file."""
    programmes: dict[str, list[str]] = defaultdict(list)
    listed: dict[str, list[date]] = defaultdict(list)
    addresses: dict[str, str] = {}
    identifiers: dict[str, list[Identifier]] = defaultdict(list)
    for _line, data in _lines(path):
        schema, props = data["schema"], _props(data)
        if schema == "Sanction":
            for target in props.get("entity", []):
                programmes[target].extend(props.get("programId", []) or props.get("program", []))
                listed[target].extend(d for v in props.get("startDate", []) if (d := to_date(v)))
        elif schema == "Address":
            addresses[data["id"]] = props.get("full", [data.get("caption") or ""])[0]
        elif schema in ("Passport", "Identification"):
            scheme = IdScheme.PASSPORT if schema == "Passport" else IdScheme.NATIONAL_ID
            for holder in props.get("holder", []):
                for number in props.get("number", []):
                    country = next(iter(props.get("country", [])), None)
                    identifiers[holder].append(Identifier(scheme, number, country))
    for line, data in _lines(path):
        schema = _TARGETS.get(data["schema"])
        if schema is None:
            continue
        yield _entry(path, line, data, schema, programmes, listed, addresses, identifiers)


def _entry(
    path: Path,
    line: int,
    data: dict[str, Any],
    schema: Schema,
    programmes: dict[str, list[str]],
    listed: dict[str, list[date]],
    addresses: dict[str, str],
    identifiers: dict[str, list[Identifier]],
) -> ListEntry:
    entity_id = str(data["id"])
    props = _props(data)
    names: list[EntryName] = []
    caption = str(data.get("caption") or (props.get("name") or [entity_id])[0])
    given = " ".join(props.get("firstName", [])[:1] + props.get("middleName", [])[:1]) or None
    family = next(iter(props.get("lastName", [])), None)
    for value in props.get("name", []):
        names.append(
            EntryName(
                value,
                NameKind.PRIMARY,
                lang=script_hint(value),
                given=given if value == caption else None,
                family=family if value == caption else None,
            )
        )
    for prop, kind in _ALIAS_PROPS.items():
        names.extend(EntryName(v, kind, lang=script_hint(v)) for v in props.get(prop, []))
    if not names:
        names.append(EntryName(caption))
    ids = list(identifiers.get(entity_id, []))
    for prop, scheme in _ID_PROPS.items():
        ids.extend(Identifier(scheme, v) for v in props.get(prop, []))
    gender = next(iter(props.get("gender", [])), None)
    nationalities = [
        c.lower()
        for prop in ("nationality", "citizenship", "flag", "country", "jurisdiction")
        for c in props.get(prop, [])
        if len(c) == 2
    ]
    own_addresses = props.get("address", []) + [
        addresses[a] for a in props.get("addressEntity", []) if a in addresses
    ]
    dates = listed.get(entity_id, []) + [d for v in props.get("createdAt", []) if (d := to_date(v))]
    return ListEntry(
        source=ListSource.FTM,
        entry_id=entity_id,
        schema=schema,
        caption=caption,
        names=names,
        birth_dates=unique([b for v in props.get("birthDate", []) if (b := parse_partial_date(v))]),
        birth_places=unique(props.get("birthPlace", [])),
        nationalities=unique(nationalities),
        gender=gender if gender in ("male", "female") else None,
        addresses=unique(own_addresses),
        identifiers=ids,
        programmes=unique(programmes.get(entity_id, []) + props.get("programId", [])),
        listed_on=min(dates) if dates else None,
        remarks="\n".join(props.get("notes", [])) or None,
        url=ENTRY_URL.format(id=entity_id),
        place=f"{path.name} line {line}",
    )
