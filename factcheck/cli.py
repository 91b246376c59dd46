"""Command line: a thin typer layer that parses options, calls the library and renders."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from . import __version__, pipeline, render, rulebook
from .api import evaluate
from .engines import parse_jobs
from .errors import ExitCode, FactcheckError, SkippedInputError
from .progress import run_progress
from .resources import shipped_rules_dir
from .rules import load_rules

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
StrictOption = Annotated[bool, typer.Option(
    "--strict", help="Fail on any skipped input (for CI): print every diagnostic, write and "
    "print nothing, exit 3.")]


class EngineName(StrEnum):
    local = "local"
    dask = "dask"


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


def _strict_exit(stopped: SkippedInputError) -> typer.Exit:
    """`--strict` stopped the run: every diagnostic, one line saying so, and the exit to raise."""
    for problem in stopped.problems:
        typer.echo(f"factcheck: skipped {problem}", err=True)
    typer.echo(f"factcheck: error: {stopped}", err=True)
    return typer.Exit(stopped.exit_code)


def _run(command: str, paths: list[Path] | None, rules: list[Path] | None,
         out: Path | None, group_by: str | None, format: Format, color: Color,
         strict: bool, jobs: str, engine: EngineName, scheduler: str | None,
         quiet: bool) -> None:
    """`report` and `claims`: the corpus streamed through `pipeline.run` (the tables `analyse`
    gives, claims.csv and findings.csv written as claims are read, a progress bar on a
    terminal); the tables are held in memory only for the table and JSON formats."""
    printed = None if quiet else format
    streamed = printed in (None, Format.csv)  # these print from the files: no tables held
    with contextlib.ExitStack() as stack:
        target = out
        if printed is Format.csv and out is None:
            target = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="factcheck-")))
        try:
            run = pipeline.run([str(p) for p in paths] if paths else None, rules or None,
                               group_by, out=target, keep_tables=not streamed,
                               jobs=parse_jobs(jobs), engine=engine.value, scheduler=scheduler,
                               strict=strict, progress=run_progress(quiet))
        except SkippedInputError as stopped:
            raise _strict_exit(stopped) from None
        if printed is Format.csv and target is not None:
            name = "findings.csv" if command == "report" else "claims.csv"
            pipeline.copy_csv(target / name, sys.stdout)
        elif printed is Format.json and run.claims is not None:
            typer.echo(render.to_json(run.claims, run.findings if command == "report" else None))
        elif printed is Format.table and run.claims is not None:
            console = render.make_console(color.value)
            if command == "report":
                render.print_report(console, run.claims, run.findings, documents=run.reports,
                                    problems=[str(p) for p in run.problems])
            else:
                render.print_claims(console, run.claims)
    for problem in run.problems:
        typer.echo(f"factcheck: skipped {problem}", err=True)
    if run.problems:
        raise typer.Exit(ExitCode.INPUT_SKIPPED)


@app.command()
def report(
    paths: PathsArgument = None,
    format: FormatOption = Format.table,
    rules: RulesOption = None,
    out: OutOption = None,
    group_by: GroupOption = None,
    color: ColorOption = Color.auto,
    strict: StrictOption = False,
    jobs: JobsOption = "1",
    engine: EngineOption = EngineName.local,
    scheduler: SchedulerOption = None,
    quiet: QuietOption = False,
) -> None:
    """Report the disagreements between reports, grouped by metric, with every claim's source,
    date, words and file:line.

    --format json prints {"claims": [...], "findings": [...]}; --format csv prints the findings.
    """
    _run("report", paths, rules, out, group_by, format, color, strict, jobs, engine, scheduler,
         quiet)


@app.command()
def claims(
    paths: PathsArgument = None,
    format: FormatOption = Format.table,
    rules: RulesOption = None,
    out: OutOption = None,
    group_by: GroupOption = None,
    color: ColorOption = Color.auto,
    strict: StrictOption = False,
    jobs: JobsOption = "1",
    engine: EngineOption = EngineName.local,
    scheduler: SchedulerOption = None,
    quiet: QuietOption = False,
) -> None:
    """List every claim found: metric, figure and interval, source, date, scope and position."""
    _run("claims", paths, rules, out, group_by, format, color, strict, jobs, engine, scheduler,
         quiet)


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
    strict: StrictOption = False,
) -> None:
    """Measure extraction against gold annotations: recall and precision (per metric), how
    figures, sources and dates were read, out-of-scope figures taken, and discrepancy pairs found.

    --format json prints every figure per gold file and in total, with the details.
    """
    try:
        evaluation = evaluate([str(p) for p in paths], rules or None, strict=strict)
    except SkippedInputError as stopped:
        raise _strict_exit(stopped) from None
    if format is EvalFormat.json:
        typer.echo(render.evaluation_to_json(evaluation.to_dict(details=True)))
    else:
        render.print_evaluation(render.make_console(color.value),
                                evaluation.to_dict(details=verbose), verbose=verbose)
    for problem in evaluation.problems:
        typer.echo(f"factcheck: skipped {problem}", err=True)
    if evaluation.problems:
        raise typer.Exit(ExitCode.INPUT_SKIPPED)


# --------------------------------------------------------------------------- rules

rules_app = typer.Typer(
    help="List, describe, test and scaffold rules: the finding rules and metrics that the "
    "rules folders give.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
app.add_typer(rules_app, name="rules")


class CaseFormat(StrEnum):
    text = "text"
    json = "json"


@rules_app.command("list")
def rules_list(
    rules: RulesOption = None,
    format: FormatOption = Format.table,
    color: ColorOption = Color.auto,
) -> None:
    """List every finding rule (by code) and metric (by name): kind, severity, whether it is
    enabled, and the file it comes from.

    Finding rules come first, by code, then metrics, by name. `--format json` prints
    `{"rules": [...]}`; `--format csv` the same rows.
    """
    table = rulebook.rule_table(load_rules(rules or None))
    table["source"] = table["source"].map(render.shown)
    if format is Format.json:
        records = table.astype(object).where(table.notna(), None).to_dict("records")
        typer.echo(json.dumps({"rules": records}, indent=2, ensure_ascii=False))
        return
    if format is Format.csv:
        sys.stdout.write(render.to_csv_text(table))
        return
    render.print_rule_table(render.make_console(color.value), table)


@rules_app.command("show")
def rules_show(
    rule_id: Annotated[str, typer.Argument(
        metavar="ID", help="A finding rule's code (FC101) or name (figure-updated), or a "
        "metric's name (killed).", show_default=False)],
    rules: RulesOption = None,
    color: ColorOption = Color.auto,
) -> None:
    """Describe one finding rule or metric: everything its rule file says, with every metric
    pattern as written and its file:line.

    An unknown ID is an error (exit 2) that names the nearest known IDs.
    """
    rule = rulebook.describe_rule(load_rules(rules or None), rule_id)
    render.print_rule(render.make_console(color.value), rule)


@rules_app.command("test")
def rules_test(
    dirs: Annotated[list[Path] | None, typer.Argument(
        metavar="DIRS", help="Rules folders, layered over the shipped rules as --rules "
        "layers them. Default: the shipped rules.", show_default=False)] = None,
    format: Annotated[CaseFormat, typer.Option("--format", "-f", help="Output format.")] = (
        CaseFormat.text),
    color: ColorOption = Color.auto,
) -> None:
    """Run the declarative cases of the shipped rules and of DIRS (`*.cases.yaml`: a sentence
    in, claims out; `findings.cases.yaml`: reports in, findings out) against the rule set
    DIRS give.

    Prints how many cases ran, passed and failed, and for each failure its file:line, name,
    sentence or reports, and the claims or findings expected and found. A cases file in a
    later folder replaces the one at the same path in an earlier folder; a case about a metric
    or rule the rule set lacks or switches off is skipped, and listed. Exit 0 when every case
    passes, 1 when one fails, 2 for a broken rule or cases file.
    """
    run = rulebook.run_rule_tests(dirs or None)
    if format is CaseFormat.json:
        payload = run.to_dict()
        payload["rules"] = [render.shown(d) for d in payload["rules"]]
        payload["case_files"] = [render.shown(f) for f in payload["case_files"]]
        for case in (*payload["failures"], *payload["skipped_cases"]):
            case["file"] = render.shown(case["file"])
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        render.print_rule_tests(render.make_console(color.value), run)
    if run.failed:
        raise typer.Exit(ExitCode.FINDINGS)  # a failing case, as a finding fails a check


@rules_app.command("new")
def rules_new(
    name: Annotated[str, typer.Argument(
        metavar="NAME", help="The metric's name: lower-case letters, digits and underscores, "
        "starting with a letter (evacuated).",
        show_default=False)],
    directory: Annotated[Path | None, typer.Option(
        "--dir", "-d", help="The rules folder to write into (made if missing). Default: "
        "rules/ in the working folder when there is one, else the shipped rules.",
        show_default=False)] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Overwrite the files when they exist.")] = False,
) -> None:
    """Scaffold a new metric: metrics/NAME.yaml (every key, commented, with an example
    sentence that gives a claim) and metrics/NAME.cases.yaml (a passing case built from the
    example, and a commented template for the next one).

    Never overwrites a file without --force (exit 2 naming it). Prints the two paths and the
    command that runs their cases.
    """
    made = rulebook.scaffold_metric(name, directory, force=force)
    typer.echo(f"created {render.shown(made.metric_file)}")
    typer.echo(f"created {render.shown(made.cases_file)}")
    if directory is None and made.directory == shipped_rules_dir():
        typer.echo("note: no rules/ folder here, so this is in the shipped rules")
    if made.overrides is not None:
        typer.echo(f"note: this replaces the shipped metric in {render.shown(made.overrides)}")
    typer.echo(f"next: edit both, then run: factcheck rules test "
               f"{shlex.quote(render.shown(made.directory))}")


def _terminated(signum: int, frame: object) -> None:
    # `kill` and CI timeouts send SIGTERM: unwind as for Ctrl-C, so that an output being
    # written is abandoned cleanly (its temporary file removed, the old file untouched).
    raise SystemExit(128 + signum)


def main() -> None:
    """Entry point: run the app; a usage or configuration error is one line and exit 2."""
    signal.signal(signal.SIGTERM, _terminated)
    try:
        code = app(standalone_mode=False)
    except FactcheckError as error:
        for problem in error.problems:  # every input skipped, not just the first the error names
            typer.echo(f"factcheck: skipped {problem}", err=True)
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
