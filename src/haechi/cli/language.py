"""The CLI's language and its Korean catalogue.

English is the source text and stays in the code; Korean lives in one catalogue,
``locales/cli.ko.yaml``, in six sections:

- ``help``: help texts of commands, options and arguments, keyed by the command path
  and the parameter (``systems.add`` for the command, ``systems.add.--note`` for an
  option, ``systems.add.FILE`` for an argument).
- ``shared``: help texts that many commands repeat word for word (``--org``,
  ``--format``), keyed by their English text as gettext does, so they are written once.
- ``messages``: what commands print, keyed like ``systems.added``.
- ``headings``: table column headings, keyed by the column.
- ``words``: the command-line framework's own fixed words (Usage, Options, Error…).
- ``demo``: what each step of the demo build adds, keyed by the step's module
  (``haechi.demo.esg``), since capabilities declare their steps in English.

A test walks the whole command tree and the code and fails on a missing or stale key,
so a new command cannot ship without its Korean.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import yaml

CATALOGUE = Path(__file__).parent / "locales" / "cli.ko.yaml"
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def cli_language() -> str:
    """``ko`` or ``en``: HAECHI_LANG wins, then the POSIX locale, then the settings."""
    chosen = os.environ.get("HAECHI_LANG", "").strip().lower()
    if chosen:
        return "ko" if chosen.startswith("ko") else "en"
    # POSIX order: the first of LC_ALL, LC_MESSAGES, LANG that is set decides.
    locale = next((os.environ[name] for name in _LOCALE_VARIABLES if os.environ.get(name)), "")
    if locale.lower().startswith("ko"):
        return "ko"
    try:
        from haechi.settings import Settings

        return "ko" if Settings().lang == "ko" else "en"
    except Exception:  # unreadable settings must not hide the error being reported
        return "en"


def korean() -> bool:
    return cli_language() == "ko"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """The Korean catalogue's sections (``help``, ``shared``, ``messages``, ``headings``, ``words``, ``demo``)."""
    data: dict[str, Any] = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8")) or {}
    return {section: {str(k): str(v) for k, v in (data.get(section) or {}).items()}
            for section in ("help", "shared", "messages", "headings", "words", "demo")}


def word(key: str, english: str) -> str:
    """One of the framework's fixed words, in the CLI's language."""
    return catalogue()["words"].get(key, english) if korean() else english


def tr(key: str, english: str, /, **values: Any) -> str:
    """A message a command prints: the Korean entry ``key`` or the English source text."""
    text = catalogue()["messages"].get(key, english) if korean() else english
    return text.format(**values) if values else text


def heading(column: str) -> str:
    """A table's column heading: Korean from the catalogue, else the column's own name."""
    return catalogue()["headings"].get(column, column) if korean() else column


def demo_step(step: Any) -> str:
    """What a demo build step (a :class:`haechi.capability.DemoStep`) adds, in the CLI's language."""
    return catalogue()["demo"].get(step.module, step.label) if korean() else step.label


def vocabulary(key: str, code: Any) -> str:
    """A code (a domain, a status, a metric) in the dashboard's words: the Korean of the
    dashboard catalogue's ``key.code`` (``vocab.domain.employment`` → 채용·고용), so the CLI
    and the dashboard name a thing alike; the code itself in English or when unlisted."""
    if code is None or not korean():
        return code
    from haechi.web.i18n import catalog

    return catalog("ko").get(f"{key}.{code}", str(code))
