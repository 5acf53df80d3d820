"""The law packs' and verdicts' part of the shells."""

from haechi.capability import Capability, Commands, DemoStep, NavEntry, SystemTab

CAPABILITY = Capability(
    name="verdicts",
    api_routers=("haechi.api.routers.rules:router",),
    web_routers=("haechi.web.routes.rules:router",),
    nav=(NavEntry("rules.nav", "/packs", 30),),
    tabs=(SystemTab("rules.tab", "/verdict", 10),),
    commands=(Commands("haechi.cli.rules", ("classify", "compare", "crosswalk", "packs")),),
    demo_steps=(DemoStep("haechi.demo.rules", "law packs: verdicts for every system, one open question answered",
                         20),),
    tables=("haechi.store.rules_tables",),
)
