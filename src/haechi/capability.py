"""What a capability brings to the shells, declared in one place.

Each capability (registry, law packs, monitoring, compliance, transparency, ESG,
reports) has a ``capability.py`` in its package with one :class:`Capability`: its API
routers, dashboard routers, navigation entries, system-page tabs, home-page panels, CLI
commands, demo steps, table modules and periodic jobs. :data:`CAPABILITIES` lists those
modules; the shells (API, dashboard, CLI, demo, the schema, the scheduler) read the list
and nothing else, so adding a capability is one line here and one declaration beside its
code.

Declarations are plain data with ``"module:attribute"`` strings, so reading them imports
no web, database or CLI code: the CLI still imports only the command being run.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Any

#: The capabilities of the product, in the order their routes are mounted.
CAPABILITIES: tuple[str, ...] = (
    "haechi.registry.capability",
    "haechi.esg.capability",
    "haechi.monitor.capability",
    "haechi.transparency.capability",
    "haechi.compliance.capability",
    "haechi.verdicts.capability",
    "haechi.reports.capability",
    "haechi.integrations.capability",
    "haechi.reminders.capability",
)


@dataclass(frozen=True)
class NavEntry:
    """A main-navigation link: catalogue key of its label, path, position (lower first)."""

    key: str
    href: str
    order: int = 50


@dataclass(frozen=True)
class SystemTab:
    """A tab of the system page: catalogue key, path suffix after ``/systems/{id}``, position."""

    key: str
    suffix: str
    order: int = 50


@dataclass(frozen=True)
class HomePanel:
    """A home-page panel: key, template, ``"module:function"`` building its data from
    ``(hc, actor)``, position."""

    key: str
    template: str
    build: str
    order: int = 50


@dataclass(frozen=True)
class Commands:
    """CLI commands of one module: a group module exposes ``app`` under its one name;
    another has ``register(root)`` adding top-level commands."""

    module: str
    names: tuple[str, ...]
    group: bool = False


@dataclass(frozen=True)
class DemoStep:
    """A step of the demo build: module with ``populate(hc, ctx)``, what it adds, position."""

    module: str
    label: str
    order: int


@dataclass(frozen=True)
class PeriodicJob:
    """Work the server does at intervals (run by :mod:`haechi.scheduler` in the leader worker).

    ``run`` is a ``"module:function"`` called as ``fn(service)`` with the facade service
    named by ``service``. ``every`` is seconds, or a ``"module:function"`` taking that
    service and returning seconds, or ``None`` when the job is off (settings). The first
    run is ``first_after`` seconds after the server starts (one interval when ``None``).
    """

    name: str
    service: str
    run: str
    every: float | str
    first_after: float | None = None


@dataclass(frozen=True)
class Capability:
    """Everything one capability adds to the shells."""

    name: str
    api_routers: tuple[str, ...] = ()
    web_routers: tuple[str, ...] = ()
    nav: tuple[NavEntry, ...] = ()
    tabs: tuple[SystemTab, ...] = ()
    home_panels: tuple[HomePanel, ...] = ()
    commands: tuple[Commands, ...] = ()
    demo_steps: tuple[DemoStep, ...] = ()
    tables: tuple[str, ...] = ()
    jobs: tuple[PeriodicJob, ...] = ()


@cache
def capabilities() -> tuple[Capability, ...]:
    """The declarations of :data:`CAPABILITIES`, in order."""
    return tuple(importlib.import_module(module).CAPABILITY for module in CAPABILITIES)


def resolve(target: str) -> Any:
    """The object a ``"module:attribute"`` string names."""
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)
