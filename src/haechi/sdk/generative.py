"""Generative-event shaping of the SDK (``haechi_sdk.generative``), under its former name."""

from haechi_sdk.generative import generative_event, session_hash

__all__ = ["generative_event", "session_hash"]
