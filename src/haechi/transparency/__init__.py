"""Transparency kit: advance notices, output labels (text, C2PA media, overlays),
synthetic-media marks, exceptions from the verdict, disclosure middleware, explanation
receipts and the public posting page. The facade exposes it as ``hc.transparency``
(:class:`haechi.transparency.service.TransparencyService`); its signing certificates are
``hc.transparency.certs`` (:class:`haechi.transparency.certs.CertStore`).
"""
