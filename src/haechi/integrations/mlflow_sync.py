"""MLflow registered models as system cards, kept in step with the registry.

``import_models`` makes a card for every registered model that has none yet — a draft to
complete: name, description, status from the model's stage or aliases (production, else
development), the tag ``mlflow`` and ``model`` (name, version, the run's metrics and the
registry source ``mlflow:models:/<name>/<version>``). With ``sync`` a card already linked to
the model (its ``model.source``) gets a new revision when the registry's current version
or metrics changed; only ``model.*`` is written, so what people wrote on the card stays.
A system of the same id that is not linked to the model is left alone and reported.
"""

from __future__ import annotations

import re
from typing import Any

from haechi.auth.roles import Actor, Permission
from haechi.domain.card import ModelInfo, SystemCard
from haechi.domain.errors import NotFound
from haechi.registry.service import SystemRegistry

from .mlflow_read import ModelVersion, RegisteredModel

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def system_id(model_name: str) -> str:
    """The card id of a registered model: lower-case letters, digits and dashes."""
    slug = _NOT_SLUG.sub("-", model_name.lower()).strip("-")[:64].rstrip("-")
    return slug if len(slug) >= 2 else f"model-{slug}".rstrip("-")


def source_of(model: RegisteredModel, version: ModelVersion) -> str:
    return f"mlflow:models:/{model.name}/{version.version}"


def model_info(model: RegisteredModel, version: ModelVersion, previous: ModelInfo | None = None) -> ModelInfo:
    """``model`` of the card: the registry's name, version, metrics and source (type and
    provider as people wrote them)."""
    base = previous.model_dump(exclude_none=True) if previous else {}
    return ModelInfo.model_validate({**base, "name": model.name[:200], "version": version.version,
                                     "metrics": version.metrics or None, "source": source_of(model, version)})


class MlflowImport:
    """Creates and revises cards from registered models (the registry service does the writing)."""

    def __init__(self, systems: SystemRegistry) -> None:
        self.systems = systems

    def import_models(self, actor: Actor, models: list[RegisteredModel], *, sync: bool = False) -> list[dict[str, Any]]:
        actor.require(Permission.WRITE)
        return [self._one(actor, model, sync) for model in models]

    def _one(self, actor: Actor, model: RegisteredModel, sync: bool) -> dict[str, Any]:
        version = model.current()
        ident = system_id(model.name)
        out: dict[str, Any] = {"model": model.name, "system": ident, "version": version.version if version else None}
        if version is None:
            return {**out, "action": "skipped", "reason": "no READY version in the registry"}
        try:
            record = self.systems.get(actor, ident)
        except NotFound:
            self.systems.add(actor, self._new_card(model, version, ident))
            return {**out, "action": "created"}
        card = record.card
        linked = card.model is not None and (card.model.source or "").startswith(f"mlflow:models:/{model.name}/")
        if not linked:
            return {**out, "action": "skipped", "reason": f"system '{ident}' exists and is not linked to this model"}
        revised = card.model_copy(update={"model": model_info(model, version, card.model)})
        if revised.model == card.model:
            return {**out, "action": "unchanged"}
        had = card.model.version if card.model else None
        if not sync:
            return {**out, "action": "outdated", "reason": f"the card has version {had}; use --sync"}
        self.systems.update(actor, revised, expected_revision=record.revision,
                            note=f"model from MLflow: {model.name} version {version.version}")
        return {**out, "action": "updated", "previous_version": had}

    @staticmethod
    def _new_card(model: RegisteredModel, version: ModelVersion, ident: str) -> SystemCard:
        return SystemCard.model_validate({
            "id": ident, "name": model.name[:200], "description": (model.description or version.description),
            "status": "production" if version.in_production() else "development", "tags": ["mlflow"],
            "model": model_info(model, version).model_dump(exclude_none=True)})
