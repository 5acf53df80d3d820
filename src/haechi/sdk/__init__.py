"""Haechi SDK: log predictions from production with one line of Python.

>>> from haechi.sdk import Monitor
>>> monitor = Monitor(system="hiring-screener", url="http://localhost:8000", token="...")
>>> event_id = monitor.log(prediction=1, score=0.83, features={"years": 4},
...                        sensitive={"sex": "F"})
>>> monitor.label(event_id, 1)   # later, when the truth is known
"""

from .monitor import Monitor

__all__ = ["Monitor"]
