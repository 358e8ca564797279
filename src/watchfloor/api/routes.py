"""The REST API under ``/api/v1``: reading the evidence, reviewing it, screening, ingesting, the brief.

Every handler parses, calls the application layer (:class:`watchfloor.service.app.Watchfloor`) and
returns JSON; none does library work itself. Handlers are plain ``def`` so FastAPI runs them in
its worker threads, next to the blocking store.
"""

from __future__ import annotations

import tempfile
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, Response
from pydantic import BaseModel, Field

from watchfloor.api.auth import require, service_of
from watchfloor.api.limits import RateLimiter, save_upload
from watchfloor.api.problems import ApiProblem
from watchfloor.assess.review import Decision
from watchfloor.maritime.ports import load_ports
from watchfloor.screen.score import ScreenResult
from watchfloor.service import queries
from watchfloor.service.app import Watchfloor
from watchfloor.service.maritime import vessel_profile
from watchfloor.service.reports import read_batch
from watchfloor.service.screening import screen_csv as screen_rows
from watchfloor.service.screening_query import QueryError, build_query
from watchfloor.service.tracks import vessel_tracks
from watchfloor.service.users import Principal, Role, audit_records
from watchfloor.settings import Settings

Viewer = Annotated[Principal, Depends(require(Role.VIEWER))]
Analyst = Annotated[Principal, Depends(require(Role.ANALYST))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
App = Annotated[Watchfloor, Depends(service_of)]
Limit = Annotated[int, Query(ge=1, le=queries.MAX_LIMIT, description="Page size.")]
Offset = Annotated[int, Query(ge=0, description="Rows to skip.")]


class ReviewRequest(BaseModel):
    """An analyst's decision on an extracted event, a merge or an alert."""

    target_kind: Literal["event", "merge", "alert"]
    target_id: str = Field(min_length=1, max_length=200)
    decision: Decision
    why: str = Field(min_length=3, max_length=4000, description="The reason, kept in the audit log.")


class ScreenRequest(BaseModel):
    """One name (or identifier) to screen against the active lists."""

    name: str | None = Field(None, max_length=500)
    schema_: str | None = Field(None, alias="schema", max_length=40)
    dob: str | None = Field(None, max_length=40)
    country: str | None = Field(None, max_length=80)
    imo: str | None = Field(None, max_length=40)
    mmsi: str | None = Field(None, max_length=40)
    gender: str | None = Field(None, max_length=20)
    threshold: float | None = Field(None, ge=0.0, le=1.0, description="Default: the algorithm's own.")
    limit: int = Field(10, ge=1, le=100)
    algorithm: str | None = Field(None, max_length=60, description="watchfloor-name-v1 or -v2; default v1.")


def screen_result_dict(result: ScreenResult, threshold: float | None) -> dict[str, Any]:
    """The JSON of one screened query: matches best first, each with its explanation."""
    return {
        "query": asdict(result.query),
        "threshold": threshold,
        "identifier_checks": [asdict(c) for c in result.identifier_checks],
        "results": [
            {
                "entry_id": m.key,
                "list": m.source,
                "list_entry_id": m.entry_id,
                "caption": m.caption,
                "schema": m.schema,
                "score": m.score,
                "match": m.match,
                "lists": m.lists,
                "programmes": m.programmes,
                "listed_on": m.listed_on.isoformat() if m.listed_on else None,
                "url": m.url,
                "algorithm": m.explanation.algorithm,
                "explanation": asdict(m.explanation),
            }
            for m in result.matches
        ],
    }


def _day(value: str | None, name: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApiProblem(400, "bad_input", f"{name}: not a date (YYYY-MM-DD): {value!r}") from None


def build_router(settings: Settings) -> APIRouter:
    """The ``/api/v1`` router over the application the server holds in ``app.state.watchfloor``."""
    router = APIRouter(prefix="/api/v1")
    limiter = RateLimiter(settings.api_rate_per_minute)
    upload_limit = int(settings.api_max_upload_mib * 2**20)

    @router.get("/health", tags=["service"])
    def health(app: App) -> dict[str, Any]:
        """Whether the service and its store answer (no key needed)."""
        return app.health()

    @router.get("/me", tags=["service"])
    def me(who: Viewer) -> dict[str, Any]:
        """The user and role behind the key, and the TLP level they are cleared for."""
        return {"user": who.user, "role": who.role.value, "tlp": who.tlp.value}

    # --- the assessment -------------------------------------------------------------------------

    @router.get("/assessment", tags=["assessment"])
    def assessment(app: App, who: Viewer, as_of: str | None = None) -> dict[str, Any]:
        """The stage of the ladder the evidence supports, each indicator, and what would move it."""
        day = _day(as_of, "as_of")
        result, _raised = app.assess(day, alerts=False)
        stage = result.current_stage
        body = result.to_dict()
        body.update(
            {
                "stage": {
                    "index": stage.level,
                    "name": stage.name,
                    "description": getattr(stage, "description", ""),
                },
                "to_move_up": [t.needs for t in result.missing_for_next] + list(result.move_up),
                "to_move_down": list(result.move_down),
                "history": [
                    {"date": day_.isoformat(), "stage": level} for day_, level in result.stage_timeline
                ],
            }
        )
        with app.session() as session:
            return (
                queries.redact(body, queries.hidden_ids(session, who.tlp))
                if who.role is not Role.ADMIN
                else body
            )

    # --- evidence -------------------------------------------------------------------------------

    @router.get("/events", tags=["evidence"])
    def events(
        app: App,
        who: Viewer,
        since: str | None = None,
        until: str | None = None,
        type: str | None = None,  # the API's filter is named "type" as in the contract
        actor: str | None = None,
        grade: str | None = None,
        status: str | None = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Events with their claims, each claim with its document span, grade, stance and hedges."""
        page = app.read(
            queries.events,
            who,
            since=_day(since, "since"),
            until=_day(until, "until"),
            event_type=type,
            actor=actor,
            grade=grade,
            status=status,
            limit=limit,
            offset=offset,
        )
        return page.to_dict()  # type: ignore[no-any-return]

    @router.get("/events/{event_id}", tags=["evidence"])
    def event(app: App, who: Viewer, event_id: str) -> dict[str, Any]:
        return app.read(queries.event, who, event_id)  # type: ignore[no-any-return]

    @router.get("/documents", tags=["evidence"])
    def documents(app: App, who: Viewer, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        return app.read(queries.documents, who, limit=limit, offset=offset).to_dict()  # type: ignore[no-any-return]

    @router.get("/documents/{document_id}", tags=["evidence"])
    def document(app: App, who: Viewer, document_id: str) -> dict[str, Any]:
        return app.read(queries.document, who, document_id)  # type: ignore[no-any-return]

    @router.get("/entities", tags=["evidence"])
    def entities(
        app: App,
        who: Viewer,
        q: str | None = None,
        schema: str | None = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        page = app.read(queries.entities, who, q=q, schema=schema, limit=limit, offset=offset)
        return page.to_dict()  # type: ignore[no-any-return]

    @router.get("/entities/{entity_id}", tags=["evidence"])
    def entity(app: App, who: Viewer, entity_id: str) -> dict[str, Any]:
        return app.read(queries.entity, who, entity_id)  # type: ignore[no-any-return]

    # --- maritime -------------------------------------------------------------------------------

    @router.get("/maritime/events", tags=["maritime"])
    def maritime_events(
        app: App,
        who: Viewer,
        kind: str | None = None,
        vessel: str | None = None,
        since: str | None = None,
        until: str | None = None,
        listed: bool = False,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Gaps, encounters, loitering, port visits and identity changes, with their AIS messages."""
        page = app.read(
            queries.maritime_events,
            who,
            kind=kind,
            vessel=vessel,
            since=_day(since, "since"),
            until=_day(until, "until"),
            listed=listed,
            limit=limit,
            offset=offset,
        )
        return page.to_dict()  # type: ignore[no-any-return]

    @router.get("/maritime/events/{event_id}", tags=["maritime"])
    def maritime_event(app: App, who: Viewer, event_id: str) -> dict[str, Any]:
        return app.read(queries.maritime_event, who, event_id)  # type: ignore[no-any-return]

    @router.get("/maritime/ports", tags=["maritime"])
    def ports(app: App, who: Viewer) -> list[dict[str, Any]]:
        """The watched ports, with the source of each position."""
        return [
            {
                "id": p.id,
                "name": p.name,
                "country": p.country,
                "lat": p.lat,
                "lon": p.lon,
                "radius_km": p.radius_km,
                "source": getattr(p, "source", None),
            }
            for p in load_ports().ports
        ]

    @router.get("/maritime/tracks", tags=["maritime"])
    def tracks(
        app: App,
        who: Viewer,
        vessel: str | None = None,
        since: str | None = None,
        until: str | None = None,
        max_points: Annotated[int, Query(ge=10, le=500_000)] = 100_000,
    ) -> dict[str, Any]:
        """Vessel tracks from the AIS store, split into segments at reception gaps."""
        return vessel_tracks(
            app, vessel=vessel, since=_day(since, "since"), until=_day(until, "until"), max_points=max_points
        )

    @router.get("/vessels/{vessel}", tags=["maritime"])
    def vessel(app: App, who: Viewer, vessel: str) -> dict[str, Any]:
        """A vessel's risk profile (IMO or MMSI): identities, list entries, port calls, gaps, encounters."""
        profile = vessel_profile(app.store, vessel)
        body: dict[str, Any] = profile.to_dict()
        if who.role is not Role.ADMIN:
            with app.session() as session:
                body = queries.redact(body, queries.hidden_ids(session, who.tlp))
        return body

    # --- alerts and review ----------------------------------------------------------------------

    @router.get("/alerts", tags=["alerts"])
    def alerts(
        app: App, who: Viewer, kind: str | None = None, limit: Limit = 50, offset: Offset = 0
    ) -> dict[str, Any]:
        return app.read(queries.alerts, who, kind=kind, limit=limit, offset=offset).to_dict()  # type: ignore[no-any-return]

    @router.get("/review-queue", tags=["review"])
    def review_queue(app: App, who: Viewer, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Extracted events and merges awaiting an analyst's decision."""
        return app.read(queries.review_queue, who, limit=limit, offset=offset).to_dict()  # type: ignore[no-any-return]

    @router.get("/reviews", tags=["review"])
    def reviews(app: App, who: Viewer, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """The append-only log of review decisions: who, when, why, on what."""
        return app.read(queries.reviews, who, limit=limit, offset=offset).to_dict()  # type: ignore[no-any-return]

    @router.post("/reviews", tags=["review"], status_code=201)
    def post_review(app: App, who: Analyst, body: ReviewRequest) -> dict[str, Any]:
        """Confirm or reject an event or merge; the assessment is recomputed at once."""
        if body.target_kind == "alert":
            raise ApiProblem(400, "bad_input", "alerts are acknowledged in the audit log, not reviewed (yet)")
        with app.session() as session:
            if body.target_id in queries.hidden_ids(session, who.tlp):
                raise ApiProblem(404, "not_found", f"no {body.target_kind} {body.target_id!r}")
        result = app.review(body.target_id, body.decision, body.why, who)
        return {
            "target_kind": result.review.subject_kind,
            "target_id": body.target_id,
            "decision": body.decision.value,
            "who": who.user,
            "why": body.why,
            "affected": list(result.review.affected),
            "stage_before": result.stage_before,
            "stage_after": result.stage_after,
            "alerts_raised": result.alerts_raised,
        }

    @router.get("/audit", tags=["service"])
    def audit(
        app: App, who: Admin, user: str | None = None, limit: Limit = 50, offset: Offset = 0
    ) -> dict[str, Any]:
        """Every write made through the service (admin only)."""
        with app.session() as session:
            total, items = audit_records(session, limit=limit, offset=offset, user=user)
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    # --- screening ------------------------------------------------------------------------------

    @router.post("/screen", tags=["screening"])
    def screen(app: App, who: Viewer, body: ScreenRequest) -> dict[str, Any]:
        """Screen one name or identifier against the active lists."""
        try:
            query = build_query(
                body.name,
                body.schema_,
                body.dob,
                [body.country] if body.country else [],
                body.imo,
                body.mmsi,
                None,
                body.gender,
            )
        except QueryError as exc:
            raise ApiProblem(400, "bad_input", str(exc)) from None
        if query.name is None and not query.identifiers:
            raise ApiProblem(400, "bad_input", "give a name or an identifier (imo, mmsi) to screen")
        result = app.screen(query, threshold=body.threshold, limit=body.limit, algorithm=body.algorithm)
        body_out = screen_result_dict(result, body.threshold)
        body_out["lists"] = [
            {
                "list": v.source,
                "version": v.id,
                "published": v.published.isoformat() if v.published else None,
            }
            for v in app.active_versions()
        ]
        return body_out

    @router.post("/screen/csv", tags=["screening"])
    async def screen_csv(
        request: Request, who: Viewer, file: Annotated[UploadFile, File()], algorithm: str | None = None
    ) -> Response:
        """Screen every row of a CSV (``name`` or ``imo``/``mmsi``, optional ``schema``, ``dob``,
        ``country``; headers in any case); the answer is CSV, one row per match, errors per row."""
        app = service_of(request)
        limiter.check(who.user, "csv screening")
        with tempfile.TemporaryDirectory() as folder:
            path = await save_upload(file, Path(folder), upload_limit)
            out = Path(folder) / "screened.csv"
            index = await run_in_threadpool(app.screen_index)
            await run_in_threadpool(lambda: screen_rows(index, path, out, algorithm=algorithm))
            return Response(out.read_text(encoding="utf-8"), media_type="text/csv")

    # --- the brief ------------------------------------------------------------------------------

    @router.get("/brief", tags=["assessment"])
    def brief(
        app: App, who: Viewer, format: Literal["html", "pdf"] = "html", as_of: str | None = None
    ) -> Response:  # the contract's parameter name
        """The brief: key judgements, stage, timeline, events and footnoted sources."""
        limiter.check(who.user, "brief")
        if who.role is not Role.ADMIN:
            with app.session() as session:
                if queries.hidden_ids(session, who.tlp):
                    raise ApiProblem(
                        403,
                        "forbidden",
                        "the store holds items above your TLP level; unredacted briefs are for admins",
                    )
        folder = Path(tempfile.mkdtemp(prefix="watchfloor-brief-"))
        result = app.brief(folder / "brief.html", _day(as_of, "as_of"), pdf=format == "pdf")
        if format == "pdf":
            if result.pdf is None:
                raise ApiProblem(
                    503, "unavailable", "PDF printing needs Chromium, which is not installed here"
                )
            return FileResponse(result.pdf, media_type="application/pdf", filename="brief.pdf")
        return HTMLResponse(Path(result.html).read_text(encoding="utf-8"))

    # --- ingest ---------------------------------------------------------------------------------

    async def _uploads(files: list[UploadFile], folder: Path) -> list[Path]:
        return [await save_upload(f, folder, upload_limit) for f in files]

    @router.post("/ingest/reports", tags=["ingest"])
    async def ingest_reports(
        request: Request, who: Analyst, files: Annotated[list[UploadFile], File()]
    ) -> dict[str, Any]:
        """Store uploaded reports (text, HTML, RSS/Atom, JSONL) with their events and claims."""
        app = service_of(request)
        limiter.check(who.user, "ingest")
        with tempfile.TemporaryDirectory() as folder:
            paths = await _uploads(files, Path(folder))
            reports, errors = await run_in_threadpool(read_batch, paths)
            outcome = await run_in_threadpool(app.ingest_reports, reports, who)
        outcome.errors.extend(errors)
        return outcome.summary()

    @router.post("/ingest/lists", tags=["ingest"])
    async def ingest_lists(
        request: Request, who: Admin, files: Annotated[list[UploadFile], File()]
    ) -> dict[str, Any]:
        """Load uploaded list files (all or nothing) as the active versions of their lists."""
        app = service_of(request)
        limiter.check(who.user, "ingest")
        folder = app.data_dir / "uploads" / "lists"
        paths = await _uploads(files, folder)
        results = await run_in_threadpool(app.load_lists, paths, who)
        return {
            "loaded": [
                {
                    "list": r.source,
                    "entries": r.entry_count,
                    "new_version": r.created,
                    "version": r.version_id,
                }
                for r in results
            ]
        }

    @router.post("/ingest/ais", tags=["ingest"])
    async def ingest_ais(
        request: Request, who: Analyst, files: Annotated[list[UploadFile], File()], detect: bool = False
    ) -> dict[str, Any]:
        """Read uploaded AIS files (NMEA, CSV) into the AIS store; ``detect=true`` also runs detection."""
        app = service_of(request)
        limiter.check(who.user, "ingest")
        folder = app.data_dir / "uploads" / "ais"
        paths = await _uploads(files, folder)
        results = await run_in_threadpool(app.ingest_ais, paths, who)
        body: dict[str, Any] = {"files": [r.as_dict() for r in results]}
        if detect:
            found = await run_in_threadpool(app.detect, who)
            body["detected"] = {"events": len(found.events), "counts": found.counts}
        return body

    # --- sharing --------------------------------------------------------------------------------

    @router.get("/export/{kind}", tags=["sharing"])
    def export(
        app: App, who: Viewer, kind: Literal["stix", "ftm"], tlp: str | None = None, since: str | None = None
    ) -> Response:
        """A STIX 2.1 bundle or FtM JSON lines at a partner level no higher than the caller's."""
        limiter.check(who.user, "export")
        folder = Path(tempfile.mkdtemp(prefix="watchfloor-export-"))
        out = folder / ("bundle.json" if kind == "stix" else "entities.ftm.json")
        app.export(kind, out, who, level=tlp, since=_day(since, "since"))
        media = "application/stix+json;version=2.1" if kind == "stix" else "application/x-ndjson"
        return FileResponse(out, media_type=media, filename=out.name)

    @router.post("/import/stix", tags=["sharing"])
    async def import_stix(
        request: Request, who: Analyst, file: Annotated[UploadFile, File()]
    ) -> dict[str, Any]:
        """Take a partner's STIX 2.1 bundle in as graded claims (idempotent by STIX id and version)."""
        app = service_of(request)
        limiter.check(who.user, "ingest")
        with tempfile.TemporaryDirectory() as folder:
            path = await save_upload(file, Path(folder), upload_limit)
            result = await run_in_threadpool(app.import_stix, path, who)
        return asdict(result)

    return router
