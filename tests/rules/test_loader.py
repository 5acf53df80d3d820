"""Pack loading: malformed packs are refused with file, line, field and a fix; user packs
join the library; version selection follows the documented rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from haechi.domain.errors import NotFound, ValidationFailed
from haechi.rules import PackLibrary, classify, load_pack_file, load_pack_text

POLICY = """\
id: acme-policy
urn: urn:haechi:pack:acme-policy
version: 1
kind: policy
title: Acme internal AI policy
title_ko: 에이크미 내부 AI 정책
jurisdiction: KR
market_codes: [KR]
published: 2026-03-01
sources:
  - {key: POLICY, title: Acme AI policy 2026}
scope: acme.scope
rules:
  - id: acme.scope
    article: "1"
    citation: Acme AI policy Art. 1
    title: Every system offered in Korea
    title_ko: 국내 제공 시스템
    when: "markets contains KR"
  - id: acme.people
    article: "2"
    citation: Acme AI policy Art. 2
    title: Decides about people
    title_ko: 사람에 관한 결정
    when:
      any:
        - {field: profiling, eq: true}
        - {field: domains, contains_any: [employment, credit]}
obligations:
  - id: acme.2.1.fairness-review
    article: "2(1)"
    citation: Acme AI policy Art. 2(1)
    title: Review fairness every quarter
    title_ko: 분기별 공정성 검토
    description: Review fairness metrics every quarter.
    description_ko: 분기마다 공정성 지표를 검토한다.
    topic: measurement
    binds: [developer, deployer]
    when: {rule: acme.people}
    effective_from: 2026-04-01
"""


def _problems(text: str, name: str = "policy.yaml") -> list[str]:
    with pytest.raises(ValidationFailed) as info:
        load_pack_text(text, name)
    return [issue.render() for issue in info.value.issues]


def test_valid_policy_pack_loads_and_classifies() -> None:
    loaded = load_pack_text(POLICY, "policy.yaml")
    library = PackLibrary([loaded])
    card = {"id": "scorer", "name": "Scorer", "markets": ["KR"], "roles": ["deployer"],
            "domains": ["credit"]}
    result = classify(card, as_of=dt.date(2026, 5, 1), library=library).results[0]
    assert result.obligation("acme.2.1.fairness-review").status == "applies"
    assert result.obligation("acme.2.1.fairness-review").reasons == ["domains include 'credit'"]


@pytest.mark.parametrize(("change", "expected"), [
    (("field: profiling, eq: true", "field: profilng, eq: true"),
     "policy.yaml:27 rules[1].when.any[0].field: unknown card field 'profilng' — did you mean 'profiling'?"),
    (("contains_any: [employment, credit]", "contains_any: [employmnt, credit]"),
     "policy.yaml:28 rules[1].when.any[1].contains_any: 'employmnt' is not a value of 'domains' — "
     "did you mean 'employment'?"),
    (("eq: true}", "equals: true}"),
     "policy.yaml:27 rules[1].when.any[0].equals: unknown operator 'equals' — use one of: eq, ne,"),
    (("when: {rule: acme.people}", "when: {rule: acme.peple}"),
     "policy.yaml:39 obligations[0].when: refers to undefined rule 'acme.peple'"),
    (('article: "2(1)"', 'article: "§ 2(1)"'),
     "policy.yaml:31 obligations[0].article: article '§ 2(1)' is not in the expected form"),
    (("topic: measurement", "topic: fairness"),
     "policy.yaml:37 obligations[0].topic: unknown topic 'fairness'"),
    (("version: 1", "version: one"), "policy.yaml:3 version: Input should be a valid integer"),
    (("published: 2026-03-01", "published: March 2026"), "policy.yaml:9 published:"),
    (('when: "markets contains KR"', 'when: "markets contains"'),
     "policy.yaml:19 rules[0].when: cannot read condition 'markets contains'"),
    (('when: "markets contains KR"', 'when: "significant_impact gte 3"'),
     "policy.yaml:19 rules[0].when.gte: 'gte' needs a number or date field"),
])
def test_malformed_packs_name_line_field_and_fix(change: tuple[str, str], expected: str) -> None:
    text = POLICY.replace(*change)
    assert text != POLICY
    problems = _problems(text)
    assert any(p.startswith(expected) for p in problems), problems


def test_rule_cycles_and_duplicates_are_refused() -> None:
    text = POLICY.replace("        - {field: profiling, eq: true}", "        - {rule: acme.people}")
    assert any("cycle: acme.people → acme.people" in p for p in _problems(text))
    dup = POLICY.replace("  - id: acme.people", "  - id: acme.scope")
    assert any("duplicate id 'acme.scope'" in p for p in _problems(dup))


def test_classes_may_not_read_the_date() -> None:
    text = POLICY.replace("    when: {rule: acme.people}", '    when: "$as_of >= 2026-01-01"')
    assert any("'$as_of' may only be read in notes" in p for p in _problems(text))


def test_yaml_syntax_error_names_the_line() -> None:
    problems = _problems(POLICY.replace("title_ko: 분기별 공정성 검토", "title_ko: [unclosed"))
    assert problems and ":" in problems[0] and "not valid YAML" in problems[0]


def test_user_packs_directory(tmp_path: Path) -> None:
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "v1.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / "acme" / "v2.yaml").write_text(
        POLICY.replace("version: 1", "version: 2").replace("published: 2026-03-01", "published: 2026-09-01")
        .replace("every quarter", "every month"), encoding="utf-8")
    library = PackLibrary.load(tmp_path)
    assert [p.ref for p in library.versions("acme-policy")] == ["acme-policy@1", "acme-policy@2"]
    assert library.select("acme-policy", dt.date(2026, 6, 1)).pack.version == 1
    assert library.select("acme-policy", dt.date(2026, 9, 1)).pack.version == 2
    assert library.select("acme-policy", dt.date(2025, 1, 1)).pack.version == 1
    assert "before its publication" in library.select("acme-policy", dt.date(2025, 1, 1)).note
    assert "acme-policy" in library.for_markets(["KR"]) and "kr-ai-basic-act" in library.ids()
    assert load_pack_file(tmp_path / "acme" / "v1.yaml").origin == "user"


def test_conflicting_versions_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(POLICY.replace("every quarter", "twice a year"), encoding="utf-8")
    with pytest.raises(ValidationFailed, match="defined twice with different content"):
        PackLibrary.load(tmp_path)


def test_broken_user_pack_is_reported_with_its_file(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(POLICY.replace("topic: measurement", "topic: nope"), "utf-8")
    with pytest.raises(ValidationFailed) as info:
        PackLibrary.load(tmp_path)
    assert info.value.issues[0].file.endswith("broken.yaml")
    assert info.value.issues[0].line == 37


def test_eu_version_follows_the_omnibus_entry_into_force() -> None:
    """Regulation (EU) 2026/1744 was published 2026-07-24 and entered into force 2026-07-27:
    the amended text governs from the 27th, the original text before (not the publication day)."""
    library = PackLibrary.shipped()
    for day, version in ((dt.date(2026, 7, 23), 1), (dt.date(2026, 7, 24), 1), (dt.date(2026, 7, 26), 1),
                         (dt.date(2026, 7, 27), 2), (dt.date(2026, 12, 6), 2)):
        chosen = library.select("eu-ai-act", day)
        assert chosen.pack.version == version, day
        assert chosen.pack.pack.status == "adopted"
    assert "in force from 2026-07-27" in library.select("eu-ai-act", dt.date(2026, 12, 6)).note
    assert library.select("eu-ai-act@1", dt.date(2026, 12, 6)).pack.version == 1
    assert library.latest("eu-ai-act").version == 2


def test_provisional_versions_only_when_asked(tmp_path: Path) -> None:
    """The generic mechanism for a text not yet adopted (no shipped pack uses it today)."""
    draft = POLICY.replace("version: 1", "version: 2\nstatus: provisional")
    (tmp_path / "v1.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / "v2.yaml").write_text(draft, encoding="utf-8")
    library = PackLibrary.load(tmp_path, include_shipped=False)
    late = dt.date(2030, 1, 1)
    assert library.select("acme-policy", late).pack.version == 1
    assert library.select("acme-policy", late, provisional=True).pack.version == 2
    assert library.select("acme-policy@2", late).pack.version == 2
    library = PackLibrary.shipped()
    with pytest.raises(NotFound, match="has no version 9"):
        library.get("eu-ai-act@9")
    with pytest.raises(NotFound, match="did you mean 'eu-ai-act'"):
        library.get("eu-ai-akt")
    with pytest.raises(ValidationFailed, match="whole number"):
        library.get("eu-ai-act@two")


def test_law_packs_need_the_spec_article_form() -> None:
    law = POLICY.replace("kind: policy", "kind: law").replace('article: "2(1)"', 'article: "Art. 2 para 1"')
    assert any("article 'Art. 2 para 1' is not in the expected form — write digits then each paragraph"
               in p for p in _problems(law))
