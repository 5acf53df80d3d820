"""Response bodies of the meta operations (the OpenAPI document and generated clients read these)."""

from __future__ import annotations

from .base import Open


class MetaHealthz(Open):
    ok: bool | None = None
    version: str | None = None
    database: str | None = None
