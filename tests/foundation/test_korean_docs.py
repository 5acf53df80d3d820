"""The Korean documentation beside the English: every user-guide page has its Korean
counterpart, every relative link resolves, and every ``haechi …`` command shown in a code
block names a command (and options) the CLI has today, so the guide cannot drift from the
product unnoticed."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import typer

from haechi.cli.main import build_app

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
KO = DOCS / "ko"

#: The user guide, one page per capability; the developer pages under docs/dev may stay English.
GUIDE = ["index.md", "guide/getting-started.md", "guide/dashboard.md", "guide/reports.md", "system-card.md",
         "packs.md", "monitoring.md", "compliance.md", "transparency.md", "esg.md", "reminders.md",
         "operations.md", "deploy.md", "integrations.md"]
KOREAN_PAGES = sorted(KO.rglob("*.md"))
SHELL_BLOCK = re.compile(r"^```(?:bash|sh|shell|console)?\n(.*?)^```", re.S | re.M)
ANY_BLOCK = re.compile(r"^```.*?^```", re.S | re.M)
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HAECHI = {"haechi", ".venv/bin/haechi"}


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("page", GUIDE)
def test_every_guide_page_has_a_korean_counterpart_linked_both_ways(page: str) -> None:
    english, korean = DOCS / page, KO / page
    assert english.exists(), f"the guide lists {page}, which is not in docs/"
    assert korean.exists(), f"docs/{page} has no Korean counterpart: write docs/ko/{page}"
    for source, label, target in ((korean, "English", english), (english, "한국어", korean)):
        head = "\n".join(source.read_text(encoding="utf-8").splitlines()[:4])
        link = re.search(rf"\[{label}\]\(([^)]+)\)", head)
        assert link and (source.parent / link.group(1)).resolve() == target.resolve(), (
            f"{_relative(source)} should open with a line [{label}](…) linking {_relative(target)}")


def test_the_readmes_link_each_other() -> None:
    assert (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[2] == "[한국어](README.ko.md)"
    assert (ROOT / "README.ko.md").read_text(encoding="utf-8").splitlines()[2] == "[English](README.md)"


def _links(path: Path) -> Iterator[str]:
    prose = ANY_BLOCK.sub("", path.read_text(encoding="utf-8"))
    prose = re.sub(r"`[^`\n]*`", "", prose)
    for target in LINK.findall(prose):
        if not re.match(r"^(?:[a-z]+:|#)", target):
            yield target.split("#", 1)[0]


@pytest.mark.parametrize("path", [ROOT / "README.ko.md", *KOREAN_PAGES], ids=_relative)
def test_every_relative_link_resolves(path: Path) -> None:
    missing = [target for target in _links(path) if not (path.parent / target).exists()]
    assert not missing, f"{_relative(path)} links to files that do not exist: {missing}"
    if path.is_relative_to(DOCS):  # the site is built from docs/ alone, so its links must stay inside
        outside = [t for t in _links(path) if not (path.parent / t).resolve().is_relative_to(DOCS.resolve())]
        assert not outside, f"{_relative(path)} links outside docs/ (the site cannot follow them): {outside}"


@cache
def _cli() -> Any:
    """The root command with every command module, as `haechi --help` loads them."""
    return typer.main.get_command(build_app())


def _is_group(command: Any) -> bool:
    return isinstance(getattr(command, "commands", None), dict)


def _words(line: str) -> list[str]:
    try:
        return shlex.split(line)
    except ValueError:
        return line.split()


def _shell_commands(text: str) -> Iterator[list[str]]:
    """The words of each ``haechi …`` invocation in the shell blocks of a page, and in its prose's
    code spans (`haechi incidents file INC-1 --clock …`)."""
    prose = ANY_BLOCK.sub("", text).replace("\n", " ")
    for span in re.findall(r"`haechi ([^`]+)`", prose):
        yield _words(span)
    for block in SHELL_BLOCK.findall(text):
        for line in block.replace("\\\n", " ").splitlines():
            for segment in re.split(r"\s(?:\||&&|;|\|\|)\s", line.split(" #", 1)[0]):
                words = _words(segment)
                for i, word in enumerate(words):
                    # `docker compose exec haechi haechi doctor`: the service's name, then the command
                    if word in HAECHI and (i + 1 == len(words) or words[i + 1] not in HAECHI):
                        yield words[i + 1:]
                        break


def _options(command: Any) -> set[str]:
    names = {"--help"}
    for param in command.params:
        names.update(param.opts, param.secondary_opts)
    return names


def problems(words: list[str]) -> list[str]:
    """What is wrong with one shown invocation (empty when the CLI accepts its names)."""
    command = _cli()
    path = ["haechi"]
    for raw in words:
        word = raw.strip("[]")
        if word.startswith("-"):
            names = word.split("=", 1)[0].split("/")  # `--overlay/--no-overlay`: a flag and its negation
            unknown = [n for n in names if n != "--help" and not _is_group(command) and n not in _options(command)]
            if unknown:
                return [f"`{' '.join(path)}` has no option {'/'.join(unknown)}"]
            continue
        if not _is_group(command):
            continue  # an argument of a leaf command
        if word in {"…", "...", "COMMAND"}:
            return []
        choices = word.split("|")  # `portfolio|overdue|incidents`: each alternative must exist
        unknown = [c for c in choices if c not in command.commands]
        if unknown:
            return [f"`{' '.join(path)}` has no command {'/'.join(unknown)}"]
        if len(choices) > 1:
            return []
        command = command.commands[word]
        path.append(word)
    return []


@pytest.mark.parametrize("path", [ROOT / "README.ko.md", *KOREAN_PAGES], ids=_relative)
def test_every_haechi_command_shown_exists(path: Path) -> None:
    found: list[str] = []
    shown = list(_shell_commands(path.read_text(encoding="utf-8")))
    for words in shown:
        found += problems(words)
    assert not found, f"{_relative(path)}: {found}"


def test_the_korean_readme_shows_the_english_readme_commands() -> None:
    def commands(name: str, heading: str) -> list[str]:
        section = (ROOT / name).read_text(encoding="utf-8").split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
        block = re.search(r"```bash\n(.*?)```", section, re.S)
        assert block, f"{name}: no command block under '## {heading}'"
        return [line.split(" #", 1)[0].strip() for line in block.group(1).splitlines() if line.strip()]

    assert commands("README.ko.md", "설치하고 실행하기") == commands("README.md", "Set up") == [
        "python3 tasks.py demo", "python3 tasks.py test"]
    assert commands("README.ko.md", "운영 환경에 설치하기") == commands("README.md", "Production")
    assert commands("README.ko.md", "60초 둘러보기") == commands("README.md", "A 60-second tour")


def _schema_fields() -> list[str]:
    """Every leaf field of the system card, dotted (``owners.oversight.email``), from its JSON Schema."""
    schema = json.loads((DOCS / "schemas" / "system-card.schema.json").read_text(encoding="utf-8"))

    def object_of(prop: dict[str, Any]) -> dict[str, Any] | None:
        for alternative in (prop, *prop.get("anyOf", [])):
            if "$ref" in alternative:
                target = schema["$defs"][alternative["$ref"].rsplit("/", 1)[1]]
                if "properties" in target:
                    return target
        return None

    def leaves(props: dict[str, Any], prefix: str = "") -> Iterator[str]:
        for name, prop in props.items():
            nested = object_of(prop)
            yield from leaves(nested["properties"], f"{prefix}{name}.") if nested else [prefix + name]

    return list(leaves(schema["properties"]))


def _table_fields(text: str) -> set[str]:
    """Fields named in the first column of a page's tables; ``.version`` after ``model.name`` is ``model.version``."""
    named: set[str] = set()
    for row in (line for line in text.splitlines() if line.startswith("|")):
        parent = None
        for token in re.findall(r"`([^`]+)`", row.split("|")[1]):
            if token.startswith(".") and parent:
                named.add(parent + token)
            else:
                named.add(token)
                parent = token.rsplit(".", 1)[0] if "." in token else None
    return named


@pytest.mark.parametrize("page", ["system-card.md", "ko/system-card.md"])
def test_every_card_field_is_described(page: str) -> None:
    described = _table_fields((DOCS / page).read_text(encoding="utf-8"))
    missing = [field for field in _schema_fields() if field not in described]
    assert not missing, f"docs/{page} does not describe the card fields {missing}: add a row for each"


@pytest.mark.parametrize("page", ["packs.md", "ko/packs.md"])
def test_every_shipped_pack_version_is_listed(page: str) -> None:
    packs = ROOT / "src" / "haechi" / "packs"
    shipped = sorted((d.name, int(f.stem[1:])) for d in packs.iterdir() if d.is_dir() for f in d.glob("v*.yaml"))
    rows = set(re.findall(r"^\| `([a-z0-9-]+)` \| (\d+) \|", (DOCS / page).read_text(encoding="utf-8"), re.M))
    missing = [f"{pack}@{version}" for pack, version in shipped if (pack, str(version)) not in rows]
    assert not missing, f"docs/{page} does not list the shipped pack versions {missing}"


def test_the_command_check_catches_a_wrong_name() -> None:
    shown: list[Any] = list(_shell_commands("Run `haechi audit verfy` daily.\n\n"
                                            "```bash\nhaechi monitr run x\nhaechi dossier x --colour red\n"
                                            "docker compose exec haechi haechi doctor --lang ko\n```\n"))
    assert [problems(words) for words in shown] == [
        ["`haechi audit` has no command verfy"], ["`haechi` has no command monitr"],
        ["`haechi dossier` has no option --colour"], []]
