"""Haechi (해치): operational AI governance and ESG.

Library first: ``from haechi import Haechi`` gives the facade the CLI, API and
dashboard are built on. The facade is imported on first use, so ``haechi --version``
and other light commands start fast.
"""

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("haechi")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+local"

if TYPE_CHECKING:
    from haechi.core import Haechi

__all__ = ["Haechi", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "Haechi":
        from haechi.core import Haechi

        return Haechi
    raise AttributeError(f"module 'haechi' has no attribute '{name}'")
