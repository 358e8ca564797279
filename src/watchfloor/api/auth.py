"""Who is calling: the API key in the request, the user and role it belongs to, and what they may do.

Keys arrive as ``Authorization: Bearer <key>``, ``Authorization: ApiKey <key>`` (yente's form) or
``X-API-Key: <key>``. A missing or unknown key is 401, a role that may not is 403.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from watchfloor.api.problems import ApiProblem
from watchfloor.service.app import Watchfloor
from watchfloor.service.users import Principal, Role

__all__ = ["Principal", "Role", "key_from_request", "principal_of", "require"]


def key_from_request(request: Request) -> str | None:
    """The API key the request carries, if any."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() in ("bearer", "apikey") and value.strip():
        return value.strip()
    return request.headers.get("x-api-key") or None


def service_of(request: Request) -> Watchfloor:
    """The application object the server was started with."""
    service: Watchfloor = request.app.state.watchfloor
    return service


def principal_of(request: Request) -> Principal:
    """The principal behind the request's key; 401 when there is none or it is unknown."""
    key = key_from_request(request)
    if key is None:
        raise ApiProblem(401, "unauthenticated", "an API key is required: send 'Authorization: Bearer <key>'")
    principal = service_of(request).authenticate(key)
    if principal is None:
        raise ApiProblem(401, "unauthenticated", "the API key is unknown or disabled")
    request.state.principal = principal
    return principal


def require(role: Role) -> Callable[[Request], Principal]:
    """A FastAPI dependency: the caller's principal, refused with 403 below ``role``."""

    def dependency(request: Request) -> Principal:
        principal = principal_of(request)
        if not principal.role.allows(role):
            raise ApiProblem(
                403,
                "forbidden",
                f"this needs the {role.value} role; {principal.user} is a {principal.role.value}",
            )
        return principal

    dependency.__name__ = f"require_{role.value}"
    return dependency
