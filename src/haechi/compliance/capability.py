"""The compliance loop's part of the shells."""

from haechi.capability import Capability, Commands, DemoStep, HomePanel, NavEntry, PeriodicJob, SystemTab

CAPABILITY = Capability(
    name="compliance",
    api_routers=("haechi.api.routers.compliance:router", "haechi.api.routers.compliance_cases:router"),
    web_routers=("haechi.web.routes.compliance:router", "haechi.web.routes.compliance_cases:router"),
    nav=(NavEntry("nav.compliance", "/compliance", 20),),
    tabs=(SystemTab("tabs.compliance", "/compliance", 20),),
    home_panels=(HomePanel("compliance", "panels/compliance.html", "haechi.web.routes.compliance:home_panel",
                           10),),
    commands=(Commands("haechi.cli.compliance", ("status", "controls", "evidence", "risks", "incidents", "plans",
                                                 "confirmations", "audit")),),
    demo_steps=(DemoStep("haechi.demo.compliance", "compliance: approved plans, evidence, controls moved through "
                         "their states, risks", 50),
                DemoStep("haechi.demo.compliance_review", "compliance: the fairness alert's incident triaged, its "
                         "EU clock running; an exploited vulnerability in a connected product with its Cyber "
                         "Resilience Act clocks; ledger signed", 70)),
    tables=("haechi.store.compliance_tables",),
    # demote controls whose evidence lapsed and sign due ledger checkpoints: at start-up, then hourly
    jobs=(PeriodicJob("compliance-upkeep", "compliance", "haechi.compliance.scheduler:run_once",
                      every=3600.0, first_after=0.0),),
)
