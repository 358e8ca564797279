"""TLP by trying: TLP:RED items planted in the store leave it through no export and no TAXII answer.

Planted in a copy of the demo store: a red document (and an amber claim resting on it), a red claim
on an amber event, a red event with an amber claim, a red maritime event, a red vessel, and a red
note imported from a partner's bundle. Each carries a canary string. Amber twins of some of them
(an amber canary) are the control: they must appear where amber is allowed, so the search for the
red canary is known to be able to find what it looks for.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
import stix2

from tests.share.conftest import Running, serve_taxii
from watchfloor.api.taxii import COLLECTION_LEVELS, TAXII_MEDIA_TYPE, collection_id
from watchfloor.service.sharing import export_ftm_file, export_stix_file
from watchfloor.service.users import Principal, Role
from watchfloor.share.ftm_export import export_ftm
from watchfloor.share.stix_export import export_stix, stix_id
from watchfloor.share.stix_import import import_bundle
from watchfloor.share.tlp import Tlp
from watchfloor.store import Store
from watchfloor.store.models import Claim, Document, Entity, Event, MaritimeEvent

pytestmark = pytest.mark.slow
RED = "RED-CANARY-41c9"
AMBER = "AMBER-CONTROL-77e2"
LEVELS = ("clear", "green", "amber", "amber+strict")


def _claim(claim_id: str, event_id: str, document_id: str, statement: str, tlp: str) -> Claim:
    return Claim(
        id=claim_id,
        event_id=event_id,
        document_id=document_id,
        speaker="Associated Press",
        stance="asserts",
        reliability="B",
        credibility=2,
        claimed_on=date(2024, 10, 29),
        data={"statement": statement},
        tlp=tlp,
    )


def _event(event_id: str, summary: str, tlp: str) -> Event:
    return Event(
        id=event_id,
        type="arms_transfer",
        source_actor="kp",
        target_actor="ru",
        object=summary,
        date_start=date(2024, 10, 20),
        summary=summary,
        created_at=datetime(2024, 10, 29, tzinfo=UTC),
        tlp=tlp,
    )


def _plant(store: Store) -> list[str]:
    """Plant the red items (and their amber controls); returns the red records' STIX ids."""
    now = datetime(2024, 10, 30, tzinfo=UTC)
    with store.session() as session:
        amber_doc = session.query(Document).order_by(Document.id).first()
        assert amber_doc is not None and amber_doc.tlp == "amber"
        red_doc = Document(
            id="d" * 64, kind="report", fmt="text", origin="planted.txt", title=f"{RED} title", source=RED,
            source_grade="B", published=date(2024, 10, 29), length=30, text=f"{RED} text of the document",
            meta={}, ingested_at=now, tlp="red",
        )  # fmt: skip
        session.add(red_doc)
        session.add(_event("event-planted-amber", f"{AMBER} amber event", "amber"))
        session.add(_event("event-planted-red", f"{RED} red event", "red"))
        session.flush()
        on_amber, on_red = "event-planted-amber", "event-planted-red"
        session.add_all(
            [
                _claim("claim-on-red-doc", on_amber, red_doc.id, f"{RED} rests on a red doc", "amber"),
                _claim("claim-red", on_amber, amber_doc.id, f"{RED} red claim", "red"),
                _claim("claim-amber", on_amber, amber_doc.id, f"{AMBER} amber claim", "amber"),
                _claim("claim-in-red-event", on_red, amber_doc.id, f"{RED} in a red event", "amber"),
            ]
        )
        maritime = session.query(MaritimeEvent).filter(MaritimeEvent.kind == "encounter").first()
        assert maritime is not None
        maritime.tlp, maritime.vessel_name = "red", f"{RED} vessel in AIS"
        vessel = (
            session.query(Entity)
            .filter(Entity.schema == "Vessel", Entity.merged_into.is_(None))
            .order_by(Entity.id)
            .first()
        )
        assert vessel is not None
        vessel.tlp, vessel.caption = "red", f"{RED} vessel entity"
        red_ids = [
            stix_id("note", "claim-on-red-doc"),
            stix_id("note", "claim-red"),
            stix_id("note", "claim-in-red-event"),
            stix_id("sighting", maritime.id),
        ]
    partner = stix2.Identity(name="Partner agency", identity_class="organization")
    note = stix2.Note(
        content=f"{RED} imported from a partner", object_refs=[partner.id], created_by_ref=partner.id,
        object_marking_refs=[Tlp.RED.marking_id],
    )  # fmt: skip
    bundle = {"type": "bundle", "id": "bundle--0f6d3c1e-3a2b-4c5d-8e9f-0a1b2c3d4e5f",
              "objects": [json.loads(partner.serialize()), json.loads(note.serialize())]}  # fmt: skip
    with store.session() as session:
        result = import_bundle(session, json.dumps(bundle), "partner-red.json")
    assert result.imported == 1 and result.by_tlp == {"red": 1}
    return red_ids


@pytest.fixture(scope="module")
def planted(demo_store: Store) -> Iterator[tuple[Store, list[str]]]:
    yield demo_store, _plant(demo_store)


def test_no_stix_or_ftm_export_carries_red(planted: tuple[Store, list[str]], tmp_path: Path) -> None:
    store, red_ids = planted
    admin = Principal("root", Role.ADMIN)
    for level in LEVELS:
        stix_file = export_stix_file(store, admin, tmp_path / f"{level}.json", level=level)
        ftm_file = export_ftm_file(store, admin, tmp_path / f"{level}.ftm.json", level=level)
        texts = [
            Path(stix_file.path).read_text(encoding="utf-8"),
            Path(ftm_file.path).read_text(encoding="utf-8"),
        ]
        for text in texts:
            assert RED not in text and "imported from a partner" not in text
            assert not [i for i in red_ids if i in text]
        if Tlp(level).rank >= Tlp.AMBER.rank:  # the control is found where amber may go
            assert AMBER in texts[0] and AMBER in texts[1]
        else:
            assert AMBER not in texts[0] and AMBER not in texts[1]
    with store.session() as session:  # even asked for "red" directly, below the service's refusal
        bundle, sel = export_stix(session, "red")
        entities, _ = export_ftm(session, "red")
    assert RED not in json.dumps(bundle) and RED not in json.dumps(entities)
    assert sel.withheld["document"] >= 2 and sel.withheld["event"] >= 1 and sel.withheld["claim"] >= 3
    assert sel.withheld["maritime_event"] >= 1 and sel.withheld["entity"] >= 1


@pytest.fixture(scope="module")
def server(planted: tuple[Store, list[str]]) -> Iterator[Running]:
    with serve_taxii(planted[0]) as running:
        yield running


def _get(url: str, key: str, params: dict[str, Any] | None = None) -> requests.Response:
    headers = {"Authorization": f"Bearer {key}", "Accept": TAXII_MEDIA_TYPE}
    return requests.get(url, headers=headers, params=params, timeout=60)


def test_no_taxii_answer_carries_red(planted: tuple[Store, list[str]], server: Running) -> None:
    _, red_ids = planted
    root = server.url + "watchfloor/"
    for role, key in server.keys.items():
        answers = [_get(server.url, key), _get(root, key), _get(root + "collections/", key)]
        visible = [c["id"] for c in answers[-1].json()["collections"]]
        assert collection_id(Tlp.RED) not in visible
        for cid in visible:
            base = f"{root}collections/{cid}/"
            answers += [_get(base, key)]
            for resource in ("objects/", "manifest/"):
                params: dict[str, Any] = {"limit": 1000}
                while True:
                    answer = _get(base + resource, key, params)
                    answers.append(answer)
                    if not answer.json().get("more"):
                        break
                    params = {"limit": 1000, "next": answer.json()["next"]}
            for red_id in red_ids:  # asked for by id: as if it did not exist
                assert _get(f"{base}objects/{red_id}/", key).status_code == 404
                assert _get(f"{base}objects/{red_id}/versions/", key).status_code == 404
        red_collection = _get(f"{root}collections/{collection_id(Tlp.RED)}/objects/", key)
        assert red_collection.status_code == 404
        text = "\n".join(a.text for a in answers)
        assert all(a.status_code == 200 for a in answers), role
        assert RED not in text and "imported from a partner" not in text
        assert not [i for i in red_ids if i in text]
        assert AMBER in text  # every role may read the amber collection: the control is found
    strict = f"{root}collections/{collection_id(Tlp.AMBER_STRICT)}/objects/"
    assert _get(strict, server.keys["viewer"]).status_code == 404
    assert [level.value for level in COLLECTION_LEVELS] == list(LEVELS)
