"""A user's own law pack is shown and wired exactly like a shipped one: list order,
crosswalk prefix, comparison column, portfolio headline and transparency duties all come
from the pack file, so adding a law needs no Python."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from haechi.auth.roles import Actor
from haechi.core import Haechi
from haechi.domain.card import SystemCard
from haechi.domain.errors import ValidationFailed
from haechi.rules import PackLibrary
from haechi.rules.crosswalk import parse_query
from haechi.settings import Settings
from haechi.transparency.duties import LABEL_DUTIES, NOTICE_DUTIES

#: A fictional country's AI law (jurisdiction XA is a user-assigned ISO code).
ACME_LAW = textwrap.dedent("""\
    id: acme-ai-act
    urn: urn:haechi:pack:acme-ai-act
    version: 1
    kind: law
    title: Acme Country Artificial Intelligence Act
    title_ko: 에이크미국 인공지능법
    short_title: Acme AI Act
    jurisdiction: XA
    published: 2026-01-01
    presentation:
      order: 15
      prefix: acme
      compare: 4
      headline_class: risk_level
      high_impact: {class: risk_level, value: "yes"}
    duties:
      - {key: acme_notice, kind: notice, citation: "Acme AI Act Art. 5", citation_ko: "에이크미 AI법 제5조"}
      - {key: acme_label, kind: label, citation: "Acme AI Act Art. 6", citation_ko: "에이크미 AI법 제6조"}
    sources:
      - {key: ACME, title: Acme AI Act 2026}
    scope: acme.scope
    rules:
      - id: acme.scope
        article: "1"
        citation: Acme AI Act Art. 1
        title: Systems offered in Acme
        title_ko: 에이크미에서 제공되는 시스템
        when: "markets contains XA"
      - id: acme.people
        article: "3"
        citation: Acme AI Act Art. 3
        title: Decides about jobs
        title_ko: 채용에 관한 결정
        when: {field: domains, contains_any: [employment]}
    classes:
      - {id: risk_level, title: Significant system, title_ko: 중요 시스템, rule: acme.people}
    obligations:
      - id: acme.5.notice
        article: "5"
        citation: Acme AI Act Art. 5
        title: Tell people they deal with AI
        title_ko: AI 이용 사실 고지
        description: Tell people before they use the system that it is AI.
        description_ko: 이용 전에 AI임을 알린다.
        topic: transparency_notice
        duty: acme_notice
        binds: []
        effective_from: 2026-01-01
      - id: acme.6.label
        article: "6"
        citation: Acme AI Act Art. 6
        title: Label generated output
        title_ko: 생성물 표시
        description: Label what the system generates.
        description_ko: 생성물에 표시한다.
        topic: output_labelling
        duty: acme_label
        binds: []
        when: {field: generative.modalities, contains_any: [text, image, audio, video]}
        effective_from: 2026-01-01
    """)

ACME_CROSSWALK = textwrap.dedent("""\
    kind: crosswalk
    id: acme-crosswalk
    version: 1
    title: Acme AI Act to the Korean AI Basic Act
    title_ko: 에이크미 AI법과 한국 AI기본법
    source_pack: acme-ai-act
    entries:
      - id: A1
        topic: transparency_notice
        title: Advance notice
        title_ko: 사전 고지
        from: {refs: ["5"], citation: Acme AI Act Art. 5, obligations: [acme.5.notice]}
        links:
          - pack: kr-ai-basic-act
            refs: ["31(1)"]
            relationship: equal
            rationale: Both ask for a notice before use.
            rationale_ko: 둘 다 이용 전 고지를 요구한다.
    """)

HIRING = {"id": "acme-hiring", "name": "Acme hiring screener", "description": "Ranks job applications.",
          "markets": ["XA"], "roles": ["deployer"], "domains": ["employment"], "generative": {"modalities": []},
          "owners": {"oversight": {"name": "Kim", "email": "ai@acme.example"}}}


@pytest.fixture
def packs_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "acme-ai-act.yaml").write_text(ACME_LAW, encoding="utf-8")
    (folder / "acme-crosswalk.yaml").write_text(ACME_CROSSWALK, encoding="utf-8")
    return folder


@pytest.fixture
def acme(packs_dir: Path) -> Iterator[tuple[Haechi, Actor]]:
    hc = Haechi(Settings(packs_dir=packs_dir), memory=True)
    hc.accounts.create_org("acme", "Acme Corp")
    actor = hc.local_actor("acme")
    hc.systems.add(actor, SystemCard.model_validate(HIRING))
    try:
        yield hc, actor
    finally:
        hc.close()


def test_the_library_orders_and_prefixes_a_user_pack_from_its_own_data(packs_dir: Path) -> None:
    library = PackLibrary.load(packs_dir)
    assert library.ids() == ["kr-ai-basic-act", "acme-ai-act", "eu-ai-act", "eu-cra", "jp-ai-promotion",
                             "cn-ai", "nist-ai-rmf", "us-state-ai", "iso-42001"]
    assert library.prefixes()["acme"] == "acme-ai-act"
    assert parse_query("acme:5", library.prefixes()) == ("acme-ai-act", "5")
    assert library.compared() == ["kr-ai-basic-act", "eu-ai-act", "jp-ai-promotion", "acme-ai-act", "cn-ai",
                                  "us-state-ai", "eu-cra", "nist-ai-rmf", "iso-42001"]


def test_a_user_pack_is_a_comparison_column_and_answers_crosswalk_lookups(acme: tuple[Haechi, Actor]) -> None:
    hc, actor = acme
    # Offered only in Acme: by default the table shows the Acme law alone.
    assert [c["pack"] for c in hc.rules.compare(actor, "acme-hiring")["columns"]] == ["acme-ai-act"]
    table = hc.rules.compare(actor, "acme-hiring", include_all=True)
    columns = {c["pack"]: c for c in table["columns"]}
    assert list(columns) == ["kr-ai-basic-act", "eu-ai-act", "jp-ai-promotion", "acme-ai-act", "cn-ai",
                             "us-state-ai", "eu-cra", "nist-ai-rmf", "iso-42001"]
    assert columns["acme-ai-act"]["offered"] is True and columns["acme-ai-act"]["title"] == "Acme AI Act"
    notice_row = next(r for r in table["rows"] if r["topic"] == "transparency_notice")
    assert [o["id"] for o in notice_row["cells"]["acme-ai-act"]] == ["acme.5.notice"]
    entries = hc.rules.crosswalk(actor, "acme:5")
    assert [e["entry"] for e in entries] == ["A1"] and entries[0]["links"][0]["pack"] == "kr-ai-basic-act"
    back = hc.rules.crosswalk(actor, "kr:31(1)")
    assert any(e["crosswalk"] == "acme-crosswalk" and e["direction"] == "reverse" for e in back)


def test_the_portfolio_headline_of_a_user_pack_is_its_declared_class(acme: tuple[Haechi, Actor]) -> None:
    hc, actor = acme
    portfolio = hc.reports.report_model(actor, "portfolio", "en")
    cell = portfolio["rows"][0]["packs"]["acme-ai-act"]
    assert (cell["headline_class"], cell["headline"]) == ("risk_level", "yes")
    assert portfolio["packs"] == ["acme-ai-act"]


def test_a_system_in_the_user_packs_market_gets_its_transparency_duties(acme: tuple[Haechi, Actor]) -> None:
    hc, actor = acme
    duties = hc.transparency.duties(actor, "acme-hiring")
    assert [(d.key, d.pack, d.citation) for d in duties.active(NOTICE_DUTIES)] == [
        ("acme_notice", "acme-ai-act", "Acme AI Act Art. 5")]
    assert duties.active(LABEL_DUTIES) == [] and duties.high_impact is True
    content = hc.transparency.notice(actor, "acme-hiring").content
    assert content.required is True and content.citations["en"] == ["Acme AI Act Art. 5"]
    assert content.high_impact is True


def test_cli_compare_and_crosswalk_read_the_user_packs(cli, packs_dir: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import json
    monkeypatch.setenv("HAECHI_PACKS_DIR", str(packs_dir))
    card = tmp_path / "card.json"
    card.write_text(json.dumps(HIRING), encoding="utf-8")
    data = cli("compare", str(card), "--format", "json").json()
    assert [c["pack"] for c in data["columns"]] == ["acme-ai-act"]
    assert [c["pack"] for c in cli("compare", str(card), "--all", "--format", "json").json()["columns"]][3] == (
        "acme-ai-act")
    walk = cli("crosswalk", "acme:5", "--format", "json")
    assert walk.code == 0 and walk.json()[0]["entry"] == "A1"


@pytest.mark.parametrize(("change", "expected"), [
    (("prefix: acme", "prefix: kr"), "presentation.prefix: prefix 'kr' is already used by kr-ai-basic-act@1"),
    (("acme_notice", "advance_notice"), "duties: duty key 'advance_notice' is already used"),
    (("duty: acme_label", "duty: acme_labels"), "obligations[1].duty: duty 'acme_labels' is not declared"),
    (("headline_class: risk_level", "headline_class: tier"), "presentation.headline_class: class 'tier'"),
    (("high_impact: {class: risk_level", "high_impact: {class: nope"), "presentation.high_impact: class 'nope'"),
    (("kind: notice", "kind: banner"), "duties[0].kind"),
])
def test_bad_presentation_data_is_refused_naming_the_field(packs_dir: Path, change: tuple[str, str],
                                                           expected: str) -> None:
    path = packs_dir / "acme-ai-act.yaml"
    path.write_text(ACME_LAW.replace(*change), encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        PackLibrary.load(packs_dir)
    rendered = " | ".join(i.render() for i in info.value.issues) + " " + info.value.message
    assert expected in rendered and "acme-ai-act.yaml" in rendered
