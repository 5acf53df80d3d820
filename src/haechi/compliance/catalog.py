"""The control library: controls as data, mapped to obligation topics and ids.

Shipped in ``compliance/library/*.yaml``; an organisation can add its own files in
``HAECHI_CONTROLS_DIR`` (same format, a control id there replaces the shipped one). A
control is proposed for a system when one of its applicable obligations has a topic
listed in ``topics`` or an id listed in ``obligations`` — so one control serves every
law that asks for the same thing.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from haechi.domain.errors import IssueCollector
from haechi.domain.validation import parse_model
from haechi.domain.yamlio import Document, load_file
from haechi.rules.fastyaml import with_lines_on_error

from .freshness import TypeRule
from .vocab import EVIDENCE_TYPES

ControlId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")]
AlertFamily = Literal["fairness", "performance", "drift", "data_quality"]
OwnerRole = Literal["business", "technical", "oversight"]
PLAN_KINDS = ("risk_management_plan", "explanation_plan", "user_protection_plan", "human_oversight",
              "impact_assessment", "eu_fria")


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EvidenceRule(_M):
    type: str
    required: bool = True
    max_age_days: Annotated[int, Field(ge=1)] | None = None

    def rule(self) -> TypeRule:
        return TypeRule(self.type, self.required, self.max_age_days)


class ControlDef(_M):
    """One control of the library."""

    id: ControlId
    title: Annotated[str, StringConstraints(min_length=1)]
    title_ko: Annotated[str, StringConstraints(min_length=1)]
    description: str = ""
    description_ko: str = ""
    topics: list[str] = Field(default_factory=list)
    obligations: list[str] = Field(default_factory=list, description="explicit obligation ids")
    frameworks: dict[str, list[str]] = Field(default_factory=dict)
    owner: OwnerRole = "business"
    due_days: Annotated[int, Field(ge=1, le=730)] = 60
    plans: list[str] = Field(default_factory=list)
    alerts: list[AlertFamily] = Field(default_factory=list)
    evidence: list[EvidenceRule] = Field(min_length=1)

    def rules(self) -> list[TypeRule]:
        return [e.rule() for e in self.evidence]

    def matches(self, obligation: dict[str, Any]) -> bool:
        """Whether this control serves ``obligation`` (a classifier obligation dict)."""
        return obligation.get("topic") in self.topics or obligation.get("id") in self.obligations

    def summary(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "title_ko": self.title_ko,
                "description": self.description, "description_ko": self.description_ko,
                "topics": self.topics, "obligations": self.obligations, "frameworks": self.frameworks,
                "owner": self.owner, "due_days": self.due_days, "plans": self.plans, "alerts": self.alerts,
                "evidence": [e.model_dump() for e in self.evidence]}


class LibraryFile(_M):
    library: str
    version: Annotated[int, Field(ge=1)]
    controls: list[ControlDef] = Field(min_length=1)


class ControlLibrary:
    """Controls by id, with the library version each came from."""

    def __init__(self, controls: dict[str, ControlDef], versions: dict[str, int]) -> None:
        self.controls = controls
        self.versions = versions

    def get(self, control_id: str) -> ControlDef | None:
        return self.controls.get(control_id)

    def for_obligations(self, obligations: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        """Control id → the obligations it serves, for every control that serves at least one."""
        out: dict[str, list[dict[str, Any]]] = {}
        for control in self.controls.values():
            served = [ob for ob in obligations if control.matches(ob)]
            if served:
                out[control.id] = served
        return out

    def for_alert(self, family: str) -> list[ControlDef]:
        return [c for c in self.controls.values() if family in c.alerts]

    def for_plan(self, kind: str) -> list[ControlDef]:
        return [c for c in self.controls.values() if kind in c.plans]


def _check(lib: LibraryFile, doc: Document) -> None:
    from haechi.rules.topics import topic_ids

    topics = topic_ids()
    found = IssueCollector(doc.source)
    seen: set[str] = set()
    for i, c in enumerate(lib.controls):
        def add(path: tuple[Any, ...], message: str, fix: str, i: int = i) -> None:
            found.add(".".join(str(p) for p in ("controls", i, *path)), message, fix,
                      doc.line_of(("controls", i, *path)))
        if c.id in seen:
            add(("id",), f"duplicate control id '{c.id}'", "give each control its own id")
        seen.add(c.id)
        if not c.topics and not c.obligations:
            add(("topics",), "the control serves no obligation", "list topics or obligation ids")
        for j, topic in enumerate(c.topics):
            if topic not in topics:
                add(("topics", j), f"unknown topic '{topic}'", f"use one of: {', '.join(sorted(topics))}")
        for j, ev in enumerate(c.evidence):
            if ev.type not in EVIDENCE_TYPES:
                add(("evidence", j, "type"), f"unknown evidence type '{ev.type}'",
                    f"use one of: {', '.join(EVIDENCE_TYPES)}")
        for j, plan in enumerate(c.plans):
            if plan not in PLAN_KINDS:
                add(("plans", j), f"unknown plan kind '{plan}'", f"use one of: {', '.join(PLAN_KINDS)}")
    found.raise_if_any(f"{doc.source}: invalid control library", "통제 라이브러리 오류")


def parse_library(doc: Document) -> LibraryFile:
    """Validate one library document; every problem names its field and line."""
    lib = parse_model(LibraryFile, doc.data, doc, "control library", "통제 라이브러리")
    _check(lib, doc)
    return lib


def _merge(libs: list[LibraryFile]) -> ControlLibrary:
    controls: dict[str, ControlDef] = {}
    versions: dict[str, int] = {}
    for lib in libs:
        for control in lib.controls:
            controls[control.id] = control
            versions[control.id] = lib.version
    return ControlLibrary(controls, versions)


def _shipped() -> list[LibraryFile]:
    # libyaml without line numbers (the pure-Python line-aware parse cost ~0.3 s per start);
    # a file that fails validation is parsed again line-aware so its messages name the line.
    root = files("haechi.compliance.library")
    names = sorted(p.name for p in root.iterdir() if p.name.endswith(".yaml"))
    return [with_lines_on_error(root.joinpath(n).read_text(encoding="utf-8"), f"library/{n}", parse_library,
                                trusted=True)
            for n in names]


@cache
def _cached(extra_dir: str | None) -> ControlLibrary:
    libs = _shipped()
    if extra_dir:
        libs += [parse_library(load_file(p)) for p in sorted(Path(extra_dir).glob("*.y*ml"))]
    return _merge(libs)


def load_library(extra_dir: Path | None = None) -> ControlLibrary:
    """The shipped control library plus the files in ``extra_dir`` (cached per directory)."""
    return _cached(str(extra_dir.resolve()) if extra_dir else None)
