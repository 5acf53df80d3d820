"""``haechi serve`` and ``haechi demo``."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import typer

from haechi.settings import Settings

from .common import console, open_haechi, success
from .language import demo_step, tr


def _run_server(host: str, port: int, workers: int) -> None:
    import uvicorn

    # The app factory (and each worker) reads Settings from the environment: hand it the address
    # actually served, so links, QR codes and signed passports without HAECHI_PUBLIC_URL point here.
    os.environ["HAECHI_HOST"], os.environ["HAECHI_PORT"] = host, str(port)
    console.print("[bold]Haechi[/bold] " + tr("serve.on", "on {url}  (Ctrl+C to stop)",
                                              url=f"[link]http://{host}:{port}[/link]"))
    uvicorn.run("haechi.api.app:create_app", factory=True, host=host, port=port, workers=workers,
                proxy_headers=True, log_level="info")
    console.print(tr("serve.stopped", "Haechi stopped."))


def serve(host: str | None = typer.Option(None, help="interface to bind (default HAECHI_HOST or 127.0.0.1)"),
          port: int | None = typer.Option(None, help="port (default HAECHI_PORT or 8000)"),
          workers: int = typer.Option(1, min=1, help="worker processes")) -> None:
    """Serve the dashboard and the REST API (migrates the database first)."""
    hc = open_haechi()  # migrate once here, before workers start
    settings = hc.settings
    hc.close()
    _run_server(host or settings.host, port or settings.port, workers)


def demo(home: Path = typer.Option(Path("./haechi-demo"), help="where to build the demo workspace"),
         reset: bool = typer.Option(False, help="delete and rebuild an existing demo workspace"),
         serve_: bool = typer.Option(True, "--serve/--no-serve", help="serve the dashboard after building"),
         host: str = typer.Option("127.0.0.1", help="interface to bind"),
         port: int = typer.Option(8000, help="port")) -> None:
    """Build the Hanbit Precision (한빛정밀) sample company and serve it on localhost."""
    from haechi.demo.build import DEMO_ORG, DEMO_PASSWORD, build_demo, demo_exists

    home = home.resolve()
    if reset and home.exists():
        shutil.rmtree(home)
    os.environ["HAECHI_HOME"] = str(home)
    os.environ.pop("HAECHI_DATABASE_URL", None)
    hc = open_haechi()
    if demo_exists(hc):
        console.print(tr("demo.existing", "Using the existing demo workspace in {home} (--reset rebuilds it).",
                         home=home))
    else:
        console.print(tr("demo.building", "Building the demo workspace in {home} …", home=home))
        systems = build_demo(hc, progress=lambda step: console.print(f"  · {demo_step(step)}"))
        success(tr("demo.ready", "demo ready: organisation '{org}' with {n} AI systems", org=DEMO_ORG, n=systems))
    hc.close()
    console.print("\n" + tr("demo.login", "[bold]Log in[/bold] as [cyan]{email}[/cyan] with password "
                            "[cyan]{password}[/cyan]\n(also {others})", email="admin@hanbit.example",
                            password=DEMO_PASSWORD, others="compliance@, ml@, auditor@, viewer@hanbit.example"))
    if serve_:
        _run_server(host, port, 1)
    else:
        console.print(tr("demo.later", "Start it later with: HAECHI_HOME={home} haechi serve", home=home))


def register(root: typer.Typer) -> None:
    root.command("serve")(serve)
    root.command("demo")(demo)


__all__ = ["Settings", "register"]
