"""The command line: a thin typer layer that parses options, calls the library and renders."""
