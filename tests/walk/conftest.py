"""The demo workspace each walk module walks: built and served once per module.

A walk module names its database with ``BACKEND = "sqlite"`` or ``"postgresql"``; two
modules (not one parametrized module) so the two walks can run on two test workers.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .workspace import Workspace, demo_workspace


@pytest.fixture(scope="module")
def workspace(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    backend = request.module.BACKEND
    with demo_workspace(backend, tmp_path_factory.mktemp(f"walk-{backend}")) as found:
        yield found
