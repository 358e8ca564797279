"""The TAXII 2.1 server read by ``taxii2-client`` over real HTTP (Uvicorn on a loopback port).

The router is mounted the way the API mounts it: at ``/taxii2/``, with a store dependency and a
principal dependency that authenticates the caller's API key against the store's users.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from taxii2client.v21 import ApiRoot, Collection, Server, as_pages

from tests.share.conftest import BearerAuth, Running, serve_taxii
from watchfloor.api.taxii import TAXII_MEDIA_TYPE, collection_id
from watchfloor.share.stix_export import export_stix
from watchfloor.share.tlp import Tlp
from watchfloor.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(demo_store: Store) -> Iterator[Running]:
    with serve_taxii(demo_store) as running:
        yield running


def _collections(running: Running, role: str) -> dict[str, Collection]:
    srv = Server(running.url, auth=BearerAuth(running.keys[role]))
    roots: list[ApiRoot] = srv.api_roots
    assert len(roots) == 1 and srv.default is not None and srv.default.url == roots[0].url
    return {c.alias: c for c in roots[0].collections}


def test_discovery_roots_and_collections_per_level(server: Running) -> None:
    srv = Server(server.url, auth=BearerAuth(server.keys["viewer"]))
    assert srv.title and srv.api_roots[0].url == server.url + "watchfloor/"
    root = srv.api_roots[0]
    assert root.versions == [TAXII_MEDIA_TYPE] and root.max_content_length == 0
    assert set(_collections(server, "viewer")) == {"clear", "green", "amber"}
    assert set(_collections(server, "analyst")) == {"clear", "green", "amber", "amber-strict"}
    assert set(_collections(server, "admin")) == {"clear", "green", "amber", "amber-strict"}  # no red
    amber = _collections(server, "viewer")["amber"]
    assert amber.can_read and not amber.can_write and amber.id == collection_id(Tlp.AMBER)


def test_client_lists_and_pages_the_demo_bundle(server: Running) -> None:
    amber = _collections(server, "viewer")["amber"]
    with server.store.session() as session:
        bundle, _ = export_stix(session, "amber")
    expected = {o["id"] for o in bundle["objects"]}
    pages = list(as_pages(amber.get_objects, per_request=40))
    got = [o for p in pages for o in p.get("objects", [])]
    assert len(pages) == -(-len(expected) // 40) and all(p["more"] for p in pages[:-1])
    assert not pages[-1]["more"]
    assert len(got) == len(expected) and {o["id"] for o in got} == expected  # every object once
    added = [str(o.get("modified") or o["created"]) for o in got]
    assert added == sorted(added)
    manifest = [m for p in as_pages(amber.get_manifest, per_request=100) for m in p["objects"]]
    assert [m["id"] for m in manifest] == [o["id"] for o in got]
    # added_after: only what was added later
    cut = added[len(added) // 2]
    later = amber.get_objects(added_after=cut)["objects"]
    assert later and all(str(o.get("modified") or o["created"]) > cut for o in later)
    assert len(later) == sum(1 for a in added if a > cut)
    # one object, its versions, and filters by type
    note = next(o for o in got if o["type"] == "note")
    assert amber.get_object(note["id"])["objects"] == [note]
    assert amber.object_versions(note["id"])["versions"] == [note["modified"]]
    sightings = amber.get_objects(type="sighting", limit=1000)["objects"]
    assert {o["type"] for o in sightings} == {"sighting"} and len(sightings) == sum(
        1 for o in got if o["type"] == "sighting"
    )


def test_green_collection_holds_only_what_is_green_or_clear(server: Running) -> None:
    green = _collections(server, "viewer")["green"]
    objects = [o for p in as_pages(green.get_objects, per_request=500) for o in p["objects"]]
    allowed = {Tlp.CLEAR.marking_id, Tlp.GREEN.marking_id}
    for obj in objects:
        if obj["type"] != "marking-definition":
            assert set(obj["object_marking_refs"]) & allowed
            assert Tlp.AMBER.marking_id not in obj["object_marking_refs"]
    assert not [o for o in objects if o["type"] in ("note", "sighting")]  # the demo's evidence is amber


def test_http_errors_are_taxii_errors(server: Running) -> None:
    viewer = {"Authorization": f"Bearer {server.keys['viewer']}", "Accept": TAXII_MEDIA_TYPE}
    assert requests.get(server.url, timeout=10).status_code == 401
    bad_key = requests.get(server.url, headers={"Authorization": "Bearer wf_nope"}, timeout=10)
    assert bad_key.status_code == 401
    strict = f"{server.url}watchfloor/collections/{collection_id(Tlp.AMBER_STRICT)}/objects/"
    hidden = requests.get(strict, headers=viewer, timeout=10)
    assert hidden.status_code == 404 and hidden.headers["content-type"] == TAXII_MEDIA_TYPE
    assert hidden.json()["http_status"] == "404"
    red = f"{server.url}watchfloor/collections/{collection_id(Tlp.RED)}/"
    admin = {**viewer, "Authorization": f"Bearer {server.keys['admin']}"}
    assert requests.get(red, headers=admin, timeout=10).status_code == 404
    amber = f"{server.url}watchfloor/collections/{collection_id(Tlp.AMBER)}/objects/"
    for params, status in [
        ({"limit": "0"}, 400),
        ({"limit": "many"}, 422),
        ({"added_after": "last week"}, 400),
        ({"next": "!!!"}, 400),
    ]:
        answer = requests.get(amber, headers=viewer, params=params, timeout=10)
        assert answer.status_code == status, (params, answer.text)
    wrong = requests.get(amber, headers={**viewer, "Accept": "application/xml"}, timeout=10)
    assert wrong.status_code == 406 and "application/taxii+json;version=2.1" in wrong.json()["description"]
    assert requests.get(f"{server.url}nowhere/", headers=viewer, timeout=10).status_code == 404
    answer: dict[str, Any] = requests.get(amber, headers=viewer, params={"limit": 5}, timeout=10).json()
    assert len(answer["objects"]) == 5 and answer["more"] and answer["next"]
