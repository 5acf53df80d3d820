"""Import every table module so ``Base.metadata`` is complete (migrations, tooling).

Each capability adds one import line here for its ``*_tables`` module.
"""

from haechi.store import tables  # noqa: F401
from haechi.store import compliance_tables  # noqa: F401
from haechi.store import transparency_tables  # noqa: F401
from haechi.store import esg_tables  # noqa: F401
from haechi.store import monitor_lake_tables  # noqa: F401
from haechi.store import monitor_tables  # noqa: F401
from haechi.store import rules_tables  # noqa: F401
from haechi.store import reports_tables  # noqa: F401
