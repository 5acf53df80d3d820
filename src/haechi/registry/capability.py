"""The foundation's part of the shells: accounts, the system registry, sign-in, settings."""

from haechi.capability import Capability, Commands, DemoStep, NavEntry, SystemTab

CAPABILITY = Capability(
    name="registry",
    api_routers=("haechi.api.routers.accounts:router", "haechi.api.routers.systems:router",
                 "haechi.api.routers.org:router"),
    web_routers=("haechi.web.routes.auth:router", "haechi.web.routes.home:router",
                 "haechi.web.routes.systems:router", "haechi.web.routes.settings:router",
                 "haechi.web.routes.apidocs:router"),
    nav=(NavEntry("nav.home", "/", 0), NavEntry("nav.systems", "/systems", 10),
         NavEntry("nav.settings", "/settings", 95)),
    tabs=(SystemTab("tabs.overview", "", 0), SystemTab("tabs.history", "/history", 90)),
    commands=(Commands("haechi.cli.systems", ("systems",), group=True),
              Commands("haechi.cli.admin", ("init", "orgs", "users", "tokens")),
              Commands("haechi.cli.org", ("org",), group=True),
              Commands("haechi.cli.serve", ("serve", "demo")),
              Commands("haechi.cli.doctor", ("doctor",))),
    demo_steps=(DemoStep("haechi.demo.company", "organisation, users and AI systems", 10),),
    tables=("haechi.store.tables", "haechi.store.security_tables"),
)
