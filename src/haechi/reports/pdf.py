"""PDF output (WeasyPrint) with a Korean font that travels with the package.

WeasyPrint draws text with the fonts fontconfig finds on the machine. A server set up
with ``haechi demo`` (or a slim container) often has no Korean font, and every Hangul
character then comes out as an empty box — silently. Haechi therefore ships NanumGothic
Regular and Bold (SIL Open Font License 1.1, ``fonts/OFL.txt``) and declares them with
``@font-face`` as :data:`FAMILY`, the first family of every PDF stylesheet, so Korean
PDFs look the same everywhere. If the bundled files are missing (a stripped install)
and fontconfig knows no Korean font either, a warning says so once per process.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import warnings
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from haechi.domain.errors import MissingExtra

#: The family PDF stylesheets put first; ``@font-face`` binds it to the bundled files, so
#: a NanumGothic installed on the machine (perhaps another version) is never used instead.
FAMILY = "NanumGothic"
FONT_FILES = {"normal": "NanumGothic.ttf", "bold": "NanumGothicBold.ttf"}
log = logging.getLogger("haechi.pdf")


def font_dir() -> Path:
    return Path(str(resources.files("haechi.reports").joinpath("fonts")))


def font_face_css(folder: Path | None = None) -> str:
    """``@font-face`` rules for the bundled files that exist (none when they are missing)."""
    folder = folder or font_dir()
    rules = []
    for weight, name in FONT_FILES.items():
        path = folder / name
        if path.is_file():
            rules.append(f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; font-style: normal; '
                         f'src: url("{path.as_uri()}") format("truetype"); }}')
    return "\n".join(rules)


def system_has_korean_font() -> bool:
    """Whether fontconfig knows any font covering Korean (``fc-list :lang=ko``)."""
    if shutil.which("fc-list") is None:
        return False
    found = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def korean_font_problem(folder: Path | None = None) -> str | None:
    """Why Korean text would show as boxes, or ``None`` when a Korean font is at hand."""
    folder = folder or font_dir()
    if all((folder / name).is_file() for name in FONT_FILES.values()) or system_has_korean_font():
        return None
    return (f"no Korean font for PDF documents: the bundled NanumGothic files are missing from {folder.name}/ "
            "and fontconfig lists no Korean font, so Hangul will print as empty boxes; reinstall haechi "
            "or install a Korean font (e.g. apt-get install fonts-nanum or fonts-noto-cjk)")


@lru_cache(maxsize=1)
def _warn_once() -> None:
    problem = korean_font_problem()
    if problem:
        log.warning(problem)
        warnings.warn(problem, RuntimeWarning, stacklevel=3)


def write_pdf(html: str, feature: str = "PDF documents") -> bytes:
    """A PDF of ``html`` with the bundled Korean font available to its stylesheets."""
    try:
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration
    except ImportError:
        raise MissingExtra(feature, "pdf", "weasyprint") from None
    _warn_once()
    fonts: Any = FontConfiguration()
    fetcher = bundled_only_fetcher()
    faces = CSS(string=font_face_css(), font_config=fonts, url_fetcher=fetcher)
    pdf: bytes = HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[faces], font_config=fonts)
    return pdf


def bundled_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher that reads ``data:`` URLs and the package's own files only.

    Documents carry user text (system cards, notices, evidence titles); should any of it
    ever reach an ``<img src>``, a stylesheet link or ``<a rel=attachment>``, WeasyPrint's
    default fetcher would read a server file into the PDF or call an internal address.
    Everything a document needs is inline or bundled, so nothing else is fetched.
    """
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher

    package = Path(__file__).resolve().parents[1]

    class BundledOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "data" or (
                    parts.scheme == "file" and Path(unquote(parts.path)).resolve().is_relative_to(package)):
                return super().fetch(url, headers)
            raise ValueError("documents read only inline data and Haechi's bundled files")

    return BundledOnly(allowed_protocols={"data", "file"}, allow_redirects=False)
