"""The system card as rows of (label key, text) for documents.

Unknown (missing) values are shown as unknown, never as "no", following the card
contract: a missing field means "not known".
"""

from __future__ import annotations

from typing import Any

DEFAULT_FIELDS = ("id", "name", "purpose", "operator", "roles", "domains", "markets", "lifecycle_stage",
                  "generative", "model", "data", "owners", "deployed_at", "status")


def _join(*parts: Any) -> str:
    return " · ".join(str(p) for p in parts if p not in (None, "", []))


def _t(lang: str) -> Any:
    from haechi.web.i18n import Translator

    return Translator(lang)


def _yes_no(value: Any, lang: str) -> str:
    return str(_t(lang)("cardview.unknown" if value is None else "cardview.yes" if value else "cardview.no"))


#: Card fields whose values are words of the card's vocabulary (dashboard catalogue groups).
VOCABULARY = {"roles": "vocab.role", "domains": "vocab.domain", "lifecycle_stage": "vocab.lifecycle_stage",
              "status": "vocab.status", "generative": "vocab.modality"}


def _word(group: str | None, value: Any, lang: str) -> str:
    """A vocabulary value in the reader's words (the value itself when the catalogue lacks it)."""
    t = _t(lang)
    key = f"{group}.{value}"
    return t(key) if group and t.has(key) else str(value)


def _list(value: Any, lang: str, group: str | None = None) -> str:
    if value is None:
        return str(_t(lang)("cardview.unknown"))
    return ", ".join(_word(group, v, lang) for v in value) or str(_t(lang)("cardview.none"))


def _value(card: dict[str, Any], key: str, lang: str) -> str:
    ko = lang == "ko"
    if key == "name":  # a Korean document names the system in Korean when the card has that name
        return str(card.get("name_ko") or card.get("name")) if ko else _join(card.get("name"), card.get("name_ko"))
    if key == "purpose":
        return (card.get("description_ko") if ko and card.get("description_ko") else card.get("description")) or ""
    if key == "operator":
        op = card.get("operator") or {}
        return _join(op.get("name"), op.get("country"))
    if key in ("roles", "domains", "markets"):
        return _list(card.get(key), lang, VOCABULARY.get(key))
    if key == "generative":
        gen = card.get("generative") or {}
        return _list(gen.get("modalities"), lang, VOCABULARY["generative"])
    if key in ("lifecycle_stage", "status") and card.get(key) is not None:
        return _word(VOCABULARY[key], card[key], lang)
    if key == "model":
        m = card.get("model") or {}
        return _join(m.get("name"), m.get("version"), m.get("type"), m.get("provider"), m.get("base_model"))
    if key == "data":
        d = card.get("data") or {}
        t = _t(lang)
        personal = t("cardview.personal") + _yes_no(d.get("personal_data"), lang)
        sensitive = t("cardview.sensitive") + _yes_no(d.get("sensitive_data"), lang)
        return _join(d.get("training_data_summary"), personal, sensitive)
    if key == "owners":
        o = card.get("owners") or {}
        return _join(o.get("business"), o.get("technical"), oversight_text(card))
    return "" if card.get(key) is None else str(card.get(key))


def oversight_text(card: dict[str, Any]) -> str:
    """Name, e-mail and phone of the person overseeing the system (KR Decree Art. 27(1))."""
    over = (card.get("owners") or {}).get("oversight") or {}
    return _join(over.get("name"), over.get("email"), over.get("phone"))


def card_rows(card: dict[str, Any], fields: list[str] | tuple[str, ...] | None, lang: str) -> list[tuple[str, str]]:
    """``[(field key, text)]`` for the chosen fields; empty text means not recorded."""
    return [(key, _value(card, key, lang)) for key in (fields or DEFAULT_FIELDS)]
