"""Haechi (해치): operational AI governance and ESG.

Library first: ``from haechi import Haechi`` gives the facade the CLI, API and
dashboard are built on.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("haechi")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+local"

from haechi.core import Haechi

__all__ = ["Haechi", "__version__"]
