"""``GET /api/v1/watch``: the watch's health: last run of each job, errors, counts, live streams.

When the server runs the watch itself (``watchfloor serve --watch``) the answer includes what only
the running process knows (stream counters, when each job is next due); otherwise it is the state
the store records, from a watch running elsewhere on the same store.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from watchfloor.api.auth import require, service_of
from watchfloor.service.users import Principal, Role
from watchfloor.service.watch import watch_status

Viewer = Annotated[Principal, Depends(require(Role.VIEWER))]


def build_router() -> APIRouter:
    """The watch's routes, to include in the app."""
    router = APIRouter(prefix="/api/v1", tags=["watch"])

    @router.get("/watch", summary="The watch's state: jobs, errors, inbox, deliveries, streams")
    def watch(request: Request, principal: Viewer) -> dict[str, Any]:
        running = getattr(request.app.state, "watch", None)
        if running is not None:
            summary: dict[str, Any] = running.status()
            return summary
        return watch_status(service_of(request))

    return router
