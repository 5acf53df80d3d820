"""The public passport as a visitor meets it: what it says about energy, and its verify command.

A real ``haechi serve --port`` process publishes the passport from the dashboard; the
command printed on the page is copied as is and run in a fresh process without a workspace.
"""

from __future__ import annotations

import html
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from haechi import Haechi
from haechi.demo.company import demo_card
from haechi.settings import Settings
from tests.foundation.test_browser import serving

PASSWORD = "password-123"
SYSTEM = "support-chatbot"
FIELDS = ["identity", "purpose", "notices", "oversight", "esg"]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on a random port whose chatbot (no energy records) has a published passport."""
    home = tmp_path_factory.mktemp("passport-home")
    hc = Haechi(Settings(home=home))
    hc.accounts.create_org("acme", "Acme", "에이크미")
    admin = hc.local_actor("acme")
    hc.accounts.create_user(admin, "ana@acme.example", "admin", password=PASSWORD)
    hc.systems.add(admin, demo_card(SYSTEM))
    hc.close()
    env = {**os.environ, "HAECHI_HOME": str(home)}
    for name in ("HAECHI_DATABASE_URL", "HAECHI_PORT", "HAECHI_PUBLIC_URL", "HAECHI_HOST"):
        env.pop(name, None)
    with serving(env) as url, httpx.Client(base_url=url) as client:
        form = client.get("/login", headers={"accept": "text/html"}).text
        token = re.search(r'name="csrf_token" value="([^"]*)"', form)
        client.post("/login", data={"email": "ana@acme.example", "password": PASSWORD, "next": "/",
                                    "csrf_token": token.group(1) if token else ""})
        page = client.get(f"/systems/{SYSTEM}/documents", headers={"accept": "text/html"})
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        saved = client.post(f"/systems/{SYSTEM}/passport", data={
            "csrf_token": csrf, "enabled": "on", "fields": FIELDS, "valid_days": "30", "publish": "1"})
        assert saved.status_code == 303, saved.text
        yield url


def _page(url: str, lang: str) -> str:
    response = httpx.get(f"{url}/p/acme/{SYSTEM}", cookies={"haechi_lang": lang}, headers={"accept": "text/html"})
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize(("lang", "says"), [("en", "No energy records"), ("ko", "에너지 기록이 없습니다")])
def test_no_energy_records_is_not_zero_kwh(published: str, lang: str, says: str) -> None:
    text = _page(published, lang)
    section = text[text.index('id="passport-esg"'):]
    section = section[:section.index("</section>")]
    assert "0 kWh" not in section and "0.0 kWh" not in section
    assert says in section


def test_the_printed_verify_command_works_when_copied(published: str, tmp_path: Path) -> None:
    printed = re.search(r"<code[^>]*>(haechi passport verify [^<]+)</code>", _page(published, "en"))
    assert printed, "the page prints no verify command"
    command = shlex.split(html.unescape(printed.group(1)))
    haechi = shutil.which("haechi") or str(Path(sys.executable).with_name("haechi"))
    visitor = {k: v for k, v in os.environ.items() if not k.startswith("HAECHI_")} | {
        "HAECHI_HOME": str(tmp_path / "visitor")}  # a visitor has no workspace of their own
    result = subprocess.run([haechi, *command[1:]], env=visitor, capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 0, (command, result.stdout, result.stderr)
    assert "valid" in result.stdout and "NOT valid" not in result.stdout
