"""The HTML report: one self-contained page with a timeline per story and metric.

`render_html(claims, findings)` is a pure function of the two tables: it returns the text of
one HTML page that opens offline. Everything the page needs is inline: its CSS and script
(`html_assets/`), the chart library (Vega, Vega-Lite and Vega-Embed, bundled by vl-convert,
which ships them) and the charts' specifications, compiled from Vega-Lite in Python. The page
makes no network request: its Content-Security-Policy lets no resource load, and only the
page's own scripts (by hash) run.

For each story and numeric metric, a chart puts each claim's figure (y) at its claim date (x),
one mark per claim, shaped and coloured by source; bounds ("at least 84" ↑, "up to 40" ↓) and
ranges (30–45) are drawn beside the mark; estimates and projections are hollow; superseded,
out-of-scope figures and parts of a total are faded; undated claims stand in an "undated" lane.
Each mark takes keyboard focus and shows the claim on hover or focus. Under each chart come
its data as a table and that metric's findings; at the end, every claim in a sortable,
filterable table (named claims only there).

This module depends on pandas, the standard library and vl-convert only: nothing else of
factcheck.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import html
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import pandas as pd

from .formats.base import ReportFormat
from .safetext import json_text

__all__ = ["render_html"]

UNKNOWN = "unknown"
MODALITIES = ("count", "estimate", "projection")

# Chart geometry, in CSS pixels.
DATED_WIDTH = 540
UNDATED_WIDTH = 84
CHART_HEIGHT = 250
MARK_SIZE = 130  # area of a claim's symbol
SPREAD_PX = 15  # horizontal step between marks that would overlap
ARROW_PX = 22  # length of a bound's arrow

# One shape and one colour per source (colour-blind safe, after Okabe and Ito). No source gets
# an up or down triangle: those are the arrows of bounds. The last two shapes are SVG paths
# in Vega's unit square.
SHAPES = (
    "circle",
    "square",
    "diamond",
    "triangle-right",
    "cross",
    "triangle-left",
    "M0,-1L0.24,-0.33L0.95,-0.31L0.39,0.12L0.59,0.81L0,0.4L-0.59,0.81L-0.39,0.12L-0.95,-0.31"
    "L-0.24,-0.33Z",  # star
    "M-1,-0.6L-0.6,-1L0,-0.4L0.6,-1L1,-0.6L0.4,0L1,0.6L0.6,1L0,0.4L-0.6,1L-1,0.6L-0.4,0Z",  # x
    "M-0.85,-0.95L0.85,-0.95L0.1,0L0.85,0.95L-0.85,0.95L-0.1,0Z",  # hourglass
    "M-1,0L-0.5,-0.87L0.5,-0.87L1,0L0.5,0.87L-0.5,0.87Z",  # hexagon
)
SHAPE_NAMES = ("circle", "square", "diamond", "right triangle", "cross", "left triangle",
               "star", "x", "hourglass", "hexagon")
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8C6D00", "#3B8FC4", "#7A3E9D",
           "#B2182B", "#117733", "#882255")
UNKNOWN_COLOUR = "#6B6B6B"

STATUS_LABELS = {
    "compared": "compared",
    "superseded": "superseded (given as history)",
    "part": "part of a total",
    "out_of_scope": "out of scope",
}
SEVERITY_ICONS = {"error": "✖", "warning": "▲", "info": "ℹ"}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
GROUP_SEPARATOR = {"update": "↓ later", "conflict": "≠ differs", "stale": "↓ superseded by"}

# Text from reports may carry control characters (C0, DEL, C1) and bidirectional overrides,
# which can disguise what a line says; none of them is shown.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


# --------------------------------------------------------------------------- values


def _missing(value: Any) -> bool:
    """True for None, NaN, NaT and pandas NA; False for lists and every other value."""
    if value is None:
        return True
    if isinstance(value, str | list | tuple | dict | set):
        return False
    try:
        result = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return False if hasattr(result, "__len__") else bool(result)


def clean_text(value: Any) -> str:
    """Text fit to show: control characters and bidi overrides dropped, whitespace (line
    breaks too) collapsed to single spaces, lone surrogates replaced; "" when missing."""
    if _missing(value):
        return ""
    text = _CONTROL.sub("", str(value))
    text = _SURROGATE.sub("\ufffd", text)
    return " ".join(text.split())


def _esc(value: Any) -> str:
    """`clean_text`, HTML-escaped for element content and quoted attribute values."""
    return html.escape(clean_text(value), quote=True)


def _num(value: Any) -> float | None:
    if _missing(value) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _bool(value: Any, default: bool) -> bool:
    if _missing(value):
        return default
    if isinstance(value, str):
        text = value.strip().casefold()
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no"):
            return False
        return default
    return bool(value)


def _iso_date(value: Any) -> str | None:
    """A claim date as `YYYY-MM-DD`; None when missing or not a date."""
    if _missing(value):
        return None
    if isinstance(value, dt.datetime | pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = clean_text(value)
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return None


def _number_text(value: float | None) -> str:
    if value is None:
        return UNKNOWN
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}".rstrip("0").rstrip(".")


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    if hasattr(value, "tolist") and not isinstance(value, str):
        return list(value.tolist())
    if _missing(value):
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = None
            if isinstance(parsed, list):
                return parsed
        return text.replace("|", " ").replace(",", " ").split()
    return [value]


def _groups(value: Any) -> list[list[str]]:
    """A finding's `groups`: a list of lists, or the CSV form `c1 c12 | c5 c10`."""
    if isinstance(value, str):
        return [part.split() for part in value.split("|") if part.split()]
    return [[clean_text(item) for item in _as_list(group)] for group in _as_list(value)]


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _slug(*parts: str) -> str:
    text = "-".join(_ID_UNSAFE.sub("-", clean_text(part)).strip("-") for part in parts)
    return text.strip("-").lower() or "x"


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no `<`, `>` or `&` that could end or open a tag."""
    text = json_text(value, allow_nan=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _records(df: pd.DataFrame | None) -> list[dict[str, Any]]:
    if df is None or len(df.index) == 0:
        return []
    columns = [str(column) for column in df.columns]
    return [dict(zip(columns, row, strict=True)) for row in df.itertuples(index=False, name=None)]


# --------------------------------------------------------------------------- claims


@dataclass
class Claim:
    """One row of the claims table, read for display."""

    id: str
    story: str
    doc: str
    kind: str
    metric: str
    figure: str
    value: float | None
    low: float | None
    high: float | None
    low_inclusive: bool
    high_inclusive: bool
    source: str
    date: str | None
    published: str | None
    in_scope: bool
    scope_note: str
    superseded: bool
    part_of: str
    modality: str
    quote: str
    line: int | None
    scope: str
    order: int
    anchor: float | None = None  # where the mark stands on the y axis
    direction: str = ""  # "up", "down", "range" or ""

    @property
    def status(self) -> str:
        if not self.in_scope:
            return "out_of_scope"
        if self.superseded:
            return "superseded"
        if self.part_of:
            return "part"
        return "compared"

    @property
    def muted(self) -> bool:
        return self.status != "compared"

    @property
    def status_text(self) -> str:
        status = self.status
        if status == "out_of_scope":
            return f"out of scope: {self.scope_note}" if self.scope_note else "out of scope"
        if status == "part":
            return f"part of {self.part_of}"
        return STATUS_LABELS[status]

    @property
    def location(self) -> str:
        doc = self.doc or UNKNOWN
        return f"{doc}:{self.line}" if self.line is not None else doc

    @property
    def date_text(self) -> str:
        return self.date or UNKNOWN

    @property
    def reading(self) -> str:
        """What the figure allows, in words: "84", "at least 84", "30 to 45", "under 50"."""
        if self.kind == "named":
            return ""
        low, high = self.low, self.high
        if low is not None and high is not None:
            if low == high:
                return _number_text(low)
            return f"{_number_text(low)} to {_number_text(high)}"
        if low is not None:
            return f"{'at least' if self.low_inclusive else 'over'} {_number_text(low)}"
        if high is not None:
            return f"{'at most' if self.high_inclusive else 'under'} {_number_text(high)}"
        return _number_text(self.value) if self.value is not None else UNKNOWN


def _read_claims(claims: pd.DataFrame | None) -> list[Claim]:
    read: list[Claim] = []
    for order, row in enumerate(_records(claims)):
        line = _num(row.get("line"))
        modality = clean_text(row.get("modality")).casefold() or "count"
        claim = Claim(
            id=clean_text(row.get("claim_id")) or f"row{order + 1}",
            story=clean_text(row.get("story")),
            doc=clean_text(row.get("doc")),
            kind=clean_text(row.get("kind")) or "numeric",
            metric=clean_text(row.get("metric")) or UNKNOWN,
            figure=clean_text(row.get("figure")),
            value=_num(row.get("value")),
            low=_num(row.get("low")),
            high=_num(row.get("high")),
            low_inclusive=_bool(row.get("low_inclusive"), True),
            high_inclusive=_bool(row.get("high_inclusive"), True),
            source=(clean_text(row.get("attributed_to")) or clean_text(row.get("outlet"))
                    or UNKNOWN),
            date=_iso_date(row.get("claim_date")),
            published=_iso_date(row.get("published")),
            in_scope=_bool(row.get("in_scope"), True),
            scope_note=clean_text(row.get("scope_note")),
            superseded=_bool(row.get("superseded"), False),
            part_of=clean_text(row.get("part_of")),
            modality=modality if modality in MODALITIES else modality or "count",
            quote=clean_text(row.get("quote")),
            line=int(line) if line is not None else None,
            scope=clean_text(row.get("scope")),
            order=order,
        )
        if not claim.figure:
            claim.figure = claim.reading if claim.kind != "named" else UNKNOWN
        _place(claim)
        read.append(claim)
    return read


def _place(claim: Claim) -> None:
    """Where a numeric claim's mark stands, and which way its bound points."""
    if claim.kind == "named":
        return
    low, high, value = claim.low, claim.high, claim.value
    if low is not None and high is not None and high > low:
        claim.direction = "range"
        claim.anchor = value if value is not None and low <= value <= high else (low + high) / 2
    elif low is not None and high is None:
        claim.direction = "up"
        claim.anchor = low if value is None else value
    elif high is not None and low is None:
        claim.direction = "down"
        claim.anchor = high if value is None else value
    else:
        claim.anchor = value if value is not None else (low if low is not None else high)


def _heading(metric: str) -> str:
    """`event_date` → `Event date`."""
    text = metric.replace("_", " ")
    return text[:1].upper() + text[1:]


def _story_title(story: str, stories: list[str]) -> str:
    if story:
        return story
    return "All reports" if len(stories) == 1 else "Reports with no story"


# --------------------------------------------------------------------------- sources


class SourceStyle:
    """A shape and a colour for each source, the same across the page while the shapes last."""

    def __init__(self, claims: Iterable[Claim]) -> None:
        sources: list[str] = []
        for claim in claims:
            if claim.anchor is not None and claim.source not in sources:
                sources.append(claim.source)
        self.global_order = sources
        self.consistent = len(sources) <= len(SHAPES)

    def for_chart(self, sources: list[str]) -> dict[str, tuple[str, str, str]]:
        """source → (shape, shape's name, colour) for one chart: no two sources alike."""
        order = ([s for s in self.global_order if s in sources] if self.consistent
                 else list(sources))
        styles: dict[str, tuple[str, str, str]] = {}
        for source in order:
            index = self.global_order.index(source) if self.consistent else order.index(source)
            index %= len(SHAPES)
            colour = UNKNOWN_COLOUR if source == UNKNOWN else COLOURS[index]
            styles[source] = (SHAPES[index], SHAPE_NAMES[index], colour)
        return styles


# --------------------------------------------------------------------------- charts


@dataclass
class Chart:
    key: str
    story: str
    metric: str
    claims: list[Claim]  # plotted, in tab order
    unplotted: list[Claim] = field(default_factory=list)
    styles: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    summary: str = ""


def _day_ms(date: str) -> int:
    day = dt.date.fromisoformat(date)
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp() * 1000)


def _spread(points: list[tuple[Claim, float]], px_per_unit: float) -> dict[int, float]:
    """Horizontal offsets (in pixels) for marks of one date whose symbols would overlap."""
    offsets: dict[int, float] = {}
    ordered = sorted(points, key=lambda item: item[1])
    clusters: list[list[Claim]] = []
    last = None
    for claim, y in ordered:
        if last is not None and (y - last) * px_per_unit < 14:
            clusters[-1].append(claim)
        else:
            clusters.append([claim])
        last = y
    for cluster in clusters:
        cluster.sort(key=lambda claim: claim.order)
        for index, claim in enumerate(cluster):
            offsets[claim.order] = (index - (len(cluster) - 1) / 2) * SPREAD_PX
    return offsets


def _description(claim: Claim, metric: str) -> str:
    parts = [f"{claim.figure} {metric}", f"source {claim.source}",
             f"date {claim.date_text}"]
    if claim.modality != "count":
        parts.append(claim.modality)
    if claim.muted:
        parts.append(f"set aside: {claim.status_text}")
    return "; ".join(parts)


def _datum(claim: Claim, metric: str, x: float) -> dict[str, Any]:
    return {
        "id": claim.id,
        "x": x,
        "y": claim.anchor,
        "low": claim.low if claim.direction == "range" else None,
        "high": claim.high if claim.direction == "range" else None,
        "dir": claim.direction,
        "source": claim.source,
        "hollow": claim.modality != "count",
        "muted": claim.muted,
        "scope": "in" if claim.in_scope else "out",
        "status": claim.status,
        "desc": _description(claim, metric),
        # for the tooltip
        "figure": claim.figure,
        "metric": metric,
        "date": claim.date_text,
        "statusText": claim.status_text,
        "modality": claim.modality,
        "quote": claim.quote,
        "loc": claim.location,
    }


def _x_domain(dates: list[str]) -> tuple[int, int, str, dict[str, Any]]:
    """The dated lane's x domain (ms), the axis label format and tick spacing."""
    first, last = _day_ms(min(dates)), _day_ms(max(dates))
    day = 86_400_000
    span_days = (last - first) / day
    pad = max(day * 0.6, (last - first) * 0.06)
    # ISO dates, as everywhere in factcheck's output; at most about six labels fit.
    label = "%Y-%m-%d"
    step = max(1, math.ceil((span_days + 1.2) / 6))
    ticks: dict[str, Any] = {"interval": "day", "step": step}
    if span_days > 120:
        ticks = {"interval": "month", "step": max(1, math.ceil(span_days / 30 / 6))}
        label = "%Y-%m"
    return first - int(pad), last + int(pad), label, ticks


def _layers(name: str, x: dict[str, Any], styles: dict[str, tuple[str, str, str]],
            claims: list[Claim]) -> list[dict[str, Any]]:
    """The marks of one lane: a range's bar and caps, a bound's arrow, then the claim marks.
    Only the claim marks are read by screen readers; the others repeat what they say."""
    domain = list(styles)
    colour_scale = {"domain": domain, "range": [styles[s][2] for s in domain]}
    colour = {"field": "source", "type": "nominal", "title": "Source", "scale": colour_scale}
    shape = {"field": "source", "type": "nominal", "title": "Source",
             "scale": {"domain": domain, "range": [styles[s][0] for s in domain]}}
    opacity = {"condition": {"test": "datum.muted", "value": 0.32}, "value": 1}
    y = {"field": "y", "type": "quantitative"}
    directions = {c.direction for c in claims}
    layers: list[dict[str, Any]] = []

    def only(direction: str) -> list[dict[str, Any]]:
        return [{"filter": f"datum.dir === '{direction}'"}]

    if "range" in directions:
        layers.append({"transform": only("range"),
                       "mark": {"type": "rule", "aria": False, "strokeWidth": 2},
                       "encoding": {"x": x, "y": {"field": "low", "type": "quantitative"},
                                    "y2": {"field": "high"}, "color": colour,
                                    "opacity": opacity}})
        for end in ("low", "high"):
            layers.append({"transform": only("range"),
                           "mark": {"type": "tick", "aria": False, "orient": "horizontal",
                                    "size": 12, "thickness": 2},
                           "encoding": {"x": x, "y": {"field": end, "type": "quantitative"},
                                        "color": colour, "opacity": opacity}})
    for direction, sign in (("up", -1), ("down", 1)):
        if direction not in directions:
            continue
        layers.append({"transform": only(direction),
                       "mark": {"type": "rule", "aria": False, "strokeWidth": 2,
                                "y2Offset": sign * ARROW_PX},
                       "encoding": {"x": x, "y": y, "y2": {"field": "y"}, "color": colour,
                                    "opacity": opacity}})
        layers.append({"transform": only(direction),
                       "mark": {"type": "point", "aria": False, "filled": True, "size": 60,
                                "shape": "triangle-up" if sign < 0 else "triangle-down",
                                "yOffset": sign * ARROW_PX},
                       "encoding": {"x": x, "y": y, "color": colour, "opacity": opacity}})
    layers.append({
        "name": name,
        "mark": {"type": "point", "size": MARK_SIZE, "strokeWidth": 2, "filled": False},
        "encoding": {
            "x": x, "y": y, "color": colour, "shape": shape,
            "fill": {"field": "source", "type": "nominal", "title": "Source",
                     "scale": colour_scale,
                     "condition": {"test": "datum.hollow", "value": "#ffffff"}},
            "opacity": opacity,
            "description": {"field": "desc", "type": "nominal"},
        },
    })
    return layers


def _chart_spec(chart: Chart) -> dict[str, Any]:
    dated = [c for c in chart.claims if c.date]
    undated = [c for c in chart.claims if not c.date]
    ys = [c.anchor for c in chart.claims if c.anchor is not None]
    ys += [v for c in chart.claims if c.direction == "range" for v in (c.low, c.high)
           if v is not None]
    span = (max(ys) - min(ys)) or max(abs(max(ys)), 1.0)
    # The axis spans at least a quarter of the largest figure, so that 280 against 284 does
    # not look like a collapse; a count's axis never goes below zero.
    least = 0.25 * max(abs(v) for v in ys) or 1.0
    pad = max((max(ys) - min(ys)) * 0.04, (least - (max(ys) - min(ys))) / 2)
    bottom = min(ys) - pad
    bottom = max(0.0, bottom) if min(ys) >= 0 else bottom
    top = max(ys) + pad
    # Room for a bound's arrow (and half a symbol) beyond the last figure, in data units.
    per_px = (top - bottom) / (CHART_HEIGHT - 2 * (ARROW_PX + 10))
    directions = {c.direction for c in chart.claims}
    top += per_px * ((ARROW_PX + 10) if "up" in directions else 10)
    bottom -= per_px * ((ARROW_PX + 10) if "down" in directions else 10)
    if min(ys) >= 0 and "down" not in directions:
        bottom = max(0.0, bottom)
    y_domain = [bottom, top]
    px_per_unit = (CHART_HEIGHT - 60) / span
    y_title = f"{chart.metric} (figure as reported)"
    lanes: list[dict[str, Any]] = []

    if dated:
        start, end, label, ticks = _x_domain([c.date for c in dated if c.date])
        ms_per_px = (end - start) / DATED_WIDTH
        values = []
        for date in sorted({c.date for c in dated if c.date}):
            same_day = [(c, c.anchor or 0.0) for c in dated if c.date == date]
            offsets = _spread(same_day, px_per_unit)
            for claim, _ in same_day:
                x = _day_ms(date) + offsets[claim.order] * ms_per_px
                values.append(_datum(claim, chart.metric, x))
        x = {"field": "x", "type": "temporal",
             "scale": {"type": "utc", "domain": [start, end]},
             "axis": {"title": "Claim date", "labelExpr": f"utcFormat(datum.value, '{label}')",
                      "description": f"Claim date, {min(c.date for c in dated if c.date)} to "
                                     f"{max(c.date for c in dated if c.date)}",
                      "tickCount": ticks, "labelFlush": False, "grid": False}}
        lanes.append({"name": "dated", "width": DATED_WIDTH, "height": CHART_HEIGHT,
                      "data": {"values": values},
                      "layer": _layers("claims_dated", x, chart.styles, dated)})
    if undated:
        offsets = _spread([(c, c.anchor or 0.0) for c in undated], px_per_unit)
        unit = 2 / UNDATED_WIDTH
        values = [_datum(c, chart.metric, offsets[c.order] * unit) for c in undated]
        x = {"field": "x", "type": "quantitative", "scale": {"domain": [-1, 1]},
             "axis": {"title": "Undated", "labels": False, "ticks": False, "grid": False,
                      "description": "Claims with no date",
                      "titleFontStyle": "italic"}}
        lanes.append({"name": "undated", "width": UNDATED_WIDTH if dated else 160,
                      "height": CHART_HEIGHT, "data": {"values": values},
                      "layer": _layers("claims_undated", x, chart.styles, undated)})

    y_axis_full = {"title": y_title, "format": ",~r", "titlePadding": 10,
                   "description": f"{chart.metric}, the figure as reported"}
    for index, lane in enumerate(lanes):
        axis = y_axis_full if index == 0 else {"title": None, "labels": False, "ticks": False,
                                               "domain": False, "aria": False}
        for layer in lane["layer"]:
            encoding = layer["encoding"]
            for channel in ("y", "y2"):
                if channel in encoding and "type" in encoding[channel]:
                    encoding[channel] = dict(encoding[channel], axis=axis,
                                             scale={"domain": y_domain, "zero": False,
                                                    "nice": True})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": chart.summary,
        "background": "#ffffff",
        "hconcat": lanes,
        "spacing": 6,
        "resolve": {"scale": {"y": "shared", "color": "shared", "shape": "shared",
                              "fill": "shared", "opacity": "shared"}},
        "config": {
            "font": "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, "
                    "'Noto Sans', 'Liberation Sans', 'DejaVu Sans', sans-serif",
            "view": {"stroke": "#c9ccd1"},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": 600,
                     "labelColor": "#2b2f36", "titleColor": "#2b2f36", "gridColor": "#e6e8eb",
                     "domainColor": "#8a9099", "tickColor": "#8a9099"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": 600,
                       "labelLimit": 230, "symbolSize": 110, "orient": "right",
                       "labelColor": "#2b2f36", "titleColor": "#2b2f36"},
        },
    }


def _summary(chart: Chart, limit: int = 8) -> str:
    """The chart in words, for its caption and for screen readers."""
    claims = chart.claims
    dated = sorted(c.date for c in claims if c.date)
    sources = {c.source for c in claims}
    head = (f"Timeline of {chart.metric}: {_plural(len(claims), 'figure')} from "
            f"{_plural(len(sources), 'source')}")
    if dated:
        head += f", dated {dated[0]}" + (f" to {dated[-1]}" if dated[-1] != dated[0] else "")
    compared = [c for c in claims if not c.muted]

    def said(claim: Claim) -> str:
        extra = "" if claim.modality == "count" else f", {claim.modality}"
        return f"{claim.figure} ({claim.source}, {claim.date or 'undated'}{extra})"

    shown = "; ".join(said(c) for c in compared[:limit])
    if len(compared) > limit:
        shown += f"; and {len(compared) - limit} more"
    text = head + (f". Compared: {shown}" if compared else ". No figure is compared")
    muted = len(claims) - len(compared)
    if muted:
        text += f". Set aside: {muted} (superseded, part of a total or out of scope)"
    return text + ". Every figure is in the data table below the chart."


@functools.cache
def _vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed as one offline script, from vl-convert (which ships
    them: nothing is downloaded). The page calls `vegaEmbed` on specs compiled in Python."""
    import vl_convert

    bundle = vl_convert.javascript_bundle()
    # An inline script ends at the first "</script"; the bundle has none, and never will here.
    return re.sub(r"</(script)", r"<\\/\1", bundle, flags=re.IGNORECASE)


def _compile(spec: dict[str, Any]) -> dict[str, Any]:
    import vl_convert

    return vl_convert.vegalite_to_vega(spec)


@functools.cache
def _asset(name: str) -> str:
    return (resources.files("factcheck.report") / "html_assets" / name).read_text("utf-8")


# --------------------------------------------------------------------------- HTML pieces


def _severity_badge(severity: str) -> str:
    icon = SEVERITY_ICONS.get(severity, "•")
    return (f'<span class="sev sev-{_slug(severity)}"><span aria-hidden="true">{icon}</span> '
            f"{_esc(severity or 'unknown')}</span>")


def _claim_line(claim: Claim | None, claim_id: str) -> str:
    if claim is None:
        return (f'<li class="claim-ref"><span class="cid">{_esc(claim_id)}</span> '
                "(not in the claims table)</li>")
    muted = ' <span class="tag">set aside: ' + _esc(claim.status_text) + "</span>" \
        if claim.muted else ""
    modality = f' <span class="tag">{_esc(claim.modality)}</span>' \
        if claim.modality != "count" else ""
    return (
        f'<li class="claim-ref{" is-muted" if claim.muted else ""}">'
        f'<div class="claim-head"><a class="cid" href="#claim-{_slug(claim.id)}">'
        f"{_esc(claim.id)}</a> <strong>{_esc(claim.figure)}</strong>"
        f' <span class="src">{_esc(claim.source)}</span>'
        f' <span class="date">{_esc(claim.date_text)}</span>{modality}{muted}</div>'
        f'<blockquote>{_esc(claim.quote) or "<i>no quote</i>"}</blockquote>'
        f'<code class="loc">{_esc(claim.location)}</code></li>'
    )


def _finding_html(finding: Mapping[str, Any], by_id: Mapping[str, Claim]) -> str:
    severity = clean_text(finding.get("severity")).casefold()
    kind = clean_text(finding.get("kind"))
    groups = _groups(finding.get("groups")) or [[clean_text(i) for i in
                                                 _as_list(finding.get("claim_ids"))]]
    separator = GROUP_SEPARATOR.get(kind, "·")
    items = []
    for index, group in enumerate(groups):
        if index:
            items.append(f'<li class="sep" aria-hidden="true">{_esc(separator)}</li>')
        items.extend(_claim_line(by_id.get(cid), cid) for cid in group if cid)
    scope = clean_text(finding.get("scope"))
    scope_html = f' <span class="tag">scope: {_esc(scope)}</span>' if scope else ""
    return (
        f'<article class="finding finding--{_slug(severity or "unknown")}" '
        f'aria-label="{_esc(finding.get("rule"))} {_esc(severity)}">'
        f'<h5 class="finding-head">{_severity_badge(severity)} '
        f'<span class="rule">{_esc(finding.get("rule"))}</span> '
        f'<span class="rule-name">{_esc(finding.get("rule_name"))}</span>'
        f'{f" <span class=tag>{_esc(kind)}</span>" if kind else ""}{scope_html}'
        f' <span class="fid">{_esc(finding.get("finding_id"))}</span></h5>'
        f'<p class="message">{_esc(finding.get("message"))}</p>'
        f'<ol class="claim-list">{"".join(items)}</ol></article>'
    )


def _findings_block(metric: str, findings: list[Mapping[str, Any]],
                    by_id: Mapping[str, Claim]) -> str:
    if not findings:
        return f'<p class="no-findings">No findings for {_esc(metric)}.</p>'
    findings = sorted(findings, key=lambda f: (SEVERITY_ORDER.get(
        clean_text(f.get("severity")).casefold(), 9), clean_text(f.get("finding_id"))))
    return (f'<div class="findings"><h4>Findings for {_esc(metric)} '
            f'<span class="count">({len(findings)})</span></h4>'
            + "".join(_finding_html(f, by_id) for f in findings) + "</div>")


def _key_html(chart: Chart) -> str:
    """What this chart's marks mean, besides the source legend inside it."""
    claims = chart.claims
    items = ['<li><span class="glyph" aria-hidden="true">●</span> filled: a count</li>']
    if any(c.modality != "count" for c in claims):
        kinds = sorted({c.modality for c in claims if c.modality != "count"})
        items.append(f'<li><span class="glyph" aria-hidden="true">○</span> hollow: '
                     f'{_esc(" or ".join(kinds))}</li>')
    if any(c.direction == "up" for c in claims):
        items.append('<li><span class="glyph" aria-hidden="true">↑</span> a lower bound '
                     '("at least", "over")</li>')
    if any(c.direction == "down" for c in claims):
        items.append('<li><span class="glyph" aria-hidden="true">↓</span> an upper bound '
                     '("up to", "fewer than")</li>')
    if any(c.direction == "range" for c in claims):
        items.append('<li><span class="glyph" aria-hidden="true">↕</span> a range or '
                     'approximate figure (bar from low to high)</li>')
    if any(c.muted for c in claims):
        items.append('<li><span class="glyph faded" aria-hidden="true">●</span> faded: set '
                     'aside (superseded, part of a total, or out of scope)</li>')
    if len(chart.styles) > len(SHAPES):
        items.append(f"<li>more than {len(SHAPES)} sources: shapes repeat, in other colours; "
                     "the tooltip and the data table name each mark's source</li>")
    if any(not c.date for c in claims):
        items.append('<li><span class="glyph" aria-hidden="true">⋯</span> undated claims stand '
                     'in the "Undated" lane</li>')
    return f'<ul class="chart-key" aria-label="How to read this chart">{"".join(items)}</ul>'


def _data_table(chart: Chart) -> str:
    rows = []
    for claim in chart.claims:
        shape_name = chart.styles.get(claim.source, ("", "", ""))[1]
        rows.append(
            f'<tr{" class=is-muted" if claim.muted else ""}><td>{_esc(claim.date_text)}</td>'
            f"<td>{_esc(claim.figure)}</td><td>{_esc(claim.reading)}</td>"
            f"<td>{_esc(claim.source)} <span class=shape-name>({_esc(shape_name)})</span></td>"
            f"<td>{_esc(claim.modality)}</td><td>{_esc(claim.status_text)}</td>"
            f'<td><a href="#claim-{_slug(claim.id)}">{_esc(claim.id)}</a></td>'
            f"<td><code>{_esc(claim.location)}</code></td></tr>")
    return (
        f'<details class="chart-data"><summary>Data for this chart '
        f'({_plural(len(chart.claims), "figure")})</summary>'
        f'<table class="data"><caption class="visually-hidden">{_esc(chart.summary)}'
        f"</caption><thead><tr><th scope=col>Date</th><th scope=col>Figure as written</th>"
        f"<th scope=col>Reads as</th><th scope=col>Source (mark)</th><th scope=col>Kind</th>"
        f"<th scope=col>Status</th><th scope=col>Claim</th><th scope=col>Location</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table></details>"
    )


def _chart_html(chart: Chart) -> str:
    unplotted = ""
    if chart.unplotted:
        names = ", ".join(f"{_esc(c.id)} ({_esc(c.figure)})" for c in chart.unplotted)
        unplotted = f'<p class="note">Not drawn (no number to place): {names}.</p>'
    counted_in = sum(1 for c in chart.claims if c.in_scope)
    counted_out = len(chart.claims) - counted_in
    return (
        f'<figure class="chart-figure" aria-labelledby="{chart.key}-cap">'
        f'<div class="chart" id="{chart.key}" data-chart="{chart.key}" '
        f'data-story="{_esc(chart.story)}" data-metric="{_esc(chart.metric)}" '
        f'data-in-scope="{counted_in}" data-out-of-scope="{counted_out}">'
        f'<div class="chart-canvas"></div></div>'
        f'<figcaption id="{chart.key}-cap">{_esc(chart.summary)}</figcaption>'
        f"{_key_html(chart)}{unplotted}{_data_table(chart)}</figure>"
    )


def _claims_table(claims: list[Claim], stories: list[str]) -> str:
    many_stories = len(stories) > 1
    has_modality = any(c.modality != "count" for c in claims)
    columns = [("id", "ID", "num")]
    if many_stories:
        columns.append(("story", "Story", "text"))
    columns += [("kind", "Kind", "text"), ("metric", "Metric", "text"),
                ("figure", "Figure", "text"), ("reading", "Reads as", "num"),
                ("source", "Source", "text"), ("date", "Date", "date")]
    if has_modality:
        columns.append(("modality", "Modality", "text"))
    columns += [("status", "Status", "text"), ("quote", "Quote", "text"),
                ("loc", "Location", "text")]
    head = "".join(
        f'<th scope="col" class="c-{key}" data-key="{key}" data-type="{kind}"'
        f'{" aria-sort=ascending" if key == "id" else ""}>'
        f'<button type="button" class="sort">{label}<span class="arrow" aria-hidden="true">'
        f"</span></button></th>" for key, label, kind in columns)
    rows = []
    for claim in claims:
        number = re.sub(r"\D", "", claim.id)
        cells = {
            "id": (claim.id, number or str(claim.order)),
            "story": (claim.story or "—", claim.story),
            "kind": (claim.kind, claim.kind),
            "metric": (claim.metric, claim.metric),
            "figure": (claim.figure, claim.figure),
            "reading": (claim.reading, "" if claim.anchor is None else repr(claim.anchor)),
            "source": (claim.source, claim.source),
            "date": (claim.date_text, claim.date or ""),
            "modality": (claim.modality if claim.kind != "named" else "", claim.modality),
            "status": (claim.status_text, claim.status_text),
            "quote": (claim.quote, claim.quote),
            "loc": (claim.location, f"{claim.doc}\x1f{claim.line or 0:09d}"),
        }
        tds = []
        for key, _, _ in columns:
            shown, sort_value = cells[key]
            inner = _esc(shown)
            if key == "loc":  # a path may break after a slash, never inside a name
                inner = f"<code>{inner.replace('/', '/<wbr>')}</code>"
            elif key == "quote":
                inner = f'<span class="quote">{inner}</span>'
            tag = "th scope=row" if key == "id" else "td"
            tds.append(f'<{tag} class="c-{key}" data-sort="{_esc(sort_value)}">{inner}'
                       f'</{tag.split()[0]}>')
        rows.append(
            f'<tr id="claim-{_slug(claim.id)}" data-metric="{_esc(claim.metric)}" '
            f'data-source="{_esc(claim.source)}" data-kind="{_esc(claim.kind)}" '
            f'data-status="{claim.status}"{" class=is-muted" if claim.muted else ""}>'
            f'{"".join(tds)}</tr>')
    metrics = sorted({c.metric for c in claims})
    sources = sorted({c.source for c in claims}, key=str.casefold)

    def options(values: list[str]) -> str:
        return "".join(f'<option value="{_esc(v)}">{_esc(v)}</option>' for v in values)

    return (
        '<section class="claims" id="claims" aria-labelledby="claims-h">'
        f'<h2 id="claims-h">All claims <span class="count">({len(claims)})</span></h2>'
        '<p class="hint no-print">Click a column heading to sort; type to filter. Named '
        "claims (who, where, when) are listed here only; figures are also on the charts.</p>"
        '<div class="filters no-print" role="search" aria-label="Filter claims">'
        '<label>Text <input type="search" id="f-text" placeholder="words, source, file…" '
        'autocomplete="off"></label>'
        f'<label>Metric <select id="f-metric"><option value="">all</option>{options(metrics)}'
        "</select></label>"
        f'<label>Source <select id="f-source"><option value="">all</option>{options(sources)}'
        "</select></label>"
        '<label>Status <select id="f-status"><option value="">all</option>'
        '<option value="compared">compared</option><option value="aside">set aside</option>'
        "</select></label>"
        '<button type="button" id="f-clear">Clear</button>'
        f'<span id="f-count" role="status" aria-live="polite">{len(claims)} of {len(claims)} '
        "claims shown</span></div>"
        '<div class="table-wrap"><table class="claims-table" id="claims-table">'
        f'<caption class="visually-hidden">Every claim read from the reports, one row each'
        f"</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        "</section>"
    )


# --------------------------------------------------------------------------- the page


def _csp(scripts: list[str]) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in scripts)
    # Vega compiles its expressions with Function(): 'unsafe-eval', but only for the hashed scripts.
    return (f"default-src 'none'; script-src {hashes} 'unsafe-eval'; style-src 'unsafe-inline'; "
            "img-src data:; base-uri 'none'; form-action 'none'")


def render_html(claims: pd.DataFrame, findings: pd.DataFrame, *,
                title: str = "factcheck report", generated: str | None = None) -> str:
    """The report as one self-contained HTML page (a str): charts, findings and claims.

    `claims` and `findings` are factcheck's tables (`analyse(...).claims` / `.findings`, or
    the same columns read back from CSV). `generated`, when given, is shown as the time the
    report was made; without it the page depends on the tables and title alone.
    """
    claim_list = _read_claims(claims)
    finding_list = _records(findings)
    by_id = {c.id: c for c in claim_list}
    stories = sorted({c.story for c in claim_list} |
                     {clean_text(f.get("story")) for f in finding_list})
    style = SourceStyle(claim_list)

    numeric_metrics: dict[str, set[str]] = {}
    for claim in claim_list:
        if claim.kind != "named":
            numeric_metrics.setdefault(claim.story, set()).add(claim.metric)

    specs: dict[str, Any] = {}
    sections: list[str] = []
    toc: list[str] = []
    used_keys: set[str] = set()
    for story_index, story in enumerate(stories):
        story_claims = [c for c in claim_list if c.story == story]
        story_findings = [f for f in finding_list if clean_text(f.get("story")) == story]
        metrics = sorted(numeric_metrics.get(story, set()) |
                         {clean_text(f.get("metric")) for f in story_findings
                          if clean_text(f.get("metric")) not in
                          {c.metric for c in story_claims if c.kind == "named"}} - {""})
        story_title = _story_title(story, stories)
        story_id = f"story-{story_index + 1}-{_slug(story_title)}"
        parts = [f'<section class="story" aria-labelledby="{story_id}">'
                 f'<h2 id="{story_id}"><span class="eyebrow">Story</span> '
                 f'{_esc(story_title)}</h2>']
        toc_items = []
        for metric in metrics:
            key = f"chart-{_slug(story_title, metric)}"
            while key in used_keys:
                key += "-x"
            used_keys.add(key)
            metric_claims = sorted(
                (c for c in story_claims if c.kind != "named" and c.metric == metric),
                key=lambda c: (c.date is None, c.date or "", c.anchor or 0.0, c.order))
            metric_findings = [f for f in story_findings if clean_text(f.get("metric")) == metric]
            plotted = [c for c in metric_claims if c.anchor is not None]
            chart = Chart(key=key, story=story, metric=metric, claims=plotted,
                          unplotted=[c for c in metric_claims if c.anchor is None])
            chart.styles = style.for_chart(list(dict.fromkeys(c.source for c in plotted)))
            heading = (f'<h3 id="{key}-h">{_esc(_heading(metric))}</h3><p class="metric-sub">'
                       f"{_plural(len(metric_claims), 'figure')} · "
                       f"{_plural(len({c.source for c in metric_claims}), 'source')} · "
                       f"{_plural(len(metric_findings), 'finding')}</p>")
            body = ""
            if plotted:
                chart.summary = _summary(chart)
                spec = _chart_spec(chart)
                specs[key] = _compile(spec)
                body = _chart_html(chart)
            elif chart.unplotted:
                body = ('<p class="note">No figure here can be placed on a chart: '
                        + ", ".join(f"{_esc(c.id)} ({_esc(c.figure)})" for c in chart.unplotted)
                        + ".</p>")
            parts.append(f'<section class="metric" data-metric="{_esc(metric)}" '
                         f'aria-labelledby="{key}-h">{heading}{body}'
                         f"{_findings_block(metric, metric_findings, by_id)}</section>")
            severities = sorted({clean_text(f.get("severity")) for f in metric_findings},
                                key=lambda s: SEVERITY_ORDER.get(s, 9))
            flag = "".join(f" {_severity_badge(s)}" for s in severities)
            toc_items.append(f'<li><a href="#{key}-h">{_esc(_heading(metric))}</a> '
                             f'<span class="toc-count">{_plural(len(metric_claims), "figure")}, '
                             f'{_plural(len(metric_findings), "finding")}</span>{flag}</li>')
        named_metrics = {c.metric for c in story_claims if c.kind == "named"}
        named_findings = [f for f in story_findings if clean_text(f.get("metric")) not in metrics]
        named_count = sum(1 for c in story_claims if c.kind == "named")
        if named_count or named_findings:
            key = f"named-{story_index + 1}"
            blocks = "".join(
                _findings_block(metric, [f for f in named_findings
                                         if clean_text(f.get("metric")) == metric], by_id)
                for metric in sorted({clean_text(f.get("metric")) for f in named_findings}))
            parts.append(
                f'<section class="metric named" aria-labelledby="{key}-h">'
                f'<h3 id="{key}-h">Named claims</h3><p class="metric-sub">'
                f"{_plural(named_count, 'named claim')} ({_esc(', '.join(sorted(named_metrics)))})"
                f" · {_plural(len(named_findings), 'finding')}. Who claimed or is blamed, "
                f'names, places and dates are not charted: see <a href="#claims">All claims</a>.'
                f"</p>{blocks}</section>")
            toc_items.append(f'<li><a href="#{key}-h">Named claims</a> <span class="toc-count">'
                             f"{_plural(named_count, 'claim')}, "
                             f"{_plural(len(named_findings), 'finding')}</span></li>")
        parts.append("</section>")
        sections.append("".join(parts))
        toc.append(f'<li><a href="#{story_id}">{_esc(story_title)}</a><ul>{"".join(toc_items)}'
                   f"</ul></li>")

    documents = len({c.doc for c in claim_list if c.doc})
    out_of_scope = sum(1 for c in claim_list if not c.in_scope)
    by_severity: dict[str, int] = {}
    for f in finding_list:
        sev = clean_text(f.get("severity")) or UNKNOWN
        by_severity[sev] = by_severity.get(sev, 0) + 1
    severity_text = ", ".join(f"{n} {s}" for s, n in sorted(
        by_severity.items(), key=lambda item: SEVERITY_ORDER.get(item[0], 9)))
    summary = (f"{_plural(documents, 'report')} · {_plural(len(claim_list), 'claim')} "
               f"({out_of_scope} out of scope) · {_plural(len(finding_list), 'finding')}"
               + (f" ({severity_text})" if severity_text else ""))
    generated_html = (f'<p class="generated">Generated {_esc(generated)}</p>'
                      if generated else "")
    empty = "" if claim_list else '<p class="note">No claims were found in these reports.</p>'

    app_js = _asset("report.js")
    bundle = _vega_bundle() if specs else ""
    scripts = [s for s in (bundle, app_js) if s]
    script_tags = "".join(f"<script>{s}</script>" for s in scripts)
    page_title = clean_text(title) or "factcheck report"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_csp(scripts)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="factcheck">'
        f"<title>{html.escape(page_title)}</title><style>{_asset('report.css')}</style></head>"
        '<body><a class="skip no-print" href="#claims">Skip to the claims table</a>'
        f'<header class="page-head"><p class="brand">factcheck</p>'
        f"<h1>{html.escape(page_title)}</h1>"
        f'<p class="summary">{_esc(summary)}</p>{generated_html}</header>'
        '<nav class="toc" aria-labelledby="toc-h"><h2 id="toc-h">Contents</h2>'
        f'<ul>{"".join(toc)}<li><a href="#claims">All claims</a></li></ul></nav>'
        '<section class="reading-guide" aria-labelledby="guide-h"><h2 id="guide-h">'
        "How to read the charts</h2><p>Each chart puts every figure reported for one "
        "metric at its claim date, one mark per claim. <strong>Shape and colour</strong> "
        "name the source (see each chart's legend). <strong>Filled</strong> marks are counts, "
        "<strong>hollow</strong> ones estimates or projections. An arrow marks a bound "
        '(↑ "at least", ↓ "up to"); a bar spans a range. <strong>Faded</strong> marks are set '
        "aside: superseded, part of a total, or out of scope. Hover over or tab to a mark "
        "for its words and <code>file:line</code>; each chart's figures are also in a "
        "table below it.</p>"
        "<noscript><p><strong>Charts need JavaScript.</strong> Each chart's figures are in "
        "the data table below it.</p></noscript></section>"
        f'<main id="main">{empty}{"".join(sections)}'
        f"{_claims_table(claim_list, stories)}</main>"
        '<div id="fc-tooltip" role="tooltip" hidden></div>'
        f'<script type="application/json" id="fc-specs">{_script_json(specs)}</script>'
        f"{script_tags}</body></html>\n"
    )


REPORT_FORMAT = ReportFormat("html", "html (one self-contained page with a timeline per metric)",
                             render=lambda claims, findings: render_html(claims, findings))
