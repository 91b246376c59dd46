"""`rules list|show|test|new`: the rule set's rules listed, described, tested, scaffolded.

The finding rules and metrics a rule set has, one described, their cases run, and a new metric
scaffolded.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import ExitCode
from ..report.console import make_console
from ..report.rulebook import (
    print_rule,
    print_rule_table,
    print_rule_tests,
    rule_file,
    shown,
)
from ..report.tables import to_csv_text
from ..resources import shipped_rules_dir
from ..tools import rulebook
from .config import configured_rules, resolve_config, rule_layers
from .options import (
    CaseFormat,
    Color,
    ColorOption,
    ConfigOption,
    Format,
    FormatOption,
    NoConfigOption,
    RulesOption,
)

rules_app = typer.Typer(
    help="List, describe, test and scaffold rules: the finding rules and metrics that the "
    "rules folders give.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


@rules_app.command("list")
def rules_list(
    rules: RulesOption = None,
    format: FormatOption = Format.table,
    color: ColorOption = Color.auto,
    config: ConfigOption = None,
    no_config: NoConfigOption = False,
) -> None:
    """List every finding rule (by code) and metric (by name): kind, severity, whether it is
    enabled, and the file it comes from.

    Finding rules come first, by code, then metrics, by name. `--format json` prints
    `{"rules": [...]}`; `--format csv` the same rows.
    """
    ruleset = configured_rules(rules, resolve_config(config, no_config))
    table = rulebook.rule_table(ruleset)
    if format is Format.table:
        table["source"] = table["source"].map(
            lambda source: rule_file(source, ruleset.dirs, shipped_rules_dir()))
        print_rule_table(make_console(color.value), table)
        return
    table["source"] = table["source"].map(shown)
    if format is Format.json:
        records = table.astype(object).where(table.notna(), None).to_dict("records")
        typer.echo(json.dumps({"rules": records}, indent=2, ensure_ascii=False))
        return
    sys.stdout.write(to_csv_text(table))


@rules_app.command("show")
def rules_show(
    rule_id: Annotated[str, typer.Argument(
        metavar="ID", help="A finding rule's code (FC101) or name (figure-updated), or a "
        "metric's name (killed).", show_default=False)],
    rules: RulesOption = None,
    color: ColorOption = Color.auto,
    config: ConfigOption = None,
    no_config: NoConfigOption = False,
) -> None:
    """Describe one finding rule or metric: everything its rule file says, with every metric
    pattern as written and its file:line.

    An unknown ID is an error (exit 2) that names the nearest known IDs.
    """
    rule = rulebook.describe_rule(
        configured_rules(rules, resolve_config(config, no_config)), rule_id)
    print_rule(make_console(color.value), rule)


@rules_app.command("test")
def rules_test(
    dirs: Annotated[list[Path] | None, typer.Argument(
        metavar="DIRS", help="Rules folders, layered over the shipped rules as --rules "
        "layers them. Default: the shipped rules.", show_default=False)] = None,
    format: Annotated[CaseFormat, typer.Option("--format", "-f", help="Output format.")] = (
        CaseFormat.text),
    color: ColorOption = Color.auto,
    config: ConfigOption = None,
    no_config: NoConfigOption = False,
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
    # the configuration's rules folders when none are given (its severity and ignore would
    # only make cases fail: they are a desk's choice, not the rules' behaviour)
    run = rulebook.run_rule_tests(rule_layers(dirs, resolve_config(config, no_config)))
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
