"""ESG's part of the shells."""

from haechi.capability import Capability, Commands, DemoStep, HomePanel, NavEntry, SystemTab

CAPABILITY = Capability(
    name="esg",
    api_routers=("haechi.api.routers.esg:router",),
    web_routers=("haechi.web.routes.esg:router",),
    nav=(NavEntry("nav.esg", "/esg", 60),),
    tabs=(SystemTab("tabs.esg", "/esg", 60),),
    home_panels=(HomePanel("esg", "panels/esg.html", "haechi.web.routes.esg:home_panel", 40),),
    commands=(Commands("haechi.cli.esg", ("esg",), group=True),),
    demo_steps=(DemoStep("haechi.demo.esg", "ESG: twelve months of line, energy and safety records, AI energy, "
                         "social indicators", 30),),
    tables=("haechi.store.esg_tables",),
)
