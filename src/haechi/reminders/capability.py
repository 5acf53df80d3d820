"""Reminders' part of the shells."""

from haechi.capability import Capability, Commands, HomePanel, PeriodicJob

CAPABILITY = Capability(
    name="reminders",
    home_panels=(HomePanel("reminders", "panels/reminders.html", "haechi.web.routes.reminders:home_panel", 5),),
    commands=(Commands("haechi.cli.reminders", ("reminders",), group=True),),
    api_routers=("haechi.api.routers.reminders:router",),
    web_routers=("haechi.web.routes.reminders:router",),
    tables=("haechi.store.reminders_tables",),
    # queue each day's digests and send what is due (first tries and retries), every minute
    jobs=(PeriodicJob("reminders", "reminders", "haechi.reminders.service:run_once", every=60.0, first_after=30.0),),
)
