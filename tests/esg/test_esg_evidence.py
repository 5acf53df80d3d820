"""Energy records reach compliance as ``energy_record`` evidence, in the same transaction."""

from __future__ import annotations

import datetime as dt

import pytest

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.domain.card import SystemCard
from haechi.domain.errors import ValidationFailed

D = dt.date


@pytest.fixture
def admin(db_hc: Haechi) -> Actor:
    db_hc.accounts.create_org("hanbit", "Hanbit Precision", "한빛정밀")
    actor = db_hc.local_actor("hanbit")
    db_hc.systems.add(actor, SystemCard.model_validate({"id": "press-defect-vision", "name": "Defect vision"}))
    return actor


def _energy_evidence(hc: Haechi, actor: Actor) -> list[dict]:
    return [e for e in hc.compliance.evidence.list(actor, system="press-defect-vision")
            if e["evidence_type"] == "energy_record"]


def _record(hc: Haechi, actor: Actor, kwh: float = 1250.5) -> dict:
    return hc.esg.record_energy(actor, "press-defect-vision", activity="training", kwh=kwh,
                                start=D(2026, 3, 1), end=D(2026, 3, 31), country="KR", pue=1.3)


def test_an_energy_record_is_offered_as_evidence_once(db_hc: Haechi, admin: Actor) -> None:
    _record(db_hc, admin)
    [evidence] = _energy_evidence(db_hc, admin)
    assert "1250.5 kWh" in evidence["title"]
    _record(db_hc, admin)  # the same energy again: a second record, the same evidence
    assert len(db_hc.esg.energy_records(admin, "press-defect-vision")) == 2
    assert len(_energy_evidence(db_hc, admin)) == 1
    _record(db_hc, admin, kwh=90.0)
    assert len(_energy_evidence(db_hc, admin)) == 2


def test_a_refused_record_leaves_no_evidence(db_hc: Haechi, admin: Actor) -> None:
    with pytest.raises(ValidationFailed):
        db_hc.esg.record_energy(admin, "press-defect-vision", activity="training", kwh=10.0,
                                start=D(2026, 3, 1), end=D(2026, 3, 31), country="KR", pue=0.5)
    assert _energy_evidence(db_hc, admin) == []
    assert db_hc.esg.energy_records(admin) == []
