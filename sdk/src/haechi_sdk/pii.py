"""Personal-data detectors for generated text (pure Python, standard library only).

They run where the text is — in the deployer's process, inside the SDK — so that only
counts leave it: the monitor learns *that* an output held a resident registration
number, never which. Each detector keeps false positives down with the number's own
structure:

* resident registration numbers (주민등록번호): YYMMDD-SXXXXXC with a real date, a
  century/sex digit 1–8 (9/0: born in the 1800s) and the check digit
  ``(11 − Σ dᵢ·wᵢ mod 11) mod 10`` with weights 2…9,2…5. Numbers issued since October
  2020 no longer carry a valid check digit (the rear digits became random), so such
  numbers are *not* counted — the detector prefers missing a new number to flagging
  every 13-digit string;
* phone numbers: Korean mobile (010, 011, 016–019) and area codes (02, 031–064), 070
  and 050x numbers, 15xx/16xx/18xx service numbers, with ``-``, ``.``, spaces or none,
  and the +82 prefix;
* e-mail addresses;
* payment card numbers: 13–19 digits (groups of 4 with spaces or dashes allowed) that
  pass the Luhn check;
* Korean passport numbers: a type letter (M, S, R, G, D) and 8 digits, or the format of
  the passports issued since December 2021 (letter, 3 digits, letter, 4 digits).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

KINDS: tuple[str, ...] = ("rrn", "phone", "email", "card", "passport")
MAX_SCAN_CHARS = 200_000   # a longer text is scanned up to here (detectors stay linear anyway)

_RRN = re.compile(r"(?<![\d-])(\d{2})(\d{2})(\d{2})\s?-?\s?([1-8]|9|0)(\d{6})(?![\d-])")
_RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+82[\s.-]?)0?|0)"
    r"(?:1[016789][\s.-]?\d{3,4}|2[\s.-]?\d{3,4}|[3-6][1-5][\s.-]?\d{3,4}|70[\s.-]?\d{4}|50\d[\s.-]?\d{3,4})"
    r"[\s.-]?\d{4}(?!\d)"
    r"|(?<!\d)1[568]\d{2}-\d{4}(?!\d)")
_EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}"
                    r"(?![\w-])")
_CARD = re.compile(r"(?<![\d-])(?:\d{4}[ -]?){3}\d{1,7}(?![\d-])")
_PASSPORT = re.compile(r"(?<![A-Za-z0-9])(?:[MSRGD]\d{8}|[MSRGD]\d{3}[A-Z]\d{4})(?![A-Za-z0-9])")
_CENTURY = {"1": 1900, "2": 1900, "3": 2000, "4": 2000, "5": 1900, "6": 1900, "7": 2000, "8": 2000,
            "9": 1800, "0": 1800}


def rrn_valid(digits: str) -> bool:
    """A 13-digit resident registration number with a real birth date and its check digit."""
    if len(digits) != 13 or not digits.isdigit():
        return False
    try:
        dt.date(_CENTURY[digits[6]] + int(digits[:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:12], _RRN_WEIGHTS, strict=True))
    return (11 - total % 11) % 10 == int(digits[12])


def luhn_valid(digits: str) -> bool:
    """The Luhn check of a card number (13–19 digits)."""
    if not 13 <= len(digits) <= 19 or not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _rrns(text: str) -> list[str]:
    return [m.group(0) for m in _RRN.finditer(text) if rrn_valid("".join(m.groups()))]


def _cards(text: str) -> list[str]:
    return [m.group(0) for m in _CARD.finditer(text) if luhn_valid(re.sub(r"[ -]", "", m.group(0)))]


def _matches(pattern: re.Pattern[str]) -> Callable[[str], list[str]]:
    return lambda text: [m.group(0) for m in pattern.finditer(text)]


_FINDERS: dict[str, Callable[[str], list[str]]] = {
    "rrn": _rrns, "phone": _matches(_PHONE), "email": _matches(_EMAIL), "card": _cards,
    "passport": _matches(_PASSPORT),
}


def find_personal_data(text: str) -> dict[str, list[str]]:
    """Every detected item by kind (the texts themselves: keep them in the process)."""
    text = text[:MAX_SCAN_CHARS]
    found = {kind: finder(text) for kind, finder in _FINDERS.items()}
    # a valid resident registration number is not also a phone or card number
    taken = set(found["rrn"])
    found["card"] = [c for c in found["card"] if c not in taken]
    return found


def count_personal_data(text: str | None) -> dict[str, int] | None:
    """Counts per kind (``None`` when there is no text to check)."""
    if text is None:
        return None
    return {kind: len(items) for kind, items in find_personal_data(text).items()}


def redact(text: str) -> str:
    """``text`` with every detected item replaced by its kind in brackets (``[rrn]``)."""
    text = text[:MAX_SCAN_CHARS]
    for kind, items in find_personal_data(text).items():
        for item in sorted(set(items), key=len, reverse=True):
            text = text.replace(item, f"[{kind}]")
    return text
