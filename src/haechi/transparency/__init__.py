"""Transparency kit: advance notices, output labels (text, C2PA media, overlays),
synthetic-media marks, exceptions from the verdict, disclosure middleware, explanation
receipts and the public posting page. The facade exposes it as ``hc.transparency``.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .certs import create_local_signing_certificate

__all__ = ["create_local_signing_certificate"]


def __getattr__(name: str) -> Any:
    # Imported on first use, so reading this package's capability declaration stays cheap.
    if name in __all__:
        from . import certs

        return getattr(certs, name)
    raise AttributeError(f"module 'haechi.transparency' has no attribute '{name}'")
