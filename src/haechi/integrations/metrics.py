"""Operational metrics in the Prometheus text exposition format (version 0.0.4).

What a platform team watches, per organisation: open monitoring alerts, unresolved
monitoring problems and incidents,
controls by status, open risks, how long ago each monitor last ran and how that run
ended, and how many prediction events were ingested. Everything but the ingestion
counter is read from the database at scrape time (so every server process answers the
same); the ingestion counter counts what *this* process accepted since it started, as
Prometheus counters do (``rate()`` handles the restarts).

No tenant content leaves: labels are organisation and system ids, monitor names and
fixed status words — never card text, evidence or log rows.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from haechi.clock import Clock
from haechi.store.compliance_tables import Control, Incident, Risk
from haechi.store.db import Database
from haechi.store.monitor_tables import Monitor, MonitorAlert
from haechi.store.tables import Organisation, System

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
Labels = tuple[tuple[str, str], ...]


@dataclass
class Family:
    """One metric family: name, type, help and its samples (a counter's name ends in ``_total``,
    as the 0.0.4 text format has it)."""

    name: str
    kind: str
    help: str
    samples: list[tuple[Labels, float]] = field(default_factory=list)

    def add(self, value: float, **labels: str) -> None:
        self.samples.append((tuple(labels.items()), value))

    def lines(self) -> Iterator[str]:
        yield f"# HELP {self.name} {_escape_help(self.help)}"
        yield f"# TYPE {self.name} {self.kind}"
        for labels, value in self.samples:
            yield f"{self.name}{_labels(labels)} {_number(value)}"


def _escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _escape_value(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(labels: Labels) -> str:
    if not labels:
        return ""
    return "{" + ",".join(f'{k}="{_escape_value(v)}"' for k, v in labels) + "}"


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def render(families: Iterable[Family]) -> str:
    """The exposition text of ``families`` (ending with a newline, as the format asks)."""
    return "\n".join(line for family in families for line in family.lines()) + "\n"


class IngestCounter:
    """Prediction events accepted by this process, per organisation and system (thread-safe)."""

    def __init__(self) -> None:
        self._counts: Counter[tuple[str, str, str]] = Counter()
        self._lock = threading.Lock()

    def add(self, org: str, system: str, rows: int, source: str = "api") -> None:
        if rows > 0:
            with self._lock:
                self._counts[(org, system, source)] += rows

    def items(self, org: str | None) -> list[tuple[tuple[str, str, str], int]]:
        with self._lock:
            return sorted((k, v) for k, v in self._counts.items() if org is None or k[0] == org)


class MetricsService:
    """Builds the exposition for one organisation (an org token) or all (the operator token)."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.ingested = IngestCounter()

    def exposition(self, org: str | None) -> str:
        """Metrics of organisation ``org``, or of every organisation when ``None``."""
        with self.db.reader() as s:
            orgs = self._orgs(s, org)
            families = [self._alerts(s, orgs), self._problems(s, orgs), self._incidents(s, orgs),
                        self._controls(s, orgs), self._risks(s, orgs), *self._monitors(s, orgs), self._systems(s, orgs)]
        families.append(self._ingested(org))
        return render(families)

    def _orgs(self, s: Session, org: str | None) -> dict[int, str]:
        query = select(Organisation.id, Organisation.slug)
        if org is not None:
            query = query.where(Organisation.slug == org)
        return {row.id: row.slug for row in s.execute(query)}

    def _alerts(self, s: Session, orgs: dict[int, str]) -> Family:
        family = Family("haechi_alerts_open", "gauge", "Open monitoring alerts by system and metric family")
        query = (select(MonitorAlert.org_id, System.slug, MonitorAlert.family, func.count())
                 .join(System, System.id == MonitorAlert.system_id)
                 .where(MonitorAlert.status == "open", MonitorAlert.org_id.in_(orgs))
                 .group_by(MonitorAlert.org_id, System.slug, MonitorAlert.family)
                 .order_by(MonitorAlert.org_id, System.slug, MonitorAlert.family))
        for org_id, system, kind, count in s.execute(query):
            family.add(count, org=orgs[org_id], system=system, family=kind)
        return family

    def _problems(self, s: Session, orgs: dict[int, str]) -> Family:
        from haechi.store.monitor_problem_tables import MonitorProblem

        family = Family("haechi_problems_active", "gauge",
                        "Monitoring problems not yet resolved (open or acknowledged) by system and severity")
        query = (select(MonitorProblem.org_id, System.slug, MonitorProblem.status, MonitorProblem.severity,
                        func.count())
                 .join(System, System.id == MonitorProblem.system_id)
                 .where(MonitorProblem.status != "resolved", MonitorProblem.org_id.in_(orgs))
                 .group_by(MonitorProblem.org_id, System.slug, MonitorProblem.status, MonitorProblem.severity)
                 .order_by(MonitorProblem.org_id, System.slug, MonitorProblem.status, MonitorProblem.severity))
        for org_id, system, status, severity, count in s.execute(query):
            family.add(count, org=orgs[org_id], system=system, status=status, severity=severity)
        return family

    def _incidents(self, s: Session, orgs: dict[int, str]) -> Family:
        family = Family("haechi_incidents", "gauge", "Incidents by status and severity (closed ones included)")
        query = (select(Incident.org_id, Incident.status, Incident.severity, func.count())
                 .where(Incident.org_id.in_(orgs))
                 .group_by(Incident.org_id, Incident.status, Incident.severity)
                 .order_by(Incident.org_id, Incident.status, Incident.severity))
        for org_id, status, severity, count in s.execute(query):
            family.add(count, org=orgs[org_id], status=status, severity=severity)
        return family

    def _controls(self, s: Session, orgs: dict[int, str]) -> Family:
        family = Family("haechi_controls", "gauge", "Live controls by status")
        query = (select(Control.org_id, Control.status, func.count())
                 .where(Control.org_id.in_(orgs), Control.retired_at.is_(None))
                 .group_by(Control.org_id, Control.status).order_by(Control.org_id, Control.status))
        for org_id, status, count in s.execute(query):
            family.add(count, org=orgs[org_id], status=status)
        return family

    def _risks(self, s: Session, orgs: dict[int, str]) -> Family:
        family = Family("haechi_risks", "gauge", "Risks in the register by status")
        query = (select(Risk.org_id, Risk.status, func.count()).where(Risk.org_id.in_(orgs))
                 .group_by(Risk.org_id, Risk.status).order_by(Risk.org_id, Risk.status))
        for org_id, status, count in s.execute(query):
            family.add(count, org=orgs[org_id], status=status)
        return family

    def _monitors(self, s: Session, orgs: dict[int, str]) -> list[Family]:
        age = Family("haechi_monitor_last_run_age_seconds", "gauge",
                     "Seconds since the monitor last ran (absent: never ran)")
        ok = Family("haechi_monitor_last_run_ok", "gauge", "1 when the monitor's last run succeeded, else 0")
        enabled = Family("haechi_monitor_enabled", "gauge", "1 when the monitor runs on its schedule")
        now = self.clock.now()
        query = (select(Monitor.org_id, System.slug, Monitor.name, Monitor.enabled, Monitor.last_run_at,
                        Monitor.last_status)
                 .join(System, System.id == Monitor.system_id)
                 .where(Monitor.org_id.in_(orgs), System.deleted_at.is_(None))
                 .order_by(Monitor.org_id, System.slug, Monitor.name))
        for org_id, system, name, is_enabled, last_run, status in s.execute(query):
            labels = {"org": orgs[org_id], "system": system, "monitor": name}
            enabled.add(1 if is_enabled else 0, **labels)
            if last_run is not None:
                age.add(max(0.0, round((now - last_run).total_seconds(), 3)), **labels)
                ok.add(1 if status == "ok" else 0, **labels)
        return [age, ok, enabled]

    def _systems(self, s: Session, orgs: dict[int, str]) -> Family:
        family = Family("haechi_systems", "gauge", "Registered AI systems (not removed)")
        query = (select(System.org_id, func.count()).where(System.org_id.in_(orgs), System.deleted_at.is_(None))
                 .group_by(System.org_id).order_by(System.org_id))
        for org_id, count in s.execute(query):
            family.add(count, org=orgs[org_id])
        return family

    def _ingested(self, org: str | None) -> Family:
        family = Family("haechi_events_ingested_total", "counter",
                        "Prediction events stored by this server process since it started, by source")
        for (org_slug, system, source), count in self.ingested.items(org):
            family.add(count, org=org_slug, system=system, source=source)
        return family
