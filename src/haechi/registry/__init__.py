"""The AI-system registry: versioned system cards per organisation."""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .service import Revision, SystemRecord, SystemRegistry

__all__ = ["Revision", "SystemRecord", "SystemRegistry"]


def __getattr__(name: str) -> Any:
    # Imported on first use, so reading this package's capability declaration stays cheap.
    if name in __all__:
        from . import service

        return getattr(service, name)
    raise AttributeError(f"module 'haechi.registry' has no attribute '{name}'")
