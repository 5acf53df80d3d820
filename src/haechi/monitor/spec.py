"""The monitor spec: which log, which columns play which role, how to window, what to alert on.

The file format is ``spec/monitoring.md`` (YAML or JSON). Loading reports every problem
at once with its file, line, field and a fix, and checks the relations pydantic cannot
see field by field (a reference needs dates or a log, a roc_auc threshold needs a score
column, a threshold must name a known metric for the task...).
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, field_validator

from haechi.domain.card import SLUG_PATTERN
from haechi.domain.errors import IssueCollector
from haechi.domain.validation import parse_model
from haechi.domain.yamlio import Document, load_file, loads

from .file_area import FileArea
from .generative.fields import GenerativeColumns
from .metrics.catalog import METRICS, MetricInfo, metric_names
from .windows import WindowGrid, parse_duration

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
ColumnName = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Moment = dt.datetime | dt.date


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Columns(_Strict):
    """Which column of the log plays which role (``spec/monitoring.md`` log roles)."""

    event_id: ColumnName | None = None
    timestamp: ColumnName = "timestamp"
    prediction: ColumnName = "prediction"
    label: ColumnName | None = None
    score: ColumnName | None = None
    sensitive: list[ColumnName] = Field(default_factory=list)
    numeric: list[ColumnName] = Field(default_factory=list)
    categorical: list[ColumnName] = Field(default_factory=list)
    #: the model version that made each prediction (optional): windows are then also
    #: broken down per version, and the reference may restart when a new version appears
    model_version: ColumnName | None = None

    def all_columns(self) -> list[str]:
        """Every mapped column once, in role order."""
        named = [self.event_id, self.timestamp, self.prediction, self.label, self.score, self.model_version]
        out: list[str] = []
        for col in [*named, *self.sensitive, *self.numeric, *self.categorical]:
            if col and col not in out:
                out.append(col)
        return out

    def quality_columns(self) -> list[str]:
        """Columns whose missing share is reported (all but the event id and timestamp)."""
        skip = {self.event_id, self.timestamp, self.model_version}
        return [c for c in self.all_columns() if c not in skip]


class Reference(_Strict):
    """The reference period (``start``/``end``, end exclusive) or a separate reference log."""

    start: Moment | None = None
    end: Moment | None = None
    log: str | None = None
    #: when a model version first appears after the reference, the next ``end - start`` of
    #: traffic from the start of that window becomes the reference of the windows after it
    reset_on_version_change: bool = False


class Threshold(_Strict):
    """Bounds of one metric; ``scope`` limits it to some features/attributes/columns."""

    min: float | None = None
    max: float | None = None
    scope: list[str] | None = None

    def breached(self, value: float | None) -> bool:
        if value is None:
            return False
        return (self.min is not None and value < self.min) or (self.max is not None and value > self.max)

    def bounds(self) -> dict[str, float]:
        return {k: v for k, v in (("min", self.min), ("max", self.max)) if v is not None}


#: one address, no display name, no spaces or line breaks (which would add mail headers)
EmailAddress = Annotated[str, StringConstraints(pattern=r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$",
                                                max_length=254)]
WebhookUrl = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class Notify(_Strict):
    """Where alerts go besides the dashboard (each webhook is posted to in turn, so a few)."""

    webhook: list[WebhookUrl] = Field(default_factory=list, max_length=10)
    email: list[EmailAddress] = Field(default_factory=list, max_length=50)


class MonitorSpec(_Strict):
    """A monitor of one system (see ``spec/monitoring.md``)."""

    system: Slug
    name: Slug = "default"
    log: str | None = None
    columns: Columns = Field(default_factory=Columns)
    task: Literal["binary_classification", "multiclass_classification", "regression",
                  "generative"] = "binary_classification"
    #: roles of a generative system's events (``task: generative``; see ``generative/fields.py``)
    generative: GenerativeColumns | None = None
    reference: Reference
    window: str = "1d"
    min_group_size: int = Field(30, ge=1)
    thresholds: dict[str, Threshold] = Field(default_factory=dict)
    schedule: str | None = None
    notify: Notify = Field(default_factory=Notify)
    engine: Literal["duckdb", "spark"] = "duckdb"
    #: where ``log`` and ``reference.log`` are read from: set by whoever loads the spec,
    #: never by its text (``file_area.py``)
    _area: FileArea | None = PrivateAttr(None)

    @field_validator("window", "schedule")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value

    def generative_roles(self) -> GenerativeColumns:
        """The generative roles (the SDK's names unless the spec maps others)."""
        return self.generative or GenerativeColumns()

    def window_size(self) -> dt.timedelta:
        return parse_duration(self.window)

    def schedule_every(self) -> dt.timedelta | None:
        return parse_duration(self.schedule) if self.schedule else None

    def grid(self, origin: dt.datetime) -> WindowGrid:
        return WindowGrid(origin, self.window_size())

    def reference_bounds(self) -> tuple[dt.datetime, dt.datetime] | None:
        """UTC bounds of a date-range reference, or ``None`` for a reference log."""
        if self.reference.start is None or self.reference.end is None:
            return None
        return as_utc(self.reference.start), as_utc(self.reference.end)

    @property
    def area(self) -> FileArea | None:
        """Where the spec's files are read from (``None``: not decided yet)."""
        return self._area

    def in_area(self, area: FileArea) -> MonitorSpec:
        """A copy that reads its files from ``area``."""
        copy = self.model_copy()
        copy._area = area
        return copy

    def is_local(self) -> bool:
        """Whether the machine's operator loaded this spec from a file (local paths allowed)."""
        return self._area is not None and not self._area.confined

    def file_fields(self) -> list[tuple[str, str]]:
        """``(field, path)`` of every file the spec names."""
        named = [("log", self.log), ("reference.log", self.reference.log)]
        return [(field, path) for field, path in named if path is not None]

    def check_files(self) -> None:
        """Refuse file names that leave the spec's area (nothing is read)."""
        area = self._area or FileArea.local(Path.cwd())
        for field, path in self.file_fields():
            area.check(field, path)

    def metric_fingerprint(self) -> str:
        """Hash of everything that changes metric values (not thresholds or delivery)."""
        keep = self.model_dump(mode="json", include={"log", "columns", "task", "window", "min_group_size",
                                                      "generative"}, exclude_none=True)
        bounds = self.reference_bounds()  # dates and midnight datetimes are the same reference
        keep["reference"] = [b.isoformat() for b in bounds] if bounds else self.reference.log
        if self.reference.reset_on_version_change:
            keep["reset_on_version_change"] = True
        return hashlib.sha256(json.dumps(keep, sort_keys=True).encode()).hexdigest()[:32]

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


def as_utc(moment: Moment) -> dt.datetime:
    """A date becomes its UTC midnight; a naive datetime is taken as UTC."""
    if not isinstance(moment, dt.datetime):
        return dt.datetime(moment.year, moment.month, moment.day, tzinfo=dt.UTC)
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


# --- loading -------------------------------------------------------------------------------

def load_spec(path: str | Path) -> MonitorSpec:
    """Read and check a monitor spec file; raise ``ValidationFailed`` naming every problem."""
    doc = load_file(path)
    spec = parse_spec(doc)
    return spec.in_area(FileArea.local(Path(path).resolve().parent))


def parse_spec_text(text: str, source: str | None = None) -> MonitorSpec:
    """Parse spec text (YAML or JSON) as :func:`load_spec` does."""
    return parse_spec(loads(text, source))


def parse_spec(doc: Document) -> MonitorSpec:
    """Validate a parsed document into a :class:`MonitorSpec` with cross-field checks."""
    spec = parse_model(MonitorSpec, doc.data, doc, "monitor spec", "모니터 명세")
    issues = IssueCollector(doc.source)
    _check_reference(spec, doc, issues)
    _check_columns(spec, doc, issues)
    _check_thresholds(spec, doc, issues)
    _check_generative(spec, doc, issues)
    issues.raise_if_any(f"{doc.source + ': ' if doc.source else ''}invalid monitor spec",
                        "모니터 명세가 올바르지 않습니다")
    return spec


def _check_reference(spec: MonitorSpec, doc: Document, issues: IssueCollector) -> None:
    ref = spec.reference
    line = doc.line_of(("reference",))
    if ref.log is None and (ref.start is None or ref.end is None):
        issues.add("reference", "the reference needs a period or a log",
                   "write {start: 2026-01-01, end: 2026-01-08} or {log: reference.parquet}", line,
                   message_ko="기준 데이터에는 기간이나 로그 파일이 필요합니다",
                   fix_ko="시작일과 종료일을 적거나 기준 로그 파일을 고르세요")
    elif ref.log is not None and (ref.start is not None or ref.end is not None):
        issues.add("reference", "give either start/end or log, not both",
                   "keep only the reference period or only the reference log", line,
                   message_ko="기준 기간과 기준 로그 중 하나만 정하세요", fix_ko="기간이나 로그 파일 하나만 남기세요")
    if ref.reset_on_version_change and ref.log is not None:
        issues.add("reference.reset_on_version_change", "a reference log cannot restart on a new version",
                   "give the reference as a period {start: …, end: …}",
                   doc.line_of(("reference", "reset_on_version_change")) or line)
    if ref.reset_on_version_change and spec.columns.model_version is None and "columns" in spec.model_fields_set:
        issues.add("reference.reset_on_version_change", "restarting on a new version needs the version column",
                   "map columns.model_version", doc.line_of(("reference", "reset_on_version_change")) or line)
    bounds = spec.reference_bounds()
    if bounds and bounds[0] >= bounds[1]:
        issues.add("reference.end", "the reference ends before it starts",
                   "make end later than start (end is exclusive)", doc.line_of(("reference", "end")),
                   message_ko="기준 기간의 종료일이 시작일보다 앞섭니다",
                   fix_ko="종료일을 시작일보다 뒤로 정하세요 (종료일은 포함하지 않음)")


def _check_columns(spec: MonitorSpec, doc: Document, issues: IssueCollector) -> None:
    cols = spec.columns
    seen: dict[str, str] = {}
    roles: list[tuple[str, str | None]] = [
        ("timestamp", cols.timestamp), ("prediction", cols.prediction), ("label", cols.label),
        ("score", cols.score), ("event_id", cols.event_id), ("model_version", cols.model_version),
        *[("sensitive", c) for c in cols.sensitive], *[("numeric", c) for c in cols.numeric],
        *[("categorical", c) for c in cols.categorical]]
    for role, column in roles:
        if column is None:
            continue
        if column in seen and not _shared_role(spec, role, seen[column]):
            issues.add(f"columns.{role}", f"column '{column}' is already mapped as {seen[column]}",
                       "map each log column to one role only", doc.line_of(("columns", role)),
                       message_ko=f"열 '{column}'은(는) 이미 {seen[column]} 역할로 지정되었습니다",
                       fix_ko="로그의 열 하나에는 역할 하나만 지정하세요")
        seen[column] = role
    if spec.task == "regression" and cols.score:
        issues.add("columns.score", "a regression monitor has no score column",
                   "remove score (the prediction is the predicted value)", doc.line_of(("columns", "score")),
                   message_ko="회귀 모니터에는 점수 열이 없습니다",
                   fix_ko="점수 열을 비우세요 (예측값이 곧 예측 결과입니다)")
    if spec.task == "multiclass_classification" and cols.score:
        issues.add("columns.score", "a multiclass monitor takes no score column",
                   "remove score (the prediction is the predicted class)", doc.line_of(("columns", "score")))


def _shared_role(spec: MonitorSpec, role: str, other: str) -> bool:
    """A generative monitor may watch a group column (language) for drift as well."""
    return spec.task == "generative" and {role, other} == {"sensitive", "categorical"}


def _check_generative(spec: MonitorSpec, doc: Document, issues: IssueCollector) -> None:
    if spec.task != "generative":
        if spec.generative is not None:
            issues.add("generative", f"a {spec.task} monitor has no generative roles",
                       "remove the generative block or write task: generative", doc.line_of(("generative",)))
        return
    if spec.engine == "spark":
        issues.add("engine", "the Spark engine does not compute generative metrics yet",
                   "remove 'engine: spark' (the DuckDB engine computes them)", doc.line_of(("engine",)))
    if spec.columns.model_version:
        issues.add("columns.model_version", "a generative monitor does not break windows down by model version",
                   "list the version column under columns.sensitive: every rate is then given per version, "
                   "with the gaps between versions", doc.line_of(("columns", "model_version")))
    for role in ("label", "score"):
        if getattr(spec.columns, role):
            issues.add(f"columns.{role}", f"a generative monitor has no {role} column",
                       f"remove columns.{role}; map the generative roles under 'generative:'",
                       doc.line_of(("columns", role)))


def _check_thresholds(spec: MonitorSpec, doc: Document, issues: IssueCollector) -> None:
    known = metric_names(spec.task)
    for name, bound in spec.thresholds.items():
        line = doc.line_of(("thresholds", name))
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            other = name in METRICS
            hint = (f"'{name}' does not apply to task {spec.task}" if other else
                    f"did you mean '{close[0]}'?" if close else "")
            issues.add(f"thresholds.{name}", "unknown metric for this monitor",
                       f"{hint + '; ' if hint else ''}use one of: {', '.join(known)}", line,
                       message_ko="이 모니터의 작업 유형에 없는 지표입니다",
                       fix_ko=f"다음 중에서 고르세요: {', '.join(known)}")
            continue
        if bound.min is None and bound.max is None:
            issues.add(f"thresholds.{name}", "a threshold needs min or max", "write {max: 0.1} or {min: 0.7}", line,
                       message_ko="임계값에는 최솟값이나 최댓값이 필요합니다", fix_ko="최솟값 또는 최댓값을 적으세요")
        elif bound.min is not None and bound.max is not None and bound.min > bound.max:
            issues.add(f"thresholds.{name}", f"min {bound.min:g} is above max {bound.max:g}: every value would breach",
                       "make min smaller than max, or keep only one of them", line,
                       message_ko=f"최솟값 {bound.min:g}이(가) 최댓값 {bound.max:g}보다 큽니다: "
                                  "모든 값이 위반이 됩니다",
                       fix_ko="최솟값을 최댓값보다 작게 하거나 하나만 남기세요")
        if spec.log is not None or "columns" in spec.model_fields_set:  # lake columns are known at run time
            _check_needs(spec, name, line, issues)
            _check_scope(spec, name, bound.scope or [], doc.line_of(("thresholds", name, "scope")) or line, issues)


def _check_needs(spec: MonitorSpec, name: str, line: int | None, issues: IssueCollector) -> None:
    cols = spec.columns
    present = {"score": bool(cols.score), "label": bool(cols.label), "sensitive": bool(cols.sensitive),
               "features": bool(cols.numeric or cols.categorical)}
    for need, (what, fix) in _NEEDS.items():
        if need in METRICS[name].needs and not present[need]:
            issues.add(f"thresholds.{name}", f"{name} needs {what}", fix, line,
                       message_ko=f"{name} 지표에는 {_NEEDS_KO[need]}이(가) 필요합니다",
                       fix_ko=f"{_NEEDS_KO[need]}을(를) 지정하세요")


def _check_scope(spec: MonitorSpec, name: str, scope: list[str], line: int | None, issues: IssueCollector) -> None:
    """A threshold's ``scope`` names places its metric has (a typo would silence its alerts)."""
    if not scope or metric_scope_open(METRICS[name]):
        return
    mapped = spec.generative.scores if spec.generative else None
    if METRICS[name].scope == "score" and mapped is None:
        return  # the scores are the log's score_<name> columns, known when it is read
    allowed = list(mapped or {}) if METRICS[name].scope == "score" else _places(spec.columns, METRICS[name])
    if not allowed:
        issues.add(f"thresholds.{name}.scope", f"{name} has one value per window: it has no scope",
                   "remove scope", line, message_ko=f"'{name}' 지표는 창마다 값이 하나라 대상을 정할 수 없습니다",
                   fix_ko="대상을 비우세요")
        return
    for place in scope:
        if place not in allowed:
            score = METRICS[name].scope == "score"
            what = "a score named under generative.scores" if score else f"a column {name} is computed for"
            # names quoted: a page shows them as code, not as prose of the reader's language
            what_ko = "'generative.scores'에 적힌 점수 이름" if score else f"'{name}' 지표를 계산하는 열"
            issues.add(f"thresholds.{name}.scope", f"'{place}' is not {what}",
                       f"use one of: {', '.join(allowed)}", line,
                       message_ko=f"'{place}'은(는) {what_ko}이 아닙니다",
                       fix_ko="다음 중에서 고르세요: " + ", ".join(f"'{a}'" for a in allowed))


def metric_scope_open(metric: MetricInfo) -> bool:
    """Places only the log knows (a multiclass task's classes): a scope cannot be checked early."""
    return metric.scope == "class"


def _places(cols: Columns, metric: MetricInfo) -> list[str]:
    """Where the catalogue says ``metric`` has values, given the spec's columns."""
    if metric.scope in ("attribute", "group"):
        return list(cols.sensitive)
    if metric.scope == "feature":
        return [*(cols.numeric if "numeric" in metric.kinds else []),
                *(cols.categorical if "categorical" in metric.kinds else [])]
    if metric.scope == "column":
        return cols.quality_columns()
    return []


#: what each column need of the metric catalogue asks the author to map, in report order
_NEEDS: dict[str, tuple[str, str]] = {
    "score": ("a score column", "map columns.score"),
    "label": ("a label column", "map columns.label"),
    "sensitive": ("sensitive columns", "list columns.sensitive"),
    "features": ("features", "list columns.numeric or categorical"),
}
_NEEDS_KO: dict[str, str] = {"score": "점수 열", "label": "레이블 열", "sensitive": "민감 속성 열",
                             "features": "특성 열(수치형 또는 범주형)"}
