"""Helpers for pack-update tests: a policy pack in two versions, keys, bundles."""

from __future__ import annotations

import datetime as dt
import socket
import threading
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from haechi.rules import bundle as bundles
from haechi.rules.loader import load_pack_text
from tests.rules.test_loader import POLICY
from tests.rules.test_spec_json import HIRING

#: version 2 moves the fairness review's start to 2027-01-01 and adds a second duty
POLICY_V2 = POLICY.replace("version: 1", "version: 2").replace("published: 2026-03-01", "published: 2026-06-01") \
    .replace("effective_from: 2026-04-01", "effective_from: 2027-01-01") + """\
  - id: acme.3.1.model-inventory
    article: "3(1)"
    citation: Acme AI policy Art. 3(1)
    title: Keep the model inventory current
    title_ko: 모델 목록 최신 유지
    description: Record every model in the inventory.
    description_ko: 모든 모델을 목록에 기록한다.
    topic: documentation
    binds: []
    effective_from: 2026-06-01
"""

CARD = {**HIRING, "owners": {"business": "hr@hanbit.example", "technical": "ml@hanbit.example"}}


def make_bundle(files: dict[str, str], key: Ed25519PrivateKey, publisher: str = "Acme compliance") -> bytes:
    """A signed bundle of pack texts (path → YAML)."""
    raw = {path: text.encode() for path, text in files.items()}
    packs = [{"id": p.id, "version": p.version, "sha256": p.sha256}
             for p in (load_pack_text(text, path) for path, text in files.items())]
    return bundles.build(raw, key, publisher, packs, dt.datetime(2026, 12, 1, tzinfo=dt.UTC))


def write_key(path: Path, key: Ed25519PrivateKey) -> Path:
    path.write_bytes(bundles.public_pem(key.public_key()))
    return path


def smtp_server(received: list[bytes]) -> tuple[socket.socket, int]:
    """A minimal SMTP server (stdlib) that keeps the lines of one message; real smtplib talks to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)

    def serve() -> None:
        conn, _ = sock.accept()
        conn.sendall(b"220 localhost ESMTP\r\n")
        in_data = False
        for raw in conn.makefile("rb"):
            if in_data:
                received.append(raw)
                in_data = raw != b".\r\n"
                if not in_data:
                    conn.sendall(b"250 OK\r\n")
                continue
            verb = raw[:4].upper()
            conn.sendall({b"DATA": b"354 go\r\n", b"QUIT": b"221 bye\r\n"}.get(verb, b"250 OK\r\n"))
            in_data = verb == b"DATA"
            if verb == b"QUIT":
                break
        conn.close()

    threading.Thread(target=serve, daemon=True).start()
    return sock, sock.getsockname()[1]
