"""C2PA labels end to end: sign real PNG, JPEG, MP4 and WAV files, read them back with
c2pa-python, tamper with them, re-encode them, and feed bad input."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import c2pa
import pytest

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.domain.card import SystemCard
from haechi.domain.errors import HaechiError, ValidationFailed
from haechi.transparency.c2pa_sign import SYSTEM_ASSERTION, TRAINED_ALGORITHMIC_MEDIA
from haechi.transparency.certs import make_local_chain

from . import cards

KINDS = {"png": "image", "jpg": "image", "mp4": "video", "wav": "audio"}
MIME = {"png": "image/png", "jpg": "image/jpeg", "mp4": "video/mp4", "wav": "audio/wav"}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_with_c2pa(path: Path, anchor: bytes | None = None) -> tuple[dict, str, dict]:
    """Read independently of Haechi's own verify code."""
    context = None
    if anchor:
        context = c2pa.Context(settings=c2pa.Settings.from_dict({"trust": {"trust_anchors": anchor.decode()}}))
    reader = c2pa.Reader(MIME[path.suffix[1:]], io.BytesIO(path.read_bytes()), None, context) if context \
        else c2pa.Reader(MIME[path.suffix[1:]], io.BytesIO(path.read_bytes()))
    with reader:
        return reader.get_active_manifest(), reader.get_validation_state(), reader.get_validation_results()


@pytest.mark.parametrize("ext", ["png", "jpg", "mp4", "wav"])
def test_round_trip_reads_back_the_ai_assertion_and_a_valid_signature(
        hc: Haechi, org: Actor, add_system, signing, media, tmp_path: Path, ext: str) -> None:
    add_system(cards.image_gen())
    src, out = media[ext], tmp_path / f"labelled.{ext}"
    before = sha(src)
    result = hc.transparency.label_file(org, "marketing-image-gen", KINDS[ext], src, out)
    assert result["applied"] is True
    assert sha(src) == before, "the input must never be modified"
    manifest, state, results = read_with_c2pa(out)
    actions = next(a for a in manifest["assertions"] if a["label"].startswith("c2pa.actions"))["data"]["actions"]
    assert actions[0]["action"] == "c2pa.created"
    assert actions[0]["digitalSourceType"] == TRAINED_ALGORITHMIC_MEDIA
    system = next(a for a in manifest["assertions"] if a["label"] == SYSTEM_ASSERTION)["data"]
    assert system["system_id"] == "marketing-image-gen" and system["organisation"] == "Hanbit Precision Co., Ltd."
    assert manifest["signature_info"]["issuer"] == "Hanbit Precision Co., Ltd."
    assert state == "Valid"  # valid signature and hashes; the local CA is not trusted by default
    failures = [f["code"] for f in results["activeManifest"].get("failure", [])]
    assert failures == ["signingCredential.untrusted"]
    ca = hc.transparency.certs.local_paths("hanbit")[0].read_bytes()
    assert read_with_c2pa(out, ca)[1] == "Trusted"
    report = hc.transparency.verify(org, out, reencode=False)
    assert report["verdict"] == "valid" and report["ai_generated"] is True
    assert report["signature_valid"] and report["hashes_valid"] and report["trusted"]
    assert report["haechi_record"]["matched_by"].startswith("exact")


def _flip_payload_byte(path: Path, ext: str) -> None:
    data = bytearray(path.read_bytes())
    marker = {"png": b"IDAT", "jpg": b"\xff\xda", "mp4": b"mdat", "wav": b"data"}[ext]
    at = data.rfind(marker) + 40
    data[at] ^= 0x5A
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("ext", ["png", "jpg", "mp4", "wav"])
def test_tampered_content_fails_verification(hc: Haechi, org: Actor, add_system, signing, media,
                                             tmp_path: Path, ext: str) -> None:
    add_system(cards.image_gen())
    out = tmp_path / f"labelled.{ext}"
    hc.transparency.label_file(org, "marketing-image-gen", KINDS[ext], media[ext], out)
    _flip_payload_byte(out, ext)
    _, state, _ = read_with_c2pa(out)
    assert state == "Invalid"
    report = hc.transparency.verify(None, out, reencode=False)
    assert report["verdict"] == "invalid" and report["hashes_valid"] is False


@pytest.mark.parametrize("ext", ["png", "jpg"])
def test_reencode_strips_the_manifest_and_the_fingerprint_still_finds_the_record(
        hc: Haechi, org: Actor, add_system, signing, media, tmp_path: Path, ext: str) -> None:
    add_system(cards.image_gen())
    out = tmp_path / f"labelled.{ext}"
    hc.transparency.label_file(org, "marketing-image-gen", "image", media[ext], out)
    report = hc.transparency.verify(org, out)
    assert report["reencode"]["tested"] is True
    assert report["reencode"]["survived"] is False  # honest: an ordinary re-encoder drops C2PA
    from PIL import Image
    copy = tmp_path / f"reencoded.{ext}"
    with Image.open(out) as image:
        image.convert("RGB").resize((300, 188)).save(copy, quality=80)
    again = hc.transparency.verify(org, copy, reencode=False)
    assert again["verdict"] == "unlabelled"
    assert again["haechi_record"]["matched_by"].startswith("perceptual")
    assert again["haechi_record"]["system"] == "marketing-image-gen"


def test_reencode_of_video_is_reported(hc: Haechi, org: Actor, add_system, signing, media, tmp_path: Path) -> None:
    add_system(cards.image_gen())
    out = tmp_path / "labelled.mp4"
    hc.transparency.label_file(org, "marketing-image-gen", "video", media["mp4"], out)
    result = hc.transparency.verify(None, out)["reencode"]
    assert result["tested"] is True and result["survived"] is False


def test_overlay_draws_a_visible_korean_label(hc: Haechi, org: Actor, add_system, signing, media,
                                              tmp_path: Path) -> None:
    from PIL import Image, ImageChops
    add_system(cards.image_gen())
    out = tmp_path / "labelled.png"
    result = hc.transparency.label_file(org, "marketing-image-gen", "image", media["png"], out, lang="ko")
    assert result["marks"]["visible_overlay"]["text"].startswith("AI 생성")
    with Image.open(media["png"]) as a, Image.open(out) as b:
        diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox()
    assert diff is not None and diff[3] == 200 and diff[1] > 150  # a strip along the bottom edge only


def test_artistic_mode_uses_a_corner_badge_and_records_why(hc: Haechi, org: Actor, add_system, signing,
                                                           media, tmp_path: Path) -> None:
    from PIL import Image, ImageChops
    add_system(cards.image_gen())
    out = tmp_path / "art.png"
    hc.transparency.label_file(org, "marketing-image-gen", "image", media["png"], out, artistic=True)
    with Image.open(media["png"]) as a, Image.open(out) as b:
        box = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox()
    assert box is not None and box[0] > 120  # right-hand corner, not full width
    choices = [d for d in hc.transparency.decisions(org, "marketing-image-gen") if d["kind"] == "mark_choice"]
    assert any("artistic" in d["decision"] for d in choices)


# --- bad input ------------------------------------------------------------------------------
def test_bad_media_and_paths_give_clear_errors_and_write_nothing(hc: Haechi, org: Actor, add_system, signing,
                                                                 media, tmp_path: Path) -> None:
    add_system(cards.image_gen())
    label = hc.transparency.label_file
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(ValidationFailed, match="not a supported media file"):
        label(org, "marketing-image-gen", "image", text, tmp_path / "o1.png")
    with pytest.raises(ValidationFailed, match="is a MP4 video, not image"):
        label(org, "marketing-image-gen", "image", media["mp4"], tmp_path / "o2.png")
    broken = tmp_path / "broken.png"
    broken.write_bytes(media["png"].read_bytes()[:120])
    with pytest.raises(ValidationFailed):
        label(org, "marketing-image-gen", "image", broken, tmp_path / "o3.png")
    assert not (tmp_path / "o3.png").exists()
    with pytest.raises(ValidationFailed, match="never modifies an input in place"):
        label(org, "marketing-image-gen", "image", media["png"], media["png"])
    with pytest.raises(ValidationFailed, match="does not exist"):
        label(org, "marketing-image-gen", "image", media["png"], tmp_path / "nope" / "o4.png")
    with pytest.raises(ValidationFailed, match="does not exist"):
        label(org, "marketing-image-gen", "image", tmp_path / "missing.png", tmp_path / "o5.png")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("o", "."))) == []


def test_missing_and_expired_certificates_are_refused(hc: Haechi, org: Actor, add_system, media,
                                                      tmp_path: Path) -> None:
    add_system(cards.image_gen())
    with pytest.raises(ValidationFailed, match="no signing certificate"):
        hc.transparency.label_file(org, "marketing-image-gen", "image", media["png"], tmp_path / "a.png")
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=900)
    _, chain, key = make_local_chain("Hanbit", days=30, now=old)
    (tmp_path / "chain.pem").write_bytes(chain)
    (tmp_path / "key.pem").write_bytes(key)
    certs = hc.transparency.certs  # as configured by HAECHI_SIGNING_CERT / HAECHI_SIGNING_KEY
    certs.signing_cert, certs.signing_key = tmp_path / "chain.pem", tmp_path / "key.pem"
    with pytest.raises(ValidationFailed, match="expired"):
        hc.transparency.label_file(org, "marketing-image-gen", "image", media["png"], tmp_path / "b.png")
    assert not (tmp_path / "b.png").exists()


def test_certificate_without_email_protection_is_refused(hc: Haechi, org: Actor, add_system, media,
                                                         tmp_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    add_system(cards.image_gen())
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "plain")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + dt.timedelta(days=10))
            .sign(key, hashes.SHA256()))
    (tmp_path / "c.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "k.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    certs = hc.transparency.certs  # as configured by HAECHI_SIGNING_CERT / HAECHI_SIGNING_KEY
    certs.signing_cert, certs.signing_key = tmp_path / "c.pem", tmp_path / "k.pem"
    with pytest.raises(ValidationFailed) as info:
        hc.transparency.label_file(org, "marketing-image-gen", "image", media["png"], tmp_path / "x.png")
    text = info.value.render()
    assert "emailProtection" in text and "Authority Key Identifier" in text


def test_label_is_recorded_in_the_ledger(hc: Haechi, org: Actor, add_system, signing, media, tmp_path: Path) -> None:
    from haechi.ledger.chain import chain_rows
    add_system(cards.image_gen())
    hc.transparency.label_file(org, "marketing-image-gen", "image", media["png"], tmp_path / "l.png")
    with hc.db.reader() as s:
        rows = chain_rows(s, org.org_id)
    entry = next(r for r in rows if r["action"] == "label.image")
    assert json.loads(entry["payload"])["sha256"] == sha(tmp_path / "l.png")


def test_error_is_a_haechi_error_not_a_traceback(hc: Haechi, org: Actor, add_system, signing, tmp_path: Path) -> None:
    add_system(cards.image_gen())
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    with pytest.raises(HaechiError):
        hc.transparency.label_file(org, "marketing-image-gen", "image", empty, tmp_path / "o.jpg")


def test_truncated_image_is_refused_even_after_weasyprint_is_imported(hc: Haechi, org: Actor, add_system, signing,
                                                                      media, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")  # importing it turns Pillow's LOAD_TRUNCATED_IMAGES on process-wide
    add_system(cards.image_gen())
    broken = tmp_path / "broken.png"
    broken.write_bytes(media["png"].read_bytes()[:120])
    with pytest.raises(ValidationFailed, match="damaged"):
        hc.transparency.label_file(org, "marketing-image-gen", "image", broken, tmp_path / "out.png")
    assert not (tmp_path / "out.png").exists()


def _label_image(hc: Haechi, actor: Actor, media: dict[str, Path], out: Path) -> Path:
    hc.transparency.label_file(actor, "marketing-image-gen", "image", media["png"], out)
    return out


def test_each_organisation_signs_with_its_own_certificate(hc: Haechi, org: Actor, media,
                                                          tmp_path: Path) -> None:
    hc.accounts.create_org("globex", "Globex Media")
    globex = hc.local_actor("globex")
    for actor in (org, globex):
        hc.systems.add(actor, SystemCard.model_validate(cards.image_gen()))
    for prepare in hc.hooks.workspace_init:  # what 'haechi init' runs
        prepare(hc)
    mine = _label_image(hc, org, media, tmp_path / "hanbit.png")
    theirs = _label_image(hc, globex, media, tmp_path / "globex.png")
    assert read_with_c2pa(mine)[0]["signature_info"]["issuer"] == "Hanbit Precision Co., Ltd."
    assert read_with_c2pa(theirs)[0]["signature_info"]["issuer"] == "Globex Media"
    report = hc.transparency.verify(globex, theirs, reencode=False)
    assert report["trusted"] and report["signer"]["common_name"] == "Globex Media content signer (test)"
    assert report["haechi_record"] is not None
    # One organisation's CA does not vouch for another's files.
    foreign = hc.transparency.verify(globex, mine, reencode=False)
    assert foreign["signature_valid"] and not foreign["trusted"]


def test_older_shared_certificate_keeps_verifying_and_new_labels_use_the_own_one(
        hc: Haechi, org: Actor, media, tmp_path: Path) -> None:
    hc.systems.add(org, SystemCard.model_validate(cards.image_gen()))
    ca_path, chain_path, key_path = hc.transparency.certs.local_paths()  # the one pair older workspaces shared
    ca, chain, key = make_local_chain("Hanbit Precision Co., Ltd.")
    chain_path.parent.mkdir(parents=True)
    ca_path.write_bytes(ca)
    chain_path.write_bytes(chain)
    key_path.write_bytes(key)
    certs = hc.transparency.certs  # the older workspace signed with its shared pair, as if configured
    certs.signing_cert, certs.signing_key = chain_path, key_path
    old = _label_image(hc, org, media, tmp_path / "old.png")
    certs.signing_cert = certs.signing_key = None
    report = hc.transparency.verify(org, old, reencode=False)
    assert report["verdict"] == "valid" and report["trusted"]
    new = _label_image(hc, org, media, tmp_path / "new.png")  # first signing makes the organisation's pair
    assert hc.transparency.certs.local_paths("hanbit")[1].exists()
    assert read_with_c2pa(new)[0]["signature_info"]["cert_serial_number"] != \
        read_with_c2pa(old)[0]["signature_info"]["cert_serial_number"]
    assert hc.transparency.verify(org, new, reencode=False)["trusted"]
