"""Reports', passports' and exports' part of the shells."""

from haechi.capability import Capability, Commands, DemoStep, HomePanel, NavEntry, SystemTab

CAPABILITY = Capability(
    name="reports",
    api_routers=("haechi.api.routers.reports:router",),
    web_routers=("haechi.web.routes.reports:router",),
    nav=(NavEntry("nav.reports", "/reports", 80),),
    tabs=(SystemTab("tabs.documents", "/documents", 80),),
    home_panels=(HomePanel("reports", "panels/reports.html", "haechi.web.routes.reports:home_panel", 70),),
    commands=(Commands("haechi.cli.reports", ("dossier", "report", "passport", "export", "import")),),
    demo_steps=(DemoStep("haechi.demo.reports", "passports for the hiring screener and the support chatbot, "
                         "dossiers", 80),),
    tables=("haechi.store.reports_tables",),
)
