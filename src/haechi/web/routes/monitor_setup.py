"""Setting up a monitor from the dashboard: the form, its preview, saving it.

The form builds the same spec a YAML file would hold and checks it with the same code
(``parse_spec``), so every message is the spec file's message, shown beside its field in
the reader's language. *Preview* computes the first windows on the system's lake data (or
an uploaded monitor file) without storing anything; *Save* stores it through the monitor
service (ledgered like ``haechi monitor run spec.yaml``). Task and metric choices come from
the metric catalogue, so a new task or metric appears here without a change to this file.
A system with no data yet gets the ways to send it (SDK, HTTP, file import) instead of a
dead end.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from haechi.api.deps import get_hc
from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import HaechiError, ValidationFailed
from haechi.domain.yamlio import Document
from haechi.monitor.metrics.catalog import METRICS, MetricInfo, for_task
from haechi.monitor.spec import MonitorSpec, parse_spec

from ..views import check_csrf, page_actor, redirect, render, translator
from .monitor_setup_generative import MARKS, MODALITIES, ROLE_FIELDS, generative_data, generative_values
from .systems import system_header

router = APIRouter()

COLUMN_ROLES = ("timestamp", "prediction", "label", "score", "event_id")
LIST_ROLES = ("sensitive", "numeric", "categorical")
PREVIEW_WINDOWS = 3
FIELD_MAX = 2000  # characters of one form field (a spec is small)


def tasks() -> list[str]:
    """Every task of the metric catalogue, in catalogue order."""
    seen: list[str] = []
    for metric in METRICS.values():
        seen += [t for t in metric.tasks if t not in seen]
    return seen


def scope_in_form(metric: MetricInfo) -> bool:
    """Whether the form asks which places a threshold applies to: the app scores a person
    names in the form itself (other scopes are columns of the log, kept from a stored spec)."""
    return metric.scope == "score"


def _values_of(spec: dict[str, Any]) -> dict[str, Any]:
    """Form values of a stored spec."""
    cols = spec.get("columns") or {}
    ref = spec.get("reference") or {}
    values = {"name": spec.get("name", "default"), "task": spec.get("task", "binary_classification"),
              "log": spec.get("log") or "", "window": spec.get("window", "1d"), "schedule": spec.get("schedule") or "",
              "ref_start": str(ref.get("start") or "")[:10], "ref_end": str(ref.get("end") or "")[:10]}
    values |= {f"col_{r}": cols.get(r) or "" for r in COLUMN_ROLES}
    values |= {f"col_{r}": ", ".join(cols.get(r) or []) for r in LIST_ROLES}
    for metric, bound in (spec.get("thresholds") or {}).items():
        values |= {f"t_{metric}_{k}": str(bound[k]) for k in ("min", "max") if bound.get(k) is not None}
        if metric in METRICS and scope_in_form(METRICS[metric]) and bound.get("scope"):
            values[f"t_{metric}_scope"] = ", ".join(bound["scope"])
    if values["task"] == "generative":
        values |= generative_values(spec)
    return values


#: parts of a stored spec the form does not show: kept as they are when the form saves
KEPT = ("notify", "min_group_size", "engine")
#: what the form's generative part writes (other generative roles of a stored spec are kept)
SHOWN_GENERATIVE = frozenset({*ROLE_FIELDS, "modality", "required_marks", "scores"})


def _kept(stored: dict[str, Any] | None, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with what the form does not show taken over from the stored spec: delivery,
    group size, engine, generative roles the form has no field for, other column roles and
    each threshold's scope the form does not ask for."""
    if not stored:
        return data
    data |= {k: stored[k] for k in KEPT if k in stored}
    if "generative" in data and stored.get("generative"):
        hidden = {k: v for k, v in stored["generative"].items() if k not in SHOWN_GENERATIVE}
        data["generative"] = {**hidden, **data["generative"]}
    other = {k: v for k, v in (stored.get("columns") or {}).items() if k not in (*COLUMN_ROLES, *LIST_ROLES)}
    if other:
        data["columns"] = {**other, **data.get("columns", {})}
    for metric, bound in data.get("thresholds", {}).items():
        if scope_in_form(METRICS[metric]):
            continue  # the form's scope field says it (empty: every place)
        scope = ((stored.get("thresholds") or {}).get(metric) or {}).get("scope")
        if scope:
            bound["scope"] = scope
    return data


def _spec_data(system: str, values: dict[str, str]) -> dict[str, Any]:
    """The spec a form's values describe (as a YAML file would hold it)."""
    data: dict[str, Any] = {"system": system, "name": values.get("name") or "default",
                            "task": values.get("task") or "binary_classification",
                            "window": values.get("window") or "1d",
                            "reference": {k: values[f"ref_{k}"] for k in ("start", "end") if values.get(f"ref_{k}")}}
    for key in ("log", "schedule"):
        if values.get(key):
            data[key] = values[key]
    columns: dict[str, Any] = {r: values[f"col_{r}"] for r in COLUMN_ROLES if values.get(f"col_{r}")}
    columns |= {r: [c.strip() for c in values[f"col_{r}"].split(",") if c.strip()]
                for r in LIST_ROLES if values.get(f"col_{r}")}
    if data["task"] == "generative":
        data["generative"], columns = generative_data(values, columns)
    if columns:
        data["columns"] = columns
    thresholds: dict[str, dict[str, Any]] = {}
    for metric, info in METRICS.items():
        bound: dict[str, Any] = {k: values[f"t_{metric}_{k}"] for k in ("min", "max")
                                 if values.get(f"t_{metric}_{k}")}
        scope = [p.strip() for p in values.get(f"t_{metric}_scope", "").split(",") if p.strip()]
        if scope and scope_in_form(info):
            bound["scope"] = scope
        if bound:
            thresholds[metric] = bound
    if thresholds:
        data["thresholds"] = thresholds
    return data


def _field_errors(error: ValidationFailed, lang: str) -> dict[str, list[str]]:
    """Each issue's message in the reader's language, by the form field it is about."""
    out: dict[str, list[str]] = {}
    for issue in error.issues or []:
        parts = re.sub(r"\[[^\]]*\]", "", issue.location).split(".")  # list items: the list's field
        if parts[:2] == ["columns", "generative"]:  # a mapped role the log lacks (found when it is read)
            parts = parts[1:]
        field = ".".join(parts[:2]) if parts[0] in ("thresholds", "columns", "reference", "generative") else parts[0]
        if parts[0] == "thresholds" and parts[-1] == "scope" and parts[1] in METRICS \
                and scope_in_form(METRICS[parts[1]]):
            field = ".".join(parts[:3])  # beside the scope field the form shows
        if lang == "ko" and issue.message_ko:
            text = issue.message_ko + (f" — {issue.fix_ko}" if issue.fix_ko else "")
        else:
            text = issue.message + (f" — {issue.fix}" if issue.fix else "")
        out.setdefault(field or "spec", []).append(text)
    return out


def _page(request: Request, actor: Actor, system_id: str, values: dict[str, Any], *, errors: Any = None,
          preview: dict[str, Any] | None = None, preview_error: str | None = None, status: int = 200) -> Response:
    hc = get_hc(request)
    data = system_header(request, actor, system_id)
    task = values.get("task") or "binary_classification"
    stats = hc.lake.stats(actor, system_id)
    data.update({
        "values": values, "errors": errors or {}, "preview": preview, "preview_error": preview_error,
        "choices": {"tasks": tasks(), "files": [f["name"] for f in hc.monitor.files(actor)],
                    "modalities": MODALITIES, "marks": MARKS, "roles": ROLE_FIELDS},
        # every metric of the catalogue, those of the chosen task shown (the page switches rows with the task)
        "metrics": [{"name": m.name, "family": m.family, "tasks": list(m.tasks), "shown": task in m.tasks,
                     "scoped": scope_in_form(m),
                     "label": m.label_ko if translator(request).lang == "ko" else m.label} for m in for_task(None)],
        "lake": {"events": stats["events"], "first_day": stats["first_day"], "last_day": stats["last_day"],
                 "mapping": hc.lake.schema(actor, system_id).get("mapping") if stats["events"] else None},
        "monitors": [m["name"] for m in hc.monitor.list(actor, system_id)],
        "base_url": str(request.base_url).rstrip("/"),
    })
    return render(request, "monitor/setup.html", data, status=status,
                  title=translator(request)("monitor.setup.title"))


@router.get("/systems/{system_id}/monitoring/setup")
def setup_form(request: Request, system_id: str, monitor: str = "default", actor: Actor = Depends(page_actor)
               ) -> Response:
    """The monitor set-up form, filled from the stored monitor when there is one."""
    hc = get_hc(request)
    stored = next((m for m in hc.monitor.list(actor, system_id) if m["name"] == monitor), None)
    values = _values_of(stored["spec"]) if stored else {"name": monitor, "task": "binary_classification",
                                                        "window": "1d", "schedule": "1d"}
    return _page(request, actor, system_id, values)


@router.post("/systems/{system_id}/monitoring/setup")
async def setup_submit(request: Request, system_id: str, actor: Actor = Depends(page_actor)) -> Response:
    """Preview (``intent=preview``) or save the monitor the form describes."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    actor.require(Permission.WRITE)
    values = {k: str(v)[:FIELD_MAX].strip() for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    lang = translator(request).lang
    hc = get_hc(request)
    name = values.get("name") or "default"
    stored = next((m["spec"] for m in hc.monitor.list(actor, system_id) if m["name"] == name), None)
    try:
        spec: MonitorSpec = parse_spec(Document(_kept(stored, _spec_data(system_id, values))))
    except ValidationFailed as error:
        return _page(request, actor, system_id, values, errors=_field_errors(error, lang), status=422)
    if values.get("intent") != "save":
        try:
            preview = hc.monitor.preview(actor, spec, windows=PREVIEW_WINDOWS)
        except HaechiError as error:
            message = error.message_ko if lang == "ko" and error.message_ko else error.message
            issues = _field_errors(error, lang) if isinstance(error, ValidationFailed) else {}
            return _page(request, actor, system_id, values, errors=issues, preview_error=message, status=422)
        return _page(request, actor, system_id, values, preview=preview)
    try:
        hc.monitor.save(actor, spec)
    except ValidationFailed as error:
        return _page(request, actor, system_id, values, errors=_field_errors(error, lang), status=422)
    target = f"/systems/{system_id}/monitoring?monitor={spec.name}"
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return redirect(target)
