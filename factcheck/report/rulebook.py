"""`factcheck rules list|show|test` for people: the rule table, one rule in full, the cases run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .terminal import SEVERITY_STYLE


def shown(path: str | Path) -> str:
    """A path as shown to people: relative to the working folder when it is inside it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def _at(file: str, line: int | None) -> str:
    return f"{shown(file)}:{line}" if line else shown(file)


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


def rule_file(source: str | Path, dirs: Sequence[Path], shipped: Path) -> str:
    """Where a rule comes from, as `rules list` shows it: relative to the rules folder that
    gives it (`metrics/killed.yaml`); a layer's own folder (`newsroom/rules/…`) in front of it
    when that is not the shipped rules."""
    path = Path(source)
    for folder in reversed(dirs):
        try:
            inside = path.resolve().relative_to(folder.resolve()).as_posix()
        except (ValueError, OSError):
            continue
        if folder.resolve() == shipped.resolve():
            return inside
        return f"{shown(folder)}/{inside}"
    return shown(path)


def print_rule_table(console: Console, table: pd.DataFrame) -> None:
    """`factcheck rules list`: one row per finding rule and metric, under the file that gives
    them; names and paths are never cut (the columns are as wide as their longest cell)."""
    rows = table.to_dict("records")
    console.print(Text(f"{len(rows)} rules", style="bold"))
    cells = [[f"{row['id']} {row['name']}" if isinstance(row["name"], str) else row["id"],
              row["kind"], row["severity"] if isinstance(row["severity"], str) else "",
              _yes(row["enabled"])] for row in rows]
    headers = ["rule", "kind", "severity", "enabled"]
    # the rule column holds a rule indented under its file
    widths = [max(len(h), *(len(c[i]) + 2 * (i == 0) for c in cells))
              for i, h in enumerate(headers)]
    gap = "  "
    console.print(Text(gap.join(h.ljust(w) for h, w in zip(headers, widths, strict=True)),
                       style="bold"))
    files: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        files.setdefault(row["source"], []).append(index)
    for file, indexes in files.items():
        console.print(Text(file, style="cyan"), no_wrap=True, overflow="ignore", crop=False)
        for index in indexes:
            rule, kind, severity, enabled = cells[index]
            line = Text(f"  {rule}".ljust(widths[0]) + gap + kind.ljust(widths[1]) + gap)
            line.append(severity.ljust(widths[2]), style=SEVERITY_STYLE.get(severity, ""))
            line.append(gap)
            line.append(enabled, style="" if rows[index]["enabled"] else "yellow")
            console.print(line, no_wrap=True, overflow="ignore", crop=False)


def print_rule(console: Console, rule: Mapping[str, Any]) -> None:
    """`factcheck rules show`: a finding rule or a metric, with every pattern and its file:line."""
    heading = Text(rule["id"], style="bold")
    if rule["type"] == "finding rule":
        heading.append(f"  {rule['name']}", style="bold")
        heading.append("  finding rule", style="dim")
        console.print(heading)
        console.print(_fields([
            ("kind", rule["kind"]),
            ("severity", Text(rule["severity"],
                              style=SEVERITY_STYLE.get(rule["severity"], ""))),
            ("enabled", _yes(rule["enabled"])), ("description", rule["description"]),
            ("example", rule["example"]), ("message", rule["message"]),
            ("source", shown(rule["source"]))]))
        return
    heading.append("  metric", style="dim")
    console.print(heading)
    console.print(_fields([
        ("description", rule["description"]), ("example", rule["example"]),
        ("accumulates", _yes(rule["accumulates"])
         + ("  (a later, lower figure is a conflict unless it is a revision)"
            if rule["accumulates"] else "  (any later figure may replace an earlier one)")),
        ("tolerance", str(rule["tolerance"])), ("enabled", _yes(rule["enabled"])),
        *([("keywords", ", ".join(rule["keywords"]))] if rule["keywords"] else []),
        ("source", shown(rule["source"]))]))
    lexicon = rule.get("lexicon") or {}
    if lexicon:
        console.print()
        console.print(Text("lexicon (read by the shared constructions of grammar.yaml)",
                           style="bold"))
        console.print(_fields([(kind, ", ".join(phrases)) for kind, phrases in lexicon.items()]))

    def patterns(title: str, entries: list[dict[str, Any]]) -> None:
        console.print()
        console.print(Text(title, style="bold"))
        for entry in entries:
            console.print(Text(f"  {_at(entry['file'], entry['line'])}", style="cyan"))
            # Soft wrap: the pattern is one line, exactly as written, for the terminal to wrap;
            # rich's own wrapping would drop the space it breaks at.
            console.print(Text(f"    {entry['pattern']}"), soft_wrap=True)

    if rule["patterns"] or not lexicon:
        patterns(f"patterns ({len(rule['patterns'])})", rule["patterns"])
    if rule["conditional_patterns"]:
        # The condition first: it decides whether the patterns under it count at all.
        patterns("unless_report_mentions: a report it matches skips the conditional patterns",
                 [rule["unless_report_mentions"]])
        patterns(f"conditional patterns ({len(rule['conditional_patterns'])})",
                 rule["conditional_patterns"])


def _print_case(console: Console, case: Any) -> None:
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


def print_rule_tests(console: Console, run: Any) -> None:
    """`factcheck rules test`: the counts, then every failed case in full and every skipped one."""
    summary = Text("factcheck rules test", style="bold")
    summary.append(f": {run.run} cases run, ")
    summary.append(f"{run.passed} passed", style="green" if not run.failed else "")
    summary.append(", ")
    summary.append(f"{run.failed} failed", style="bold red" if run.failed else "")
    if run.skipped:
        summary.append(f", {len(run.skipped)} skipped", style="yellow")
    console.print(summary)
    console.print(Text(f"rules: {', '.join(shown(d) for d in run.dirs)}; "
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
