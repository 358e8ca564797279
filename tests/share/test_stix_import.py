"""STIX 2.1 import: the demo assessment round-trips into a fresh store as graded claims, idempotently."""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
import stix2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from watchfloor.errors import InputError
from watchfloor.share.stix_export import export_stix
from watchfloor.share.stix_import import import_bundle, parse_bundle, read_bundle_file
from watchfloor.share.tlp import Tlp
from watchfloor.store import Store, open_store
from watchfloor.store.documents import count_rows
from watchfloor.store.models import Claim, Document, Event, Review, StixImport

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_bundle(demo_store: Store) -> dict[str, Any]:
    with demo_store.session() as session:
        bundle, _ = export_stix(session, "amber")
    return bundle


@pytest.fixture
def fresh(tmp_path: Path) -> Store:
    return open_store(f"sqlite:///{tmp_path / 'partner.db'}")


def _objects(bundle: dict[str, Any], stix_type: str) -> list[dict[str, Any]]:
    return [o for o in bundle["objects"] if o["type"] == stix_type]


def test_demo_assessment_round_trips_as_graded_claims(
    demo_store: Store, demo_bundle: dict[str, Any], fresh: Store
) -> None:
    notes, sightings = _objects(demo_bundle, "note"), _objects(demo_bundle, "sighting")
    assert notes and sightings
    with fresh.session() as session:
        result = import_bundle(session, json.dumps(demo_bundle), "demo-amber.json")
    assert result.errors == [] and result.rejected == 0
    assert result.imported == len(notes) + len(sightings) + 1  # + the report
    assert result.by_type == {"note": len(notes), "sighting": len(sightings), "report": 1}
    with demo_store.session() as session:
        originals = {c.id: c for c in session.scalars(select(Claim))}
    with fresh.session() as session:
        claims = list(session.scalars(select(Claim)))
        assert len(claims) == result.imported
        by_stix = {c.data["stix_id"]: c for c in claims}
        for note in notes:
            claim = by_stix[note["id"]]
            original = originals[note["x_watchfloor_claim_id"]]
            # the partner's grade and stance are kept, with the rule that took them
            assert (claim.reliability, claim.credibility) == (original.reliability, original.credibility)
            assert claim.stance == original.stance
            assert "from the partner" in claim.data["grade_rule"]
            assert claim.tlp == "amber"
            doc = session.get(Document, claim.document_id)
            assert doc is not None and doc.kind == "stix" and doc.text == note["content"]
            assert doc.source == "Associated Press"  # the source the partner cites
            assert doc.meta["stix"]["id"] == note["id"] and "demo-amber.json" in doc.origin
        # events keep their types and actors, but they are claims, not confirmed facts
        events = list(session.scalars(select(Event)))
        assert {e.status for e in events} == {"extracted"}
        assert session.scalar(select(func.count()).select_from(Review)) == 0
        with demo_store.session() as demo:
            troop = demo.scalars(select(Event).where(Event.type == "troop_deployment")).one()
            troop_claims = len(troop.claims)
        imported_troop = [e for e in events if e.type == "troop_deployment"]
        assert len(imported_troop) == 1 and len(imported_troop[0].claims) == troop_claims
        assert (imported_troop[0].source_actor, imported_troop[0].target_actor) == ("kp", "ru")
        sighting_rows = [e for e in events if e.type == "sighting"]
        assert len(sighting_rows) == len(sightings)
        assert {e.data["kind"] for e in sighting_rows} >= {"port_visit", "encounter"}


def test_import_is_idempotent_by_id_and_version(demo_bundle: dict[str, Any], fresh: Store) -> None:
    raw = json.dumps(demo_bundle)
    with fresh.session() as session:
        first = import_bundle(session, raw, "a.json")
    with fresh.session() as session:
        before = count_rows(session)
        again = import_bundle(session, raw, "a.json")
        assert count_rows(session) == before
    assert again.imported == again.replaced == 0 and again.unchanged == first.imported

    newer = copy.deepcopy(demo_bundle)
    note = _objects(newer, "note")[0]
    note["content"] = "Revised: the partner now reads this sentence differently."
    note["modified"] = "2030-01-01T00:00:00.000Z"
    with fresh.session() as session:
        updated = import_bundle(session, json.dumps(newer), "b.json")
        assert count_rows(session) == before  # replaced, not added
        claim = session.scalars(select(Claim).where(Claim.id.in_(updated.claims))).one()
        doc = session.get(Document, claim.document_id)
        assert doc is not None and doc.text.startswith("Revised:")
        record = session.get(StixImport, note["id"])
        assert record is not None and record.modified == "2030-01-01T00:00:00.000Z"
    assert (updated.replaced, updated.imported, updated.unchanged) == (1, 0, first.imported - 1)

    with fresh.session() as session:  # the first version again: older than the one stored
        older = import_bundle(session, raw, "a.json")
        stored = session.get(Document, claim.document_id)
        assert stored is not None and stored.text.startswith("Revised:")
    assert older.older == 1 and older.replaced == 0


def test_markings_are_kept_and_fail_closed(demo_bundle: dict[str, Any], fresh: Store) -> None:
    bundle = copy.deepcopy(demo_bundle)
    for obj in bundle["objects"]:  # what the notes refer to is CLEAR, so each note's own marking counts
        if obj["type"] != "note" and "object_marking_refs" in obj:
            obj["object_marking_refs"] = [Tlp.CLEAR.marking_id]
    notes: list[dict[str, Any]] = []
    used: set[str] = set()
    for note in _objects(bundle, "note"):  # five notes about different relationships
        if not used & set(note["object_refs"]):
            notes.append(note)
            used |= set(note["object_refs"])
    assert len(notes) >= 5
    notes[0]["object_marking_refs"] = [Tlp.GREEN.marking_id]
    tlp1_red = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"  # the stix2 library's TLP_RED
    notes[1]["object_marking_refs"] = [tlp1_red]
    del notes[2]["object_marking_refs"]
    # a CLEAR note on a relationship marked TLP:RED is as restricted as what it is about
    notes[3]["object_marking_refs"] = [Tlp.CLEAR.marking_id]
    rel = next(o for o in bundle["objects"] if o["id"] == notes[3]["object_refs"][0])
    rel["object_marking_refs"] = [Tlp.RED.marking_id]
    # a marking definition the bundle defines (TLP 2.0 extension) is read
    custom = Tlp.AMBER_STRICT.marking()
    custom["id"] = "marking-definition--0b8e7b8d-1c5e-4a4e-9a3e-2f9a7f1d6c11"
    bundle["objects"].insert(0, custom)
    notes[4]["object_marking_refs"] = [custom["id"]]
    with fresh.session() as session:
        result = import_bundle(session, json.dumps(bundle), "marked.json", default_tlp="amber")
        tlp = {c.data["stix_id"]: c.tlp for c in session.scalars(select(Claim))}
        doc_tlp = {d.meta["stix"]["id"]: d.tlp for d in session.scalars(select(Document))}
    assert result.errors == []
    expected = ["green", "red", "amber", "red", "amber+strict"]
    assert [tlp[n["id"]] for n in notes[:5]] == expected
    assert [doc_tlp[n["id"]] for n in notes[:5]] == expected


def test_a_partner_bundle_made_with_stix2(fresh: Store) -> None:
    """A bundle built by another producer with the stix2 library: graded from confidence and the table."""
    partner = stix2.Identity(name="Reuters", identity_class="organization")
    vessel = stix2.Identity(name="LADY R", identity_class="organization")
    sighting = stix2.Sighting(
        sighting_of_ref=vessel.id,
        created_by_ref=partner.id,
        first_seen="2024-10-02T08:00:00Z",
        last_seen="2024-10-02T20:00:00Z",
        confidence=75,
        description="LADY R seen loading containers at Rajin",
        object_marking_refs=[stix2.TLP_GREEN],
    )
    bundle = stix2.Bundle(partner, vessel, sighting, stix2.TLP_GREEN)
    with fresh.session() as session:
        result = import_bundle(session, bundle.serialize(), "reuters.json")
        claim = session.scalars(select(Claim)).one()
        event = session.get(Event, claim.event_id)
    assert result.imported == 1 and result.context == 3
    assert (claim.reliability, claim.credibility, claim.tlp) == ("B", 2, "green")
    assert "source table" in claim.data["grade_rule"] and "STIX confidence" in claim.data["grade_rule"]
    assert event is not None and event.object == "LADY R" and str(event.date_start) == "2024-10-02"


def test_bad_objects_are_named_and_the_rest_goes_on(demo_bundle: dict[str, Any], fresh: Store) -> None:
    bundle = copy.deepcopy(demo_bundle)
    objects = bundle["objects"]
    note_at = [i for i, o in enumerate(objects) if o["type"] == "note"]
    del objects[note_at[0]]["content"]
    objects[note_at[1]]["modified"] = "yesterday"
    objects[note_at[2]]["id"] = "note--not-a-uuid"
    objects.append(["not", "an", "object"])
    with fresh.session() as session:
        result = import_bundle(session, json.dumps(bundle), "broken.json")
        stored = session.scalar(select(func.count()).select_from(Claim))
    assert result.rejected == 4 and len(result.errors) == 4
    assert (
        result.imported
        == stored
        == len(_objects(demo_bundle, "note")) + len(_objects(demo_bundle, "sighting")) + 1 - 3
    )
    assert result.errors[0].startswith(f"broken.json, object {note_at[0]} (note--")
    assert "content is required" in result.errors[0]
    assert "modified 'yesterday' is not a STIX timestamp" in result.errors[1]
    assert f"object {note_at[2]}:" in result.errors[2] and "not note--<uuid>" in result.errors[2]
    assert f"object {len(objects) - 1}: not a JSON object" in result.errors[3]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"type": "bundle", "id": "bundle--1", ', "not JSON"),
        (b'{"type": "indicator"}', "expected a STIX 2.1 bundle"),
        (b"[1, 2]", "expected a STIX 2.1 bundle"),
        (b'{"type": "bundle", "id": "bundle--9f3a1c52-6a3e-4d11-8d8e-2a5f0b1c7e44", "objects": 1}', "a list"),
        (b'{"type": "bundle", "type": "bundle"}', "duplicate key 'type'"),
        (b'{"type": "bundle", "id": NaN}', "NaN is not a JSON number"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_malformed_bundles_are_refused_whole(raw: bytes, message: str, fresh: Store) -> None:
    with fresh.session() as session:
        before = count_rows(session)
        with pytest.raises(InputError, match=r"^bad\.json") as info:
            import_bundle(session, raw, "bad.json")
        assert message in str(info.value)
        assert count_rows(session) == before


def test_size_cap_refuses_before_parsing(tmp_path: Path, demo_bundle: dict[str, Any]) -> None:
    path = tmp_path / "big.json"
    path.write_text(json.dumps(demo_bundle), encoding="utf-8")
    with pytest.raises(InputError, match=r"big.json: bundle is [\d,]+ bytes, over the 1,000-byte limit"):
        read_bundle_file(path, max_bytes=1000)
    with pytest.raises(InputError, match="over the 1,000-byte limit"):
        parse_bundle(path.read_bytes(), str(path), max_bytes=1000)
    assert parse_bundle(read_bundle_file(path), str(path))["id"] == demo_bundle["id"]


@pytest.mark.postgres
def test_import_into_postgresql_is_idempotent(demo_bundle: dict[str, Any], postgres_url: str) -> None:
    """The same import on PostgreSQL (column lengths and JSON are enforced there, unlike SQLite)."""
    store = open_store(postgres_url)
    try:
        with store.session() as session:
            first = import_bundle(session, json.dumps(demo_bundle), "demo-amber.json")
        with store.session() as session:
            before = count_rows(session)
            again = import_bundle(session, json.dumps(demo_bundle), "demo-amber.json")
            assert count_rows(session) == before
            assert session.scalar(select(func.count()).select_from(Claim)) == first.imported
    finally:
        store.close()
    assert first.errors == [] and first.imported > 0 and again.unchanged == first.imported


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
_FIELDS = st.sampled_from(
    [
        "id", "spec_version", "created", "modified", "content", "object_refs", "object_marking_refs",
        "granular_markings", "sighting_of_ref", "first_seen", "last_seen", "published", "name",
        "created_by_ref", "external_references", "authors", "confidence", "relationship_type",
        "source_ref", "target_ref", "start_time", "x_watchfloor_reliability", "x_watchfloor_credibility",
    ]
)  # fmt: skip


_TYPES = ["note", "sighting", "report", "relationship", "identity", "marking-definition"]
_POOL = [f"{t}--{uuid.UUID(int=i, version=4)}" for t in _TYPES for i in range(3)]
"""A few ids per type, so that objects refer to each other, collide and come in several versions."""


@st.composite
def _hostile_objects(draw: st.DrawFn) -> dict[str, Any]:
    stix_type = draw(st.sampled_from(_TYPES))
    obj: dict[str, Any] = {
        "type": stix_type,
        "id": draw(st.sampled_from([i for i in _POOL if i.startswith(stix_type + "--")])),
        "spec_version": "2.1",
        "created": "2024-10-29T00:00:00.000Z",
        "modified": draw(st.sampled_from(["2024-10-29T00:00:00.000Z", "2024-10-30T00:00:00Z"])),
    }
    value = _JSON | st.sampled_from(_POOL) | st.lists(st.sampled_from(_POOL), max_size=3)
    for name in draw(st.lists(_FIELDS, max_size=6)):
        obj[name] = draw(value)
    return obj


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(objects=st.lists(_hostile_objects(), max_size=6))
def test_hostile_objects_are_refused_or_imported_never_a_crash(
    objects: list[dict[str, Any]], fresh: Store
) -> None:
    bundle = {"type": "bundle", "id": "bundle--9f3a1c52-6a3e-4d11-8d8e-2a5f0b1c7e44", "objects": objects}
    with fresh.session() as session:
        result = import_bundle(session, json.dumps(bundle), "fuzz.json")
    assert result.rejected == len(result.errors)
    counted = result.imported + result.replaced + result.unchanged + result.older + result.context
    assert counted + result.rejected == len(objects)
    assert all(e.startswith("fuzz.json, object ") for e in result.errors)


def test_a_malformed_marking_on_what_a_note_refers_to_is_red(fresh: Store) -> None:
    partner = stix2.Identity(name="Partner agency", identity_class="organization")
    note = stix2.Note(
        content="about a badly marked actor", object_refs=[partner.id], created_by_ref=partner.id
    )
    actor = json.loads(partner.serialize())
    actor["object_marking_refs"] = 5  # not a list: nobody can say what it allows
    bundle = {"type": "bundle", "id": "bundle--9f3a1c52-6a3e-4d11-8d8e-2a5f0b1c7e44",
              "objects": [actor, json.loads(note.serialize())]}  # fmt: skip
    with fresh.session() as session:
        result = import_bundle(session, json.dumps(bundle), "marks.json", default_tlp="green")
        claim = session.scalars(select(Claim)).one()
    assert result.imported == 1 and claim.tlp == "red"
