"""Governance store: SQLAlchemy tables, the database handle and Alembic migrations."""

from .db import Database

__all__ = ["Database"]
