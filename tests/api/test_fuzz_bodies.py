"""Fuzzing the API's JSON bodies over real HTTP: Uvicorn on a loopback port, the demo store, real keys.

Each body starts from a valid request of one endpoint (a review of a real event, a screening, a
yente ``/match``) and is damaged: a field replaced by any JSON value, deleted or added, the whole
body replaced, or its bytes mutated (``tests/fuzzing.py``). The invariant: every answer is a 2xx
JSON body or a 4xx problem (``{"error", "detail"}``) — never a 5xx, never a hang (each request is
time-bounded).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from tests.fuzzing import PER_INPUT_SECONDS, fuzz_settings, mutate, mutations
from tests.live_server import copy_demo_store, live_server, make_keys, open_service
from watchfloor.service.users import Role
from watchfloor.store.models import Event

pytestmark = pytest.mark.slow

ATTEMPTS: dict[str, int] = {}
"""Bodies sent per endpoint in this run (the reliability table in benchmarks/RESULTS.md)."""


@pytest.fixture(scope="module")
def served(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """The base URL, an analyst's key and a real event id; rate limits high enough for fuzzing."""
    db = copy_demo_store(demo_db, tmp_path_factory.mktemp("fuzz-api") / "store")
    service = open_service(db, api_rate_per_minute=100_000)
    keys = make_keys(service)
    with service.store.reading() as session:
        event_id = session.scalars(select(Event.id).order_by(Event.id).limit(1)).one()
    with live_server(service) as url:
        yield url, keys[Role.ANALYST], event_id
    service.close()


def valid_body(path: str, event_id: str) -> dict[str, Any]:
    if path == "/api/v1/reviews":
        return {"target_kind": "event", "target_id": event_id, "decision": "confirm", "why": "seen twice"}
    if path == "/api/v1/screen":
        return {"name": "Kim Jong Un", "schema": "Person", "dob": "1984-01-08", "country": "kp", "limit": 3}
    return {
        "queries": {"q1": {"schema": "Vessel", "properties": {"name": ["ANGARA"], "imoNumber": ["9179842"]}}}
    }


PATHS = ["/api/v1/reviews", "/api/v1/screen", "/match/default"]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(
        ["", "event", "merge", "alert", "confirm", "reject", "Person", "Vessel", "\x00", "\x1b[2J"]
    ),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)

edits = st.lists(
    st.tuples(
        st.sampled_from(["replace", "delete", "add", "nest"]),
        st.sampled_from(
            [
                "target_kind",
                "target_id",
                "decision",
                "why",
                "name",
                "schema",
                "dob",
                "country",
                "imo",
                "mmsi",
                "threshold",
                "limit",
                "algorithm",
                "queries",
                "weights",
                "config",
                "x",
            ]
        ),
        json_values,
    ),
    max_size=4,
)


def edited(body: dict[str, Any], steps: list[tuple[str, str, Any]]) -> Any:
    for kind, field, value in steps:
        if (kind == "replace" and field in body) or kind == "add":
            body[field] = value
        elif kind == "delete":
            body.pop(field, None)
        elif kind == "nest" and isinstance(body.get("queries"), dict):  # damage inside a /match query
            for query in body["queries"].values():
                if isinstance(query, dict):
                    query[field] = value
    return body


def check_answer(
    url: str, key: str, path: str, content: bytes, content_type: str, bound: float = PER_INPUT_SECONDS
) -> httpx.Response:
    """POST ``content`` and check the invariant: 2xx JSON or a 4xx problem, within the time bound."""
    ATTEMPTS[path] = ATTEMPTS.get(path, 0) + 1
    started = time.monotonic()
    answer = httpx.post(
        url + path,
        content=content,
        headers={"Authorization": f"Bearer {key}", "Content-Type": content_type},
        timeout=bound,  # a hang raises httpx.ReadTimeout: the test fails
    )
    elapsed = time.monotonic() - started
    assert answer.status_code < 500, (
        f"{path}: {answer.status_code} for {content[:300]!r}: {answer.text[:300]}"
    )
    assert elapsed < bound
    payload = answer.json()
    if answer.status_code >= 400:
        assert (
            isinstance(payload, dict) and payload.get("error") and isinstance(payload.get("detail"), str)
        ), f"{path}: a {answer.status_code} without a problem body: {answer.text[:300]}"
    else:
        assert 200 <= answer.status_code < 300 and isinstance(payload, dict)
    return answer


def test_the_valid_bodies_are_accepted(served: tuple[str, str, str]) -> None:
    """The seeds: each endpoint takes its valid body, so the damage starts from an accepted request
    (the first screening builds the index of the demo's lists: a longer bound for this warm-up)."""
    url, key, event_id = served
    for path in PATHS:
        content = json.dumps(valid_body(path, event_id)).encode()
        answer = check_answer(url, key, path, content, "application/json", bound=300)
        assert 200 <= answer.status_code < 300, answer.text


@fuzz_settings
@given(path=st.sampled_from(PATHS), steps=edits, whole=st.none() | json_values)
def test_json_bodies_with_damaged_fields(
    served: tuple[str, str, str], path: str, steps: list[tuple[str, str, Any]], whole: Any
) -> None:
    url, key, event_id = served
    body = whole if whole is not None else edited(valid_body(path, event_id), steps)
    check_answer(url, key, path, json.dumps(body).encode(), "application/json")


@fuzz_settings
@given(
    path=st.sampled_from(PATHS),
    steps=mutations,
    content_type=st.sampled_from(["application/json", "text/plain", "application/json; charset=latin-1", ""]),
)
def test_json_bodies_with_damaged_bytes(
    served: tuple[str, str, str],
    path: str,
    steps: list,
    content_type: str,  # type: ignore[type-arg]
) -> None:
    url, key, event_id = served
    content = mutate(json.dumps(valid_body(path, event_id)).encode(), steps)
    check_answer(url, key, path, content, content_type)
