"""``haechi doctor``: check the installation and say what to fix."""

from __future__ import annotations

import typer
from rich.markup import escape

from haechi.settings import Settings

from .common import Format, FormatOption, console, print_json
from .language import cli_language, tr

MARKS = {"pass": "[green]✓[/green]", "warn": "[yellow]![/yellow]", "fail": "[red]✗[/red]", "skip": "[dim]–[/dim]"}
SUMMARY = {
    ("en", True): "All checks passed{warned}.",
    ("en", False): "{failed} check(s) failed: fix them and run 'haechi doctor' again.",
    ("ko", True): "모든 검사를 통과했습니다{warned}.",
    ("ko", False): "{failed}개 검사가 실패했습니다: 고친 뒤 'haechi doctor'를 다시 실행하세요.",
}
WARNED = {"en": " ({n} warning(s))", "ko": " (경고 {n}개)"}


def doctor(fmt: Format = FormatOption,
           lang: str | None = typer.Option(None, "--lang", help="ko or en (default HAECHI_LANG)"),
           check: list[str] = typer.Option([], "--check", help="run only this check (repeatable)")) -> None:
    """Check the installation: database and schema, keys, secret, disk, time zones, PDF fonts, e-mail.

    Exit code 0 when nothing failed (warnings allowed), 1 when a check failed.
    """
    from haechi.doctor import check_names, diagnose, healthy

    settings = Settings()
    lang = lang or cli_language()
    if lang not in ("ko", "en"):
        raise typer.BadParameter(tr("doctor.lang", "'{lang}': use ko or en", lang=lang), param_hint="--lang")
    unknown = [c for c in check if c not in check_names()]
    if unknown:
        raise typer.BadParameter(tr("doctor.unknown", "unknown check {unknown}; checks: {checks}",
                                    unknown=", ".join(unknown), checks=", ".join(check_names())), param_hint="--check")
    findings = diagnose(settings, check or None)
    ok = healthy(findings)
    if fmt == Format.json:
        print_json({"ok": ok, "home": str(settings.home), "checks": [f.to_dict() for f in findings]})
    else:
        for finding in findings:
            message, fix = finding.text(lang)
            console.print(f"{MARKS[finding.status]} [bold]{finding.check}[/bold]  {escape(message)}", soft_wrap=True)
            if fix and finding.status in ("warn", "fail"):
                console.print(f"    → {escape(fix)}", soft_wrap=True)
        warnings = sum(f.status == "warn" for f in findings)
        failed = sum(f.status == "fail" for f in findings)
        warned = WARNED[lang].format(n=warnings) if warnings else ""
        console.print(SUMMARY[(lang, ok)].format(failed=failed, warned=warned))
    if not ok:
        raise typer.Exit(1)


def register(root: typer.Typer) -> None:
    root.command("doctor")(doctor)
