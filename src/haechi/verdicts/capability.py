"""The law packs' and verdicts' part of the shells."""

from haechi.capability import Capability, Commands, DemoStep, HomePanel, NavEntry, PeriodicJob, SystemTab

CAPABILITY = Capability(
    name="verdicts",
    api_routers=("haechi.api.routers.rules:router", "haechi.api.routers.pack_updates:router"),
    web_routers=("haechi.web.routes.rules:router", "haechi.web.routes.law_changes:router"),
    nav=(NavEntry("rules.nav", "/packs", 30), NavEntry("lawchanges.nav", "/law-changes", 32)),
    tabs=(SystemTab("rules.tab", "/verdict", 10),),
    home_panels=(HomePanel("lawchanges", "panels/lawchanges.html", "haechi.web.routes.law_changes:home_panel", 35),),
    commands=(Commands("haechi.cli.rules", ("classify", "compare", "crosswalk", "packs", "timeline")),),
    demo_steps=(DemoStep("haechi.demo.rules", "law packs: verdicts for every system, the EU Omnibus recorded as a "
                         "law change, one open question answered", 20),),
    tables=("haechi.store.rules_tables",),
    # when the date or the pack library changed, re-evaluate every system as of today: a dated
    # version that starts to apply, or a duty coming into force, becomes a law-change record
    jobs=(PeriodicJob("law-dates", "rules", "haechi.verdicts.updates:run_daily", every=3600.0, first_after=30.0),),
)
