"""Sanctions links: which list entries each vessel's IMO, MMSI, call sign or name points to.

A vessel's identity is everything its static messages said (IMO numbers, names, call signs) plus
its MMSI. Each is looked up exactly (normalised as the screening index normalises identifiers)
among the loaded list entries. IMO and MMSI links are strong; a link on the name alone is kept
but marked weak, because many unrelated ships share a name (there is more than one ANGARA).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl

from watchfloor.maritime.identity import normalise_static
from watchfloor.maritime.records import ListLink, MaritimeEvent
from watchfloor.model.identifiers import normalise_identifier
from watchfloor.model.schema import IdScheme, Schema
from watchfloor.sources.lists.records import ListEntry

_IMO_IN_TEXT = re.compile(r"\bIMO\s*(\d{7})\b")
_NAME = re.compile(r"[^0-9A-Z]+")


def name_key(value: str) -> str:
    """A vessel name for exact comparison: upper case, anything but letters and digits one space."""
    return _NAME.sub(" ", value.upper()).strip()


@dataclass
class VesselListIndex:
    """Exact lookups from vessel identifiers to list entries."""

    entries: list[ListEntry] = field(default_factory=list)
    by_key: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, entries: Iterable[ListEntry]) -> VesselListIndex:
        index = cls()
        for entry in entries:
            keys: set[tuple[str, str]] = set()
            for ident in entry.identifiers:
                if ident.scheme in (IdScheme.IMO, IdScheme.MMSI, IdScheme.CALL_SIGN):
                    keys.add((ident.scheme.value, normalise_identifier(ident.scheme, ident.value)))
            if entry.schema is Schema.VESSEL:
                for match in _IMO_IN_TEXT.finditer(entry.remarks or ""):
                    keys.add((IdScheme.IMO.value, match.group(1)))
                for name in entry.names:
                    keys.add(("name", name_key(name.value)))
            if not keys:
                continue
            position = len(index.entries)
            index.entries.append(entry)
            for key in keys:
                index.by_key[key].append(position)
        return index

    def lookup(self, scheme: str, value: str) -> list[ListEntry]:
        norm = name_key(value) if scheme == "name" else normalise_identifier(IdScheme(scheme), value)
        return [self.entries[i] for i in self.by_key.get((scheme, norm), [])]


def vessel_identities(static: pl.DataFrame | pl.LazyFrame) -> dict[int, dict[str, set[str]]]:
    """Per MMSI, every IMO, name and call sign its static messages carried."""
    st = normalise_static(static).collect()
    out: dict[int, dict[str, set[str]]] = defaultdict(
        lambda: {"imo": set(), "name": set(), "call_sign": set()}
    )
    for attr in ("imo", "name", "call_sign"):
        pairs = st.select("mmsi", attr).drop_nulls().unique()
        for mmsi, value in pairs.iter_rows():
            out[int(mmsi)][attr].add(str(value))
    return dict(out)


def vessel_links(mmsi: int, identity: dict[str, set[str]] | None, index: VesselListIndex) -> list[ListLink]:
    """Every list entry one vessel links to, strongest evidence first, one link per entry."""
    found: dict[str, ListLink] = {}
    probes: list[tuple[str, str, bool]] = [("mmsi", str(mmsi), True)]
    if identity:
        probes += [("imo", v, True) for v in sorted(identity["imo"])]
        probes += [("call_sign", v, True) for v in sorted(identity["call_sign"])]
        probes += [("name", v, False) for v in sorted(identity["name"])]
    for scheme, value, strong in probes:
        for entry in index.lookup(scheme, value):
            if entry.key in found:
                continue
            found[entry.key] = ListLink(
                mmsi=mmsi,
                entry_key=entry.key,
                caption=entry.caption,
                source=entry.source.value,
                matched_on=scheme,
                value=value,
                strong=strong,
            )
    return sorted(found.values(), key=lambda link: (not link.strong, link.entry_key))


def attach_links(
    events: list[MaritimeEvent], identities: dict[int, dict[str, set[str]]], index: VesselListIndex
) -> None:
    """Fill each event's ``links`` with the list entries of its vessel(s)."""
    cache: dict[int, list[ListLink]] = {}
    for event in events:
        links: list[ListLink] = []
        extra = [int(m) for m in event.details.get("mmsis", []) if int(m) not in event.mmsis]
        for mmsi in (*event.mmsis, *extra):
            if mmsi not in cache:
                cache[mmsi] = vessel_links(mmsi, identities.get(mmsi), index)
            links.extend(cache[mmsi])
        event.links = links
