"""Each system's label settings in the store (``hc.transparency.label_settings``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from haechi.auth.roles import Actor, Permission
from haechi.ledger import append
from haechi.ledger.actions import LedgerAction
from haechi.store.tables import utcnow
from haechi.store.transparency_tables import LabelSettingsRow

from .labelsettings import LabelSettings

if TYPE_CHECKING:
    from haechi.registry.service import SystemRegistry
    from haechi.store.db import Database


class LabelSettingsBook:
    """Reads and changes label settings; a read of a system never configured gets the defaults."""

    def __init__(self, db: Database, systems: SystemRegistry) -> None:
        self.db, self.systems = db, systems

    def get(self, actor: Actor, slug: str) -> LabelSettings:
        actor.require(Permission.READ)
        self.systems.get(actor, slug)
        with self.db.reader() as s:
            row = _row(s, actor, slug)
            return LabelSettings.model_validate(row.settings) if row else LabelSettings()

    def set(self, actor: Actor, slug: str, values: dict[str, Any]) -> LabelSettings:
        """Change some label settings (others keep their value); validated, ledgered."""
        actor.require(Permission.WRITE)
        current = self.get(actor, slug)
        from haechi.domain.validation import parse_model
        merged = parse_model(LabelSettings, {**current.model_dump(), **values}, None,
                             "label settings", "라벨 설정")
        with self.db.transaction() as s:
            row = _row(s, actor, slug)
            if row is None:
                s.add(LabelSettingsRow(org_id=actor.org_id, system=slug, settings=merged.model_dump(),
                                       updated_by=actor.label))
            else:
                row.settings, row.updated_at, row.updated_by = merged.model_dump(), utcnow(), actor.label
            append(s, actor.org_id, actor.label, LedgerAction.LABEL_SETTINGS, "system", slug,
                   {"changed": sorted(values), "settings": merged.model_dump()})
        return merged


def _row(s: Any, actor: Actor, slug: str) -> LabelSettingsRow | None:
    return s.execute(select(LabelSettingsRow).where(LabelSettingsRow.org_id == actor.org_id,
                                                    LabelSettingsRow.system == slug)).scalar_one_or_none()
