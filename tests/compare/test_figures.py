"""Figure findings: messages capped, and clustering indexed (linear) with the pairwise result."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import factcheck
from factcheck.compare.detectors import compare_claims
from factcheck.compare.figures import cluster_figures
from factcheck.compare.model import Cluster, Figure, agree, time_key
from factcheck.errors import RuleError
from factcheck.ruleset.model import Metric
from factcheck.run.api import load_rules

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


_RULES: list[factcheck.RuleSet] = []


def _shipped_rules() -> factcheck.RuleSet:
    """The shipped rules, loaded once (hypothesis runs a test body many times)."""
    if not _RULES:
        _RULES.append(load_rules())
    return _RULES[0]


def _pairwise_clusters(figures: list[Figure], metric: Metric, round_reach: bool
                       ) -> list[Cluster]:
    """The clustering as it was: every figure checked against every cluster (quadratic)."""
    clusters: list[Cluster] = []
    for figure in sorted(figures, key=lambda f: (not f.exact, time_key(f))):
        fitting = [c for c in clusters
                   if agree(c.lead, figure, metric.tolerance, round_reach)]
        if fitting:
            def distance(cluster: Cluster, figure: Figure = figure) -> tuple[int, date]:
                first = cluster.first_date
                if first is None or figure.date is None:
                    return (10**6, first or date.max)
                return (abs((first - figure.date).days), first)
            min(fitting, key=distance).members.append(figure)
        else:
            clusters.append(Cluster([figure]))
    return clusters


_QUALIFIERS = ["exact", "floor", "over", "ceiling", "range", "about"]


@st.composite
def _figures(draw: st.DrawFn) -> list[Figure]:
    figures = []
    for order in range(draw(st.integers(0, 14))):
        value = float(draw(st.sampled_from([5, 9, 10, 12, 20, 84, 90, 94, 100, 280, 284])))
        kind = draw(st.sampled_from(_QUALIFIERS))
        low, high, low_inc, high_inc = value, value, True, True
        if kind in ("floor", "over"):
            high, low_inc, high_inc = None, kind == "floor", False
        elif kind == "ceiling":
            low = None
        elif kind == "range":
            high = value + draw(st.sampled_from([1.0, 5.0, 10.0]))
        elif kind == "about":
            low, high = value * 0.9, value * 1.1
        day = draw(st.one_of(st.none(), st.integers(0, 4)))
        figures.append(Figure(
            claim_id=f"c{order}", value=None if kind == "range" and draw(st.booleans())
            else value, low=low, high=high, low_inclusive=low_inc, high_inclusive=high_inc,
            figure=f"{kind} {value:g}", date=None if day is None else date(2024, 1, 1 + day),
            source="s", revision=False, order=order))
    return figures


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(figures=_figures(), tolerance=st.sampled_from([0.0, 1.0, 4.0]),
       round_reach=st.booleans())
def test_indexed_clustering_is_the_pairwise_clustering(figures: list[Figure], tolerance: float,
                                                       round_reach: bool) -> None:
    rules = _shipped_rules()
    metric = replace(rules.metrics["killed"], tolerance=tolerance)
    rules = replace(rules, compare={**rules.compare, "round_figure_reach": round_reach})
    indexed = cluster_figures(figures, metric, rules)
    pairwise = _pairwise_clusters(figures, metric, round_reach)
    assert [[m.claim_id for m in c.members] for c in indexed] == [
        [m.claim_id for m in c.members] for c in pairwise]


def test_clustering_thousands_of_figures_gives_one_cluster_a_figure(
        rules: factcheck.RuleSet) -> None:
    """20,000 figures, 10,000 of them different (a pairwise scan took minutes; the cost is
    measured by `bench/scale.py --only growth`)."""
    figures = [Figure(claim_id=f"c{n}", value=float(n % 10_000), low=float(n % 10_000),
                      high=float(n % 10_000), low_inclusive=True, high_inclusive=True,
                      figure=str(n), date=date(2024, 1, 1 + n % 28), source="s",
                      revision=False, order=n) for n in range(20_000)]
    clusters = cluster_figures(figures, rules.metrics["killed"], rules)
    assert len(clusters) == 10_000 and all(len(c.members) == 2 for c in clusters)


def test_a_stale_finding_names_the_stale_claim_and_the_claim_that_dates_the_latest(
        rules: factcheck.RuleSet) -> None:
    """Many reports repeat the old 10 after 12 was given, and many give 12: each stale finding
    names two claims (its message's two), not every claim of the latest figure, so a story's
    findings.csv grows with its claims, not with their square."""
    start = date(2024, 1, 1)
    rows = [_row(1, 10.0, start), _row(2, 12.0, start + timedelta(days=1), source="mayor")]
    rows += [_row(n, 12.0, start + timedelta(days=2)) for n in range(3, 103)]
    rows += [_row(n, 10.0, start + timedelta(days=3)) for n in range(103, 203)]
    stale = [f for f in compare_claims(rows, rules) if f.kind == "stale"]
    assert len(stale) == 100
    for finding in stale:
        assert finding.groups[1] == ("c2",) and len(finding.claim_ids) == 2
        assert "12 (mayor, 2024-01-02)" in finding.message


def test_undated_figures_are_one_finding_that_names_each_claim_once(
        rules: factcheck.RuleSet) -> None:
    """300 undated figures that all differ: one conflict finding naming each claim once (one
    finding per undated figure, each naming all the rest, grew as their square)."""
    rows = [_row(n, float(n), None) for n in range(1, 301)]
    [conflict] = compare_claims(rows, rules)
    assert conflict.kind == "conflict" and len(conflict.groups) == 300
    assert sorted(conflict.claim_ids, key=lambda i: int(i[1:])) == [r["claim_id"] for r in rows]


def test_one_undated_figure_still_conflicts_with_the_dated_ones(
        rules: factcheck.RuleSet) -> None:
    start = date(2024, 1, 1)
    rows = [_row(1, 7.0, None), _row(2, 9.0, start), _row(3, 12.0, start + timedelta(days=1))]
    conflicts = [f for f in compare_claims(rows, rules) if f.kind == "conflict"]
    assert [f.groups for f in conflicts] == [(("c1",), ("c2",), ("c3",))]
