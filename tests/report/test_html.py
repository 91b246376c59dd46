"""The HTML report as text, without a browser: self-contained, escaped, complete."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from factcheck.report.html import render_html

from .tables import plottable

REPO = Path(__file__).resolve().parents[2]


class Page(HTMLParser):
    """Every element's attributes, the inline scripts and styles, and the chart specs."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.styles: list[str] = []
        self._open: tuple[str, dict[str, str]] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.elements.append((tag, values))
        if tag in ("script", "style"):
            self._open = (tag, values)

    def handle_data(self, data: str) -> None:
        if self._open is None:
            return
        tag, attrs = self._open
        if tag == "script":
            self.scripts.append((attrs, data))
        else:
            self.styles.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._open = None

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements
                if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    @property
    def specs(self) -> dict[str, Any]:
        for attrs, text in self.scripts:
            if attrs.get("id") == "fc-specs":
                return json.loads(text)
        return {}

    def chart_points(self) -> dict[tuple[str, str], list[dict[str, Any]]]:
        """(story, metric) → the data points drawn by that chart (from its compiled spec)."""
        charts = {a["data-chart"]: (a["data-story"], a["data-metric"])
                  for a in self.find("div") if "data-chart" in a}
        points: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for key, spec in self.specs.items():
            rows = [row for data in spec["data"] for row in data.get("values", [])]
            points[charts[key]] = rows
        return points


def page_of(claims: pd.DataFrame, findings: pd.DataFrame, **kwargs: Any) -> tuple[str, Page]:
    text = render_html(claims, findings, **kwargs)
    return text, Page(text)


@pytest.fixture(scope="module")
def seeds_page(seeds_analysis) -> tuple[str, Page]:
    return page_of(seeds_analysis.claims, seeds_analysis.findings)


def test_the_page_is_self_contained(seeds_page: tuple[str, Page]) -> None:
    text, page = seeds_page
    assert text.startswith("<!DOCTYPE html>")
    for tag, attrs in page.elements:
        assert tag not in ("link", "iframe", "img", "object", "embed"), tag
        for name in ("src", "href", "action", "data", "poster", "srcset"):
            value = attrs.get(name, "").strip().lower()
            assert not value.startswith(("http:", "https:", "//", "ftp:")), (tag, name, value)
        assert "src" not in attrs, f"every {tag} is inline"
    for style in page.styles:
        assert "@import" not in style and "url(" not in style and "@font-face" not in style
    (csp,) = [a["content"] for a in page.find("meta", http_equiv="Content-Security-Policy")]
    assert "default-src 'none'" in csp


def test_every_inline_script_is_allowed_by_the_policy_and_nothing_else(
        seeds_page: tuple[str, Page]) -> None:
    _, page = seeds_page
    (csp,) = [a["content"] for a in page.find("meta", http_equiv="Content-Security-Policy")]
    allowed = set(re.findall(r"'sha256-([^']+)'", csp))
    code = [text for attrs, text in page.scripts if attrs.get("type") != "application/json"]
    assert len(code) == 2  # the Vega bundle and the report's own script
    hashes = {base64.b64encode(hashlib.sha256(c.encode()).digest()).decode() for c in code}
    assert hashes == allowed
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


HOSTILE = '</script><script>alert("x")</script><img src=x onerror=alert(1)> & "quoted"'


def hostile_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    base = {
        "claim_id": "c1", "story": HOSTILE, "doc": f"reports/{HOSTILE}\n.txt", "outlet": None,
        "published": "2024-01-02", "kind": "numeric", "metric": "killed", "figure": HOSTILE,
        "value": 5.0, "low": 5.0, "high": 5.0, "low_inclusive": True, "high_inclusive": True,
        "qualifier": None, "attributed_to": f"\x1b[31mEvil\x00 Source\u202e{HOSTILE}",
        "claim_date": "2024-01-02", "in_scope": True, "scope_note": None,
        "superseded": False, "part_of": None, "quote": f"said\x07 {HOSTILE}\r\nnext line",
        "line": 3, "column": 1,
    }
    second = dict(base, claim_id="c2", value=9.0, low=9.0, high=9.0, claim_date=None,
                  metric="killed", attributed_to="Agency <b>bold</b>")
    claims = pd.DataFrame([base, second])
    findings = pd.DataFrame([{
        "finding_id": "f1", "story": HOSTILE, "rule": "FC102", "rule_name": HOSTILE,
        "severity": "warning", "kind": "conflict", "metric": "killed", "scope": None,
        "message": f"disagree: {HOSTILE}\x1b[0m", "claim_ids": ["c1", "c2"],
        "groups": [["c1"], ["c2"]],
    }])
    return claims, findings


def test_hostile_text_is_escaped_and_control_characters_dropped() -> None:
    text, page = page_of(*hostile_tables(), title=f"Report {HOSTILE}", generated=HOSTILE)
    markup = re.sub(r"<script>.*?</script>", "", text, flags=re.S)  # the page's own scripts
    assert "alert" in markup  # the words are shown, as text
    assert '<script>alert' not in text
    assert "<img" not in markup
    assert "<b>bold</b>" not in text and "&lt;b&gt;bold&lt;/b&gt;" in text
    for character in ("\x1b", "\x00", "\x07", "\u202e", "\r"):
        assert character not in text
    # exactly the page's own elements: one JSON block and two scripts, one image-free body
    assert [t for t, _ in page.elements].count("script") == 3
    assert not page.find("img")
    # the chart data carries the text too, escaped for a script element
    points = [p for rows in page.chart_points().values() for p in rows]
    assert {p["id"] for p in points} == {"c1", "c2"}
    assert all("\x1b" not in p["source"] and "\x00" not in p["source"] for p in points)
    assert any(HOSTILE in p["quote"] for p in points)


def test_every_claim_is_in_the_table_and_every_figure_in_its_chart(
        seeds_analysis, seeds_page: tuple[str, Page]) -> None:
    claims = seeds_analysis.claims
    _, page = seeds_page
    rows = {a["id"] for a in page.find("tr") if a.get("id", "").startswith("claim-")}
    assert rows == {f"claim-{cid}" for cid in claims["claim_id"]}
    drawn = page.chart_points()
    expected = plottable(claims)
    for (story, metric), group in expected.groupby(["story", "metric"]):
        ids = [p["id"] for p in drawn[(story, metric)]]
        assert sorted(ids) == sorted(group["claim_id"]), metric
        in_scope = {p["id"] for p in drawn[(story, metric)] if p["scope"] == "in"}
        assert in_scope == set(group.loc[group["in_scope"], "claim_id"])
    assert set(drawn) == set(expected.groupby(["story", "metric"]).groups)


def test_findings_are_listed_under_their_metric(seeds_analysis,
                                                seeds_page: tuple[str, Page]) -> None:
    text, _ = seeds_page
    sections = re.split(r'<section class="metric', text)
    for finding in seeds_analysis.findings.itertuples():
        (section,) = [s for s in sections
                      if s.startswith(f'" data-metric="{finding.metric}"')]
        assert f'<span class="fid">{finding.finding_id}</span>' in section
        assert finding.rule in section and finding.rule_name in section
        for cid in finding.claim_ids:
            quote = seeds_analysis.claims.set_index("claim_id").loc[cid, "quote"]
            assert " ".join(quote.split()).replace("'", "&#x27;") in section


def test_set_aside_figures_are_muted(seeds_analysis, seeds_page: tuple[str, Page]) -> None:
    claims = seeds_analysis.claims.set_index("claim_id")
    _, page = seeds_page
    for attrs in page.find("tr"):
        if not attrs.get("id", "").startswith("claim-"):
            continue
        claim = claims.loc[attrs["id"].removeprefix("claim-")]
        aside = (not claim["in_scope"]) or bool(claim["superseded"]) or \
            isinstance(claim["part_of"], str)
        assert (attrs.get("class") == "is-muted") == aside, attrs["id"]
        if not claim["in_scope"]:
            assert attrs["data-status"] == "out_of_scope"
    points = [p for rows in page.chart_points().values() for p in rows]
    muted = {p["id"] for p in points if p["muted"]}
    assert {"c2", "c3", "c5", "c10", "c11", "c28"} == muted  # parts, other periods


def test_modality_draws_estimates_hollow(mini_tables) -> None:
    claims, findings = mini_tables
    _, page = page_of(claims, findings)
    points = [p for rows in page.chart_points().values() for p in rows]
    hollow = {p["id"] for p in points if p["hollow"]}
    estimates = set(claims.loc[claims["modality"] == "estimate", "claim_id"])
    assert hollow == estimates and len(estimates) == 1
    assert page.find("th", data_key="modality")

    _, plain = page_of(claims.drop(columns="modality"), findings)
    assert not any(p["hollow"] for rows in plain.chart_points().values() for p in rows)
    assert not plain.find("th", data_key="modality")  # absent: every figure is a count


def test_qualifiers_ranges_and_undated_claims_are_placed(mini_tables) -> None:
    claims, findings = mini_tables
    _, page = page_of(claims, findings)
    by_figure = {p["figure"]: p for rows in page.chart_points().values() for p in rows}
    assert by_figure["At least 12"]["dir"] == "up"
    assert by_figure["Hundreds"]["dir"] == "up"
    assert by_figure["up to 40"]["dir"] == "down"
    assert by_figure["Fewer than 50"]["dir"] == "down"
    span = by_figure["Between 30 and 45"]
    assert (span["dir"], span["low"], span["high"], span["y"]) == ("range", 30, 45, 37.5)
    assert by_figure["21"]["date"] == "unknown"  # drawn in the undated lane, not dropped
    # the source: attributed to, else the outlet, else unknown
    assert by_figure["At least 12"]["source"] == "police"
    assert by_figure["Hundreds"]["source"] == "Gazette"


def test_no_two_sources_of_a_chart_look_alike() -> None:
    rows = [{"claim_id": f"c{i}", "kind": "numeric", "metric": "killed", "value": float(i),
             "attributed_to": f"Source {i}", "claim_date": f"2024-02-{i + 1:02d}",
             "quote": f"q{i}", "doc": "r.txt", "line": i} for i in range(10)]
    rows.append(dict(rows[0], claim_id="c10", attributed_to=None))  # unknown
    _, page = page_of(pd.DataFrame(rows[1:]), pd.DataFrame())  # ten sources, unknown one
    (spec,) = page.specs.values()
    scales = {scale["name"]: scale for scale in spec["scales"]}
    assert len(set(scales["shape"]["range"])) == len(scales["shape"]["domain"]) == 10
    assert len(set(scales["color"]["range"])) == 10


def test_named_claims_are_only_in_the_table(seeds_analysis, seeds_page) -> None:
    named = seeds_analysis.claims.query("kind == 'named'")
    assert len(named) > 0
    _, page = seeds_page
    drawn = {p["id"] for rows in page.chart_points().values() for p in rows}
    assert drawn.isdisjoint(named["claim_id"])
    rows = {a["id"].removeprefix("claim-") for a in page.find("tr", data_kind="named")}
    assert rows == set(named["claim_id"])
    assert not {a["data-metric"] for a in page.find("div") if "data-chart" in a} & \
        set(named["metric"])


def test_the_page_depends_on_the_tables_alone(seeds_analysis) -> None:
    first = render_html(seeds_analysis.claims, seeds_analysis.findings)
    assert first == render_html(seeds_analysis.claims, seeds_analysis.findings)
    assert "Generated" not in first
    dated = render_html(seeds_analysis.claims, seeds_analysis.findings, title="Kerman",
                        generated="2024-01-12 09:00")
    assert "Generated 2024-01-12 09:00" in dated and "<title>Kerman</title>" in dated


def test_tables_read_back_from_csv(seeds_analysis, tmp_path: Path) -> None:
    """Lists written as `c1 c4` and `c1 | c4`, booleans as text: the same page content."""
    claims = seeds_analysis.claims
    findings = seeds_analysis.findings.assign(
        claim_ids=lambda f: f["claim_ids"].map(" ".join),
        groups=lambda f: f["groups"].map(lambda gs: " | ".join(" ".join(g) for g in gs)))
    claims.to_csv(tmp_path / "claims.csv", index=False)
    findings.to_csv(tmp_path / "findings.csv", index=False)
    again = render_html(pd.read_csv(tmp_path / "claims.csv"),
                        pd.read_csv(tmp_path / "findings.csv"))
    page = Page(again)
    assert {p["id"] for rows in page.chart_points().values() for p in rows} == \
        set(plottable(claims)["claim_id"])
    assert again.count('class="claim-ref') == render_html(claims, seeds_analysis.findings) \
        .count('class="claim-ref')


def test_no_claims_gives_a_page_without_charts() -> None:
    text, page = page_of(pd.DataFrame(), pd.DataFrame())
    assert "No claims were found" in text
    assert page.specs == {}
    assert len(text) < 100_000  # no chart, no chart library


def test_the_wheel_carries_the_report_assets(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    built = subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d",
                            str(tmp_path)], cwd=REPO, capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    names = set(zipfile.ZipFile(next(tmp_path.glob("factcheck-*.whl"))).namelist())
    for asset in (REPO / "factcheck" / "report" / "html_assets").iterdir():
        assert f"factcheck/report/html_assets/{asset.name}" in names


def test_each_story_has_its_own_charts(mini_tables) -> None:
    claims, findings = mini_tables
    other = claims.assign(story="storm", claim_id=claims["claim_id"] + "s")
    other_findings = findings.assign(
        story="storm", finding_id=findings["finding_id"] + "s",
        claim_ids=findings["claim_ids"].map(lambda ids: [i + "s" for i in ids]),
        groups=findings["groups"].map(lambda gs: [[i + "s" for i in g] for g in gs]))
    text, page = page_of(pd.concat([claims, other]), pd.concat([findings, other_findings]))
    metrics = set(plottable(claims)["metric"])
    assert set(page.chart_points()) == {(s, m) for s in ("flood", "storm") for m in metrics}
    assert [a["id"] for a in page.find("h2") if a.get("id", "").startswith("story-")] == \
        ["story-1-flood", "story-2-storm"]
    assert page.find("th", data_key="story")
    assert text.count('<article class="finding') == 2 * len(findings)
