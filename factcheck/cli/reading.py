"""`report`, `claims` and `index`: reports read, and their claims and findings output.

Reports read, their claims and findings printed or written, streamed through the pipeline, or
kept in a claims store.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from ..errors import FactcheckError, Problem, SkippedInputError
from ..report.console import make_console
from ..report.formats.registry import report_format
from ..report.html import render_html
from ..report.rulebook import shown
from ..report.safetext import terminal_safe, write_out
from ..report.tables import findings_csv_table, to_csv_text, to_json, write_outputs
from ..report.terminal import print_claims, print_report
from ..ruleset.model import RuleSet
from ..run import pipeline
from ..run.api import analyse, index_reports
from ..run.census import StoryCensus
from ..run.engines import parse_jobs
from ..run.progress import run_progress
from .config import configured_rules, group_by_of, resolve_config
from .diagnostics import exit_if_skipped, say_note, store_note, strict_exit
from .options import (
    Color,
    ColorOption,
    ConfigOption,
    EngineName,
    EngineOption,
    ExcludeOption,
    Format,
    FormatOption,
    GroupOption,
    HtmlOption,
    JobsOption,
    NoConfigOption,
    NoHtmlOption,
    OutOption,
    PathsArgument,
    QuietOption,
    ReadOptions,
    ReportFormatOption,
    RulesOption,
    SchedulerOption,
    StoreOption,
    StrictOption,
)


def _reading_command(command: str, doc: str, format_option: Any = None,
                     html_option: Any = None) -> Callable[..., None]:
    """The command `report` or `claims` (they take the same options, and print differently)."""

    def read_command(
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
        config: ConfigOption = None,
        no_config: NoConfigOption = False,
        html: NoHtmlOption = True,
        exclude: ExcludeOption = None,
    ) -> None:
        options = ReadOptions(
            command=command, paths=paths, format=format, rules=rules, out=out,
            group_by=group_by, color=color, strict=strict, store=store, jobs=jobs,
            engine=engine, scheduler=scheduler, quiet=quiet, config=config,
            no_config=no_config, html=html and command == "report", exclude=exclude)
        if options.store is not None:
            _run_with_store(options, options.store)
        else:
            _run(options)

    read_command.__doc__ = doc
    if format_option is not None:  # report's formats: the tables' and the registered ones
        read_command.__annotations__["format"] = format_option
    if html_option is not None:  # report's --no-html, shown
        read_command.__annotations__["html"] = html_option
    return read_command


report = _reading_command("report", """Report the disagreements between reports, grouped by
    metric, with every claim's source, date, words and file:line.

    --format json prints {"claims": [...], "findings": [...]}; --format csv prints findings.csv
    (one row per finding and claim); --format html one self-contained page with a timeline per
    metric; --format markdown the findings as a Markdown table. With --out, report.html is
    written beside claims.csv and findings.csv (--no-html: not).
    """, ReportFormatOption, HtmlOption)
claims = _reading_command("claims", """List every claim found: metric, figure and interval,
    source, date, scope and position.""")


def _settings(options: ReadOptions) -> tuple[RuleSet, str | None]:
    """The rule set and the story grouping: the options over the configuration file."""
    config = resolve_config(options.config, options.no_config)
    return configured_rules(options.rules, config), group_by_of(options.group_by, config)


def _run(options: ReadOptions) -> None:
    """`report` and `claims`: the corpus streamed through `pipeline.run` (the tables `analyse`
    gives, claims.csv and findings.csv written as claims are read, a progress bar on a
    terminal); the tables are held in memory only for the table and JSON formats."""
    ruleset, group_by = _settings(options)
    printed = None if options.quiet else str(options.format)
    streamed = printed in (None, Format.csv)  # these print from the files: no tables held
    with contextlib.ExitStack() as stack:
        target = options.out
        if printed == Format.csv and options.out is None:
            target = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="factcheck-")))
        try:
            run = pipeline.run(options.path_names, ruleset, group_by,
                               out=target, keep_tables=not streamed,
                               jobs=parse_jobs(options.jobs), engine=options.engine.value,
                               scheduler=options.scheduler, strict=options.strict,
                               # `claims` prints no findings: compared only for --out's files
                               compare=options.command == "report" or options.out is not None,
                               progress=run_progress(options.quiet),
                               pages=_pages if options.html else None,
                               exclude=options.exclude or ())
        except SkippedInputError as stopped:
            raise strict_exit(stopped) from None
        if printed == Format.csv and target is not None:
            name = "findings.csv" if options.command == "report" else "claims.csv"
            pipeline.copy_csv(target / name, terminal_safe(sys.stdout))
        elif printed is not None and run.claims is not None:
            _print_tables(options, printed, run.claims, run.findings, run.reports,
                          run.problems)
    say_note(run.hint)
    exit_if_skipped(run.problems)


def _run_with_store(options: ReadOptions, store: Path) -> None:
    """`report` and `claims` with a claims store: one process, the tables in memory."""
    if parse_jobs(options.jobs) != 1 or options.engine is not EngineName.local:
        raise FactcheckError("--store reads in this process: leave out --jobs and --engine "
                             "(factcheck index --store FILE builds the store once)")
    ruleset, group_by = _settings(options)
    try:
        analysis = analyse(options.path_names, ruleset, group_by, strict=options.strict,
                           store=store, exclude=options.exclude or (),
                           compare=options.command == "report" or options.out is not None)
    except SkippedInputError as stopped:
        raise strict_exit(stopped) from None
    if analysis.store is not None:
        store_note(analysis.store)
    say_note(StoryCensus(ruleset, group_by).add_all(analysis.documents).hint())
    # Files first: a reader that closes stdout early (`| head`) must not cost the CSVs.
    if options.out is not None:
        write_outputs(options.out, analysis.claims, analysis.findings,
                      _pages(analysis.claims, analysis.findings) if options.html else None)
    if options.quiet:
        pass  # the files only
    elif options.format == Format.csv:
        write_out(to_csv_text(
            findings_csv_table(analysis.findings, analysis.claims)
            if options.command == "report" else analysis.claims))
    else:
        _print_tables(options, options.format, analysis.claims, analysis.findings,
                      len(analysis.documents), analysis.problems)
    exit_if_skipped(analysis.problems)


def _pages(claims: pd.DataFrame, findings: pd.DataFrame) -> dict[str, str]:
    """What `report --out` writes beside the CSVs: the HTML report."""
    return {"report.html": render_html(claims, findings)}


def _print_tables(options: ReadOptions, format: str, claims: pd.DataFrame,
                  findings: pd.DataFrame | None, reports: int,
                  problems: Sequence[Problem]) -> None:
    """`report` or `claims` on stdout as JSON, in a registered report format, or for people."""
    registered = report_format(format)
    if registered is not None:
        write_out(registered.render(claims, findings if findings is not None
                                    else pd.DataFrame()))
    elif format == Format.json:
        write_out(to_json(claims, findings if options.command == "report" else None) + "\n")
    elif options.command == "report":
        print_report(make_console(options.color.value), claims, findings,
                     documents=reports, problems=[str(p) for p in problems])
    else:
        print_claims(make_console(options.color.value), claims)


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
    config: ConfigOption = None,
    no_config: NoConfigOption = False,
    exclude: ExcludeOption = None,
) -> None:
    """Extract the claims of PATHS once into a claims store: later runs (report --store,
    claims --store, a check against the store) reuse them.

    Run again after the reports change: unchanged reports are kept, new and changed ones (text,
    metadata, or their story's dates) extracted, and reports no longer under PATHS removed. A
    store made with other rules is rebuilt. Prints one line: reports added, reused,
    re-extracted and removed, claims, and the rules' version. The store is written in one
    transaction: an interrupted run leaves it as it was.
    """
    settings = resolve_config(config, no_config)
    try:
        update, problems = index_reports([str(p) for p in paths], store,
                                         configured_rules(rules, settings),
                                         group_by_of(group_by, settings), strict=strict,
                                         exclude=exclude or ())
    except SkippedInputError as stopped:
        raise strict_exit(stopped) from None
    store_note(update)
    typer.echo(f"factcheck index: {shown(update.store)}: {update.reports:,} reports "
               f"({update.added:,} added, {update.reused:,} reused, "
               f"{update.reextracted:,} re-extracted, {update.removed:,} removed), "
               f"{update.claims:,} claims, rules {update.rules_version}")
    exit_if_skipped(problems)
