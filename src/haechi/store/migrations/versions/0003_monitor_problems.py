"""monitoring problems: alerts grouped per place, with their links

Existing alerts are grouped into problems here (``backfill``), so a workspace built
before problems existed shows them at once: per place (monitor × metric × scope ×
group), consecutive alerts that are resolved form one resolved problem, the others one
open (or, when all were acknowledged, acknowledged) problem — the rule of
``haechi/monitor/problems.py`` as far as the stored alert statuses tell it. The
incident, evidence and controls each alert fed are read from the compliance tables
(``evidence_items.source_ref = 'alert:<id>'``, the alert incidents and their timelines).

Revision ID: 0003_monitor_problems
Revises: 0002_ingest_tokens
Create Date: 2026-12-06 14:49:53.011538
"""
import datetime as dt
from typing import Any

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0003_monitor_problems'
down_revision = '0002_ingest_tokens'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('monitor_problems',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('monitor_id', sa.Integer(), nullable=False),
    sa.Column('system_id', sa.Integer(), nullable=False),
    sa.Column('metric', sa.String(length=64), nullable=False),
    sa.Column('family', sa.String(length=32), nullable=False),
    sa.Column('scope', sa.String(length=200), nullable=False),
    sa.Column('grp', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('first_window', sa.String(length=40), nullable=False),
    sa.Column('last_window', sa.String(length=40), nullable=False),
    sa.Column('occurrences', sa.Integer(), nullable=False),
    sa.Column('last_value', sa.Float(), nullable=True),
    sa.Column('worst_value', sa.Float(), nullable=True),
    sa.Column('threshold', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('recent', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('breaching', sa.Boolean(), nullable=False),
    sa.Column('incident', sa.String(length=40), nullable=True),
    sa.Column('evidence', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('controls', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('follows_id', sa.Integer(), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by', sa.String(length=320), nullable=True),
    sa.Column('acknowledged_note', sa.Text(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.String(length=320), nullable=True),
    sa.Column('resolved_note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['monitor_id'], ['monitors.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['system_id'], ['systems.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('monitor_problems', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitor_problems_monitor_id'), ['monitor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitor_problems_org_id'), ['org_id'], unique=False)
        batch_op.create_index('ix_monitor_problems_place', ['monitor_id', 'metric', 'scope', 'grp'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitor_problems_system_id'), ['system_id'], unique=False)

    with op.batch_alter_table('monitor_alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('problem_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_monitor_alerts_problem_id'), ['problem_id'], unique=False)

    backfill(op.get_bind())


_ALERTS = sa.table("monitor_alerts", *(sa.column(c) for c in (
    "id", "org_id", "monitor_id", "system_id", "window_start", "metric", "family", "scope", "grp", "value",
    "status", "note", "problem_id")), sa.column("threshold", sa.JSON),
    sa.column("updated_at", sa.DateTime(timezone=True)))
_PROBLEMS = sa.table("monitor_problems", *(sa.column(c) for c in (
    "id", "org_id", "monitor_id", "system_id", "metric", "family", "scope", "grp", "status", "severity",
    "first_window", "last_window", "occurrences", "last_value", "worst_value", "incident", "follows_id",
    "acknowledged_note", "resolved_note")), sa.column("breaching", sa.Boolean),
    *(sa.column(c, sa.JSON) for c in ("threshold", "recent", "evidence", "controls")),
    *(sa.column(c, sa.DateTime(timezone=True)) for c in ("acknowledged_at", "resolved_at", "created_at", "updated_at")))
_SEVERITY = {"fairness": "high", "performance": "medium"}


def backfill(bind: Any) -> None:
    """Group the stored alerts into problems and record what each fed in compliance."""
    rows = bind.execute(sa.select(_ALERTS).order_by(_ALERTS.c.monitor_id, _ALERTS.c.metric, _ALERTS.c.scope,
                                                    _ALERTS.c.grp, _ALERTS.c.window_start)).mappings().all()
    if not rows:
        return
    latest = dict(bind.execute(sa.text("SELECT monitor_id, max(window_start) FROM monitor_results "
                                       "WHERE result IS NOT NULL GROUP BY monitor_id")).all())
    evidence, controls, incidents = _links(bind)
    previous: dict[tuple[Any, ...], tuple[int, bool]] = {}
    for run in _runs(rows):
        first, last = run[0], run[-1]
        place = (first["monitor_id"], first["metric"], first["scope"], first["grp"])
        resolved = last["status"] == "resolved"
        statuses = {a["status"] for a in run}
        status = "resolved" if resolved else "acknowledged" if statuses == {"acknowledged"} else "open"
        note = next((a["note"] for a in reversed(run) if a["note"]), None)
        when = max(a["updated_at"] for a in run) or dt.datetime.now(dt.UTC)
        follows = previous.get(place)
        values = [a["value"] for a in run]
        bound = last["threshold"] or {}
        fed = [a["id"] for a in run]
        problem = {
            "org_id": first["org_id"], "monitor_id": first["monitor_id"], "system_id": first["system_id"],
            "metric": first["metric"], "family": first["family"], "scope": first["scope"] or "",
            "grp": first["grp"] or "", "status": status, "severity": _SEVERITY.get(first["family"], "low"),
            "first_window": first["window_start"], "last_window": last["window_start"], "occurrences": len(run),
            "last_value": last["value"], "worst_value": max(values) if "max" in bound else min(values),
            "breaching": last["window_start"] == latest.get(first["monitor_id"]),
            "incident": next((incidents[i] for i in reversed(fed) if i in incidents), None),
            "follows_id": follows[0] if follows and follows[1] else None,
            "acknowledged_at": when if status == "acknowledged" else None,
            "acknowledged_note": note if status == "acknowledged" else None,
            "resolved_at": when if resolved else None, "resolved_note": note if resolved else None,
            "created_at": when, "updated_at": when, "threshold": bound,
            "recent": [[a["window_start"], a["value"]] for a in run][-30:],
            "evidence": [evidence[i] for i in fed if i in evidence][-50:],
            "controls": sorted({c for i in fed for c in controls.get(i, [])},
                               key=lambda r: (r.split("-")[0], int(r.split("-")[-1]))),
        }
        problem_id = bind.execute(sa.insert(_PROBLEMS).values(**problem).returning(_PROBLEMS.c.id)).scalar_one()
        bind.execute(sa.update(_ALERTS).where(_ALERTS.c.id.in_(fed)).values(problem_id=problem_id))
        previous[place] = (problem_id, resolved)


def _runs(rows: list[Any]) -> list[list[Any]]:
    """Consecutive alerts of one place with the same resolved-ness."""
    runs: list[list[Any]] = []
    for row in rows:
        key = (row["monitor_id"], row["metric"], row["scope"], row["grp"], row["status"] == "resolved")
        if runs and runs[-1][0]["__key"] == key:
            runs[-1].append({**row, "__key": key})
        else:
            runs.append([{**row, "__key": key}])
    return runs


def _links(bind: Any) -> tuple[dict[int, str], dict[int, list[str]], dict[int, str]]:
    """alert id → evidence ref, → control refs, → incident ref, from the compliance tables."""
    evidence: dict[int, str] = {}
    controls: dict[int, list[str]] = {}
    for ev_id, number, source_ref in bind.execute(sa.text(
            "SELECT id, number, source_ref FROM evidence_items WHERE source_ref LIKE 'alert:%' ORDER BY number")):
        alert = _alert_id(source_ref.split(":", 1)[1])
        if alert is None:
            continue
        evidence[alert] = f"E-{number}"
        controls[alert] = [f"C-{n}" for (n,) in bind.execute(sa.text(
            "SELECT c.number FROM evidence_links l JOIN controls c ON c.id = l.control_id "
            "WHERE l.evidence_id = :ev ORDER BY c.number"), {"ev": ev_id})]
    incidents: dict[int, str] = {}
    table = sa.table("incidents", sa.column("id"), sa.column("number"), sa.column("source"),
                     sa.column("source_ref", sa.JSON))
    numbers = {}
    for row in bind.execute(sa.select(table).where(table.c.source == "alert").order_by(table.c.number)).mappings():
        numbers[row["id"]] = row["number"]
        alert = _alert_id((row["source_ref"] or {}).get("alert"))
        if alert is not None:
            incidents[alert] = f"INC-{row['number']}"
    events = sa.table("incident_events", sa.column("incident_id"), sa.column("data", sa.JSON))
    if numbers:
        for row in bind.execute(sa.select(events).where(events.c.incident_id.in_(list(numbers)))).mappings():
            alert = _alert_id((row["data"] or {}).get("alert"))
            if alert is not None:
                incidents.setdefault(alert, f"INC-{numbers[row['incident_id']]}")
    return evidence, controls, incidents


def _alert_id(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None



def downgrade() -> None:
    with op.batch_alter_table('monitor_alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitor_alerts_problem_id'))
        batch_op.drop_column('problem_id')

    with op.batch_alter_table('monitor_problems', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitor_problems_system_id'))
        batch_op.drop_index('ix_monitor_problems_place')
        batch_op.drop_index(batch_op.f('ix_monitor_problems_org_id'))
        batch_op.drop_index(batch_op.f('ix_monitor_problems_monitor_id'))

    op.drop_table('monitor_problems')
