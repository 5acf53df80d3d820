"""Per-system label settings: wording, where the visible label goes, which marks are used.

Stored in the governance store and edited on the transparency tab or with
``haechi label settings``. Defaults are safe: a visible label *and* machine-readable
marks (both methods of KR Decree Art. 23(2) at once).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

LabelMode = Literal["visible_and_machine", "visible_only", "machine_only"]
Position = Literal["prefix", "suffix"]
DisclosureMode = Literal["machine-generated", "ai-originated", "ai-modified"]

DEFAULT_WORDING_EN = "AI-generated: this content was produced by {system} (an AI system)."
DEFAULT_WORDING_KO = "AI 생성물: 이 콘텐츠는 인공지능 시스템({system})이 생성했습니다."
DEFAULT_OVERLAY_EN = "AI-generated · {system}"
DEFAULT_OVERLAY_KO = "AI 생성 · {system}"


class LabelSettings(BaseModel):
    """How one system's outputs are labelled. ``{system}`` in a wording is the system name."""

    model_config = ConfigDict(extra="forbid")

    wording_en: str = Field(DEFAULT_WORDING_EN, min_length=3, max_length=300)
    wording_ko: str = Field(DEFAULT_WORDING_KO, min_length=3, max_length=300)
    overlay_en: str = Field(DEFAULT_OVERLAY_EN, min_length=2, max_length=80)
    overlay_ko: str = Field(DEFAULT_OVERLAY_KO, min_length=2, max_length=80)
    lang: Literal["ko", "en"] = "ko"
    position: Position = "prefix"
    mode: LabelMode = "visible_and_machine"
    disclosure_mode: DisclosureMode = "machine-generated"
    image_overlay: bool = True
    artistic_work: bool = Field(
        False, description="artistic/creative work: a discreet mark that does not spoil enjoyment")
    artistic_reason: str | None = Field(None, max_length=500)

    def wording(self, lang: str, system_name: str) -> str:
        text = self.wording_ko if lang == "ko" else self.wording_en
        return text.replace("{system}", system_name)

    def overlay_text(self, lang: str, system_name: str) -> str:
        text = self.overlay_ko if lang == "ko" else self.overlay_en
        return text.replace("{system}", system_name)

    @property
    def visible(self) -> bool:
        return self.mode != "machine_only"

    @property
    def machine(self) -> bool:
        return self.mode != "visible_only"
