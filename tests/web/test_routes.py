"""The dashboard router over real HTTP: pages, vendored assets and the offline basemap."""

from __future__ import annotations

import json

from fastapi import FastAPI
from fastapi.testclient import TestClient

from watchfloor.web.routes import build_router, static_files


def _client() -> TestClient:
    app = FastAPI()
    app.include_router(build_router())
    app.mount("/static", static_files(), name="static")
    return TestClient(app)


def test_pages_load_only_local_assets() -> None:
    client = _client()
    for path in ("/", "/login"):
        page = client.get(path)
        assert page.status_code == 200
        assert "http://" not in page.text and "https://" not in page.text
        assert '<script src="/static/dashboard.js">' in page.text


def test_vendored_assets_and_basemap_are_served() -> None:
    client = _client()
    leaflet = client.get("/static/vendor/leaflet/leaflet.js")
    assert leaflet.status_code == 200 and "Leaflet" in leaflet.text[:300]
    land = client.get("/geo/land-110m.json")
    assert land.status_code == 200
    assert json.loads(land.text)["type"] == "Topology"
    assert client.get("/geo/../../settings.json").status_code == 404
    assert client.get("/geo/countries.json").status_code == 404


def test_dashboard_script_never_writes_html_from_data() -> None:
    script = _client().get("/static/dashboard.js").text
    assert "innerHTML" not in script and "textContent" in script
