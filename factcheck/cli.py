"""Command line: a thin typer layer that parses options, calls the library and renders."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from . import __version__, render
from .api import Analysis, analyse, evaluate
from .errors import ExitCode, FactcheckError

app = typer.Typer(
    name="factcheck",
    help="Find where news reports disagree about figures, showing the source and date of "
    "every claim involved.",
    no_args_is_help=True,
    add_completion=False,
    # Markdown reflows docstring paragraphs to the terminal's width instead of keeping the
    # source's line breaks.
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class EvalFormat(StrEnum):
    table = "table"
    json = "json"


class Color(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"factcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Find where news reports disagree about figures."""


PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(help="Report files, folders (read recursively) or JSONL/CSV corpora. "
                        "Default: the shipped sample reports.", show_default=False),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
RulesOption = Annotated[
    list[Path] | None,
    typer.Option("--rules", "-r", help="A rules folder layered over the shipped rules; repeat to "
                 "layer several (later ones win).", show_default=False),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Also write claims.csv and findings.csv (UTF-8 with BOM, "
                 "formula-safe) to this folder.", show_default=False),
]
GroupOption = Annotated[
    str | None,
    typer.Option("--group-by", help="Split the reports into stories compared separately: "
                 "'folder', or a metadata field or corpus column such as 'event'. Default: "
                 "one story, split by 'event' where reports state one.", show_default=False),
]
ColorOption = Annotated[Color, typer.Option("--color", help="Colour in the terminal report.")]


def _run(paths: list[Path] | None, rules: list[Path] | None, group_by: str | None) -> Analysis:
    return analyse([str(p) for p in paths] if paths else None, rules or None, group_by)


def _write(analysis: Analysis, out: Path | None) -> None:
    # Files first: a reader that closes stdout early (`| head`) must not cost the CSVs.
    if out is not None:
        render.write_outputs(out, analysis.claims, analysis.findings)


def _finish(analysis: Analysis) -> None:
    for problem in analysis.problems:
        typer.echo(f"factcheck: skipped {problem}", err=True)
    if analysis.problems:
        raise typer.Exit(ExitCode.INPUT_SKIPPED)


@app.command()
def report(
    paths: PathsArgument = None,
    format: FormatOption = Format.table,
    rules: RulesOption = None,
    out: OutOption = None,
    group_by: GroupOption = None,
    color: ColorOption = Color.auto,
) -> None:
    """Report the disagreements between reports, grouped by metric, with every claim's source,
    date, words and file:line.

    --format json prints {"claims": [...], "findings": [...]}; --format csv prints the findings.
    """
    analysis = _run(paths, rules, group_by)
    _write(analysis, out)
    if format is Format.json:
        typer.echo(render.to_json(analysis.claims, analysis.findings))
    elif format is Format.csv:
        sys.stdout.write(render.to_csv_text(analysis.findings))
    else:
        console = render.make_console(color.value)
        render.print_report(console, analysis.claims, analysis.findings,
                            documents=len(analysis.documents),
                            problems=[str(p) for p in analysis.problems])
    _finish(analysis)


@app.command()
def claims(
    paths: PathsArgument = None,
    format: FormatOption = Format.table,
    rules: RulesOption = None,
    out: OutOption = None,
    group_by: GroupOption = None,
    color: ColorOption = Color.auto,
) -> None:
    """List every claim found: metric, figure and interval, source, date, scope and position."""
    analysis = _run(paths, rules, group_by)
    _write(analysis, out)
    if format is Format.json:
        typer.echo(render.to_json(analysis.claims))
    elif format is Format.csv:
        sys.stdout.write(render.to_csv_text(analysis.claims))
    else:
        render.print_claims(render.make_console(color.value), analysis.claims)
    _finish(analysis)


@app.command("eval")
def eval_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="gold.yaml files, or folders with a gold.yaml beside the reports; "
                            "a folder without one stands for each subfolder that has one.",
                       show_default=False),
    ],
    rules: RulesOption = None,
    format: Annotated[EvalFormat, typer.Option("--format", "-f", help="Output format.")] = (
        EvalFormat.table),
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="List every missed, spurious, out-of-scope, misread, "
        "mis-attributed or mis-dated claim and every missed pair, one line each.")] = False,
    color: ColorOption = Color.auto,
) -> None:
    """Measure extraction against gold annotations: recall and precision (per metric), how
    figures, sources and dates were read, out-of-scope figures taken, and discrepancy pairs found.

    --format json prints every figure per gold file and in total, with the details.
    """
    evaluation = evaluate([str(p) for p in paths], rules or None)
    if format is EvalFormat.json:
        typer.echo(render.evaluation_to_json(evaluation.to_dict(details=True)))
    else:
        render.print_evaluation(render.make_console(color.value),
                                evaluation.to_dict(details=verbose), verbose=verbose)
    for problem in evaluation.problems:
        typer.echo(f"factcheck: skipped {problem}", err=True)
    if evaluation.problems:
        raise typer.Exit(ExitCode.INPUT_SKIPPED)


def main() -> None:
    """Entry point: run the app; a usage or configuration error is one line and exit 2."""
    try:
        code = app(standalone_mode=False)
    except FactcheckError as error:
        typer.echo(f"factcheck: error: {error}", err=True)
        sys.exit(error.exit_code)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except BrokenPipeError:
        # the reader of our output went away (`factcheck report | head`): stop quietly
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - silence the interpreter's flush
        sys.exit(ExitCode.OK)
    except typer.Abort:
        typer.echo("factcheck: aborted", err=True)
        sys.exit(130)
    except OSError as error:
        typer.echo(f"factcheck: error: {error.filename or ''}: {error.strerror or error}",
                   err=True)
        sys.exit(ExitCode.USAGE)
    except Exception as error:  # a click usage error and its exit code
        exit_code = getattr(error, "exit_code", None)
        show = getattr(error, "show", None)
        if exit_code is not None and show is not None:
            show()
            sys.exit(exit_code)
        if os.environ.get("FACTCHECK_DEBUG"):
            raise
        # A bug of ours, not the user's input: one line, and the way to see more.
        typer.echo(f"factcheck: internal error: {type(error).__name__}: {error} "
                   "(set FACTCHECK_DEBUG=1 for the traceback)", err=True)
        sys.exit(ExitCode.INTERNAL)
    sys.exit(code if isinstance(code, int) else ExitCode.OK)
