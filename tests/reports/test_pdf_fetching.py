"""Rendering a PDF never reads server files or calls addresses named in its HTML: only
inline data and Haechi's bundled files (the Korean font) are fetched."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from haechi.reports.pdf import FAMILY, bundled_only_fetcher, font_dir, write_pdf


class _Counter(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Counter.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def internal() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Counter)
    _Counter.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_pdf_fetches_no_server_file_and_no_address(internal: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN")
    html = (f'<html><head><link rel="stylesheet" href="{internal}/style.css"></head><body>'
            f'<p style="font-family: {FAMILY}">한국어 문서</p>'
            f'<img src="{internal}/pixel.png"><img src="{secret.as_uri()}">'
            f'<a rel="attachment" href="{secret.as_uri()}">attached</a>'
            f'<div style="background: url({internal}/bg.png)">x</div></body></html>')
    pdf = write_pdf(html)
    assert pdf.startswith(b"%PDF")
    assert _Counter.hits == []
    assert b"/EmbeddedFile" not in pdf and b"TOP-SECRET-TOKEN" not in pdf


def test_the_bundled_font_is_still_read(tmp_path: Path) -> None:
    fetcher = bundled_only_fetcher()
    response = fetcher((font_dir() / "NanumGothic.ttf").as_uri())
    assert response.read(4) == b"\x00\x01\x00\x00"  # TrueType
    response.close()
    for refused in [(tmp_path / "x.ttf").as_uri(), "file:///etc/hostname", "http://127.0.0.1/x",
                    (font_dir() / ".." / ".." / ".." / ".." / "etc" / "hostname").as_uri()]:
        with pytest.raises(ValueError):
            fetcher(refused)
