"""`check`: drafts checked against a reference, rendered in the output format chosen.

Drafts checked against reference reporting before publication, in the output format chosen,
with the exit codes CI relies on.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..compare.suppress import baseline_text, load_baseline
from ..errors import ExitCode, FactcheckError
from ..fileio import write_text_atomic
from ..report.console import make_console
from ..report.formats.base import CheckReport, success_text
from ..report.formats.registry import DEFAULT_FORMAT, check_format, formats_help
from ..report.rulebook import shown
from ..report.safetext import write_out
from ..run.api import check_drafts
from .config import configured_rules, resolve_config
from .diagnostics import say_skipped
from .options import CheckFormat, CheckOptions, Color, ColorOption, Level, RulesOption


def check_command(
    drafts: Annotated[list[Path], typer.Argument(
        metavar="DRAFT...", help="Draft files or folders to check (.md, .txt; folders are read "
        "recursively).", show_default=False)],
    against: Annotated[list[Path] | None, typer.Option(
        "--against", "-a", help="Reference reports, folders or corpora the desk trusts; repeat "
        "for several. Default: `reference` in the configuration.", show_default=False,
        rich_help_panel="Reference")] = None,
    exclude: Annotated[list[str] | None, typer.Option(
        "--exclude", metavar="GLOB", help="Leave out the reference files and folders this "
        "gitignore-like glob matches; repeat for several. A reference folder's "
        ".factcheckignore adds its own.", show_default=False,
        rich_help_panel="Reference")] = None,
    rules: RulesOption = None,
    format: Annotated[CheckFormat | None, typer.Option(
        "--format", "-f", metavar="FORMAT", help=formats_help(),
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
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print nothing (the exit status tells): no findings on stdout, "
        "no success line; --output is still written, diagnostics still shown.",
        rich_help_panel="Output")] = False,
) -> None:
    """Check drafts against reference reporting before publication: every figure a draft
    gives is compared with the reference claims of the same metric and scope.

    FC301 (error): the draft repeats a figure the reference has since superseded. FC302
    (error): the draft's figure is incompatible with the reference. FC303 (info): no
    reference states the figure's metric. Exit 0: nothing at or above --fail-on; 1: findings
    that fail the check; 2: usage or configuration error; 3: an input could not be read.
    """
    run_check(CheckOptions(
        drafts=drafts, against=against, rules=rules, format=format.value if format else None,
        output=output, fail_on=fail_on.value if fail_on else None, exit_zero=exit_zero,
        ignore=ignore, baseline=baseline, write_baseline=write_baseline, config=config,
        no_config=no_config, color=color, quiet=quiet, exclude=exclude))


def run_check(options: CheckOptions) -> None:
    """`check` with its options: the configuration fills in what they leave out."""
    settings = resolve_config(options.config, options.no_config)
    references = options.against or list(settings.reference)
    if not references:
        raise FactcheckError("no reference to check against: give --against PATH or set "
                             "'reference' in [tool.factcheck]")
    baseline = options.baseline or settings.baseline
    accepted = load_baseline(baseline) if baseline and options.write_baseline is None else None
    level = options.fail_on or settings.fail_on or "error"
    chosen = options.format or settings.format or DEFAULT_FORMAT
    ignore = options.ignore if options.ignore is not None else settings.ignore
    result = check_drafts(
        [str(d) for d in options.drafts], [str(r) for r in references],
        rules=configured_rules(options.rules, settings, ignore), severity=settings.severity,
        ignore=set(ignore), baseline=accepted, exclude=options.exclude or ())
    say_skipped(result.problems)
    if options.write_baseline is not None:
        write_text_atomic(options.write_baseline, baseline_text(result.all_findings))
        count = len(result.all_findings)
        typer.echo(f"factcheck: wrote {count} finding{'s' * (count != 1)} to the baseline "
                   f"{shown(options.write_baseline)}", err=True)
        raise typer.Exit(ExitCode.INPUT_SKIPPED if result.problems else ExitCode.OK)
    if not options.quiet or options.output is not None:
        emit_check(result.report(level), chosen, options.output, options.color,
                   quiet=options.quiet)
    if result.problems:
        raise typer.Exit(ExitCode.INPUT_SKIPPED)
    if result.at_or_above(level) and not options.exit_zero:
        raise typer.Exit(ExitCode.FINDINGS)


def emit_check(report: CheckReport, chosen: str, output: Path | None, color: Color,
               quiet: bool = False) -> None:
    """Render a check in the output format chosen (`report.formats.registry`), to `output`
    (atomically) or stdout, and publish what the format sends elsewhere; a format silent on
    success says so on stderr, unless `quiet`."""
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
        write_out(text)
        sys.stdout.flush()
    if output_format.success_line and not report.findings and not report.problems and not quiet:
        typer.echo(success_text(report), err=True)
