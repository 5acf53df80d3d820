"""Property-based fuzzing of every REST operation from the API's own ``/openapi.json``.

Schemathesis generates requests that follow the schema (and requests that break it) for
every operation and sends them with an administrator's token to an app backed by a real
SQLite file and a real PostgreSQL schema, seeded with two demo systems so that many
generated paths reach real rows. The only property checked is the one a user must be able
to rely on: no request, however odd, gets a 5xx. The run is derandomised so that CI is
repeatable; ``HAECHI_FUZZ_EXAMPLES`` raises the number of examples for a longer local run.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from haechi.demo.company import demo_card
from tests.conftest import make_haechi, org_with_users

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("HAECHI_FUZZ_EXAMPLES", "8"))
SEEDED_SYSTEMS = ("hiring-screener", "support-chatbot")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzz_target(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    """The app on one backend, with an admin token of an organisation holding demo systems."""
    from haechi.api import create_app

    hc = make_haechi(request.param, Path(tmp_path_factory.mktemp(f"fuzz-{request.param}")), request)
    tokens = org_with_users(hc, "acme")
    actor = hc.local_actor("acme")
    for system_id in SEEDED_SYSTEMS:
        hc.systems.add(actor, demo_card(system_id))
    app = create_app(hc=hc)
    yield app, tokens["admin"]
    hc.close()


def _operations(app: object) -> list[schemathesis.APIOperation]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def _fuzz(operation: schemathesis.APIOperation, token: str, mode: GenerationMode) -> str | None:
    """Run the examples of one operation; the first server error found, described, or None."""
    found: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    def examples(case: schemathesis.Case) -> None:
        if found:
            return
        try:
            response = case.call(headers={"Authorization": f"Bearer {token}"})
        except Exception as exc:  # the test client re-raises what the server did not handle
            found.append(f"{operation.label} ({mode.value}) -> unhandled {exc!r}: {case.as_curl_command()}")
            return
        if response.status_code >= 500:
            found.append(f"{operation.label} ({mode.value}) -> {response.status_code}: "
                         f"{case.as_curl_command()}\n    {response.text[:300]}")

    with contextlib.suppress(Unsatisfiable):  # nothing to break: no parameters and no body
        examples()
    return found[0] if found else None


def test_no_operation_answers_with_a_server_error(fuzz_target: tuple) -> None:
    app, token = fuzz_target
    failures = [failure for operation in _operations(app)
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
                if (failure := _fuzz(operation, token, mode))]
    assert not failures, f"{len(failures)} operations answered with a 5xx:\n" + "\n".join(failures)
