"""The dashboard router over HTTP: pages, vendored assets, the offline basemap and the page policy."""

from __future__ import annotations

import json
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from watchfloor.web.routes import PAGES, build_router, static_dir, static_files


def _client() -> TestClient:
    app = FastAPI()
    app.include_router(build_router())
    app.mount("/static", static_files(), name="static")
    return TestClient(app)


def test_every_page_loads_only_local_assets() -> None:
    client = _client()
    for page in PAGES:
        response = client.get(page.path)
        assert response.status_code == 200, page.path
        html = response.text
        assert "http://" not in html and "https://" not in html, page.path
        assert '<script src="/static/dashboard.js">' in html
        for script in page.scripts:
            assert f'<script src="/static/{script}">' in html
            assert client.get(f"/static/{script}").status_code == 200, script
        # No inline script at all: the Content-Security-Policy forbids it, so none may be needed.
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [], page.path
        assert f'data-page="{page.name}"' in html


def test_pages_carry_a_policy_that_allows_only_this_origin() -> None:
    response = _client().get("/map")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_navigation_marks_the_current_page() -> None:
    html = _client().get("/timeline").text
    assert '<a href="/timeline" aria-current="page">Timeline</a>' in html
    assert 'href="/map"' in html and 'href="/screening"' in html
    assert "aria-current" not in _client().get("/login").text  # the login page has no navigation


def test_vendored_assets_and_basemap_are_served() -> None:
    client = _client()
    leaflet = client.get("/static/vendor/leaflet/leaflet.js")
    assert leaflet.status_code == 200 and "Leaflet" in leaflet.text[:300]
    for name in ("land-110m", "land-50m"):
        land = client.get(f"/geo/{name}.json")
        assert land.status_code == 200
        assert json.loads(land.text)["type"] == "Topology"
    assert client.get("/geo/../../settings.json").status_code == 404
    assert client.get("/geo/countries.json").status_code == 404


def test_dashboard_scripts_never_write_html_from_data() -> None:
    """Our scripts build the DOM from text nodes only (the vendored Leaflet is not ours)."""
    scripts = sorted(p for p in static_dir().glob("*.js"))
    sinks = ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function")
    assert {p.name for p in scripts} >= {"dashboard.js", "map.js", "timeline.js", "evidence.js", "alerts.js"}
    for path in scripts:
        text = path.read_text(encoding="utf-8")
        for sink in sinks:
            assert sink not in text, f"{path.name} uses {sink}"
        assert "http://" not in text.replace("http://www.w3.org/2000/svg", ""), path.name
        assert "https://" not in text, path.name
