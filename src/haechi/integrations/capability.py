"""Integrations in the shells: Prometheus scrape target, OTLP trace receiver, workspace commands."""

from haechi.capability import Capability, Commands

CAPABILITY = Capability(
    name="integrations",
    api_routers=("haechi.api.routers.metrics:router", "haechi.api.routers.otlp:router"),
    commands=(Commands("haechi.cli.workspace", ("backup", "restore", "migrate-store")),
              Commands("haechi.cli.integrations", ("integrations",), group=True)),
)
