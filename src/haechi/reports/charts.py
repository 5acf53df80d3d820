"""Charts as inline SVG, drawn here so a PDF needs no browser, script or network.

Two shapes cover what the dossier shows: a line chart of one metric over monitoring
windows (with its threshold as a dashed line) and a horizontal bar chart of a value per
group (e.g. selection rate by sex). Output is plain SVG text with a ``<title>`` and
``role="img"`` so screen readers announce it; the same numbers are always printed in a
table next to the chart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

PALETTE = ("#1f5f99", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085")
WIDTH, HEIGHT = 640, 220
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 48, 16, 24, 36


@dataclass(frozen=True)
class Series:
    """One line: a name and a value per x position (``None`` leaves a gap)."""

    name: str
    values: list[float | None]
    #: the name is an identifier from the user's data (a column): drawn as code, not as words
    code: bool = False


#: How a chart marks a name from the user's data: monospace, like ``<code>`` in the text.
CODE_TEXT = 'class="code" font-family="DejaVu Sans Mono, monospace"'


def _width(text: str) -> int:
    """Roughly how wide ``text`` is at the legend's size: Hangul and CJK glyphs are full-width."""
    return sum(11 if ord(ch) >= 0x2E80 else 7 for ch in text)


def _name(text: str, code: bool) -> str:
    return f'<tspan {CODE_TEXT}>{escape(text)}</tspan>' if code else escape(text)


def _scale(lo: float, hi: float, value: float, out_lo: float, out_hi: float) -> float:
    if hi == lo:
        return (out_lo + out_hi) / 2
    return out_lo + (value - lo) * (out_hi - out_lo) / (hi - lo)


def _bounds(series: list[Series], extra: list[float]) -> tuple[float, float]:
    values = [v for s in series for v in s.values if v is not None] + extra
    if not values:
        return 0.0, 1.0
    lo, hi = min(values), max(values)
    if lo >= 0 and hi <= 1:  # shares and rates read best on a fixed 0–1 axis
        return 0.0, 1.0
    margin = (hi - lo) * 0.1 or abs(hi) * 0.1 or 1.0
    return lo - margin, hi + margin


def _fmt(value: float) -> str:
    return f"{value:.3g}"


def line_chart(title: str, labels: list[str], series: list[Series],
               thresholds: dict[str, float] | None = None) -> str:
    """SVG of ``series`` over ``labels`` (x axis) with optional min/max threshold lines."""
    limits = {k: v for k, v in (thresholds or {}).items() if isinstance(v, int | float)}
    lo, hi = _bounds(series, list(limits.values()))
    x0, x1 = PAD_LEFT, WIDTH - PAD_RIGHT
    y0, y1 = HEIGHT - PAD_BOTTOM, PAD_TOP
    n = max(len(labels), 1)

    def x(i: int) -> float:
        return _scale(0, max(n - 1, 1), i, x0, x1) if n > 1 else (x0 + x1) / 2

    def y(v: float) -> float:
        return _scale(lo, hi, v, y0, y1)

    parts = [_frame(title), _axes(lo, hi, x0, x1, y0, y1)]
    parts += _x_labels(labels, x, y0)
    for index, (kind, value) in enumerate(sorted(limits.items())):
        parts.append(f'<line x1="{x0}" x2="{x1}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#555" '
                     f'stroke-dasharray="4 3"><title>{escape(kind)} {_fmt(value)}</title></line>')
        # Alternate the label between the right and left ends so close thresholds stay readable.
        lx, anchor = (x1 - 2, "end") if index % 2 == 0 else (x0 + 4, "start")
        parts.append(f'<text x="{lx}" y="{y(value) - 3:.1f}" font-size="9" text-anchor="{anchor}" '
                     f'fill="#333">{escape(kind)} {_fmt(value)}</text>')
    for index, s in enumerate(series):
        parts.append(_polyline(s, index, x, y))
    parts.append(_legend(series))
    parts.append("</svg>")
    return "".join(parts)


def _frame(title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
            f'role="img" aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>'
            f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>')


def _axes(lo: float, hi: float, x0: float, x1: float, y0: float, y1: float) -> str:
    ticks = [lo + (hi - lo) * k / 4 for k in range(5)]
    out = [f'<line x1="{x0}" x2="{x0}" y1="{y1}" y2="{y0}" stroke="#999"/>',
           f'<line x1="{x0}" x2="{x1}" y1="{y0}" y2="{y0}" stroke="#999"/>']
    for value in ticks:
        yy = _scale(lo, hi, value, y0, y1)
        out.append(f'<line x1="{x0}" x2="{x1}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#eee"/>')
        out.append(f'<text x="{x0 - 4}" y="{yy + 3:.1f}" font-size="9" text-anchor="end" fill="#333">'
                   f'{_fmt(value)}</text>')
    return "".join(out)


def _x_labels(labels: list[str], x: Callable[[int], float], y0: float) -> list[str]:
    step = max(1, len(labels) // 8)  # at most ~8 labels so they never overlap
    out = []
    for i, label in enumerate(labels):
        if i % step == 0 and (len(labels) - 1 - i >= step // 2 or i == len(labels) - 1):
            out.append(f'<text x="{x(i):.1f}" y="{y0 + 14}" font-size="9" text-anchor="middle" '
                       f'fill="#333">{escape(label)}</text>')
    return out


def _polyline(s: Series, index: int, x: Callable[[int], float], y: Callable[[float], float]) -> str:
    color = PALETTE[index % len(PALETTE)]
    points = [f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(s.values) if v is not None]
    dots = "".join(f'<circle cx="{p.split(",")[0]}" cy="{p.split(",")[1]}" r="2" fill="{color}"/>' for p in points)
    return (f'<polyline fill="none" stroke="{color}" stroke-width="1.6" points="{" ".join(points)}">'
            f'<title>{escape(s.name)}</title></polyline>{dots}')


def _legend(series: list[Series]) -> str:
    out, xx = [], PAD_LEFT
    for index, s in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        out.append(f'<rect x="{xx}" y="6" width="10" height="10" fill="{color}"/>'
                   f'<text x="{xx + 14}" y="15" font-size="10" fill="#222">{_name(s.name, s.code)}</text>')
        xx += 24 + _width(s.name)
    return "".join(out)


def bar_chart(title: str, items: list[tuple[str, float | None]], *, code_labels: bool = False) -> str:
    """Horizontal bars of one value per label (values of 0–1 drawn on a 0–1 axis); ``code_labels``
    when the labels are values from the user's data (groups)."""
    values = [v for _, v in items if v is not None]
    hi = 1.0 if values and max(values) <= 1 and min(values) >= 0 else max(values or [1.0])
    row, label_w = 20, 120
    height = PAD_TOP + row * max(len(items), 1) + 8
    parts = [_frame(title).replace(f'0 0 {WIDTH} {HEIGHT}', f'0 0 {WIDTH} {height}')
             .replace(f'height="{HEIGHT}"', f'height="{height}"')]
    for i, (label, value) in enumerate(items):
        top = PAD_TOP + i * row
        width = 0 if value is None or hi == 0 else (WIDTH - label_w - 60) * value / hi
        parts.append(f'<text x="{label_w - 6}" y="{top + 13}" font-size="10" text-anchor="end" fill="#222">'
                     f'{_name(label, code_labels)}</text>')
        parts.append(f'<rect x="{label_w}" y="{top + 3}" width="{width:.1f}" height="{row - 6}" '
                     f'fill="{PALETTE[0]}"/>')
        shown = "—" if value is None else _fmt(value)
        parts.append(f'<text x="{label_w + width + 4:.1f}" y="{top + 13}" font-size="10" fill="#222">{shown}</text>')
    parts.append("</svg>")
    return "".join(parts)
