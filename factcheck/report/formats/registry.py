"""The check output-format registry: one list the CLI, configuration and emitter read.

What `--format` offers (and its help), what the configuration's `format` may name, and what the
emitter renders.
"""

from __future__ import annotations

from . import github, json, junit, line, sarif, text
from .base import OutputFormat

CHECK_FORMATS: tuple[OutputFormat, ...] = (text.FORMAT, line.FORMAT, json.FORMAT,
                                           github.FORMAT, sarif.FORMAT, junit.FORMAT)
FORMAT_NAMES = tuple(output.name for output in CHECK_FORMATS)
DEFAULT_FORMAT = text.FORMAT.name


def check_format(name: str) -> OutputFormat:
    """The output format called `name` (one of `FORMAT_NAMES`)."""
    return next(output for output in CHECK_FORMATS if output.name == name)


def formats_help() -> str:
    """`--format`'s help: every format as it names itself, and the default."""
    return f"{', '.join(output.help for output in CHECK_FORMATS)}. Default: {DEFAULT_FORMAT}."
