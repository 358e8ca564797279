"""Routes of the web dashboard: the page shells, the vendored assets and the offline basemap.

Pages are static shells; their scripts read the REST API with the key kept in sessionStorage
(API-CONTRACT.md). Nothing is fetched from outside: every asset ships inside the package.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

PAGES = ("login", "overview")
BASEMAPS = ("land-50m", "land-110m")


def static_dir() -> Path:
    """The folder of the dashboard's own and vendored assets, mounted at ``/static``."""
    return Path(str(resources.files("watchfloor.web") / "static"))


def static_files() -> StaticFiles:
    """The ``/static`` mount (the API's ``create_app`` mounts it next to the router)."""
    return StaticFiles(directory=static_dir())


def _page(name: str) -> str:
    return (resources.files("watchfloor.web") / "templates" / f"{name}.html").read_text(encoding="utf-8")


def build_router() -> APIRouter:
    """The dashboard's pages at ``/`` and the basemap at ``/geo/{name}.json``; no key needed."""
    router = APIRouter(include_in_schema=False)

    @router.get("/", response_class=HTMLResponse)
    def index() -> HTMLResponse:
        return HTMLResponse(_page("overview"))

    @router.get("/login", response_class=HTMLResponse)
    def login() -> HTMLResponse:
        return HTMLResponse(_page("login"))

    @router.get("/geo/{name}.json")
    def basemap(name: str) -> FileResponse:
        if name not in BASEMAPS:
            raise HTTPException(status_code=404, detail=f"no basemap named {name!r}")
        path = Path(str(resources.files("watchfloor") / "data" / "geo" / f"{name}.json"))
        return FileResponse(path, media_type="application/json")

    return router
