"""China's implicit label (GB 45438-2025 ``TC260:AIGC`` XMP) written beside the C2PA manifest.

A system offered in China gets the entry in its labelled PNG and JPEG files; ``haechi label
verify`` reads it back next to a still-valid C2PA signature. Run as a user would, in a
subprocess.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from PIL import Image

from haechi.transparency.aigc_xmp import AIGC_NS, aigc_fields, read_aigc, write_aigc

from . import cards
from .conftest import make_png

CN = {"markets": ["KR", "CN"], "cn": {"public_opinion_attributes": False, "content_platform": False,
                                     "algorithmic_recommendation": False}}


def _haechi(*args: str) -> str:
    """The real command in its own process (HAECHI_HOME comes from the cli fixture's environment)."""
    done = subprocess.run([sys.executable, "-m", "haechi", *args], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "200"}, check=False)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout


def _jpeg(path: Path) -> Path:
    Image.new("RGB", (320, 200), (30, 90, 160)).save(path, "JPEG", quality=90)
    return path


def test_a_cn_market_image_carries_the_aigc_entry_and_a_valid_c2pa_manifest(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("init", "--org", "hanbit", "--name", "Hanbit Precision Co., Ltd.").code == 0
    for card in (cards.image_gen(**CN), cards.image_gen(id="kr-only-gen")):
        path = tmp_path / f"{card['id']}.yaml"
        path.write_text(yaml.safe_dump(card, allow_unicode=True))
        assert cli("systems", "add", str(path)).code == 0
    for src in (make_png(tmp_path / "gen.png"), _jpeg(tmp_path / "gen.jpg")):
        out = tmp_path / f"labelled{src.suffix}"
        labelled = cli("label", "image", str(src), str(out), "--system", "marketing-image-gen", "--format", "json")
        assert labelled.code == 0, labelled.err
        marks = labelled.json()["marks"]["cn_aigc"]
        assert marks["ContentProducer"] == "Hanbit Precision Co., Ltd." and marks["present_after_signing"] is True
        report = json.loads(_haechi("label", "verify", str(out), "--format", "json"))
        assert report["verdict"] == "valid", report  # the entry is inside what the manifest signs
        assert report["cn_aigc"]["valid"] is True and report["cn_aigc"]["fields"]["Label"] == "1"
        assert report["cn_aigc"]["fields"]["ProduceID"] == marks["ProduceID"]
        assert AIGC_NS.encode() in out.read_bytes()
        assert "China implicit label (GB 45438-2025 TC260:AIGC): yes" in _haechi("label", "verify", str(out))
    # A system not offered in China gets the C2PA manifest only.
    plain = tmp_path / "kr.png"
    assert cli("label", "image", str(make_png(tmp_path / "k.png")), str(plain), "--system", "kr-only-gen").code == 0
    assert cli("label", "verify", str(plain), "--format", "json").json()["cn_aigc"] is None


def test_an_existing_xmp_packet_keeps_its_other_properties() -> None:
    packet = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
              '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" dc:format="image/jpeg"/>'
              '</rdf:RDF></x:xmpmeta>')
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "JPEG", xmp=packet.encode())
    written = write_aigc(buf.getvalue(), "image/jpeg", aigc_fields("Acme", "c-1"))
    assert b'dc:format="image/jpeg"' in written and written.count(b"http://ns.adobe.com/xap/1.0/\x00") == 1
    assert read_aigc(written, "image/jpeg")["fields"]["ContentProducer"] == "Acme"
    Image.open(io.BytesIO(written)).load()
    assert read_aigc(buf.getvalue(), "image/jpeg") is None
