"""Fixtures for reports, exports and passports: an organisation with real records.

``org`` (shared with the passport tests, see ``tests/records.py``) has every section of a
document filled from the real services; ``demo`` is the demo company.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.records import Org, org

from haechi import Haechi
from haechi.auth.roles import Actor

__all__ = ["Demo", "Org", "demo", "org"]


@dataclass
class Demo:
    """The demo company as ``haechi demo`` builds it, with an API client of its admin."""

    hc: Haechi
    actor: Actor
    client: Any
    tmp: Path


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """Built once per module: the seven demo systems with every capability's records."""
    from fastapi.testclient import TestClient

    from haechi.api import create_app
    from haechi.demo.build import build_demo
    from haechi.settings import Settings

    home = tmp_path_factory.mktemp("demo-home")
    hc = Haechi(Settings(home=home))
    build_demo(hc)
    actor = hc.local_actor("hanbit")
    client = TestClient(create_app(hc=hc))
    client.headers["Authorization"] = f"Bearer {hc.accounts.create_token(actor, 'admin@hanbit.example')}"
    yield Demo(hc, actor, client, home)
    client.close()
    hc.close()
