"""``haechi org facts …``: the organisation's operator facts, entered once for every system.

``set`` changes only the facts it is given (``--unset FIELD`` makes one unknown again);
every system is classified again under the new facts. A card states its own operator
values only where the system belongs to another legal entity.
"""

from __future__ import annotations

from typing import Any

import typer

from haechi.domain.card import Operator
from haechi.domain.errors import ValidationFailed
from haechi.domain.operator import OPERATOR_FIELDS
from haechi.domain.validation import parse_model
from haechi.registry.orgfacts import OrgFacts

from .common import Format, FormatOption, OrgOption, cli_actor, emit, open_haechi, print_table, success
from .language import tr

app = typer.Typer(help="The organisation: its operator facts (shared by every system card).", no_args_is_help=True)
facts_app = typer.Typer(help="Operator facts: name, country, Korean office, revenue, users in Korea, fines, "
                             "public body.", no_args_is_help=True)
app.add_typer(facts_app, name="facts")


def _show(facts: OrgFacts) -> None:
    values = facts.facts.model_dump(mode="json")
    unknown = tr("org.facts.unknown", "unknown")
    print_table([{"field": name, "value": unknown if values[name] is None else values[name]}
                 for name in OPERATOR_FIELDS], ("field", "value"),
                title=tr("org.facts.title", "organisation facts, revision {revision} by {actor}",
                         revision=facts.revision, actor=facts.actor or "—"))


@facts_app.command("show")
def show(org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Show the organisation's operator facts."""
    hc = open_haechi()
    facts = hc.org_facts.current(cli_actor(hc, org))
    emit(facts.to_dict(), fmt.value, table=lambda _: _show(facts))


@facts_app.command("set")
def set_(name: str | None = typer.Option(None, help="legal name of the operator"),
         country: str | None = typer.Option(None, help="ISO 3166-1 alpha-2 country code, e.g. KR"),
         korean_office: bool | None = typer.Option(None, "--korean-office/--no-korean-office",
                                                   help="has an address or business office in Korea"),
         annual_revenue_krw: int | None = typer.Option(None, help="prior-year total revenue in KRW"),
         ai_revenue_krw: int | None = typer.Option(None, help="prior-year revenue from AI services in KRW"),
         avg_daily_users_kr: int | None = typer.Option(None, help="average daily users in Korea"),
         fined: bool | None = typer.Option(None, "--fined/--not-fined",
                                           help="fined for not complying with an order (KR Art. 43)"),
         public_body: bool | None = typer.Option(None, "--public-body/--not-public-body",
                                                 help="a state agency, local government or public institution"),
         unset: list[str] = typer.Option([], "--unset", help="make this fact unknown again (repeatable)"),
         note: str | None = typer.Option(None, help="why the facts changed"),
         expect_revision: int | None = typer.Option(None, help="refuse if the current revision differs"),
         org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Change the facts given; every system is classified again under them."""
    unknown = [u for u in unset if u not in OPERATOR_FIELDS]
    if unknown:
        raise ValidationFailed(f"--unset {unknown[0]}: not an operator fact; use one of {', '.join(OPERATOR_FIELDS)}",
                               key="cli.unset_not_operator_fact",
                               values={"unknown": unknown[0], "operator_fields": ", ".join(OPERATOR_FIELDS)})
    given = {"name": name, "country": country, "korean_office": korean_office,
             "annual_revenue_krw": annual_revenue_krw, "ai_revenue_krw": ai_revenue_krw,
             "avg_daily_users_kr": avg_daily_users_kr, "fined_for_order_noncompliance": fined,
             "public_body": public_body}
    hc = open_haechi()
    actor = cli_actor(hc, org)
    current = hc.org_facts.current(actor)
    merged: dict[str, Any] = current.facts.model_dump(mode="json", exclude_none=True)
    merged.update({k: v for k, v in given.items() if v is not None})
    for field in unset:
        merged.pop(field, None)
    facts = parse_model(Operator, merged, what="organisation facts", what_ko="회사 정보")
    stored = hc.org_facts.set(actor, facts, expected_revision=expect_revision, note=note)
    emit(stored.to_dict(), fmt.value,
         table=lambda _: success(tr("org.facts.saved", "organisation facts → revision {revision} ({changes} "
                                    "change(s)); every system was classified again",
                                    revision=stored.revision, changes=len(stored.changes))))


@facts_app.command("history")
def history(org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Every revision of the facts, newest first: who changed what, and when."""
    hc = open_haechi()
    items = [r.to_dict() for r in hc.org_facts.history(cli_actor(hc, org))]
    emit(items, fmt.value, rows=lambda data: [
        {"revision": i["revision"], "at": i["created_at"], "actor": i["actor"],
         "changes": ", ".join(c["field"].removeprefix("operator.") for c in i["changes"]), "note": i["note"] or ""}
        for i in data], columns=("revision", "at", "actor", "changes", "note"))


@facts_app.command("lift")
def lift(org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Once: take the operator values every card repeats into the organisation's facts."""
    hc = open_haechi()
    result = hc.org_facts.lift_from_cards(cli_actor(hc, org))
    if not result["lifted"]:
        emit(result, fmt.value, table=lambda _: success(tr(
            "org.facts.nothing_to_lift",
            "nothing to lift: the organisation has facts already, or the cards share no operator value")))
        return
    emit(result, fmt.value, table=lambda _: success(tr(
        "org.facts.lifted", "lifted {fields} from {cards} card(s) into the organisation",
        fields=", ".join(result["lifted"]), cards=len(result["systems"]))))
