"""Command line: a thin typer layer that parses options, calls the library and renders."""

from __future__ import annotations

import json
import os
import shlex
import signal
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from . import __version__, render, rulebook
from .api import Analysis, analyse, evaluate
from .errors import ExitCode, FactcheckError, SkippedInputError
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


def _run(paths: list[Path] | None, rules: list[Path] | None, group_by: str | None,
         strict: bool = False) -> Analysis:
    try:
        return analyse([str(p) for p in paths] if paths else None, rules or None, group_by,
                       strict=strict)
    except SkippedInputError as stopped:
        raise _strict_exit(stopped) from None


def _strict_exit(stopped: SkippedInputError) -> typer.Exit:
    """`--strict` stopped the run: every diagnostic, one line saying so, and the exit to raise."""
    for problem in stopped.problems:
        typer.echo(f"factcheck: skipped {problem}", err=True)
    typer.echo(f"factcheck: error: {stopped}", err=True)
    return typer.Exit(stopped.exit_code)


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
    strict: StrictOption = False,
) -> None:
    """Report the disagreements between reports, grouped by metric, with every claim's source,
    date, words and file:line.

    --format json prints {"claims": [...], "findings": [...]}; --format csv prints the findings.
    """
    analysis = _run(paths, rules, group_by, strict)
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
    strict: StrictOption = False,
) -> None:
    """List every claim found: metric, figure and interval, source, date, scope and position."""
    analysis = _run(paths, rules, group_by, strict)
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


def _shown(path: str | Path) -> str:
    """A path as shown to people: relative to the working folder when it is inside it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def _at(file: str, line: int | None) -> str:
    return f"{_shown(file)}:{line}" if line else _shown(file)


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _flow(value: Any) -> str:
    """A case entry in YAML flow style, as it is written in a cases file."""
    return yaml.safe_dump(value, default_flow_style=True, sort_keys=False, allow_unicode=True,
                          width=1_000_000).strip()


def _fields(rows: list[tuple[str, str | Text]]) -> Table:
    """Label and value rows; values fold to the console's width."""
    grid = Table.grid(padding=(0, 2), pad_edge=False)
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(label, value if isinstance(value, Text) else Text(value))
    return grid


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
    table["source"] = table["source"].map(_shown)
    if format is Format.json:
        records = table.astype(object).where(table.notna(), None).to_dict("records")
        typer.echo(json.dumps({"rules": records}, indent=2, ensure_ascii=False))
        return
    if format is Format.csv:
        sys.stdout.write(render.to_csv_text(table))
        return
    console = render.make_console(color.value)
    view = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True,
                 title=Text(f"{len(table)} rules", style="bold"), title_justify="left")
    view.add_column("id", no_wrap=True)
    view.add_column("name", overflow="fold", max_width=20)
    view.add_column("kind", no_wrap=True)
    view.add_column("severity", no_wrap=True)
    view.add_column("enabled", no_wrap=True)
    view.add_column("source", overflow="fold")
    for row in table.to_dict("records"):
        severity = row["severity"] if isinstance(row["severity"], str) else ""
        view.add_row(row["id"], row["name"] if isinstance(row["name"], str) else "",
                     row["kind"], Text(severity, style=render.SEVERITY_STYLE.get(severity, "")),
                     Text(_yes(row["enabled"]), style="" if row["enabled"] else "yellow"),
                     row["source"])
    console.print(view)


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
    console = render.make_console(color.value)
    heading = Text(rule["id"], style="bold")
    if rule["type"] == "finding rule":
        heading.append(f"  {rule['name']}", style="bold")
        heading.append("  finding rule", style="dim")
        console.print(heading)
        console.print(_fields([
            ("kind", rule["kind"]),
            ("severity", Text(rule["severity"],
                              style=render.SEVERITY_STYLE.get(rule["severity"], ""))),
            ("enabled", _yes(rule["enabled"])), ("description", rule["description"]),
            ("example", rule["example"]), ("message", rule["message"]),
            ("source", _shown(rule["source"]))]))
        return
    heading.append("  metric", style="dim")
    console.print(heading)
    console.print(_fields([
        ("description", rule["description"]), ("example", rule["example"]),
        ("accumulates", _yes(rule["accumulates"])
         + ("  (a later, lower figure is a conflict unless it is a revision)"
            if rule["accumulates"] else "  (any later figure may replace an earlier one)")),
        ("tolerance", str(rule["tolerance"])), ("enabled", _yes(rule["enabled"])),
        ("keywords", ", ".join(rule["keywords"])), ("source", _shown(rule["source"]))]))

    def patterns(title: str, entries: list[dict[str, Any]]) -> None:
        console.print()
        console.print(Text(title, style="bold"))
        for entry in entries:
            console.print(Text(f"  {_at(entry['file'], entry['line'])}", style="cyan"))
            # Soft wrap: the pattern is one line, exactly as written, for the terminal to wrap;
            # rich's own wrapping would drop the space it breaks at.
            console.print(Text(f"    {entry['pattern']}"), soft_wrap=True)

    patterns(f"patterns ({len(rule['patterns'])})", rule["patterns"])
    if rule["conditional_patterns"]:
        # The condition first: it decides whether the patterns under it count at all.
        patterns("unless_report_mentions: a report it matches skips the conditional patterns",
                 [rule["unless_report_mentions"]])
        patterns(f"conditional patterns ({len(rule['conditional_patterns'])})",
                 rule["conditional_patterns"])


def _print_case(console: Console, case: rulebook.CaseResult) -> None:
    console.print()
    title = Text("FAIL", style="bold red")
    title.append(f"  {_at(case.file, case.line)}", style="cyan")
    title.append(f"  {case.name}")
    console.print(title, overflow="fold")
    rows: list[tuple[str, str | Text]] = []
    if case.kind == "claims":
        rows.append(("text", case.text or ""))
    else:
        rows.append(("reports", "\n".join(
            f"{n}. " + ", ".join(str(r[k]) for k in ("source", "date") if r.get(k))
            + (": " if r.get("source") or r.get("date") else "") + str(r.get("text", ""))
            for n, r in enumerate(case.reports, start=1))))
    nothing = f"(no {case.kind})"
    rows.append(("expected", "\n".join(_flow(e) for e in case.expected) or nothing))
    rows.append(("found", "\n".join(_flow(f) for f in case.found) or nothing))
    console.print(Padding(_fields(rows), (0, 0, 0, 2), expand=False))


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
        payload["rules"] = [_shown(d) for d in payload["rules"]]
        payload["case_files"] = [_shown(f) for f in payload["case_files"]]
        for case in (*payload["failures"], *payload["skipped_cases"]):
            case["file"] = _shown(case["file"])
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        console = render.make_console(color.value)
        summary = Text("factcheck rules test", style="bold")
        summary.append(f": {run.run} cases run, ")
        summary.append(f"{run.passed} passed", style="green" if not run.failed else "")
        summary.append(", ")
        summary.append(f"{run.failed} failed", style="bold red" if run.failed else "")
        if run.skipped:
            summary.append(f", {len(run.skipped)} skipped", style="yellow")
        console.print(summary)
        console.print(Text(f"rules: {', '.join(_shown(d) for d in run.dirs)}; "
                           f"{len(run.case_files)} cases files", style="dim"), overflow="fold")
        for case in run.failures:
            _print_case(console, case)
        if run.skipped:
            console.print()
            for case in run.skipped:
                line = Text("skipped", style="yellow")
                line.append(f"  {_at(case.file, case.line)}", style="cyan")
                line.append(f"  {case.name}: {case.skipped}")
                console.print(line, overflow="fold")
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
    typer.echo(f"created {_shown(made.metric_file)}")
    typer.echo(f"created {_shown(made.cases_file)}")
    if directory is None and made.directory == shipped_rules_dir():
        typer.echo("note: no rules/ folder here, so this is in the shipped rules")
    if made.overrides is not None:
        typer.echo(f"note: this replaces the shipped metric in {_shown(made.overrides)}")
    typer.echo(f"next: edit both, then run: factcheck rules test "
               f"{shlex.quote(_shown(made.directory))}")


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
