"""Roles and the actor that every service call runs as.

viewer and auditor read; auditor may also verify and export the ledger; editor
writes; admin also manages users and tokens. Tenant isolation is enforced by the
services: every query is filtered by the actor's organisation, and rows of another
organisation are reported as *not found*, so their existence never leaks.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from haechi.domain.errors import PermissionDenied


class Permission(StrEnum):
    READ = "read"
    WRITE = "write"
    AUDIT = "audit"
    ADMIN = "admin"


ROLES: dict[str, frozenset[Permission]] = {
    "viewer": frozenset({Permission.READ}),
    "auditor": frozenset({Permission.READ, Permission.AUDIT}),
    "editor": frozenset({Permission.READ, Permission.WRITE}),
    "admin": frozenset({Permission.READ, Permission.WRITE, Permission.AUDIT, Permission.ADMIN}),
}


@dataclass(frozen=True)
class Actor:
    """Who is acting, in which organisation, with which role."""

    org_id: int
    org_slug: str
    role: str
    label: str
    user_id: int | None = None
    #: Set for an ingestion-only token: the system ids it may log events and labels for.
    #: Such an actor reads and writes at most (never audits or administers); the API lets
    #: it reach the ingestion endpoints of these systems and nothing else (``api/deps``).
    ingest_systems: frozenset[str] | None = None

    def can(self, permission: Permission) -> bool:
        if self.ingest_systems is not None and permission not in (Permission.READ, Permission.WRITE):
            return False
        return permission in ROLES.get(self.role, frozenset())

    def may_ingest(self, system: str) -> bool:
        """Whether this actor may log events and labels for ``system`` (any writer may)."""
        if self.ingest_systems is not None:
            return system in self.ingest_systems and self.can(Permission.WRITE)
        return self.can(Permission.WRITE)

    def require(self, permission: Permission) -> None:
        """Raise :class:`PermissionDenied` unless the role grants ``permission``."""
        if not self.can(permission):
            raise PermissionDenied(
                f"your role '{self.role}' does not allow this ({permission.value} needed)",
                key="auth.your_role_does_not", values={"role": self.role, "value": permission.value},
            )
