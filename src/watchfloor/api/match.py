"""Screening in yente's shapes: ``POST /match/{dataset}`` and ``GET /search/{dataset}``.

A client written for OpenSanctions' yente works against watchfloor unchanged: queries by example
(FollowTheMoney schema and properties), ``threshold``/``cutoff``/``limit``/``algorithm`` as query
parameters, and answers with ``responses`` → ``results`` carrying ``score``, ``match`` and
``features``. watchfloor adds an ``explanation`` to each result; yente clients ignore it.
Datasets: ``default`` (every active list) or one list's name (``un_sc_sanctions``...).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from watchfloor.api.auth import require, service_of
from watchfloor.api.problems import ApiProblem
from watchfloor.screen.score import ALGORITHMS, Match, scorer
from watchfloor.service.app import Watchfloor
from watchfloor.service.screening_query import QueryError, build_query
from watchfloor.service.users import Principal, Role

MAX_BATCH = 100
"""Queries in one /match request, as yente's default ``MAX_BATCH``."""

Viewer = Annotated[Principal, Depends(require(Role.VIEWER))]

NAME_PROPS = ("name", "alias", "previousName", "weakAlias", "firstName", "lastName")
COUNTRY_PROPS = ("nationality", "country", "citizenship", "jurisdiction", "flag")


class EntityExample(BaseModel):
    """One query by example, as yente takes it."""

    id: str | None = None
    schema_: str = Field(alias="schema", max_length=40)
    properties: dict[str, str | list[Any]] = Field(default_factory=dict)


class EntityMatchQuery(BaseModel):
    """yente's /match request body."""

    weights: dict[str, float] = Field(default_factory=dict)
    config: dict[str, Any] = Field(default_factory=dict)
    queries: dict[str, EntityExample]


def _values(props: dict[str, str | list[Any]], *names: str) -> list[str]:
    out: list[str] = []
    for name in names:
        value = props.get(name)
        items = value if isinstance(value, list) else [value] if value is not None else []
        out += [str(v).strip() for v in items if str(v).strip()]
    return out


def _dataset_sources(app: Watchfloor, dataset: str) -> set[str] | None:
    """The list sources a dataset name covers (None: all); 404 for an unknown dataset."""
    if dataset in ("default", "sanctions", "all"):
        return None
    sources = {v.source for v in app.active_versions()}
    if dataset not in sources:
        raise ApiProblem(
            404, "not_found", f"no dataset {dataset!r}; use 'default' or one of {sorted(sources)}"
        )
    return {dataset}


YENTE_ALIASES = {"best", "default", "logic-v1", "logic-v2", "name-based", "name-qualified", "regression-v1"}
"""yente's algorithm names: a yente client asking for one of them gets watchfloor's default scorer."""


def _algorithm(name: str | None) -> str | None:
    """The watchfloor scorer a /match request asks for (None: the default); 400 for an unknown name."""
    if name is None or name.lower() in YENTE_ALIASES:
        return None
    if name not in ALGORITHMS:
        choices = ", ".join([*ALGORITHMS, *sorted(YENTE_ALIASES)])
        raise ApiProblem(400, "bad_input", f"unknown algorithm {name!r}: use one of {choices}")
    return name


def _features(match: Match) -> dict[str, float]:
    explanation = match.explanation
    features: dict[str, float] = {}
    if explanation.name is not None:
        features["name"] = round(explanation.name.score, 4)
    for item in explanation.fields:
        features[f"{item.field}_{item.outcome.value}"] = round(item.contribution, 4)
    return features


def _result(match: Match, threshold: float) -> dict[str, Any]:
    listed = match.listed_on.isoformat() if match.listed_on else None
    return {
        "id": match.key,
        "caption": match.caption,
        "schema": match.schema,
        "properties": {
            "name": [match.caption],
            "program": match.programmes,
            "sourceUrl": [match.url] if match.url else [],
        },
        "datasets": match.lists or [match.source],
        "referents": [],
        "target": True,
        "first_seen": listed,
        "last_seen": None,
        "last_change": None,
        "score": match.score,
        "features": _features(match),
        "match": match.score >= threshold,
        "explanation": asdict(match.explanation),
    }


def build_router() -> APIRouter:
    """The yente-compatible routes (outside ``/api/v1``, where yente clients expect them)."""
    router = APIRouter(tags=["yente"])

    @router.post("/match/{dataset}")
    def match(
        request: Request,
        response: Response,
        who: Viewer,
        body: EntityMatchQuery,
        dataset: str,
        limit: Annotated[int, Query(ge=1, le=500)] = 5,
        threshold: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
        cutoff: Annotated[float, Query(ge=0.0, le=1.0)] = 0.5,
        algorithm: str | None = None,
        exclude_schema: Annotated[list[str] | None, Query()] = None,
        exclude_entity_ids: Annotated[list[str] | None, Query()] = None,
    ) -> dict[str, Any]:
        """Match entities by example, yente's way."""
        app = service_of(request)
        if len(body.queries) > MAX_BATCH:
            raise ApiProblem(400, "bad_input", f"Too many queries in one batch (limit: {MAX_BATCH})")
        if not body.queries:
            raise ApiProblem(400, "bad_input", "No queries provided.")
        sources = _dataset_sources(app, dataset)
        excluded_schemas, excluded_ids = set(exclude_schema or []), set(exclude_entity_ids or [])
        chosen = _algorithm(algorithm)
        threshold = scorer(chosen)[1] if threshold is None else threshold
        cutoff = min(cutoff, threshold)
        responses: dict[str, Any] = {}
        used = ""
        for name, example in body.queries.items():
            props = example.properties
            try:
                query = build_query(
                    " ".join(_values(props, "name")[:1]) or None,
                    example.schema_,
                    next(iter(_values(props, "birthDate")), None),
                    _values(props, *COUNTRY_PROPS),
                    next(iter(_values(props, "imoNumber")), None),
                    next(iter(_values(props, "mmsi")), None),
                    next(iter(_values(props, "passportNumber", "idNumber")), None),
                    next(iter(_values(props, "gender")), None),
                )
            except QueryError as exc:
                raise ApiProblem(400, "bad_input", f"Cannot parse example entity {name!r}: {exc}") from None
            if query.name is None and not query.identifiers:
                raise ApiProblem(
                    400, "bad_input", f"Cannot parse example entity {name!r}: no name or identifier"
                )
            result = app.screen(query, threshold=threshold, limit=max(limit * 2, 10), algorithm=chosen)
            kept = [
                m
                for m in result.matches
                if m.score >= cutoff
                and m.schema not in excluded_schemas
                and m.key not in excluded_ids
                and (sources is None or m.source in sources)
            ][:limit]
            used = used or (kept[0].explanation.algorithm if kept else "")
            responses[name] = {
                "status": 200,
                "results": [_result(m, threshold) for m in kept],
                "total": {"value": len(kept), "relation": "eq"},
                "query": {"id": example.id, "schema": example.schema_, "properties": props},
            }
        response.headers["x-batch-size"] = str(len(responses))
        return {"responses": responses, "matcher": _matcher_docs(used or algorithm or ""), "limit": limit}

    @router.get("/search/{dataset}")
    def search(
        request: Request,
        who: Viewer,
        dataset: str,
        q: Annotated[str, Query(min_length=1, max_length=500)],
        schema: str | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 10,
        offset: Annotated[int, Query(ge=0, le=9_500)] = 0,
    ) -> dict[str, Any]:
        """Full-text-like search by name, in yente's SearchResponse shape."""
        app = service_of(request)
        sources = _dataset_sources(app, dataset)
        try:
            query = build_query(q, schema)
        except QueryError as exc:
            raise ApiProblem(400, "bad_input", str(exc)) from None
        result = app.screen(query, threshold=1.1, limit=offset + limit, candidates=max(20, offset + limit))
        found = [m for m in result.matches if sources is None or m.source in sources]
        page = found[offset : offset + limit]
        return {
            "limit": limit,
            "offset": offset,
            "total": {"value": len(found), "relation": "eq"},
            "results": [
                {k: v for k, v in _result(m, 1.0).items() if k not in ("match", "features")} for m in page
            ],
            "facets": {},
        }

    return router


FEATURE_DOCS = {
    "name": "Alignment of the query's name parts with the listed name's parts (0-1)",
    "birth_date_*": "Date of birth: exact, same year, or conflict",
    "country_*": "Country or nationality agrees or conflicts",
    "gender_*": "Gender agrees or conflicts",
    "identifier_*": "An identifier (IMO, MMSI, passport) agrees or conflicts",
    "schema_*": "The entity kinds can or cannot be the same",
}


def _matcher_docs(algorithm: str) -> dict[str, Any]:
    """yente's ``matcher`` field: each feature with a description (the coefficients live in the
    explanation of each result; watchfloor's algorithm name is in ``explanation.algorithm``)."""
    docs: dict[str, Any] = {}
    for name, text in FEATURE_DOCS.items():
        described = f"{text} ({algorithm})" if name == "name" and algorithm else text
        docs[name] = {"description": described, "coefficient": 1.0 if name == "name" else 0.0, "url": None}
    return docs
