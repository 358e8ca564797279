"""Routes of the web dashboard: the page shells, the vendored assets and the offline basemap.

Pages are static shells rendered from one layout; their scripts read the REST API with the key kept
in sessionStorage (API-CONTRACT.md). Nothing is fetched from outside: every asset ships inside the
package, and each page carries a Content-Security-Policy that lets it talk to its own origin only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape


@dataclass(frozen=True)
class Page:
    """One page of the dashboard: its path, its title in the navigation and its script."""

    name: str
    path: str
    title: str
    scripts: tuple[str, ...] = ()
    in_nav: bool = True
    uses_map: bool = False


PAGES: tuple[Page, ...] = (
    Page("overview", "/", "Overview", ("overview.js",)),
    Page("map", "/map", "Map", ("mapview.js", "map.js"), uses_map=True),
    Page("timeline", "/timeline", "Timeline", ("mapview.js", "timeline.js"), uses_map=True),
    Page("evidence", "/evidence", "Evidence", ("evidence.js",)),
    Page("entity", "/entity", "Entity", ("evidence.js",), in_nav=False),
    Page("alerts", "/alerts", "Alerts and review", ("alerts.js",)),
    Page("screening", "/screening", "Screening", ("screening.js",)),
    Page("login", "/login", "Log in", (), in_nav=False),
)
BASEMAPS = ("land-50m", "land-110m")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data: blob:; "
    "style-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
"""Only the dashboard's own origin: no inline script, no outside request, even if text slipped through."""

PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def static_dir() -> Path:
    """The folder of the dashboard's own and vendored assets, mounted at ``/static``."""
    return Path(str(resources.files("watchfloor.web") / "static"))


def static_files() -> StaticFiles:
    """The ``/static`` mount (the API's ``create_app`` mounts it next to the router)."""
    return StaticFiles(directory=static_dir())


@lru_cache(maxsize=1)
def _templates() -> Environment:
    return Environment(loader=PackageLoader("watchfloor.web", "templates"), autoescape=select_autoescape())


def render_page(page: Page) -> str:
    """The HTML shell of ``page``: the layout, the navigation and the page's own scripts."""
    template = _templates().get_template(f"{page.name}.html")
    return template.render(page=page, nav=[p for p in PAGES if p.in_nav])


def _page_route(router: APIRouter, page: Page) -> None:
    def show() -> HTMLResponse:
        return HTMLResponse(render_page(page), headers=PAGE_HEADERS)

    show.__name__ = f"page_{page.name}"
    router.add_api_route(page.path, show, methods=["GET"], response_class=HTMLResponse)


def build_router() -> APIRouter:
    """The dashboard's pages at ``/`` and the basemap at ``/geo/{name}.json``; no key needed.

    The pages hold no data: every figure they show is read from the API with the user's key.
    """
    router = APIRouter(include_in_schema=False)
    for page in PAGES:
        _page_route(router, page)

    @router.get("/dashboard")
    def dashboard() -> RedirectResponse:
        return RedirectResponse("/")

    @router.get("/geo/{name}.json")
    def basemap(name: str) -> FileResponse:
        if name not in BASEMAPS:
            raise HTTPException(status_code=404, detail=f"no basemap named {name!r}")
        path = Path(str(resources.files("watchfloor") / "data" / "geo" / f"{name}.json"))
        return FileResponse(path, media_type="application/json")

    return router
