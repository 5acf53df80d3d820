"""Import every table module so ``Base.metadata`` is complete (migrations, tooling).

The modules are those the capabilities declare (:mod:`haechi.capability`).
"""

import importlib

from haechi.capability import capabilities

for _capability in capabilities():
    for _module in _capability.tables:
        importlib.import_module(_module)
