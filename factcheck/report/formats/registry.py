"""The output-format registries: one list each the CLI, configuration and emitter read.

What `check --format` offers (and its help), what the configuration's `format` may name, and
what the emitter renders; and the formats `report --format` offers beyond table, JSON and CSV.
"""

from __future__ import annotations

from .. import html
from . import github, json, junit, line, markdown, sarif, text
from .base import OutputFormat, ReportFormat

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


REPORT_FORMATS: tuple[ReportFormat, ...] = (html.REPORT_FORMAT, markdown.REPORT_FORMAT)


def report_format(name: str) -> ReportFormat | None:
    """The report format called `name`; None for the table, JSON and CSV."""
    return next((output for output in REPORT_FORMATS if output.name == name), None)
