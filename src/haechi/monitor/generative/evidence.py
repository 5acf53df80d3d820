"""What a generative monitor's run proves about the transparency duties (pure).

Label coverage is evidence for the labelling control (type ``label_check``; KR Art.
31(2), EU Art. 50(2)), the deepfake-mark coverage of realistic media for the same control
(KR Art. 31(3), EU Art. 50(4)), notice
coverage for the advance-notice control (``notice_delivery``; KR Art. 31(1), EU Art.
50(1)). The record *supports* the control when every window with outputs met the
threshold — ``min`` of the spec's threshold on the metric, or full coverage without
one — and *contradicts* it when a window fell short. Identical results give identical
payloads, which compliance stores once, so rerunning an unchanged monitor adds nothing.
"""

from __future__ import annotations

from typing import Any

#: metric → (evidence type, articles it proves, what weighs each window in the overall value)
COVERAGE: dict[str, tuple[str, list[str], str]] = {
    "label_coverage": ("label_check", ["kr:31(2)", "eu:50(2)"], "released"),
    "deepfake_mark_coverage": ("label_check", ["kr:31(3)", "eu:50(4)"], "released"),
    "notice_coverage": ("notice_delivery", ["kr:31(1)", "eu:50(1)"], "sessions"),
}
SOURCE = "monitoring.generative"


def coverage_evidence(out: dict[str, Any], thresholds: dict[str, dict[str, float]]) -> list[dict[str, Any]]:
    """``record_auto`` arguments (kind, title, payload, options) of one run's coverage."""
    offers = []
    for metric, (kind, articles, weight) in COVERAGE.items():
        windows = [w for w in out["windows"] if w["performance"].get(metric) is not None]
        if not windows:
            continue
        bound = (thresholds.get(metric) or {}).get("min", 1.0)
        short = [w["start"] for w in windows if w["performance"][metric] < bound]
        payload = {"metric": metric, "monitor": out.get("monitor"), "start": windows[0]["start"],
                   "end": windows[-1]["end"], "windows": len(windows), "threshold": {"min": bound},
                   "value": _weighted(windows, metric, weight), "short_windows": short,
                   "lowest": min(w["performance"][metric] for w in windows)}
        if metric == "label_coverage":
            payload["required_marks"] = (out.get("generative") or {}).get("required_marks", [])
        offers.append({"kind": kind, "title": _title(payload), "payload": payload,
                       "polarity": "contradicts" if short else "supports", "articles": list(articles),
                       "source": SOURCE, "source_ref": f"monitor:{out.get('system')}/{out.get('monitor')}:{metric}"})
    return offers


def _weighted(windows: list[dict[str, Any]], metric: str, weight: str) -> float | None:
    """The coverage over all the windows: each window weighed by its outputs or sessions."""
    pairs = [(w["performance"].get(metric), _weight(w, weight)) for w in windows]
    pairs = [(v, n) for v, n in pairs if v is not None and n]
    total = sum(n for _, n in pairs)
    return round(sum(v * n for v, n in pairs) / total, 6) if total else None


def _weight(window: dict[str, Any], weight: str) -> int:
    if weight == "sessions":
        return int((window.get("sessions") or {}).get("n") or 0)
    return int(window.get(weight) or 0)


def _title(p: dict[str, Any]) -> str:
    value = "n/a" if p["value"] is None else f"{p['value']:.4g}"
    return (f"{p['metric']} {value} over {p['start'][:10]}..{p['end'][:10]}: {len(p['short_windows'])} of "
            f"{p['windows']} windows under min {p['threshold']['min']:g}")
