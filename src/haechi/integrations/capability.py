"""Integrations' part of the shells: the Prometheus scrape target and the workspace commands."""

from haechi.capability import Capability, Commands

CAPABILITY = Capability(
    name="integrations",
    api_routers=("haechi.api.routers.metrics:router",),
    commands=(Commands("haechi.cli.workspace", ("backup", "restore", "migrate-store")),),
)
