"""Figure findings: messages capped, and clustering indexed (linear) with the pairwise result."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

import factcheck
from factcheck.compare.detectors import compare_claims
from factcheck.errors import RuleError

_CITED = re.compile(r"\(([^()]*), (\d{4}-\d{2}-\d{2}|unknown date)\)")


def _row(number: int, value: float, day: date | None, *, source: str = "police",
         metric: str = "killed", floor: bool = False, story: str = "s") -> dict[str, Any]:
    return {"claim_id": f"c{number}", "story": story, "kind": "numeric", "metric": metric,
            "figure": f"{'at least ' if floor else ''}{value:g}", "value": value, "low": value,
            "high": None if floor else value, "low_inclusive": True, "high_inclusive": not floor,
            "scope": None, "part_of": None, "attributed_to": source, "outlet": None,
            "doc": f"d{number}", "claim_date": day, "in_scope": True, "revision": False,
            "superseded": False}


def test_a_message_names_at_most_message_figures_then_how_many_more(
        rules: factcheck.RuleSet) -> None:
    """Thirty undated figures that all differ: each message cites at most
    `compare.message_figures` of them, then "… and K more"; claim_ids keep every claim."""
    limit = rules.compare["message_figures"]
    rows = [_row(n, float(10 * n), None) for n in range(1, 31)]
    findings = compare_claims(rows, rules)
    first = findings[0]
    assert len(first.claim_ids) == 30
    assert len(_CITED.findall(first.message)) == limit
    assert first.message.endswith(f"… and {30 - limit} more")
    for finding in findings:
        assert len(_CITED.findall(finding.message)) <= limit
        assert len(finding.message) < 100 * limit


def test_a_dated_chain_of_updates_is_capped_too(rules: factcheck.RuleSet) -> None:
    start = date(2024, 1, 1)
    rows = [_row(n, float(n), start + timedelta(days=n)) for n in range(1, 41)]
    [update] = [f for f in compare_claims(rows, rules) if f.kind == "update"]
    assert len(update.claim_ids) == 40
    assert update.message.count(" → ") == rules.compare["message_figures"] - 1
    assert update.message.endswith(f"… and {40 - rules.compare['message_figures']} more")


@pytest.mark.parametrize("value", [0, -3, "twelve", True, 2.5])
def test_a_bad_message_figures_setting_names_the_file_and_line(tmp_path: Path,
                                                               value: Any) -> None:
    (tmp_path / "findings.yaml").write_text(
        f"compare:\n  open_chains: 2\n  message_figures: {value!r}\n", encoding="utf-8")
    with pytest.raises(RuleError, match="message_figures") as raised:
        factcheck.load_rules([tmp_path])
    assert "findings.yaml" in str(raised.value) and ":3" in str(raised.value)
