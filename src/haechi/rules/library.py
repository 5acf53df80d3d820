"""The set of available packs: shipped ones plus a user directory, several versions each.

Version selection (documented in docs/packs.md): for a date ``as_of``, a pack resolves
to the **newest adopted version that governs on ``as_of``**: its ``in_force_from`` date
(when the pack gives one, e.g. the entry into force of an amending act) or else its
``published`` date is on or before ``as_of``. So ``eu-ai-act@2`` (the Digital Omnibus,
Regulation (EU) 2026/1744, in force 2026-07-27) governs from 2026-07-27 and version 1
(the original text) before it. Versions a pack author marks ``status: provisional``
(a text not yet adopted) are used only when asked for by number (``pack@N``) or with
``provisional=True``. When ``as_of`` is earlier than every version, the earliest version
is used and says so; its obligations then show as ``not_in_force`` because they start
later.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from haechi.domain.errors import Issue, NotFound, ValidationFailed
from haechi.domain.localformat import local_date
from haechi.domain.yamlio import Document, load_file

from .crosswalk import Crosswalk, load_crosswalk_document
from .fastyaml import with_lines_on_error
from .loader import LoadedPack, Origin, load_pack_document

_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Selected:
    """A pack version chosen for a date, with a one-line account of why."""

    pack: LoadedPack
    note: str
    note_ko: str = ""


def parse_ref(ref: str) -> tuple[str, int | None]:
    """``"eu-ai-act@2"`` → ``("eu-ai-act", 2)``; ``"eu-ai-act"`` → ``("eu-ai-act", None)``."""
    name, _, version = ref.strip().partition("@")
    if not version:
        return name, None
    if not version.isdigit():
        raise ValidationFailed(f"pack reference {ref!r}: the version must be a whole number",
                               issues=[Issue("pack", f"bad version in {ref!r}",
                                             "write PACK@N, e.g. eu-ai-act@2")],
                               key="rules.pack_reference_version_must", values={"ref": ref})
    return name, int(version)


class PackLibrary:
    """Packs and crosswalks by id and version."""

    def __init__(self, packs: Iterable[LoadedPack], crosswalks: Iterable[Crosswalk] = ()) -> None:
        self._packs: dict[str, dict[int, LoadedPack]] = {}
        for loaded in packs:
            self._add(loaded)
        self.crosswalks: list[Crosswalk] = list(crosswalks)

    def _add(self, loaded: LoadedPack) -> None:
        versions = self._packs.setdefault(loaded.id, {})
        existing = versions.get(loaded.version)
        if existing is not None and existing.sha256 != loaded.sha256:
            raise ValidationFailed(
                f"pack {loaded.ref} is defined twice with different content",
                issues=[Issue("version", f"{loaded.ref} in {existing.source} and {loaded.source}",
                              "give the new file the next version number", file=loaded.source)],
                key="rules.pack_defined_twice_with", values={"ref": loaded.ref})
        if existing is None:
            self._check_unique(loaded)
            versions[loaded.version] = loaded

    def _check_unique(self, loaded: LoadedPack) -> None:
        """A crosswalk prefix and a transparency duty key each belong to one pack."""
        shown = loaded.pack.presentation
        for other in (v for pack_id, vs in self._packs.items() if pack_id != loaded.id for v in vs.values()):
            if shown.prefix is not None and shown.prefix == other.pack.presentation.prefix:
                raise _clash(loaded, other, "presentation.prefix", f"prefix '{shown.prefix}'",
                             "choose another short prefix")
            taken = {d.key for d in other.pack.duties} & {d.key for d in loaded.pack.duties}
            if taken:
                raise _clash(loaded, other, "duties", f"duty key '{sorted(taken)[0]}'",
                             "prefix your duty keys with your pack's name")

    # --- construction ---------------------------------------------------------
    @classmethod
    def shipped(cls) -> PackLibrary:
        """The packs and crosswalks that come with Haechi."""
        packs, crosswalks = _shipped()
        return cls(packs, crosswalks)

    @classmethod
    def load(cls, packs_dir: str | Path | None = None, include_shipped: bool = True,
             installed_dir: str | Path | None = None) -> PackLibrary:
        """Shipped packs, packs installed from signed bundles (``installed_dir``), and every
        pack and crosswalk file under ``packs_dir``."""
        packs, crosswalks = _shipped() if include_shipped else ([], [])
        installed = load_installed(Path(installed_dir)) if installed_dir else []
        user_packs, user_crosswalks = load_directory(Path(packs_dir)) if packs_dir else ([], [])
        return cls([*packs, *installed, *user_packs], [*crosswalks, *user_crosswalks])

    # --- lookup ---------------------------------------------------------------
    def ids(self) -> list[str]:
        """Pack ids in display order: ``presentation.order``, then id."""
        return sorted(self._packs, key=lambda p: (self.latest(p).pack.presentation.order, p))

    def prefixes(self) -> dict[str, str]:
        """Short crosswalk prefix → pack id (``kr`` → ``kr-ai-basic-act``), in display order."""
        out: dict[str, str] = {}
        for pack in self:
            if pack.pack.presentation.prefix is not None:
                out.setdefault(pack.pack.presentation.prefix, pack.id)
        return out

    def compared(self) -> list[str]:
        """Packs that are columns of the side-by-side comparison, in column order."""
        columns = [(v.pack.presentation.compare, pack_id) for pack_id in self.ids()
                   if (v := self.latest(pack_id)).pack.presentation.compare is not None]
        return [pack_id for _, pack_id in sorted(columns)]

    def versions(self, pack_id: str) -> list[LoadedPack]:
        """Every version of ``pack_id``, oldest first."""
        return [v for _, v in sorted(self._require(pack_id).items())]

    def latest(self, pack_id: str, provisional: bool = False) -> LoadedPack:
        versions = self.versions(pack_id)
        adopted = [v for v in versions if provisional or v.pack.status == "adopted"]
        return (adopted or versions)[-1]

    def get(self, ref: str) -> LoadedPack:
        """A pack by ``id`` (its newest adopted version) or ``id@version``."""
        pack_id, version = parse_ref(ref)
        versions = self._require(pack_id)
        if version is None:
            return self.latest(pack_id)
        if version not in versions:
            raise NotFound(f"pack {pack_id} has no version {version} "
                           f"(versions: {', '.join(map(str, sorted(versions)))})",
                           key="rules.pack_has_no_version",
                           values={"versions": ", ".join(map(str, sorted(versions))), "pack_id": pack_id,
                                   "version": version})
        return versions[version]

    def select(self, ref: str, as_of: dt.date, provisional: bool = False) -> Selected:
        """The version that governs ``as_of`` (see the module docstring for the rule)."""
        pack_id, version = parse_ref(ref)
        if version is not None:
            chosen = self.get(ref)
            return Selected(chosen, f"version {version} requested", f"요청한 버전 {version}")
        versions = self.versions(pack_id)
        usable = [v for v in versions if provisional or v.pack.status == "adopted"] or versions
        governing = [v for v in usable if v.pack.governs_from <= as_of]
        if governing:
            return _governing(governing[-1], as_of, provisional)
        chosen = usable[0]
        return Selected(chosen, f"version {chosen.version}: {as_of} is before its publication "
                        f"({chosen.pack.published}); shown as the earliest version",
                        f"버전 {chosen.version}: 기준일 {_ko(as_of)}이(가) 공포일({_ko(chosen.pack.published)}) "
                        "이전이어서 가장 이른 버전을 표시")

    def for_markets(self, markets: list[str] | None, home: str | None = None) -> list[str]:
        """Law and policy packs whose markets meet ``markets`` (all of them when unknown).

        ``home`` is the operator's country: the law of the operator's own country is read
        too even when the system is offered only abroad, so that a law reaching conduct
        abroad (KR Art. 4(1)) says why it does or does not apply instead of staying silent.
        """
        chosen = []
        for pack_id in self.ids():
            pack = self.latest(pack_id).pack
            if pack.kind == "framework":
                continue
            if markets is None or set(pack.markets) & {*markets, *([home] if home else [])}:
                chosen.append(pack_id)
        return chosen

    def __iter__(self) -> Iterator[LoadedPack]:
        for pack_id in self.ids():
            yield from self.versions(pack_id)

    def _require(self, pack_id: str) -> dict[int, LoadedPack]:
        if pack_id in self._packs:
            return self._packs[pack_id]
        close = difflib.get_close_matches(pack_id, list(self._packs), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise NotFound(f"no pack '{pack_id}'{hint} (packs: {', '.join(self.ids())})",
                       key="rules.no_pack_packs", values={"packs": ", ".join(self.ids()), "pack_id": pack_id})


def _governing(chosen: LoadedPack, as_of: dt.date, provisional: bool) -> Selected:
    """The account of a date-based choice: published, or in force from a later date."""
    pack = chosen.pack
    kind, kind_ko = ("", "") if provisional else ("adopted ", "확정 ")
    if pack.in_force_from is None:
        return Selected(chosen, f"version {chosen.version}: newest {kind}version published on or "
                        f"before {as_of} (published {pack.published})",
                        f"버전 {chosen.version}: {_ko(as_of)} 이전에 공포된 {kind_ko}버전 중 최신 "
                        f"(공포일 {_ko(pack.published)})")
    return Selected(chosen, f"version {chosen.version}: newest {kind}version in force on {as_of} "
                    f"(published {pack.published}, in force from {pack.in_force_from})",
                    f"버전 {chosen.version}: {_ko(as_of)} 현재 시행 중인 {kind_ko}버전 중 최신 "
                    f"(공포일 {_ko(pack.published)}, 시행일 {_ko(pack.in_force_from)})")


def _ko(day: dt.date) -> str:
    return local_date(day, "ko")


def _clash(loaded: LoadedPack, other: LoadedPack, where: str, what: str, fix: str) -> ValidationFailed:
    return ValidationFailed(
        f"pack {loaded.ref} uses {what}, which {other.id} already uses",
        issues=[Issue(where, f"{what} is already used by {other.ref} ({other.source})", fix,
                      file=loaded.source)],
        key="rules.pack_uses_which_already", values={"ref": loaded.ref, "what": what, "id": other.id})


def _load_any(doc_path: Path, text: str | None, origin: Origin) -> LoadedPack | Crosswalk:
    if text is None:
        text = _read(doc_path)

    def validate(doc: Document) -> LoadedPack | Crosswalk:
        if isinstance(doc.data, dict) and doc.data.get("kind") == "crosswalk":
            return load_crosswalk_document(doc)
        return load_pack_document(doc, origin)

    return with_lines_on_error(text, str(doc_path), validate, trusted=origin == "shipped")


def _read(path: Path) -> str:
    """File text; unreadable files get the same clear errors as any other input."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        load_file(path)  # raises ValidationFailed naming the file and the problem
        raise


def load_directory(root: Path, origin: Origin = "user") -> tuple[list[LoadedPack], list[Crosswalk]]:
    """Every pack and crosswalk file below ``root``; all problems are reported together."""
    if not root.is_dir():
        raise ValidationFailed(f"packs directory {root} does not exist",
                               issues=[Issue("packs_dir", f"{root} is not a directory",
                                             "create it or fix HAECHI_PACKS_DIR")],
                               key="rules.packs_directory_does_not", values={"root": root})
    packs: list[LoadedPack] = []
    crosswalks: list[Crosswalk] = []
    problems: list[Issue] = []
    for path in sorted(p for p in root.rglob("*") if p.suffix in _SUFFIXES and p.is_file()):
        if path.name == "topics.yaml":
            continue
        try:
            item = _load_any(path, None, origin)
        except ValidationFailed as exc:
            problems.extend(exc.issues)
            continue
        (crosswalks if isinstance(item, Crosswalk) else packs).append(item)  # type: ignore[arg-type]
    if problems:
        raise ValidationFailed(f"{root}: {len(problems)} problem(s) in pack files", issues=problems,
                               key="rules.problem_pack_files", values={"root": root, "count": len(problems)})
    return packs, crosswalks


INSTALLED_FILE = "pack"
RECEIPT = "receipt.json"


def load_installed(root: Path) -> list[LoadedPack]:
    """Packs installed from bundles: ``root/<id>@<version>/pack.<ext>`` beside its ``receipt.json``."""
    if not root.is_dir():
        return []
    out = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and "@" in p.name and not p.name.startswith(".")):
        files = [p for p in folder.iterdir() if p.stem == INSTALLED_FILE and p.suffix in _SUFFIXES]
        if len(files) != 1:
            continue
        loaded = _load_any(files[0], None, "installed")
        if isinstance(loaded, LoadedPack):
            out.append(replace(loaded, receipt=_receipt(folder / RECEIPT)))
    return out


def _receipt(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@cache
def _shipped() -> tuple[list[LoadedPack], list[Crosswalk]]:
    root = files("haechi.packs")
    packs: list[LoadedPack] = []
    crosswalks: list[Crosswalk] = []
    for folder in sorted(root.iterdir(), key=lambda p: p.name):
        if not folder.is_dir() or folder.name.startswith("_"):
            continue
        for item in sorted(folder.iterdir(), key=lambda p: p.name):
            if not item.name.endswith(_SUFFIXES):
                continue
            text = item.read_text("utf-8")
            loaded = _load_any(Path(f"{folder.name}/{item.name}"), text, "shipped")
            (crosswalks if isinstance(loaded, Crosswalk) else packs).append(loaded)  # type: ignore[arg-type]
    return packs, crosswalks
