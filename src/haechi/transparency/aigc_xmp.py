"""China's implicit label (GB 45438-2025): the ``TC260:AIGC`` entry in an image's XMP.

The Labelling Measures (Art. 5) ask the provider to put into the file's metadata that the
content is AI-generated, who produced it and a content number. GB 45438-2025 (section 6.2,
Annex E, as TC260's practice guide shows) writes this as an XMP property ``AIGC`` in the
namespace ``http://www.tc260.org.cn/ns/AIGC/1.0/`` holding a JSON object with seven fields:
``Label`` ("1" = AI-generated), ``ContentProducer`` and ``ProduceID`` (filled by the
generating service), ``ContentPropagator`` and ``PropagateID`` (filled by a distributing
platform) and two reserved codes. The packet goes where XMP always goes: a PNG ``iTXt``
chunk with keyword ``XML:com.adobe.xmp`` and a JPEG APP1 segment.

The entry is written into the pixels' file *before* the C2PA manifest is signed, so the
manifest's hash covers it. Files are edited chunk by chunk; the image is never re-encoded.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from typing import Any
from xml.sax.saxutils import escape

AIGC_NS = "http://www.tc260.org.cn/ns/AIGC/1.0/"
FIELDS = ("Label", "ContentProducer", "ProduceID", "ReservedCode1", "ContentPropagator", "PropagateID",
          "ReservedCode2")
PNG_SIG = b"\x89PNG\r\n\x1a\n"
PNG_XMP_KEY = b"XML:com.adobe.xmp"
JPEG_XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
#: A packet larger than this is not ours to parse (JPEG APP1 holds at most 65,533 bytes).
MAX_PACKET = 65_000


class AigcUnsupported(ValueError):
    """The file is not a PNG or JPEG Haechi can add the entry to."""


def aigc_fields(producer: str, produce_id: str) -> dict[str, str]:
    """The seven fields for a file a generating service produced (the propagator's are empty)."""
    return {"Label": "1", "ContentProducer": producer, "ProduceID": produce_id, "ReservedCode1": "",
            "ContentPropagator": "", "PropagateID": "", "ReservedCode2": ""}


def _element(fields: dict[str, str]) -> str:
    return f"<TC260:AIGC>{escape(json.dumps(fields, ensure_ascii=False, separators=(',', ':')))}</TC260:AIGC>"


def _packet(fields: dict[str, str]) -> str:
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            f'<rdf:Description rdf:about="" xmlns:TC260="{AIGC_NS}">{_element(fields)}</rdf:Description>'
            '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>')


def _merge(existing: str, fields: dict[str, str]) -> str:
    """Put the entry into an XMP packet the file already has, keeping everything else."""
    cleaned = re.sub(r"<TC260:AIGC>.*?</TC260:AIGC>", "", existing, flags=re.S)
    match = re.search(r"<rdf:Description\b[^>]*?(/?)>", cleaned)
    if match is None:
        return _packet(fields)
    tag = match.group(0)
    opened = tag[:-2] + ">" if match.group(1) else tag
    if "xmlns:TC260=" not in opened:
        opened = opened[:-1] + f' xmlns:TC260="{AIGC_NS}">'
    inner = opened + _element(fields) + ("</rdf:Description>" if match.group(1) else "")
    return cleaned[:match.start()] + inner + cleaned[match.end():]


# --- PNG ------------------------------------------------------------------------------
def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if not data.startswith(PNG_SIG):
        raise AigcUnsupported("not a PNG file")
    chunks: list[tuple[bytes, bytes]] = []
    pos = len(PNG_SIG)
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) != length:
            raise AigcUnsupported("truncated PNG chunk")
        chunks.append((kind, body))
        pos += 12 + length
        if kind == b"IEND":
            break
    return chunks


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def _png_xmp(body: bytes) -> str | None:
    key, _, rest = body.partition(b"\x00")
    if key != PNG_XMP_KEY or len(rest) < 2:
        return None
    compressed, rest = rest[0], rest[2:]
    _lang, _, rest = rest.partition(b"\x00")
    _translated, _, text = rest.partition(b"\x00")
    if compressed:
        text = zlib.decompressobj().decompress(text, MAX_PACKET * 4)
    return text.decode("utf-8", "replace")


def _write_png(data: bytes, fields: dict[str, str]) -> bytes:
    chunks = _png_chunks(data)
    existing = next((x for kind, body in chunks if kind == b"iTXt" and (x := _png_xmp(body)) is not None), None)
    packet = _merge(existing, fields) if existing else _packet(fields)
    itxt = _png_chunk(b"iTXt", PNG_XMP_KEY + b"\x00\x00\x00\x00\x00" + packet.encode("utf-8"))
    out, placed = [PNG_SIG], False
    for kind, body in chunks:
        if kind == b"iTXt" and _png_xmp(body) is not None:
            continue
        if kind == b"IDAT" and not placed:
            out.append(itxt)
            placed = True
        out.append(_png_chunk(kind, body))
    return b"".join(out)


def _read_png(data: bytes) -> str | None:
    return next((x for kind, body in _png_chunks(data) if kind == b"iTXt" and (x := _png_xmp(body)) is not None),
                None)


# --- JPEG -----------------------------------------------------------------------------
def _jpeg_segments(data: bytes) -> tuple[list[tuple[int, bytes]], bytes]:
    """(marker, payload) of every segment before the scan, and the rest from SOS on."""
    if not data.startswith(b"\xff\xd8"):
        raise AigcUnsupported("not a JPEG file")
    segments: list[tuple[int, bytes]] = []
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise AigcUnsupported("damaged JPEG segment")
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: everything after is image data
            return segments, data[pos:]
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        segments.append((marker, data[pos + 4:pos + 2 + length]))
        pos += 2 + length
    raise AigcUnsupported("JPEG without image data")


def _write_jpeg(data: bytes, fields: dict[str, str]) -> bytes:
    segments, rest = _jpeg_segments(data)
    existing = next((p[len(JPEG_XMP_HEADER):].decode("utf-8", "replace") for m, p in segments
                     if m == 0xE1 and p.startswith(JPEG_XMP_HEADER)), None)
    packet = (_merge(existing, fields) if existing else _packet(fields)).encode("utf-8")
    payload = JPEG_XMP_HEADER + packet
    if len(payload) + 2 > 0xFFFF:
        raise AigcUnsupported("the XMP packet does not fit in one JPEG segment")
    kept = [(m, p) for m, p in segments if not (m == 0xE1 and p.startswith(JPEG_XMP_HEADER))]
    # After JFIF/EXIF (APP0/APP1), before everything else.
    at = next((i for i, (m, _) in enumerate(kept) if m not in (0xE0, 0xE1)), len(kept))
    kept.insert(at, (0xE1, payload))
    body = b"".join(b"\xff" + bytes([m]) + struct.pack(">H", len(p) + 2) + p for m, p in kept)
    return b"\xff\xd8" + body + rest


def _read_jpeg(data: bytes) -> str | None:
    segments, _ = _jpeg_segments(data)
    return next((p[len(JPEG_XMP_HEADER):].decode("utf-8", "replace") for m, p in segments
                 if m == 0xE1 and p.startswith(JPEG_XMP_HEADER)), None)


# --- public ---------------------------------------------------------------------------
def write_aigc(data: bytes, mime: str, fields: dict[str, str]) -> bytes:
    """The same image with the ``TC260:AIGC`` entry in its XMP (other XMP kept)."""
    if mime == "image/png":
        return _write_png(data, fields)
    if mime == "image/jpeg":
        return _write_jpeg(data, fields)
    raise AigcUnsupported(f"{mime} is not supported (PNG and JPEG are)")


def read_aigc(data: bytes, mime: str) -> dict[str, Any] | None:
    """The ``TC260:AIGC`` fields of a PNG or JPEG, or None when it has none."""
    try:
        packet = _read_png(data) if mime == "image/png" else _read_jpeg(data) if mime == "image/jpeg" else None
    except AigcUnsupported:
        return None
    if not packet or len(packet) > MAX_PACKET or AIGC_NS not in packet:
        return None
    match = re.search(r"<TC260:AIGC>(.*?)</TC260:AIGC>", packet, flags=re.S)
    if match is None:
        return None
    from html import unescape
    try:
        value = json.loads(unescape(match.group(1)))
    except ValueError:
        return {"valid": False, "error": "the AIGC entry is not JSON"}
    if not isinstance(value, dict):
        return {"valid": False, "error": "the AIGC entry is not a JSON object"}
    fields = {k: str(value.get(k, "")) for k in FIELDS}
    missing = [k for k in FIELDS if k not in value]
    return {"valid": not missing and fields["Label"] != "", "fields": fields, "missing": missing,
            "ai_generated": fields["Label"] == "1"}
