"""The REST API over real HTTP: Uvicorn on a loopback port, the real demo store, real keys.

Each refusal (missing key, wrong key, a viewer trying to review, malformed JSON, an oversize
upload) gets its status and a clear message, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from tests.live_server import copy_demo_store, live_server, make_keys, open_service
from watchfloor.maritime.scenario import STORY_VESSELS
from watchfloor.service.app import Watchfloor
from watchfloor.service.users import Role
from watchfloor.store.models import AuditRecord, Claim, Document, Event, Review

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(
    demo_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, dict[Role, str], Watchfloor]]:
    db = copy_demo_store(demo_db, tmp_path_factory.mktemp("api") / "store")
    service = open_service(db, api_max_upload_mib=1.0, api_rate_per_minute=3)
    keys = make_keys(service)
    with live_server(service) as url:
        yield url, keys, service
    service.close()


def _rows(service: Watchfloor, model: Any) -> int:
    with service.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _get(url: str, key: str | None, path: str, **params: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.get(url + path, headers=headers, params=params, timeout=60)


def test_health_answers_without_a_key_and_nothing_else_does(
    served: tuple[str, dict[Role, str], Watchfloor],
) -> None:
    url, _keys, _ = served
    health = httpx.get(f"{url}/api/v1/health", timeout=30)
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert httpx.get(f"{url}/openapi.json", timeout=30).status_code == 200
    for path in ("/api/v1/me", "/api/v1/events", "/api/v1/assessment", "/api/v1/alerts", "/api/v1/documents"):
        missing = _get(url, None, path)
        assert missing.status_code == 401, path
        assert missing.json()["error"] == "unauthenticated" and "API key" in missing.json()["detail"]
        wrong = _get(url, "wf_not-a-real-key", path)
        assert wrong.status_code == 401 and "unknown" in wrong.json()["detail"]


def test_every_key_header_form_identifies_the_user(served: tuple[str, dict[Role, str], Watchfloor]) -> None:
    url, keys, _ = served
    key = keys[Role.ANALYST]
    for headers in (
        {"Authorization": f"Bearer {key}"},
        {"Authorization": f"ApiKey {key}"},
        {"X-API-Key": key},
    ):
        me = httpx.get(f"{url}/api/v1/me", headers=headers, timeout=30)
        assert me.status_code == 200
        assert me.json() == {"user": "ana", "role": "analyst", "tlp": "amber+strict"}


def test_a_viewer_may_read_but_not_review_and_nothing_is_written(
    served: tuple[str, dict[Role, str], Watchfloor],
) -> None:
    url, keys, service = served
    events = _get(url, keys[Role.VIEWER], "/api/v1/events", limit=5).json()
    assert events["total"] >= 5 and len(events["items"]) == 5
    target = events["items"][0]["id"]
    before = (_rows(service, Review), _rows(service, AuditRecord))
    refused = httpx.post(
        f"{url}/api/v1/reviews",
        headers={"Authorization": f"Bearer {keys[Role.VIEWER]}"},
        json={"target_kind": "event", "target_id": target, "decision": "reject", "why": "looks wrong"},
        timeout=60,
    )
    assert refused.status_code == 403
    assert refused.json()["error"] == "forbidden" and "analyst" in refused.json()["detail"]
    assert (_rows(service, Review), _rows(service, AuditRecord)) == before


def test_malformed_and_invalid_bodies_are_refused_clearly(
    served: tuple[str, dict[Role, str], Watchfloor],
) -> None:
    url, keys, service = served
    headers = {"Authorization": f"Bearer {keys[Role.ANALYST]}", "Content-Type": "application/json"}
    before = _rows(service, Review)
    broken = httpx.post(
        f"{url}/api/v1/reviews", headers=headers, content=b'{"target_kind": "event", ', timeout=30
    )
    assert broken.status_code == 400 and broken.json()["error"] == "malformed_json"
    wrong = httpx.post(
        f"{url}/api/v1/reviews",
        headers=headers,
        timeout=30,
        json={"target_kind": "event", "target_id": "x", "decision": "maybe", "why": "because"},
    )
    assert wrong.status_code == 422 and wrong.json()["detail"].startswith("decision:")
    unknown = httpx.post(
        f"{url}/api/v1/reviews",
        headers=headers,
        timeout=30,
        json={
            "target_kind": "event",
            "target_id": "event-doesnotexist",
            "decision": "confirm",
            "why": "seen it",
        },
    )
    assert unknown.status_code == 404 and "event-doesnotexist" in unknown.json()["detail"]
    assert _rows(service, Review) == before


def test_a_chunked_body_without_length_is_held_to_the_limit(
    served: tuple[str, dict[Role, str], Watchfloor],
) -> None:
    url, keys, service = served
    before = _rows(service, Review)

    def chunks() -> Iterator[bytes]:  # no Content-Length: the body streams in chunks
        yield b'{"target_kind": "event", "target_id": "x", "decision": "confirm", "why": "'
        for _ in range(2_000):
            yield b"a" * 1024
        yield b'"}'

    refused = httpx.post(
        f"{url}/api/v1/reviews",
        headers={"Authorization": f"Bearer {keys[Role.ANALYST]}", "Content-Type": "application/json"},
        content=chunks(),
        timeout=60,
    )
    assert refused.status_code == 413 and refused.json()["error"] == "too_large"
    assert _rows(service, Review) == before


def test_an_oversize_upload_is_refused_and_leaves_nothing(
    served: tuple[str, dict[Role, str], Watchfloor], founding_report: Path
) -> None:
    url, keys, service = served
    before = _rows(service, Document)
    big = b"SEOUL, March 12, 2025 (Reuters) - " + b"North Korea sent troops. " * 80_000
    refused = httpx.post(
        f"{url}/api/v1/ingest/reports",
        headers={"Authorization": f"Bearer {keys[Role.ANALYST]}"},
        files={"files": ("big.txt", big, "text/plain")},
        timeout=60,
    )
    assert refused.status_code == 413 and refused.json()["error"] == "too_large"
    assert _rows(service, Document) == before
    viewer = httpx.post(
        f"{url}/api/v1/ingest/reports",
        headers={"Authorization": f"Bearer {keys[Role.VIEWER]}"},
        files={"files": ("ok.txt", b"short", "text/plain")},
        timeout=60,
    )
    assert viewer.status_code == 403
    assert _rows(service, Document) == before


def test_an_analyst_review_is_audited_and_changes_what_is_served(
    served: tuple[str, dict[Role, str], Watchfloor],
) -> None:
    url, keys, _service = served
    queue = _get(url, keys[Role.ANALYST], "/api/v1/review-queue", limit=50).json()
    target = next(item["target_id"] for item in queue["items"] if item["target_kind"] == "event")
    done = httpx.post(
        f"{url}/api/v1/reviews",
        headers={"Authorization": f"Bearer {keys[Role.ANALYST]}"},
        json={"target_kind": "event", "target_id": target, "decision": "reject", "why": "misread quote"},
        timeout=120,
    )
    assert done.status_code == 201, done.text
    assert done.json()["who"] == "ana" and "level" in done.json()["stage_after"]
    log = _get(url, keys[Role.VIEWER], "/api/v1/reviews").json()["items"]
    assert log[0]["target_id"] == target and log[0]["who"] == "ana" and log[0]["why"] == "misread quote"
    assert _get(url, keys[Role.VIEWER], f"/api/v1/events/{target}").json()["status"] == "rejected"
    whole = _get(url, keys[Role.ANALYST], "/api/v1/review-queue", limit=500).json()
    paged = [
        i
        for o in range(0, whole["total"], 7)
        for i in _get(url, keys[Role.ANALYST], "/api/v1/review-queue", limit=7, offset=o).json()["items"]
    ]
    assert [i["target_id"] for i in paged] == [i["target_id"] for i in whole["items"]]
    assert len(paged) == whole["total"]
    assert target not in {
        i["target_id"] for i in _get(url, keys[Role.ANALYST], "/api/v1/review-queue").json()["items"]
    }
    audit = _get(url, keys[Role.ADMIN], "/api/v1/audit").json()["items"]
    assert audit[0]["user"] == "ana" and audit[0]["action"] == "review" and audit[0]["target"] == target
    assert _get(url, keys[Role.ANALYST], "/api/v1/audit").status_code == 403


def test_pages_and_filters(served: tuple[str, dict[Role, str], Watchfloor]) -> None:
    url, keys, _ = served
    key = keys[Role.VIEWER]
    first = _get(url, key, "/api/v1/events", limit=3, offset=0).json()
    second = _get(url, key, "/api/v1/events", limit=3, offset=3).json()
    assert first["total"] == second["total"] and not {e["id"] for e in first["items"]} & {
        e["id"] for e in second["items"]
    }
    kind = first["items"][0]["type"]
    only = _get(url, key, "/api/v1/events", type=kind, limit=100).json()
    assert only["items"] and all(e["type"] == kind for e in only["items"])
    claim = next(c for e in _get(url, key, "/api/v1/events", limit=100).json()["items"] for c in e["claims"])
    document = _get(url, key, f"/api/v1/documents/{claim['document_id']}").json()
    start, end = claim["span"]
    assert document["text"][start:end] == claim["sentence"]
    assert claim["grade"] == f"{claim['reliability']}{claim['credibility']}"
    ports = _get(url, key, "/api/v1/maritime/ports").json()
    listed = _get(url, key, "/api/v1/maritime/events", listed="true", limit=10).json()
    everything = _get(url, key, "/api/v1/maritime/events", limit=10).json()
    # The demo's AIS is a simulation with invented ships (issue 17): none is on a real list, so the
    # listed filter keeps nothing of the events that the unfiltered page shows.
    assert ports and everything["items"] and listed["items"] == [] and listed["total"] == 0
    assert not any(v["listed"] for e in everything["items"] for v in e["vessels"])
    assert all(e["ais_messages"] for e in listed["items"])
    assert _get(url, key, "/api/v1/events", since="yesterday").status_code == 400


def test_match_speaks_yente(served: tuple[str, dict[Role, str], Watchfloor]) -> None:
    url, keys, _ = served
    body = {
        "queries": {
            "q1": {"schema": "Person", "properties": {"name": ["Kim Chong-un"]}},
            "q2": {"schema": "Vessel", "properties": {"name": ["Lady R"], "imoNumber": ["9161003"]}},
        }
    }
    answer = httpx.post(
        f"{url}/match/default",
        headers={"Authorization": f"ApiKey {keys[Role.VIEWER]}"},
        json=body,
        timeout=120,
    )
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert set(data) == {"responses", "matcher", "limit"} and answer.headers["x-batch-size"] == "2"
    top = data["responses"]["q1"]["results"][0]
    assert top["caption"] == "KIM, Jong Un" and top["match"] is True and top["schema"] == "Person"
    assert {"id", "caption", "schema", "properties", "datasets", "score", "features", "match"} <= set(top)
    assert data["responses"]["q1"]["total"]["relation"] == "eq"
    assert data["responses"]["q2"]["results"][0]["caption"].upper().startswith("LADY R")
    search = _get(url, keys[Role.VIEWER], "/search/default", q="Kim Jong Un").json()
    assert search["results"][0]["caption"] == "KIM, Jong Un" and search["total"]["value"] >= 1
    assert _get(url, keys[Role.VIEWER], "/search/no_such_list", q="x").status_code == 404


def test_yente_client_code_path(served: tuple[str, dict[Role, str], Watchfloor], tmp_path: Path) -> None:
    """nomenklatura's YenteEnricher, the yente client OpenSanctions ships, matches against watchfloor."""
    from followthemoney import Dataset, StatementEntity
    from nomenklatura.cache import Cache
    from nomenklatura.db import make_session
    from nomenklatura.enrich.yente import YenteEnricher

    url, keys, _ = served
    dataset = Dataset.make({"name": "watch", "title": "watch"})
    cache = Cache(make_session(f"sqlite:///{tmp_path / 'cache.db'}"), dataset, create=True)
    config = {"api": f"{url}/", "dataset": "default", "api_key": keys[Role.VIEWER], "cache_days": 0}
    enricher = YenteEnricher(dataset, cache, config)
    query = StatementEntity.from_data(
        dataset, {"id": "q", "schema": "Person", "properties": {"name": ["Kim Chong-un"]}}
    )
    found = list(enricher.match(query))
    assert found, "the enricher found nothing"
    assert found[0].caption == "KIM, Jong Un" and found[0].schema.name == "Person"


def test_rate_limit_on_expensive_endpoints(served: tuple[str, dict[Role, str], Watchfloor]) -> None:
    url, keys, _ = served
    statuses = [_get(url, keys[Role.ADMIN], "/api/v1/brief").status_code for _ in range(4)]
    assert statuses[0] == 200 and statuses[-1] == 429
    limited = _get(url, keys[Role.ADMIN], "/api/v1/brief")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1


def test_a_red_item_reaches_no_one_but_an_admin(served: tuple[str, dict[Role, str], Watchfloor]) -> None:
    url, keys, service = served
    with service.session() as session:
        event = session.scalars(select(Event).where(Event.claims.any()).order_by(Event.id)).first()
        assert event is not None
        red_id, doc_id = event.id, event.claims[0].document_id
        session.execute(update(Event).where(Event.id == red_id).values(tlp="red"))
        session.execute(update(Claim).where(Claim.event_id == red_id).values(tlp="red"))
    try:
        for role in (Role.VIEWER, Role.ANALYST):
            key = keys[role]
            assert red_id not in {
                e["id"] for e in _get(url, key, "/api/v1/events", limit=500).json()["items"]
            }
            assert _get(url, key, f"/api/v1/events/{red_id}").status_code == 404
            assert red_id not in _get(url, key, "/api/v1/assessment").text
            assert red_id not in _get(url, key, "/api/v1/review-queue", limit=500).text
            assert _get(url, key, "/api/v1/brief").status_code == 403
        assert _get(url, keys[Role.ADMIN], f"/api/v1/events/{red_id}").status_code == 200
        assert _get(url, keys[Role.VIEWER], f"/api/v1/documents/{doc_id}").status_code == 200
    finally:
        with service.session() as session:
            session.execute(update(Event).where(Event.id == red_id).values(tlp="amber"))
            session.execute(update(Claim).where(Claim.event_id == red_id).values(tlp="amber"))


def test_screen_one_name_and_a_csv_with_either_algorithm(
    served: tuple[str, dict[Role, str], Watchfloor],
) -> None:
    url, keys, _ = served
    headers = {"Authorization": f"Bearer {keys[Role.VIEWER]}"}
    for algorithm in ("watchfloor-name-v1", "watchfloor-name-v2"):
        answer = httpx.post(
            f"{url}/api/v1/screen",
            headers=headers,
            timeout=120,
            json={"name": "Kim Jong Un", "schema": "Person", "algorithm": algorithm},
        )
        assert answer.status_code == 200, answer.text
        top = answer.json()["results"][0]
        assert top["caption"] == "KIM, Jong Un" and top["algorithm"] == algorithm and top["explanation"]
        assert answer.json()["lists"]
    unknown = httpx.post(
        f"{url}/api/v1/screen", headers=headers, json={"name": "x", "algorithm": "name-v9"}, timeout=30
    )
    assert unknown.status_code == 400 and "name-v9" in unknown.json()["detail"]
    rows = b"Name,DOB,Reference\nKim Jong Un,1984,c-1\nSergei Shoigu,21/05/1955,c-2\n"
    csv_answer = httpx.post(
        f"{url}/api/v1/screen/csv",
        headers=headers,
        files={"file": ("batch.csv", rows, "text/csv")},
        timeout=120,
    )
    assert csv_answer.status_code == 200, csv_answer.text
    text = csv_answer.text
    assert "KIM, Jong Un" in text and "c-1" in text and "c-2" in text
    match = httpx.post(
        f"{url}/match/default?algorithm=watchfloor-name-v2",
        timeout=120,
        headers={"Authorization": f"ApiKey {keys[Role.VIEWER]}"},
        json={"queries": {"q": {"schema": "Person", "properties": {"name": ["Kim Jong Un"]}}}},
    )
    assert match.status_code == 200
    assert match.json()["responses"]["q"]["results"][0]["explanation"]["algorithm"] == "watchfloor-name-v2"


def test_export_and_import_stix_over_http(served: tuple[str, dict[Role, str], Watchfloor]) -> None:
    url, keys, _ = served
    exported = _get(url, keys[Role.VIEWER], "/api/v1/export/stix")
    assert exported.status_code == 200, exported.text
    bundle = exported.json()
    assert bundle["type"] == "bundle" and any(o["type"] == "report" for o in bundle["objects"])
    assert len(exported.content) < 2**20, "the demo bundle must fit the test server's upload limit"
    assert _get(url, keys[Role.VIEWER], "/api/v1/export/stix", tlp="red").status_code == 400
    files = {"file": ("partner.json", exported.content, "application/json")}
    refused = httpx.post(
        f"{url}/api/v1/import/stix",
        headers={"Authorization": f"Bearer {keys[Role.VIEWER]}"},
        files=files,
        timeout=60,
    )
    assert refused.status_code == 403
    taken = httpx.post(
        f"{url}/api/v1/import/stix",
        headers={"Authorization": f"Bearer {keys[Role.ANALYST]}"},
        files=files,
        timeout=120,
    )
    assert taken.status_code == 200, taken.text
    assert taken.json()["objects"] == len(bundle["objects"])


def test_vessel_profile(served: tuple[str, dict[Role, str], Watchfloor]) -> None:
    url, keys, _ = served
    shuttle = STORY_VESSELS["dunai_shuttle"]  # the demo's simulated ship: an invented identity
    profile = _get(url, keys[Role.VIEWER], f"/api/v1/vessels/{shuttle.imo}")
    assert profile.status_code == 200, profile.text
    body = profile.json()
    assert shuttle.name in body["identity"]["names"] and body["list_entries"] == []
    assert body["port_calls"] and all(c["synthetic"] for c in body["port_calls"])
    assert "SYNTHETIC" in body["risk"]["explanation"] and body["events"]["real"] == 0
    # A real listed ship (LADY R) has no simulated track in the demo store.
    real = _get(url, keys[Role.VIEWER], "/api/v1/vessels/9161003")
    assert real.status_code == 200 and real.json()["port_calls"] == []
    assert _get(url, keys[Role.VIEWER], "/api/v1/vessels/not-a-number").status_code == 400
