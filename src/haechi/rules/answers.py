"""Turning answers to open questions into a new card (the guided form's back end).

Answers arrive as text from a form or as JSON values from the API. Each is read
according to the card field's kind (yes/no, number, date, one or several choices),
set at its dotted path, and the whole card is validated again, so a bad answer is
refused with the field named and nothing is stored.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from haechi.domain.card import SystemCard
from haechi.domain.errors import Issue, ValidationFailed
from haechi.domain.operator import LIFT_NOTE, LIFT_NOTE_KO
from haechi.domain.validation import parse_model

from .fields import AS_OF, CardField, card_fields
from .labels import field_label

_TRUE = {"true", "yes", "y", "1", "예", "네"}
_FALSE = {"false", "no", "n", "0", "아니오", "아니요"}


def _bad(path: str, message: str, fix: str) -> ValidationFailed:
    return ValidationFailed(f"answer for '{path}': {message}", issues=[Issue(path, message, fix)],
                            key="rules.bad_answer", values={"path": path})


def _text_value(info: CardField, raw: str) -> Any:
    text = raw.strip()
    if info.kind == "bool":
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise _bad(info.path, f"{raw!r} is not yes or no", "answer true or false")
    if info.kind == "number":
        try:
            return float(text) if any(c in text for c in ".eE") else int(text.replace(",", ""))
        except ValueError:
            raise _bad(info.path, f"{raw!r} is not a number", "write a number, e.g. 1.0e+26") from None
    if info.kind == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise _bad(info.path, f"{raw!r} is not a date", "write YYYY-MM-DD") from None
    if info.is_list:
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


def read_answer(path: str, raw: Any) -> Any:
    """The card value for an answer to the question about ``path``."""
    info = card_fields().get(path)
    if info is None or path == AS_OF:
        raise _bad(path, "not a card field", "answer only the questions Haechi asked")
    if isinstance(raw, list) and info.is_list:
        return [str(v).strip() for v in raw if str(v).strip()]
    if isinstance(raw, str):
        return _text_value(info, raw)
    return raw


def apply_answers(card: SystemCard, answers: dict[str, Any]) -> SystemCard:
    """A new card with ``answers`` (path → value) set; validated as a whole."""
    data = copy.deepcopy(card.model_dump(mode="json", exclude_none=True))
    for path, raw in answers.items():
        value = read_answer(path, raw)
        target = data
        *parents, leaf = path.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = value.isoformat() if isinstance(value, dt.date) else value
    return parse_model(SystemCard, data, None, "system card", "시스템 카드")


#: How the card revision made from answers is noted (stored in English, as every revision note).
ANSWER_NOTE = "answered law-pack questions: "


def answer_note(answers: dict[str, Any]) -> str:
    """The revision note for a card changed by answering ``answers``."""
    return ANSWER_NOTE + ", ".join(sorted(answers))


def answer_note_ko(note: str | None) -> str | None:
    """The Korean of a note written by :func:`answer_note` (fields by their Korean names);
    ``None`` for any other note, which stays as it was typed."""
    if note == LIFT_NOTE:
        return LIFT_NOTE_KO
    if not note or not note.startswith(ANSWER_NOTE):
        return None
    paths = [p for p in note[len(ANSWER_NOTE):].split(", ") if p]
    return "법 팩 질문에 답함: " + ", ".join(field_label(p, "ko") for p in paths)
