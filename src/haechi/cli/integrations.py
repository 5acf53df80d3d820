"""``haechi integrations mlflow import``: registered models of an MLflow registry as system cards."""

from __future__ import annotations

from typing import Any

import typer

from .common import Format, FormatOption, OrgOption, cli_actor, emit, open_haechi, print_table
from .language import tr

app = typer.Typer(help="Connections to MLOps tools.", no_args_is_help=True)
mlflow_app = typer.Typer(help="MLflow model registry.", no_args_is_help=True)
app.add_typer(mlflow_app, name="mlflow")


@mlflow_app.command("import")
def mlflow_import(uri: str = typer.Option(..., "--uri", help="tracking server (http://host:5000) or mlruns folder"),
                  sync: bool = typer.Option(False, "--sync", help="also revise linked cards whose model changed "
                                            "(only model.* is written)"),
                  org: str | None = OrgOption, fmt: Format = FormatOption) -> None:
    """Import registered models as draft system cards (name, version, run metrics); --sync keeps them current."""
    from haechi.integrations.mlflow_read import read_registry

    models = read_registry(uri)
    hc = open_haechi()
    results = hc.mlflow.import_models(cli_actor(hc, org), models, sync=sync)
    emit(results, fmt.value, table=_table)


def _table(rows: list[dict[str, Any]]) -> None:
    print_table(rows, ("model", "system", "version", "action", "reason"),
                title=tr("mlflow.models", "{n} registered model(s)", n=len(rows)))
