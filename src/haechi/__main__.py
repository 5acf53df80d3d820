"""``python -m haechi`` runs the command line, as the ``haechi`` console script does."""

from haechi.cli.entry import main

main()
