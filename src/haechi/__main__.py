"""``python -m haechi`` runs the command line."""

from haechi.cli.main import run

run()
