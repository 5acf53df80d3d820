"""The Monitoring tab of a generative system in Chromium, in Korean: the catalogue's charts
are drawn with Korean titles, the latest window's tables read in Korean, and the page has
no English beyond ids, codes and allowed names (the walk's rule, ``english_in``)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from generative_logs import make_generative_log, write_generative
from tests.walk.language import english_in
from tests.walk.walker import TEXT_JS

pytestmark = pytest.mark.browser
CARDS = Path(__file__).resolve().parents[2] / "src/haechi/demo/cards"
CHATBOT_CARD = CARDS / "support-chatbot.yaml"
#: a system added without a monitor: its generative monitor is set up in the browser
IMAGE_SYSTEM = "marketing-image-gen"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``haechi serve`` on a workspace whose support chatbot has a generative monitor with alerts."""
    from tests.foundation.test_browser import serving

    home = tmp_path_factory.mktemp("generative-browser")
    env = {**os.environ, "HAECHI_HOME": str(home / "home"), "HAECHI_SCHEDULE_MONITORS": "false"}
    env.pop("HAECHI_DATABASE_URL", None)

    def cli(*args: str, stdin: bytes | None = None) -> None:
        subprocess.run([sys.executable, "-m", "haechi.cli.entry", *args], env=env, check=True, capture_output=True,
                       input=stdin)

    cli("init", "--org", "hanbit", "--name", "Hanbit Precision")
    cli("users", "create", "ana@hanbit.example", "--org", "hanbit", "--role", "editor", "--password-stdin",
        stdin=b"password-123\n")
    cli("systems", "add", str(CHATBOT_CARD))
    chat = make_generative_log(n=2500, seed=9).drop(columns=["c2pa_verified", "realistic"])  # text: no media
    spec = write_generative(chat, home)
    thresholds = ("thresholds:\n  label_coverage: {min: 0.9}\n  refusal_rate_difference: {max: 0.05}\n"
                  "  latency_p95: {max: 3500}\n  score_mean_difference: {max: 0.01, scope: [groundedness]}\n")
    spec.write_text(spec.read_text().replace("system: gen-system", "system: support-chatbot") + thresholds)
    cli("monitor", "run", str(spec))
    cli("systems", "add", str(CARDS / f"{IMAGE_SYSTEM}.yaml"))
    images = make_generative_log(n=2000, seed=21).rename(columns={"ts": "timestamp", "refused": "was_refused"})
    images["prediction"] = images["released"].fillna(1.0)
    images.to_parquet(home / "images.parquet")
    cli("monitor", "import", IMAGE_SYSTEM, str(home / "images.parquet"), "--sensitive", "language,channel")
    with serving(env) as url:
        yield url


def test_the_chatbot_monitoring_tab_in_korean(browser: Any, server: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{server}/login")
    page.fill("input[name=email]", "ana@hanbit.example")
    page.fill("input[name=password]", "password-123")
    page.click("button[type=submit]")
    page.goto(f"{server}/lang/ko?next=/systems/support-chatbot/monitoring")
    page.wait_for_function("() => document.querySelectorAll('canvas[data-monitor-chart]').length > 0")
    drawn = page.evaluate("""() => Array.from(document.querySelectorAll('canvas[data-monitor-chart]'))
        .map(c => c.id)""")
    assert {"gen-label_coverage", "gen-notice_coverage", "gen-pii_leak_rate", "gen-refusal_rate", "gen-latency",
            "fair-refusal_rate_difference", "fair-score_mean_difference"} <= set(drawn)
    assert "gen-c2pa_verified_share" not in drawn      # a text chatbot logs no C2PA results: no empty chart
    assert page.evaluate("() => Array.from(document.querySelectorAll('canvas[data-monitor-chart]'))"
                         ".every(c => !!Chart.getChart(c))")
    assert page.locator("figcaption", has_text="표시 적용률").first.is_visible()
    assert page.locator("th", has_text="응답 거부율").first.is_visible()
    assert page.locator("text=집단 간 응답 거부율 격차").first.is_visible()
    # each app score's mean per group, beside the group rates, and its gap between the groups
    assert page.locator("th", has_text="애플리케이션 점수 평균 groundedness").first.is_visible()
    assert page.locator("text=집단 간 애플리케이션 점수 평균 격차").first.is_visible()
    english = [w for text in page.evaluate(TEXT_JS) for w in english_in(text)]
    assert english == [], sorted(set(english))
    page.screenshot(path=str(Path(os.environ.get("HAECHI_SHOTS", "/tmp")) / "generative-monitoring-ko.png"),
                    full_page=True)
    assert errors == []
    page.close()


def test_a_new_system_gets_a_generative_monitor_from_the_korean_form(browser: Any, server: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/login")
    page.fill("input[name=email]", "ana@hanbit.example")
    page.fill("input[name=password]", "password-123")
    page.click("button[type=submit]")
    page.goto(f"{server}/lang/ko?next=/systems/{IMAGE_SYSTEM}/monitoring/setup")
    roles, score = page.locator("#generative-roles"), page.locator("input[name=t_f1_min]")
    assert not roles.is_visible() and page.locator("#f-col_label").is_visible()
    page.select_option("#f-task", "generative")   # the generative fields and metrics replace the tabular ones
    assert roles.is_visible() and not page.locator("#f-col_label").is_visible() and not score.is_visible()
    assert page.locator("input[name=t_notice_coverage_min]").is_visible()
    page.fill("#f-name", "images")
    page.fill("#f-ref_start", "2026-03-01")
    page.fill("#f-ref_end", "2026-03-05")
    page.select_option("#f-gen_modality", "image")
    page.check("input[name=gen_require_c2pa]")
    page.check("input[name=gen_require_visible]")
    page.fill("#f-gen_output_length", "output_length")
    page.fill("#f-gen_language", "language")
    page.fill("#f-gen_refused", "refusals")            # not in the log: named beside its field
    page.fill("#f-gen_scores", "toxicity, groundedness")
    page.fill("#f-col_sensitive", "channel")
    for metric, bound, value in (("label_coverage", "min", "0.99"), ("notice_coverage", "min", "0.9"),
                                 ("pii_leak_rate", "max", "0.02"), ("refusal_rate", "max", "0.2"),
                                 ("complaint_rate", "max", "0.05"), ("handover_rate", "max", "0.1"),
                                 ("latency_p95", "max", "5000"), ("score_mean", "max", "0.9")):
        page.fill(f"input[name=t_{metric}_{bound}]", value)
    page.fill("input[name=t_latency_p95_min]", "6000")  # min above max: the spec file's message
    page.fill("input[name=t_score_mean_scope]", "grounded")   # not a score the form names
    page.click("button[value=preview]")
    assert "최솟값 6000이(가) 최댓값 5000보다 큽니다" in page.locator("#err-thresholds-latency_p95").inner_text()
    scope_error = page.locator("#err-thresholds-score_mean-scope")
    assert "점수 이름이 아닙니다" in scope_error.inner_text()
    assert scope_error.locator("code", has_text="groundedness").count() == 1
    assert page.locator("input[name=t_score_mean_scope][aria-invalid=true]").count() == 1
    assert _english(page) == [], sorted(set(_english(page)))
    page.fill("input[name=t_latency_p95_min]", "")
    page.fill("input[name=t_score_mean_scope]", "groundedness")
    page.click("button[value=preview]")
    missing = page.locator("#err-generative-refused")
    assert "열 refusals이(가) 로그에 없습니다" in missing.inner_text()
    assert missing.locator("code", has_text="was_refused").count() == 1   # the log's columns, as code
    assert page.locator("#f-gen_refused[aria-invalid=true]").count() == 1 and _english(page) == []
    page.fill("#f-gen_refused", "was_refused")
    page.click("button[value=preview]")
    rows = page.locator("table[data-preview] tbody tr")
    headers = page.locator("table[data-preview] thead th").all_inner_texts()
    assert rows.count() == 3
    assert {"표시 적용률", "사전 고지 적용률", "응답 시간 p95", "서비스 밖으로 나간 생성물 수"} <= set(headers)
    assert _english(page) == [], sorted(set(_english(page)))
    page.screenshot(path=str(Path(os.environ.get("HAECHI_SHOTS", "/tmp")) / "generative-setup-ko.png"),
                    full_page=True)
    page.click("button[value=save]")
    page.wait_for_url(f"{server}/systems/{IMAGE_SYSTEM}/monitoring?monitor=images")
    spec = page.request.get(f"{server}/systems/{IMAGE_SYSTEM}/monitoring/setup?monitor=images&format=json").json()
    assert {k: spec["values"].get(k) for k in ("task", "gen_modality", "gen_refused", "gen_require_c2pa",
                                               "gen_scores", "t_score_mean_scope")} == {
        "task": "generative", "gen_modality": "image", "gen_refused": "was_refused", "gen_require_c2pa": "1",
        "gen_scores": "toxicity=score_toxicity, groundedness=score_groundedness",
        "t_score_mean_scope": "groundedness"}
    page.close()


def _english(page: Any) -> list[str]:
    return [w for text in page.evaluate(TEXT_JS) for w in english_in(text)]
