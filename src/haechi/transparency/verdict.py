"""Where the kit gets a system's verdict: the law-pack engine (``haechi.rules``).

The verdict is the engine's spec-shaped classification JSON (``system``, ``as_of``,
``results[]``). The stored verdict of the system's current revision is preferred
(``hc.rules.verdict``); without a stored-verdict service the engine's pure
``haechi.rules.classify(card)`` is run on the current card. No engine, or no verdict
for the system → a clear error telling the user to classify it first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from haechi.domain.errors import Conflict

if TYPE_CHECKING:
    from haechi.auth.roles import Actor
    from haechi.core import Haechi
    from haechi.registry.service import SystemRecord


def no_verdict(slug: str, detail: str = "") -> Conflict:
    extra = f" ({detail})" if detail else ""
    return Conflict(
        f"system '{slug}' has no verdict yet{extra}: classify it first with 'haechi classify {slug}' "
        "so Haechi knows which notices and labels the law asks for",
        message_ko=f"시스템 '{slug}'에 아직 판정 결과가 없습니다: 먼저 'haechi classify {slug}'로 분류하세요")


def _as_json(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return value
    for name in ("to_json", "model_dump"):
        method = getattr(value, name, None)
        if callable(method):
            data = method()
            return data if isinstance(data, dict) else None
    return None


def current_verdict(hc: Haechi, actor: Actor, record: SystemRecord) -> dict[str, Any]:
    """The verdict for the system's current card, as the spec's classification JSON."""
    stored = getattr(getattr(hc, "rules", None), "verdict", None)
    if callable(stored):
        data = _as_json(stored(actor, record.slug))
        if data is None:
            raise no_verdict(record.slug)
        return data
    try:
        from haechi.rules import classify
    except ImportError:
        raise no_verdict(record.slug, "the law-pack engine is not available") from None
    data = _as_json(classify(record.card))
    if data is None:
        raise no_verdict(record.slug)
    return data
