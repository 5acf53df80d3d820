"""Haechi (해치): operational AI governance and ESG.

Library first: ``from haechi import Haechi`` gives the facade the CLI, API and
dashboard are built on. The facade and the version are looked up on first use, so
``haechi --version`` and the monitor's command line start fast (reading the installed
version costs ``importlib.metadata``, some 20 ms).
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from haechi.core import Haechi

    __version__: str

__all__ = ["Haechi", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "Haechi":
        from haechi.core import Haechi

        return Haechi
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("haechi")
        except PackageNotFoundError:  # running from a source tree without installation
            found = "0.0.0+local"
        globals()["__version__"] = found
        return found
    raise AttributeError(f"module 'haechi' has no attribute '{name}'")
