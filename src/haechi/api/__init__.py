"""REST API (FastAPI): HTTP ↔ facade translation only."""

from .app import create_app

__all__ = ["create_app"]
