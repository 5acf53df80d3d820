"""Visible labels drawn on images (a mark a person perceives, KR Decree Art. 23(2)(1)).

Two styles:

* ``standard`` — a full-width, high-contrast strip along the bottom edge. Used for
  ordinary generated images and always for realistic synthetic media, which must be
  *clearly* recognisable (KR Art. 31(3); EU Art. 50(4)).
* ``artistic`` — a small corner badge that does not spoil viewing an artistic or
  creative work (the softer form both laws allow for such works).

Korean text needs a Korean-capable font: the system's Nanum or Noto CJK fonts are
used; without one the label falls back to English and says so in the result.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .fingerprint import open_image, pillow

OverlayStyle = Literal["standard", "artistic"]

FONT_CANDIDATES = (
    str(Path(__file__).parents[1] / "reports" / "fonts" / "NanumGothicBold.ttf"),  # bundled with Haechi
    "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf",
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    "/System/Library/Fonts/AppleSDGothicNeo.ttc",
    "C:/Windows/Fonts/malgunbd.ttf",
)


@dataclass(frozen=True)
class OverlayResult:
    data: bytes
    text: str
    style: OverlayStyle
    font: str | None
    korean_font: bool
    note: str | None


def korean_font_path() -> Path | None:
    """A font file with Hangul glyphs, if the system has one."""
    for candidate in FONT_CANDIDATES:
        path = Path(candidate)
        if path.exists():
            return path
    for pattern in ("**/Nanum*Gothic*.ttf", "**/*CJK*.tt[cf]", "**/*CJK*.otf"):
        found = sorted(Path("/usr/share/fonts").glob(pattern)) if Path("/usr/share/fonts").exists() else []
        if found:
            return found[0]
    return None


def _has_hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def draw_label(data: bytes, text: str, fallback_text: str, style: OverlayStyle) -> OverlayResult:
    """Return the image with ``text`` drawn on it, saved in its original format."""
    image_mod = pillow()
    from PIL import ImageDraw, ImageFont
    font_path = korean_font_path()
    note = None
    if font_path is None and _has_hangul(text):
        text, note = fallback_text, "no Korean font found on this system: the English wording was drawn"
    with open_image(data) as source:
        fmt = source.format or "PNG"
        image = source.convert("RGBA")
    size = _font_size(image.size, style)
    font: Any = ImageFont.truetype(str(font_path), size) if font_path else ImageFont.load_default(size)
    layer = image_mod.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    box = _box(draw, font, text, image.size, style)
    alpha = 235 if style == "standard" else 200
    draw.rectangle(box, fill=(17, 17, 17, alpha))
    draw.text((box[0] + size // 2, box[1] + size // 3), text, font=font, fill=(255, 255, 255, 255))
    merged = image_mod.alpha_composite(image, layer)
    out = io.BytesIO()
    _save(merged, out, fmt)
    return OverlayResult(out.getvalue(), text, style, str(font_path) if font_path else None,
                         font_path is not None, note)


def _font_size(dims: tuple[int, int], style: OverlayStyle) -> int:
    width, height = dims
    share = 0.045 if style == "standard" else 0.028
    return max(10, int(min(width, height * 1.6) * share))


def _box(draw: Any, font: Any, text: str, dims: tuple[int, int],
         style: OverlayStyle) -> tuple[int, int, int, int]:
    width, height = dims
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    pad = max(4, font.size // 2)
    text_w, text_h = right - left, bottom - top
    if style == "standard":
        return (0, height - text_h - 2 * pad, width, height)
    margin = max(4, width // 80)
    return (width - text_w - 2 * pad - margin, height - text_h - 2 * pad - margin,
            width - margin, height - margin)


def _save(image: Any, out: io.BytesIO, fmt: str) -> None:
    if fmt == "JPEG":
        image.convert("RGB").save(out, format="JPEG", quality=92)
    elif fmt in ("PNG", "WEBP", "TIFF"):
        image.save(out, format=fmt)
    else:
        image.convert("RGB").save(out, format=fmt)
