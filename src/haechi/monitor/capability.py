"""Monitoring's part of the shells."""

from haechi.capability import Capability, Commands, DemoStep, NavEntry, SystemTab

CAPABILITY = Capability(
    name="monitor",
    # Event ingestion first: its paths are more specific than the monitor routes'.
    api_routers=("haechi.api.routers.monitor_events:router", "haechi.api.routers.monitor:router"),
    web_routers=("haechi.web.routes.monitor:router",),
    nav=(NavEntry("nav.monitoring", "/monitoring", 40),),
    tabs=(SystemTab("tabs.monitoring", "/monitoring", 40),),
    commands=(Commands("haechi.cli.monitor", ("monitor",), group=True),),
    demo_steps=(DemoStep("haechi.demo.monitor", "monitoring: months of predictions in the log lake for three "
                         "systems, monitors and their alerts", 60),),
    tables=("haechi.store.monitor_tables", "haechi.store.monitor_lake_tables"),
)
