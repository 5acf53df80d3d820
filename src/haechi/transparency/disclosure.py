"""The framework-neutral core of the disclosure middleware (used by ASGI and WSGI).

Per configured route and system it decides, for one request: is this the session's
first interaction with this notice version (then show the notice), is the response a
generated output (then label it: visible label plus machine-readable marks), and which
deliveries to record. Notices and labels are prepared once per system in a
:class:`SystemSnapshot`, so a request costs a cookie lookup and a string splice.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any

from .labelsettings import LabelSettings
from .notice_render import render_html, render_json
from .notice_text import render_text
from .notices import NoticeContent
from .textlabel import (
    NOTICE_HEADER,
    SYSTEM_HEADER,
    TextIdentity,
    disclosure_header,
    disclosure_json,
    visible_label_html,
)

if TYPE_CHECKING:
    from haechi.auth.roles import Actor

    from .service import TransparencyService

SESSION_COOKIE = "haechi_ai_sid"
NOTICE_PATH = "/.well-known/ai-notice/"
LANGS = ("ko", "en")


@dataclass(frozen=True)
class RouteRule:
    """Which requests belong to which AI system, and what to do with them.

    ``path`` is a glob (``/chat``, ``/api/generate/*``). ``generated`` marks responses
    as AI output to label; ``notice`` shows the advance notice on first interaction;
    ``machine_only`` is for outputs that carry only a machine-readable mark (e.g. C2PA
    images without overlay): the user is then told once by text (Decree Art. 23(2)(2)).
    """

    path: str
    system: str
    generated: bool = True
    notice: bool = True
    machine_only: bool = False
    methods: tuple[str, ...] = ()

    def matches(self, method: str, path: str) -> bool:
        return (not self.methods or method.upper() in self.methods) and fnmatch.fnmatchcase(path, self.path)


@dataclass(frozen=True)
class SystemSnapshot:
    """Everything the middleware needs about one system, prepared in advance."""

    system: str
    notice_version: int | None
    notice_required: bool
    notice_html: dict[str, str]
    notice_json: dict[str, dict[str, Any]]
    notice_text: dict[str, str]
    label_apply: bool
    label_text: dict[str, str | None]
    identity: TextIdentity
    settings: LabelSettings
    exceptions: list[dict[str, Any]] = field(default_factory=list)

    def headers(self, now: dt.datetime) -> dict[str, str]:
        if not (self.label_apply and self.settings.machine):
            return {}
        out = {"AI-Disclosure": disclosure_header(self.identity, self.settings, now), SYSTEM_HEADER: self.system}
        if self.notice_version:
            out[NOTICE_HEADER] = str(self.notice_version)
        return out

    def disclosure(self, lang: str, now: dt.datetime) -> dict[str, Any]:
        return disclosure_json(self.identity, self.settings, now, lang)


def snapshot_data(service: TransparencyService, actor: Actor, slug: str) -> dict[str, Any]:
    """What a middleware needs about ``slug``, as JSON (served by the API for remote hosts).

    With a read-only actor (the API's GET) nothing is stored: the notice may be the next
    version as a draft, and the label plan's exceptions are recorded when output is labelled.
    """
    content, _ = service.current_notice(actor, slug)
    record = service.systems.get(actor, slug)
    plan = service.media.plan(actor, record, "text")
    ident = service.text_identity(actor, record, content.version)
    return {"system": slug, "content": content.to_dict(), "label_apply": bool(plan["apply"]),
            "exceptions": plan.get("exceptions", []),
            "settings": service.label_settings(actor, slug).model_dump(),
            "identity": {"system_id": ident.system_id, "name": ident.name, "provider": ident.provider,
                         "model": ident.model, "notice_version": ident.notice_version}}


def snapshot_from_data(data: dict[str, Any]) -> SystemSnapshot:
    """Prepare notices in every language and the label texts from :func:`snapshot_data`."""
    content = NoticeContent.from_dict(data["content"])
    settings = LabelSettings.model_validate(data["settings"])
    ident = TextIdentity(**data["identity"])
    return SystemSnapshot(
        system=data["system"], notice_version=content.version, notice_required=content.required,
        notice_html={lang: render_html(content, lang, "screen", dismiss=True) for lang in LANGS},  # type: ignore[arg-type]
        notice_json={lang: render_json(content, lang, "screen") for lang in LANGS},  # type: ignore[arg-type]
        notice_text={lang: render_text(content, lang, "screen") for lang in LANGS},  # type: ignore[arg-type]
        label_apply=bool(data["label_apply"]),
        label_text={lang: settings.wording(lang, ident.name.get(lang) or ident.name["en"])
                    if settings.visible else None for lang in LANGS},
        identity=ident, settings=settings, exceptions=list(data.get("exceptions") or []))


def build_snapshot(service: TransparencyService, actor: Actor, slug: str) -> SystemSnapshot:
    """Prepare the notice (all languages) and label settings of ``slug`` from the kit."""
    return snapshot_from_data(snapshot_data(service, actor, slug))


@dataclass
class Decision:
    """What to do for one request."""

    rule: RouteRule
    snapshot: SystemSnapshot
    session: str
    new_session: bool
    show_notice: bool
    tell_machine_mark: bool
    lang: str
    set_cookies: list[str] = field(default_factory=list)


def cookies_from(header_values: list[str]) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for value in header_values:
        try:
            jar.load(value)
        except Exception:  # a malformed cookie from a client must not break the host app
            continue
    return {k: m.value for k, m in jar.items()}


def pick_lang(accept_language: str | None, default: str) -> str:
    """``ko`` or ``en`` from Accept-Language (first supported tag wins)."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGS:
            return tag
    return default


class Disclosure:
    """Rules + snapshots + session handling, shared by the ASGI and WSGI wrappers."""

    def __init__(self, rules: list[RouteRule], snapshots: dict[str, SystemSnapshot], salt: str | None = None,
                 cookie_max_age: int = 365 * 24 * 3600, secure_cookies: bool = False) -> None:
        missing = sorted({r.system for r in rules} - set(snapshots))
        if missing:
            raise ValueError(f"no snapshot for system(s): {', '.join(missing)}")
        self.rules, self.snapshots = rules, snapshots
        self.salt = salt or secrets.token_hex(16)
        self.max_age, self.secure = cookie_max_age, secure_cookies

    def decide(self, method: str, path: str, cookie_headers: list[str], accept_language: str | None) -> Decision | None:
        rule = next((r for r in self.rules if r.matches(method, path)), None)
        if rule is None:
            return None
        snap = self.snapshots[rule.system]
        jar = cookies_from(cookie_headers)
        sid = jar.get(SESSION_COOKIE)
        new = not sid or len(sid) > 64
        sid = secrets.token_urlsafe(18) if new or sid is None else sid
        seen_name = f"haechi_ai_notice_{rule.system}"
        first = rule.notice and jar.get(seen_name) != str(snap.notice_version)
        machine_name = f"haechi_ai_mm_{rule.system}"
        tell = rule.machine_only and snap.label_apply and jar.get(machine_name) != "1"
        decision = Decision(rule, snap, self.session_hash(sid), new, first, tell,
                            pick_lang(accept_language, snap.settings.lang))
        if new:
            decision.set_cookies.append(self._cookie(SESSION_COOKIE, sid))
        if first:
            decision.set_cookies.append(self._cookie(seen_name, str(snap.notice_version)))
        if tell:
            decision.set_cookies.append(self._cookie(machine_name, "1"))
        return decision

    def session_hash(self, sid: str) -> str:
        """Anonymous: a salted hash, never the cookie value itself."""
        return hashlib.sha256(f"{self.salt}:{sid}".encode()).hexdigest()[:32]

    def _cookie(self, name: str, value: str) -> str:
        secure = "; Secure" if self.secure else ""
        return f"{name}={value}; Path=/; Max-Age={self.max_age}; HttpOnly; SameSite=Lax{secure}"

    def needs_body(self, decision: Decision, content_type: str) -> bool:
        """Whether the body must be buffered and changed (only HTML, JSON and text)."""
        kind = body_kind(content_type)
        wants = decision.show_notice or decision.tell_machine_mark or \
            (decision.rule.generated and decision.snapshot.label_apply)
        return kind is not None and wants

    def headers(self, decision: Decision, now: dt.datetime) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        if decision.rule.generated:
            out += list(decision.snapshot.headers(now).items())
        if decision.rule.notice and decision.snapshot.notice_version:
            out.append(("AI-Notice", f"{NOTICE_PATH}{decision.rule.system}?lang={decision.lang}"))
        out += [("Set-Cookie", c) for c in decision.set_cookies]
        return out

    def transform(self, decision: Decision, content_type: str, body: bytes,
                  now: dt.datetime) -> tuple[bytes, list[str]]:
        """Change the body; returns it with the channels delivered (``html``/``json``/``text``)."""
        kind = body_kind(content_type)
        if kind == "json":
            return _json(decision, body, now)
        if kind == "html":
            return _html(decision, body, now)
        if kind == "text":
            return _text(decision, body)
        return body, []

    def deliveries(self, decision: Decision, channel: str, route: str, now: dt.datetime,
                   labelled: bool) -> list[dict[str, Any]]:
        snap, base = decision.snapshot, {"system": decision.rule.system, "session_hash": decision.session,
                                         "route": route[:300], "delivered_at": now}
        out = []
        if decision.show_notice:
            out.append({**base, "kind": "notice", "channel": f"screen:{channel}",
                        "notice_version": snap.notice_version})
        if labelled:
            out.append({**base, "kind": "label", "channel": channel, "notice_version": snap.notice_version})
        if decision.tell_machine_mark:
            out.append({**base, "kind": "machine_notice", "channel": f"screen:{channel}",
                        "notice_version": snap.notice_version})
        return out

    def notice_page(self, path: str, query: str) -> tuple[int, str, bytes] | None:
        """Serve ``/.well-known/ai-notice/<system>[?lang=..&format=json]`` from the snapshot."""
        if not path.startswith(NOTICE_PATH):
            return None
        snap = self.snapshots.get(path[len(NOTICE_PATH):].strip("/"))
        if snap is None:
            return 404, "text/plain; charset=utf-8", b"no such AI system notice"
        params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
        wanted = params.get("lang", "")
        lang = wanted if wanted in LANGS else snap.settings.lang
        if params.get("format") == "json":
            return 200, "application/json", json.dumps(snap.notice_json[lang], ensure_ascii=False).encode()
        page = f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><title>AI notice</title>' \
               f"<body>{snap.notice_html[lang]}</body></html>"
        return 200, "text/html; charset=utf-8", page.encode()


def body_kind(content_type: str) -> str | None:
    ct = content_type.split(";", maxsplit=1)[0].strip().lower()
    if ct == "application/json" or ct.endswith("+json"):
        return "json"
    if ct == "text/html":
        return "html"
    if ct == "text/plain":
        return "text"
    return None


def _json(d: Decision, body: bytes, now: dt.datetime) -> tuple[bytes, list[str]]:
    try:
        data = json.loads(body or b"null")
    except (ValueError, RecursionError):  # not JSON we can label: passed through unchanged
        return body, []
    if not isinstance(data, dict):
        return body, ["header"] if d.rule.generated and d.snapshot.label_apply else []
    channels = []
    if d.rule.generated and d.snapshot.label_apply:
        data["ai_disclosure"] = d.snapshot.disclosure(d.lang, now)
        channels.append("json")
    if d.show_notice or d.tell_machine_mark:
        data["ai_notice"] = d.snapshot.notice_json[d.lang]
    return json.dumps(data, ensure_ascii=False).encode(), channels or ["json"]


def _html(d: Decision, body: bytes, now: dt.datetime) -> tuple[bytes, list[str]]:
    text = body.decode("utf-8", errors="replace")
    top = ""
    if d.show_notice or d.tell_machine_mark:
        top += d.snapshot.notice_html[d.lang]
    labelled = d.rule.generated and d.snapshot.label_apply
    if labelled and d.snapshot.label_text[d.lang]:
        top += visible_label_html(d.snapshot.label_text[d.lang] or "", d.lang)
    if labelled and d.snapshot.settings.machine:
        meta = f'<meta name="ai-disclosure" content="{d.snapshot.headers(now).get("AI-Disclosure", "")}">'
        text = _insert_after(text, "<head", meta) if "<head" in text.lower() else meta + text
    text = _insert_after(text, "<body", top) if "<body" in text.lower() else top + text
    return text.encode(), ["html"]


def _insert_after(text: str, tag: str, addition: str) -> str:
    start = text.lower().find(tag)
    end = text.find(">", start)
    return text if start < 0 or end < 0 else text[: end + 1] + addition + text[end + 1:]


def _text(d: Decision, body: bytes) -> tuple[bytes, list[str]]:
    parts = []
    if d.show_notice or d.tell_machine_mark:
        parts.append(d.snapshot.notice_text[d.lang])
    label = d.snapshot.label_text[d.lang] if d.rule.generated and d.snapshot.label_apply else None
    if label:
        parts.append(label)
    prefix = "\n".join(parts)
    return (prefix + "\n" + body.decode("utf-8", errors="replace")).encode() if prefix else body, ["text"]
