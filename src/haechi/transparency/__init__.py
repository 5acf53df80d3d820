"""Transparency kit: advance notices, output labels (text, C2PA media, overlays),
synthetic-media marks, exceptions from the verdict, disclosure middleware, explanation
receipts and the public posting page. The facade exposes it as ``hc.transparency``.
"""

from .certs import create_local_signing_certificate

__all__ = ["create_local_signing_certificate"]
