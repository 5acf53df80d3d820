"""Images whose header declares more pixels than the limit are refused before decoding:
exit 2 on the command line, 422 over HTTP — never hundreds of megabytes of pixels."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from haechi.domain.limits import MAX_IMAGE_PIXELS

from .test_cli import _workspace


def pixel_bomb(path: Path, side: int = 9_000) -> Path:
    """A valid grayscale PNG of ``side`` x ``side`` black pixels, a few hundred KB on disk."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    packer = zlib.compressobj(9)
    row = b"\0" * (side + 1)  # filter byte + one byte per pixel
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b""))
    return path


def test_labelling_a_pixel_bomb_exits_2_before_decoding(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _workspace(cli, tmp_path)
    src = pixel_bomb(tmp_path / "huge.png")
    assert MAX_IMAGE_PIXELS < 9_000 * 9_000 and src.stat().st_size < 512 * 1024
    out = tmp_path / "labelled.png"
    result = cli("label", "image", str(src), str(out), "--system", "marketing-image-gen")
    assert result.code == 2, result
    assert "huge.png" in result.err and "9000x9000" in result.err and "megapixels" in result.err
    assert "Traceback" not in result.err and not out.exists()


def test_verifying_a_pixel_bomb_over_http_is_422(api, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = pixel_bomb(tmp_path / "huge.png").read_bytes()
    response = api.post("/api/v1/transparency/verify", files={"file": ("huge.png", data, "image/png")})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert "megapixels" in error["message"] and error["message_ko"] and error["errors"][0]["fix"]
