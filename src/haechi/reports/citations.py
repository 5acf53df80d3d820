"""Korean renderings of Korean-law citations for Korean documents.

The law packs cite in English ("AI Basic Act Art. 34(1)(1); Enforcement Decree Art. 27").
A Korean document shows Korean statute style ("인공지능기본법 제34조제1항제1호; 시행령
제27조"): article → 조, paragraph → 항, point → 호. Anything the patterns do not know is
left as written, so a citation is never lost, only sometimes left in English.
"""

from __future__ import annotations

import re
from typing import Any

NAMES = (("AI Basic Act", "인공지능기본법"), ("Enforcement Decree", "시행령"))
ARTICLE = re.compile(r"\bArt\. (\d+)((?:\(\d+\))*)((?:[–-]\(\d+\))?)")
ARTICLES = re.compile(r"\bArts\. ([\d()–-]+(?: and [\d()–-]+)*)")


def _article(match: re.Match[str]) -> str:
    number, parts, span = match.group(1), re.findall(r"\((\d+)\)", match.group(2)), match.group(3)
    text = f"제{number}조"
    for index, part in enumerate(parts):
        text += f"제{part}{'항' if index == 0 else '호'}"
    if span:
        last = re.findall(r"\d+", span)[0]
        text += f"–제{last}{'항' if len(parts) == 1 else '호'}"
    return text


def _one(item: str) -> str:
    """``25–26`` (a range), ``1-2`` (article 1-2, i.e. 제1조의2) or ``28(1)(1)``."""
    if re.fullmatch(r"\d+–\d+", item):
        first, last = item.split("–")
        return f"제{first}조–제{last}조"
    if re.fullmatch(r"\d+-\d+", item):
        number, branch = item.split("-")
        return f"제{number}조의{branch}"
    match = ARTICLE.match(f"Art. {item}")
    return _article(match) if match else item


def citation_ko(citation: str) -> str:
    """``AI Basic Act Art. 34(1)(1)`` → ``인공지능기본법 제34조제1항제1호`` (other text kept)."""
    text = ARTICLES.sub(lambda m: " 및 ".join(_one(i) for i in m.group(1).split(" and ")), citation)
    text = ARTICLE.sub(_article, text)
    for english, korean in NAMES:
        text = text.replace(english, korean)
    return text.replace(" second sentence", " 후단").replace(" and ", " 및 ")


def cite(item: dict[str, Any] | None, lang: str) -> str:
    """The citation of an obligation (or similar) in the document's language: in Korean the
    pack's or form's own Korean citation when it has one, in Korean statute style."""
    item = item or {}
    citation = str((item.get("citation_ko") if lang == "ko" else None) or item.get("citation") or "")
    if lang == "ko" and ("AI Basic Act" in citation or "Enforcement Decree" in citation):
        return citation_ko(citation)
    return citation
