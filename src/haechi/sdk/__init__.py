"""``haechi.sdk``: the Haechi SDK (distribution ``haechi-sdk``, package ``haechi_sdk``) seen
from the server package, for code written against ``from haechi.sdk import Monitor``.

The SDK is its own small distribution so that model-serving images install it without the
server's dependencies (``pip install haechi-sdk``); the server depends on the same version.
With the server installed, ``Monitor(path=...)`` can also write into a local lake
(:mod:`haechi.sdk.lake`).
"""

from haechi_sdk import Monitor, __version__

__all__ = ["Monitor", "__version__"]
