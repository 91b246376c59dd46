"""What a walk leaves out: --exclude globs, a .factcheckignore, and factcheck's own outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.errors import FactcheckError
from factcheck.io.documents import load_documents
from factcheck.io.exclude import OUTPUT_MARKER, compile_glob, mark_outputs, output_names

GOOD = "Officials said 12 people were hurt.\n"
TREE = ["a.txt", "b.md", "drafts/d.md", "sub/c.txt", "sub/drafts/e.txt", "sub/x.draft.md",
        "archive/2020/old.txt", "archive/2020/keep.txt"]


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in TREE:
        (tmp_path / "c" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "c" / name).write_text(GOOD)
    return tmp_path / "c"


def read(*exclude: str) -> set[str]:
    return {d.doc.removeprefix("c/") for d in load_documents(["c"], exclude=exclude).documents}


@pytest.mark.parametrize(("globs", "left_out"), [
    (["drafts/"], {"drafts/d.md", "sub/drafts/e.txt"}),  # a name at any depth, folders only
    (["/drafts"], {"drafts/d.md"}),  # anchored at the folder given
    (["sub/drafts"], {"sub/drafts/e.txt"}),
    (["*.draft.md"], {"sub/x.draft.md"}),
    (["*.md"], {"b.md", "drafts/d.md", "sub/x.draft.md"}),
    (["archive/**/old*"], {"archive/2020/old.txt"}),
    (["**/c.txt", "a.?xt"], {"sub/c.txt", "a.txt"}),
    (["[ab].*"], {"a.txt", "b.md"}),
    (["a.txt/"], set()),  # folders only: the file stays
])
def test_exclude_globs_are_gitignore_like(corpus: Path, globs: list[str],
                                          left_out: set[str]) -> None:
    assert read(*globs) == set(TREE) - left_out


def test_a_factcheckignore_adds_its_globs_and_comments(corpus: Path) -> None:
    (corpus / ".factcheckignore").write_text("# the desk's drafts\n\ndrafts/\n  *.draft.md  \n")
    result = load_documents(["c"], exclude=["a.txt"])
    assert {d.doc.removeprefix("c/") for d in result.documents} == set(TREE) - {
        "drafts/d.md", "sub/drafts/e.txt", "sub/x.draft.md", "a.txt"}
    assert result.problems == []


def test_a_bad_factcheckignore_line_is_a_problem_at_its_line(corpus: Path) -> None:
    (corpus / ".factcheckignore").write_text("drafts/\n!drafts/keep.md\n/\n")
    problems = load_documents(["c"]).problems
    assert [(p.path, p.line) for p in problems] == [("c/.factcheckignore", 2),
                                                    ("c/.factcheckignore", 3)]


def test_an_empty_exclude_is_a_usage_error(corpus: Path) -> None:
    with pytest.raises(FactcheckError, match="--exclude: an empty glob"):
        load_documents(["c"], exclude=[""])


def test_a_file_given_by_name_can_be_excluded(corpus: Path) -> None:
    docs = load_documents(["c/a.txt", "c/b.md"], exclude=["*.md"]).documents
    assert [d.doc for d in docs] == ["c/a.txt"]


def test_glob_stars_stay_within_a_name() -> None:
    glob = compile_glob("a/*.txt")
    assert glob.anchored and glob.pattern.match("a/x.txt")
    assert not glob.pattern.match("a/b/x.txt")


def test_the_outputs_a_run_wrote_are_never_read(corpus: Path) -> None:
    out = corpus / "out"
    out.mkdir()
    (out / "claims.csv").write_text("claim_id,text\nc1,12 people were killed\n")
    (out / "findings.csv").write_text("finding_id,text\nf1,3 people were killed\n")
    (out / "notes.csv").write_text("id,text\n1,4 people were killed\n")  # the user's own
    mark_outputs(out, ["claims.csv", "findings.csv"])
    mark_outputs(out, ["report.html", "claims.csv"])  # a second run adds what is new
    assert output_names(out) == {"claims.csv", "findings.csv", "report.html"}
    assert (out / OUTPUT_MARKER).read_text().startswith("#")
    assert read() == set(TREE) | {"out/notes.csv#1"}
