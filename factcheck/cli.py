"""Command line: a thin typer layer that parses options, calls the library and renders."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shlex
import signal
import sys
import tempfile
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from .compare.suppress import baseline_text, load_baseline
from .config import resolve_config
from .errors import ExitCode, FactcheckError, Problem, SkippedInputError
from .fileio import write_text_atomic
from .report.console import make_console
from .report.evaluation import evaluation_to_json, print_evaluation
from .report.formats.base import CheckReport
from .report.formats.registry import DEFAULT_FORMAT, FORMAT_NAMES, check_format, formats_help
from .report.rulebook import print_rule, print_rule_table, print_rule_tests, shown
from .report.tables import to_csv_text, to_json, write_outputs
from .report.terminal import print_claims, print_report
from .resources import VERSION, shipped_rules_dir
from .run import pipeline
from .run.api import Analysis, StoreUpdate, analyse, check_drafts, index_reports
from .run.driver import load_rules
from .run.engines import parse_jobs
from .run.progress import run_progress
from .tools import rulebook
from .tools.evaluate.evaluation import evaluate

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
        typer.echo(f"factcheck {VERSION}")
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


StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="A claims store (made by factcheck index, or here if missing): "
                 "claims of reports it holds unchanged are taken from it, the others extracted "
                 "and added to it. Same output.", show_default=False),
]


def _analyse_with_store(paths: list[Path] | None, rules: list[Path] | None,
                        group_by: str | None, strict: bool, store: Path) -> Analysis:
    try:
        analysis = analyse([str(p) for p in paths] if paths else None, rules or None, group_by,
                           strict=strict, store=store)
    except SkippedInputError as stopped:
        raise _strict_exit(stopped) from None
    if analysis.store is not None:
        _store_note(analysis.store)
    return analysis


def _store_note(update: StoreUpdate) -> None:
    """Say so when a store's claims were not used because other rules made them."""
    if update.other_rules is None:
        return
    what = ("every report re-extracted and the store rebuilt" if update.written else
            "every report extracted; the store is left as it is (factcheck index rebuilds it)")
    typer.echo(f"factcheck: note: {shown(update.store)} holds claims made with other "
               f"rules ({update.other_rules}; these are {update.rules_version}) or another "
               f"factcheck: {what}", err=True)


def _run_with_store(command: str, paths: list[Path] | None, rules: list[Path] | None,
                    out: Path | None, group_by: str | None, format: Format, color: Color,
                    strict: bool, store: Path, jobs: str, engine: EngineName,
                    quiet: bool) -> None:
    """`report` and `claims` with a claims store: one process, the tables in memory."""
    if parse_jobs(jobs) != 1 or engine is not EngineName.local:
        raise FactcheckError("--store reads in this process: leave out --jobs and --engine "
                             "(factcheck index --store FILE builds the store once)")
    analysis = _analyse_with_store(paths, rules, group_by, strict, store)
    # Files first: a reader that closes stdout early (`| head`) must not cost the CSVs.
    if out is not None:
        write_outputs(out, analysis.claims, analysis.findings)
    if quiet:
        pass  # the files only
    elif format is Format.csv:
        sys.stdout.write(to_csv_text(
            analysis.findings if command == "report" else analysis.claims))
    else:
        _print_tables(command, format, color, analysis.claims, analysis.findings,
                      len(analysis.documents), analysis.problems)
    _exit_if_skipped(analysis.problems)


def _print_tables(command: str, format: Format, color: Color, claims: pd.DataFrame,
                  findings: pd.DataFrame | None, reports: int,
                  problems: Sequence[Problem]) -> None:
    """`report` or `claims` on stdout as JSON or for people."""
    if format is Format.json:
        typer.echo(to_json(claims, findings if command == "report" else None))
    elif command == "report":
        print_report(make_console(color.value), claims, findings,
                            documents=reports, problems=[str(p) for p in problems])
    else:
        print_claims(make_console(color.value), claims)


def _say_skipped(problems: Sequence[Problem]) -> None:
    for problem in problems:
        typer.echo(f"factcheck: skipped {problem}", err=True)


def _exit_if_skipped(problems: Sequence[Problem]) -> None:
    """Name every input skipped on stderr; any makes the exit status 3."""
    _say_skipped(problems)
    if problems:
        raise typer.Exit(ExitCode.INPUT_SKIPPED)


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
    _say_skipped(stopped.problems)
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
        elif printed is not None and run.claims is not None:
            _print_tables(command, printed, color, run.claims, run.findings, run.reports,
                          run.problems)
    _exit_if_skipped(run.problems)


@app.command()
def report(
    paths: PathsArgument = None,
    format: FormatOption = Format.table,
    rules: RulesOption = None,
    out: OutOption = None,
    group_by: GroupOption = None,
    color: ColorOption = Color.auto,
    strict: StrictOption = False,
    store: StoreOption = None,
    jobs: JobsOption = "1",
    engine: EngineOption = EngineName.local,
    scheduler: SchedulerOption = None,
    quiet: QuietOption = False,
) -> None:
    """Report the disagreements between reports, grouped by metric, with every claim's source,
    date, words and file:line.

    --format json prints {"claims": [...], "findings": [...]}; --format csv prints the findings.
    """
    if store is not None:
        _run_with_store("report", paths, rules, out, group_by, format, color, strict, store,
                        jobs, engine, quiet)
        return
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
    store: StoreOption = None,
    jobs: JobsOption = "1",
    engine: EngineOption = EngineName.local,
    scheduler: SchedulerOption = None,
    quiet: QuietOption = False,
) -> None:
    """List every claim found: metric, figure and interval, source, date, scope and position."""
    if store is not None:
        _run_with_store("claims", paths, rules, out, group_by, format, color, strict, store,
                        jobs, engine, quiet)
        return
    _run("claims", paths, rules, out, group_by, format, color, strict, jobs, engine, scheduler,
         quiet)


@app.command("index")
def index_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Report files, folders (read recursively) or JSONL/CSV corpora: "
                            "the reference the store holds.", show_default=False),
    ],
    store: Annotated[Path, typer.Option(
        "--store", help="The claims store file (SQLite; made if missing).",
        show_default=False)],
    rules: RulesOption = None,
    group_by: GroupOption = None,
    strict: StrictOption = False,
) -> None:
    """Extract the claims of PATHS once into a claims store: later runs (report --store,
    claims --store, a check against the store) reuse them.

    Run again after the reports change: unchanged reports are kept, new and changed ones (text,
    metadata, or their story's dates) extracted, and reports no longer under PATHS removed. A
    store made with other rules is rebuilt. Prints one line: reports added, reused,
    re-extracted and removed, claims, and the rules' version. The store is written in one
    transaction: an interrupted run leaves it as it was.
    """
    try:
        update, problems = index_reports([str(p) for p in paths], store, rules or None,
                                         group_by, strict=strict)
    except SkippedInputError as stopped:
        raise _strict_exit(stopped) from None
    _store_note(update)
    typer.echo(f"factcheck index: {shown(update.store)}: {update.reports:,} reports "
               f"({update.added:,} added, {update.reused:,} reused, "
               f"{update.reextracted:,} re-extracted, {update.removed:,} removed), "
               f"{update.claims:,} claims, rules {update.rules_version}")
    _exit_if_skipped(problems)


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
        typer.echo(evaluation_to_json(evaluation.to_dict(details=True)))
    else:
        print_evaluation(make_console(color.value),
                                evaluation.to_dict(details=verbose), verbose=verbose)
    _exit_if_skipped(evaluation.problems)


# --------------------------------------------------------------------------- check


CheckFormat = StrEnum("CheckFormat", [(name, name) for name in FORMAT_NAMES])


class Level(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


@app.command("check", no_args_is_help=True)
def check_command(
    drafts: Annotated[list[Path], typer.Argument(
        metavar="DRAFT...", help="Draft files or folders to check (.md, .txt; folders are read "
        "recursively).", show_default=False)],
    against: Annotated[list[Path] | None, typer.Option(
        "--against", "-a", help="Reference reports, folders or corpora the desk trusts; repeat "
        "for several. Default: `reference` in the configuration.", show_default=False,
        rich_help_panel="Reference")] = None,
    rules: RulesOption = None,
    format: Annotated[CheckFormat | None, typer.Option(
        "--format", "-f", help=formats_help(),
        show_default=False, rich_help_panel="Output")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the output to this file (atomically) instead of stdout.",
        show_default=False, rich_help_panel="Output")] = None,
    fail_on: Annotated[Level | None, typer.Option(
        "--fail-on", help="The least severe level that fails the check (exit 1). Default: "
        "error.", show_default=False, rich_help_panel="Exit status")] = None,
    exit_zero: Annotated[bool, typer.Option(
        "--exit-zero", help="Exit 0 even when findings fail the check (errors in usage or "
        "configuration still exit 2).", rich_help_panel="Exit status")] = False,
    ignore: Annotated[list[str] | None, typer.Option(
        "--ignore", help="A rule code to leave out (FC303); repeat for several. Replaces "
        "`ignore` in the configuration.", show_default=False)] = None,
    baseline: Annotated[Path | None, typer.Option(
        "--baseline", help="Leave out the findings this baseline file accepts: only new "
        "findings are shown and can fail the check.", show_default=False,
        rich_help_panel="Baseline")] = None,
    write_baseline: Annotated[Path | None, typer.Option(
        "--write-baseline", help="Write every finding to this baseline file and exit 0.",
        show_default=False, rich_help_panel="Baseline")] = None,
    config: Annotated[Path | None, typer.Option(
        "--config", help="The configuration file (factcheck.toml, or a pyproject.toml with "
        "[tool.factcheck]). Default: the nearest one from the working folder up.",
        show_default=False, rich_help_panel="Configuration")] = None,
    no_config: Annotated[bool, typer.Option(
        "--no-config", help="Use no configuration file.",
        rich_help_panel="Configuration")] = False,
    color: ColorOption = Color.auto,
) -> None:
    """Check drafts against reference reporting before publication: every figure a draft
    gives is compared with the reference claims of the same metric and scope.

    FC301 (error): the draft repeats a figure the reference has since superseded. FC302
    (error): the draft's figure is incompatible with the reference. FC303 (info): no
    reference states the figure's metric. Exit 0: nothing at or above --fail-on; 1: findings
    that fail the check; 2: usage or configuration error; 3: an input could not be read.
    """
    settings = resolve_config(config, no_config)
    references = against or list(settings.reference)
    if not references:
        raise FactcheckError("no reference to check against: give --against PATH or set "
                             "'reference' in [tool.factcheck]")
    accepted = load_baseline(baseline or settings.baseline) if (
        baseline or settings.baseline) and write_baseline is None else None
    level = fail_on.value if fail_on else (settings.fail_on or "error")
    chosen = format.value if format else (settings.format or DEFAULT_FORMAT)
    result = check_drafts(
        [str(d) for d in drafts], [str(r) for r in references],
        rules=rules or list(settings.rules) or None, severity=settings.severity,
        ignore=set(ignore if ignore is not None else settings.ignore), baseline=accepted)
    _say_skipped(result.problems)
    if write_baseline is not None:
        write_text_atomic(write_baseline, baseline_text(result.all_findings))
        count = len(result.all_findings)
        typer.echo(f"factcheck: wrote {count} finding{'s' * (count != 1)} to the baseline "
                   f"{shown(write_baseline)}", err=True)
        raise typer.Exit(ExitCode.INPUT_SKIPPED if result.problems else ExitCode.OK)
    _emit_check(result.report(level), chosen, output, color)
    if result.problems:
        raise typer.Exit(ExitCode.INPUT_SKIPPED)
    if result.at_or_above(level) and not exit_zero:
        raise typer.Exit(ExitCode.FINDINGS)


def _emit_check(report: CheckReport, chosen: str, output: Path | None, color: Color) -> None:
    """Render a check in the format chosen, to `output` (atomically) or stdout."""
    output_format = check_format(chosen)
    if output_format.show is not None:  # for people: onto a console
        buffer = io.StringIO()
        console = make_console("never", file=buffer) if output is not None else make_console(
            color.value)
        output_format.show(console, report)
        if output is not None:
            write_text_atomic(output, buffer.getvalue())
        return
    assert output_format.render is not None
    text = output_format.render(report)
    if output_format.publish is not None:
        output_format.publish(report)
    if output is not None:
        write_text_atomic(output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


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
    table["source"] = table["source"].map(shown)
    if format is Format.json:
        records = table.astype(object).where(table.notna(), None).to_dict("records")
        typer.echo(json.dumps({"rules": records}, indent=2, ensure_ascii=False))
        return
    if format is Format.csv:
        sys.stdout.write(to_csv_text(table))
        return
    print_rule_table(make_console(color.value), table)


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
    print_rule(make_console(color.value), rule)


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
        payload["rules"] = [shown(d) for d in payload["rules"]]
        payload["case_files"] = [shown(f) for f in payload["case_files"]]
        for case in (*payload["failures"], *payload["skipped_cases"]):
            case["file"] = shown(case["file"])
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        print_rule_tests(make_console(color.value), run)
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
    typer.echo(f"created {shown(made.metric_file)}")
    typer.echo(f"created {shown(made.cases_file)}")
    if directory is None and made.directory == shipped_rules_dir():
        typer.echo("note: no rules/ folder here, so this is in the shipped rules")
    if made.overrides is not None:
        typer.echo(f"note: this replaces the shipped metric in {shown(made.overrides)}")
    typer.echo(f"next: edit both, then run: factcheck rules test "
               f"{shlex.quote(shown(made.directory))}")


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
        _say_skipped(error.problems)  # every input skipped, not just the first the error names
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
