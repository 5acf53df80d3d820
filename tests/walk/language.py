"""English words on a Korean page.

The page's visible text (and the labels a screen reader reads) is split into words;
a Latin-letter word is accepted only when it is not prose:

* it is a command-line option (``--all``), which a terminal cannot mark as code;
* it contains a digit, or is an e-mail address, URL, path or file name (ids, codes, numbers with
  units such as ``tCO2e``, article citations such as ``Art. 34(1)`` keep their digits);
* it is written in capitals (codes and abbreviations: AI, EU, ISO/IEC, NIST, OECD, PDF,
  ESG, KR, HTML) or is a single letter (a variable such as *n*);
* it is part of an article citation (``AI Basic Act Art. 34(1)``, ``Regulation (EU)
  2024/1689 Art. 11 and Annex IV``): citations are quoted as the law's own reference;
* it is the name ``EU AI Act``, which Korean texts use as it is;
* it is a slug of the demo workspace (systems, the organisation, its site and lines) or the
  id of a built-in law pack, shown beside a name as users type it in the CLI;
* it is in :data:`ALLOWED`: product and standard names and units, each with its reason.

Text that the page marks as code (``<code>``, ``<kbd>``) or as another language
(``lang="en"``) is never collected, so identifiers belong in ``<code>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

#: Proper names that are not translated, and units written the same in Korean text.
ALLOWED = {
    "Haechi",  # the product's name; the Korean 해치 stands beside it
    "CycloneDX", "CodeCarbon",  # names of a standard and of a tool whose files Haechi reads and writes
    "kWh", "MWh", "GWh", "kg", "ms", "FLOPs",  # units
}
SYSTEM_IDS = {"press-defect-vision", "cnc-spindle-pm", "compressed-air-optimizer", "ppe-safety-camera",
              "support-chatbot", "hiring-screener", "marketing-image-gen"}
#: Ids of the built-in law packs, shown beside their names like system ids.
_PACKS = Path(__file__).resolve().parents[2] / "src" / "haechi" / "packs"
PACK_IDS = {d.name for d in _PACKS.iterdir() if d.is_dir() and any(d.glob("v*.yaml"))}
DEMO_SLUGS = SYSTEM_IDS | PACK_IDS | {"hanbit", "changwon", "utilities"}
LAW = r"(?:(?:KR|EU)\s+)?(?:AI Basic Act|EU AI Act|AI Act|Enforcement Decree|Regulation \(EU\) \d{4}/\d+)"
CITATION = re.compile(rf"{LAW}(?=\s+(?:Arts?\.|Annex)\s)|\b(?:Arts?\.|Annex)\s+(?=[\dIVXL])"
                      r"|(?<=[\d)])\s+and\s+(?=(?:Annex\s+)?[\dIVXL]+)|\bEU AI Act\b")
NOT_PROSE = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*|\S+@\S+|https?://\S*|\b[\w-]+\.(?:csv|json|ya?ml|xlsx|pdf|html|md|parquet)\b|(?<!\w)/[\w./?=&%-]+|(?<![\w.-])[\w.:-]*\d[\w.:()-]*")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")


def _is_prose(word: str) -> bool:
    if word in DEMO_SLUGS or word in ALLOWED:
        return False
    return not (len(word) == 1 or word.replace("-", "").isupper())


def english_in(text: str) -> list[str]:
    """The English words of one piece of text, in order, without repeats."""
    found: list[str] = []
    for token in NOT_PROSE.sub(" ", CITATION.sub(" ", text)).split():
        if token.strip("().,:;·'\"[]") in DEMO_SLUGS:
            continue
        for word in WORD.findall(token):
            if _is_prose(word) and word not in found:
                found.append(word)
    return found


def english_words(texts: Iterable[str]) -> Iterator[tuple[str, list[str]]]:
    """(text, its English words) for every text that has some, each text once."""
    seen: set[str] = set()
    for text in texts:
        if text in seen:
            continue
        seen.add(text)
        words = english_in(text)
        if words:
            yield text, words
