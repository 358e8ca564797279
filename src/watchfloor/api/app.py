"""The service: one FastAPI app over one :class:`~watchfloor.service.app.Watchfloor`.

Mounted in it: the REST API (``/api/v1``), the yente-compatible screening (``/match``,
``/search``), the TAXII 2.1 server (``/taxii2/``) and the web dashboard (``/``, ``/static``).
Only ``/api/v1/health``, the OpenAPI pages and the dashboard's static shell answer without a key.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request

from watchfloor import __version__
from watchfloor.api import match, problems, routes, routes_watch, taxii
from watchfloor.api.auth import principal_of, service_of
from watchfloor.api.limits import BodySizeLimit
from watchfloor.service.app import Watchfloor
from watchfloor.settings import Settings, get_settings
from watchfloor.store import Store
from watchfloor.web.routes import build_router, static_files


def create_app(settings: Settings | None = None, service: Watchfloor | None = None) -> FastAPI:
    """The ASGI app over ``service`` (or a store opened from ``settings`` when the app starts)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = service is None
        app.state.watchfloor = service or Watchfloor.open(settings=settings)
        try:
            yield
        finally:
            if owned:
                app.state.watchfloor.close()

    app = FastAPI(
        title="watchfloor",
        version=__version__,
        summary="Sanctions monitoring: graded, sourced evidence on exchanges between sanctioned states.",
        lifespan=lifespan,
    )
    if service is not None:
        app.state.watchfloor = service
    app.add_middleware(
        BodySizeLimit,
        json_bytes=int(settings.api_max_json_kib * 1024),
        upload_bytes=int(settings.api_max_upload_mib * 2**20),
    )
    problems.install(app)
    app.include_router(routes.build_router(settings))
    app.include_router(match.build_router())
    app.include_router(routes_watch.build_router())
    _mount_taxii(app)
    _mount_web(app)
    return app


def store_of(request: Request) -> Store:
    """The store behind the request's application (a FastAPI dependency for the TAXII router)."""
    return service_of(request).store


def _mount_taxii(app: FastAPI) -> None:
    app.include_router(taxii.build_router(store=store_of, principal=principal_of), prefix="/taxii2")


def _mount_web(app: FastAPI) -> None:
    app.include_router(build_router())
    app.mount("/static", static_files(), name="static")
