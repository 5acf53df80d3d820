"""The generative part of the monitor set-up form (``task: generative``).

The form asks for the event fields the way a person thinks of them — output length,
language, latency, marks, advance notice, refusals, hand-overs, complaints, named app
scores, group columns — and writes the spec a YAML file would hold: the roles under
``generative:``, output length and latency as numeric drift features, the language as a
drift feature *and* a group. A field left empty keeps the SDK's name (the spec's
default), so a lake filled by ``log_generative`` needs nothing typed; only fields the
person filled are written, so the run checks exactly those exist in the log.

Reading a stored spec back into the form follows the same layout: the output length is
the first numeric column (the form writes it first), the latency column the role's, the
language the first categorical column that is also a group.
"""

from __future__ import annotations

from typing import Any

from haechi.monitor.generative.fields import GenerativeColumns

#: roles of one column each, in the order the form shows them
ROLE_FIELDS = ("released", "mark_visible", "mark_c2pa", "mark_text", "notice_shown", "session_id", "refused",
               "handed_over", "complaint", "latency_ms")
MARKS = ("text", "c2pa", "visible")
MODALITIES = ("text", "image", "audio", "video")
MAX_SCORES = 20


def generative_values(spec: dict[str, Any]) -> dict[str, str]:
    """Form values of a stored generative spec's roles and drift columns."""
    roles = spec.get("generative") or {}
    defaults = GenerativeColumns().model_dump()
    values = {"gen_modality": roles.get("modality", "text")}
    values |= {f"gen_{r}": roles[r] for r in ROLE_FIELDS if roles.get(r) and roles[r] != defaults[r]}
    values |= {f"gen_require_{m}": "1" for m in roles.get("required_marks") or []}
    values["gen_scores"] = ", ".join(f"{name}={column}" for name, column in (roles.get("scores") or {}).items())
    cols = spec.get("columns") or {}
    numeric, categorical, groups = list(cols.get("numeric") or []), list(cols.get("categorical") or []), \
        list(cols.get("sensitive") or [])
    latency = roles.get("latency_ms") or defaults["latency_ms"]
    if numeric and numeric[0] != latency:
        values["gen_output_length"] = numeric.pop(0)
    language = next((c for c in categorical if c in groups), None)
    if language:
        values["gen_language"] = language
    values |= {"col_numeric": ", ".join(c for c in numeric if c != latency),
               "col_categorical": ", ".join(c for c in categorical if c != language),
               "col_sensitive": ", ".join(c for c in groups if c != language)}
    return values


def generative_data(values: dict[str, str], columns: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The ``generative:`` block and the ``columns`` a generative form describes."""
    block: dict[str, Any] = {"modality": values.get("gen_modality") or "text"}
    block |= {r: values[f"gen_{r}"] for r in ROLE_FIELDS if values.get(f"gen_{r}")}
    marks = [m for m in MARKS if values.get(f"gen_require_{m}")]
    if marks:
        block["required_marks"] = marks
    scores = parse_scores(values.get("gen_scores", ""))
    if scores:
        block["scores"] = scores
    columns = {k: v for k, v in columns.items() if k not in ("prediction", "label", "score")}
    drift = [values[k] for k in ("gen_output_length", "gen_latency_ms") if values.get(k)]
    language = values.get("gen_language")
    if drift:
        columns["numeric"] = _unique([*drift, *columns.get("numeric", [])])
    if language:
        columns["categorical"] = _unique([language, *columns.get("categorical", [])])
        columns["sensitive"] = _unique([language, *columns.get("sensitive", [])])
    return block, columns


def parse_scores(text: str) -> dict[str, str]:
    """``groundedness=eval_grounded, toxicity`` → name → column (a bare name reads
    ``score_<name>``, the column the SDK writes)."""
    out: dict[str, str] = {}
    for entry in [e.strip() for e in text.split(",") if e.strip()][:MAX_SCORES]:
        name, _, column = (part.strip() for part in entry.partition("="))
        out[name] = column or f"score_{name}"
    return out


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
