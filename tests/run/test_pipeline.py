"""Streamed runs: the same tables and bytes as the plain run, in one process, two, or on Dask."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import factcheck
from factcheck.cli.app import app
from factcheck.compare.model import StoryFinding
from factcheck.extract.claims import ClaimReader
from factcheck.extract.context import story_contexts
from factcheck.extract.model import CLAIM_COLUMNS
from factcheck.report import tables
from factcheck.run import engines, pipeline
from factcheck.run.api import analyse
from factcheck.run.driver import Driver

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})

# Reports of three events, interleaved in the file, one of them undated (its year comes from
# what its texts state), one report with no event, one with no figure, and a breakdown
# ("including 4 children") whose `part_of` must point at its total after renumbering.
RECORDS = [
    {"id": "a1", "source": "Daily Ledger", "date": "2024-03-01", "event": "a",
     "text": "At least 12 people were killed in the blast on Friday, police said.\n\nThe toll "
             "stands at 12, including 4 children.\n\nOfficials said 30 people were injured."},
    {"id": "b1", "source": "Valley Post", "date": "2024-05-02", "event": "b",
     "text": "Police arrested 4 suspects on Thursday, the ministry said."},
    {"id": "c1", "source": "Wire Service", "event": "c",
     "text": "The fire on Friday, January 5 killed 9 people, the mayor said. The city was "
             "rebuilt after a fire in 2024."},
    {"id": "a2", "source": "City Tribune", "date": "2024-03-02", "event": "a",
     "text": "The death toll rose to 15, up from 12, a hospital spokeswoman said on "
             "Saturday.\n\nAbout 40 people were injured."},
    {"id": "n1", "source": "Metro News", "date": "2024-06-01",
     "text": "The council met on Monday to discuss the budget for the coming year."},
    {"id": "b2", "source": "Coastal Times", "date": "2024-05-02", "event": "b",
     "text": "Eleven people were arrested on Thursday, prosecutors said."},
    {"id": "c2", "source": "Metro News", "event": "c",
     "text": "Seven people were killed in the fire, firefighters said."},
    {"id": "n2", "source": "Evening Standard", "date": "2024-06-03",
     "text": "At least 3 people were killed when a bus overturned, police said."},
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "reports.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    return path


def _plain_files(paths: list[str], rules: factcheck.RuleSet, out: Path,
                 group_by: str | None = None) -> factcheck.Analysis:
    analysis = analyse(paths, rules, group_by)
    tables.write_outputs(out, analysis.claims, analysis.findings)
    return analysis


def _same_files(a: Path, b: Path) -> None:
    for name in ("claims.csv", "findings.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_the_corpus_exercises_what_streaming_must_keep(corpus: Path, rules: factcheck.RuleSet
                                                       ) -> None:
    analysis = analyse([str(corpus)], rules)
    claims = analysis.claims
    assert claims["part_of"].notna().any()  # a breakdown to renumber
    assert set(claims["story"]) >= {"a", "b", "c", ""}
    documents = factcheck.load_documents([str(corpus)]).documents
    contexts = story_contexts(documents, ClaimReader(rules).dates)
    assert contexts["c"].years == [2024]  # inferred from the undated story's texts
    assert len(analysis.findings) >= 3


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_streamed_run_gives_the_plain_tables_and_bytes(
        corpus: Path, rules: factcheck.RuleSet, tmp_path: Path, jobs: int) -> None:
    plain = _plain_files([str(corpus)], rules, tmp_path / "plain")
    streamed = pipeline.run([str(corpus)], rules, out=tmp_path / "streamed", jobs=jobs)
    pd.testing.assert_frame_equal(plain.claims, streamed.claims)
    pd.testing.assert_frame_equal(plain.findings, streamed.findings)
    _same_files(tmp_path / "plain", tmp_path / "streamed")
    assert streamed.reports == len(plain.documents)
    assert sorted(p.name for p in (tmp_path / "streamed").iterdir()) == [
        ".factcheck-output", "claims.csv", "findings.csv"]  # no spool or temporary file left


def test_the_seeds_and_dev_stories_stream_to_the_same_bytes(
        seeds_dir: Path, shared: Path, rules: factcheck.RuleSet, tmp_path: Path) -> None:
    paths = [str(shared / "corpus" / "dev"), str(seeds_dir)]
    _plain_files(paths, rules, tmp_path / "plain", "folder")
    pipeline.run(paths, rules, "folder", out=tmp_path / "streamed", keep_tables=False)
    _same_files(tmp_path / "plain", tmp_path / "streamed")


def test_claims_come_in_chunks_that_make_the_whole_table(corpus: Path,
                                                          rules: factcheck.RuleSet) -> None:
    chunks = list(pipeline.iter_claims([str(corpus)], rules, chunk=3, unit_reports=1))
    assert len(chunks) > 1
    whole = pd.concat(chunks, ignore_index=True)
    # a chunk infers its own column types (an all-empty column is object): compare the rows
    expected = factcheck.extract_claims([str(corpus)], rules)
    assert tables.to_csv_text(whole) == tables.to_csv_text(expected)


@pytest.mark.parametrize(("command", "extra"), [("claims", []), ("report", []),
                                                ("claims", ["--jobs", "2"])])
def test_csv_on_stdout_is_the_plain_csv(corpus: Path, rules: factcheck.RuleSet,
                                        command: str, extra: list[str]) -> None:
    result = runner.invoke(app, [command, str(corpus), "-f", "csv", *extra])
    assert result.exit_code == 0, result.output
    analysis = analyse([str(corpus)], rules)
    table = analysis.claims if command == "claims" else tables.findings_csv_table(
        analysis.findings, analysis.claims)
    assert result.stdout == tables.to_csv_text(table)


def test_quiet_prints_nothing_and_writes_the_files(corpus: Path, rules: factcheck.RuleSet,
                                                   tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(corpus), "--quiet", "--out", str(tmp_path / "q")])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    _plain_files([str(corpus)], rules, tmp_path / "plain")
    _same_files(tmp_path / "plain", tmp_path / "q")


@pytest.mark.parametrize(("args", "message"), [
    (["--jobs", "-2"], "--jobs must be 0"),
    (["--jobs", "many"], "--jobs must be a number"),
    (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler needs --engine dask"),
])
def test_bad_scale_options_are_one_line_and_exit_2(corpus: Path, args: list[str],
                                                   message: str) -> None:
    done = subprocess.run([sys.executable, "-m", "factcheck", "claims", str(corpus), *args],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_failing_worker_is_one_line_and_leaves_the_old_outputs(
        corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "claims.csv").write_text("old\n")
    script = tmp_path / "failing.py"
    script.write_text(
        "import sys\n"
        "from factcheck.cli import app as cli\nfrom factcheck.run import pipeline\n"
        "def fails(stories):\n"
        "    raise RuntimeError('worker broke')\n"
        "pipeline.read_stories = fails\n"
        "sys.argv = ['factcheck', *sys.argv[1:]]\n"
        "cli.main()\n")
    done = subprocess.run([sys.executable, str(script), "report", str(corpus), "--out",
                           str(out)], capture_output=True, text=True, check=False)
    assert done.returncode == 70
    assert "worker broke" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["claims.csv"]
    assert (out / "claims.csv").read_text() == "old\n"


def test_an_error_in_a_worker_process_reaches_the_parent() -> None:
    from factcheck.run.engines import Processes
    engine = Processes(2, {})
    try:
        import math
        with pytest.raises(ValueError):
            list(engine.map(math.sqrt, [4.0, -1.0, 9.0]))
    finally:
        engine.close()


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                    reason="the dask extra is not installed")
def test_a_local_dask_cluster_gives_the_same_bytes(corpus: Path, rules: factcheck.RuleSet,
                                                   tmp_path: Path) -> None:
    _plain_files([str(corpus)], rules, tmp_path / "plain")
    streamed = pipeline.run([str(corpus)], rules, out=tmp_path / "dask", engine="dask", jobs=1)
    assert streamed.reports == len(RECORDS)
    _same_files(tmp_path / "plain", tmp_path / "dask")


def test_dask_without_the_extra_is_a_clear_exit_2(corpus: Path, tmp_path: Path) -> None:
    script = tmp_path / "no_dask.py"
    script.write_text("import sys\nsys.modules['distributed'] = None\n"
                      "from factcheck.cli import app as cli\n"
                      "sys.argv = ['factcheck', *sys.argv[1:]]\n"
                      "cli.main()\n")
    done = subprocess.run([sys.executable, str(script), "claims", str(corpus), "--engine",
                           "dask"], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "pip install 'factcheck[dask]'" in done.stderr


def test_progress_stays_quiet_off_a_terminal_and_shows_on_one() -> None:
    import io

    from factcheck.run.progress import run_progress

    assert not run_progress(stream=io.StringIO()).enabled

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    assert not run_progress(quiet=True, stream=terminal).enabled
    with run_progress(stream=terminal) as progress:
        assert progress.enabled
        progress.reading(10)
        progress.advance(5)
    assert "reading" in terminal.getvalue()


def test_package_exports_load_when_first_used() -> None:
    import factcheck
    from factcheck import RuleSet, extract_claims

    assert factcheck.extract_claims is extract_claims
    assert factcheck.RuleSet is RuleSet
    assert "analyse" in dir(factcheck)
    with pytest.raises(AttributeError):
        _ = factcheck.no_such_name


@pytest.mark.parametrize("html", [True, False])
def test_outputs_change_as_a_set_or_not_at_all(corpus: Path, rules: factcheck.RuleSet,
                                               tmp_path: Path, html: bool) -> None:
    """findings.csv (or report.html) cannot be replaced: claims.csv keeps its old bytes and
    mode, and no temporary file is left."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "claims.csv").write_text("old\n")
    (out / "claims.csv").chmod(0o640)
    (out / ("report.html" if html else "findings.csv")).mkdir()
    pages = (lambda claims, findings: {"report.html": "<html>"}) if html else None
    with pytest.raises(IsADirectoryError) as caught:
        pipeline.run([str(corpus)], rules, out=out, keep_tables=False, pages=pages)
    assert caught.value.filename == str(out / ("report.html" if html else "findings.csv"))
    assert (out / "claims.csv").read_text() == "old\n"
    assert (out / "claims.csv").stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["claims.csv", "report.html" if html else "findings.csv"])


def test_a_full_disk_names_the_output_not_a_temporary_file(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """ENOSPC while the CSVs stream out: one line naming an output the user asked for, exit 2,
    the old files intact."""
    import errno

    from factcheck.cli import app as cli
    from factcheck.fileio import TargetFile

    out = tmp_path / "out"
    out.mkdir()
    (out / "claims.csv").write_text("old\n")
    real_init = TargetFile.__init__

    class Full:  # the disk fills while findings.csv is written
        def __init__(self, handle: object) -> None:
            self.handle = handle

        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name: str) -> object:
            return getattr(self.handle, name)

    def init(self: TargetFile, handle: object, target: Path) -> None:
        real_init(self, Full(handle) if target.name == "findings.csv" else handle, target)

    monkeypatch.setattr(TargetFile, "__init__", init)
    monkeypatch.setattr(sys, "argv", ["factcheck", "report", str(corpus), "--out", str(out),
                                      "--no-config", "--no-html", "-q"])
    with pytest.raises(SystemExit) as done:
        cli.main()
    assert done.value.code == 2
    assert capsys.readouterr().err == (f"factcheck: error: {out / 'findings.csv'}: "
                                       "No space left on device\n")
    assert sorted(p.name for p in out.iterdir()) == ["claims.csv"]
    assert (out / "claims.csv").read_text() == "old\n"


def test_jobs_are_bounded_by_the_cores_and_the_stories(
        corpus: Path, rules: factcheck.RuleSet, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # -j 100000 starts no more workers than the run has cores and stories, and writes the
    # bytes -j 1 writes.
    started: list[int] = []
    make = pipeline.make_engine

    def spy(*args: object, **kwargs: object) -> object:
        engine = make(*args, **kwargs)  # type: ignore[arg-type]
        started.append(engine.workers)
        return engine

    monkeypatch.setattr(pipeline, "make_engine", spy)
    one = pipeline.run([str(corpus)], rules, "event", out=tmp_path / "one", jobs=1)
    many = pipeline.run([str(corpus)], rules, "event", out=tmp_path / "many", jobs=100_000)
    assert started[0] == 1 and 1 < started[1] <= min(engines.available_cores(), 4)
    pd.testing.assert_frame_equal(one.claims, many.claims)
    _same_files(tmp_path / "one", tmp_path / "many")
    assert engines.pool_size(100_000, 1) == 1 and engines.pool_size(3) <= 3


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    script = (
        "import os, sys, time\n"
        "from factcheck.run.engines import Processes\n"
        "if __name__ == '__main__':\n"
        "    pool = Processes(2, {})\n"
        "    [f.result() for f in [pool._pool.submit(os.getpid) for _ in range(8)]]\n"
        "    print(' '.join(str(p) for p in pool._pool._processes), flush=True)\n"
        "    time.sleep(60)\n")
    (tmp_path / "parent.py").write_text(script)
    parent = subprocess.Popen([sys.executable, str(tmp_path / "parent.py")],
                              stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    workers = [int(p) for p in parent.stdout.readline().split()]
    assert workers
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 20
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in workers)


def _alive(pid: int) -> bool:
    """Whether a process runs (a zombie, dead but not yet reaped by init, does not)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_claims_alone_do_no_comparison_work(corpus: Path, rules: factcheck.RuleSet,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """`claims` without --out prints no findings, so no story is compared (the same output)."""
    expected = runner.invoke(app, ["claims", str(corpus), "-f", "json"]).stdout
    compared: list[int] = []
    real = Driver.story

    def counting(self: object, members: object, compare: bool = True) -> object:
        compared.append(compare)
        return real(self, members, compare)
    monkeypatch.setattr(Driver, "story", counting)
    for args in (["-f", "json"], ["-f", "csv"], []):
        result = runner.invoke(app, ["claims", str(corpus), *args])
        assert result.exit_code == 0, result.output
    assert compared and not any(compared)
    assert runner.invoke(app, ["claims", str(corpus), "-f", "json"]).stdout == expected
    streamed = pipeline.run([str(corpus)], rules, compare=False)
    assert streamed.findings is not None and streamed.findings.empty
    assert len(streamed.claims) == len(analyse([str(corpus)], rules).claims)


def test_a_story_of_many_reports_numbers_each_claim_by_one_lookup() -> None:
    """A finding naming every claim of one story of 20,000 reports is numbered in well under a
    second: each claim's number is one lookup, not a search rebuilt per claim (that took
    seconds, quadratic in the story's reports)."""
    sink = pipeline.TableSink()
    reports = 20_000
    documents = [(index, [[None] * len(CLAIM_COLUMNS) for _ in range(index % 3)])
                 for index in range(reports)]
    claims = sum(len(rows) for _, rows in documents)
    everything = tuple(str(p) for p in range(claims))
    finding = StoryFinding("s", "FC1", "x", "info", "conflict", "killed", None, "m",
                           everything, (everything,))
    pipeline._Numbering(sink).add(pipeline.StoryResult("s", documents, [(0, 0, finding)]))
    [(_, row)] = sink.findings
    assert row["claim_ids"] == [f"c{n}" for n in range(1, claims + 1)]
    assert [row[0] for row in sink.rows] == row["claim_ids"]
