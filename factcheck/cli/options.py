"""The options commands share: choices, typer declarations, and options objects.

Their choices, their typer declarations (Annotated aliases, one each), and the options of
`report`/`claims` and of `check` gathered in one object.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..report.console import COLOR_CHOICES
from ..report.formats.registry import FORMAT_NAMES, REPORT_FORMATS
from ..ruleset.model import SEVERITIES
from ..run.engines import ENGINES


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


# report's formats: the tables', then the registered report formats (html, markdown)
ReportFormat = StrEnum("ReportFormat", [(f, f) for f in Format] +
                       [(output.name, output.name) for output in REPORT_FORMATS])


class EvalFormat(StrEnum):
    table = "table"
    json = "json"


class CaseFormat(StrEnum):
    text = "text"
    json = "json"


Color = StrEnum("Color", [(choice, choice) for choice in COLOR_CHOICES])
EngineName = StrEnum("EngineName", [(engine, engine) for engine in ENGINES])
Level = StrEnum("Level", [(level, level) for level in SEVERITIES])
CheckFormat = StrEnum("CheckFormat", [(name, name) for name in FORMAT_NAMES])

PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(metavar="PATHS", help="Report files, folders (read recursively) or "
                   "JSONL/CSV corpora. Default: the shipped sample reports.",
                   show_default=False),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
ReportFormatOption = Annotated[ReportFormat, typer.Option(
    "--format", "-f", metavar="FORMAT", help="Output format: table, json, csv (the findings), "
    + ", ".join(output.help for output in REPORT_FORMATS) + ".")]
RulesOption = Annotated[
    list[Path] | None,
    typer.Option("--rules", "-r", help="A rules folder layered over the shipped rules; repeat to "
                 "layer several (later ones win).", show_default=False),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Also write claims.csv and findings.csv (UTF-8 with BOM, "
                 "formula-safe; findings.csv one row per finding and claim) to this folder, "
                 "and for report report.html.", show_default=False),
]
GroupOption = Annotated[
    str | None,
    typer.Option("--group-by", help="Split the reports into stories compared separately: "
                 "'folder', or a metadata field or corpus column such as 'event'. Default: "
                 "one story, split by 'event' where reports state one.", show_default=False),
]
ExcludeOption = Annotated[
    list[str] | None,
    typer.Option("--exclude", metavar="GLOB", help="Leave out the files and folders this "
                 "gitignore-like glob matches (a name, or a path from the folder given: "
                 "'drafts/', '*.draft.md', 'archive/**/old*'); repeat for several. A folder's "
                 ".factcheckignore adds its own, one a line.", show_default=False),
]
ColorOption = Annotated[Color, typer.Option("--color", help="Colour in the terminal report.")]
StrictOption = Annotated[bool, typer.Option(
    "--strict", help="Fail on any skipped input (for CI): print every diagnostic, write and "
    "print nothing, exit 3.")]
StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="A claims store (made by factcheck index, or here if missing): "
                 "claims of reports it holds unchanged are taken from it, the others extracted "
                 "and added to it. Same output.", show_default=False),
]
HtmlOption = Annotated[bool, typer.Option(
    "--html/--no-html", help="With --out: also write report.html (it needs the whole tables in "
    "memory; --no-html keeps a streamed run's memory flat on a big corpus).")]
NoHtmlOption = Annotated[bool, typer.Option("--html/--no-html", hidden=True)]  # claims: none
_CONFIGURATION = "Configuration"
ConfigOption = Annotated[Path | None, typer.Option(
    "--config", rich_help_panel=_CONFIGURATION, show_default=False,
    help="The configuration file (factcheck.toml, or a pyproject.toml with [tool.factcheck]); "
    "its rules, group-by, severity and ignore apply. Default: the nearest one from the "
    "working folder up.")]
NoConfigOption = Annotated[bool, typer.Option(
    "--no-config", rich_help_panel=_CONFIGURATION, help="Use no configuration file.")]
_SCALE = "Scale"
JobsOption = Annotated[str, typer.Option(
    "--jobs", "-j", metavar="N", rich_help_panel=_SCALE,
    help="Read stories in N processes (0 or 'auto': one per core); the output is the same.")]
EngineOption = Annotated[EngineName, typer.Option(
    "--engine", rich_help_panel=_SCALE,
    help="Where stories are read: this machine, or a Dask cluster (the 'dask' extra).")]
SchedulerOption = Annotated[str | None, typer.Option(
    "--scheduler", metavar="ADDRESS", rich_help_panel=_SCALE, show_default=False,
    help="With --engine dask: the scheduler's address (tcp://host:8786). Default: a local "
    "cluster of --jobs workers.")]
QuietOption = Annotated[bool, typer.Option(
    "--quiet", "-q", rich_help_panel=_SCALE,
    help="Print nothing on stdout and no progress bar: write --out, diagnostics on stderr.")]


@dataclass(frozen=True)
class ReadOptions:
    """What `report` and `claims` are asked: what to read and how, what to print and write."""

    command: str  # "report" or "claims": what is printed
    paths: list[Path] | None
    format: str  # a Format, or for report a ReportFormat
    rules: list[Path] | None
    out: Path | None
    group_by: str | None
    color: Color
    strict: bool
    store: Path | None
    jobs: str
    engine: EngineName
    scheduler: str | None
    quiet: bool
    config: Path | None = None
    no_config: bool = False
    html: bool = True  # report --out: also report.html
    exclude: list[str] | None = None  # globs of inputs not read

    @property
    def path_names(self) -> list[str] | None:
        """The paths as the library takes them (None: the shipped sample reports)."""
        return [str(p) for p in self.paths] if self.paths else None


@dataclass(frozen=True)
class CheckOptions:
    """What `check` is asked: the drafts and their reference, the rules and how they fail,
    the output, and the configuration file that fills in what the options leave out."""

    drafts: list[Path]
    against: list[Path] | None
    rules: list[Path] | None
    format: str | None  # a name of FORMAT_NAMES
    output: Path | None
    fail_on: str | None  # a severity
    exit_zero: bool
    ignore: list[str] | None
    baseline: Path | None
    write_baseline: Path | None
    config: Path | None
    no_config: bool
    color: Color
    quiet: bool = False
    exclude: list[str] | None = None  # globs of reference inputs not read
