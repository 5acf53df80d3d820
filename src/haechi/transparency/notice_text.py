"""The words of a notice, per channel and language (plain text).

Sentences are short and concrete: which AI, for what, what it means for the user, and
where to ask or object. HTML and PDF reuse the same sentences (see
:mod:`.notice_render`), so every format says exactly the same thing.
"""

from __future__ import annotations

from .notices import CHANNEL_BASIS, Channel, Lang, NoticeContent

OUTPUT_WORDS = {
    "en": {"text": "answers and texts", "image": "images", "audio": "sounds and voices", "video": "videos"},
    "ko": {"text": "답변·글", "image": "이미지", "audio": "소리·음성", "video": "영상"},
}


#: Latin letters and digits whose Korean reading ends in a final consonant (엘, 엠, 엔, 알; 영, 일, 삼, 육, 칠, 팔).
_BATCHIM_LATIN = set("lmnr0136780")


def josa(word: str, with_batchim: str, without: str) -> str:
    """Korean particle after ``word``: 은/는, 이/가, 을/를 depend on a final consonant."""
    last = word.strip()[-1:] if word.strip() else ""
    if "\uac00" <= last <= "\ud7a3":
        return with_batchim if (ord(last) - 0xAC00) % 28 else without
    if last.isascii() and last.isalnum():
        return with_batchim if last.lower() in _BATCHIM_LATIN else without
    return f"{with_batchim}({without})"


def _outputs(content: NoticeContent, lang: Lang) -> str:
    words = [OUTPUT_WORDS[lang][m] for m in content.modalities if m in OUTPUT_WORDS[lang]]
    if not words:
        return "outputs" if lang == "en" else "결과물"
    return ", ".join(words) if lang == "ko" else _and_join(words)


def _and_join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def sentences(content: NoticeContent, lang: Lang) -> dict[str, str]:
    """The notice's sentences keyed by role; every channel picks from these."""
    name, op = content.name[lang], content.operator[lang]
    out: dict[str, str] = {}
    if lang == "en":
        out["title"] = "Notice: this service uses artificial intelligence"
        out["what"] = f"{name} is an AI system provided by {op.rstrip('.')}." if op else f"{name} is an AI system."
        out["purpose"] = f"What it is for: {content.purpose['en']}"
        if content.generative:
            out["generative"] = (f"Its {_outputs(content, lang)} are made by generative AI and are "
                                 "marked as AI-generated. AI output can be wrong: please check important "
                                 "information.")
        if content.high_impact:
            out["high_impact"] = ("It supports decisions that can significantly affect you. You can ask "
                                  "for an explanation of the main criteria behind a result about you, "
                                  "and for a review by a person.")
        out["contact"] = "Questions or objections: " + _contact_text(content, lang)
    else:
        out["title"] = "안내: 이 서비스는 인공지능을 이용합니다"
        who = f"{op}{josa(op, '이', '가')} 제공하는 " if op else ""
        out["what"] = f"{name}{josa(name, '은', '는')} {who}인공지능 시스템입니다."
        out["purpose"] = f"이용 목적: {content.purpose['ko']}"
        if content.generative:
            outputs = _outputs(content, lang)
            out["generative"] = (f"{outputs}{josa(outputs, '은', '는')} 생성형 인공지능이 만들며 "
                                 "AI 생성물로 표시됩니다. AI 결과물은 틀릴 수 있으니 중요한 정보는 꼭 "
                                 "확인해 주세요.")
        if content.high_impact:
            out["high_impact"] = ("이 시스템은 이용자에게 중대한 영향을 줄 수 있는 판단을 지원합니다. "
                                  "본인에 관한 결과의 주요 판단 기준에 대한 설명과 사람에 의한 재검토를 "
                                  "요청할 수 있습니다.")
        out["contact"] = "문의·이의 제기: " + _contact_text(content, lang)
    return out


#: Between the name, e-mail and phone of a contact, in the text and the HTML alike.
CONTACT_SEPARATOR = {"en": ", ", "ko": " · "}


def contact_parts(content: NoticeContent) -> list[tuple[str, str]]:
    """``(kind, value)`` for the contact's name, email and phone that are known, in that order."""
    c = content.contact
    return [(kind, value) for kind, value in (("name", c.name), ("email", c.email), ("phone", c.phone)) if value]


def _contact_text(content: NoticeContent, lang: Lang) -> str:
    return CONTACT_SEPARATOR[lang].join(value for _, value in contact_parts(content))


def legal_line(content: NoticeContent, lang: Lang, channel: Channel) -> str:
    """The legal basis and channel, for the terms and the printed notice."""
    basis = CHANNEL_BASIS[channel][0 if lang == "en" else 1]
    cites = "; ".join(content.citations[lang]) or ("voluntary notice" if lang == "en" else "자율 고지")
    return f"Legal basis: {cites} ({basis})" if lang == "en" else f"근거: {cites} ({basis})"


def version_line(content: NoticeContent, lang: Lang) -> str:
    date = content.effective or "—"
    if lang == "en":
        return f"Notice version {content.version}, effective {date}"
    return f"고지 버전 {content.version}, 시행일 {date}"


def body(content: NoticeContent, lang: Lang) -> list[str]:
    """Core sentences in reading order (without title, legal and version lines)."""
    s = sentences(content, lang)
    return [s[k] for k in ("what", "purpose", "generative", "high_impact", "contact") if k in s]


def render_text(content: NoticeContent, lang: Lang, channel: Channel) -> str:
    """The notice as plain text for ``channel``."""
    return {"terms": _terms, "screen": _screen, "place": _place, "voice": _voice}[channel](content, lang)


def _terms(content: NoticeContent, lang: Lang) -> str:
    head = ("Article __ (Use of artificial intelligence)" if lang == "en" else "제○조 (인공지능 이용 고지)")
    marks = ["(1)", "(2)", "(3)", "(4)", "(5)"] if lang == "en" else ["①", "②", "③", "④", "⑤"]
    lines = [head] + [f"{marks[i]} {text}" for i, text in enumerate(body(content, lang))]
    return "\n".join([*lines, "", legal_line(content, lang, "terms"), version_line(content, lang)]) + "\n"


def _screen(content: NoticeContent, lang: Lang) -> str:
    s = sentences(content, lang)
    return "\n".join([s["title"], *body(content, lang), version_line(content, lang)]) + "\n"


def _place(content: NoticeContent, lang: Lang) -> str:
    s = sentences(content, lang)
    bullets = [f"• {text}" for text in body(content, lang)]
    return "\n".join([s["title"].upper() if lang == "en" else s["title"], "", *bullets, "",
                      legal_line(content, lang, "place"), version_line(content, lang)]) + "\n"


def _voice(content: NoticeContent, lang: Lang) -> str:
    """Spoken wording: whole sentences, no symbols a speech engine would read out oddly."""
    s = sentences(content, lang)
    contact = _contact_text(content, lang).replace(" · ", ", ")
    if lang == "en":
        lines = ["Please note. This service uses artificial intelligence.", s["what"],
                 f"It is used for the following. {content.purpose['en']}"]
        tail = f"For questions or objections, please contact {contact}."
    else:
        lines = ["안내 말씀 드립니다. 이 서비스는 인공지능을 이용합니다.", s["what"],
                 f"이용 목적은 다음과 같습니다. {content.purpose['ko']}"]
        tail = f"문의나 이의 제기는 다음 연락처로 해 주십시오. {contact}."
    lines += [s[k] for k in ("generative", "high_impact") if k in s]
    return "\n".join([*lines, tail]) + "\n"
