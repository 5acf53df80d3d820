"""Command-line interface: thin Typer commands (parse → facade → format)."""
