"""Labelling workflows for files: plan from the verdict, mark, sign, record.

KR Decree Art. 23(2) allows a mark people perceive or a machine-readable mark (then
the user must also be told once by text or voice); realistic synthetic media must be
*clearly* recognisable (Art. 31(3), Decree Art. 23(3); EU Art. 50(4)), with a discreet
form for artistic works. Each choice Haechi makes here is recorded with its reason.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import Issue, ValidationFailed
from haechi.ledger import append
from haechi.ledger.actions import LedgerAction
from haechi.store.tables import utcnow
from haechi.store.transparency_tables import LabelledOutput

from . import records
from .aigc_xmp import AigcUnsupported, aigc_fields, read_aigc, write_aigc
from .c2pa_sign import SystemIdentity, build_manifest, sign_bytes_to
from .duties import LABEL_DUTIES, SYNTHETIC_DUTIES, Duties
from .files import atomic_output, check_output
from .fingerprint import MATCH_DISTANCE, dhash, distance
from .labelsettings import LabelSettings
from .mediatypes import MediaKind, MediaType, detect
from .notices import Lang
from .overlay import OverlayStyle, draw_label
from .textlabel import TextFormat, TextIdentity, label_text
from .verdict import org_names
from .verify import verify_file

if TYPE_CHECKING:
    from haechi.auth.service import Accounts
    from haechi.registry.service import SystemRecord, SystemRegistry
    from haechi.store.db import Database

    from .certs import CertStore
    from .label_book import LabelSettingsBook
    from .verdict import VerdictDuties

KINDS = ("text", "image", "video", "audio")
#: The duty whose label format Haechi writes itself: China's implicit label (Labelling
#: Measures Art. 5) as the ``TC260:AIGC`` XMP entry GB 45438-2025 specifies.
AIGC_DUTY = "cn_implicit_label"

#: The ledger entry of labelling each kind of output.
LABEL_LEDGER_ACTIONS: dict[str, LedgerAction] = {
    "text": LedgerAction.LABEL_TEXT,
    "image": LedgerAction.LABEL_IMAGE,
    "video": LedgerAction.LABEL_VIDEO,
    "audio": LedgerAction.LABEL_AUDIO,
}

#: The fixed sentences a mark choice is recorded with → their catalogue keys, so pages
#: show them in the reader's language (the stored record and the API keep the English).
DECISION_TEXT_KEYS = {
    "visible mark added despite settings": "visible_added",
    "discreet corner badge (artistic-work mode)": "artistic_badge",
    "machine-readable mark only on video/audio": "machine_only_media",
    "machine-readable mark only": "machine_only",
    "realistic synthetic media must be clearly recognisable by people": "why_recognisable",
    "Haechi does not draw on video or audio; a perceivable mark must be added by the producer": "why_producer_mark",
    "the user must be told once by text or voice that the output is AI-generated "
    "(the disclosure middleware does this and records it)": "why_tell_once",
}
ARTISTIC_REASON = ("artistic or creative work: a discreet mark that does not spoil enjoyment "
                   "(KR Art. 31(3) second sentence; EU Art. 50(4))")
DECISION_TEXT_KEYS[ARTISTIC_REASON] = "why_artistic"


class MediaLabeller:
    """Plans, marks, signs and records labelled outputs, and verifies labelled files."""

    def __init__(self, db: Database, systems: SystemRegistry, accounts: Accounts, certs: CertStore,
                 duties: VerdictDuties, settings: LabelSettingsBook) -> None:
        self.db, self.systems, self.accounts, self.certs = db, systems, accounts, certs
        self.duties, self.settings = duties, settings

    # --- plan -------------------------------------------------------------------
    def plan(self, actor: Actor, record: SystemRecord, kind: str, *, force: bool = False) -> dict[str, Any]:
        """Decide from the verdict whether to label, and record exceptions."""
        duties = self.duties.of(actor, record)
        active = duties.active(LABEL_DUTIES)
        synthetic = kind != "text" and bool(duties.active(SYNTHETIC_DUTIES))
        exempt = duties.exempt(LABEL_DUTIES)
        plan: dict[str, Any] = {"basis": [d.citation for d in active + duties.active(SYNTHETIC_DUTIES)],
                                "synthetic_media": synthetic, "exceptions": [],
                                "notice_version": self._notice_version(actor, record.slug),
                                "verdict_digest": duties.verdict_digest,
                                "aigc_metadata": any(d.key == AIGC_DUTY for d in active)}
        if active or synthetic:
            return {**plan, "apply": True}
        if exempt and not force:
            plan["exceptions"] = self._record_exceptions(actor, record.slug, exempt, duties)
            return {**plan, "apply": False}
        why = "forced although the verdict exempts it" if exempt else "no labelling duty in the verdict"
        self._record(actor, record.slug, "voluntary", "output_label", f"labelled voluntarily ({why})",
                     [why], None, duties.verdict_digest)
        return {**plan, "apply": True, "voluntary": True}

    def _notice_version(self, actor: Actor, slug: str) -> int | None:
        with self.db.reader() as s:
            latest = records.latest_notice(s, actor.org_id, slug)
            return latest.version if latest else None

    def _record_exceptions(self, actor: Actor, slug: str, exempt: list[Any], duties: Duties) -> list[dict[str, Any]]:
        if not actor.can(Permission.WRITE):
            return [{"duty": d.key, "citation": d.citation, "reasons": list(d.reasons)} for d in exempt]
        with self.db.transaction() as s:
            return records.record_exceptions(s, actor, slug, exempt, "output not labelled", duties.verdict_digest)

    def _record(self, actor: Actor, slug: str, kind: str, duty: str, decision: str, reasons: list[str],
                citation: str | None, digest: str) -> None:
        if actor.can(Permission.WRITE):
            with self.db.transaction() as s:
                records.record_decision(s, actor, slug, kind, duty, decision, reasons, citation, digest)

    # --- label --------------------------------------------------------------------
    def text_identity(self, actor: Actor, record: SystemRecord, notice_version: int | None) -> TextIdentity:
        card = record.effective_card
        names = org_names(self.accounts.get_org(actor.org_slug))
        provider = card.operator.name if card.operator and card.operator.name else names["en"]
        model = card.model.name if card.model and card.model.name else None
        return TextIdentity(card.id, {"en": card.name, "ko": card.name_ko or card.name}, provider, model,
                            notice_version)

    def label_text(self, actor: Actor, slug: str, text: str, *, fmt: TextFormat = "text",
                   lang: Lang | None = None, force: bool = False) -> dict[str, Any]:
        """Label generated text; honours an exemption in the verdict unless ``force``."""
        actor.require(Permission.READ)
        record = self.systems.get(actor, slug)
        plan = self.plan(actor, record, "text", force=force)
        settings = self.settings.get(actor, slug)
        if not plan["apply"]:
            return {"applied": False, "body": text, "headers": {}, "label": None, **plan}
        ident = self.text_identity(actor, record, plan.get("notice_version"))
        out = label_text(text, ident, settings, fmt, lang)
        return {"applied": True, **out, **plan}

    def label_file(self, actor: Actor, slug: str, kind: str, src: Path, out: Path, *,
                   overlay: bool | None = None, artistic: bool | None = None, lang: str | None = None,
                   fmt: str = "text", force: bool = False) -> dict[str, Any]:
        actor.require(Permission.WRITE)
        if kind not in KINDS:
            raise ValidationFailed(f"unknown label kind '{kind}'", key="labelling.unknown_kind", values={"kind": kind},
                                   issues=[Issue("kind", "unknown", "use text, image, video or audio")])
        record = self.systems.get(actor, slug)
        if kind == "text":
            return self._label_text_file(actor, slug, src, out, fmt, lang, force)
        media = detect(src, kind)  # type: ignore[arg-type]
        check_output(src, out)
        plan = self.plan(actor, record, kind, force=force)
        if not plan["apply"]:
            with atomic_output(out) as tmp:
                shutil.copyfile(src, tmp)
            return {"applied": False, "system": slug, "output": str(out), **plan}
        creds = self.certs.load_credentials(org=actor.org_slug)
        settings = self.settings.get(actor, slug)
        return self._sign_media(actor, record, media, src, out, plan, settings, creds,
                                overlay=overlay, artistic=artistic, lang=lang)

    def _label_text_file(self, actor: Actor, slug: str, src: Path, out: Path, fmt: str, lang: str | None,
                         force: bool) -> dict[str, Any]:
        check_output(src, out)
        try:
            text = src.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ValidationFailed(f"input file {src} does not exist", key="transparency.input_file_does_not",
                                   values={"src": src},
                                   issues=[Issue("IN", "file not found", "check the path",
                                                 message_ko="파일을 찾을 수 없습니다",
                                                 fix_ko="경로를 확인하세요")]) from None
        except UnicodeDecodeError:
            raise ValidationFailed(f"{src} is not UTF-8 text", key="transparency.not_utf_text", values={"src": src},
                                   issues=[Issue("IN", "not UTF-8 text", "save the file as UTF-8")]) from None
        if fmt not in ("text", "html", "json"):
            raise ValidationFailed(f"unknown text format '{fmt}'", key="labelling.unknown_format", values={"fmt": fmt},
                                   issues=[Issue("--format", "unknown", "use text, html or json")])
        result = self.label_text(actor, slug, text, fmt=fmt, lang=lang, force=force)  # type: ignore[arg-type]
        with atomic_output(out) as tmp:
            tmp.write_text(result["body"], encoding="utf-8")
        if result["applied"]:
            self._store_output(actor, slug, "text", "text/plain", out, src.read_bytes(), None, None, None,
                               {"visible": result["label"] is not None, "headers": result["headers"]},
                               result.get("notice_version"))
        return {**{k: v for k, v in result.items() if k != "body"}, "output": str(out)}

    def _sign_media(self, actor: Actor, record: SystemRecord, media: MediaType, src: Path, out: Path,
                    plan: dict[str, Any], settings: LabelSettings, creds: Any, *, overlay: bool | None,
                    artistic: bool | None, lang: str | None) -> dict[str, Any]:
        data = src.read_bytes()
        if media.kind == "image":
            _check_image(data, src, media)
        choice = self._mark_choice(actor, record.slug, media.kind, plan, settings, overlay, artistic)
        warnings: list[str] = list(choice["warnings"])
        marked = data
        overlay_info = None
        if choice["overlay"]:
            name = record.card.name_ko if (lang or settings.lang) == "ko" and record.card.name_ko else record.card.name
            result = draw_label(data, settings.overlay_text(lang or settings.lang, name),
                                settings.overlay_text("en", record.card.name), choice["style"])
            marked, overlay_info = result.data, {"text": result.text, "style": result.style, "font": result.font}
            if result.note:
                warnings.append(result.note)
        aigc = None
        if plan.get("aigc_metadata") and media.kind == "image":
            marked, aigc, note = self._aigc(actor, record, media, marked)
            if note:
                warnings.append(note)
        fingerprint = dhash(marked) if media.kind == "image" else None
        ident = self._identity(actor, record, plan, overlay_info is not None, choice["style"] == "artistic",
                               fingerprint)
        now = utcnow()
        manifest = build_manifest(ident, media, out.name, now)
        with atomic_output(out) as tmp:
            sign_bytes_to(marked, tmp, media, manifest, creds, source_name=str(src))
        signed = out.read_bytes()
        marks = {"c2pa": True, "visible_overlay": overlay_info, "style": choice["style"],
                 "machine_notice_required": choice["machine_notice_required"]}
        if aigc is not None:
            found = read_aigc(signed, media.mime)
            marks["cn_aigc"] = {**aigc, "present_after_signing": bool(found and found["valid"])}
        row_id = self._store_output(actor, record.slug, media.kind, media.mime, out, data, fingerprint,
                                    _manifest_label(signed, media), creds.subject, marks, plan.get("notice_version"),
                                    signed=signed)
        return {"applied": True, "system": record.slug, "output": str(out), "output_id": row_id,
                "media_type": media.mime, "sha256": hashlib.sha256(signed).hexdigest(), "fingerprint": fingerprint,
                "signer": creds.subject, "self_signed_test_certificate": creds.self_issued_chain,
                "marks": marks, "warnings": warnings, **plan}

    def _aigc(self, actor: Actor, record: SystemRecord, media: MediaType,
              data: bytes) -> tuple[bytes, dict[str, str] | None, str | None]:
        """Write China's implicit label into the image before the C2PA manifest is signed."""
        import uuid
        org = self.accounts.get_org(actor.org_slug)
        operator = record.effective_card.operator
        producer = operator.name if operator and operator.name else org.name
        fields = aigc_fields(producer, uuid.uuid4().hex)
        try:
            return write_aigc(data, media.mime, fields), fields, None
        except AigcUnsupported as why:
            return data, None, (f"the Chinese implicit label (GB 45438-2025 TC260:AIGC) was not written: {why}; "
                                "add it in your pipeline")

    def _mark_choice(self, actor: Actor, slug: str, kind: MediaKind, plan: dict[str, Any],
                     settings: LabelSettings, overlay: bool | None, artistic: bool | None) -> dict[str, Any]:
        """Which perceivable mark to use, recorded with its reason when it is a choice."""
        synthetic = plan["synthetic_media"]
        is_artistic = settings.artistic_work if artistic is None else artistic
        style: OverlayStyle = "artistic" if is_artistic else "standard"
        wanted = settings.visible and settings.image_overlay if overlay is None else overlay
        warnings: list[str] = []
        digest = plan["verdict_digest"]
        if kind == "image" and synthetic and not wanted:
            wanted = True
            self._record(actor, slug, "mark_choice", "synthetic_mark", "visible mark added despite settings",
                         ["realistic synthetic media must be clearly recognisable by people"],
                         "KR AI Basic Act Art. 31(3); Decree Art. 23(3); EU AI Act Art. 50(4)", digest)
        if kind == "image" and wanted and is_artistic:
            self._record(actor, slug, "mark_choice", "synthetic_mark" if synthetic else "output_label",
                         "discreet corner badge (artistic-work mode)", [settings.artistic_reason or ARTISTIC_REASON],
                         "KR AI Basic Act Art. 31(3); EU AI Act Art. 50(4)", digest)
        if kind != "image" and synthetic:
            warnings.append("realistic synthetic video/audio needs a mark people perceive: Haechi added the "
                            "machine-readable C2PA mark only — add a visible or audible mark in your pipeline")
            self._record(actor, slug, "mark_choice", "synthetic_mark", "machine-readable mark only on video/audio",
                         ["Haechi does not draw on video or audio; a perceivable mark must be added by the producer"],
                         "KR AI Basic Act Art. 31(3); Decree Art. 23(3)", digest)
        overlay_on = kind == "image" and bool(wanted)
        machine_notice = not overlay_on
        if machine_notice:
            self._record(actor, slug, "mark_choice", "output_label", "machine-readable mark only",
                         ["the user must be told once by text or voice that the output is AI-generated "
                          "(the disclosure middleware does this and records it)"],
                         "KR Decree Art. 23(2)(2)", digest)
        return {"overlay": overlay_on, "style": style if overlay_on else None,
                "machine_notice_required": machine_notice, "warnings": warnings}

    def _identity(self, actor: Actor, record: SystemRecord, plan: dict[str, Any], overlay: bool,
                  artistic: bool, fingerprint: str | None) -> SystemIdentity:
        card = record.effective_card
        org = self.accounts.get_org(actor.org_slug)
        model = f"{card.model.name} {card.model.version or ''}".strip() if card.model and card.model.name else None
        return SystemIdentity(card.id, card.name, card.name_ko, org.name,
                              card.operator.name if card.operator else None, model, plan.get("notice_version"),
                              overlay, artistic, fingerprint)

    def _store_output(self, actor: Actor, slug: str, kind: str, mime: str, out: Path, source: bytes,
                      fingerprint: str | None, manifest_label: str | None, signer: str | None,
                      marks: dict[str, Any], notice_version: int | None, signed: bytes | None = None) -> int:
        final = signed if signed is not None else out.read_bytes()
        with self.db.transaction() as s:
            row = LabelledOutput(org_id=actor.org_id, system=slug, kind=kind, media_type=mime, name=out.name[:300],
                                 sha256=hashlib.sha256(final).hexdigest(),
                                 input_sha256=hashlib.sha256(source).hexdigest(), fingerprint=fingerprint,
                                 manifest_label=manifest_label, signer=signer, marks=marks,
                                 notice_version=notice_version, actor=actor.label)
            s.add(row)
            s.flush()
            append(s, actor.org_id, actor.label, LABEL_LEDGER_ACTIONS[kind], "system", slug,
                   {"output_id": row.id, "sha256": row.sha256, "input_sha256": row.input_sha256,
                    "manifest": manifest_label, "marks": marks})
            return row.id

    # --- verify -----------------------------------------------------------------------
    def verify(self, actor: Actor | None, path: Path, *, reencode: bool = True) -> dict[str, Any]:
        anchors = self.certs.trust_anchors(actor.org_slug if actor else None)
        report = verify_file(path, anchors, reencode=reencode)
        if actor is not None:
            actor.require(Permission.READ)
            report["haechi_record"] = self._lookup(actor, report)
        return report

    def _lookup(self, actor: Actor, report: dict[str, Any]) -> dict[str, Any] | None:
        with self.db.reader() as s:
            exact = s.execute(select(LabelledOutput).where(LabelledOutput.org_id == actor.org_id,
                                                           LabelledOutput.sha256 == report["sha256"])).scalars().first()
            if exact is not None:
                return _output_dict(exact, "exact file (SHA-256)", 0)
            if not report.get("fingerprint"):
                return None
            rows = s.execute(select(LabelledOutput).where(LabelledOutput.org_id == actor.org_id,
                                                          LabelledOutput.fingerprint.is_not(None))
                             .order_by(LabelledOutput.id.desc()).limit(100_000)).scalars()
            best = min(((distance(report["fingerprint"], r.fingerprint or "0"), r) for r in rows),
                       default=None, key=lambda pair: pair[0])
            if best is None or best[0] > MATCH_DISTANCE:
                return None
            return _output_dict(best[1], "perceptual fingerprint (not a cryptographic proof)", best[0])


def _check_image(data: bytes, src: Path, media: MediaType) -> None:
    """Decode the whole image first: a truncated file must fail before anything is written."""

    from .fingerprint import open_image, pillow_image_file
    file_module = pillow_image_file()
    # WeasyPrint switches LOAD_TRUNCATED_IMAGES on for the whole process when it is
    # imported (reports do); a truncated input must still be refused here.
    previous = file_module.LOAD_TRUNCATED_IMAGES
    file_module.LOAD_TRUNCATED_IMAGES = False
    image = open_image(data, src.name)  # refuses a header declaring too many pixels
    try:
        with image:
            image.load()
    except Exception as error:
        raise ValidationFailed(
            f"{src} is a damaged {media.name}: {error}",
            key="transparency.damaged_check_image", values={"src": src, "name": media.name},
            issues=[Issue("IN", "the image cannot be decoded", "export the image again and retry")]) from None
    finally:
        file_module.LOAD_TRUNCATED_IMAGES = previous


def _output_dict(row: LabelledOutput, how: str, dist: int) -> dict[str, Any]:
    return {"matched_by": how, "distance": dist, "output_id": row.id, "system": row.system, "name": row.name,
            "labelled_at": row.created_at.isoformat(), "labelled_by": row.actor, "marks": row.marks,
            "notice_version": row.notice_version}


def _manifest_label(signed: bytes, media: MediaType) -> str | None:
    from .verify import read_manifest
    raw = read_manifest(signed, media, [])
    return (raw or {}).get("active", {}).get("label") if raw and "active" in raw else None
