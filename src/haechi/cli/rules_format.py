"""Terminal rendering of law-pack results (tables for people; JSON is the contract)."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.table import Table

from haechi.rules.loader import LoadedPack
from haechi.rules.results import Classification, PackResult

from .common import console
from .language import heading, tr, vocabulary

_STATUS_STYLE = {"applies": "bold red", "may_apply": "yellow", "exempt": "cyan",
                 "not_in_force": "blue", "not_applicable": "dim"}


def _t(item: Any, lang: str, key: str = "title") -> str:
    if isinstance(item, dict):
        return str(item.get(f"{key}_ko") if lang == "ko" and item.get(f"{key}_ko") else item.get(key))
    value = getattr(item, f"{key}_ko", None) if lang == "ko" else None
    return str(value or getattr(item, key))


def _status(status: str, lang: str) -> str:
    label = vocabulary("rules.status", status) if lang == "ko" else status
    return f"[{_STATUS_STYLE.get(status, '')}]{label}[/]"


def classification(result: Classification, lang: str = "en") -> None:
    """One block per pack: scope, classes, obligations, notes and open questions."""
    console.print(f"[bold]{escape(result.system)}[/bold]" + escape(tr("rules.as_of", "{system} — as of {day}",
                                                                      system="", day=result.as_of)))
    for pack in result.results:
        _pack_result(pack, lang)


def _class_value(value: Any) -> str:
    """A class's value in the dashboard's words (yes/no/unknown, a risk tier)."""
    key = "rules.tri" if value in ("yes", "no", "unknown") else "rules.tier"
    return vocabulary(key, value) if value is not None else "—"


def _pack_result(r: PackResult, lang: str) -> None:
    korean = lang == "ko"
    title = r.pack_title_ko if korean else r.pack_title
    selection = r.selection_ko if korean and r.selection_ko else r.selection
    console.print(f"\n[bold]{escape(r.pack)}@{r.pack_version}[/bold] {escape(title)}  "
                  f"[dim]sha256 {r.pack_sha256[:12]}… {escape(selection)}[/dim]")
    if korean:
        classes = ", ".join(f"{d.title_ko}: {_class_value(d.value)}" for d in r.class_details.values())
    else:
        classes = ", ".join(f"{k}={v}" for k, v in r.classes.items())
    console.print(tr("rules.scope", "in scope: {in_scope}   classes: {classes}",
                     in_scope=_class_value(r.in_scope) if korean else r.in_scope, classes=classes))
    table = Table(header_style="bold", show_lines=False)
    for col in ("status", "article", "obligation", "from", "why"):
        table.add_column(heading(col))
    for ob in r.obligations:
        reasons = ob.reasons_ko if korean and ob.reasons_ko else ob.reasons
        table.add_row(_status(ob.status, lang), ob.article, f"{escape(_t(ob, lang))}\n[dim]{ob.id}[/dim]",
                      str(ob.effective_from or "—"), escape("; ".join(reasons[:3])))
    console.print(table)
    for note in r.notes:
        confidence = vocabulary("rules.confidence", note["confidence"]) if korean else note["confidence"]
        console.print(f"[dim]{escape(tr('rules.note', 'note ({confidence}):', confidence=confidence))}[/dim] "
                      f"{escape(_t(note, lang, 'text'))}")
    for q in r.questions:
        console.print(f"[yellow]?[/yellow] {escape(q.question_ko if korean else q.question)} "
                      f"[dim]({q.field} → {', '.join(q.affects + q.affects_classes)})[/dim]")


def _column_heading(col: dict[str, Any], lang: str) -> str:
    """A law's short name (the dashboard's in Korean) and whether it binds there."""
    name = vocabulary("rules.pack_short", col["pack"]) if lang == "ko" else col["title"]
    name = col["title"] if name == col["pack"] else name
    if col.get("kind") == "framework":
        return name + tr("rules.voluntary", " (voluntary)")
    return name if col["offered"] else name + tr("rules.not_offered", " (not offered)")


def comparison(data: dict[str, Any], lang: str = "en") -> None:
    """Topics down, regimes across; an empty cell is a gap."""
    table = Table(title=tr("rules.as_of", "{system} — as of {day}", system=data["system"], day=data["as_of"]),
                  header_style="bold", show_lines=True)
    table.add_column(heading("topic"))
    for col in data["columns"]:
        table.add_column(_column_heading(col, lang))
    for row in data["rows"]:
        cells = []
        for col in data["columns"]:
            items = row["cells"][col["pack"]]
            cells.append("\n".join(f"{_status(i['status'], lang)} {i['article']} {escape(_t(i, lang))}"
                                   for i in items) or "—")
        table.add_row(escape(_t(row, lang)), *cells)
    console.print(table)
    if data.get("left_out"):
        console.print("[dim]" + escape(tr("rules.left_out", "Not shown (laws of other markets): {packs}",
                                          packs=", ".join(data["left_out"]))) + "[/dim]")


#: How the English table names a relationship (the JSON keeps the value: ``intersect`` etc.).
_RELATION = {"intersect": "overlaps", "none": "no counterpart"}


def _relation(relationship: str, lang: str) -> str:
    """A crosswalk relationship; Korean in the dashboard's words (``rules.rel``)."""
    if lang != "ko":
        return _RELATION.get(relationship, relationship)
    if relationship == "none":
        return tr("rules.no_counterpart", "no counterpart")
    return vocabulary("rules.rel", relationship)


CROSSWALK_COLUMNS = ("pack", "refs", "relationship", "rationale")
PACK_COLUMNS = ("article", "id", "title", "nature", "binds", "from")


def crosswalk(entries: list[dict[str, Any]], lang: str = "en") -> None:
    for entry in entries:
        src = entry["from"]
        console.print(f"\n[bold]{entry['entry']}[/bold] {escape(_t(entry, lang))} "
                      f"[dim]({src['pack']} {', '.join(src['refs'])})[/dim]")
        table = Table(header_style="bold")
        for col in CROSSWALK_COLUMNS:
            table.add_column(heading(col))
        for link in entry["links"]:
            table.add_row(link["pack"], ", ".join(link["refs"]), _relation(link["relationship"], lang),
                          escape(_t(link, lang, "rationale")))
        console.print(table)
        if entry.get("gap"):
            console.print(f"[dim]{tr('rules.gap', 'gap')}:[/dim] {escape(_t(entry, lang, 'gap'))}")


def pack_status(status: str) -> str:
    """A pack version's status: adopted, or provisional as the dashboard marks it."""
    if status == "provisional":
        return vocabulary("rules", "provisional")
    return tr("rules.adopted", "adopted") if status == "adopted" else status


def _provenance(origin: str, publisher: dict[str, Any] | None) -> str:
    if origin == "installed":
        return tr("rules.installed", "installed ({publisher})", publisher=(publisher or {}).get("name") or "?")
    return tr("rules.packs_dir", "packs_dir") if origin == "user" else tr("rules.shipped", "shipped")


def pack_row(loaded: LoadedPack, row: dict[str, Any]) -> dict[str, Any]:
    """A ``packs list`` row for a table: kind, status, confidence and provenance in words."""
    return row | {"kind": vocabulary("rules.kind", row["kind"]), "status": pack_status(row["status"]),
                  "confidence": vocabulary("rules.confidence", row["confidence"]),
                  "provenance": _provenance(loaded.origin, row.get("publisher"))}


def pack(loaded: LoadedPack, lang: str = "en") -> None:
    p = loaded.pack
    kind = vocabulary("rules.kind", p.kind) if lang == "ko" else p.kind
    status = pack_status(p.status) if lang == "ko" else p.status
    console.print(f"[bold]{p.id}@{p.version}[/bold] ({kind}, {status}, {p.jurisdiction}) "
                  f"{escape(_t(p, lang))}\n" + escape(tr(
                      "rules.pack_facts", "published {published}, effective {effective}, confidence {confidence}",
                      published=p.published, effective=p.effective or "—",
                      confidence=vocabulary("rules.confidence", p.confidence) if lang == "ko" else p.confidence))
                  + f"\nsha256 {loaded.sha256}\n" + escape(tr("rules.source", "source {source}", source=loaded.source)))
    table = Table(header_style="bold")
    for col in PACK_COLUMNS:
        table.add_column(heading(col))
    for ob in p.obligations:
        nature = vocabulary("rules.nature", ob.nature) if lang == "ko" else ob.nature
        binds = [vocabulary("vocab.role", role) for role in ob.binds] if lang == "ko" else ob.binds
        table.add_row(ob.article, ob.id, escape(_t(ob, lang)), nature,
                      ", ".join(binds) or tr("rules.anyone", "anyone"), str(ob.effective_from or "—"))
    console.print(table)


def pack_diff(data: dict[str, Any], lang: str = "en") -> None:
    a, b = data["from"], data["to"]
    console.print(f"[bold]{a['pack']}@{a['version']} → {b['pack']}@{b['version']}[/bold] ({b['status']})")
    for note in data.get("changes_noted", []):
        console.print(f"  • {escape(_t(note, lang, 'text'))}")
    obs = data["obligations"]
    for label, key in ((tr("rules.added", "added"), "added"), (tr("rules.removed", "removed"), "removed")):
        for item in obs[key]:
            console.print(f"[{'green' if key == 'added' else 'red'}]{label}[/] {item['id']} "
                          f"({item.get('article')}) {escape(str(item.get('title')))}")
    for item in obs["changed"]:
        fields = ", ".join(f"{c['field']}: {c['old']!s:.30} → {c['new']!s:.30}" for c in item["changes"])
        console.print(f"[yellow]{tr('rules.changed', 'changed')}[/] {item['id']}: {escape(fields)}")
    if "affected_systems" in data:
        console.print("\n" + tr("rules.affected", "{n} registered system(s) affected", n=len(data["affected_systems"])))
        for system in data["affected_systems"]:
            moved = ", ".join(f"{o['id']} {o['old_status']}→{o['new_status']}" for o in system["obligations"])
            console.print(f"  {system['system']}: {escape(moved)}")
