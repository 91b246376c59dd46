"""Snapshot-style tests of the renderers, on small hand-built claims and findings tables."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the checkout, when not installed

from factcheck import fileio
from factcheck.report import cells, tables, terminal
from factcheck.report.cells import claim_source
from factcheck.report.console import make_console
from factcheck.report.tables import neutralise_cell, to_csv_text, to_json, write_csv, write_outputs
from factcheck.report.terminal import (
    format_figure,
    format_interval,
    print_claims,
    print_report,
)

CLAIM_COLUMNS = [
    "claim_id", "story", "doc", "outlet", "published", "kind", "metric", "figure", "value",
    "low", "high", "low_inclusive", "high_inclusive", "qualifier", "subject", "scope", "part_of",
    "attributed_to", "claim_date", "in_scope", "scope_note", "quote", "line", "column",
]  # fmt: skip
FINDING_COLUMNS = [
    "finding_id", "story", "rule", "rule_name", "severity", "kind", "metric", "scope", "message",
    "claim_ids", "groups",
]  # fmt: skip
DOC_A = "seeds/000_ec9eebed83796c36.txt"
DOC_B = "seeds/004_e2a0f961c55ed4a7.txt"
ANSI = "\x1b["


def claim(claim_id: str = "c1", **fields: Any) -> dict[str, Any]:
    """One claims row: an exact figure of 84 killed, with every other field missing or default."""
    row: dict[str, Any] = {
        "claim_id": claim_id, "story": "", "doc": DOC_A, "outlet": None, "published": None,
        "kind": "numeric", "metric": "killed", "figure": "84", "value": 84.0, "low": 84.0,
        "high": 84.0, "low_inclusive": True, "high_inclusive": True, "qualifier": None,
        "subject": "people", "scope": None, "part_of": None, "attributed_to": None,
        "claim_date": None, "in_scope": True, "scope_note": None, "quote": "84 people died",
        "line": 1, "column": 1,
    }  # fmt: skip
    unknown = set(fields) - set(row)
    assert not unknown, f"not a claims column: {unknown}"
    row.update(fields)
    return row


def finding(finding_id: str = "f1", **fields: Any) -> dict[str, Any]:
    """One findings row: an update of killed, with defaults for every field not given."""
    row: dict[str, Any] = {
        "finding_id": finding_id, "story": "", "rule": "FC101", "rule_name": "figure-updated",
        "severity": "info", "kind": "update", "metric": "killed", "scope": None,
        "message": "killed rose from 84 to 94", "claim_ids": [], "groups": [],
    }  # fmt: skip
    unknown = set(fields) - set(row)
    assert not unknown, f"not a findings column: {unknown}"
    row.update(fields)
    return row


def claims_frame(*rows: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=CLAIM_COLUMNS)


def findings_frame(*rows: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=FINDING_COLUMNS)


@pytest.fixture
def sample() -> tuple[pd.DataFrame, pd.DataFrame]:
    """An update 84 (IRNA, 2024-01-04) → 94 (unknown source, 2024-01-11), and one conflict."""
    claims = claims_frame(
        claim("c5", figure="at least 84", qualifier="at least", high=None, line=23,
              quote="at least 84 people were killed and 284 others injured"),
        claim("c7", attributed_to="IRNA", claim_date=dt.date(2024, 1, 4), line=31,
              quote="left 84 people dead"),
        claim("c9", doc=DOC_B, published=dt.date(2024, 1, 11), claim_date=dt.date(2024, 1, 11),
              figure="94", value=94.0, low=94.0, high=94.0, line=7,
              quote="the death toll has risen to 94"),
        claim("c1", metric="arrested", figure="11", value=11.0, low=11.0, high=11.0,
              attributed_to="Iran's Ministry of Intelligence", claim_date=dt.date(2024, 1, 5),
              line=3, quote="it has arrested 11 people in six provinces"),
        claim("c4", metric="arrested", figure="32", value=32.0, low=32.0, high=32.0,
              attributed_to="Kerman Prosecutor Mahdi Bakhshi", claim_date=dt.date(2024, 1, 7),
              line=11, quote="32 people related to the Kerman terrorist crime have been arrested"),
        claim("c12", doc=DOC_B, metric="arrested", figure="35", value=35.0, low=35.0, high=35.0,
              outlet="Al Jazeera", claim_date=dt.date(2024, 1, 7), line=5,
              quote="apprehended 35 individuals across several provinces"),
        claim("c2", metric="arrested", figure="two", value=2.0, low=2.0, high=2.0, part_of="c1",
              in_scope=False, scope_note="a part of the total c1", line=7,
              quote="the arrest of two support elements"),
        claim("c13", metric="arrested", figure="Some 23", value=23.0, low=None, high=None,
              qualifier="Some", in_scope=False, scope_note="arrests before the attack", line=17,
              quote="Some 23 IS elements ready for suicide operations were arrested"),
    )  # fmt: skip
    findings = findings_frame(
        finding("f1", message="killed rose from 84 (IRNA, 2024-01-04) to 94 (2024-01-11)",
                claim_ids=["c7", "c5", "c9"], groups=[["c7", "c5"], ["c9"]]),
        finding("f2", rule="FC102", rule_name="figure-conflict", severity="error",
                kind="conflict", metric="arrested",
                message="arrested on 2024-01-07: 32 (Kerman Prosecutor) vs 35 (Al Jazeera)",
                claim_ids=["c4", "c12"], groups=[["c4"], ["c12"]]),
    )  # fmt: skip
    return claims, findings


def render_text(func: Any, *args: Any, width: int = 100, **kwargs: Any) -> str:
    """What `func(console, *args)` prints on a plain console of the given width."""
    buffer = io.StringIO()
    console = make_console("never", file=buffer)
    console.width = width
    func(console, *args, **kwargs)
    return buffer.getvalue()


# --------------------------------------------------------------------------- claim fields


@pytest.mark.parametrize(
    ("fields", "figure", "interval"),
    [
        ({"figure": "at least 84", "qualifier": "at least", "high": None}, "at least 84",
         "[84, ∞)"),
        ({"figure": "over 90", "value": 90.0, "low": 90.0, "high": None, "low_inclusive": False,
          "high_inclusive": False}, "over 90", "(90, ∞)"),
        ({"figure": "30-40", "value": None, "low": 30.0, "high": 40.0}, "30-40", "[30, 40]"),
        ({"figure": "dozens", "value": None, "low": 24.0, "high": None, "high_inclusive": False},
         "dozens", "[24, ∞)"),
        ({}, "84", "84"),
        ({"figure": None, "value": None, "low": 30.0, "high": 40.0}, "30–40", "[30, 40]"),
        ({"figure": np.nan, "qualifier": "at least", "high": None}, "at least 84", "[84, ∞)"),
        ({"figure": None, "value": None, "low": 280.0, "high": None, "low_inclusive": False},
         "over 280", "(280, ∞)"),
        ({"figure": None, "value": None, "low": None, "high": 40.0, "low_inclusive": False,
          "high_inclusive": False}, "under 40", "(−∞, 40)"),
        ({"figure": None, "value": 2300000.0, "low": 2300000.0, "high": 2300000.0},
         "2,300,000", "2,300,000"),
        ({"figure": None, "value": 2.5, "low": 2.5, "high": 2.5}, "2.5", "2.5"),
        ({"figure": None, "value": None, "low": None, "high": None}, "unknown", "unknown"),
    ],
)  # fmt: skip
def test_format_figure_and_interval(fields: dict, figure: str, interval: str) -> None:
    row = claim(**fields)
    assert format_figure(row) == figure
    assert format_interval(row) == interval


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"attributed_to": "IRNA", "outlet": "Tehran Times"}, "IRNA"),
        ({"attributed_to": None, "outlet": "Tehran Times"}, "Tehran Times"),
        ({"attributed_to": np.nan, "outlet": pd.NA}, DOC_A),
        ({"attributed_to": "  ", "outlet": None}, DOC_A),
        ({"doc": None}, "unknown"),
    ],
)
def test_claim_source(fields: dict, expected: str) -> None:
    assert claim_source(claim(**fields)) == expected


# --------------------------------------------------------------------------- JSON


def test_to_json_snapshot() -> None:
    claims = claims_frame(
        claim("c5", figure="at least 84", qualifier="at least", high=None,
              published=dt.date(2024, 1, 11), claim_date=pd.NaT, outlet=pd.NA,
              quote="“at least 84” people"),
    )  # fmt: skip
    expected = {
        "claims": [
            {
                "claim_id": "c5", "story": "", "doc": DOC_A, "outlet": None,
                "published": "2024-01-11", "kind": "numeric", "metric": "killed",
                "figure": "at least 84", "value": 84, "low": 84, "high": None,
                "low_inclusive": True, "high_inclusive": True, "qualifier": "at least",
                "subject": "people", "scope": None, "part_of": None, "attributed_to": None,
                "claim_date": None, "in_scope": True, "scope_note": None,
                "quote": "“at least 84” people", "line": 1, "column": 1,
            }
        ]
    }  # fmt: skip
    text = to_json(claims)
    assert json.loads(text) == expected
    assert list(json.loads(text)["claims"][0]) == CLAIM_COLUMNS  # key order = column order
    assert text.startswith('{\n  "claims": [\n    {\n      "claim_id": "c5",\n')
    assert '"value": 84,' in text and "84.0" not in text
    assert "“at least 84”" in text  # ensure_ascii=False


def test_to_json_findings(sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    claims, findings = sample
    assert set(json.loads(to_json(claims))) == {"claims"}
    data = json.loads(to_json(claims, findings))
    assert list(data) == ["claims", "findings"]
    first = data["findings"][0]
    assert list(first) == FINDING_COLUMNS
    assert first["claim_ids"] == ["c7", "c5", "c9"]
    assert first["groups"] == [["c7", "c5"], ["c9"]]
    assert first["scope"] is None
    assert data["claims"][1]["claim_date"] == "2024-01-04"
    assert json.loads(to_json(claims, findings.iloc[0:0]))["findings"] == []


def test_to_json_values() -> None:
    claims = claims_frame(
        claim(value=np.float64(2.5), low=np.nan, high=float("inf"), line=np.int64(3),
              in_scope=np.bool_(False), claim_date=pd.Timestamp("2024-01-07"),
              published=dt.datetime(2024, 1, 7, 14, 30)),
    )  # fmt: skip
    row = json.loads(to_json(claims))["claims"][0]
    assert row["value"] == 2.5
    assert row["low"] is None and row["high"] is None  # NaN and infinity: null (unbounded)
    assert row["line"] == 3 and isinstance(row["line"], int)
    assert row["in_scope"] is False
    assert row["claim_date"] == "2024-01-07"
    assert row["published"] == "2024-01-07T14:30:00"


# --------------------------------------------------------------------------- CSV

FORMULAS = ['=HYPERLINK("http://x","click")', "+1", "-2+3", "@SUM(A1:A2)", "\tx"]


@pytest.mark.parametrize("text", [*FORMULAS, "\rx"])
def test_neutralise_cell_formulas(text: str) -> None:
    assert neutralise_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["84 people", "", "'=already", " =x", 84, -2.5, None, True])
def test_neutralise_cell_leaves_the_rest(value: Any) -> None:
    assert neutralise_cell(value) == value


def test_to_csv_text(sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    claims, findings = sample
    text = to_csv_text(claims)
    assert not text.startswith("\ufeff")
    assert text.splitlines()[0] == ",".join(CLAIM_COLUMNS)
    assert ANSI not in text
    back = pd.read_csv(io.StringIO(text))
    assert list(back.columns) == CLAIM_COLUMNS
    assert back.loc[1, "claim_date"] == "2024-01-04"
    assert back.loc[0, "value"] == 84 and back.loc[0, "high"] != back.loc[0, "high"]  # NaN
    assert ",84,84,," in text.splitlines()[1]  # whole floats written as 84, not 84.0
    found = pd.read_csv(io.StringIO(to_csv_text(findings)))
    assert found.loc[0, "claim_ids"] == "c7 c5 c9"
    assert found.loc[0, "groups"] == "c7 c5 | c9"


def test_csv_groups_format() -> None:
    findings = findings_frame(
        finding(claim_ids=["c7", "c5", "c11", "c9"], groups=[["c7", "c5"], ["c11", "c9"]])
    )
    back = pd.read_csv(io.StringIO(to_csv_text(findings)))
    assert back.loc[0, "claim_ids"] == "c7 c5 c11 c9"
    assert back.loc[0, "groups"] == "c7 c5 | c11 c9"
    claims = claims_frame(claim("c7"), claim("c9", figure="94"))
    text = render_text(print_report, claims, back.assign(claim_ids="c7 c9", groups="c7 | c9"))
    assert "↓ later" in text and "not in the claims table" not in text  # CSV form read back


def test_findings_csv_stands_alone(tmp_path: Path,
                                   sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    """One row per finding and claim: the finding's rule and message beside each claim's
    figure, value, source, date, quote and file:line, so that no join with claims.csv is needed."""
    claims, findings = sample
    claims.loc[claims["claim_id"] == "c12", "quote"] = "=HYPERLINK(\"x\") apprehended 35"
    write_outputs(tmp_path, claims, findings)
    raw = (tmp_path / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = pd.read_csv(tmp_path / "findings.csv", encoding="utf-8-sig", dtype=str,
                       keep_default_na=False)
    assert list(rows.columns) == tables.FINDINGS_CSV_COLUMNS
    assert list(rows.columns) == [
        "finding_id", "story", "rule", "rule_name", "severity", "kind", "metric", "scope",
        "message", "group", "claim_id", "figure", "value", "low", "high", "source", "date",
        "quote", "location"]
    assert [(r.finding_id, r.group, r.claim_id) for r in rows.itertuples()] == [
        ("f1", "1", "c7"), ("f1", "1", "c5"), ("f1", "2", "c9"), ("f2", "1", "c4"),
        ("f2", "2", "c12")]
    irna = rows.iloc[0]
    assert (irna.rule, irna.severity, irna.kind, irna.figure, irna.value, irna.low) == (
        "FC101", "info", "update", "84", "84", "84")
    assert (irna.source, irna.date, irna.quote, irna.location) == (
        "IRNA", "2024-01-04", "left 84 people dead", f"{DOC_A}:31")
    assert rows.iloc[1].high == "" and rows.iloc[1].source == DOC_A  # unbounded; the file
    assert rows.iloc[4].source == "Al Jazeera"
    assert rows.iloc[4].quote.startswith("'=HYPERLINK")  # formula-safe


def test_findings_csv_keeps_a_finding_without_claims() -> None:
    table = tables.findings_csv_table(findings_frame(finding(claim_ids=["c99"])),
                                      claims_frame(claim()))
    assert table.loc[0, "claim_id"] == "c99" and table.loc[0, "figure"] is None
    empty = tables.findings_csv_table(findings_frame(finding()), claims_frame())
    assert len(empty) == 1 and empty.loc[0, "claim_id"] is None


def test_csv_infinity_is_empty() -> None:
    back = pd.read_csv(io.StringIO(to_csv_text(claims_frame(claim(high=float("inf"))))))
    assert pd.isna(back.loc[0, "high"]) and back.loc[0, "low"] == 84


def test_csv_neutralises_formulas_and_keeps_numbers(tmp_path: Path) -> None:
    claims = claims_frame(*(claim(f"c{i}", quote=q) for i, q in enumerate(FORMULAS, 1)))
    claims.loc[0, "value"] = -2.0  # a negative number is a number, not a formula
    path = tmp_path / "claims.csv"
    write_csv(claims, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig") == to_csv_text(claims)
    back = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
    assert list(back["quote"]) == ["'" + q for q in FORMULAS]
    assert back.loc[0, "value"] == -2 and back.loc[1, "value"] == 84
    assert back["line"].dtype.kind == "i"


def test_csv_carriage_return_cannot_split_a_row() -> None:
    claims = claims_frame(claim("c1", quote="\r=1+1"), claim("c2", quote="a\rb\r\nc"))
    back = pd.read_csv(io.StringIO(to_csv_text(claims)))
    assert list(back["claim_id"]) == ["c1", "c2"]
    assert list(back["quote"]) == ["'\n=1+1", "a\nb\nc"]


def test_write_csv_replaces_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_text("old\n", encoding="utf-8")
    write_csv(claims_frame(claim()), path)
    assert path.read_text(encoding="utf-8-sig").startswith("claim_id,")
    assert [p.name for p in tmp_path.iterdir()] == ["claims.csv"]


def test_write_csv_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "claims.csv"
    path.write_text("previous,complete\n1,2\n", encoding="utf-8")

    def half_written(self: pd.DataFrame, handle: Any, *args: Any, **kwargs: Any) -> None:
        handle.write("claim_id,story\nc1,")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", half_written)
    with pytest.raises(OSError, match="disk full"):
        write_csv(claims_frame(claim()), path)
    assert path.read_text(encoding="utf-8") == "previous,complete\n1,2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["claims.csv"]


def test_write_csv_failed_replace_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "claims.csv"
    path.write_text("previous\n", encoding="utf-8")

    def refuse(src: Any, dst: Any) -> None:
        raise PermissionError("locked by a spreadsheet")

    monkeypatch.setattr(fileio.os, "replace", refuse)
    with pytest.raises(PermissionError):
        write_csv(claims_frame(claim()), path)
    assert path.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["claims.csv"]


def test_write_outputs_replaces_both_or_neither(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    claims, findings = sample
    (tmp_path / "claims.csv").write_text("old claims\n", encoding="utf-8")
    (tmp_path / "findings.csv").write_text("old findings\n", encoding="utf-8")
    real = pd.DataFrame.to_csv

    def findings_fail(self: pd.DataFrame, handle: Any, *args: Any, **kwargs: Any) -> None:
        if "finding_id" in self.columns:
            handle.write("finding_id,story\nf1,")
            raise OSError("disk full")
        real(self, handle, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", findings_fail)
    with pytest.raises(OSError, match="disk full"):
        write_outputs(tmp_path, claims, findings)
    # The claims were written in full, but are not put in place beside old findings.
    assert (tmp_path / "claims.csv").read_text(encoding="utf-8") == "old claims\n"
    assert (tmp_path / "findings.csv").read_text(encoding="utf-8") == "old findings\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.csv", "findings.csv"]


def test_write_outputs(tmp_path: Path, sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    claims, findings = sample
    out = tmp_path / "a" / "b"
    assert write_outputs(out, claims, findings) == [out / "claims.csv", out / "findings.csv"]
    assert len(pd.read_csv(out / "findings.csv", encoding="utf-8-sig")) == 5  # finding × claim
    only = tmp_path / "only"
    assert write_outputs(only, claims, None) == [only / "claims.csv"]
    assert sorted(p.name for p in only.iterdir()) == [".factcheck-output", "claims.csv"]


# --------------------------------------------------------------------------- console colour


def coloured(console_color: str, monkeypatch: pytest.MonkeyPatch, **env: str) -> bool:
    """Whether a console made with these settings writes ANSI codes to a StringIO."""
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    buffer = io.StringIO()
    console = make_console(console_color, file=buffer)
    console.print(terminal.Text("error", style="bold red"))
    return ANSI in buffer.getvalue()


@pytest.mark.parametrize(
    ("color", "env", "expected"),
    [
        ("auto", {}, False),  # not a terminal
        ("auto", {"FORCE_COLOR": "1"}, True),
        ("auto", {"NO_COLOR": "1"}, False),
        ("auto", {"NO_COLOR": "0"}, False),  # any value
        ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
        ("always", {}, True),
        ("always", {"NO_COLOR": "1"}, True),  # the option wins
        ("never", {"FORCE_COLOR": "1"}, False),
        ("never", {}, False),
    ],
)
def test_console_colour_rules(
    color: str, env: dict[str, str], expected: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert coloured(color, monkeypatch, **env) is expected


def test_console_always_on_dumb_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    assert coloured("always", monkeypatch, TERM="dumb")


def test_console_settings() -> None:
    console = make_console("NEVER", file=io.StringIO())
    assert console._highlight is False  # numbers are not bolded by the default highlighter
    with pytest.raises(ValueError, match="auto, always, never"):
        make_console("sometimes")


# --------------------------------------------------------------------------- terminal report

REPORT_SNAPSHOT = """\
factcheck: 2 reports, 8 claims (2 out of scope), 2 findings (1 error, 1 info)

killed ─────────────────────────────────────────────────────────────────────────────────────────────
info  FC101 figure-updated  (update)  [f1]
  killed rose from 84 (IRNA, 2024-01-04) to 94 (2024-01-11)
  figure        source    date         quote / file:line
  ──────────────────────────────────────────────────────────────────────────────────────────
  84            IRNA      2024-01-04   left 84 people dead
                                       seeds/000_ec9eebed83796c36.txt:31
  at least 84   unknown   unknown      at least 84 people were killed and 284 others injured
                                       seeds/000_ec9eebed83796c36.txt:23
  ↓ later
  94            unknown   2024-01-11   the death toll has risen to 94
                                       seeds/004_e2a0f961c55ed4a7.txt:7

arrested ───────────────────────────────────────────────────────────────────────────────────────────
error  FC102 figure-conflict  (conflict)  [f2]
  arrested on 2024-01-07: 32 (Kerman Prosecutor) vs 35 (Al Jazeera)
  figure      source                         date         quote / file:line
  ──────────────────────────────────────────────────────────────────────────────────────────────────
  32          Kerman Prosecutor Mahdi        2024-01-07   32 people related to the Kerman terrorist
              Bakhshi                                     crime have been arrested
                                                          seeds/000_ec9eebed83796c36.txt:11
  ≠ differs
  35          Al Jazeera                     2024-01-07   apprehended 35 individuals across several
                                                          provinces
                                                          seeds/004_e2a0f961c55ed4a7.txt:5

Set aside: 2 claims not compared (out of scope, or part of a total) ────────────────────────────────
id    figure       metric     why                         file:line
───────────────────────────────────────────────────────────────────────────────────────────
c2    two          arrested   a part of the total c1      seeds/000_ec9eebed83796c36.txt:7
      part of c1
c13   Some 23      arrested   arrests before the attack   seeds/000_ec9eebed83796c36.txt:17

Skipped input ──────────────────────────────────────────────────────────────────────────────────────
  seeds/bad.txt: not UTF-8
"""


def test_report_snapshot(sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    """The whole report at 100 columns, trailing spaces aside (rich pads table cells)."""
    claims, findings = sample
    text = render_text(
        print_report, claims, findings, documents=2, problems=["seeds/bad.txt: not UTF-8"]
    )
    assert "\n".join(line.rstrip() for line in text.splitlines()) + "\n" == REPORT_SNAPSHOT


def test_report_content(sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    claims, findings = sample
    text = render_text(print_report, claims, findings, documents=2, problems=["bad.txt: binary"])
    assert ANSI not in text
    for message in findings["message"]:
        assert message in text
    assert "error  FC102 figure-conflict" in text and "info  FC101 figure-updated" in text
    assert text.index("killed ─") < text.index("arrested ─")  # a heading per metric
    assert f"{DOC_A}:31" in text and f"{DOC_B}:5" in text  # file:line
    assert "unknown" in text  # c5: no source, no date
    assert "Al Jazeera" in text and "Kerman Prosecutor" in text
    assert "≠ differs" in text and "↓ later" in text
    assert "Set aside: 2 claims not compared" in text
    assert "arrests before the attack" in text and f"{DOC_A}:17" in text
    assert "part of c1" in text
    assert text.rstrip().endswith("bad.txt: binary")
    assert "Skipped input" in text
    assert "No disagreements" not in text


def test_report_unknown_date_and_source() -> None:
    claims = claims_frame(claim("c1"), claim("c2", doc=DOC_B, figure="94", value=94.0))
    findings = findings_frame(finding(claim_ids=["c1", "c2"], groups=[["c1"], ["c2"]]))
    text = render_text(print_report, claims, findings)
    rows = [line for line in text.splitlines() if line.strip().startswith(("84 ", "94 "))]
    assert len(rows) == 2
    assert all(row.split()[1:3] == ["unknown", "unknown"] for row in rows)
    assert "factcheck: 2 reports," in text  # counted from the docs when not given


def test_report_without_findings(sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    claims, findings = sample
    text = render_text(print_report, claims, findings.iloc[0:0], documents=3)
    assert "0 findings" in text
    assert "No disagreements found between 3 reports" in text
    empty = render_text(print_report, claims_frame(), findings_frame())
    assert "0 claims (0 out of scope)" in empty
    assert "No disagreements found between 0 reports" in empty


def test_report_long_quote_is_trimmed() -> None:
    quote = "word " * 60
    claims = claims_frame(claim("c1", quote=quote), claim("c2", figure="94", quote="short"))
    findings = findings_frame(finding(claim_ids=["c1", "c2"], groups=[["c1"], ["c2"]]))
    text = render_text(print_report, claims, findings, width=200)
    assert "…" in text
    quote_line = next(line for line in text.splitlines() if "word word" in line)
    assert len(quote_line.split("   ")[-1].strip()) <= 100


PROSECUTOR = ("Iran's official news agency IRNA reported on January 7 that Kerman Prosecutor "
              "Mahdi Bakhshi has said that 32 people related to the Kerman terrorist crime "
              "have been arrested in several provinces of the country so far")


@pytest.mark.parametrize("limit", [30, 60, 100])
def test_a_shortened_quote_keeps_its_figure(limit: int) -> None:
    short = cells.trim(PROSECUTOR, limit, keep="32")
    assert "32 people" in short and len(short) <= limit + len("32")
    assert cells.trim(PROSECUTOR, limit, keep="Kerman Prosecutor").count("Prosecutor") == 1
    assert cells.trim("the toll reached 84, IRNA said", 100, keep="84") == \
        "the toll reached 84, IRNA said"  # short enough: whole
    assert cells.trim(PROSECUTOR, 100, keep="absent") == cells.trim(PROSECUTOR, 100)


def test_report_quote_shows_the_figure(sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    claims, findings = sample
    claims.loc[claims["claim_id"] == "c4", "quote"] = PROSECUTOR
    text = render_text(print_report, claims, findings, width=80)
    assert "32 people" in " ".join(text.split())


@pytest.mark.parametrize("width", [40, 100])
def test_report_missing_claim_and_nan_fields(
    sample: tuple[pd.DataFrame, pd.DataFrame], width: int
) -> None:
    claims, _ = sample
    claims = claims.astype(object).where(claims.notna(), np.nan)  # NaN for every missing cell
    claims.loc[claims["claim_id"] == "c7", "claim_date"] = pd.NaT
    findings = findings_frame(
        finding(claim_ids=["c7", "c99"], groups=[["c7"], ["c99"]], scope=np.nan)
    )
    text = " ".join(render_text(print_report, claims, findings, width=width).split())
    assert "c99: not in the claims table" in text
    assert "84 · IRNA · unknown" in text or "84 IRNA unknown" in text
    assert "nan" not in text.lower().split()


def test_report_colours(sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    claims, findings = sample
    buffer = io.StringIO()
    console = make_console("always", file=buffer)
    console.width = 100
    print_report(console, claims, findings)
    text = buffer.getvalue()
    assert "\x1b[1;31merror" in text  # error: red
    assert "\x1b[34minfo" in text  # info: blue
    assert "\x1b[1;36m2\x1b[0m" not in text  # no default highlighter on numbers


@pytest.mark.parametrize("width", [40, 60, 72, 100, 160])
def test_report_any_width(sample: tuple[pd.DataFrame, pd.DataFrame], width: int) -> None:
    claims, findings = sample
    text = render_text(print_report, claims, findings, width=width, problems=["x.txt: bad"])
    assert all(len(line) <= width for line in text.splitlines())
    assert f"{DOC_A}:31" in text.replace("\n", "") or width < 40
    for message in findings["message"]:
        assert " ".join(message.split()[:3]) in text
    assert "part of c1" in " ".join(text.split())


@pytest.mark.parametrize("width", [40, 100])
def test_print_claims(sample: tuple[pd.DataFrame, pd.DataFrame], width: int) -> None:
    claims, _ = sample
    text = render_text(print_claims, claims, width=width)
    assert text.startswith("8 claims")
    assert all(len(line) <= width for line in text.splitlines())
    for claim_id in claims["claim_id"]:
        assert claim_id in text
    assert "[84, ∞)" in text and "IRNA" in text and "2024-01-04" in text
    assert f"{DOC_A}:31" in text
    assert "part of c1" in " ".join(text.split())


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, None), ("text", "text"), ("=1+1", "'=1+1"), ("-5", "'-5"), ("a\rb", "a\nb"),
        (0, 0), (True, True), (3.0, 3), (2.5, 2.5), (float("nan"), None), (float("inf"), None),
        (dt.date(2024, 1, 5), "2024-01-05"), ([1, 2], "1 2"), ([[1, 2], [3]], "1 2 | 3"),
    ],
)
def test_csv_cells_of_plain_values_match_their_pandas_forms(value: object, cell: object) -> None:
    """A streamed run writes plain Python values, a whole-table run pandas and NumPy ones:
    the cells, and so the files, are the same."""
    assert tables.csv_cell(value) == cell
    if isinstance(value, bool | int | float) or value is None:
        as_pandas = pd.Series([value], dtype=object if value is None else None).iloc[0]
        assert tables.csv_cell(as_pandas) == cell
        assert type(tables.csv_cell(as_pandas)) is type(cell)
