"""The command line: reports, formats, outputs and exit codes, run as a user would."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from factcheck.cli.app import app

runner = CliRunner(env={"COLUMNS": "200"})


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed entry point in a subprocess: real exit codes and stderr."""
    return subprocess.run([sys.executable, "-m", "factcheck", *args], capture_output=True,
                          text=True, check=False, env={"NO_COLOR": "1", "PATH": ""})


def test_report_on_the_seeds_names_sources_dates_and_positions(seeds_dir: Path) -> None:
    result = runner.invoke(app, ["report", str(seeds_dir), "--color", "never"])
    assert result.exit_code == 0, result.output
    for text in ("killed", "arrested", "2024-01-04", "2024-01-11", "Mahdi Bakhshi",
                 "000_ec9eebed83796c36.txt:"):
        assert text in result.output


def test_default_paths_are_the_shipped_seeds() -> None:
    result = runner.invoke(app, ["claims", "--format", "json"])
    assert result.exit_code == 0
    docs = {Path(c["doc"]).name for c in json.loads(result.output)["claims"]}
    assert docs == {"000_ec9eebed83796c36.txt", "004_e2a0f961c55ed4a7.txt"}


def test_report_json_has_claims_and_findings(seeds_dir: Path) -> None:
    result = runner.invoke(app, ["report", str(seeds_dir), "--format", "json"])
    payload = json.loads(result.output)
    assert set(payload) == {"claims", "findings"}
    first = payload["claims"][0]
    assert list(first)[:3] == ["claim_id", "story", "doc"]
    assert all(isinstance(f["claim_ids"], list) for f in payload["findings"])


def test_out_writes_spreadsheet_csvs(seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    result = runner.invoke(app, ["report", str(seeds_dir), "--out", str(out), "--color", "never"])
    assert result.exit_code == 0
    claims_csv = (out / "claims.csv").read_bytes()
    assert claims_csv.startswith(b"\xef\xbb\xbf")
    claims = pd.read_csv(out / "claims.csv", encoding="utf-8-sig")
    findings = pd.read_csv(out / "findings.csv", encoding="utf-8-sig")
    assert {"claim_id", "metric", "value", "low", "high", "attributed_to", "claim_date",
            "quote", "line", "column"} <= set(claims.columns)
    assert {"finding_id", "rule", "severity", "kind", "metric", "message", "claim_id",
            "figure", "value", "source", "date", "quote", "location"} <= set(findings.columns)
    assert findings["figure"].notna().all() and findings["quote"].notna().all()
    assert len(findings["finding_id"].unique()) >= 2
    # the HTML report beside the CSVs, the same page `report --format html` prints
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'id="fc-specs"' in page
    assert sorted(p.name for p in out.iterdir()) == [".factcheck-output", "claims.csv",
                                                     "findings.csv", "report.html"]


@pytest.mark.parametrize("command", [["claims"], ["report", "--no-html"]])
def test_out_without_html(command: list[str], seeds_dir: Path, tmp_path: Path) -> None:
    """claims writes no page; report --no-html keeps a streamed run's tables out of memory."""
    result = runner.invoke(app, [*command, str(seeds_dir), "--out", str(tmp_path), "-q"])
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".factcheck-output", "claims.csv",
                                                          "findings.csv"]


def test_claims_csv_to_stdout(seeds_dir: Path) -> None:
    result = runner.invoke(app, ["claims", str(seeds_dir), "--format", "csv"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("claim_id,story,doc")


def test_every_command_has_help() -> None:
    for command in ([], ["report"], ["claims"]):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run("report", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "nowhere" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_empty_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run("report", str(tmp_path))
    assert result.returncode == 2 and "no reports found" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_option_is_a_usage_error() -> None:
    assert run("report", "--format", "pdf").returncode == 2


def test_malformed_rule_file_names_file_and_line(tmp_path: Path, rules_dir: Path) -> None:
    import shutil

    broken = tmp_path / "rules"
    shutil.copytree(rules_dir, broken)
    metric = broken / "metrics" / "killed.yaml"
    metric.write_text(metric.read_text() + "colour: red\n")
    result = run("report", "--rules", str(broken))
    assert result.returncode == 2
    assert f"{metric}:" in result.stderr and "colour" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_input_is_skipped_with_one_line_and_exit_3(tmp_path: Path, seeds_dir: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    for seed in seeds_dir.iterdir():
        (corpus / seed.name).write_bytes(seed.read_bytes())
    (corpus / "broken.md").write_text("---\nsource: [unclosed\n---\nText.\n")
    # UTF-8 ("Zürich") and Latin-1 ("Café") in one file: damaged, not in any one encoding.
    (corpus / "mixed.txt").write_bytes("Zürich: ".encode() + "Café owners said 3 people were "
                                       "hurt.".encode("latin-1"))
    out = tmp_path / "out"
    result = run("report", str(corpus), "--out", str(out))
    assert result.returncode == 3
    skipped = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert len(skipped) == 2 and any("broken.md:" in line for line in skipped)
    assert "Traceback" not in result.stderr
    assert (out / "claims.csv").is_file() and (out / "findings.csv").is_file()


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_formats_on_a_corpus(fmt: str, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps({"id": "a", "source": "Wire", "date": "2023-05-01",
                    "text": "At least 10 people were killed."}) + "\n"
        + json.dumps({"id": "b", "source": "Paper", "date": "2023-05-03",
                      "text": "The death toll has risen to 14."}) + "\n")
    result = runner.invoke(app, ["report", str(corpus), "--format", fmt, "--color", "never"])
    assert result.exit_code == 0
    assert "14" in result.output


def test_group_by_an_unknown_field_is_a_usage_error_writing_nothing(seeds_dir: Path,
                                                                    tmp_path: Path) -> None:
    result = run("report", str(seeds_dir), "--group-by", "evnt", "--out", str(tmp_path / "o"))
    assert result.returncode == 2
    assert "--group-by 'evnt'" in result.stderr and "nearest: event" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o" / "claims.csv").exists()


def test_a_second_run_never_reads_the_first_run_s_outputs(seeds_dir: Path,
                                                          tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    first = run("report", str(corpus), "--out", str(corpus / "out"), "-q")
    assert first.returncode == 0, first.stderr
    claims = (corpus / "out" / "claims.csv").read_bytes()
    second = run("report", str(corpus), "--out", str(corpus / "out"), "-q", "--strict")
    assert second.returncode == 0, second.stderr
    assert (corpus / "out" / "claims.csv").read_bytes() == claims


def test_exclude_leaves_out_what_it_matches(seeds_dir: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    (corpus / "drafts").mkdir()
    (corpus / "drafts" / "d.md").write_text("Officials said 7000 people were killed.\n")
    every = run("claims", str(corpus), "-f", "csv")
    assert "drafts/d.md" in every.stdout
    left_out = run("claims", str(corpus), "-f", "csv", "--exclude", "drafts/")
    assert left_out.returncode == 0 and "drafts/d.md" not in left_out.stdout
    (corpus / ".factcheckignore").write_text("# not published\ndrafts/\n")
    assert "drafts/d.md" not in run("claims", str(corpus), "-f", "csv").stdout


def test_many_incidents_read_as_one_story_say_so_once(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"text": f"{n} people were killed.",
                                          "incident_id": n % 2}) + "\n" for n in range(3, 7)))
    for extra in ([], ["--store", str(tmp_path / "s.db")]):
        result = run("claims", str(corpus), "-q", *extra)
        assert result.returncode == 0
        assert result.stderr.count("--group-by incident_id") == 1, result.stderr
    assert "note" not in run("claims", str(corpus), "-q", "--group-by", "incident_id").stderr


@pytest.mark.parametrize("command", [["rules", "test"], ["report", "--no-config", "--rules"]])
def test_a_bad_rule_message_names_the_users_file(tmp_path: Path, seeds_dir: Path,
                                                 command: list[str]) -> None:
    """Exit 2 naming the user's findings.yaml and line, before any case or report is read
    (not a shipped cases file, not exit 70)."""
    folder = tmp_path / "newsroom"
    folder.mkdir()
    (folder / "findings.yaml").write_text("rules:\n  - code: FC101\n    message: '{nope} {0}'\n")
    args = [*command, str(folder)] + ([str(seeds_dir)] if command[0] == "report" else [])
    result = run(*args)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (f"factcheck: error: {folder / 'findings.yaml'}:3: rules[0]: "
                             "message: unknown field {nope} (known: metric, chain, sides, "
                             "stale, latest, figure, scope, reference, role)\n")


def test_an_interruption_names_what_was_already_written(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import signal

    from factcheck.cli.app import interrupted_line
    from factcheck.fileio import write_text_atomic

    monkeypatch.setattr(sys, "argv", ["factcheck", "rules", "test", "x"])
    write_text_atomic(tmp_path / "baseline.json", "{}")
    line = interrupted_line(signal.SIGTERM)
    assert line.startswith("factcheck: interrupted (SIGTERM): factcheck rules test stopped; only ")
    assert f"{tmp_path / 'baseline.json'} had been written" in line
