"""MLflow registered models become draft system cards and stay in step with the registry.

Two registries, both in MLflow's documented formats: a local ``mlruns`` folder in the file
store's layout, and a small HTTP server answering the REST API's JSON
(``registered-models/search`` paged, ``model-versions/search``, ``runs/get``).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

import pytest

from haechi import Haechi
from haechi.domain.card import SystemCard
from haechi.integrations.mlflow_read import read_registry


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _run(root: Path, run_id: str, metrics: dict[str, list[tuple[int, float, int]]]) -> None:
    _write(root / "0" / run_id / "meta.yaml", f"run_id: {run_id}\nexperiment_id: '0'\nstatus: FINISHED\n")
    for key, history in metrics.items():
        _write(root / "0" / run_id / "metrics" / key, "".join(f"{t} {v} {s}\n" for t, v, s in history))


def _version(root: Path, model: str, number: int, run_id: str, stage: str = "None") -> None:
    _write(root / "models" / model / f"version-{number}" / "meta.yaml",
           f"name: {model}\nversion: {number}\ncurrent_stage: {stage}\nrun_id: {run_id}\nstatus: READY\n"
           f"source: mlflow-artifacts:/0/{run_id}/artifacts/model\ncreation_timestamp: 1733500000000\n")


@pytest.fixture
def mlruns(tmp_path: Path) -> Path:
    root = tmp_path / "mlruns"
    _write(root / "0" / "meta.yaml", "experiment_id: '0'\nname: Default\nlifecycle_stage: active\n")
    _run(root, "r1", {"accuracy": [(1733500000000, 0.88, 0)]})
    _run(root, "r2", {"accuracy": [(1733500000000, 0.90, 0), (1733500100000, 0.93, 1)], "auc": [(1, 0.95, 0)]})
    _write(root / "models" / "Hiring Screener" / "meta.yaml",
           "name: Hiring Screener\ndescription: ranks CVs\ncreation_timestamp: 1733400000000\n")
    _version(root, "Hiring Screener", 1, "r1", "Archived")
    _version(root, "Hiring Screener", 2, "r2")
    _write(root / "models" / "Hiring Screener" / "aliases" / "champion", "2")
    return root


def test_mlruns_import_then_sync_revises_only_the_model(hc: Haechi, mlruns: Path) -> None:
    hc.accounts.create_org("acme", "Acme")
    actor = hc.local_actor("acme")
    first = hc.mlflow.import_models(actor, read_registry(str(mlruns)))
    assert [(r["system"], r["version"], r["action"]) for r in first] == [("hiring-screener", "2", "created")]
    card = hc.systems.get(actor, "hiring-screener").card
    assert card.model is not None and card.model.metrics == {"accuracy": 0.93, "auc": 0.95}
    assert (card.status, card.tags, card.description) == ("production", ["mlflow"], "ranks CVs")
    edited = card.model_copy(update={"description": "Ranks CVs for the HR team", "domains": ["employment"],
                                     "model": card.model.model_copy(update={"type": "gradient_boosting"})})
    hc.systems.update(actor, SystemCard.model_validate(edited.model_dump()))
    _run(mlruns, "r3", {"accuracy": [(1733600000000, 0.95, 0)]})
    _version(mlruns, "Hiring Screener", 3, "r3")
    _write(mlruns / "models" / "Hiring Screener" / "aliases" / "champion", "3")
    assert hc.mlflow.import_models(actor, read_registry(f"file://{mlruns}"))[0]["action"] == "outdated"
    synced = hc.mlflow.import_models(actor, read_registry(str(mlruns)), sync=True)
    assert synced[0]["action"] == "updated" and synced[0]["previous_version"] == "2"
    record = hc.systems.get(actor, "hiring-screener")
    assert record.revision == 3
    assert record.card.description == "Ranks CVs for the HR team" and record.card.domains == ["employment"]
    assert record.card.model is not None and record.card.model.type == "gradient_boosting"
    assert (record.card.model.version, record.card.model.metrics) == ("3", {"accuracy": 0.95})
    assert record.card.model.source == "mlflow:models:/Hiring Screener/3"
    assert hc.mlflow.import_models(actor, read_registry(str(mlruns)), sync=True)[0]["action"] == "unchanged"


class _MlflowApi(BaseHTTPRequestHandler):
    """Answers as an MLflow tracking server does (JSON of the REST API, two pages of models)."""

    models: ClassVar[list[dict[str, Any]]] = [
              {"name": "churn", "description": "churn risk", "aliases": [{"alias": "prod", "version": "4"}],
               "latest_versions": [{"name": "churn", "version": "5"}]},
              {"name": "Fraud Scorer", "tags": [{"key": "team", "value": "risk"}]}]
    versions: ClassVar[dict[str, list[dict[str, Any]]]] = {
                "churn": [{"name": "churn", "version": "4", "run_id": "abc", "current_stage": "None",
                           "status": "READY", "source": "s3://m/4"},
                          {"name": "churn", "version": "5", "run_id": "def", "status": "READY"}],
                "Fraud Scorer": [{"name": "Fraud Scorer", "version": "1", "run_id": "ghi", "status": "READY"}]}
    runs: ClassVar[dict[str, list[dict[str, Any]]]] = {"abc": [{"key": "f1", "value": 0.71, "timestamp": 2, "step": 0},
                    {"key": "f1", "value": 0.5, "timestamp": 1, "step": 0}],
            "ghi": [{"key": "recall", "value": 0.8, "timestamp": 1, "step": 0}]}
    calls: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        self.calls.append(url.path)
        body: dict[str, Any]
        if url.path == "/api/2.0/mlflow/registered-models/search":
            page = int(query.get("page_token", "0"))
            body = {"registered_models": [self.models[page]]}
            if page == 0:
                body["next_page_token"] = "1"
        elif url.path == "/api/2.0/mlflow/model-versions/search":
            name = query["filter"].split("'")[1]
            body = {"model_versions": self.versions[name]}
        elif url.path == "/api/2.0/mlflow/runs/get":
            body = {"run": {"info": {"run_id": query["run_id"]}, "data": {"metrics": self.runs[query["run_id"]]}}}
        else:
            self.send_error(404)
            return
        raw = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture
def mlflow_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _MlflowApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_rest_registry_import_from_the_cli(cli: Any, mlflow_server: str, tmp_path: Path) -> None:
    assert cli("init", "--org", "acme", "--name", "Acme").code == 0
    card = tmp_path / "fraud.json"
    card.write_text(json.dumps({"id": "fraud-scorer", "name": "Fraud rules (hand-made)"}))
    assert cli("systems", "add", str(card)).code == 0
    res = cli("integrations", "mlflow", "import", "--uri", mlflow_server, "--format", "json")
    assert res.code == 0, res.err
    rows = {r["model"]: r for r in res.json()}
    assert rows["churn"]["action"] == "created" and rows["churn"]["version"] == "4"  # the 'prod' alias wins
    assert rows["Fraud Scorer"]["action"] == "skipped" and "not linked" in rows["Fraud Scorer"]["reason"]
    shown = cli("systems", "show", "churn", "--format", "json").json()["card"]
    assert shown["model"] == {"name": "churn", "version": "4", "metrics": {"f1": 0.71},
                              "source": "mlflow:models:/churn/4"}
    assert shown["status"] == "production"
    bad = cli("integrations", "mlflow", "import", "--uri", mlflow_server + "/nothing-here")
    assert bad.code == 2 and "answered 404" in bad.err


def test_the_card_form_keeps_imported_metrics() -> None:
    """Editing a card on the dashboard neither loses nor mangles model.metrics."""
    from haechi.web.cardform import FIELDS_BY_PATH, card_to_form_values, display_value, form_to_card_data

    card = {"id": "churn", "name": "Churn", "model": {"name": "churn", "metrics": {"f1": 0.71, "auc": 0.9}}}
    values = card_to_form_values(card)
    form = {path: [display_value(FIELDS_BY_PATH[path], value)] for path, value in values.items()}
    assert form["model.metrics"] == ["f1=0.71, auc=0.9"]
    assert form_to_card_data(form, set())["model"]["metrics"] == {"f1": 0.71, "auc": 0.9}
    form["model.metrics"] = ["f1 is good"]
    assert form_to_card_data(form, set())["model"]["metrics"] == "f1 is good"  # validation names the field
