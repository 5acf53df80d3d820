"""The monitor set-up form's server side: the spec file's checks and messages (Korean too),
the preview of the first windows (equal to a run's, nothing stored), saving through the
ledgered path, and the form's CSRF and validation answers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from metrics_logs import make_log, write_log, write_spec
from sqlalchemy import select
from tests.conftest import web_login

from haechi import Haechi
from haechi.api import create_app
from haechi.domain.card import SystemCard
from haechi.domain.errors import ValidationFailed
from haechi.monitor.spec import Notify, load_spec, parse_spec_text
from haechi.store.tables import LedgerEntry


def test_a_threshold_with_min_above_max_is_refused_in_both_languages() -> None:
    text = ("system: test-system\nreference: {start: 2026-01-01, end: 2026-01-05}\nthresholds:\n"
            "  recall: {min: 0.9, max: 0.5}\n")
    with pytest.raises(ValidationFailed) as caught:
        parse_spec_text(text, "monitor.yaml")
    issue = caught.value.issues[0]
    assert issue.location == "thresholds.recall" and issue.line == 4 and "above max" in issue.message
    assert issue.message_ko and "최댓값" in issue.message_ko and issue.fix_ko
    with pytest.raises(ValidationFailed) as typed:
        parse_spec_text(text.replace("{min: 0.9, max: 0.5}", "{max: abc}"), "monitor.yaml")
    assert typed.value.issues[0].message_ko == "숫자가 아닙니다"


def test_preview_is_the_first_windows_of_a_run_and_stores_nothing(hc: Haechi, actor: Any, tmp_path: Path) -> None:
    hc.systems.add(actor, SystemCard.model_validate({"id": "test-system", "name": "Test system"}))
    log = write_log(make_log(), tmp_path / "log.parquet")
    spec = load_spec(write_spec(tmp_path, log, extra="thresholds:\n  psi: {max: 0.1}\n"))
    preview = hc.monitor.preview(actor, spec, windows=3)
    assert hc.monitor.list(actor) == []  # nothing saved
    full = hc.monitor.run(actor, spec)
    assert preview["windows"] == full["windows"][:3] and preview["planned_windows"] == len(full["windows"])
    first = {w["start"] for w in full["windows"][:3]}

    def key(a: dict[str, Any]) -> tuple[Any, ...]:
        return a["window_start"], a["metric"], a["scope"], a["group"], a["value"]

    assert [key(a) for a in preview["alerts"]] == [key(a) for a in full["alerts"] if a["window_start"] in first]


@pytest.fixture
def web(hc: Haechi, tmp_path: Path) -> Iterator[TestClient]:
    hc.accounts.create_org("acme", "Acme Corp", "에이크미")
    actor = hc.local_actor("acme")
    hc.accounts.create_user(actor, "ana@acme.example", "editor", "password-123")
    hc.systems.add(actor, SystemCard.model_validate({"id": "test-system", "name": "Test system"}))
    write_log(make_log(), tmp_path / "log.parquet")
    hc.monitor.put_file(actor, "log.parquet", (tmp_path / "log.parquet").read_bytes())
    with TestClient(create_app(hc=hc), follow_redirects=False) as client:
        assert web_login(client, "ana@acme.example", "password-123").status_code == 303
        page = client.get("/systems/test-system/monitoring/setup", headers={"Accept": "text/html"})
        client.csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[attr-defined,union-attr]
        client.hc = hc  # type: ignore[attr-defined]
        yield client


FORM = {"name": "weekly", "task": "binary_classification", "log": "log.parquet", "ref_start": "2026-01-01",
        "ref_end": "2026-01-06", "window": "1d", "schedule": "", "col_timestamp": "ts", "col_prediction": "y_pred",
        "col_label": "y_true", "col_score": "score", "col_event_id": "event_id", "col_sensitive": "sex, age",
        "col_numeric": "f0, f1, f2", "col_categorical": "c0, c1", "t_psi_max": "0.1", "t_recall_min": "0.5"}


def test_the_form_checks_previews_and_saves(web: Any) -> None:
    url = "/systems/test-system/monitoring/setup"
    assert web.post(url, data={**FORM, "intent": "save"}).status_code == 403  # no CSRF token
    bad = web.post(url, data={**FORM, "t_recall_max": "0.2", "intent": "preview", "csrf_token": web.csrf},
                   headers={"Accept": "text/html"})
    assert bad.status_code == 422 and 'id="err-thresholds-recall"' in bad.text and "above max" in bad.text
    web.cookies.set("haechi_lang", "ko")
    bad_ko = web.post(url, data={**FORM, "t_recall_min": "높음", "intent": "preview", "csrf_token": web.csrf},
                      headers={"Accept": "text/html"})
    assert bad_ko.status_code == 422 and "숫자가 아닙니다" in bad_ko.text
    preview = web.post(f"{url}?format=json", data={**FORM, "intent": "preview", "csrf_token": web.csrf}).json()
    assert len(preview["preview"]["windows"]) == 3 and web.hc.monitor.list(web.hc.local_actor("acme")) == []
    saved = web.post(url, data={**FORM, "intent": "save", "csrf_token": web.csrf})
    assert saved.status_code == 303 and saved.headers["location"].endswith("monitor=weekly")
    actor = web.hc.local_actor("acme")
    spec = web.hc.monitor.get(actor, "test-system", "weekly")["spec"]
    assert spec["thresholds"] == {"psi": {"max": 0.1}, "recall": {"min": 0.5}}
    assert spec["columns"]["sensitive"] == ["sex", "age"] and spec["log"] == "log.parquet"
    with web.hc.db.reader() as s:
        assert "monitor.create" in s.execute(select(LedgerEntry.action)).scalars().all()
    # what the form does not show (delivery, group size, a threshold's scope) survives an edit
    stored = web.hc.monitor.spec(actor, "test-system", "weekly").model_copy(
        update={"min_group_size": 50, "notify": Notify(email=["ops@acme.example"])})
    stored.thresholds["psi"].scope = ["f0"]
    web.hc.monitor.save(actor, stored)
    edited = web.post(url, data={**FORM, "t_psi_max": "0.2", "intent": "save", "csrf_token": web.csrf})
    assert edited.status_code == 303
    after = web.hc.monitor.get(actor, "test-system", "weekly")["spec"]
    assert after["thresholds"]["psi"] == {"max": 0.2, "scope": ["f0"]} and after["min_group_size"] == 50
    assert after["notify"]["email"] == ["ops@acme.example"]
    # the stored monitor fills the form again
    again = web.get(f"{url}?monitor=weekly&format=json").json()
    assert again["values"]["t_recall_min"] == "0.5" and again["values"]["col_numeric"] == "f0, f1, f2"


def test_a_system_without_data_is_shown_how_to_send_it(web: Any) -> None:
    actor = web.hc.local_actor("acme")
    web.hc.systems.add(actor, SystemCard.model_validate({"id": "new-system", "name": "New system"}))
    tab = web.get("/systems/new-system/monitoring", headers={"Accept": "text/html"})
    assert 'href="/systems/new-system/monitoring/setup"' in tab.text
    page = web.get("/systems/new-system/monitoring/setup", headers={"Accept": "text/html"})
    assert 'id="send-data"' in page.text and "from haechi_sdk import Monitor" in page.text
    assert "/api/v1/systems/new-system/events" in page.text


GEN_FORM = {"name": "chat", "task": "generative", "log": "chat.parquet", "ref_start": "2026-03-01",
            "ref_end": "2026-03-05", "window": "1d", "schedule": "", "col_timestamp": "ts",
            "col_sensitive": "channel", "gen_modality": "text", "gen_require_text": "1",
            "gen_output_length": "out_len", "gen_language": "language", "gen_refused": "did_refuse",
            "gen_scores": "toxicity, grounded=score_groundedness",
            "t_label_coverage_min": "0.99", "t_refusal_rate_difference_max": "0.05", "t_score_mean_max": "0.5"}


def test_a_generative_monitor_from_the_form(web: Any, tmp_path: Path) -> None:
    import pandas as pd
    from generative_logs import make_generative_log, oracle_scores, oracle_window, window_rows

    actor = web.hc.local_actor("acme")
    frame = make_generative_log(n=1500, seed=4).rename(columns={"output_length": "out_len", "refused": "did_refuse"})
    frame.to_parquet(tmp_path / "chat.parquet")
    web.hc.monitor.put_file(actor, "chat.parquet", (tmp_path / "chat.parquet").read_bytes())
    url = "/systems/test-system/monitoring/setup"
    preview = web.post(f"{url}?format=json", data={**GEN_FORM, "intent": "preview", "csrf_token": web.csrf}).json()
    windows = preview["preview"]["windows"]
    assert len(windows) == 3 and preview["errors"] == {}
    logged = frame.rename(columns={"did_refuse": "refused"})   # the oracle reads the SDK's names
    for window in windows:
        rows = window_rows(logged, pd.Timestamp(window["start"]).to_pydatetime())
        expected = oracle_window(rows, ["text"])
        assert {k: window["performance"][k] for k in expected} == pytest.approx(expected, rel=1e-9, nan_ok=True)
        scores = oracle_scores(rows, {"toxicity": "score_toxicity", "grounded": "score_groundedness"})
        assert {k: v["score_mean"] for k, v in window["scores"].items()} == pytest.approx(
            {k: v["score_mean"] for k, v in scores.items()}, rel=1e-9)
        assert set(window["fairness"]) == {"language", "channel"} and set(window["drift"]) == {"out_len", "language"}
    # a role mapped to a column the log lacks, and a score name the SDK would refuse: the spec's messages
    web.cookies.set("haechi_lang", "ko")
    bad = web.post(url, data={**GEN_FORM, "gen_refused": "no_such", "intent": "preview", "csrf_token": web.csrf},
                   headers={"Accept": "text/html"})
    assert bad.status_code == 422 and 'id="err-generative-refused"' in bad.text and "no_such" in bad.text
    bad = web.post(f"{url}?format=json", data={**GEN_FORM, "gen_scores": "독 성", "intent": "preview",
                                             "csrf_token": web.csrf})
    assert bad.status_code == 422 and list(bad.json()["errors"]) == ["generative.scores"]
    with pytest.raises(ValidationFailed) as caught:  # the spec file's own message
        parse_spec_text("system: test-system\ntask: generative\ngenerative: {scores: {독 성: x}}\n"
                        "reference: {start: 2026-03-01, end: 2026-03-05}\n")
    assert bad.json()["errors"]["generative.scores"] == [
        f"{caught.value.issues[0].message_ko} — {caught.value.issues[0].fix_ko}"
        if caught.value.issues[0].fix_ko else caught.value.issues[0].message_ko]
    bad = web.post(f"{url}?format=json", data={**GEN_FORM, "t_score_mean_min": "0.9", "intent": "preview",
                                             "csrf_token": web.csrf})
    assert list(bad.json()["errors"]) == ["thresholds.score_mean"]
    _a_score_scope_names_the_forms_scores(web, url)
    saved = web.post(url, data={**GEN_FORM, "t_score_mean_scope": "grounded", "t_score_mean_difference_max": "0.1",
                                "t_score_mean_difference_scope": "grounded, toxicity", "intent": "save",
                                "csrf_token": web.csrf})
    assert saved.status_code == 303
    spec = web.hc.monitor.get(actor, "test-system", "chat")["spec"]
    assert spec["generative"]["refused"] == "did_refuse" and spec["generative"]["required_marks"] == ["text"]
    assert spec["generative"]["scores"] == {"toxicity": "score_toxicity", "grounded": "score_groundedness"}
    assert spec["columns"]["numeric"] == ["out_len"] and spec["columns"]["sensitive"] == ["language", "channel"]
    assert spec["thresholds"]["score_mean"] == {"max": 0.5, "scope": ["grounded"]}
    assert spec["thresholds"]["score_mean_difference"] == {"max": 0.1, "scope": ["grounded", "toxicity"]}
    again = web.get(f"{url}?monitor=chat&format=json").json()["values"]
    assert (again["t_score_mean_scope"], again["t_score_mean_difference_scope"]) == ("grounded", "grounded, toxicity")
    emptied = web.post(url, data={**GEN_FORM, "intent": "save", "csrf_token": web.csrf})  # empty: every score
    assert emptied.status_code == 303
    assert web.hc.monitor.get(actor, "test-system", "chat")["spec"]["thresholds"]["score_mean"] == {"max": 0.5}
    assert {k: again[k] for k in ("gen_refused", "gen_output_length", "gen_language", "col_sensitive",
                                  "gen_require_text")} == {"gen_refused": "did_refuse", "gen_output_length": "out_len",
                                                           "gen_language": "language", "col_sensitive": "channel",
                                                           "gen_require_text": "1"}
    assert "gen_mark_text" not in again   # a role left at the SDK's name stays empty in the form


def _a_score_scope_names_the_forms_scores(web: Any, url: str) -> None:
    """A score threshold's scope naming a score the form does not name: the spec file's
    message beside the scope field, in Korean with the names as code (the page is Korean)."""
    from tests.walk.language import english_in

    form = {**GEN_FORM, "t_score_mean_scope": "grounded, groundedness", "intent": "preview", "csrf_token": web.csrf}
    bad = web.post(f"{url}?format=json", data=form)
    assert bad.status_code == 422 and list(bad.json()["errors"]) == ["thresholds.score_mean.scope"]
    with pytest.raises(ValidationFailed) as caught:  # the same spec as a file
        parse_spec_text("system: test-system\ntask: generative\nlog: chat.parquet\n"
                        "generative: {scores: {toxicity: score_toxicity, grounded: score_groundedness}}\n"
                        "reference: {start: 2026-03-01, end: 2026-03-05}\n"
                        "thresholds:\n  score_mean: {max: 0.5, scope: [grounded, groundedness]}\n")
    issue = caught.value.issues[0]
    assert issue.location == "thresholds.score_mean.scope"
    assert bad.json()["errors"]["thresholds.score_mean.scope"] == [f"{issue.message_ko} — {issue.fix_ko}"]
    page = web.post(url, data=form, headers={"Accept": "text/html"})
    found = re.search(r'<p class="field-error" id="err-thresholds-score_mean-scope"[^>]*>(.*?)</p>', page.text)
    assert page.status_code == 422 and found
    assert "<code>groundedness</code>" in found[1] and "<code>toxicity</code>" in found[1]
    assert re.search(r'<input name="t_score_mean_scope"[^>]*value="grounded, groundedness"[^>]*'
                     r'aria-invalid="true" aria-describedby="err-thresholds-score_mean-scope"', page.text, re.S)
    prose = re.sub(r"<[^>]+>", " ", re.sub(r"<code>.*?</code>", " ", found[1]))
    assert english_in(prose) == [] and "점수 이름이 아닙니다" in prose
