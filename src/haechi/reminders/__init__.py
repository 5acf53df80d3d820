"""Reminders: what is due when, for which system and whom, and the channels that carry it."""
