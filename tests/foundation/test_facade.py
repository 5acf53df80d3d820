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
        hc.hooks.alert_raised  # noqa: B018 - reading is the action under test
        assert "compliance" in hc.__dict__
        assert "transparency" not in hc.__dict__  # it registers only for workspace_init
        hc.hooks.workspace_init  # noqa: B018
        assert "transparency" in hc.__dict__ and "ledger" in hc.__dict__
    finally:
        hc.close()
