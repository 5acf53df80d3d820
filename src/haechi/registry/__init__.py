"""The AI-system registry: versioned system cards per organisation."""

from .service import Revision, SystemRecord, SystemRegistry

__all__ = ["Revision", "SystemRecord", "SystemRegistry"]
