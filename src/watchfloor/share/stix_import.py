# Over 500 lines on purpose: one plan per STIX kind and one writer; what is refused, and why, in one place.
"""STIX 2.1 import of a partner's bundle: their sightings, reports and notes become claims.

What a partner says is evidence to weigh, not a fact: each imported ``note``, ``sighting`` or
``report`` becomes one document (the partner's statement, the STIX object kept in its ``meta``),
one claim on an event with the partner's source and Admiralty grade, and status ``extracted``
(never ``confirmed``: only an analyst of this store confirms). The other objects of the bundle
(identities, threat actors, relationships, vessels, locations, marking definitions) are read as
context only: the names, actors and places the three imported kinds refer to.

Rules (``stix-import-v1``):

- Shape: a JSON object of ``type`` ``bundle`` with an ``objects`` list, under the size caps; a
  malformed object is refused with its index and id (the rest of the bundle goes on); a malformed
  bundle is refused whole. Everything is checked before anything is written, so an import either
  stores every valid object or (on a store error) nothing.
- Markings: the TLP of an object is the strictest of its own TLP markings (2.0 ids, TLP 1.0 ids,
  and marking definitions the bundle defines), of its granular markings and of the objects it
  refers to; an unmarked object gets ``Settings.default_tlp``. The marking is kept on the
  document, the event and the claim.
- Grade: reliability is the partner's (``x_watchfloor_reliability``) when given, else the cited
  source's grade in the source table, else F; credibility is the partner's
  (``x_watchfloor_credibility``), else the STIX ``confidence`` read on the Admiralty scale of the
  STIX 2.1 specification (appendix A), else 6 (cannot be judged).
- Versions: idempotent by STIX id and ``modified``: the same version again changes nothing, a
  newer one replaces what the older one stored, an older one is ignored.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from watchfloor.errors import InputError
from watchfloor.graph.actors import canonical_actor
from watchfloor.model.grades import clean_credibility, clean_reliability
from watchfloor.model.ids import content_hash, stable_id
from watchfloor.model.stance import Stance
from watchfloor.settings import get_settings
from watchfloor.share.tlp import TLP2_EXTENSION_ID, TLP_BY_MARKING_ID, Tlp, parse_tlp, strictest
from watchfloor.sources.grades import source_table
from watchfloor.store.models import Claim, Document, Event, Provenance, StixImport

IMPORT_ALGORITHM = "stix-import-v1"
IMPORTED_TYPES = ("note", "sighting", "report")
MAX_BUNDLE_BYTES = 64 * 1024 * 1024
"""A bundle larger than this is refused before it is parsed."""
MAX_OBJECTS = 100_000
MAX_TEXT_CHARS = 100_000
"""The longest statement (note content, description) taken; a longer one is refused."""

_TYPE = re.compile(r"^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$")


@dataclass
class ImportResult:
    """What one import did, object by object kind."""

    origin: str
    bundle_id: str
    objects: int = 0
    imported: int = 0
    """New objects stored."""
    replaced: int = 0
    """Objects whose newer version replaced the one stored."""
    unchanged: int = 0
    """Objects already stored at this version."""
    older: int = 0
    """Objects older than the version stored (ignored)."""
    context: int = 0
    """Objects read only for the names and places the imported ones refer to."""
    rejected: int = 0
    errors: list[str] = field(default_factory=list)
    by_type: Counter[str] = field(default_factory=Counter)
    by_tlp: Counter[str] = field(default_factory=Counter)
    claims: list[str] = field(default_factory=list)
    """Ids of the claims stored or replaced."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "bundle_id": self.bundle_id,
            "algorithm": IMPORT_ALGORITHM,
            "objects": self.objects,
            "imported": self.imported,
            "replaced": self.replaced,
            "unchanged": self.unchanged,
            "older": self.older,
            "context": self.context,
            "rejected": self.rejected,
            "by_type": dict(sorted(self.by_type.items())),
            "by_tlp": dict(sorted(self.by_tlp.items())),
            "errors": list(self.errors),
        }


@dataclass
class _Planned:
    """One imported object, checked and converted, ready to write."""

    index: int
    stix_id: str
    stix_type: str
    modified: str
    modified_at: datetime
    tlp: Tlp
    event_key: str
    event: dict[str, Any]
    document: dict[str, Any]
    claim: dict[str, Any]


# -- reading --------------------------------------------------------------------------------------


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r} in one JSON object")
        out[key] = value
    return out


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def read_bundle_file(path: Path, max_bytes: int = MAX_BUNDLE_BYTES) -> bytes:
    """The bytes of a bundle file, refused before reading when it is over ``max_bytes``."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(path, f"bundle is {size:,} bytes, over the {max_bytes:,}-byte limit")
        return path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from exc


def parse_bundle(raw: bytes | str, origin: str, max_bytes: int = MAX_BUNDLE_BYTES) -> dict[str, Any]:
    """The bundle as a dict, or an :class:`InputError` naming ``origin`` and the place."""
    size = len(raw.encode("utf-8") if isinstance(raw, str) else raw)
    if size > max_bytes:
        raise InputError(origin, f"bundle is {size:,} bytes, over the {max_bytes:,}-byte limit")
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise InputError(origin, "not UTF-8 text", f"byte {exc.start}") from None
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise InputError(origin, f"not JSON: {exc.msg}", f"line {exc.lineno}, column {exc.colno}") from None
    except ValueError as exc:
        raise InputError(origin, f"not valid JSON: {exc}") from None
    except RecursionError:
        raise InputError(origin, "JSON nested too deeply") from None
    if not isinstance(data, dict) or data.get("type") != "bundle":
        raise InputError(origin, 'expected a STIX 2.1 bundle: a JSON object with "type": "bundle"')
    bundle_id = data.get("id")
    if not isinstance(bundle_id, str) or not _valid_id(bundle_id, "bundle"):
        raise InputError(origin, f"bundle id {bundle_id!r} is not bundle--<uuid>")
    objects = data.get("objects", [])
    if not isinstance(objects, list):
        raise InputError(origin, '"objects" must be a list')
    if len(objects) > MAX_OBJECTS:
        raise InputError(origin, f"bundle holds {len(objects):,} objects, over the {MAX_OBJECTS:,} limit")
    return data


def _valid_id(value: str, stix_type: str) -> bool:
    prefix, sep, rest = value.partition("--")
    if not sep or prefix != stix_type:
        return False
    try:
        uuid.UUID(rest)
    except ValueError:
        return False
    return len(rest) == 36


def _timestamp(value: Any, name: str) -> datetime:
    if not isinstance(value, str) or not _TIMESTAMP.match(value):
        raise ValueError(f"{name} {value!r} is not a STIX timestamp (YYYY-MM-DDTHH:MM:SS[.s]Z)")
    head, _, frac = value[:-1].partition(".")
    try:
        moment = datetime.fromisoformat(head).replace(tzinfo=UTC)
    except ValueError:
        raise ValueError(f"{name} {value!r} is not a real date and time") from None
    return moment + timedelta(microseconds=int((frac + "000000")[:6])) if frac else moment


def _text(obj: dict[str, Any], name: str, required: bool = False) -> str | None:
    value = obj.get(name)
    if value is None:
        if required:
            raise ValueError(f"{name} is required")
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string")
    if len(value) > MAX_TEXT_CHARS:
        raise ValueError(f"{name} is {len(value):,} characters, over the {MAX_TEXT_CHARS:,} limit")
    return value


def _refs(obj: dict[str, Any], name: str, required: bool = False) -> list[str]:
    value = obj.get(name)
    if value is None:
        if required:
            raise ValueError(f"{name} is required")
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and "--" in v for v in value):
        raise ValueError(f"{name} must be a list of STIX ids")
    if required and not value:
        raise ValueError(f"{name} must not be empty")
    return list(value)


def _ref(obj: dict[str, Any], name: str, required: bool = False) -> str | None:
    value = obj.get(name)
    if value is None:
        if required:
            raise ValueError(f"{name} is required")
        return None
    if not isinstance(value, str) or "--" not in value:
        raise ValueError(f"{name} must be a STIX id")
    return value


def _check_common(obj: Any) -> tuple[str, str]:
    """Type and id of an object, or ValueError saying what is wrong."""
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    stix_type = obj.get("type")
    if not isinstance(stix_type, str) or not _TYPE.match(stix_type):
        raise ValueError(f"type {stix_type!r} is not a STIX type name")
    obj_id = obj.get("id")
    if not isinstance(obj_id, str) or not _valid_id(obj_id, stix_type):
        raise ValueError(f"id {obj_id!r} is not {stix_type}--<uuid>")
    return stix_type, obj_id


# -- markings -------------------------------------------------------------------------------------


def _bundle_markings(objects: list[Any]) -> dict[str, Tlp]:
    """TLP levels of marking definitions: the known ids, then those the bundle defines (known ids win)."""
    found: dict[str, Tlp] = {}
    for obj in objects:
        if not isinstance(obj, dict) or obj.get("type") != "marking-definition":
            continue
        obj_id = obj.get("id")
        level: Any = None
        ext = obj.get("extensions")
        if isinstance(ext, dict) and isinstance(ext.get(TLP2_EXTENSION_ID), dict):
            level = ext[TLP2_EXTENSION_ID].get("tlp_2_0")
        definition = obj.get("definition")
        if level is None and obj.get("definition_type") == "tlp" and isinstance(definition, dict):
            level = definition.get("tlp")
        if isinstance(obj_id, str) and isinstance(level, str):
            try:
                found[obj_id] = parse_tlp(level, "marking")
            except InputError:
                found[obj_id] = Tlp.RED  # a TLP marking we cannot read: fail closed
    found.update(TLP_BY_MARKING_ID)
    return found


def _own_tlp(obj: dict[str, Any], markings: dict[str, Tlp]) -> Tlp | None:
    """The strictest TLP marking of ``obj``; malformed marking properties count as TLP:RED (fail closed)."""
    refs_value, granular_value = obj.get("object_marking_refs"), obj.get("granular_markings")
    if not isinstance(refs_value, list | None) or not isinstance(granular_value, list | None):
        return Tlp.RED
    refs = [r for r in refs_value or [] if isinstance(r, str)]
    for granular in granular_value or []:
        if isinstance(granular, dict) and isinstance(granular.get("marking_ref"), str):
            refs.append(granular["marking_ref"])
    levels = [markings[r] for r in refs if r in markings]
    return strictest(*levels) if levels else None


# -- conversion -----------------------------------------------------------------------------------


def _admiralty_credibility(confidence: Any) -> int:
    """STIX 2.1 appendix A, Admiralty credibility: 0-19 5, 20-39 4, 40-59 3, 60-79 2, 80-100 1."""
    if isinstance(confidence, bool) or not isinstance(confidence, int) or not 0 <= confidence <= 100:
        return 6
    return 5 - min(confidence // 20, 4)


class _Context:
    """The bundle's objects by id, for the names, actors and places imported objects refer to."""

    def __init__(self, objects: list[Any], markings: dict[str, Tlp], default: Tlp) -> None:
        self.by_id = {o["id"]: o for o in objects if isinstance(o, dict) and isinstance(o.get("id"), str)}
        self.markings = markings
        self.default = default

    def get(self, ref: str | None) -> dict[str, Any]:
        found = self.by_id.get(ref or "")
        return found if isinstance(found, dict) else {}

    def name(self, ref: str | None) -> str | None:
        value = self.get(ref).get("name")
        return value if isinstance(value, str) and value.strip() else None

    def actor(self, ref: str | None) -> str | None:
        obj = self.get(ref)
        value = obj.get("x_watchfloor_actor")
        if isinstance(value, str) and value:
            return value
        return canonical_actor(self.name(ref))

    def tlp(self, obj: dict[str, Any], refs: list[str]) -> Tlp:
        """The strictest of the object's own marking and of the objects it refers to."""
        own = _own_tlp(obj, self.markings) or self.default
        others = [_own_tlp(self.get(r), self.markings) for r in refs]
        return strictest(own, *(o for o in others if o is not None))


def _iso_day(value: Any) -> date | None:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _join(values: list[str | None]) -> str | None:
    found = list(dict.fromkeys(v for v in values if v))
    return ",".join(found)[:200] or None


def _plan(obj: dict[str, Any], index: int, ctx: _Context, origin: str) -> _Planned:
    stix_type, obj_id = _check_common(obj)
    if obj.get("spec_version") != "2.1":
        raise ValueError(f"spec_version {obj.get('spec_version')!r} is not 2.1 (STIX 2.0 is not read)")
    created = _timestamp(obj.get("created"), "created")
    modified_at = _timestamp(obj.get("modified"), "modified")
    if modified_at < created:
        raise ValueError(f"modified {obj['modified']} is before created {obj['created']}")
    _refs(obj, "object_marking_refs")
    if obj.get("revoked") is True:
        raise ValueError("the object is revoked")
    partner_ref = _ref(obj, "created_by_ref")
    partner = ctx.name(partner_ref) or partner_ref or "unknown partner"
    extrefs = obj.get("external_references") or []
    if not isinstance(extrefs, list) or not all(isinstance(e, dict) for e in extrefs):
        raise ValueError("external_references must be a list of objects")
    cited = next((e.get("source_name") for e in extrefs if isinstance(e.get("source_name"), str)), None)
    url = next((e.get("url") for e in extrefs if isinstance(e.get("url"), str)), None)
    source = str(cited or partner)[:200]
    event: dict[str, Any] = {"status": "extracted"}
    refs: list[str]
    claimed_on: date | None = created.date()
    published: date | None = created.date()
    if stix_type == "note":
        statement = _text(obj, "content", required=True) or ""
        title = _text(obj, "abstract") or statement[:120]
        refs = _refs(obj, "object_refs", required=True)
        authors = obj.get("authors") or []
        if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
            raise ValueError("authors must be a list of strings")
        speaker = authors[0] if authors else partner
        relationships = [ctx.get(r) for r in refs if ctx.get(r).get("type") == "relationship"]
        if relationships:
            rel = relationships[0]
            rel_type = str(rel.get("relationship_type") or "related-to")
            event_key = str(rel["id"])
            event.update(
                type=rel_type.replace("-", "_")[:40],
                source_actor=_join([ctx.actor(r.get("source_ref")) for r in relationships]),
                target_actor=_join([ctx.actor(r.get("target_ref")) for r in relationships]),
                object=_str_or_none(rel.get("x_watchfloor_object")),
                place=_str_or_none(rel.get("x_watchfloor_place")),
                summary=str(rel.get("description") or rel_type)[:MAX_TEXT_CHARS],
            )
            start, stop = _iso_day(rel.get("start_time")), _iso_day(rel.get("stop_time"))
            if start:
                # the exporter writes stop_time as the day after the last day (an open bound)
                event["date_start"] = start
                event["date_end"] = max(start, stop - timedelta(days=1)) if stop and stop > start else start
            ends = [r.get(k) for r in relationships for k in ("source_ref", "target_ref")]
            refs = refs + [r for r in ends if isinstance(r, str)]
        else:
            event_key = obj_id
            actors = [ctx.actor(r) for r in refs if ctx.get(r).get("type") in ("threat-actor", "identity")]
            event_type = _str_or_none(obj.get("x_watchfloor_event_type")) or "note"
            event.update(type=event_type[:40], source_actor=_join(actors), summary=title)
        claimed_on = _iso_day(obj.get("x_watchfloor_claimed_on")) or claimed_on
    elif stix_type == "sighting":
        sighted = _ref(obj, "sighting_of_ref", required=True)
        where = _refs(obj, "where_sighted_refs")
        observed = _refs(obj, "observed_data_refs")
        statement = _text(obj, "description") or f"sighting of {ctx.name(sighted) or sighted}"
        first = _timestamp(obj["first_seen"], "first_seen") if "first_seen" in obj else None
        last = _timestamp(obj["last_seen"], "last_seen") if "last_seen" in obj else None
        if first and last and last < first:
            raise ValueError(f"last_seen {obj['last_seen']} is before first_seen {obj['first_seen']}")
        title = f"{partner}: {statement}"[:300]
        observer = ctx.name(_ref(obj, "x_watchfloor_observer_ref"))
        speaker = partner
        event_key = obj_id
        seen_from, seen_to = first or last, last or first
        event.update(
            type="sighting",
            object=ctx.name(sighted) or sighted,
            place=_join([ctx.name(w) for w in where]),
            summary=statement,
            date_start=seen_from.date() if seen_from else None,
            date_end=seen_to.date() if seen_to else None,
            data={"kind": _str_or_none(obj.get("x_watchfloor_kind")), "observer": observer},
        )
        refs = [str(sighted), *where, *observed]
        if seen_to:
            claimed_on = seen_to.date()
    elif stix_type == "report":
        name = _text(obj, "name", required=True) or ""
        statement = _text(obj, "description") or name
        pub = _timestamp(obj.get("published"), "published")
        refs = _refs(obj, "object_refs", required=True)
        title = name
        speaker = partner
        event_key = obj_id
        event.update(type="report", summary=name[:MAX_TEXT_CHARS], date_start=pub.date(), date_end=pub.date())
        published = claimed_on = pub.date()
    else:  # pragma: no cover - the caller passes only the imported types
        raise ValueError(f"{stix_type} objects are not imported")
    table = source_table()
    partner_grade = obj.get("x_watchfloor_reliability")
    looked_up = table.lookup(cited, partner)
    reliability = clean_reliability(
        partner_grade if isinstance(partner_grade, str) else (looked_up.grade.value if looked_up else None)
    )
    partner_cred = obj.get("x_watchfloor_credibility")
    credibility = (
        clean_credibility(partner_cred)
        if isinstance(partner_cred, int) and not isinstance(partner_cred, bool)
        else _admiralty_credibility(obj.get("confidence"))
    )
    stance_text = obj.get("x_watchfloor_stance")
    stance = Stance.parse(stance_text if isinstance(stance_text, str) else None)
    hedged = obj.get("x_watchfloor_hedged") is True
    tlp = ctx.tlp(obj, refs)
    rel_from = (
        "the partner" if isinstance(partner_grade, str) else "the source table" if looked_up else "default F"
    )
    cred_from = (
        "the partner"
        if isinstance(partner_cred, int)
        else "STIX confidence"
        if "confidence" in obj
        else "default 6"
    )
    grade_rule = f"{IMPORT_ALGORITHM}: reliability {reliability} from {rel_from}, "
    grade_rule += f"credibility {credibility} from {cred_from}"
    canonical = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    doc_id = content_hash(canonical)
    document = {
        "id": doc_id,
        "kind": "stix",
        "fmt": "stix-2.1",
        "origin": f"{origin}#{obj_id}",
        "title": title[:1000],
        "url": url,
        "source": source,
        "source_grade": reliability,
        "published": published,
        "length": len(statement),
        "text": statement,
        "meta": {
            "stix": obj,
            "partner": partner,
            "partner_ref": partner_ref,
            "bundle": origin,
            "algorithm": IMPORT_ALGORITHM,
        },
    }
    claim = {
        "id": stable_id("claim", "stix", obj_id, obj["modified"]),
        "speaker": str(speaker)[:1000],
        "speaker_actor": ((canonical_actor(speaker) or "")[:200] or None) if stix_type == "note" else None,
        "stance": stance.value,
        "hedged": hedged,
        "reliability": reliability,
        "credibility": credibility,
        "claimed_on": claimed_on,
        "data": {
            "statement": statement,
            "stix_id": obj_id,
            "stix_type": stix_type,
            "stix_modified": obj["modified"],
            "partner": partner,
            "cited_source": cited,
            "grade_rule": grade_rule,
            "imported": True,
        },
    }
    event.setdefault("data", {})
    event["data"].update({"stix_key": event_key, "imported": True, "algorithm": IMPORT_ALGORITHM})
    return _Planned(
        index, obj_id, stix_type, str(obj["modified"]), modified_at, tlp, event_key, event, document, claim
    )


# -- writing --------------------------------------------------------------------------------------


def _forget(session: Session, row: StixImport) -> None:
    """Remove what an older version of an object stored: its claim, document and (if empty) event."""
    if row.document_id:
        claim_ids = list(session.scalars(select(Claim.id).where(Claim.document_id == row.document_id)))
        session.execute(delete(Provenance).where(Provenance.document_id == row.document_id))
        session.execute(
            delete(Provenance).where(Provenance.subject_kind == "claim", Provenance.subject_id.in_(claim_ids))
        )
        session.execute(delete(Claim).where(Claim.document_id == row.document_id))
        session.execute(delete(Document).where(Document.id == row.document_id))
    if row.event_id:
        left = session.scalar(select(func.count()).where(Claim.event_id == row.event_id)) or 0
        if not left:
            session.execute(delete(Provenance).where(Provenance.subject_id == row.event_id))
            session.execute(delete(Event).where(Event.id == row.event_id))
    session.flush()
    session.expire_all()


def _write(session: Session, plan: _Planned, origin: str, now: datetime) -> None:
    event_id = stable_id("event", "stix", plan.event_key)
    event = session.get(Event, event_id)
    if event is None:
        fields = dict(plan.event)
        event = Event(id=event_id, created_at=now, tlp=plan.tlp.value, **fields)
        session.add(event)
    else:
        event.tlp = strictest(event.tlp, plan.tlp).value
    doc = session.get(Document, plan.document["id"])
    if doc is None:
        doc = Document(**plan.document, ingested_at=now, tlp=plan.tlp.value)
        session.add(doc)
    session.flush()
    claim = Claim(event_id=event_id, document_id=doc.id, tlp=plan.tlp.value, **plan.claim)
    session.add(claim)
    text = str(plan.document["text"])
    session.add(
        Provenance(
            id=stable_id("prov", "claim", claim.id, doc.id, 0, len(text)),
            subject_kind="claim",
            subject_id=claim.id,
            kind="document_span",
            document_id=doc.id,
            start=0,
            end=len(text),
            quote=text,
        )
    )
    session.add(
        StixImport(
            stix_id=plan.stix_id,
            stix_type=plan.stix_type,
            modified=plan.modified,
            origin=origin,
            document_id=doc.id,
            event_id=event_id,
            tlp=plan.tlp.value,
            imported_at=now,
        )
    )
    session.flush()


def import_bundle(
    session: Session,
    raw: bytes | str,
    origin: str,
    *,
    max_bytes: int = MAX_BUNDLE_BYTES,
    default_tlp: str | Tlp | None = None,
) -> ImportResult:
    """Import a partner's STIX 2.1 bundle into the store (see the module docstring for the rules)."""
    bundle = parse_bundle(raw, origin, max_bytes)
    objects: list[Any] = bundle.get("objects", [])
    default = parse_tlp(default_tlp or get_settings().default_tlp, "default_tlp")
    ctx = _Context(objects, _bundle_markings(objects), default)
    result = ImportResult(origin, str(bundle["id"]), objects=len(objects))
    plans: list[_Planned] = []
    for index, obj in enumerate(objects):
        place = f"object {index}"
        try:
            stix_type, obj_id = _check_common(obj)
            place = f"object {index} ({obj_id})"
            if stix_type not in IMPORTED_TYPES:
                result.context += 1
                continue
            plans.append(_plan(obj, index, ctx, origin))
        except ValueError as exc:
            result.rejected += 1
            result.errors.append(str(InputError(origin, str(exc), place)))
    now = datetime.now(UTC)
    seen: dict[str, _Planned] = {}
    for plan in plans:  # a bundle holding two versions of one object: the newest counts
        before = seen.get(plan.stix_id)
        if before is None or plan.modified_at > before.modified_at:
            seen[plan.stix_id] = plan
        if before is not None:
            if before.modified_at == plan.modified_at:
                result.unchanged += 1
            else:
                result.older += 1
    for plan in sorted(seen.values(), key=lambda p: p.index):
        stored = session.get(StixImport, plan.stix_id)
        if stored is not None:
            stored_at = _timestamp(stored.modified, "modified")
            if stored_at == plan.modified_at:
                result.unchanged += 1
                continue
            if stored_at > plan.modified_at:
                result.older += 1
                continue
            _forget(session, stored)
            session.delete(session.get(StixImport, plan.stix_id))
            session.flush()
            result.replaced += 1
        else:
            result.imported += 1
        _write(session, plan, origin, now)
        result.by_type[plan.stix_type] += 1
        result.by_tlp[plan.tlp.value] += 1
        result.claims.append(str(plan.claim["id"]))
    return result
