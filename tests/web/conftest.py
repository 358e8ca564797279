"""Fixtures of the browser tests: the demo store (built by ``watchfloor demo``, plus one hostile
report), users with real keys, the real server on a free loopback port (Uvicorn), and headless Debian
Chromium driven by Playwright with every request that leaves loopback recorded and refused.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.live_server import copy_demo_store, live_server, make_keys, open_service
from watchfloor.service.reports import read_batch
from watchfloor.service.users import Role, add_user

CHROMIUM = Path(os.environ.get("WATCHFLOOR_CHROMIUM", "/usr/bin/chromium"))
HOSTILE = '<img src=x onerror="window.__pwned=1">'
"""A name and a report text that would run script if any page parsed data as markup."""
HOSTILE_REPORT = {
    "date": "2024-10-30",
    "source": f"Hostile Wire {HOSTILE}",
    "title": f"Test report {HOSTILE} (synthetic test fixture)",
    "text": (
        f"North Korea shipped artillery shells to Russia in October, {HOSTILE} said on Wednesday. "
        '"><script>window.__pwned=2</script> The shipments continued, the agency said.'
    ),
}


@dataclass
class LiveServer:
    """The app served by Uvicorn on 127.0.0.1 over a store, with a key per role."""

    base: str
    keys: dict[str, str]
    db: Path

    def api(self, path: str, role: str = "analyst", **kwargs: Any) -> Any:
        """The API's own answer, read over HTTP: what the pages must show."""
        headers = {"Authorization": f"Bearer {self.keys[role]}"}
        method = kwargs.pop("method", "GET")
        response = httpx.request(method, self.base + "/api/v1" + path, headers=headers, timeout=60, **kwargs)
        response.raise_for_status()
        return response.json()


@pytest.fixture(scope="session")
def web_store(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A copy of the demo store with the hostile report ingested and a key per role (and one hostile
    user name); tests on it only read. Returns the store file and the keys."""
    db = copy_demo_store(demo_db, tmp_path_factory.mktemp("web") / "store")
    hostile = db.parent / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE_REPORT) + "\n", encoding="utf-8")
    service = open_service(db)
    try:
        reports, errors = read_batch([hostile])
        assert not errors, errors
        service.ingest_reports(reports)
        by_role = make_keys(service)
        with service.session() as session:
            _, hostile_key = add_user(session, f"mallory {HOSTILE}", Role.VIEWER, created_by="tests")
    finally:
        service.close()
    keys = {"viewer": by_role[Role.VIEWER], "analyst": by_role[Role.ANALYST], "admin": by_role[Role.ADMIN]}
    keys["hostile"] = hostile_key
    return db, keys


@pytest.fixture(scope="session")
def live(web_store: tuple[Path, dict[str, str]]) -> Iterator[LiveServer]:
    """The server on the shared web store."""
    db, keys = web_store
    service = open_service(db)
    with live_server(service) as url:
        yield LiveServer(url, keys, db)
    service.close()


@pytest.fixture
def writable_live(web_store: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[LiveServer]:
    """A server on this test's own copy of the web store (same users and keys), for tests that review."""
    db, keys = web_store
    copy = copy_demo_store(db, tmp_path / "store")
    service = open_service(copy)
    with live_server(service) as url:
        yield LiveServer(url, keys, copy)
    service.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: run `bash .ci/system-deps.sh` (make test does)")
        pytest.skip(f"Chromium not found at {CHROMIUM} (Debian package `chromium`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


@dataclass
class Watch:
    """What a browser context asked for outside loopback, and what went wrong in its pages."""

    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: ``WATCHFLOOR_SCREENSHOTS`` if set, else a temporary folder."""
    folder = os.environ.get("WATCHFLOOR_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.getbasetemp() / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def loopback(url: str) -> bool:
    """Whether a request stays on this machine (or is no network request at all)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.scheme in ("http", "https", "ws") and parts.hostname in ("127.0.0.1", "localhost", "::1")


@pytest.fixture
def context(browser: Any, watch: Watch) -> Iterator[Any]:
    """A fresh browser context (its own sessionStorage) that refuses and records outside requests."""
    opened = browser.new_context(viewport={"width": 1400, "height": 1000}, service_workers="block")

    def route(route: Any) -> None:
        url = route.request.url
        watch.requests.append(url)
        if loopback(url):
            route.continue_()
        else:
            watch.outside.append(url)
            route.abort()

    opened.route("**/*", route)
    yield opened
    opened.close()


def open_page(context: Any, watch: Watch) -> Any:
    """A page whose console errors and uncaught exceptions are recorded in ``watch``."""
    page = context.new_page()

    def console(message: Any) -> None:
        if message.type == "error":
            watch.errors.append(f"console: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: watch.errors.append(f"page error: {error}"))
    return page
