"""Terminal rendering of pack installs, law changes and timelines (JSON is the contract)."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.table import Table

from haechi.verdicts.notify import version_step

from .common import console, success
from .rules_format import _STATUS_KO

_KIND = {"gained": ("gains", "의무 생김"), "lost": ("loses", "의무 없어짐"), "moved": ("moves", "의무 변경"),
         "starts": ("starts", "시작"), "ends": ("ends", "종료"), "changes": ("changes", "변경"),
         "version": ("new version", "새 버전")}


def _k(kind: str, lang: str) -> str:
    return _KIND[kind][1 if lang == "ko" else 0]


def _s(status: str | None, lang: str) -> str:
    return (_STATUS_KO.get(status or "", status or "—") if lang == "ko" else status) or "—"


def _title(item: dict[str, Any], lang: str) -> str:
    return str(item.get("title_ko") if lang == "ko" and item.get("title_ko") else item.get("title") or "")


def install_result(data: dict[str, Any], lang: str) -> None:
    refs = ", ".join(r["ref"] for r in data["installed"]) or "—"
    who = data["publisher"]["name"]
    if data["installed"]:
        success(f"설치했습니다: {refs} (발행자 {who})" if lang == "ko" else f"installed {refs} (publisher {who})")
    if data["already_present"]:
        present = ", ".join(data["already_present"])
        console.print(f"이미 있음: {present}" if lang == "ko" else f"already present: {present}")
    _law_change_summary(data.get("law_changes", {}), lang)


def uninstall_result(data: dict[str, Any], lang: str) -> None:
    ref = data["removed"].get("ref")
    success(f"제거했습니다: {ref}" if lang == "ko" else f"removed {ref}")
    _law_change_summary(data.get("law_changes", {}), lang)


def _law_change_summary(per_org: dict[str, list[dict[str, Any]]], lang: str) -> None:
    total = sum(len(items) for items in per_org.values())
    console.print(f"법령 변경 기록 {total}건 (haechi packs changes)" if lang == "ko"
                  else f"{total} law-change record(s) (haechi packs changes)")


def law_changes(data: dict[str, Any], lang: str) -> None:
    heads = ("id", "시행일", "시스템", "팩", "변경", "통제") if lang == "ko" else \
        ("id", "effective", "system", "pack", "duties", "controls")
    table = Table(title=f"{data['total']}", header_style="bold", show_lines=True)
    for head in heads:
        table.add_column(head)
    for item in data["items"]:
        lines = [f"{_k(kind, lang)}: {o['article']} {escape(_title(o, lang))} "
                 f"({_s(o['old_status'], lang)} {o['old_effective_from'] or '—'} → "
                 f"{_s(o['new_status'], lang)} {o['new_effective_from'] or '—'})"
                 for kind in ("gained", "lost", "moved") for o in item[kind]]
        table.add_row(str(item["id"]), item["effective"], item["system"],
                      f"{item['pack']} {version_step(item)}", "\n".join(lines) or "—",
                      ", ".join(c["id"] for c in item["controls"]) or "—")
    console.print(table)


def timeline(data: dict[str, Any], lang: str) -> None:
    heads = ("날짜", "팩", "변화", "조항", "의무", "상태") if lang == "ko" else \
        ("date", "pack", "change", "article", "duty", "status")
    table = Table(title=f"{data['system']}: {data['from']} … {data['to']}", header_style="bold")
    for head in heads:
        table.add_column(head)
    for e in data["events"]:
        if e["kind"] == "version":
            table.add_row(e["date"], e["pack"], _k("version", lang), "—", f"v{e['old_version']} → v{e['new_version']}",
                          "—")
            continue
        table.add_row(e["date"] + ("" if e["past"] else " *"), f"{e['pack']}@{e['pack_version']}",
                      _k(e["kind"], lang), e["article"], escape(_title(e, lang)),
                      f"{_s(e['old_status'], lang)} → {_s(e['new_status'], lang)}")
    console.print(table)
