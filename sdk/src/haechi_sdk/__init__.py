"""Haechi SDK: log predictions from production with one line of Python.

Pure Python with no dependencies, for model-serving images:

>>> from haechi_sdk import Monitor
>>> monitor = Monitor(system="hiring-screener", url="http://haechi.internal:8000", token="hct_...")
>>> event_id = monitor.log(prediction=1, score=0.83, features={"years": 4},
...                        sensitive={"sex": "F"})
>>> monitor.label(event_id, 1)   # later, when the truth is known

``token`` is best an ingestion-only token (``haechi tokens create EMAIL --ingest SYSTEM``).
The server package re-exports this module as ``haechi.sdk``.
"""

from .monitor import Monitor

#: Released together with the Haechi server: the same version number.
__version__ = "0.1.0"

__all__ = ["Monitor", "__version__"]
