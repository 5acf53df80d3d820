"""FastAPI dependencies: the facade, the current actor, paging.

The actor comes from a bearer token (API clients) or from the web session cookie
(the dashboard's JSON twins and HTMX calls). Unsafe methods with a session cookie need
the CSRF token; bearer requests do not (they carry no ambient credentials).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Query, Request

from haechi.auth.roles import Actor
from haechi.core import Haechi
from haechi.domain.errors import PermissionDenied, Unauthorized

SESSION_COOKIE = "haechi_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: A numeric row id in a URL. Bounded to what every database stores in an INTEGER key
#: column (PostgreSQL's is 32-bit), so an absurd id is a 422 naming the parameter
#: instead of an overflow inside the driver.
RowId = Annotated[int, Path(ge=1, le=2**31 - 1, description="numeric id (1 or more)")]
#: What an ingestion-only token may call: (method, route template) with the system as
#: the ``system`` path parameter. Everything else answers 403.
INGEST_ROUTES = frozenset({
    ("POST", "/api/v1/systems/{system}/events"),
    ("POST", "/api/v1/systems/{system}/labels"),
})


def get_hc(request: Request) -> Haechi:
    hc: Haechi = request.app.state.hc
    return hc


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if header:
        raise Unauthorized("use 'Authorization: Bearer <token>'",
                           key="api.use_authorization_bearer_token")
    return None


def session_actor(request: Request, hc: Haechi) -> tuple[Actor, str] | None:
    """(actor, csrf) of the request's login session, cached on the request."""
    if hasattr(request.state, "session_actor"):
        cached: tuple[Actor, str] | None = request.state.session_actor
        return cached
    cookie = request.cookies.get(SESSION_COOKIE)
    found = hc.accounts.session_actor(cookie) if cookie else None
    request.state.session_actor = found
    return found


def current_actor(request: Request, hc: Haechi = Depends(get_hc)) -> Actor:
    """The authenticated actor, or 401 in the error shape."""
    token = _bearer(request)
    if token is not None:
        actor = hc.accounts.actor_for_token(token)
        if actor.ingest_systems is not None:
            _check_ingest_scope(request, actor)
        return actor
    found = session_actor(request, hc)
    if found is None:
        raise Unauthorized("authentication required: send a bearer token or log in",
                           key="api.authentication_required_send_bearer")
    actor, csrf = found
    if request.method not in SAFE_METHODS and request.headers.get("x-csrf-token") != csrf:
        raise PermissionDenied("missing or wrong CSRF token", key="api.missing_wrong_csrf_token")
    return actor


def _check_ingest_scope(request: Request, actor: Actor) -> None:
    """An ingestion-only token reaches only the ingestion endpoints of its own systems."""
    route = request.scope.get("route")
    template = getattr(route, "path", None)
    if (request.method, template) not in INGEST_ROUTES:
        raise PermissionDenied("this token is for logging prediction events and labels only",
                               key="api.this_token_logging_prediction")
    system = str(request.path_params.get("system", ""))
    if not actor.may_ingest(system):
        raise PermissionDenied(f"this token may not log for system '{system}'",
                               key="api.this_token_may_not", values={"system": system})


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int


def paging(limit: int = Query(50, ge=1, le=1000, description="items per page"),
           offset: int = Query(0, ge=0, description="items to skip")) -> Paging:
    return Paging(limit, offset)
