"""Recognise media files by their first bytes (never by the file name alone).

A label command for images must not sign an MP4 by mistake, and a corrupt or
truncated file must fail before anything is written; both start here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from haechi.domain.errors import Issue, ValidationFailed

MediaKind = Literal["image", "video", "audio"]


@dataclass(frozen=True)
class MediaType:
    kind: MediaKind
    mime: str
    name: str  # human name, e.g. "PNG image"
    extension: str


PNG = MediaType("image", "image/png", "PNG image", "png")
JPEG = MediaType("image", "image/jpeg", "JPEG image", "jpg")
WEBP = MediaType("image", "image/webp", "WebP image", "webp")
GIF = MediaType("image", "image/gif", "GIF image", "gif")
TIFF = MediaType("image", "image/tiff", "TIFF image", "tif")
MP4 = MediaType("video", "video/mp4", "MP4 video", "mp4")
MOV = MediaType("video", "video/quicktime", "QuickTime video", "mov")
M4A = MediaType("audio", "audio/mp4", "M4A audio", "m4a")
WAV = MediaType("audio", "audio/wav", "WAV audio", "wav")
MP3 = MediaType("audio", "audio/mpeg", "MP3 audio", "mp3")
FLAC = MediaType("audio", "audio/flac", "FLAC audio", "flac")

SUPPORTED = (PNG, JPEG, WEBP, GIF, TIFF, MP4, MOV, M4A, WAV, MP3, FLAC)


def sniff(head: bytes) -> MediaType | None:
    """The media type of a file from its first 16+ bytes, or ``None``."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"fLaC"):
        return FLAC
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return MP3
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"M4A ", b"M4B "):
            return M4A
        return MOV if brand == b"qt  " else MP4
    return None


def detect(path: Path, expected: MediaKind | None = None) -> MediaType:
    """Read the first bytes of ``path`` and check it is supported media of ``expected`` kind."""
    try:
        with path.open("rb") as handle:
            head = handle.read(32)
    except FileNotFoundError:
        raise ValidationFailed(f"input file {path} does not exist",
                               key="transparency.input_file_does_not_2", values={"path": path},
                               issues=[Issue("IN", "file not found", "check the path",
                                                 message_ko="파일을 찾을 수 없습니다",
                                                 fix_ko="경로를 확인하세요")]) from None
    except OSError as error:
        raise ValidationFailed(f"cannot read {path}: {error.strerror or error}",
                               key="transparency.cannot_read", values={"path": path}) from None
    media = sniff(head)
    if media is None:
        names = ", ".join(m.extension for m in SUPPORTED)
        raise ValidationFailed(
            f"{path} is not a supported media file (empty, corrupt or another format)",
            key="transparency.not_supported_media_file", values={"path": path},
            issues=[Issue("IN", "unrecognised file content", f"give one of: {names}")])
    if expected and media.kind != expected:
        raise ValidationFailed(
            f"{path} is a {media.name}, not {expected}",
            key="transparency.not_detect", values={"path": path, "name": media.name, "expected": expected},
            issues=[Issue("IN", f"{media.name} given to 'label {expected}'",
                          f"use 'haechi label {media.kind} {path} OUT ...'")])
    return media
