"""Verify a labelled file: manifest, signer, signature, hashes, and re-encode survival.

The report separates what C2PA proves (signature and content hashes) from trust (is the
signer's CA one we trust?) so a file signed with a local test certificate shows as
*valid but not trusted* instead of simply failing. The re-encode check decodes and
re-encodes the file the way an ordinary tool would and reads the copy again, so the
user learns whether the machine-readable mark survives that — it usually does not,
which is why visible marks and the fingerprint record exist.
"""

from __future__ import annotations

import hashlib
import io
import wave
from pathlib import Path
from typing import Any

from .aigc_xmp import read_aigc
from .c2pa_sign import AI_SOURCE_TYPES, SYSTEM_ASSERTION, c2pa_module
from .fingerprint import dhash, open_image
from .mediatypes import MediaType, detect

HASH_FAILURES = ("assertion.dataHash.mismatch", "assertion.bmffHash.mismatch",
                 "assertion.boxesHash.mismatch", "assertion.hashedURI.mismatch",
                 "assertion.collectionHash.mismatch")
SIGNATURE_FAILURES = ("claimSignature.mismatch", "claimSignature.missing",
                      "signingCredential.invalid", "signingCredential.revoked",
                      "claimSignature.outsideValidity", "signingCredential.expired")


def read_manifest(data: bytes, media: MediaType, trust_anchors: list[bytes]) -> dict[str, Any] | None:
    """Read and validate the C2PA manifest store in ``data``; ``None`` when there is none."""
    c2pa = c2pa_module()
    context = None
    if trust_anchors:
        pem = b"".join(trust_anchors).decode()
        context = c2pa.Context(settings=c2pa.Settings.from_dict({"trust": {"trust_anchors": pem}}))
    try:
        reader = c2pa.Reader.try_create(media.mime, io.BytesIO(data), None, context) if context else \
            c2pa.Reader.try_create(media.mime, io.BytesIO(data))
    except c2pa.C2paError as error:
        return {"error": str(error).splitlines()[0][:300] if str(error) else type(error).__name__}
    if reader is None:
        return None
    with reader:
        return {"active": reader.get_active_manifest() or {}, "state": reader.get_validation_state(),
                "results": reader.get_validation_results() or {}}


def summarise(raw: dict[str, Any] | None) -> dict[str, Any]:
    """Turn the reader's output into the stable verification fields."""
    if raw is None:
        return {"manifest_present": False, "signature_valid": None, "hashes_valid": None,
                "trusted": None, "ai_generated": None, "validation_state": None}
    if "error" in raw:
        return {"manifest_present": True, "signature_valid": False, "hashes_valid": False,
                "trusted": False, "ai_generated": None, "validation_state": "Unreadable",
                "failures": [{"code": "manifest.unreadable", "explanation": raw["error"]}]}
    active = raw["active"]
    failures = (raw["results"].get("activeManifest") or {}).get("failure") or []
    codes = [str(f.get("code")) for f in failures]
    sources = _source_types(active)
    return {
        "manifest_present": True,
        "manifest_label": active.get("label"),
        "title": active.get("title"),
        "claim_generator": [g.get("name") for g in active.get("claim_generator_info") or []],
        "assertions": [a.get("label") for a in active.get("assertions") or []],
        "validation_state": raw["state"],
        "signature_valid": not any(c.startswith(SIGNATURE_FAILURES) for c in codes),
        "hashes_valid": not any(c.startswith(HASH_FAILURES) for c in codes),
        "trusted": raw["state"] == "Trusted",
        "signer": _signer(active),
        "digital_source_types": sorted(sources),
        "ai_generated": bool(sources & AI_SOURCE_TYPES),
        "system": _assertion(active, SYSTEM_ASSERTION),
        "failures": [{"code": f.get("code"), "explanation": f.get("explanation")} for f in failures],
    }


def _signer(active: dict[str, Any]) -> dict[str, Any] | None:
    info = active.get("signature_info")
    if not info:
        return None
    return {"common_name": info.get("common_name"), "issuer": info.get("issuer"),
            "algorithm": info.get("alg"), "serial": info.get("cert_serial_number"), "time": info.get("time")}


def _assertion(active: dict[str, Any], label: str) -> dict[str, Any] | None:
    for item in active.get("assertions") or []:
        if item.get("label") == label:
            return dict(item.get("data") or {})
    return None


def _source_types(active: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for item in active.get("assertions") or []:
        if str(item.get("label", "")).startswith("c2pa.actions"):
            for action in (item.get("data") or {}).get("actions") or []:
                if action.get("digitalSourceType"):
                    found.add(str(action["digitalSourceType"]))
    return found


def verify_file(path: Path, trust_anchors: list[bytes], *, reencode: bool = True) -> dict[str, Any]:
    """Full verification report of one file (without Haechi's own records)."""
    media = detect(path)
    data = path.read_bytes()
    report: dict[str, Any] = {"file": str(path), "media_type": media.mime, "size": len(data),
                              "sha256": hashlib.sha256(data).hexdigest()}
    if media.kind == "image":
        open_image(data, path.name).close()  # the declared size, before anything decodes pixels
    report.update(summarise(read_manifest(data, media, trust_anchors)))
    report["fingerprint"] = _safe_dhash(data) if media.kind == "image" else None
    # China's implicit label (GB 45438-2025): read beside the C2PA manifest, never instead of it.
    report["cn_aigc"] = read_aigc(data, media.mime) if media.kind == "image" else None
    if reencode:
        report["reencode"] = reencode_check(data, media, trust_anchors)
    report["verdict"] = overall(report)
    return report


def overall(report: dict[str, Any]) -> str:
    """One word for people: valid, valid_untrusted, invalid, or unlabelled."""
    if not report.get("manifest_present"):
        return "unlabelled"
    if not (report.get("signature_valid") and report.get("hashes_valid")):
        return "invalid"
    return "valid" if report.get("trusted") else "valid_untrusted"


def _safe_dhash(data: bytes) -> str | None:
    try:
        return dhash(data)
    except Exception:  # an image Pillow cannot decode still gets its C2PA report
        return None


def reencode_check(data: bytes, media: MediaType, trust_anchors: list[bytes]) -> dict[str, Any]:
    """Re-encode as an ordinary tool would and report whether the manifest survived."""
    try:
        copy, method = _reencode(data, media)
    except ReencodeUnavailable as why:
        return {"tested": False, "reason": str(why)}
    after = summarise(read_manifest(copy, media, trust_anchors))
    result: dict[str, Any] = {"tested": True, "method": method, "survived": bool(after["manifest_present"]),
                              "still_valid": bool(after.get("signature_valid") and after.get("hashes_valid"))}
    if media.kind == "image":
        result["fingerprint_after"] = _safe_dhash(copy)
    return result


class ReencodeUnavailable(Exception):
    pass


def _reencode(data: bytes, media: MediaType) -> tuple[bytes, str]:
    if media.kind == "image":
        return _reencode_image(data, media)
    if media.mime == "audio/wav":
        return _reencode_wav(data), "rewritten with Python's wave module (same samples)"
    return _reencode_av(data, media)


def _reencode_image(data: bytes, media: MediaType) -> tuple[bytes, str]:
    out = io.BytesIO()
    try:
        with open_image(data) as image:
            image.load()
            fmt = image.format or "PNG"
            params = {"quality": 85} if fmt == "JPEG" else {}
            image.save(out, format=fmt, **params)
    except Exception as error:
        raise ReencodeUnavailable(f"Pillow could not decode the image: {error}") from None
    quality = " quality 85" if media.mime == "image/jpeg" else ""
    return out.getvalue(), f"decoded and saved again with Pillow ({fmt}{quality})"


def _reencode_wav(data: bytes) -> bytes:
    try:
        with wave.open(io.BytesIO(data)) as source:
            params, frames = source.getparams(), source.readframes(source.getnframes())
    except (wave.Error, EOFError) as error:
        raise ReencodeUnavailable(f"could not decode the WAV file: {error}") from None
    out = io.BytesIO()
    with wave.open(out, "wb") as target:
        target.setparams(params)
        target.writeframes(frames)
    return out.getvalue()


def _reencode_av(data: bytes, media: MediaType) -> tuple[bytes, str]:
    try:
        import av
    except ImportError:
        raise ReencodeUnavailable("re-encoding video/audio needs PyAV ('pip install av')") from None
    out = io.BytesIO()
    try:
        with av.open(io.BytesIO(data)) as source, av.open(out, "w", format=_container(media)) as target:
            _transcode(source, target)
    except (av.FFmpegError, ValueError) as error:
        raise ReencodeUnavailable(f"PyAV could not re-encode the file: {error}") from None
    return out.getvalue(), "decoded and encoded again with PyAV (FFmpeg)"


def _container(media: MediaType) -> str:
    return {"video/mp4": "mp4", "video/quicktime": "mov", "audio/mp4": "ipod", "audio/mpeg": "mp3",
            "audio/flac": "flac"}.get(media.mime, "mp4")


def _transcode(source: Any, target: Any) -> None:
    video = next(iter(source.streams.video), None)
    if video is None:
        raise ReencodeUnavailable("only files with a video stream are re-encoded here")
    stream = target.add_stream("mpeg4", rate=video.average_rate or 10)
    stream.width, stream.height, stream.pix_fmt = video.width, video.height, "yuv420p"
    for frame in source.decode(video):
        for packet in stream.encode(frame.reformat(format="yuv420p")):
            target.mux(packet)
    for packet in stream.encode():
        target.mux(packet)

