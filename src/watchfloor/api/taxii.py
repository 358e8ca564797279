"""A read-only TAXII 2.1 server over the store: one collection per TLP level a partner may hold.

Mounted by the API at ``/taxii2/`` (``build_router``); the API passes in the dependencies that open
the store and authenticate the caller. Resources (TAXII 2.1, section numbers of the OASIS spec):
discovery (4.1), the ``watchfloor`` API root (4.2), collections (5.1, 5.2), objects with
``added_after``, ``limit``, ``next`` and ``match[id|type|version|spec_version]`` (5.3), one object
(5.5), its versions (5.8) and the manifest (5.6). Nothing can be written (``can_write`` false).

A collection is the STIX export (:mod:`watchfloor.share.stix_export`) for a partner at its level,
built from the store on each request, so it is exactly what ``watchfloor export stix --tlp`` writes
and goes through the same TLP selection: nothing above the level, and TLP:RED never (there is no
red collection). A principal sees only the collections at or below ``principal.tlp``; any other
collection is answered 404 as if it did not exist. An object's ``date_added`` is its ``modified``
time (when the store recorded what it says), the order of paging is (``date_added``, ``id``) and
``next`` is an opaque token of the last object served.
"""

# No ``from __future__ import annotations`` here: FastAPI must see the dependency annotations built
# inside build_router as objects, not as strings it would look up in the module's globals.
import base64
import binascii
import inspect
import uuid
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute

from watchfloor.service.users import Principal
from watchfloor.share.stix_export import NAMESPACE, export_stix
from watchfloor.share.tlp import Tlp
from watchfloor.store import Store

TAXII_MEDIA_TYPE = "application/taxii+json;version=2.1"
STIX_MEDIA_TYPE = "application/stix+json;version=2.1"
API_ROOT = "watchfloor"
COLLECTION_LEVELS = (Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT)
"""The levels served: every partner level; TLP:RED is not one."""
DEFAULT_PAGE = 100
MAX_PAGE = 1000


def collection_id(level: Tlp) -> str:
    """The fixed id of the collection of ``level`` (uuid5: the same on every watchfloor)."""
    return str(uuid.uuid5(NAMESPACE, f"taxii-collection|{level.value}"))


_BY_ID = {collection_id(level): level for level in COLLECTION_LEVELS}


class TaxiiError(Exception):
    """A TAXII error message (section 3.6.1) with its HTTP status, answered by the router itself."""

    def __init__(self, status: int, title: str, description: str) -> None:
        super().__init__(f"{status} {title}: {description}")
        self.status, self.title, self.description = status, title, description


class _TaxiiRoute(APIRoute):
    """A route that answers a :class:`TaxiiError` as a TAXII error message (no app handler needed)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except TaxiiError as exc:
                return taxii_error_response(exc)

        return handler


def _answer(body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, media_type=TAXII_MEDIA_TYPE, headers=headers)


def taxii_error_response(exc: TaxiiError) -> JSONResponse:
    body = {"title": exc.title, "description": exc.description, "http_status": str(exc.status)}
    return _answer(body, exc.status)


def _check_accept(request: Request) -> None:
    """406 unless the client accepts TAXII 2.1 JSON (or anything)."""
    accept = request.headers.get("accept", "").replace(" ", "").lower()
    if not accept:
        return
    for item in accept.split(","):
        kind, _, params = item.partition(";")
        if kind in ("*/*", "application/*"):
            return
        if kind == "application/taxii+json" and ("version=" not in params or "version=2.1" in params):
            return
    raise TaxiiError(406, "Not Acceptable", f"this server answers {TAXII_MEDIA_TYPE}, not {accept!r}")


def _timestamp(value: str, name: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise TaxiiError(400, "Bad Request", f"{name} {value!r} is not a timestamp") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _added(obj: dict[str, Any]) -> str:
    return str(obj.get("modified") or obj.get("created") or "1970-01-01T00:00:00.000Z")


def _token(obj: dict[str, Any]) -> str:
    raw = f"{_added(obj)}|{obj['id']}".encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _after_token(token: str) -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise TaxiiError(400, "Bad Request", f"next {token!r} is not a token this server gave") from None
    added, sep, obj_id = raw.partition("|")
    if not sep:
        raise TaxiiError(400, "Bad Request", f"next {token!r} is not a token this server gave")
    return added, obj_id


def _split(value: str | None) -> set[str]:
    return {v.strip() for v in (value or "").split(",") if v.strip()}


def _as_dependency(func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` as a FastAPI dependency: a callable with unannotated parameters (``lambda request:``)
    is taken to want the request, which FastAPI would otherwise read as a query parameter."""
    params = inspect.signature(func).parameters.values()
    if not any(p.annotation is inspect.Parameter.empty for p in params):
        return func

    def with_request(request: Request) -> Any:
        return func(request)

    return with_request


class ObjectQuery:
    """The filters and paging of the objects and manifest endpoints (TAXII 2.1, 3.4 and 5.3)."""

    def __init__(
        self,
        added_after: str | None = None,
        limit: int | None = None,
        next_token: Annotated[str | None, Query(alias="next")] = None,
        match_id: Annotated[str | None, Query(alias="match[id]")] = None,
        match_type: Annotated[str | None, Query(alias="match[type]")] = None,
        match_version: Annotated[str | None, Query(alias="match[version]")] = None,
        match_spec_version: Annotated[str | None, Query(alias="match[spec_version]")] = None,
    ) -> None:
        self.added_after, self.limit, self.next_token = added_after, limit, next_token
        self.match_id, self.match_type = match_id, match_type
        self.match_version, self.match_spec_version = match_version, match_spec_version


def build_router(
    *, store: Callable[..., Store], principal: Callable[..., Principal], title: str = "watchfloor TAXII 2.1"
) -> APIRouter:
    """The TAXII 2.1 resources, to mount at ``/taxii2/``.

    ``store`` and ``principal`` are FastAPI dependencies (``principal`` enforces the API key); a
    plain ``(request) -> Store`` callable is accepted for ``store`` as well.
    """
    router = APIRouter(tags=["taxii"], dependencies=[Depends(_check_accept)], route_class=_TaxiiRoute)
    StoreDep = Annotated[Store, Depends(_as_dependency(store))]
    PrincipalDep = Annotated[Principal, Depends(_as_dependency(principal))]

    def visible_levels(who: Principal) -> list[Tlp]:
        return [level for level in COLLECTION_LEVELS if level.rank <= who.tlp.rank]

    def collection_level(api_root: str, cid: str, who: Principal) -> Tlp:
        root(api_root)
        level = _BY_ID.get(cid)
        if level is None or level not in visible_levels(who):
            raise TaxiiError(404, "Not Found", f"no collection {cid!r} here")
        return level

    def root(api_root: str) -> None:
        if api_root != API_ROOT:
            raise TaxiiError(404, "Not Found", f"no API root {api_root!r} here (there is {API_ROOT!r})")

    def describe(level: Tlp) -> dict[str, Any]:
        return {
            "id": collection_id(level),
            "title": f"watchfloor findings at {level.label}",
            "description": f"The assessment and its evidence that a partner cleared for {level.label} "
            "may receive: every object marked at or below it; TLP:RED never.",
            "alias": level.value.replace("+", "-"),
            "can_read": True,
            "can_write": False,
            "media_types": [STIX_MEDIA_TYPE],
        }

    def objects_of(db: Store, level: Tlp) -> list[dict[str, Any]]:
        with db.session() as session:
            bundle, _ = export_stix(session, level)
        objects: list[dict[str, Any]] = bundle["objects"]
        return sorted(objects, key=lambda o: (_added(o), str(o["id"])))

    def filtered(
        objects: list[dict[str, Any]],
        added_after: str | None,
        match_id: str | None,
        match_type: str | None,
        match_version: str | None,
        match_spec_version: str | None,
    ) -> list[dict[str, Any]]:
        out = objects
        if added_after:
            after = _timestamp(added_after, "added_after")
            out = [o for o in out if _timestamp(_added(o), "date_added") > after]
        if ids := _split(match_id):
            out = [o for o in out if o["id"] in ids]
        if types := _split(match_type):
            out = [o for o in out if o["type"] in types]
        versions = _split(match_version) - {"last", "first", "all"}  # one version of each is kept
        if versions:
            wanted = {_timestamp(v, "match[version]") for v in versions}
            out = [o for o in out if _timestamp(_added(o), "version") in wanted]
        if specs := _split(match_spec_version):
            out = [o for o in out if str(o.get("spec_version", "2.1")) in specs]
        return out

    def page(
        items: list[dict[str, Any]], limit: int | None, next_token: str | None
    ) -> tuple[list[dict[str, Any]], bool, str | None]:
        if limit is not None and limit < 1:
            raise TaxiiError(400, "Bad Request", f"limit must be a positive number, not {limit}")
        size = min(limit or DEFAULT_PAGE, MAX_PAGE)
        if next_token:
            last = _after_token(next_token)
            items = [o for o in items if (_added(o), str(o["id"])) > last]
        chunk = items[:size]
        more = len(items) > size
        return chunk, more, _token(chunk[-1]) if more and chunk else None

    def date_headers(chunk: list[dict[str, Any]]) -> dict[str, str]:
        if not chunk:
            return {}
        return {"X-TAXII-Date-Added-First": _added(chunk[0]), "X-TAXII-Date-Added-Last": _added(chunk[-1])}

    @router.get("/", summary="TAXII server discovery")
    def discovery(request: Request, who: PrincipalDep) -> JSONResponse:
        here = str(request.url.replace(query=""))
        api_root = here.rstrip("/") + f"/{API_ROOT}/"
        return _answer(
            {
                "title": title,
                "description": "Read-only TAXII 2.1 feed of watchfloor findings, "
                "one collection per TLP level.",
                "default": api_root,
                "api_roots": [api_root],
            }
        )

    @router.get("/{api_root}/", summary="TAXII API root information")
    def api_root_info(api_root: str, who: PrincipalDep) -> JSONResponse:
        root(api_root)
        return _answer(
            {
                "title": "watchfloor",
                "description": "Sanctions-monitoring findings: assessment, claims with Admiralty grades, "
                "AIS sightings, vessels, designations.",
                "versions": [TAXII_MEDIA_TYPE],
                "max_content_length": 0,  # read-only: no request body is accepted
            }
        )

    @router.get("/{api_root}/collections/", summary="TAXII collections the caller may read")
    def collections(api_root: str, who: PrincipalDep) -> JSONResponse:
        root(api_root)
        return _answer({"collections": [describe(level) for level in visible_levels(who)]})

    def paged(db: Store, level: Tlp, q: ObjectQuery) -> tuple[list[dict[str, Any]], bool, str | None]:
        """One page of a collection's objects after the ``added_after`` and ``match[...]`` filters."""
        items = filtered(
            objects_of(db, level),
            q.added_after,
            q.match_id,
            q.match_type,
            q.match_version,
            q.match_spec_version,
        )
        return page(items, q.limit, q.next_token)

    def versions_of(db: Store, level: Tlp, object_id: str, version: str | None) -> list[dict[str, Any]]:
        """The versions of one object in a collection (only ``version`` when given), or a 404."""
        found = filtered(objects_of(db, level), None, object_id, None, version, None)
        if not found:
            raise TaxiiError(404, "Not Found", f"no object {object_id!r} in this collection")
        return found

    @router.get("/{api_root}/collections/{cid}/", summary="One TAXII collection")
    def collection(api_root: str, cid: str, who: PrincipalDep) -> JSONResponse:
        return _answer(describe(collection_level(api_root, cid, who)))

    @router.get("/{api_root}/collections/{cid}/objects/", summary="Objects of a collection, paged")
    def get_objects(
        api_root: str,
        cid: str,
        who: PrincipalDep,
        db: StoreDep,
        q: Annotated[ObjectQuery, Depends()],
    ) -> JSONResponse:
        chunk, more, token = paged(db, collection_level(api_root, cid, who), q)
        body: dict[str, Any] = {"more": more, "objects": chunk}
        if token:
            body["next"] = token
        return _answer(body, headers=date_headers(chunk))

    @router.get("/{api_root}/collections/{cid}/objects/{object_id}/", summary="One object of a collection")
    def get_object(
        api_root: str,
        cid: str,
        object_id: str,
        who: PrincipalDep,
        db: StoreDep,
        match_version: Annotated[str | None, Query(alias="match[version]")] = None,
    ) -> JSONResponse:
        found = versions_of(db, collection_level(api_root, cid, who), object_id, match_version)
        return _answer({"more": False, "objects": found}, headers=date_headers(found))

    @router.get(
        "/{api_root}/collections/{cid}/objects/{object_id}/versions/", summary="Versions of an object"
    )
    def get_versions(
        api_root: str, cid: str, object_id: str, who: PrincipalDep, db: StoreDep
    ) -> JSONResponse:
        found = versions_of(db, collection_level(api_root, cid, who), object_id, None)
        return _answer({"more": False, "versions": [_added(o) for o in found]}, headers=date_headers(found))

    @router.get("/{api_root}/collections/{cid}/manifest/", summary="Manifest of a collection, paged")
    def get_manifest(
        api_root: str,
        cid: str,
        who: PrincipalDep,
        db: StoreDep,
        q: Annotated[ObjectQuery, Depends()],
    ) -> JSONResponse:
        chunk, more, token = paged(db, collection_level(api_root, cid, who), q)
        manifest = [
            {"id": o["id"], "date_added": _added(o), "version": _added(o), "media_type": STIX_MEDIA_TYPE}
            for o in chunk
        ]
        body: dict[str, Any] = {"more": more, "objects": manifest}
        if token:
            body["next"] = token
        return _answer(body, headers=date_headers(chunk))

    return router
