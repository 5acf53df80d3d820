"""Korean pages say things in Korean: the fixes the walk asked for, checked quickly in-process,
and the walk's own rule for telling English prose from names, codes and citations."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from haechi import Haechi
from haechi.api import create_app
from haechi.demo.company import demo_card
from tests.conftest import web_login

from .language import english_in

HTML = {"Accept": "text/html"}


@pytest.fixture
def korean(hc: Haechi):  # type: ignore[no-untyped-def]
    """Signed in as an administrator of 한빛정밀 with Korean chosen; one system, changed once."""
    hc.accounts.create_org("hanbit", "Hanbit Precision Co., Ltd.", "한빛정밀")
    admin = hc.local_actor("hanbit")
    hc.accounts.create_user(admin, "ana@hanbit.example", "admin", "password-123")
    card = demo_card("hiring-screener")
    hc.systems.add(admin, card)
    hc.systems.update(admin, card.model_copy(update={"human_final_decision": True, "roles": ["developer", "deployer"]}))
    with TestClient(create_app(hc=hc), follow_redirects=False) as client:
        assert web_login(client, "ana@hanbit.example", "password-123").status_code == 303
        client.cookies.set("haechi_lang", "ko")
        client.hc = hc  # type: ignore[attr-defined]
        client.admin = admin  # type: ignore[attr-defined]
        yield client


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)  # type: ignore[union-attr]


def test_system_pages_are_titled_with_the_korean_name(korean: TestClient) -> None:
    for tab in ("", "/history", "/compliance", "/documents", "/esg", "/transparency"):
        page = korean.get(f"/systems/hiring-screener{tab}", headers=HTML)
        assert page.status_code == 200, tab
        assert _title(page.text).startswith("지원자 서류 심사 보조 AI"), (tab, _title(page.text))


def test_card_history_shows_yes_no_and_vocabulary_not_python_values(korean: TestClient) -> None:
    page = korean.get("/systems/hiring-screener/history", headers=HTML).text
    changes = page[page.index("<tbody>"):]
    assert ">False<" not in changes and ">True<" not in changes and "['" not in changes
    assert "아니요" in changes and "예" in changes and "개발사업자" in changes


def test_compliance_overview_names_systems_in_korean(korean: TestClient) -> None:
    page = korean.get("/compliance", headers=HTML).text
    assert ">지원자 서류 심사 보조 AI</a>" in page
    assert "Applicant screening assistant" not in page


def test_document_log_reads_in_korean(korean: TestClient) -> None:
    korean.hc.reports.dossier(korean.admin, "hiring-screener", variant="model-card", lang="ko", fmt="html")  # type: ignore[attr-defined]
    page = korean.get("/reports", headers=HTML).text
    assert "문서철 · 모델 카드 · HTML · 한국어" in page


@pytest.mark.parametrize(("text", "english"), [
    ("근거: AI Basic Act Art. 34(1)(2), Art. 3(2); Enforcement Decree Art. 27(1); EU AI Act Art. 13", []),
    ("Regulation (EU) 2024/1689 Art. 11 and Annex IV ·", []),
    ("Haechi 해치 · hiring-screener · ml@hanbit.example · /systems/x · 7,920 kWh · tCO2e · ISO/IEC 42001", []),
    ("inventory.csv 파일을 올리세요 (https://example.org)", []),
    ("AI Basic Act", ["Basic", "Act"]),  # a law's name without an article is prose: 인공지능기본법
    ("사업자 역할: deployer (developer or deployer 의무)", ["deployer", "developer", "or"]),
    ("Monitoring alert: ks brightness = 0.91", ["Monitoring", "alert", "ks", "brightness"]),
    ("True", ["True"]),
    ("표시하지 않은 법(다른 시장, --all로 표시)", []),
    ("모두 보려면 --all 또는 all 옵션", ["all"]),
])
def test_the_walk_tells_english_prose_from_names_codes_and_citations(text: str, english: list[str]) -> None:
    assert english_in(text) == english


def test_why_an_obligation_has_its_state_reads_in_korean(korean: TestClient) -> None:
    page = korean.get("/systems/hiring-screener/compliance", headers=HTML).text
    assert "아직 운영되지 않음: C-" in page
    assert "not yet operating" not in page
    assert "부족: " in page and not re.search(r"부족: [a-z_]+", page)  # missing evidence named in Korean
    status = korean.get("/api/v1/systems/hiring-screener/status").json()
    unmet = next(o for o in status["obligations"] if o["state"] == "unmet")
    assert unmet["why"].startswith("not yet operating: C-") and unmet["why_key"] == "not_operating"


def test_pack_page_names_who_an_obligation_binds_in_korean(korean: TestClient) -> None:
    page = korean.get("/packs/eu-ai-act", headers=HTML).text
    assert "<td>이용사업자</td>" in page and "<td>deployer</td>" not in page


def test_the_cards_english_name_and_description_are_marked_as_english(korean: TestClient) -> None:
    page = korean.get("/systems/hiring-screener", headers=HTML).text
    assert '<dd lang="en">Applicant screening assistant</dd>' in page
    assert '<dd lang="en">Ranks job applications' in page


def _fairness_alert(system: str, number: int) -> dict[str, object]:
    return {"id": number, "system": system, "monitor": "fairness", "window_start": "2026-03-01T00:00:00+00:00",
            "window_end": "2026-03-02T00:00:00+00:00", "metric": "demographic_parity_difference",
            "family": "fairness", "scope": "age_band", "group": None, "value": 0.14, "threshold": {"max": 0.1},
            "n": 1000, "created_at": "2026-03-02T00:00:00+00:00"}


def _visible(html: str) -> str:
    body = html[html.index("<main"):] if "<main" in html else html
    body = re.sub(r"<(script|style|code)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r'<[^>]+lang="en"[^>]*>.*?</[^>]+>', " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_alert_incident_timeline_and_report_drafts_read_in_korean(korean: TestClient) -> None:
    """An alert's incident: its title, description, timeline and both report drafts, with
    thresholds and categories in words (no Python values), while the API keeps its English."""
    from haechi.events import AlertsRaised

    hc, admin = korean.hc, korean.admin  # type: ignore[attr-defined]
    with hc.db.transaction() as s:
        hc.events.publish(AlertsRaised(s, admin, [_fairness_alert("hiring-screener", 1)]))
    with hc.db.transaction() as s:
        hc.events.publish(AlertsRaised(s, admin, [_fairness_alert("hiring-screener", 2)]))
    hc.compliance.incidents.classify(admin, "INC-1", categories=["fundamental_rights_infringement"])
    hc.compliance.incidents.set_status(admin, "INC-1", "investigating")
    hc.compliance.incidents.add_action(admin, "INC-1", "모델 재학습")
    hc.compliance.incidents.complete_action(admin, "INC-1", 1)
    incident = hc.compliance.incidents.get(admin, "INC-1")
    # the API keeps its English, without Python values
    assert incident["title"].startswith("Monitoring alert: ") and "max 0.1" in incident["title"]
    assert not any("{" in e["text"] or "[" in e["text"] for e in incident["timeline"])
    for url in ("/compliance/incidents", "/compliance/incidents/INC-1"):
        html = korean.get(url, headers=HTML).text
        page, _, drafts = html.partition('<section class="panel report-draft"')
        text = _visible(page)
        assert "최대 0.1" in text and "<code>age_band</code>" in page, url
        assert set(english_in(text)) <= {"cli", "root"}, (url, english_in(text))  # the actor's label
        assert english_in(_title(html)) == [], _title(html)
        # the drafts' column and monitor names are marked as code; left: the actor's label, the model's name
        assert set(english_in(_visible(drafts))) <= {"cli", "root", "screener-gbm"}, english_in(_visible(drafts))
        assert "{'" not in drafts


def test_control_history_and_automatic_evidence_read_in_korean(korean: TestClient) -> None:
    from haechi.events import AlertsRaised

    hc, admin = korean.hc, korean.admin  # type: ignore[attr-defined]
    control = next(c for c in hc.compliance.controls.list(admin, system="hiring-screener")
                   if c["key"] == "risk-management")["ref"]
    hc.compliance.controls.transition(admin, control, "in_progress")
    hc.compliance.evidence.add_record(admin, {"plan": 1}, system="hiring-screener", controls=[control],
                                      evidence_type="plan", title="위험관리방안")
    # a high-impact system: a second person accepts the evidence and approves the move (four eyes)
    hc.accounts.create_user(admin, f"reviewer@{admin.org_slug}.example", "editor", "password-123")
    reviewer = hc.accounts.authenticate(f"reviewer@{admin.org_slug}.example", "password-123")
    for item in hc.compliance.reviews.pending(reviewer):
        hc.compliance.reviews.decide(reviewer, item["ref"], True, "서명본 확인")
    hc.compliance.controls.transition(admin, control, "operating", "증적 검토 완료")
    hc.compliance.controls.decide(reviewer, control, True, "증빙 재확인")
    with hc.db.transaction() as s:
        hc.events.publish(AlertsRaised(s, admin, [_fairness_alert("hiring-screener", 1)]))
    assert hc.compliance.controls.get(admin, control)["status"] == "needs_review"
    for url in (f"/compliance/controls/{control}", "/systems/hiring-screener/compliance"):
        page = korean.get(url, headers=HTML)
        assert page.status_code == 200, url
        text = _visible(page.text)
        if url.startswith("/compliance/controls"):  # the status reason and the history
            assert text.count("검토 필요로 변경: 해결되지 않은 부정 증적: E-") == 2, text
        history = text
        assert "분류 결과" in text or url.startswith("/compliance/controls"), url
        found = [w for w in english_in(history) if w in {"demoted", "unresolved", "negative", "evidence",
                                                         "proposed", "because", "applies", "Monitoring",
                                                         "alert", "breaches", "window", "Classification",
                                                         "card", "revision", "max", "accepted", "approved",
                                                         "requested"}]
        assert found == [], (url, found)



def _visible_text(html: str) -> str:
    """Page text as the walk reads it: without markup, code, scripts and English-marked parts."""
    html = re.sub(r"<(script|style|code|kbd)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<(\w+)[^>]*\blang=\"en\"[^>]*>.*?</\1>", " ", html, flags=re.S)
    labels = " ".join(re.findall(r'aria-label="([^"]*)"', html))
    return re.sub(r"<[^>]+>", " ", html) + " " + labels


def test_verdict_reasons_questions_and_selection_read_in_korean(korean: TestClient) -> None:
    card = demo_card("hiring-screener").model_copy(update={"significant_impact": None, "domains": ["employment"]})
    korean.hc.systems.update(korean.admin, card)  # type: ignore[attr-defined]
    page = korean.get("/systems/hiring-screener/verdict", headers=HTML).text
    main = page[page.index('<section class="panel" id="pack-'):page.index('<section class="panel" id="compare"')]
    assert "채용·고용" in main and "개발사업자" in main
    assert english_in(_visible_text(main)) == []


@pytest.mark.parametrize("ref", ["kr-ai-basic-act@1", "kr-ai-basic-act@2", "eu-ai-act@1", "eu-ai-act@2",
                                 "iso-42001@1", "jp-ai-promotion@1", "jp-ai-promotion@2", "nist-ai-rmf@1",
                                 "cn-ai@1", "eu-cra@1", "us-state-ai@1", "us-state-ai@2"])
def test_pack_sources_notes_and_citations_read_in_korean(korean: TestClient, ref: str) -> None:
    page = korean.get(f"/packs/{ref}", headers=HTML).text
    main = page[page.index("<main"):page.index("</main>")]
    assert english_in(_visible_text(main)) == []


def test_form_citations_read_in_korean(korean: TestClient) -> None:
    for kind in ("risk_management_plan", "human_oversight", "explanation_plan", "impact_assessment"):
        form = korean.hc.compliance.documents.form(kind)  # type: ignore[attr-defined]
        parts = [form, *form["sections"], *(f for s in form["sections"] for f in s["fields"])]
        texts = [p.get("citation_ko") or p.get("citation") or "" for p in parts]
        assert [t for t in texts if english_in(t)] == [], kind
    page = korean.get("/systems/hiring-screener/plans/risk_management_plan", headers=HTML)
    assert "(overlap)" not in page.text and "(겹치는 조항)" in page.text, page.status_code


def test_compliance_page_shows_the_packs_korean_citations(korean: TestClient) -> None:
    page = korean.get("/systems/hiring-screener/compliance", headers=HTML).text
    assert "Art. 35(1) 후단" in page and "second sentence" not in page
    status = korean.get("/api/v1/systems/hiring-screener/status").json()
    assert any("second sentence" in o["citation"] for o in status["obligations"])  # the API keeps its English


def test_korean_dossier_names_alert_incidents_and_automatic_evidence_in_korean(korean: TestClient) -> None:
    from haechi.events import AlertsRaised

    hc, admin = korean.hc, korean.admin  # type: ignore[attr-defined]
    with hc.db.transaction() as s:
        hc.events.publish(AlertsRaised(s, admin, [_fairness_alert("hiring-screener", 1)]))
    document = hc.reports.dossier(admin, "hiring-screener", variant="full", lang="ko", fmt="html")
    html = document.content.decode() if isinstance(document.content, bytes) else str(document.content)
    assert "모니터링 경보: " in html and "카드 개정 " in html
    assert not {"Monitoring", "alert", "breaches", "window", "Classification"} & set(english_in(_visible(html)))


def test_revision_from_answered_questions_is_noted_in_korean(korean: TestClient) -> None:
    korean.hc.rules.answer(korean.admin, "hiring-screener", {"generative.ai_use_obvious": True})  # type: ignore[attr-defined]
    page = korean.get("/systems/hiring-screener/history", headers=HTML).text
    assert "법 팩 질문에 답함: 이름·화면·포장에서 AI 사용이 명백함" in page
    assert "answered law-pack questions" not in page
    assert korean.hc.systems.history(korean.admin, "hiring-screener")[-1].note == (  # type: ignore[attr-defined]
        "answered law-pack questions: generative.ai_use_obvious")


def test_energy_evidence_title_reads_in_korean() -> None:
    from haechi.compliance.messages import evidence_title

    record = {"activity": "training", "method": "codecarbon", "kwh": 70.0, "start": "2026-05-03", "end": "2026-05-04"}
    title = "Training energy 70 kWh (codecarbon), 2026-05-03..2026-05-04"
    assert evidence_title("energy_record", "esg", title, record, "en") == title
    korean = evidence_title("energy_record", "esg", title, record, "ko")
    assert korean == "학습 에너지 70 kWh (CodeCarbon), 2026년 5월 3일~2026년 5월 4일"


def test_label_decisions_read_in_korean_on_the_transparency_tab() -> None:
    from haechi.transparency.labelling import DECISION_TEXT_KEYS
    from haechi.web.i18n import Translator
    from haechi.web.routes.transparency import _shown_decision

    t = Translator("ko")
    for text in DECISION_TEXT_KEYS:
        shown = _shown_decision({"kind": "mark_choice", "decision": text, "reasons": [text]}, t)
        assert english_in(shown["kind_shown"]) == [] and english_in(shown["decision_shown"]) == []
        assert english_in(shown["reasons_shown"][0]) == [], shown["reasons_shown"]


def test_revenue_reads_in_man_eok_jo_on_the_korean_card(korean: TestClient) -> None:
    card = demo_card("hiring-screener")
    operator = (card.operator.model_copy(update={"annual_revenue_krw": 1_200_000_000_000,
                                                 "ai_revenue_krw": 350_000_000}))
    korean.hc.systems.update(korean.admin, card.model_copy(update={"operator": operator}))  # type: ignore[attr-defined]
    page = korean.get("/systems/hiring-screener", headers=HTML).text
    assert "1조 2,000억 원" in page and "3억 5,000만 원" in page
    korean.cookies.set("haechi_lang", "en")
    page = korean.get("/systems/hiring-screener", headers=HTML).text
    assert "KRW 1,200,000,000,000" in page and "KRW 350,000,000" in page


def test_evidence_dates_read_the_korean_way(korean: TestClient) -> None:
    hc, admin = korean.hc, korean.admin  # type: ignore[attr-defined]
    control = hc.compliance.controls.list(admin, system="hiring-screener")[0]["ref"]
    item = hc.compliance.evidence.add_record(admin, {"plan": 1}, system="hiring-screener", controls=[control],
                                             evidence_type="plan", title="위험관리방안")
    year, month, day = (int(part) for part in str(item["effective_from"])[:10].split("-"))
    page = korean.get(f"/compliance/controls/{control}", headers=HTML).text
    assert f"<td>{year}년 {month}월 {day}일</td>" in page


def test_korean_pages_write_dates_the_korean_way(korean: TestClient) -> None:
    hc, admin = korean.hc, korean.admin  # type: ignore[attr-defined]
    hc.compliance.incidents.open(admin, title="Biased ranking", system="hiring-screener",
                                 aware_at="2026-12-01T09:00+09:00")
    hc.compliance.incidents.add_action(admin, "INC-1", "Retrain with reweighting", due="2026-12-10")
    pages = {
        "/packs/kr-ai-basic-act@2": ["공포·발행 2026년 1월 21일", "시행 2026년 1월 22일"],
        "/systems/hiring-screener/verdict?at=2026-12-20": ["2026년 12월 20일 이전에 공포된", "2026년 1월 22일"],
        "/compliance/incidents/INC-1": ["2026년 12월 10일", "2026년 12월 1일 09:00 (KST)"],
        "/systems/hiring-screener": ["2026년 2월 1일"],
    }
    for path, expected in pages.items():
        page = korean.get(path, headers=HTML)
        assert page.status_code == 200, path
        text = re.sub(r"\s+", " ", _visible_text(page.text))
        for phrase in expected:
            assert phrase in text, (path, phrase)
        assert "2026-12-" not in text and "2026-02-01" not in text, (path, re.findall(r".{40}2026-\d\d-\d\d", text))
    # machines still read ISO: the verdict timeline's <time datetime> and the JSON twin
    verdict = korean.get("/systems/hiring-screener/verdict?at=2026-12-20", headers=HTML).text
    assert re.search(r'<time datetime="2026-01-22">2026년 1월 22일</time>', verdict)
    twin = korean.get("/systems/hiring-screener/verdict?at=2026-12-20&format=json").json()
    assert "2026-01-22" in {e["date"] for e in twin["timeline"]["events"]}
