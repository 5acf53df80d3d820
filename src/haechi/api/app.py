"""The ASGI application: ``create_app(settings)`` builds the API and the dashboard.

Migrations run when the facade is created, i.e. on server start. The routers are those
the capabilities declare (:mod:`haechi.capability`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from haechi import __version__
from haechi.capability import capabilities, resolve
from haechi.core import Haechi
from haechi.settings import Settings
from haechi.web.headers import SecuredFastAPI

from . import errors, openapi
from .leader import Leadership
from .limits import BodySizeLimit, StrictInput
from .models import returns
from .models.meta import MetaHealthz
from .retry import RetryLostRaces


def create_app(settings: Settings | None = None, hc: Haechi | None = None) -> FastAPI:
    """Build the application around ``hc`` (or a new facade from ``settings``)."""
    owned = hc is None
    facade = hc or Haechi(settings or Settings())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # the periodic work (hc.scheduler) runs in the one worker holding the leader lock
        leadership = Leadership(facade).start()
        yield
        leadership.stop()
        if owned:
            facade.close()

    # /docs is the dashboard's own offline page (web/routes/apidocs.py); FastAPI's own pages load from a CDN.
    app = SecuredFastAPI(title="Haechi API", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Operational AI governance and ESG. All endpoints under /api/v1 take a "
                              "bearer token (`haechi tokens create EMAIL`).",
                  generate_unique_id_function=openapi.operation_id)
    app.state.hc = facade
    errors.install(app)
    openapi.install(app)

    @app.get("/healthz", tags=["meta"], summary="Liveness and database check", **returns(MetaHealthz))
    def healthz() -> dict[str, Any]:
        with facade.db.reader() as session:
            session.connection().exec_driver_sql("SELECT 1")
        return {"ok": True, "version": __version__, "database": facade.db.dialect}

    for capability in capabilities():
        for router in capability.api_routers:
            app.include_router(resolve(router))

    from haechi.web.app import mount_web
    mount_web(app)
    app.add_middleware(RetryLostRaces)  # inside the size limit: only admitted bodies are replayed
    app.add_middleware(StrictInput)  # NaN/Infinity, NUL, lone surrogates: 422 before any route
    app.add_middleware(BodySizeLimit, max_bytes=facade.settings.max_body_mb * 1024 * 1024)
    return app
