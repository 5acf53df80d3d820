"""Decoding text files people upload, most often CSV saved by Excel.

Excel on a Korean Windows saves "CSV (comma delimited)" in CP949 (EUC-KR's superset)
and "Unicode text" in UTF-16 with a byte-order mark; decoding either as UTF-8 with
replacement characters silently garbles every Korean name into the registry and the
ledger. The encoding is therefore recognised (UTF-8 with or without BOM, UTF-16 with
BOM, CP949 when the text reads as Korean) or the file is refused with a message naming
it and saying how to save it instead — never decoded lossily.
"""

from __future__ import annotations

import codecs
import re

from .errors import Issue, ValidationFailed

_HANGUL = re.compile("[\uac00-\ud7a3]")


def decode_text(data: bytes, source: str) -> str:
    """The text of ``data``; raises :class:`ValidationFailed` naming ``source`` otherwise."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", source)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", source)
    if b"\x00" in data:  # neither UTF-8 nor CP949 text has NUL bytes; UTF-16 without BOM does
        raise _nul(source, data.count(b"\n", 0, data.index(b"\x00")) + 1)
    try:
        return _without_nul(data.decode("utf-8"), source)
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    try:
        korean = data.decode("cp949")
    except UnicodeDecodeError:
        korean = ""
    if _HANGUL.search(korean):
        return _without_nul(korean, source)  # Excel's "CSV (쉼표로 분리)" on Korean Windows
    raise _refused(source, first_bad)


def _without_nul(text: str, source: str) -> str:
    """Text without NUL characters: no database column holds them (PostgreSQL refuses)."""
    at = text.find("\x00")
    if at < 0:
        return text
    raise _nul(source, text.count("\n", 0, at) + 1)


def _nul(source: str, line: int) -> ValidationFailed:
    return ValidationFailed(
        f"{source}: line {line} contains NUL characters (is it UTF-16 without a byte-order mark?)",
        key="domain.line_contains_nul_characters", values={"source": source, "line": line},
        issues=[Issue("", "contains NUL characters", "save the file again as 'CSV UTF-8 (Comma delimited)'",
                      line, source)])


def _strict(data: bytes, encoding: str, source: str) -> str:
    try:
        return _without_nul(data.decode(encoding), source)
    except UnicodeDecodeError as exc:
        raise _refused(source, exc.start) from None


def _refused(source: str, offset: int) -> ValidationFailed:
    fix = "in Excel use Save As > 'CSV UTF-8 (Comma delimited)', or save the file as UTF-8 text"
    return ValidationFailed(
        f"{source}: the text encoding is not recognised (byte {offset} is not UTF-8, UTF-16 or CP949 text)",
        key="domain.text_encoding_not_recognised", values={"source": source},
        issues=[Issue("", f"not UTF-8 text at byte {offset}", fix, file=source)],
    )
