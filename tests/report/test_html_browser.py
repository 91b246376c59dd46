"""The HTML report in a real browser: Debian's Chromium, headless, driven by Playwright.

Checked on the seeds and on a made-up four-outlet story: no console error and no network
request; each chart has one mark per in-scope numeric claim (out-of-scope figures are drawn
too, faded, and counted apart: `data-scope="out"`); hovering and focusing a mark shows a
tooltip with that claim's quote. A full-page screenshot of the seeds' report is kept in the
test's tmp folder, and written to $FACTCHECK_SCREENSHOT as well when that is set (the
README's picture: `FACTCHECK_SCREENSHOT=docs/report-seeds.png`).

Skips, saying why, when Playwright or Chromium is missing. Never downloads a browser: the
system's Chromium is launched by path ($FACTCHECK_CHROMIUM, default /usr/bin/chromium).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from factcheck.report.html import clean_text, render_html

from .tables import plottable

CHROMIUM = Path(os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
LOCAL_SCHEMES = ("file:", "data:", "about:")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed (pip install '.[test]')")
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Opened:
    """A report open in a page, with what it logged and what it tried to fetch."""

    def __init__(self, browser: Any, path: Path, width: int = 1280) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", self._request)
        self.page.route("**/*", self._route)
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("html[data-charts-ready]", state="attached", timeout=15_000)

    def _request(self, request: Any) -> None:
        if not request.url.startswith(LOCAL_SCHEMES):
            self.requests.append(request.url)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:  # nothing may leave the machine: abort, and the test fails on it
            route.abort()

    def marks(self, chart: Any | None = None) -> list[dict[str, str]]:
        scope = chart if chart is not None else self.page
        return scope.locator(".fc-mark").evaluate_all(
            "els => els.map(e => ({id: e.dataset.claimId, scope: e.dataset.scope,"
            " status: e.dataset.status, fill: e.getAttribute('fill'),"
            " tabindex: e.getAttribute('tabindex'), label: e.getAttribute('aria-label')}))")


def write(tmp_path: Path, name: str, claims: pd.DataFrame, findings: pd.DataFrame) -> Path:
    path = tmp_path / name
    path.write_text(render_html(claims, findings, title="factcheck report"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def seeds_html(tmp_path_factory: pytest.TempPathFactory, seeds_analysis) -> Path:
    return write(tmp_path_factory.mktemp("html"), "seeds.html", seeds_analysis.claims,
                 seeds_analysis.findings)


@pytest.fixture(scope="module")
def mini_html(tmp_path_factory: pytest.TempPathFactory, mini_tables) -> Path:
    return write(tmp_path_factory.mktemp("html"), "mini.html", *mini_tables)


@pytest.fixture(scope="module")
def seeds_page(browser, seeds_html: Path) -> Iterator[Opened]:
    opened = Opened(browser, seeds_html)
    yield opened
    opened.page.close()


@pytest.fixture(scope="module")
def mini_page(browser, mini_html: Path) -> Iterator[Opened]:
    opened = Opened(browser, mini_html)
    yield opened
    opened.page.close()


def tables(request: pytest.FixtureRequest, which: str) -> tuple[pd.DataFrame, Opened]:
    if which == "seeds":
        analysis = request.getfixturevalue("seeds_analysis")
        return analysis.claims, request.getfixturevalue("seeds_page")
    return request.getfixturevalue("mini_tables")[0], request.getfixturevalue("mini_page")


def test_the_made_up_story_has_what_the_charts_must_show(mini_tables) -> None:
    claims = mini_tables[0]
    assert {"At least 12", "up to 40", "Fewer than 50", "Between 30 and 45"} <= set(
        claims["figure"])
    assert claims["claim_date"].isna().any()  # undated
    assert claims["superseded"].any() and (~claims["in_scope"]).any()
    assert claims["outlet"].nunique() == 3 and claims["attributed_to"].nunique() >= 4


@pytest.mark.parametrize("which", ["seeds", "mini"])
def test_no_console_errors_and_no_network(request, which: str) -> None:
    _, opened = tables(request, which)
    assert opened.errors == []
    assert opened.requests == []
    charts = opened.page.locator(".chart[data-chart]")
    assert charts.count() > 0
    assert charts.evaluate_all("els => els.map(e => e.dataset.rendered)") == \
        ["true"] * charts.count()


@pytest.mark.parametrize("which", ["seeds", "mini"])
def test_one_mark_per_in_scope_claim(request, which: str) -> None:
    claims, opened = tables(request, which)
    expected = plottable(claims)
    charts = opened.page.locator(".chart[data-chart]")
    seen = set()
    for index in range(charts.count()):
        chart = charts.nth(index)
        story, metric = chart.get_attribute("data-story"), chart.get_attribute("data-metric")
        seen.add((story, metric))
        mine = expected[(expected["story"] == story) & (expected["metric"] == metric)]
        marks = opened.marks(chart)
        inside = sorted(m["id"] for m in marks if m["scope"] == "in")
        outside = sorted(m["id"] for m in marks if m["scope"] == "out")
        assert inside == sorted(mine.loc[mine["in_scope"], "claim_id"]), metric
        assert outside == sorted(mine.loc[~mine["in_scope"], "claim_id"]), metric
        assert len(marks) == len(mine)
        assert all(m["tabindex"] == "0" and m["label"] for m in marks)
    assert seen == set(expected.groupby(["story", "metric"]).groups)


@pytest.mark.parametrize("which", ["seeds", "mini"])
def test_hover_and_focus_show_the_quote(request, which: str) -> None:
    """Every mark: the pointer over its centre (a real mouse event, hit-tested by the
    browser), then keyboard focus; each time the tooltip shows the claim's quote."""
    claims, opened = tables(request, which)
    quotes = {row.claim_id: clean_text(row.quote) for row in claims.itertuples()}
    page, tooltip = opened.page, opened.page.locator("#fc-tooltip")
    marks = page.locator(".fc-mark")
    assert marks.count() > 0

    def shown() -> str:
        return page.evaluate("(t => t.hidden ? null : t.innerText.replace(/\\s+/g, ' '))"
                             "(document.getElementById('fc-tooltip'))")

    # A viewport as tall as the page: every mark is on screen, no scrolling between them.
    viewport = page.viewport_size
    page.set_viewport_size({"width": viewport["width"],
                            "height": page.evaluate("document.documentElement.scrollHeight")})
    try:
        centres = marks.evaluate_all(
            "els => els.map(e => { const r = e.getBoundingClientRect();"
            " return [e.dataset.claimId, r.x + r.width / 2, r.y + r.height / 2]; })")
        for index, (claim_id, x, y) in enumerate(centres):
            page.mouse.move(x, y)
            assert quotes[claim_id] in (shown() or ""), f"hover {claim_id}"
            page.mouse.move(0, 0)
            assert shown() is None
            marks.nth(index).focus()
            assert quotes[claim_id] in (shown() or ""), f"focus {claim_id}"
            assert page.evaluate("document.activeElement.dataset.claimId") == claim_id
            page.evaluate("document.activeElement.blur()")
            assert shown() is None
    finally:
        page.set_viewport_size(viewport)
    marks.first.hover()  # and Playwright's own hover, with its actionability checks
    assert tooltip.is_visible()
    page.keyboard.press("Escape")
    assert tooltip.is_hidden()


def test_the_tab_key_reaches_the_marks(seeds_page: Opened) -> None:
    page = seeds_page.page
    page.locator(".toc a").last.focus()
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('fc-mark')"):
            break
    assert page.evaluate("document.activeElement.classList.contains('fc-mark')")
    assert page.locator("#fc-tooltip").is_visible()
    claim_id = page.evaluate("document.activeElement.dataset.claimId")
    page.keyboard.press("Enter")  # to the claim's row in the claims table
    assert page.evaluate("document.activeElement.closest('tr').id") == f"claim-{claim_id}"


def test_estimates_are_hollow_and_set_aside_figures_faded(mini_page: Opened,
                                                          mini_tables) -> None:
    claims = mini_tables[0].set_index("claim_id")
    for mark in mini_page.marks():
        hollow = claims.loc[mark["id"], "modality"] == "estimate"
        assert (mark["fill"] == "#ffffff") == hollow, mark["id"]
    opacity = mini_page.page.locator(".fc-mark").evaluate_all(
        "els => els.map(e => [e.dataset.status, e.getAttribute('opacity') || '1'])")
    for status, value in opacity:
        assert (float(value) < 0.5) == (status != "compared")


def test_the_claims_table_sorts_and_filters(seeds_page: Opened, seeds_analysis) -> None:
    page = seeds_page.page
    header = page.locator("th[data-key=date]")
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    dates = page.locator("#claims-table tbody td.c-date").all_inner_texts()
    known = [d for d in dates if d != "unknown"]
    assert known == sorted(known) and dates[-1] == "unknown"  # unknown dates last
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    page.select_option("#f-metric", "killed")
    killed = int((seeds_analysis.claims["metric"] == "killed").sum())
    assert page.locator("#claims-table tbody tr:visible").count() == killed
    page.fill("#f-text", "Reuters")
    assert page.locator("#claims-table tbody tr:visible").count() == 0
    page.click("#f-clear")
    assert page.locator("#claims-table tbody tr:visible").count() == len(seeds_analysis.claims)
    assert page.locator("#f-count").inner_text().startswith(f"{len(seeds_analysis.claims)} of")


def test_print_hides_the_controls(seeds_page: Opened) -> None:
    page = seeds_page.page
    page.emulate_media(media="print")
    try:
        assert page.locator(".filters").is_hidden()
        assert page.locator("#fc-tooltip").is_hidden()
        assert page.locator(".chart svg").first.is_visible()
        assert page.pdf(format="A4")[:5] == b"%PDF-"
    finally:
        page.emulate_media(media="screen")


def test_screenshot_of_the_seeds_report(seeds_page: Opened, tmp_path: Path) -> None:
    page = seeds_page.page
    page.mouse.move(0, 0)
    page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    page.click("#f-clear")
    shot = tmp_path / "report-seeds.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    target = os.environ.get("FACTCHECK_SCREENSHOT")
    if target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, target)
