"""Registered models of an MLflow model registry: from a tracking server's REST API or a
local ``mlruns`` folder (MLflow's file store), read into the same plain records.

REST (MLflow 2.x/3.x, ``/api/2.0/mlflow``): ``registered-models/search``,
``model-versions/search`` and ``runs/get``; a token in ``MLFLOW_TRACKING_TOKEN`` is sent as
a bearer token. File store: ``mlruns/models/<name>/meta.yaml``,
``…/version-<n>/meta.yaml``, ``…/aliases/<alias>`` and ``…/tags/<key>``; runs in
``mlruns/<experiment>/<run id>/metrics/<key>`` (lines ``timestamp value step``).
Everything read is bounded (models, versions, metrics, response sizes).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from haechi.domain.errors import Issue, ValidationFailed

MAX_MODELS = 1000
MAX_VERSIONS = 1000
MAX_METRICS = 200
MAX_RESPONSE = 16 << 20
PRODUCTION_ALIASES = {"production", "prod", "champion"}


@dataclass
class ModelVersion:
    version: str
    stage: str | None = None
    aliases: list[str] = field(default_factory=list)
    run_id: str | None = None
    source: str | None = None
    status: str | None = None
    description: str | None = None
    metrics: dict[str, float] = field(default_factory=dict)

    def in_production(self) -> bool:
        return (self.stage or "").lower() == "production" or bool(PRODUCTION_ALIASES & {a.lower()
                                                                                          for a in self.aliases})


@dataclass
class RegisteredModel:
    name: str
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    versions: list[ModelVersion] = field(default_factory=list)

    def current(self) -> ModelVersion | None:
        """The version the card follows: the one in production (stage or alias), else the newest."""
        ready = [v for v in self.versions if (v.status or "READY").upper() == "READY"]
        production = [v for v in ready if v.in_production()]
        chosen = production or ready
        return max(chosen, key=lambda v: _number(v.version)) if chosen else None


def _number(version: str) -> int:
    return int(version) if version.isdigit() else -1


def registry_error(uri: str, message: str, fix: str) -> ValidationFailed:
    return ValidationFailed(f"MLflow registry {uri}: {message}", issues=[Issue("--uri", message, fix)],
                            key="integrations.mlflow_registry", values={"uri": uri, "message": message})


def read_registry(uri: str) -> list[RegisteredModel]:
    """Every registered model at ``uri`` (``http(s)://…`` tracking server, ``file://…`` or a folder)."""
    scheme = urlparse(uri).scheme
    if scheme in ("http", "https"):
        return RestRegistry(uri).models()
    path = Path(urlparse(uri).path if scheme == "file" else uri)
    return FileRegistry(path, uri).models()


def _metrics(values: dict[str, float]) -> dict[str, float]:
    return {k[:200]: v for k, v in sorted(values.items())[:MAX_METRICS] if math.isfinite(v)}


# --- REST ----------------------------------------------------------------------------------
class RestRegistry:
    def __init__(self, uri: str) -> None:
        import httpx

        self.uri = uri.rstrip("/")
        token = os.environ.get("MLFLOW_TRACKING_TOKEN")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = httpx.Client(base_url=f"{self.uri}/api/2.0/mlflow", headers=headers, timeout=30)

    def _get(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        import httpx

        try:
            response = self.client.get(path, params=params)
        except httpx.HTTPError as exc:
            raise registry_error(self.uri, f"cannot reach the tracking server ({exc.__class__.__name__})",
                                 "check the URI and that the server runs") from None
        if response.status_code != 200:
            raise registry_error(self.uri, f"{path} answered {response.status_code}: {response.text[:200]}",
                                 "check the URI, the token (MLFLOW_TRACKING_TOKEN) and the MLflow version")
        if len(response.content) > MAX_RESPONSE:
            raise registry_error(self.uri, f"{path} answered more than {MAX_RESPONSE >> 20} MiB", "page smaller")
        try:
            data = response.json()
        except ValueError:
            raise registry_error(self.uri, f"{path} did not answer JSON", "is this an MLflow server?") from None
        if not isinstance(data, dict):
            raise registry_error(self.uri, f"{path} answered {type(data).__name__}, not an object", "check the URI")
        return data

    def _pages(self, path: str, key: str, params: dict[str, Any], limit: int) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        token: str | None = None
        while len(items) < limit:
            data = self._get(path, {**params, **({"page_token": token} if token else {})})
            items += [i for i in data.get(key) or [] if isinstance(i, dict)]
            token = data.get("next_page_token")
            if not token:
                break
        return items[:limit]

    def models(self) -> list[RegisteredModel]:
        try:
            found = self._pages("/registered-models/search", "registered_models", {"max_results": 100}, MAX_MODELS)
            return [self._model(m) for m in found if isinstance(m.get("name"), str)]
        finally:
            self.client.close()

    def _model(self, raw: dict[str, Any]) -> RegisteredModel:
        name = raw["name"]
        aliases: dict[str, list[str]] = {}
        for alias in raw.get("aliases") or []:
            if isinstance(alias, dict):
                aliases.setdefault(str(alias.get("version")), []).append(str(alias.get("alias")))
        escaped = name.replace("'", "\\'")
        versions = self._pages("/model-versions/search", "model_versions",
                               {"filter": f"name='{escaped}'", "max_results": 200}, MAX_VERSIONS)
        model = RegisteredModel(name, raw.get("description") or None, _tags(raw.get("tags")))
        for v in versions:
            version = ModelVersion(str(v.get("version")), v.get("current_stage"), aliases.get(str(v.get("version")),
                                   []), v.get("run_id") or None, v.get("source"), v.get("status"),
                                   v.get("description") or None)
            model.versions.append(version)
        current = model.current()
        if current is not None and current.run_id:
            current.metrics = self._run_metrics(current.run_id)
        return model

    def _run_metrics(self, run_id: str) -> dict[str, float]:
        run = self._get("/runs/get", {"run_id": run_id}).get("run") or {}
        metrics = (run.get("data") or {}).get("metrics") or []
        latest: dict[str, tuple[int, float]] = {}
        for m in metrics:
            if isinstance(m, dict) and isinstance(m.get("key"), str) and isinstance(m.get("value"), int | float):
                stamp = int(m.get("timestamp") or 0)
                if m["key"] not in latest or stamp >= latest[m["key"]][0]:
                    latest[m["key"]] = (stamp, float(m["value"]))
        return _metrics({k: v for k, (_, v) in latest.items()})


def _tags(raw: Any) -> dict[str, str]:
    return {str(t["key"]): str(t.get("value", "")) for t in raw or [] if isinstance(t, dict) and "key" in t}


# --- file store ----------------------------------------------------------------------------
class FileRegistry:
    def __init__(self, root: Path, uri: str) -> None:
        self.root, self.uri = root, uri
        if not (root / "models").is_dir():
            raise registry_error(uri, f"no MLflow model registry at {root} (no models/ folder)",
                                 "give the mlruns folder of an MLflow file store")

    def _yaml(self, path: Path) -> dict[str, Any]:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")[:1 << 20])
        except (OSError, yaml.YAMLError) as exc:
            raise registry_error(self.uri, f"{path}: unreadable ({exc.__class__.__name__})", "fix the file") from None
        return data if isinstance(data, dict) else {}

    def models(self) -> list[RegisteredModel]:
        folders = sorted(p for p in (self.root / "models").iterdir() if (p / "meta.yaml").is_file())
        return [self._model(folder) for folder in folders[:MAX_MODELS]]

    def _model(self, folder: Path) -> RegisteredModel:
        meta = self._yaml(folder / "meta.yaml")
        model = RegisteredModel(str(meta.get("name") or folder.name), meta.get("description") or None,
                                _small_files(folder / "tags"))
        aliases: dict[str, list[str]] = {}
        for alias, version in _small_files(folder / "aliases").items():
            aliases.setdefault(version, []).append(alias)
        for vfolder in sorted(folder.glob("version-*"))[:MAX_VERSIONS]:
            v = self._yaml(vfolder / "meta.yaml")
            number = str(v.get("version") or vfolder.name.removeprefix("version-"))
            model.versions.append(ModelVersion(number, v.get("current_stage"), aliases.get(number, []),
                                               v.get("run_id") or None, v.get("source"), v.get("status"),
                                               v.get("description") or None))
        current = model.current()
        if current is not None and current.run_id:
            current.metrics = self._run_metrics(current.run_id)
        return model

    def _run_metrics(self, run_id: str) -> dict[str, float]:
        for run in self.root.glob(f"*/{run_id}"):
            if not (run / "meta.yaml").is_file() or not (run / "metrics").is_dir():
                continue
            values: dict[str, float] = {}
            for path in sorted((run / "metrics").rglob("*"))[:MAX_METRICS]:
                if path.is_file():
                    latest = _latest_metric(path)
                    if latest is not None:
                        values[path.relative_to(run / "metrics").as_posix()] = latest
            return _metrics(values)
        return {}


def _latest_metric(path: Path) -> float | None:
    """The value with the newest timestamp (then the highest step) of a metric history file."""
    best: tuple[int, int, float] | None = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[-10000:]:
        parts = line.split()
        try:
            stamp, value, step = int(parts[0]), float(parts[1]), int(parts[2]) if len(parts) > 2 else 0
        except (ValueError, IndexError):
            continue
        if best is None or (stamp, step) >= best[:2]:
            best = (stamp, step, value)
    return best[2] if best else None


def _small_files(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {p.name: p.read_text(encoding="utf-8", errors="replace").strip()[:500]
            for p in sorted(folder.iterdir())[:200] if p.is_file()}
