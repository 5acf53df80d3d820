"""Fixtures of the transparency tests: the demo organisation, systems, a signing
certificate and real media files made on the spot (PNG, JPEG, MP4 via PyAV, WAV)."""

from __future__ import annotations

import io
import math
import struct
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.domain.card import SystemCard


@pytest.fixture
def org(hc: Haechi) -> Actor:
    hc.accounts.create_org("hanbit", "Hanbit Precision Co., Ltd.", "한빛정밀")
    return hc.local_actor("hanbit")


@pytest.fixture
def add_system(hc: Haechi, org: Actor) -> Callable[[dict[str, Any]], str]:
    def add(card: dict[str, Any]) -> str:
        hc.systems.add(org, SystemCard.model_validate(card))
        return str(card["id"])
    return add


@pytest.fixture
def signing(hc: Haechi, org: Actor) -> dict[str, str]:
    return hc.transparency.certs.create_local()


def make_png(path: Path, size: tuple[int, int] = (320, 200), seed: int = 0) -> Path:
    from PIL import Image, ImageDraw
    image = Image.new("RGB", size, (40 + seed, 120, 200))
    draw = ImageDraw.Draw(image)
    for i in range(0, size[0], 20):
        draw.ellipse((i, 20 + (i * 7 + seed) % 120, i + 40, 60 + (i * 7 + seed) % 120), fill=(250, 200 - i % 100, 30))
    image.save(path, format="PNG" if path.suffix == ".png" else "JPEG", quality=92)
    return path


def make_mp4(path: Path, frames: int = 12) -> Path:
    import av
    import numpy as np
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=12)
        stream.width, stream.height, stream.pix_fmt = 160, 96, "yuv420p"
        for i in range(frames):
            pixels = np.zeros((96, 160, 3), np.uint8)
            pixels[:, : 10 + i * 10] = (200, 60, 60)
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def make_wav(path: Path, seconds: float = 0.5, rate: int = 16000) -> Path:
    frames = b"".join(struct.pack("<h", int(9000 * math.sin(2 * math.pi * 440 * i / rate)))
                      for i in range(int(seconds * rate)))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def media(tmp_path: Path) -> dict[str, Path]:
    return {"png": make_png(tmp_path / "gen.png"), "jpg": make_png(tmp_path / "gen.jpg"),
            "mp4": make_mp4(tmp_path / "gen.mp4"), "wav": make_wav(tmp_path / "gen.wav")}
