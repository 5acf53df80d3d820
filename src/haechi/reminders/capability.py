"""Reminders' part of the shells."""

from haechi.capability import Capability, Commands

CAPABILITY = Capability(
    name="reminders",
    commands=(Commands("haechi.cli.reminders", ("reminders",), group=True),),
)
