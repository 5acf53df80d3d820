"""YAML that expands enormously ("billion laughs") or nests without end is refused
before it is built, by a viewer's request to a real server that keeps answering."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from haechi.domain.errors import ValidationFailed
from haechi.domain.limits import MAX_NESTING
from haechi.domain.yamlio import loads
from haechi.rules import load_pack_text

sys.path.insert(0, str(Path(__file__).parents[1] / "monitor"))
from server_helpers import Server, prepare_home


def laughs(levels: int) -> str:
    """Each level repeats the previous one nine times: 9**levels strings in ~50 bytes a level."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from haechi import Haechi
    from haechi.settings import Settings

    home = tmp_path_factory.mktemp("yaml") / "home"
    prepare_home(home, "hiring-screener")
    hc = Haechi(Settings(home=home))
    try:
        admin = hc.local_actor("acme")
        hc.accounts.create_user(admin, "viewer@acme.example", "viewer", None, "Viewer")
        token = hc.accounts.create_token(admin, "viewer@acme.example")
    finally:
        hc.close()
    running = Server(home).start()
    try:
        yield running, {"Authorization": f"Bearer {token}"}
    finally:
        running.stop()


def test_a_viewers_alias_bomb_is_refused_while_the_server_keeps_answering(server) -> None:  # type: ignore[no-untyped-def]
    running, headers = server
    bomb = laughs(7)  # ~340 bytes, 4.8 million strings once expanded
    assert len(bomb) < 400
    answer: dict[str, httpx.Response | Exception] = {}

    def send() -> None:
        try:
            answer["bomb"] = httpx.post(f"{running.url}/api/v1/packs/validate", content=bomb,
                                        headers={**headers, "Content-Type": "application/yaml"}, timeout=10)
        except httpx.HTTPError as exc:
            answer["bomb"] = exc

    thread = threading.Thread(target=send)
    thread.start()
    start = time.monotonic()
    health = httpx.get(f"{running.url}/healthz", timeout=5)
    assert health.status_code == 200 and time.monotonic() - start < 2
    thread.join(15)
    response = answer["bomb"]
    assert isinstance(response, httpx.Response), f"no answer to the bomb: {response!r}"
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert "aliases" in error["message"] and error["message_ko"]
    assert error["errors"][0]["fix"]
    assert httpx.get(f"{running.url}/api/v1/packs", headers=headers, timeout=5).status_code == 200


@pytest.mark.parametrize("text", [
    "a: " + "[" * 5000 + "]" * 5000,        # flow nesting past the parsers' recursion
    "".join("  " * i + f"k{i}:\n" for i in range(MAX_NESTING + 2)) + "  " * (MAX_NESTING + 2) + "v\n",
    "a: &a [*a]\n",                         # an alias inside its own anchor
])
def test_deep_or_recursive_yaml_is_refused_with_a_message(text: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        load_pack_text(text, "pack.yaml")
    assert caught.value.message_ko and caught.value.issues[0].fix


def test_deep_json_document_is_refused_not_a_recursion_error() -> None:
    with pytest.raises(ValidationFailed) as caught:
        loads("[" * 100_000 + "]" * 100_000, "spec.json")
    assert "nested" in caught.value.message


def test_ordinary_anchors_still_work() -> None:
    doc = loads("base: &b {x: 1}\nother: *b\nlist: [*b, *b]\n", "card.yaml")
    assert doc.data["list"] == [{"x": 1}, {"x": 1}]


def test_a_valid_pack_with_an_infinite_fine_is_refused_naming_the_line() -> None:
    from importlib.resources import files

    text = files("haechi.packs").joinpath("eu-ai-act/v1.yaml").read_text(encoding="utf-8")
    line = text.splitlines().index("      max_amount: 35000000") + 1
    with pytest.raises(ValidationFailed) as caught:
        load_pack_text(text.replace("max_amount: 35000000", "max_amount: .inf", 1), "eu.yaml")
    issue = caught.value.issues[0]
    assert issue.location.endswith("max_amount") and issue.line == line and "finite" in issue.message
