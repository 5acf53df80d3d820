"""``haechi reminders …``: what is due when, for which system and whom; test the e-mail channel.

JSON output of ``due`` is :meth:`haechi.reminders.service.RemindersService.due`:
``{timezone, as_of, days, items: [{kind, ref, system, title, title_ko, due_date,
due_at, due_local, days_left, urgency, whom, citation, calendar_due_date, moved}], total}``.
"""

from __future__ import annotations

from typing import Any

import typer

from haechi.domain.errors import ValidationFailed

from .common import OrgOption, TabularFormat, TabularOption, cli_actor, emit, open_haechi, success
from .language import korean, tr

app = typer.Typer(help="Reminders: due dates of evidence, controls, plans, risks, regulator clocks and passports.",
                  no_args_is_help=True)


def _rows(data: dict[str, Any], words: bool) -> list[dict[str, Any]]:
    """Table rows; with ``words`` a Korean reader gets the Korean labels the dashboard and the
    e-mails show (CSV keeps the codes)."""
    def _label(item: dict[str, Any], key: str, code: str) -> Any:
        return item.get(f"{key}_ko") or item.get(code) if words and korean() else item.get(code)
    return [{"due_date": i["due_date"], "urgency": _label(i, "urgency_label", "urgency"),
             "kind": _label(i, "kind_label", "kind"), "ref": i["ref"], "system": i["system"] or "—",
             "title": _label(i, "title", "title"), "whom": ", ".join(i["whom"]) or "—",
             "moved": (i["calendar_due_date"] and tr("reminders.moved", "from {date}", date=i["calendar_due_date"]))
             or ""} for i in data["items"]]


@app.command("due")
def due(days: int = typer.Option(7, "--days", "-d", help="look this many days ahead (0-366); overdue items "
                                  "are always listed"),
        system: str | None = typer.Option(None, "--system", "-s", help="only this system"),
        person: str | None = typer.Option(None, "--person", "-p", help="only what this e-mail address answers for"),
        org: str | None = OrgOption, fmt: TabularFormat = TabularOption) -> None:
    """List what is due (dates in the organisation's time zone; Korean periods rolled past holidays)."""
    hc = open_haechi()
    actor = cli_actor(hc, org)
    if system:
        hc.systems.get(actor, system)  # an unknown system is an error, not an empty list
    data = hc.reminders.due(actor, days, system=system, person=person)
    if fmt.value == "json":
        emit(data, "json")
        return
    emit(_rows(data, words=fmt is TabularFormat.table), fmt.value,
         columns=("due_date", "urgency", "kind", "ref", "system", "title", "whom", "moved"),
         title=tr("reminders.title", "{n} item(s) due within {days} day(s), dates in {zone}", n=data["total"],
                  days=days, zone=data["timezone"]))


@app.command("test-email")
def test_email(to: str = typer.Argument(..., help="address to send a test reminder to"),
               lang: str = typer.Option("ko", "--lang", help="language of the message: ko or en"),
               org: str | None = OrgOption) -> None:
    """Send this week's due list to one address through the configured SMTP server (checks TLS and login)."""
    if lang not in ("ko", "en"):
        raise ValidationFailed(f"--lang must be ko or en, not '{lang}'",
                               key="cli.lang_must_ko_en", values={"lang": lang})
    hc = open_haechi()
    outcome = hc.reminders.send_test(cli_actor(hc, org), to, lang)
    if not outcome["ok"]:
        raise ValidationFailed(f"the e-mail was not sent: {outcome['detail']}",
                               key="cli.e_mail_was_not", values={"detail": outcome["detail"]})
    success(tr("reminders.sent", "sent to {to}", to=to))
