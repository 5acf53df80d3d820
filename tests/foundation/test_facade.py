"""The facade creates services on first use; hook lists create the services that react."""

from __future__ import annotations

import pytest

from haechi import Haechi
from haechi.core import HOOK_NAMES, HOOK_PROVIDERS, SERVICES


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_hook_provider_map_matches_what_constructors_register(service: str) -> None:
    """A service registering in a hook list the map does not name would miss reactions
    in commands that never create it; the map must say exactly what each one does."""
    hc = Haechi(memory=True)
    try:
        hc.hooks._before_read = None  # isolate: nothing but this service (and what it uses) registers
        getattr(hc, service)
        registered = {name for name in HOOK_NAMES if hc.hooks._lists[name]}
        created = [name for name in SERVICES if name in hc.__dict__]
        allowed = {hook for name in created for hook in HOOK_PROVIDERS.get(name, ())}
        assert registered <= allowed, f"{service} registers in {registered - allowed}: add them to HOOK_PROVIDERS"
        assert set(HOOK_PROVIDERS.get(service, ())) <= registered
    finally:
        hc.close()


def test_reading_a_hook_list_creates_only_its_providers() -> None:
    hc = Haechi(memory=True)
    try:
        assert not any(name in hc.__dict__ for name in SERVICES)
        hc.hooks.workspace_init  # noqa: B018 - reading is the action under test
        assert "transparency" in hc.__dict__ and "ledger" in hc.__dict__
        assert "rules" not in hc.__dict__ and "monitor" not in hc.__dict__
    finally:
        hc.close()


def test_threads_asking_for_a_service_at_once_get_the_same_one() -> None:
    """Server threads: the first concurrent requests used to fail with 'service was used
    while it was being created' (a 500) when they raced to create the same service."""
    import threading

    for _ in range(5):
        hc = Haechi(memory=True)
        barrier = threading.Barrier(4)
        seen: list[tuple[str, object]] = []
        errors: list[BaseException] = []

        def use(name: str, hc: Haechi = hc, barrier: threading.Barrier = barrier,
                seen: list[tuple[str, object]] = seen, errors: list[BaseException] = errors) -> None:
            barrier.wait()
            try:
                seen.append((name, getattr(hc, name)))
                assert hc.hooks.workspace_init  # ledger and transparency registered, whoever created them
            except BaseException as exc:  # reported by the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=use, args=(n,)) for n in ("lake", "lake", "compliance", "monitor")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        hc.close()
        assert not errors, errors
        lakes = [service for name, service in seen if name == "lake"]
        assert len(lakes) == 2 and lakes[0] is lakes[1]
