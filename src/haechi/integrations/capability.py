"""Integrations' part of the shells: the Prometheus scrape target."""

from haechi.capability import Capability

CAPABILITY = Capability(
    name="integrations",
    api_routers=("haechi.api.routers.metrics:router",),
)
