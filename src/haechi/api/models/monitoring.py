"""Response bodies of the monitoring operations (the OpenAPI document and generated clients read these)."""

from __future__ import annotations

from typing import Any

from .base import Open, Page


class MonitoringPostEvents(Open):
    system: str | None = None
    received: int | None = None
    stored: int | None = None
    duplicates: int | None = None
    rejected_count: int | float | None = None
    generated_ids: int | float | None = None
    rejected: list[Any] | None = None
    durable: bool | None = None


class MonitoringEventsStats(Open):
    system: str | None = None
    events: int | None = None
    days: int | float | None = None
    first_day: str | None = None
    last_day: str | None = None
    event_files: int | float | None = None
    label_files: int | float | None = None
    bytes: int | float | None = None
    retention: dict[str, Any] | None = None


class MonitoringEventsCount(Open):
    system: str | None = None
    start: Any = None
    end: Any = None
    events: int | None = None


class MonitoringEventsSchema(Open):
    system: str | None = None
    version: int | None = None
    columns: dict[str, Any] | None = None
    mapping: dict[str, Any] | None = None


class MonitoringListMonitorsItem(Open):
    id: int | float | None = None
    system: str | None = None
    name: str | None = None
    schedule: str | None = None
    enabled: bool | None = None
    spec: dict[str, Any] | None = None
    updated_at: str | None = None
    last_run_at: str | None = None
    last_status: str | None = None
    last_error: Any = None


class MonitoringListMonitors(Page):
    items: list[MonitoringListMonitorsItem] | None = None


class MonitoringGetMonitor(MonitoringListMonitorsItem):
    pass


class MonitoringRunMonitor(Open):
    system: str | None = None
    monitor: str | None = None
    task: str | None = None
    reference: dict[str, Any] | None = None
    windows: list[Any] | None = None
    alerts: list[Any] | None = None
    run: dict[str, Any] | None = None


class MonitoringMonitorResults(Open):
    system: str | None = None
    monitor: str | None = None
    spec: dict[str, Any] | None = None
    windows: list[Any] | None = None
    thresholds: dict[str, Any] | None = None
    last_run_at: str | None = None


class MonitoringMonitorRunsItem(Open):
    id: int | float | None = None
    trigger: str | None = None
    actor: str | None = None
    started_at: str | None = None
    status: str | None = None
    computed_windows: int | float | None = None
    cached_windows: int | float | None = None
    new_alerts: int | float | None = None
    seconds: int | float | None = None
    error: Any = None


class MonitoringMonitorRuns(Page):
    items: list[MonitoringMonitorRunsItem] | None = None


class MonitoringListFiles(Page):
    pass


class MonitoringListAlertsItem(Open):
    id: int | float | None = None
    system: str | None = None
    monitor: str | None = None
    window_start: str | None = None
    window_end: str | None = None
    metric: str | None = None
    family: str | None = None
    scope: str | None = None
    group: Any = None
    value: int | float | None = None
    threshold: dict[str, Any] | None = None
    n: int | float | None = None
    status: str | None = None
    note: Any = None
    deliveries: list[Any] | None = None
    created_at: str | None = None


class MonitoringListAlerts(Page):
    items: list[MonitoringListAlertsItem] | None = None


class MonitoringUpdateAlert(MonitoringListAlertsItem):
    scope: Any = None
    note: str | None = None


class MonitoringPutFile(Open):
    name: str | None = None
    size: int | None = None
    modified_at: str | None = None
    sha256: str | None = None


class MonitoringProblem(Open):
    """A monitoring problem: one place's breaches from the first until it is resolved."""

    id: int | None = None
    system: str | None = None
    monitor: str | None = None
    metric: str | None = None
    family: str | None = None
    scope: str | None = None
    group: str | None = None
    status: str | None = None
    severity: str | None = None
    first_seen: Any = None
    last_seen: Any = None
    occurrences: int | None = None
    last_value: int | float | None = None
    worst_value: int | float | None = None
    threshold: Any = None
    trend: Any = None
    breaching: bool | None = None
    recent: list[Any] | None = None
    incident: Any = None
    evidence: list[Any] | None = None
    controls: list[Any] | None = None
    follows: int | None = None
    acknowledged: dict[str, Any] | None = None
    resolved: dict[str, Any] | None = None
    created_at: str | None = None
    updated_at: str | None = None


class MonitoringGetProblem(MonitoringProblem):
    occurrences_shown: list[Any] | None = None


class MonitoringListProblems(Page):
    items: list[MonitoringProblem] | None = None
