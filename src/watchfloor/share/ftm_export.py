"""FollowTheMoney export (JSON lines) of a selection: entities, vessels, sanctions, evidence links.

Mapping (``ftm-export-v1``): persons, organisations and vessels keep their FtM schema; states
become ``PublicBody`` (FtM has no country entity); each active list entry linked to an exported
entity becomes a ``Sanction`` on it; each report becomes a ``Document``, each report event an
``Event`` involving its actors with the document as ``proof``, each mention of an entity in a
report a ``Documentation`` link, and each maritime event an ``Event`` involving its vessels. Ids
are ``wf-`` plus a hash of the watchfloor id, so re-export is stable. TLP is enforced by the
selection (:mod:`watchfloor.share.selection`); each entity carries its level in ``keywords``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy
from sqlalchemy.orm import Session

from watchfloor.assess.evidence import split_actors
from watchfloor.model.ids import stable_id
from watchfloor.model.schema import Schema, ftm_schema_name
from watchfloor.share.selection import Selection, select_for_partner
from watchfloor.share.stix_export import write_text
from watchfloor.share.tlp import Tlp

FTM_ALGORITHM = "ftm-export-v1"
_EXPORTED = (
    Schema.PERSON,
    Schema.ORGANIZATION,
    Schema.VESSEL,
    Schema.COUNTRY,
    Schema.LEGAL_ENTITY,
    Schema.COMPANY,
)
_SCHEMA = {s.value: ftm_schema_name(s) for s in _EXPORTED}
"""watchfloor schema -> FtM schema; any other exports as LegalEntity."""


def _make(schema: str, *key: Any, tlp: Tlp | str) -> EntityProxy:
    proxy = model.make_entity(schema)
    proxy.id = stable_id("wf", schema, *key)
    if proxy.schema.get("keywords") is not None:
        proxy.add("keywords", f"TLP:{str(tlp).upper()}")
    else:
        proxy.add("summary", f"TLP:{str(tlp).upper()}", quiet=True)
    return proxy


def build_entities(sel: Selection) -> list[EntityProxy]:
    """The FtM entities of a selection, in a stable order."""
    out: list[EntityProxy] = []
    ids: dict[str, str] = {}
    actors: dict[str, str] = {}
    by_identifier: dict[str, str] = {}
    for entity in sel.entities.values():
        schema = _SCHEMA.get(entity.schema, "LegalEntity")
        proxy = _make(schema, entity.id, tlp=entity.tlp)
        proxy.add("name", entity.caption)
        for name in entity.names:
            if name.name != entity.caption:
                proxy.add("alias", name.name)
        country = entity.country or (entity.data or {}).get("actor")
        if schema == "PublicBody":
            proxy.add("jurisdiction", country, quiet=True)
            actors[str((entity.data or {}).get("actor") or country)] = str(proxy.id)
        elif schema == "Vessel":
            proxy.add("flag", country, quiet=True)
        for ident in entity.identifiers:
            if schema == "Vessel" and ident.scheme == "imo":
                proxy.add("imoNumber", f"IMO{ident.value}", quiet=True)
            elif schema == "Vessel" and ident.scheme == "mmsi":
                proxy.add("mmsi", ident.value, quiet=True)
            elif ident.scheme in ("call_sign", "callsign") and schema == "Vessel":
                proxy.add("callSign", ident.value, quiet=True)
            elif proxy.schema.get("idNumber") is not None:
                proxy.add("idNumber", ident.value, quiet=True)
            by_identifier[f"{ident.scheme}:{ident.value}"] = str(proxy.id)
        ids[entity.id] = str(proxy.id)
        out.append(proxy)
    for entity in sel.entities.values():
        key = (entity.data or {}).get("list_entry")
        entry = sel.list_entries.get(str(key)) if key else None
        if entry is None:
            continue
        sanction = _make("Sanction", entry.source, entry.entry_id, entity.id, tlp=entry.tlp)
        sanction.add("entity", ids[entity.id])
        sanction.add("authority", entry.source)
        sanction.add("authorityId", entry.entry_id)
        for programme in entry.programmes or []:
            sanction.add("program", str(programme))
        sanction.add("listingDate", entry.listed_on.isoformat() if entry.listed_on else None)
        sanction.add("sourceUrl", entry.url, quiet=True)
        out.append(sanction)
    docs: dict[str, str] = {}
    for doc in sel.documents.values():
        proxy = _make("Document", doc.id, tlp=doc.tlp)
        proxy.add("title", doc.title or doc.origin)
        proxy.add("publisher", doc.source)
        proxy.add("publishedAt", doc.published.isoformat() if doc.published else None)
        proxy.add("contentHash", doc.id)
        proxy.add("sourceUrl", doc.url, quiet=True)
        docs[doc.id] = str(proxy.id)
        out.append(proxy)
    for item in sel.events:
        event = item.event
        proxy = _make("Event", event.id, tlp=item.tlp)
        proxy.add("name", (event.summary or event.type)[:500])
        proxy.add("summary", event.object)
        proxy.add("location", event.place)
        proxy.add("startDate", event.date_start.isoformat() if event.date_start else None)
        proxy.add("endDate", event.date_end.isoformat() if event.date_end else None)
        proxy.add("keywords", event.type)

        for actor in (*split_actors(event.source_actor), *split_actors(event.target_actor)):
            if actor in actors:
                proxy.add("involved", actors[actor])
        for claim in item.claims:
            proxy.add("proof", docs.get(claim.document_id))
            proxy.add("notes", f"{claim.reliability}{claim.credibility}: {claim.speaker} {claim.stance}")
        out.append(proxy)
    for mention in sel.mentions:
        if mention.entity_id not in ids:
            continue
        link = _make("Documentation", mention.id, tlp=sel.documents[mention.document_id].tlp)
        link.add("document", docs[mention.document_id])
        link.add("entity", ids[mention.entity_id])
        link.add("role", "mentioned")
        link.add("summary", f"{mention.text} (characters {mention.start}-{mention.end})")
        out.append(link)
    for row, tlp in sel.maritime:
        proxy = _make("Event", row.id, tlp=tlp)
        proxy.add("name", f"{row.kind.replace('_', ' ')}: {row.vessel_name or row.mmsi}")
        proxy.add("startDate", row.start.isoformat(timespec="seconds"))
        proxy.add("endDate", row.end.isoformat(timespec="seconds"))
        proxy.add("keywords", row.kind)
        proxy.add("location", row.port or (f"{row.lat:.4f}, {row.lon:.4f}" if row.lat is not None else None))
        for key in (f"imo:{row.imo}" if row.imo else "", f"mmsi:{row.mmsi}", f"mmsi:{row.other_mmsi}"):
            if key in by_identifier:
                proxy.add("involved", by_identifier[key])
        out.append(proxy)
    return out


def export_ftm(
    session: Session, level: str | Tlp, since: Any = None
) -> tuple[list[dict[str, Any]], Selection]:
    """Select what a partner at ``level`` may have and return it as FtM entity dicts."""
    sel = select_for_partner(session, level, since)
    return [proxy.to_dict() for proxy in build_entities(sel)], sel


def write_jsonl(entities: list[dict[str, Any]], out: Path) -> int:
    """Write FtM entities one JSON object a line (the format ``ftm`` tools read)."""
    text = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in entities)
    return write_text(text, out)
