"""Reminders' part of the shells."""

from haechi.capability import Capability, Commands, HomePanel

CAPABILITY = Capability(
    name="reminders",
    home_panels=(HomePanel("reminders", "panels/reminders.html", "haechi.reminders.panel:home_panel", 5),),
    commands=(Commands("haechi.cli.reminders", ("reminders",), group=True),),
)
