"""Terminal rendering of pack installs, law changes and timelines (JSON is the contract)."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.table import Table

from haechi.verdicts.notify import version_step

from .common import console, success
from .language import heading, tr, vocabulary

#: English words of the kinds of change; Korean readers get the dashboard's (law changes page
#: for what a pack update did to duties, timeline for what a date does to them).
_KIND = {"gained": "gains", "lost": "loses", "moved": "moves", "starts": "starts", "ends": "ends",
         "changes": "changes"}
_KIND_VOCABULARY = {"gained": "lawchanges.kind", "lost": "lawchanges.kind", "moved": "lawchanges.kind",
                    "starts": "rules.timeline.kind", "ends": "rules.timeline.kind", "changes": "rules.timeline.kind"}


def _k(kind: str, lang: str) -> str:
    if kind == "version":
        return tr("updates.new_version", "new version")
    return vocabulary(_KIND_VOCABULARY[kind], kind) if lang == "ko" else _KIND[kind]


def _s(status: str | None, lang: str) -> str:
    return (vocabulary("rules.status", status) if lang == "ko" else status) or "—"


def _title(item: dict[str, Any], lang: str) -> str:
    return str(item.get("title_ko") if lang == "ko" and item.get("title_ko") else item.get("title") or "")


def install_result(data: dict[str, Any], lang: str) -> None:
    refs = ", ".join(r["ref"] for r in data["installed"]) or "—"
    who = data["publisher"]["name"]
    if data["installed"]:
        success(tr("packs.installed", "installed {refs} (publisher {who})", refs=refs, who=who))
    if data["already_present"]:
        present = ", ".join(data["already_present"])
        console.print(tr("packs.present", "already present: {refs}", refs=present))
    _law_change_summary(data.get("law_changes", {}), lang)


def uninstall_result(data: dict[str, Any], lang: str) -> None:
    ref = data["removed"].get("ref")
    success(tr("packs.removed", "removed {ref}", ref=ref))
    _law_change_summary(data.get("law_changes", {}), lang)


def _law_change_summary(per_org: dict[str, list[dict[str, Any]]], lang: str) -> None:
    total = sum(len(items) for items in per_org.values())
    console.print(tr("packs.law_changes", "{n} law-change record(s) (haechi packs changes)", n=total))


LAW_CHANGE_COLUMNS = ("id", "effective", "system", "pack", "duties", "controls")
TIMELINE_COLUMNS = ("date", "pack", "change", "article", "duty", "status")


def law_changes(data: dict[str, Any], lang: str) -> None:
    table = Table(title=f"{data['total']}", header_style="bold", show_lines=True)
    for column in LAW_CHANGE_COLUMNS:
        table.add_column(heading(column))
    for item in data["items"]:
        lines = [f"{_k(kind, lang)}: {o['article']} {escape(_title(o, lang))} "
                 f"({_s(o['old_status'], lang)} {o['old_effective_from'] or '—'} → "
                 f"{_s(o['new_status'], lang)} {o['new_effective_from'] or '—'})"
                 for kind in ("gained", "lost", "moved") for o in item[kind]]
        table.add_row(str(item["id"]), item["effective"], item["system"],
                      f"{item['pack']} {version_step(item)}", "\n".join(lines) or "—",
                      ", ".join(_control(c, lang) for c in item["controls"]) or "—")
    console.print(table)


def _control(control: dict[str, Any], lang: str) -> str:
    """A control by its key, or by its Korean title for a Korean reader, as the dashboard names it."""
    return _title(control, lang) if lang == "ko" else str(control["id"])


def timeline(data: dict[str, Any], lang: str) -> None:
    table = Table(title=f"{data['system']}: {data['from']} … {data['to']}", header_style="bold")
    for column in TIMELINE_COLUMNS:
        table.add_column(heading(column))
    for e in data["events"]:
        if e["kind"] == "version":
            table.add_row(e["date"], e["pack"], _k("version", lang), "—", f"v{e['old_version']} → v{e['new_version']}",
                          "—")
            continue
        table.add_row(e["date"] + ("" if e["past"] else " *"), f"{e['pack']}@{e['pack_version']}",
                      _k(e["kind"], lang), e["article"], escape(_title(e, lang)),
                      f"{_s(e['old_status'], lang)} → {_s(e['new_status'], lang)}")
    console.print(table)
