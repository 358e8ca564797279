"""Errors as the API answers them: ``{"error": "<code>", "detail": "<one clear line>"}``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from watchfloor.errors import (
    ConfigError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    StoreError,
    WatchfloorError,
)


class ApiProblem(Exception):
    """An answer other than success, with its status, code and one line for the user."""

    def __init__(self, status: int, error: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.error, self.detail, self.headers = status, error, detail, headers


def problem(status: int, error: str, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": error, "detail": detail}, status_code=status, headers=headers)


def _status_of(exc: WatchfloorError) -> tuple[int, str]:
    if isinstance(exc, PermissionDeniedError):
        return 403, "forbidden"
    if isinstance(exc, NotFoundError):
        return 404, "not_found"
    if isinstance(exc, InputError):
        return 400, "bad_input"
    if isinstance(exc, ConfigError | StoreError):
        return 503, "unavailable"
    return 400, "refused"


def _validation_detail(exc: RequestValidationError) -> tuple[int, str, str]:
    errors: list[Any] = list(exc.errors())
    first = errors[0] if errors else {}
    if first.get("type") == "json_invalid":
        where = first.get("ctx", {}).get("error", "")
        return 400, "malformed_json", f"the request body is not valid JSON ({where})".replace(" ()", "")
    if first.get("type") == "model_attributes_type" and tuple(first.get("loc", ())) == ("body",):
        return 400, "malformed_json", "the body must be a JSON object (Content-Type: application/json)"
    place = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "request"
    return 422, "invalid_request", f"{place}: {first.get('msg', 'invalid')}"


def install(app: FastAPI) -> None:
    """Answer every error as JSON in the one shape."""

    @app.exception_handler(ApiProblem)
    async def _problem(_request: Request, exc: ApiProblem) -> JSONResponse:
        return problem(exc.status, exc.error, exc.detail, exc.headers)

    @app.exception_handler(WatchfloorError)
    async def _watchfloor(_request: Request, exc: WatchfloorError) -> JSONResponse:
        status, code = _status_of(exc)
        return problem(status, code, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        status, code, detail = _validation_detail(exc)
        return problem(status, code, detail)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
            exc.status_code, "http_error"
        )
        return problem(exc.status_code, code, str(exc.detail))
