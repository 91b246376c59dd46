"""`report --format markdown`: the findings as a Markdown table, for a pull request."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from factcheck.cli.app import app
from factcheck.report.formats.markdown import cell, to_markdown
from factcheck.report.formats.registry import REPORT_FORMATS, report_format

runner = CliRunner()


def _tables(quote: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    claims = pd.DataFrame([
        {"claim_id": "c1", "doc": "a|b.md", "figure": "12", "value": 12.0, "low": 12.0,
         "high": 12.0, "attributed_to": "police", "claim_date": "2024-03-02", "quote": quote,
         "line": 3},
        {"claim_id": "c2", "doc": "c.md", "figure": "19", "value": 19.0, "low": 19.0,
         "high": 19.0, "outlet": "Gazette", "claim_date": None, "quote": "rose to 19",
         "line": 1}])
    findings = pd.DataFrame([{
        "finding_id": "f1", "story": "", "rule": "FC101", "rule_name": "figure-updated",
        "severity": "info", "kind": "update", "metric": "killed", "scope": None,
        "message": "killed rose | 12 → 19", "claim_ids": ["c1", "c2"],
        "groups": [["c1"], ["c2"]]}])
    return claims, findings


def test_a_row_per_finding_and_claim_with_pipes_and_newlines_escaped() -> None:
    claims, findings = _tables("At least 12 | people\nwere <b>killed</b>, *police* said")
    text = to_markdown(claims, findings)
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert table[0].startswith("| severity | rule | metric | finding | figure |")
    assert len(table) == 2 + 2  # the header, its rule, two claims
    for row in table:
        assert len(re.findall(r"(?<!\\)\|", row)) == 10  # escaped pipes stay in their cells
    assert "killed rose \\| 12 → 19" in table[2]
    assert "“At least 12 \\| people were &lt;b&gt;killed&lt;/b&gt;, \\*police\\* said”" \
        in table[2]
    assert "`a\\|b.md:3`" in table[2]
    assert table[3].startswith("|  |  |  |  | **19** | Gazette | unknown |")
    assert text.startswith("### factcheck: 1 finding in 2 reports, 2 claims")


def test_no_findings_says_so() -> None:
    claims, findings = _tables("12 killed")
    text = to_markdown(claims, findings.iloc[0:0])
    assert "No disagreements found between 2 reports." in text and "|" not in text


def test_cell_is_one_line() -> None:
    assert cell("a\r\nb\tc") == "a b c" and cell(None) == ""


def test_markdown_is_a_registered_report_format(seeds_dir: Path) -> None:
    assert [f.name for f in REPORT_FORMATS] == ["html", "markdown"]
    assert report_format("markdown") is not None and report_format("table") is None
    result = runner.invoke(app, ["report", str(seeds_dir), "-f", "markdown"])
    assert result.exit_code == 0, result.output
    assert "| info | FC101 figure-updated | arrested |" in result.stdout
    assert "“Iranian authorities have apprehended 35 individuals" in result.stdout
