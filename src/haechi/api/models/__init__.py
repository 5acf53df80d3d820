"""Typed response bodies of every API operation, one module per OpenAPI tag.

The fields were taken from the answers the endpoints really give (every field a client
can rely on is named and typed; all are optional because several operations answer the
same resource with fewer fields). ``Open`` keeps any field not named here, so a model
never drops data; ``returns(Model)`` is the decorator keyword set every route uses.
"""

from .base import FileBody, Open, Redirects, returns

__all__ = ["FileBody", "Open", "Redirects", "returns"]
