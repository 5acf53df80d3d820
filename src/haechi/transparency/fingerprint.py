"""Perceptual fingerprints of images (difference hash), a soft binding for labels.

A C2PA manifest is metadata: a re-encoder that does not know C2PA (an image editor,
a messenger that recompresses) drops it. Haechi therefore also records a 64-bit
difference hash of every labelled image. The hash changes little under
recompression and resizing, so ``haechi label verify`` can still say "this looks like
output N of system X, labelled on D" after the manifest is gone — honestly reported
as a lookup in Haechi's records, not as a cryptographic proof.
"""

from __future__ import annotations

import io
from typing import Any

from haechi.domain.errors import Issue, MissingExtra, ValidationFailed
from haechi.domain.limits import MAX_IMAGE_PIXELS

#: Hamming distance (of 64 bits) under which two images count as the same picture.
MATCH_DISTANCE = 10


def pillow() -> Any:
    try:
        from PIL import Image
    except ImportError:
        raise MissingExtra("image labels", "media", "pillow") from None
    return Image


def pillow_image_file() -> Any:
    """``PIL.ImageFile`` imported for itself: ``PIL.Image`` alone does not load it in every process."""
    try:
        from PIL import ImageFile
    except ImportError:
        raise MissingExtra("image labels", "media", "pillow") from None
    return ImageFile


def open_image(data: bytes, source: str = "image") -> Any:
    """The Pillow image of ``data`` with only its header read, refused when the header
    declares more than :data:`MAX_IMAGE_PIXELS` pixels.

    A PNG of a few hundred kilobytes can declare 144 megapixels (half a gigabyte once
    decoded); Pillow only warns below twice its own limit. Every decode of user input
    goes through here, so the size is an error before any pixel is inflated."""
    image_mod = pillow()
    try:
        image = image_mod.open(io.BytesIO(data))
    except image_mod.DecompressionBombError:
        raise _too_many_pixels(source, None) from None
    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS:
        image.close()
        raise _too_many_pixels(source, (width, height))
    return image


def _too_many_pixels(source: str, size: tuple[int, int] | None) -> ValidationFailed:
    declared = f"{size[0]}x{size[1]} pixels" if size else "too many pixels"
    limit = f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels"
    return ValidationFailed(
        f"{source}: the image declares {declared}, more than {limit}",
        key="transparency.image_declares_more_than", values={"source": source, "limit": limit},
        issues=[Issue("image", f"{declared} (limit {limit})", "scale the image down and try again", file=source)])


def dhash(data: bytes, source: str = "image") -> str:
    """64-bit difference hash of an image as 16 hex digits."""
    image_mod = pillow()
    with open_image(data, source) as image:
        image.seek(0)
        small = image.convert("L").resize((9, 8), image_mod.Resampling.LANCZOS)
        pixels = list(small.tobytes())  # mode "L": one byte per pixel, row by row
    bits = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            bits = (bits << 1) | (1 if left > right else 0)
    return f"{bits:016x}"


def distance(a: str, b: str) -> int:
    """Number of differing bits between two hashes."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
