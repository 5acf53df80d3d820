"""The risk matrix: likelihood × severity scales, score bands and the heat map.

The matrix is configurable per organisation (a YAML/JSON document validated here); the
default is the common 5 × 5 grid. A risk's level is the band its score
(likelihood × severity) falls in, unless the matrix pins individual cells. Acceptance
of a residual risk at or above ``approval_level`` needs an administrator's approval.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from haechi.domain.errors import ValidationFailed
from haechi.domain.validation import parse_model


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Level(_M):
    """One step of a scale (likelihood or severity), 1-based by position."""

    label: Annotated[str, Field(min_length=1)]
    label_ko: Annotated[str, Field(min_length=1)]
    description: str | None = None
    description_ko: str | None = None


class Band(_M):
    """A named range of scores, e.g. ``high`` from 10 upwards."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z_]*$")]
    label: str
    label_ko: str
    min_score: Annotated[int, Field(ge=1)]
    color: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")] = "#999999"


class RiskMatrix(_M):
    """A likelihood × severity matrix with score bands."""

    likelihood: list[Level] = Field(min_length=2, max_length=10)
    severity: list[Level] = Field(min_length=2, max_length=10)
    bands: list[Band] = Field(min_length=1)
    cells: dict[str, str] = Field(default_factory=dict, description="'L,S' → band id overrides")
    approval_level: str = Field("high", description="band from which accepting a residual risk needs an admin")

    @model_validator(mode="after")
    def _consistent(self) -> RiskMatrix:
        ids = [b.id for b in self.bands]
        if len(set(ids)) != len(ids):
            raise ValueError("band ids must be unique")
        if sorted(b.min_score for b in self.bands)[0] != 1:
            raise ValueError("the lowest band must start at min_score 1 so every score has a band")
        if self.approval_level not in ids:
            raise ValueError(f"approval_level '{self.approval_level}' is not a band id ({', '.join(ids)})")
        for key, band in self.cells.items():
            if band not in ids:
                raise ValueError(f"cells['{key}']: '{band}' is not a band id")
        return self

    # --- scoring ---------------------------------------------------------------
    def check(self, likelihood: int, severity: int, prefix: str = "") -> None:
        """Raise a clear error if a rating is outside the scales."""
        problems = []
        if not 1 <= likelihood <= len(self.likelihood):
            problems.append(f"{prefix}likelihood {likelihood} is outside 1–{len(self.likelihood)} "
                            f"({self._scale_text(self.likelihood)})")
        if not 1 <= severity <= len(self.severity):
            problems.append(f"{prefix}severity {severity} is outside 1–{len(self.severity)} "
                            f"({self._scale_text(self.severity)})")
        if problems:
            raise ValidationFailed("; ".join(problems), key="compliance.rating_off_scale",
                                   details={"likelihood_max": len(self.likelihood),
                                            "severity_max": len(self.severity)})

    @staticmethod
    def _scale_text(levels: list[Level]) -> str:
        return ", ".join(f"{i}={lv.label}" for i, lv in enumerate(levels, start=1))

    def band(self, likelihood: int, severity: int) -> Band:
        """The band of a cell (a pinned cell wins over the score bands)."""
        self.check(likelihood, severity)
        pinned = self.cells.get(f"{likelihood},{severity}")
        if pinned:
            return next(b for b in self.bands if b.id == pinned)
        score = likelihood * severity
        return max((b for b in self.bands if b.min_score <= score), key=lambda b: b.min_score)

    def rank(self, band_id: str) -> int:
        """Position of a band from lowest (0) to highest."""
        ordered = sorted(self.bands, key=lambda b: b.min_score)
        return next(i for i, b in enumerate(ordered) if b.id == band_id)

    def needs_approval(self, likelihood: int, severity: int) -> bool:
        return self.rank(self.band(likelihood, severity).id) >= self.rank(self.approval_level)

    def rating(self, likelihood: int, severity: int) -> dict[str, Any]:
        b = self.band(likelihood, severity)
        return {"likelihood": likelihood, "severity": severity, "score": likelihood * severity,
                "level": b.id, "level_label": b.label, "level_label_ko": b.label_ko, "color": b.color}

    def heatmap(self, points: list[tuple[int, int, str]]) -> dict[str, Any]:
        """Counts per cell for ``(likelihood, severity, risk ref)`` points; rows = likelihood high→low."""
        grid: dict[tuple[int, int], list[str]] = {}
        for lik, sev, ref in points:
            grid.setdefault((lik, sev), []).append(ref)
        rows = []
        for lik in range(len(self.likelihood), 0, -1):
            cells = []
            for sev in range(1, len(self.severity) + 1):
                band = self.band(lik, sev)
                refs = grid.get((lik, sev), [])
                cells.append({"likelihood": lik, "severity": sev, "level": band.id, "level_label": band.label,
                              "level_label_ko": band.label_ko, "color": band.color, "count": len(refs), "risks": refs})
            rows.append({"likelihood": lik, "label": self.likelihood[lik - 1].label,
                         "label_ko": self.likelihood[lik - 1].label_ko, "cells": cells})
        return {"rows": rows,
                "severity": [{"value": i, "label": lv.label, "label_ko": lv.label_ko}
                             for i, lv in enumerate(self.severity, start=1)],
                "bands": [b.model_dump() for b in self.bands]}


DEFAULT_MATRIX: dict[str, Any] = {
    "likelihood": [
        {"label": "Rare", "label_ko": "거의 없음", "description": "may happen only in exceptional cases"},
        {"label": "Unlikely", "label_ko": "낮음", "description": "could happen, not expected"},
        {"label": "Possible", "label_ko": "보통", "description": "might happen in the system's lifetime"},
        {"label": "Likely", "label_ko": "높음", "description": "will probably happen"},
        {"label": "Almost certain", "label_ko": "거의 확실", "description": "expected to happen regularly"},
    ],
    "severity": [
        {"label": "Negligible", "label_ko": "경미", "description": "no lasting effect on anyone"},
        {"label": "Minor", "label_ko": "작음", "description": "small, reversible harm"},
        {"label": "Moderate", "label_ko": "중간",
         "description": "harm to rights, health or property that can be remedied"},
        {"label": "Major", "label_ko": "큼", "description": "serious harm, hard to reverse, or many people"},
        {"label": "Severe", "label_ko": "치명적", "description": "death, irreversible harm or widespread infringement"},
    ],
    "bands": [
        {"id": "low", "label": "Low", "label_ko": "낮음", "min_score": 1, "color": "#4caf50"},
        {"id": "medium", "label": "Medium", "label_ko": "보통", "min_score": 5, "color": "#ffc107"},
        {"id": "high", "label": "High", "label_ko": "높음", "min_score": 10, "color": "#ff7043"},
        {"id": "critical", "label": "Critical", "label_ko": "심각", "min_score": 17, "color": "#c62828"},
    ],
    "approval_level": "high",
}


def parse_matrix(data: Any, doc: Any = None) -> RiskMatrix:
    """Validate a matrix document, naming the field (and line, from a file) of each problem."""
    return parse_model(RiskMatrix, data, doc, "risk matrix", "위험 매트릭스")


def default_matrix() -> RiskMatrix:
    return RiskMatrix.model_validate(DEFAULT_MATRIX)
