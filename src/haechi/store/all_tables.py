"""Import every table module so ``Base.metadata`` is complete (migrations, tooling).

Each capability adds one import line here for its ``*_tables`` module.
"""

from haechi.store import (
    compliance_tables,  # noqa: F401
    esg_tables,  # noqa: F401
    monitor_lake_tables,  # noqa: F401
    monitor_tables,  # noqa: F401
    reports_tables,  # noqa: F401
    rules_tables,  # noqa: F401
    security_tables,  # noqa: F401
    tables,  # noqa: F401
    transparency_tables,  # noqa: F401
)
