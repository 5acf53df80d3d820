"""The ``haechi`` console script.

It pauses the garbage collector before anything else is imported (see
:mod:`haechi.cli.startup` for why), then hands over to :func:`haechi.cli.main.run`.
"""

from __future__ import annotations

from .startup import pause_collector


def main() -> None:
    pause_collector()
    from .main import run  # imported after the pause: this is the start-up being spared

    run()


if __name__ == "__main__":  # python -m haechi.cli.entry: the console script without its wrapper
    main()
