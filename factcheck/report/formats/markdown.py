"""`report --format markdown`: the findings as a Markdown table, quotes included.

For a pull-request comment or `$GITHUB_STEP_SUMMARY`: a heading with the counts, then one row
per finding and claim (the finding's severity, rule and message on its first row).
"""

from __future__ import annotations

import html

import pandas as pd

from ..cells import plural, records, trim, value_of
from ..safetext import safe_text
from ..tables import FINDINGS_CSV_COLUMNS, finding_claim_rows, jsonable
from .base import ReportFormat

QUOTE_LIMIT = 160
_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]|#~"})


def cell(value: object) -> str:
    """Text safe inside a Markdown table cell: one line, HTML and Markdown marks escaped."""
    text = jsonable(value)
    if text is None:
        return ""
    flat = " ".join(safe_text(str(text)).split())  # newlines would end the row
    return html.escape(flat, quote=False).translate(_MARKDOWN)


def code(value: object) -> str:
    """A path or file:line as a code span (read as written, no Markdown escapes needed)."""
    text = cell(value).replace("\\", "") if value is not None else ""
    if not text:
        return ""
    plain = " ".join(safe_text(str(jsonable(value))).split()).replace("`", "'").replace("|", "\\|")
    return f"`{plain}`"


def to_markdown(claims: pd.DataFrame | None, findings: pd.DataFrame | None) -> str:
    """The report as Markdown: counts, then a table of every finding's claims."""
    claim_rows = records(claims)
    finding_rows = records(findings)
    by_id = {str(c.get("claim_id")): c for c in claim_rows}
    reports = len({str(c.get("doc")) for c in claim_rows if value_of(c, "doc")})
    heading = (f"### factcheck: {plural(len(finding_rows), 'finding')} in "
               f"{plural(reports, 'report')}, {plural(len(claim_rows), 'claim')}")
    if not finding_rows:
        between = "in" if reports == 1 else "between"
        return f"{heading}\n\nNo disagreements found {between} {plural(reports, 'report')}.\n"
    counts: dict[str, int] = {}
    for finding in finding_rows:
        severity = str(value_of(finding, "severity") or "info")
        counts[severity] = counts.get(severity, 0) + 1
    lines = [heading, "", ", ".join(f"{n} {s}" for s, n in counts.items()), "",
             "| severity | rule | metric | finding | figure | source | date | quote | file:line |",
             "|---|---|---|---|---|---|---|---|---|"]
    at = {name: FINDINGS_CSV_COLUMNS.index(name) for name in FINDINGS_CSV_COLUMNS}
    for finding in finding_rows:
        for index, row in enumerate(finding_claim_rows(finding, by_id)):
            first = index == 0
            rule = f"{row[at['rule']]} {row[at['rule_name']]}" if first else ""
            quote = trim(row[at["quote"]], QUOTE_LIMIT, keep=row[at["figure"]]) \
                if row[at["quote"]] else ""
            lines.append("| " + " | ".join([
                cell(row[at["severity"]]) if first else "", cell(rule),
                cell(row[at["metric"]]) if first else "",
                cell(row[at["message"]]) if first else "",
                f"**{cell(row[at['figure']])}**" if row[at["figure"]]
                else cell(row[at["claim_id"]]),
                cell(row[at["source"]]), cell(row[at["date"]] or "unknown"),
                f"“{cell(quote)}”" if quote else "", code(row[at["location"]])]) + " |")
    return "\n".join(lines) + "\n"


REPORT_FORMAT = ReportFormat("markdown", "markdown (a table of findings for a pull request)",
                             render=to_markdown)
