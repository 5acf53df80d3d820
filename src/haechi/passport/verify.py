"""``haechi passport verify URL|FILE``: fetch or read a passport and check it.

A file is checked offline: against ``--key`` (the organisation's published key file)
when given, else against the key inside the passport, with a warning. A URL is fetched
together with the key list published at the issuer's well-known address — the only
network use, and only when the user passes a URL.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from haechi.domain.errors import BadRequest, Issue

from .document import keys_from_text, parse_envelope, read_keys, verify

TIMEOUT_S = 10.0


def _fetch(url: str) -> str:
    import httpx

    try:
        response = httpx.get(url, timeout=TIMEOUT_S, follow_redirects=True, headers={"accept": "application/json"})
    except httpx.HTTPError as exc:
        raise BadRequest(f"cannot fetch {url}: {exc}", key="passport.cannot_fetch", values={"url": url}) from None
    if response.status_code != 200:
        raise BadRequest(f"{url} answered {response.status_code}: no public passport there",
                         key="passport.answered_no_public_passport",
                         values={"url": url, "status_code": response.status_code})
    return response.text


def passport_url(url: str) -> str:
    """The JSON address of a passport page (``/p/org/system`` → ``/p/org/system.json``)."""
    base = url.split("?", 1)[0].rstrip("/")
    return base if base.endswith(".json") else base + ".json"


def verify_source(source: str, key: Path | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    """Verify a passport from a URL or a file; returns the verification as a dict."""
    trusted = read_keys(key) if key else None
    if source.startswith(("http://", "https://")):
        envelope = parse_envelope(_fetch(passport_url(source)), source)
        if trusted is None:
            key_url = (envelope["passport"].get("issuer") or {}).get("public_key_url")
            if not key_url or not str(key_url).startswith(("http://", "https://")):
                raise BadRequest("the passport names no absolute public_key_url", key="passport.no_key_url",
                                 issues=[Issue(
                    "issuer.public_key_url", "missing or relative", "pass --key FILE with the published key")])
            trusted = keys_from_text(_fetch(str(key_url)), str(key_url))
    else:
        path = Path(source)
        if not path.is_file():
            raise BadRequest(f"{source} is neither a URL nor a file", key="passport.neither_url_nor_file",
                             values={"source": source})
        envelope = parse_envelope(path.read_bytes(), source)
    result = verify(envelope, trusted, now)
    return result.to_dict() | {"source": source}
