"""Evaluate one pack version against one card: scope, classes, obligations, questions.

Obligation status (spec/system-card.md), decided in this order:

* ``not_applicable`` — scope, role or applicability condition is *no* (listed only with
  ``include_all``);
* ``not_in_force`` — every possible start date is after ``as_of``: the duty cannot bind
  yet, whatever else is unknown or excepted (an exception written in a text that is not
  yet in force excuses nothing); what is still open is listed in ``missing``;
* ``exempt`` — a *full* exception holds, so the duty does not bind (the reason cites it);
  this also settles an obligation whose own condition is still open. A *partial*
  exception (``effect: partial``: "in whole or in part") never exempts: the duty stays
  and the reasons state its narrower reach;
* ``may_apply`` — it depends on an unknown input (scope, role, condition, a full
  exception, or which of several start dates holds); the fields that would settle it are
  listed in ``missing`` and become questions;
* ``applies`` — otherwise.

Classes never depend on the date; ``as_of`` only moves obligations to ``not_in_force``
and selects the pack version (see :mod:`haechi.rules.library`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from haechi.domain.localformat import local_date

from .conditions import Const, Leaf
from .evaluate import Evaluator, Outcome, Reason
from .fields import answer_spec, question_for
from .labels import field_label, value_label, word
from .loader import LoadedPack
from .results import ClassResult, ObligationResult, PackResult, Question
from .schema import ClassDef, Obligation
from .tri import Tri, all_of


@dataclass
class _Open:
    """Fields still unknown, and what each would settle."""

    obligations: dict[str, list[str]] = field(default_factory=dict)
    classes: dict[str, list[str]] = field(default_factory=dict)

    def add(self, fields: frozenset[str], obligation: str | None = None,
            cls: str | None = None) -> None:
        for name in sorted(fields):
            target = self.obligations.setdefault(name, [])
            self.classes.setdefault(name, [])
            if obligation and obligation not in target:
                target.append(obligation)
            if cls and cls not in self.classes[name]:
                self.classes[name].append(cls)


def evaluate_pack(loaded: LoadedPack, card: Mapping[str, Any], as_of: dt.date,
                  include_all: bool = False, selection: str = "", selection_ko: str = "") -> PackResult:
    """Classify ``card`` (plain data of a :class:`SystemCard`) under one pack version."""
    pack = loaded.pack
    ev = Evaluator(card, as_of, loaded.rule)
    open_ = _Open()
    scope = ev.rule(pack.scope)
    details = {c.id: _class(ev, c, open_) for c in pack.classes}
    every = [_obligation(loaded, ev, ob, scope, as_of=as_of, open_=open_)
             for ob in pack.obligations]
    obligations = [r for r in every if include_all or r.status != "not_applicable"]
    return PackResult(
        pack=pack.id, pack_version=pack.version, pack_sha256=loaded.sha256,
        in_scope=scope.value.value, classes={k: v.value for k, v in details.items()},
        obligations=obligations, questions=_questions(loaded, open_),
        pack_urn=pack.urn, pack_title=pack.title, pack_title_ko=pack.title_ko,
        pack_kind=pack.kind, pack_status=pack.status, pack_confidence=pack.confidence,
        jurisdiction=pack.jurisdiction,
        scope_reasons=[r.en for r in scope.reasons], scope_reasons_ko=[r.ko for r in scope.reasons],
        class_details=details, notes=_notes(loaded, ev), selection=selection,
        selection_ko=selection_ko or selection)


_EVERY_OPERATOR = Reason("it binds every operator within the law's scope",
                         "적용 범위 안의 모든 사업자에게 적용됨")


def _class(ev: Evaluator, cls: ClassDef, open_: _Open) -> ClassResult:
    if cls.rule is not None:
        out = ev.rule(cls.rule)
        value = out.value.value
    else:
        value, out = _tiered(ev, cls)
    open_.add(out.missing, cls=cls.id)
    return ClassResult(value=value, title=cls.title, title_ko=cls.title_ko,
                       reasons=[r.en for r in out.reasons], reasons_ko=[r.ko for r in out.reasons],
                       rules=list(out.rules), missing=sorted(out.missing))


def _tiered(ev: Evaluator, cls: ClassDef) -> tuple[str, Outcome]:
    """First tier that is yes while every earlier tier is no; unknown blocks the descent."""
    passed: list[Outcome] = []
    for tier in cls.tiers or []:
        out = ev.rule(tier.rule)
        if out.value is Tri.YES:
            return tier.value, out
        if out.value is Tri.UNKNOWN:
            reasons = tuple(r for p in passed for r in p.reasons)
            return "unknown", Outcome(Tri.UNKNOWN, reasons, (), out.missing)
        passed.append(out)
    reasons = tuple(dict.fromkeys(r for p in passed for r in p.reasons))
    return str(cls.default), Outcome(Tri.NO, reasons)


def _role_outcome(ev: Evaluator, ob: Obligation) -> Outcome:
    if not ob.binds:
        return ev.eval(Const(True))
    wording = " or ".join(ob.binds)
    wording_ko = f" {word('or', 'ko')} ".join(value_label("roles", b, "ko") for b in ob.binds)
    return ev.eval(Leaf("roles", "contains_any", list(ob.binds),
                        reason=f"the operator is a {{match}} ({wording} duty)",
                        reason_ko=f"사업자 역할: {{match}} ({wording_ko} 의무)",
                        reason_no=f"the card's roles ({{actual}}) do not include {wording}",
                        reason_no_ko=f"카드의 사업자 역할({{actual}})에 {wording_ko} 없음"))


def _applicability(ev: Evaluator, loaded: LoadedPack, ob: Obligation, scope: Outcome) -> Outcome:
    """Scope AND role AND the obligation's own condition, with reasons worth showing."""
    role = _role_outcome(ev, ob)
    own = ev.eval(loaded.cond("ob", ob.id))
    parts = [scope, role, own]
    value = all_of(p.value for p in parts)
    missing = frozenset().union(*(p.missing for p in parts if p.value is Tri.UNKNOWN))
    if value is Tri.NO:
        failing = [p for p in parts if p.value is Tri.NO]
        reasons = tuple(r for p in failing for r in p.reasons)
        if scope.value is Tri.NO:
            reasons = (Reason("outside the law's scope", "적용 범위 밖"), *reasons)
        return Outcome(value, reasons, (), missing)
    # Role reasons only add information when the duty binds one role of several, or when
    # the duty has no condition of its own (it binds every operator in scope).
    shown = [own, role] if len(ob.binds) == 1 else [own]
    reasons = tuple(dict.fromkeys(r for p in shown for r in p.reasons))
    if not own.reasons and value is not Tri.NO:
        reasons = (_EVERY_OPERATOR, *role.reasons)
    return Outcome(value, reasons, own.rules if value is Tri.YES else (), missing)


def _obligation(loaded: LoadedPack, ev: Evaluator, ob: Obligation, scope: Outcome, *,
                as_of: dt.date, open_: _Open) -> ObligationResult:
    base = _applicability(ev, loaded, ob, scope)
    status, reasons, exemption = _status(loaded, ev, ob, base)
    missing = set(base.missing) if status == "may_apply" else set()
    if status == "may_apply":
        missing |= _exemption_missing(loaded, ev, ob, partial=False)
    guidance: list[dict[str, Any]] = []
    guidance_missing: set[str] = set()
    dates: list[dt.date] = [ob.effective_from] if ob.effective_from else []
    effective_missing: set[str] = set()
    if status != "not_applicable":
        guidance, guidance_missing = _guidance(loaded, ev, ob)
        guidance_missing |= _exemption_missing(loaded, ev, ob, partial=True)
        dates, effective_missing = _effective(loaded, ev, ob)
    effective = min(dates) if dates else None
    in_force = effective is None or effective <= as_of
    if status != "not_applicable" and not in_force:
        # Every possible start date is later: the duty cannot bind yet, whatever else is
        # open or excepted (an exception of a text not yet in force excuses nothing).
        status, reasons, exemption = "not_in_force", _not_yet(base, effective, as_of), None
        missing = set(base.missing) | _exemption_missing(loaded, ev, ob, partial=False)
    elif status in ("applies", "may_apply") and dates and max(dates) > as_of >= min(dates):
        # In force or not depends on which start date holds: still open.
        status = "may_apply"
        missing |= effective_missing
        reasons = (*reasons, Reason(f"its start date ({', '.join(map(str, sorted(dates)))}) "
                                    "depends on unknown inputs",
                                    f"시행일({', '.join(map(str, sorted(dates)))})이 알 수 없는 "
                                    "입력에 달려 있음"))
    if not (dates and max(dates) > as_of):
        effective_missing = set()  # every possible start date has passed: nothing to ask
    open_.add(frozenset(missing | guidance_missing | effective_missing), obligation=ob.id)
    if status == "may_apply":
        reasons = (*reasons, *(Reason(f"{m} is not known", f"{field_label(m, 'ko')}: 알 수 없음")
                               for m in sorted(missing)))
    return ObligationResult(
        id=ob.id, article=ob.article, citation=ob.citation, citation_ko=ob.citation_ko or ob.citation,
        title=ob.title, title_ko=ob.title_ko,
        status=status, effective_from=effective, reasons=[r.en for r in reasons],
        rules=list(base.rules) if status != "not_applicable" else [],
        penalty=ob.penalty.model_dump(mode="json", exclude_none=True) if ob.penalty else None,
        reasons_ko=[r.ko for r in reasons], in_force=in_force, nature=ob.nature,
        binds=list(ob.binds), topic=ob.topic, description=ob.description,
        description_ko=ob.description_ko, exemption=exemption, guidance=guidance,
        deadlines=[d.model_dump(mode="json", exclude_none=True) for d in ob.deadlines],
        missing=sorted(missing), confidence=ob.confidence, note=ob.note)


def _not_yet(base: Outcome, effective: dt.date | None, as_of: dt.date) -> tuple[Reason, ...]:
    reasons = (*base.reasons, Reason(f"in force from {effective}, after {as_of}",
                                     f"{local_date(effective, 'ko')}부터 시행 (기준일 {local_date(as_of, 'ko')} 이후)"))
    if base.value is Tri.UNKNOWN:
        open_en = ", ".join(sorted(base.missing))
        open_ko = ", ".join(field_label(m, "ko") for m in sorted(base.missing))
        reasons = (*reasons, Reason(f"whether it will apply then still depends on {open_en}",
                                    f"시행 후 적용 여부는 다음에 달려 있음: {open_ko}"))
    return reasons


def _status(loaded: LoadedPack, ev: Evaluator, ob: Obligation,
            base: Outcome) -> tuple[str, tuple[Reason, ...], dict[str, Any] | None]:
    """Status before dates: a full exception lifts the duty; a partial one narrows it."""
    if base.value is Tri.NO:
        return "not_applicable", base.reasons, None
    undecided = False
    narrowed: list[tuple[Any, Outcome]] = []
    for ex in ob.exemptions:
        out = ev.eval(loaded.cond("ex", ob.id, ex.id))
        if out.value is Tri.YES and not ex.is_partial:
            reason = Reason(f"{ex.reason} ({ex.citation})", f"{ex.reason_ko} ({ex.citation})")
            return "exempt", (*base.reasons, *out.reasons, reason), _exemption_info(ex, "full")
        if out.value is Tri.YES:
            narrowed.append((ex, out))
        elif not ex.is_partial:
            # A partial exception cannot lift the duty, so an open one leaves the status alone.
            undecided = undecided or out.value is Tri.UNKNOWN
    reasons = base.reasons
    for ex, out in narrowed:
        reasons = (*reasons, *out.reasons, _narrowing(ex))
    info = _exemption_info(narrowed[0][0], "partial") if narrowed else None
    if base.value is Tri.UNKNOWN or undecided:
        return "may_apply", reasons, info
    return "applies", reasons, info


def _narrowing(ex: Any) -> Reason:
    scope_en = f": {ex.scope_note}" if ex.scope_note else ""
    scope_ko = f": {ex.scope_note_ko or ex.scope_note}" if ex.scope_note else ""
    return Reason(f"{ex.reason} ({ex.citation}) — a partial exception: the duty still applies"
                  f"{scope_en}",
                  f"{ex.reason_ko} ({ex.citation}) — 일부 적용 제외일 뿐 의무는 유지됨{scope_ko}")


def _exemption_info(ex: Any, effect: str) -> dict[str, Any]:
    return {"id": ex.id, "citation": ex.citation, "partial": effect == "partial", "effect": effect,
            "scope_note": ex.scope_note, "scope_note_ko": ex.scope_note_ko,
            "confidence": ex.confidence, "note": ex.note}


def _exemption_missing(loaded: LoadedPack, ev: Evaluator, ob: Obligation, *,
                       partial: bool) -> set[str]:
    """Fields that would settle the full (``partial=False``) or partial exceptions."""
    out: set[str] = set()
    for ex in ob.exemptions:
        if ex.is_partial != partial:
            continue
        result = ev.eval(loaded.cond("ex", ob.id, ex.id))
        if result.value is Tri.UNKNOWN:
            out |= result.missing
    return out


def _guidance(loaded: LoadedPack, ev: Evaluator,
              ob: Obligation) -> tuple[list[dict[str, Any]], set[str]]:
    shown: list[dict[str, Any]] = []
    missing: set[str] = set()
    for item in ob.guidance:
        out = ev.eval(loaded.cond("guide", ob.id, item.id))
        if out.value is Tri.YES:
            shown.append({"id": item.id, "text": item.text, "text_ko": item.text_ko,
                          "citation": item.citation, "confidence": item.confidence})
        elif out.value is Tri.UNKNOWN:
            missing |= out.missing
    return shown, missing


def _effective(loaded: LoadedPack, ev: Evaluator,
               ob: Obligation) -> tuple[list[dt.date], set[str]]:
    """Possible start dates: one when settled; several while a variant is still open.

    Variants are tried in order and the first that holds wins, so an open variant before
    the winning one keeps both dates possible.
    """
    possible: list[dt.date] = []
    missing: set[str] = set()
    for index, variant in enumerate(ob.effective):
        out = ev.eval(loaded.cond("eff", ob.id, str(index)))
        if out.value is Tri.YES:
            return [*possible, variant.from_], missing
        if out.value is Tri.UNKNOWN:
            possible.append(variant.from_)
            missing |= out.missing
    if ob.effective_from is not None:
        possible.append(ob.effective_from)
    return possible, missing


def _questions(loaded: LoadedPack, open_: _Open) -> list[Question]:
    overrides = loaded.pack.questions
    out = []
    for name in open_.obligations:
        affects, classes = open_.obligations[name], open_.classes.get(name, [])
        if not affects and not classes:
            continue
        en, ko = question_for(name)
        if name in overrides:
            en, ko = overrides[name].question, overrides[name].question_ko
        out.append(Question(field=name, affects=affects, question=en, question_ko=ko,
                            affects_classes=classes, answer=answer_spec(name)))
    out.sort(key=lambda q: (-(len(q.affects) + len(q.affects_classes)), q.field))
    return out


def _notes(loaded: LoadedPack, ev: Evaluator) -> list[dict[str, Any]]:
    out = []
    for note in loaded.pack.notes:
        if ev.eval(loaded.cond("note", note.id)).value is Tri.YES:
            out.append({"id": note.id, "text": note.text, "text_ko": note.text_ko,
                        "citation": note.citation, "confidence": note.confidence})
    return out
