"""Monitoring's part of the shells."""

from haechi.capability import Capability, Commands, DemoStep, HomePanel, NavEntry, PeriodicJob, SystemTab

CAPABILITY = Capability(
    name="monitor",
    # Event ingestion first: its paths are more specific than the monitor routes'.
    api_routers=("haechi.api.routers.monitor_events:router", "haechi.api.routers.monitor:router",
                 "haechi.api.routers.monitor_problems:router"),
    web_routers=("haechi.web.routes.monitor:router", "haechi.web.routes.monitor_problems:router",
                 "haechi.web.routes.monitor_setup:router"),
    nav=(NavEntry("nav.monitoring", "/monitoring", 40),),
    tabs=(SystemTab("tabs.monitoring", "/monitoring", 40),),
    home_panels=(HomePanel("monitor", "panels/monitor.html", "haechi.web.routes.monitor_problems:home_panel", 30),),
    commands=(Commands("haechi.cli.monitor", ("monitor",), group=True),),
    demo_steps=(DemoStep("haechi.demo.monitor", "monitoring: months of predictions and generated outputs in "
                         "the log lake for five systems, monitors and their alerts", 60),),
    tables=("haechi.store.monitor_tables", "haechi.store.monitor_lake_tables",
            "haechi.store.monitor_problem_tables"),
    jobs=(
        # scheduled monitors, first looked for shortly after the server has started
        PeriodicJob("monitors", "monitor", "haechi.monitor.scheduler:run_due",
                    every="haechi.monitor.scheduler:interval", first_after=5.0),
        # compaction and retention of the log lake, first one period after start-up
        PeriodicJob("lake-upkeep", "lake", "haechi.monitor.lake_upkeep:run_once",
                    every="haechi.monitor.lake_upkeep:interval"),
    ),
)
