"""Tests of the documents stage: files, folders, front matter, manifests, corpora and stories."""

from __future__ import annotations

import codecs
import json
import os
import time
import tracemalloc
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from factcheck.errors import FactcheckError, Problem
from factcheck.io import encodings, inputs
from factcheck.io.documents import iter_documents, load_documents
from factcheck.io.metadata import parse_date, story_of
from factcheck.io.model import Document, LoadResult

SHARED = Path(__file__).resolve().parents[3] / "shared"


@pytest.fixture
def shared() -> Path:
    """The shared evaluation data beside the repository; skip when this checkout has none."""
    if not SHARED.is_dir():
        pytest.skip(f"no shared data at {SHARED}")
    return SHARED


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in `tmp_path`, so paths given are short relative names as a user types them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(root: Path, name: str, content: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))  # no newline translation
    return path


def load(*paths: str | Path, group_by: str | None = None) -> LoadResult:
    return load_documents(list(paths), group_by=group_by)


def one(result: LoadResult) -> Problem:
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


GOOD = "Officials said 12 people were hurt.\n"


# --- shared inputs -------------------------------------------------------------------------


def test_seeds_load_with_inline_date_and_no_invented_metadata(shared: Path) -> None:
    result = load(shared / "seeds")
    assert result.problems == []
    by_name = {Path(d.doc).name: d for d in result.documents}
    assert sorted(by_name) == ["000_ec9eebed83796c36.txt", "004_e2a0f961c55ed4a7.txt"]
    plain, dated = by_name["000_ec9eebed83796c36.txt"], by_name["004_e2a0f961c55ed4a7.txt"]
    assert (plain.outlet, plain.published, plain.body_start, plain.story) == (None, None, 0, "")
    assert dated.published == date(2024, 1, 11)
    assert dated.outlet is None
    assert dated.text.startswith(" date 2024-01-11 Iranian")  # nothing stripped
    assert dated.text[dated.body_start :].startswith("Iranian authorities")
    gold = yaml.safe_load((shared / "seeds" / "gold.yaml").read_text(encoding="utf-8"))
    for name, expected in gold["documents"].items():
        assert by_name[name].outlet == expected["source"]
        assert by_name[name].published == expected["date"]


def test_dev_corpus_matches_its_gold_metadata(shared: Path) -> None:
    dev = shared / "corpus" / "dev"
    result = load(dev)
    assert result.problems == []
    assert all(Path(d.doc).name.startswith("r") for d in result.documents)  # gold.yaml skipped
    by_file = {(Path(d.doc).parent.name, Path(d.doc).name): d for d in result.documents}
    for gold_path in sorted(dev.glob("*/gold.yaml")):
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        event = gold_path.parent.name
        for entry in gold["files"]:
            document = by_file[(event, entry["file"])]
            assert document.outlet == entry["source"]
            assert document.published == entry["date"]
            assert document.url == entry["origin"]
            assert document.event == document.story == event
            assert document.text.startswith("---\n")
            assert document.text[document.body_start :].lstrip()[:1] not in ("", "-")
    assert len(by_file) == sum(1 for _ in dev.glob("*/r*.md"))


def test_dev_corpus_group_by_folder(shared: Path) -> None:
    dev = shared / "corpus" / "dev"
    stories = {d.story for d in load(dev, group_by="folder").documents}
    assert stories == {p.name for p in dev.iterdir() if p.is_dir()}


def test_gva_jsonl_loads_fast_and_streams(shared: Path) -> None:
    corpus = shared / "corpus" / "gva" / "articles.jsonl"
    if not corpus.is_file():
        pytest.skip("no GVA corpus")
    start = time.perf_counter()
    result = load(corpus, group_by="incident_id")
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0
    assert result.problems == []
    assert len(result.documents) == 2645
    assert len({d.doc for d in result.documents}) == 2645  # shared articles stay distinct
    first = result.documents[0]
    assert first.doc.startswith(f"{corpus.as_posix()}#")
    assert first.record == 1
    assert first.story == first.metadata["incident_id"]
    assert first.published is not None and first.title and first.url
    record = json.loads(corpus.open(encoding="utf-8").readline())
    # The record's title is read as its headline, then its text as stored.
    assert first.text == f"# {record['title']}\n\n{record['text']}"


# --- paths, folders and file types -----------------------------------------------------------


def test_missing_path_is_a_usage_error(here: Path) -> None:
    write(here, "a.txt", GOOD)
    with pytest.raises(FactcheckError) as caught:
        load("a.txt", "nope")
    assert caught.value.message == "no such file or folder"
    assert caught.value.path == "nope"
    assert str(caught.value) == "nope: no such file or folder"
    with pytest.raises(FactcheckError):
        iter_documents(["nope"])  # raised at once, before anything is read


def test_no_reports_is_a_usage_error(here: Path) -> None:
    write(here, "empty/notes.yaml", "a: 1\n")
    with pytest.raises(FactcheckError, match="no reports found in empty"):
        load("empty")
    write(here, "blank/a.txt", "  \n")
    with pytest.raises(FactcheckError, match=r"no reports found in blank; skipped blank/a.txt"):
        load("blank")


def test_a_single_path_string_is_accepted(here: Path) -> None:
    write(here, "a.txt", GOOD)
    assert [d.doc for d in load_documents("a.txt").documents] == ["a.txt"]  # type: ignore[arg-type]


def test_folder_is_read_recursively_in_sorted_order(here: Path) -> None:
    for name in ["b.md", "a/z.txt", "a/b/c.markdown", "a.txt", "c.MD", "A.txt"]:
        write(here, f"in/{name}", GOOD)
    for name in [".hidden.txt", ".git/x.txt", "gold.yaml", "photo.jpg", "README", "a/notes.pdf"]:
        write(here, f"in/{name}", GOOD)
    result = load("in")
    assert result.problems == []
    assert [d.doc for d in result.documents] == [
        "in/A.txt",
        "in/a/b/c.markdown",
        "in/a/z.txt",
        "in/a.txt",
        "in/b.md",
        "in/c.MD",
    ]
    assert all(d.path == d.doc and d.record is None for d in result.documents)


def test_paths_keep_their_order_and_names(here: Path) -> None:
    write(here, "x/b.txt", GOOD)
    write(here, "a.txt", GOOD)
    names = [d.doc for d in load("x", "./a.txt", str(here / "a.txt")).documents]
    assert names == ["x/b.txt", "a.txt", f"{here.as_posix()}/a.txt"]


def test_explicit_unsupported_file_is_a_problem(here: Path) -> None:
    write(here, "a.txt", GOOD)
    write(here, "notes.pdf", GOOD)
    result = load("notes.pdf", "a.txt")
    assert [d.doc for d in result.documents] == ["a.txt"]
    problem = one(result)
    assert (problem.path, problem.line) == ("notes.pdf", None)
    assert problem.message.startswith("unsupported file type .pdf")


def test_explicit_hidden_file_is_read(here: Path) -> None:
    write(here, ".draft.md", GOOD)
    assert [d.doc for d in load(".draft.md").documents] == [".draft.md"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_loop_does_not_hang(here: Path) -> None:
    write(here, "in/a.txt", GOOD)
    write(here, "in/sub/b.txt", GOOD)
    (here / "in/sub/loop").symlink_to(here / "in", target_is_directory=True)
    (here / "in/sub/self").symlink_to(here / "in/sub", target_is_directory=True)
    result = load("in")
    assert [d.doc for d in result.documents] == ["in/a.txt", "in/sub/b.txt"]
    assert [str(p) for p in result.problems] == [
        "in/sub/loop: symlink loop back to in; not followed",
        "in/sub/self: symlink loop back to in/sub; not followed",
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_folder_reached_by_two_links_is_read_once_quietly(here: Path) -> None:
    write(here, "archive/a.txt", GOOD)
    (here / "in").mkdir()
    (here / "in/one").symlink_to(here / "archive", target_is_directory=True)
    (here / "in/two").symlink_to(here / "archive", target_is_directory=True)
    result = load("in")
    assert [d.doc for d in result.documents] == ["in/one/a.txt"]
    assert result.problems == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_file_symlink_loop_is_a_problem(here: Path) -> None:
    write(here, "in/a.txt", GOOD)
    (here / "in/x.txt").symlink_to(here / "in/y.txt")
    (here / "in/y.txt").symlink_to(here / "in/x.txt")
    result = load("in")
    assert [d.doc for d in result.documents] == ["in/a.txt"]
    assert [str(p) for p in result.problems] == [
        "in/x.txt: cannot read: Too many levels of symbolic links",
        "in/y.txt: cannot read: Too many levels of symbolic links",
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_broken_link_in_folder_is_a_problem(here: Path) -> None:
    write(here, "in/a.txt", GOOD)
    (here / "in/gone.txt").symlink_to(here / "nowhere.txt")
    result = load("in")
    assert [d.doc for d in result.documents] == ["in/a.txt"]
    problem = one(result)
    assert problem.path == "in/gone.txt"
    assert problem.message.startswith("cannot read:")


def test_unreadable_file_is_a_problem(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(here, "in/a.txt", GOOD)
    write(here, "in/b.txt", GOOD)
    real = inputs.read_bytes

    def refuse(path: Path) -> bytes:
        if path.name == "a.txt":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(inputs, "read_bytes", refuse)
    result = load("in")
    assert [d.doc for d in result.documents] == ["in/b.txt"]
    assert str(one(result)) == "in/a.txt: cannot read: Permission denied"


# --- decoding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"Ein Bericht: 12 Verletzte.\r\n",
        codecs.BOM_UTF8 + b"Ein Bericht: 12 Verletzte.\r\n",
        codecs.BOM_UTF16_LE + "Ein Bericht: 12 Verletzte.\r\n".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "Ein Bericht: 12 Verletzte.\r\n".encode("utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le", "utf16-be"],
)
def test_decoding_drops_only_the_bom(here: Path, data: bytes) -> None:
    write(here, "a.txt", data)
    (document,) = load("a.txt").documents
    assert document.text == "Ein Bericht: 12 Verletzte.\r\n"  # CRLF kept


def test_bom_before_front_matter(here: Path) -> None:
    write(here, "a.md", codecs.BOM_UTF8 + b"---\nsource: X\n---\nBody\n")
    (document,) = load("a.md").documents
    assert document.outlet == "X"
    assert document.text[document.body_start :] == "Body\n"


# Windows-1252 text: curly quotes, a dash and accents, as Word and old wire systems save it.
CP1252 = "Le préfet a dit : « 12 blessés » — São Paulo, Zürich, “quoted”.\r\n"


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (CP1252.encode("cp1252"), CP1252),
        ("Café owners in Montréal said 3 were hurt.\n".encode("latin-1"),
         "Café owners in Montréal said 3 were hurt.\n"),
        (b"ok\nstill ok\n\xff bad\n", "ok\nstill ok\nÿ bad\n"),
        (codecs.BOM_UTF32_LE + CP1252.encode("utf-32-le"), CP1252),
    ],
    ids=["cp1252", "latin1", "one-high-byte", "utf32-bom"],
)
def test_legacy_western_text_is_read_as_windows_1252(here: Path, data: bytes, text: str) -> None:
    write(here, "a.txt", data)
    result = load("a.txt")
    assert result.problems == []
    assert [d.text for d in result.documents] == [text]


def test_latin1_label_is_read_as_windows_1252() -> None:
    # Latin-1's bytes 0x80-0x9f are control codes no text uses; Windows-1252 puts quotes there.
    assert encodings.decode(b"\x93 12 \x94 \xe9t\xe9") == "“ 12 ” été"


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        ("Zürich\n".encode() + b"ok\n\xe9t\xe9\n", 3,
         "not UTF-8 text (invalid byte 0xe9) though other parts are: mixed or damaged encodings"),
        (codecs.BOM_UTF8 + b"\xe9t\xe9\n", 1,
         "not UTF-8 text (invalid byte 0xe9) though it starts with a UTF-8 byte-order mark"),
        ("12 hurt\n".encode("utf-16-le"), 1,
         "not text: NUL byte (binary data, or UTF-16 without a byte-order mark)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 2, "not text: control byte 0x1a (binary data)"),
        (b"line one\nbad \x81 byte \xe9\n", 2,
         "not UTF-8 or Windows-1252 text (invalid byte 0x81)"),
        ("Полиция сообщила, что 12 человек погибли в результате взрыва.\n".encode("cp1251"), 1,
         "not UTF-8 text (invalid byte 0xcf), and read as Windows-1252 it is mostly accented"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8", 1,
         "not UTF-16 text (invalid byte 0x00) though it starts with a UTF-16 byte-order mark"),
    ],
    ids=["mixed", "bom-then-latin1", "utf16-without-bom", "binary", "undefined-in-cp1252",
         "cp1251", "utf16-lone-surrogate"],
)
def test_undecodable_file_is_a_problem(here: Path, data: bytes, line: int, message: str) -> None:
    write(here, "in/a.txt", data)
    write(here, "in/b.txt", GOOD)
    result = load("in")
    assert [d.doc for d in result.documents] == ["in/b.txt"]
    problem = one(result)
    assert (problem.path, problem.line) == ("in/a.txt", line)
    assert problem.message.startswith(message)


def test_a_file_over_the_size_limit_is_skipped_unread(here: Path) -> None:
    with open(here / "huge.txt", "wb") as handle:  # sparse: 200 MB that take no disk
        handle.truncate(200 * 1024 * 1024)
    write(here, "b.txt", GOOD)
    started = time.perf_counter()
    result = load("huge.txt", "b.txt")
    assert time.perf_counter() - started < 1
    assert [d.doc for d in result.documents] == ["b.txt"]
    assert str(one(result)) == (
        "huge.txt: too large: 200.0 MB, over the 10.0 MB limit for one report "
        "(split it, or make it a JSONL corpus)"
    )


def test_a_file_that_grows_past_the_limit_while_read_is_skipped(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inputs, "MAX_INPUT_BYTES", 40)
    write(here, "a.txt", "twelve people hurt\n" * 3)
    write(here, "b.txt", GOOD)
    # A file whose size says nothing (as in /proc), or that grows after it was measured.
    monkeypatch.setattr(inputs.os, "fstat", lambda fd: os.stat_result((0o100644,) + (0,) * 9))
    result = load("a.txt", "b.txt")
    assert [d.doc for d in result.documents] == ["b.txt"]
    assert one(result).message.startswith("too large: ")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_a_fifo_or_device_named_like_a_report_is_skipped(here: Path) -> None:
    os.mkfifo(here / "pipe.txt")  # opening it to read would wait for a writer forever
    (here / "zero.txt").symlink_to("/dev/zero")  # reading it would never end
    write(here, "b.txt", GOOD)
    result = load("pipe.txt", "zero.txt", "b.txt")
    assert [d.doc for d in result.documents] == ["b.txt"]
    assert [str(p) for p in result.problems] == [
        "pipe.txt: not a regular file (a device, pipe or socket)",
        "zero.txt: not a regular file (a device, pipe or socket)",
    ]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="permissions do not stop root")
def test_unreadable_file_and_folder_for_real(here: Path) -> None:
    write(here, "in/a.txt", GOOD)
    write(here, "in/locked.txt", GOOD)
    write(here, "in/sealed/c.txt", GOOD)
    (here / "in/locked.txt").chmod(0)
    (here / "in/sealed").chmod(0)
    try:
        result = load("in")
    finally:
        (here / "in/locked.txt").chmod(0o644)
        (here / "in/sealed").chmod(0o755)
    assert [d.doc for d in result.documents] == ["in/a.txt"]
    assert [str(p) for p in result.problems] == [
        "in/locked.txt: cannot read: Permission denied",
        "in/sealed: cannot read folder: Permission denied",
    ]


@pytest.mark.skipif(os.name != "posix", reason="file names are bytes on POSIX only")
def test_a_file_name_that_is_not_utf8_is_shown_as_text(here: Path) -> None:
    (here / "in").mkdir()
    try:
        (here / os.fsdecode(b"in/caf\xe9.txt")).write_text(GOOD)
    except OSError:
        pytest.skip("this file system takes only UTF-8 names")
    (document,) = load("in").documents
    assert document.doc == "in/caf\ufffd.txt"
    document.doc.encode("utf-8")  # printable and writable to CSV


@pytest.mark.parametrize(
    "content",
    ["", " \n\t\n", "---\nsource: X\ndate: 2024-01-11\n---\n", "---\nsource: X\n---\n\n  \n"],
    ids=["empty", "blank", "front-matter-only", "front-matter-and-blank-lines"],
)
def test_empty_report_is_a_problem(here: Path, content: str) -> None:
    write(here, "in/a.md", content)
    write(here, "in/b.md", GOOD)
    result = load("in")
    assert [d.doc for d in result.documents] == ["in/b.md"]
    assert str(one(result)) == "in/a.md: empty report"


# --- front matter ----------------------------------------------------------------------------


def test_front_matter_fields_and_metadata(here: Path) -> None:
    text = (
        "---\n"
        "source: Reuters\n"
        "date: 2024-01-11\n"
        "title: Blasts in Kerman\n"
        "origin: https://example.org/a\n"
        "event: kerman-2024\n"
        "author: A. Writer\n"
        "tags: [iran, blast]\n"
        "---\n"
        "# Headline\n\nBody 84 dead.\n"
    )
    write(here, "a.md", text)
    result = load("a.md")
    assert result.problems == []
    (document,) = result.documents
    assert document == Document(
        doc="a.md",
        text=text,
        body_start=text.index("# Headline"),
        outlet="Reuters",
        published=date(2024, 1, 11),
        title="Blasts in Kerman",
        url="https://example.org/a",
        event="kerman-2024",
        story="kerman-2024",
        path="a.md",
        metadata={"author": "A. Writer", "tags": ["iran", "blast"]},
    )


def test_front_matter_url_wins_over_origin_and_dots_close(here: Path) -> None:
    write(
        here, "a.md", "---\r\norigin: https://o\r\nurl: https://u\r\nsource: 7\r\n...\r\nBody\r\n"
    )
    (document,) = load("a.md").documents
    assert document.url == "https://u"
    assert document.outlet == "7"
    assert document.metadata == {"origin": "https://o"}
    assert document.text[document.body_start :] == "Body\r\n"


def test_empty_front_matter_and_null_values_state_nothing(here: Path) -> None:
    write(here, "a.md", "---\n---\nBody\n")
    write(here, "b.md", "---\nsource:\ndate:\nevent:\n---\nBody\n")
    result = load("a.md", "b.md")
    assert result.problems == []
    for document in result.documents:
        assert (document.outlet, document.published, document.event) == (None, None, None)
        assert document.story == ""


def test_horizontal_rule_later_is_not_front_matter(here: Path) -> None:
    write(here, "a.md", "Title\n---\nsource: X\n---\nBody\n")
    (document,) = load("a.md").documents
    assert (document.outlet, document.body_start) == (None, 0)


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("---\nsource: X\ndate: [2024\n---\nBody\n", 4, "invalid YAML"),
        ("---\nsource: X\nsource: Y\n---\nBody\n", 3, "invalid YAML: duplicate key 'source'"),
        ("---\n- a\n- b\n---\nBody\n", 2, "front matter is not a mapping"),
        ("---\nsource: X\n\nBody without a closing fence\n", 1, "front matter has no closing"),
    ],
    ids=["syntax", "duplicate-key", "not-a-mapping", "no-closing-fence"],
)
def test_malformed_front_matter_skips_the_report(
    here: Path, content: str, line: int, message: str
) -> None:
    write(here, "in/a.md", content)
    write(here, "in/b.md", GOOD)
    result = load("in")
    assert [d.doc for d in result.documents] == ["in/b.md"]
    problem = one(result)
    assert (problem.path, problem.line) == ("in/a.md", line)
    assert problem.message.startswith(message)


def test_non_text_known_key_is_dropped_with_a_problem(here: Path) -> None:
    write(here, "a.md", "---\nsource: X\nevent:\n  id: beirut\n---\nBody\n")
    result = load("a.md")
    (document,) = result.documents
    assert document.event is None
    assert document.metadata == {"event": {"id": "beirut"}}
    problem = one(result)
    assert (problem.path, problem.line) == ("a.md", 3)
    assert problem.message.startswith("'event' should be text, not a mapping")


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-11", date(2024, 1, 11)),
        ("20240111", date(2024, 1, 11)),
        ("2024-01-11T10:00:00Z", date(2024, 1, 11)),
        ("2024-01-11T23:30:00-05:00", date(2024, 1, 11)),  # the date as written, not UTC
        ("January 11, 2024", date(2024, 1, 11)),
        ("11 Jan 2024", date(2024, 1, 11)),
        ("Thursday, January 11, 2024 10:00 AM EST", date(2024, 1, 11)),
        ("2024/01/11", date(2024, 1, 11)),
        ("01/13/2024", date(2024, 1, 13)),  # only one reading is a date
        (date(2024, 1, 11), date(2024, 1, 11)),
        (datetime(2024, 1, 11, 10), date(2024, 1, 11)),
    ],
)
def test_parse_date_accepts(value: object, expected: date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    ["xyz", "", "01/02/2024", "Jan 2024", "January 11", "10:00", "12", "2024-13-45", 2024, None],
    ids=repr,
)
def test_parse_date_refuses_to_guess(value: object) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2024-01-11", date(2024, 1, 11)), ("'January 11, 2024'", date(2024, 1, 11))],
)
def test_front_matter_dates(here: Path, value: str, expected: date) -> None:
    write(here, "a.md", f"---\ndate: {value}\n---\nBody\n")
    assert load("a.md").documents[0].published == expected


@pytest.mark.parametrize(
    ("value", "shown"), [("xyz", "xyz"), ("2024-13-45", "2024-13-45"), ("01/02/2024", "01/02/2024")]
)
def test_bad_date_is_a_problem_and_the_report_is_kept(here: Path, value: str, shown: str) -> None:
    write(here, "a.md", f"---\nsource: X\ndate: {value}\n---\nBody\n")
    result = load("a.md")
    (document,) = result.documents
    assert (document.outlet, document.published) == ("X", None)
    assert str(one(result)) == f"a.md:3: date '{shown}' is not a date"


# --- inline date -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "body"),
    [
        (" date 2024-01-11 Iranian authorities said", "Iranian authorities said"),
        ("Date: 2024-01-11\n\nBody text", "Body text"),
        ("\n\nDATE 2024-01-11\tBody", "Body"),
    ],
)
def test_inline_date_prefix(here: Path, content: str, body: str) -> None:
    write(here, "a.txt", content)
    (document,) = load("a.txt").documents
    assert document.published == date(2024, 1, 11)
    assert document.text == content
    assert document.text[document.body_start :] == body


@pytest.mark.parametrize(
    "content",
    ["Officials: date 2024-01-11 was chosen", "dated 2024-01-11 body", "date 2024-01-11T10:00 x"],
)
def test_inline_date_only_at_the_very_start(here: Path, content: str) -> None:
    write(here, "a.txt", content)
    (document,) = load("a.txt").documents
    assert (document.published, document.body_start) == (None, 0)


def test_inline_date_after_front_matter_and_front_matter_wins(here: Path) -> None:
    write(here, "a.md", "---\nsource: X\n---\ndate 2024-01-10 Body\n")
    write(here, "b.md", "---\ndate: 2024-01-12\n---\ndate 2024-01-10 Body\n")
    first, second = load("a.md", "b.md").documents
    assert first.published == date(2024, 1, 10)
    assert second.published == date(2024, 1, 12)
    assert first.text[first.body_start :] == second.text[second.body_start :] == "Body\n"


def test_impossible_inline_date_is_a_problem(here: Path) -> None:
    write(here, "a.txt", "\ndate 2024-02-30 Body\n")
    result = load("a.txt")
    (document,) = result.documents
    assert document.published is None
    assert document.text[document.body_start :] == "Body\n"
    assert str(one(result)) == "a.txt:2: date '2024-02-30' is not a date"


# --- manifests -------------------------------------------------------------------------------


def test_csv_manifest(here: Path) -> None:
    write(here, "in/a.txt", GOOD)
    write(here, "in/b.md", "---\nsource: Own Outlet\n---\nBody\n")
    write(here, "in/sub/c.txt", GOOD)
    write(here, "in/d.txt", GOOD)
    write(
        here,
        "in/sources.csv",
        "file,source,date,title,url,event,desk\n"
        "a.txt,AP,2024-01-11,A title,https://a,kerman,world\n"
        "b.md,Manifest Outlet,2024-01-12,,,,\n"
        "sub/c.txt,AFP,,,,,\n"
        "missing.txt,X,,,,,\n",
    )
    result = load("in")
    docs = {d.doc: d for d in result.documents}
    assert list(docs) == ["in/a.txt", "in/b.md", "in/d.txt", "in/sub/c.txt"]  # manifest skipped
    a = docs["in/a.txt"]
    assert (a.outlet, a.published, a.title, a.url, a.event) == (
        "AP",
        date(2024, 1, 11),
        "A title",
        "https://a",
        "kerman",
    )
    assert a.metadata == {"desk": "world"}
    assert (docs["in/b.md"].outlet, docs["in/b.md"].published) == ("Own Outlet", date(2024, 1, 12))
    assert docs["in/sub/c.txt"].outlet == "AFP"
    assert docs["in/d.txt"].outlet is None
    assert str(one(result)) == "in/sources.csv:5: file 'missing.txt' does not exist"


def test_manifest_applies_to_a_file_given_explicitly(here: Path) -> None:
    write(here, "in/a.txt", GOOD)
    write(here, "in/sources.csv", "file,source\na.txt,AP\n")
    assert load("in/a.txt").documents[0].outlet == "AP"


def test_manifest_given_explicitly_is_not_a_report(here: Path) -> None:
    write(here, "in/a.txt", GOOD)
    write(here, "in/sources.csv", "file,source,text\na.txt,AP,not a report\n")
    result = load("in/sources.csv", "in/a.txt")
    assert [d.doc for d in result.documents] == ["in/a.txt"]
    assert one(result).message.startswith("is a manifest, not a report")


@pytest.mark.parametrize(
    "manifest",
    [
        "a.txt:\n  source: AP\n  date: 2024-01-11\nb.txt: {source: AFP, date: nope}\n",
        "- file: a.txt\n  source: AP\n  date: 2024-01-11\n"
        "- {file: b.txt, source: AFP, date: nope}\n",
    ],
    ids=["mapping", "list"],
)
def test_yaml_manifest(here: Path, manifest: str) -> None:
    write(here, "in/a.txt", GOOD)
    write(here, "in/b.txt", GOOD)
    write(here, "in/sources.yaml", manifest)
    result = load("in")
    a, b = result.documents
    assert (a.outlet, a.published) == ("AP", date(2024, 1, 11))
    assert (b.outlet, b.published) == ("AFP", None)
    assert str(one(result)) == "in/sources.yaml:4: date 'nope' is not a date"


@pytest.mark.parametrize(
    ("manifest", "line", "message"),
    [
        ("a.txt: [oops\n", 2, "invalid YAML"),
        ("just text\n", 1, "a manifest should be"),
        ("a.txt: AP\n", 1, "entry 'a.txt' should map keys to values"),
        ("- source: AP\n", 1, "entry has no 'file'"),
    ],
)
def test_malformed_yaml_manifest_is_a_problem(
    here: Path, manifest: str, line: int, message: str
) -> None:
    write(here, "in/a.txt", GOOD)
    write(here, "in/sources.yaml", manifest)
    result = load("in")
    assert [(d.doc, d.outlet) for d in result.documents] == [("in/a.txt", None)]
    problem = one(result)
    assert (problem.path, problem.line) == ("in/sources.yaml", line)
    assert problem.message.startswith(message)


def test_csv_manifest_without_file_column_is_a_problem(here: Path) -> None:
    write(here, "in/a.txt", GOOD)
    write(here, "in/sources.csv", "name,source\na.txt,AP\n")
    result = load("in")
    assert len(result.documents) == 1
    assert str(one(result)) == "in/sources.csv:1: no 'file' column (columns: name, source)"


# --- JSONL corpora ---------------------------------------------------------------------------


def test_jsonl_corpus(here: Path) -> None:
    lines = [
        {"id": "x1", "text": "First 3 dead.", "source": "AP", "date": "2024-01-11", "lang": "en"},
        {"doc_id": 42, "text": "Second.", "outlet": "AFP", "event": "kerman", "url": "https://u"},
        {"text": "Third.", "title": "T", "date": "January 12, 2024"},
    ]
    body = "\n".join(json.dumps(line) for line in lines[:2]) + "\n\n" + json.dumps(lines[2]) + "\n"
    write(here, "c.ndjson", body)
    result = load("c.ndjson")
    assert result.problems == []
    first, second, third = result.documents
    assert [d.doc for d in result.documents] == ["c.ndjson#x1", "c.ndjson#42", "c.ndjson#4"]
    assert [d.record for d in result.documents] == [1, 2, 4]
    assert (first.text, first.outlet, first.published) == ("First 3 dead.", "AP", date(2024, 1, 11))
    assert first.metadata == {"lang": "en"}
    assert (second.outlet, second.event, second.url, second.story) == (
        "AFP",
        "kerman",
        "https://u",
        "kerman",
    )
    assert (third.title, third.published, third.outlet) == ("T", date(2024, 1, 12), None)
    assert all(d.path == "c.ndjson" and d.body_start == 0 for d in result.documents)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not JSON (Expecting property name enclosed in double quotes)"),
        ('["a list"]', "not a JSON object"),
        ('{"title": "no text"}', "record has no 'text'"),
        ('{"text": 12}', "record has a 'text' that is not a string"),
        ('{"text": "  "}', "empty report"),
        (b'{"text": "caf\xe9"}', "not UTF-8 text (invalid byte 0xe9)"),
        (b'{"text": "x' + b"y" * 64 + b'"}', "line is over the 0.0 MB limit for one record"),
    ],
    ids=["not-json", "not-object", "no-text", "text-not-string", "empty-text", "latin1",
         "too-long"],
)
def test_bad_jsonl_line_is_a_problem_and_the_rest_goes_on(
    here: Path, line: str | bytes, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inputs, "MAX_INPUT_BYTES", 48)
    raw = line if isinstance(line, bytes) else line.encode()
    # "ü" makes the file UTF-8 elsewhere, so a Latin-1 byte is a damaged line, not the encoding.
    write(here, "c.jsonl", '{"text": "ü"}\n'.encode() + raw + b'\n{"text": "three"}\n')
    result = load("c.jsonl")
    assert [d.doc for d in result.documents] == ["c.jsonl#1", "c.jsonl#3"]
    assert str(one(result)) == f"c.jsonl:2: {message}"


def test_jsonl_in_windows_1252_is_read_as_such(here: Path) -> None:
    write(here, "c.jsonl", '{"text": "“12” at the café"}\n{"text": "two"}\n'.encode("cp1252"))
    result = load("c.jsonl")
    assert [d.text for d in result.documents] == ["“12” at the café", "two"]
    assert result.problems == []


def test_binary_corpus_is_one_problem_not_one_per_line(here: Path) -> None:
    with open(here / "c.jsonl", "wb") as handle:  # sparse: 200 MB of NUL bytes
        handle.truncate(200 * 1024 * 1024)
    started = time.perf_counter()
    result = load_documents(["c.jsonl", write(here, "b.txt", GOOD)])
    assert time.perf_counter() - started < 1
    assert [str(p) for p in result.problems] == [
        "c.jsonl:1: not text: NUL byte (binary data, or UTF-16 without a byte-order mark)"
    ]


def test_a_line_over_the_limit_costs_its_record_only_and_is_never_held(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inputs, "MAX_INPUT_BYTES", 1024 * 1024)
    with open(here / "c.jsonl", "wb") as handle:
        handle.write(b'{"text": "one"}\n{"text": "' + b"x" * (20 * 1024 * 1024))
        handle.write(b'"}\n{"text": "three"}\n')
    tracemalloc.start()
    try:
        result = load("c.jsonl")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [d.text for d in result.documents] == ["one", "three"]
    assert str(one(result)) == "c.jsonl:2: line is over the 1.0 MB limit for one record"
    assert peak < 8 * 1024 * 1024  # the 20 MB line was read a chunk at a time and dropped


def test_lone_surrogates_in_json_and_yaml_become_replacement_characters(here: Path) -> None:
    # A scraper that cut an emoji in half leaves "\ud83d", which no UTF-8 file can hold.
    write(here, "c.jsonl", '{"id": "a\\udc00", "source": "X\\ud83d", "text": "12 hurt \\ud83d"}\n')
    write(here, "a.md", '---\nsource: "Wire \\ud800"\n---\n12 hurt\n')
    first, second = load("c.jsonl", "a.md").documents
    assert (first.doc, first.outlet, first.text) == ("c.jsonl#a\ufffd", "X\ufffd", "12 hurt \ufffd")
    assert second.outlet == "Wire \ufffd"


def test_jsonl_duplicate_ids_stay_distinct(here: Path) -> None:
    write(here, "c.jsonl", '{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n')
    assert [d.doc for d in load("c.jsonl").documents] == ["c.jsonl#a", "c.jsonl#a@2"]


def test_jsonl_with_bom_and_crlf(here: Path) -> None:
    write(here, "c.jsonl", codecs.BOM_UTF8 + b'{"text": "a"}\r\n{"text": "b"}\r\n')
    assert [d.text for d in load("c.jsonl").documents] == ["a", "b"]


def test_iter_documents_streams(here: Path) -> None:
    write(here, "c.jsonl", '{"text": "one"}\n{"text": "two"}\nbroken\n')
    problems: list[Problem] = []
    stream = iter_documents(["c.jsonl"], problems=problems)
    assert next(stream).text == "one"
    assert problems == []  # the broken line has not been read yet
    assert [d.text for d in stream] == ["two"]
    assert [p.line for p in problems] == [3]


def test_manifest_gives_defaults_to_corpus_records(here: Path) -> None:
    write(here, "in/c.jsonl", '{"text": "a"}\n{"text": "b", "source": "Own"}\n')
    write(here, "in/sources.csv", "file,source\nc.jsonl,Wire\n")
    assert [d.outlet for d in load("in").documents] == ["Wire", "Own"]


# --- CSV corpora -----------------------------------------------------------------------------


def test_csv_corpus(here: Path) -> None:
    long_text = "word " * 60_000  # beyond the csv module's default field limit
    write(
        here,
        "c.csv",
        "id,Text,source,date,incident\n"
        'a1,"Two lines,\nwith a comma",AP,2024-01-11,7\n'
        "\n"
        f",{long_text},,,\n"
        "a3,Short,,bad date,8\n",
    )
    result = load("c.csv", group_by="incident")
    first, second, _ = result.documents
    assert [d.doc for d in result.documents] == ["c.csv#a1", "c.csv#5", "c.csv#a3"]
    assert [d.record for d in result.documents] == [2, 5, 6]
    assert first.text == "Two lines,\nwith a comma"
    assert (first.outlet, first.published, first.metadata) == (
        "AP",
        date(2024, 1, 11),
        {"incident": "7"},
    )
    assert [d.story for d in result.documents] == ["7", "", "8"]
    assert second.text == long_text and second.outlet is None
    assert str(one(result)) == "c.csv:6: date 'bad date' is not a date"


def test_csv_without_text_column_is_a_problem(here: Path) -> None:
    write(here, "in/a.txt", GOOD)
    write(here, "in/incidents.csv", "incident_id,killed\n1,2\n")
    result = load("in")
    assert [d.doc for d in result.documents] == ["in/a.txt"]
    assert str(one(result)) == (
        "in/incidents.csv:1: no 'text' column (columns: incident_id, killed)"
    )


@pytest.mark.parametrize("char", ["\x91", "\x1b", "\x7f", "\ufffe"])
@pytest.mark.parametrize("quoted", [True, False])
def test_a_control_character_in_front_matter_names_the_field_and_reads_the_body(
        here: Path, char: str, quoted: bool) -> None:
    title = f'"Bad {char} title"' if quoted else f"Bad {char} title"
    write(here, "in/a.md", f"---\nsource: Wire\ntitle: {title}\ndate: 2024-01-05\n---\n"
                           "Police said 12 people were killed.\n")
    result = load("in")
    [document] = result.documents
    assert document.outlet == "Wire" and document.published == date(2024, 1, 5)
    assert document.title == "Bad   title"
    assert document.text.endswith("Police said 12 people were killed.\n")
    assert str(one(result)) == (f"in/a.md:3: front matter field 'title' holds control character "
                                f"U+{ord(char):04X}, read as a space")


@pytest.mark.parametrize("header", ["id,text,text", "id,text,Text ", "id,source,text,source"])
def test_csv_with_a_column_named_twice_is_a_problem(here: Path, header: str) -> None:
    write(here, "in/a.txt", GOOD)
    fields = header.count(",") + 1
    write(here, "in/c.csv", f"{header}\n" + ",".join(["x"] * fields) + "\n")
    result = load("in")
    assert [d.doc for d in result.documents] == ["in/a.txt"]
    problem = one(result)
    assert str(problem).startswith("in/c.csv:1: the header names column ")
    assert "twice" in str(problem)


def test_csv_row_with_wrong_field_count_is_a_problem(here: Path) -> None:
    write(here, "c.csv", "id,text\n1,one\n2,two,extra\n3,three\n")
    result = load("c.csv")
    assert [d.doc for d in result.documents] == ["c.csv#1", "c.csv#3"]
    assert str(one(result)) == "c.csv:3: row has 3 fields, the header has 2"


def test_csv_in_windows_1252_as_excel_saves_it(here: Path) -> None:
    write(here, "c.csv", "text,source\r\n“Été” : 12 blessés,Le Monde\r\n".encode("cp1252"))
    (document,) = load("c.csv").documents
    assert (document.text, document.outlet) == ("“Été” : 12 blessés", "Le Monde")


def test_csv_with_old_mac_line_ends(here: Path) -> None:
    write(here, "c.csv", "text,source\rone,A\rtwo,B\r")
    assert [d.text for d in load("c.csv").documents] == ["one", "two"]


def test_csv_quote_never_closed_stops_at_the_field_limit(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inputs, "MAX_INPUT_BYTES", 64)
    write(here, "c.csv", 'id,text\n1,one\n2,"never closed\n' + "more text\n" * 20)
    result = load("c.csv")
    assert [d.doc for d in result.documents] == ["c.csv#1"]
    assert str(one(result)).startswith("c.csv:3: a field is over the 0.0 MB limit for one record")


def test_csv_damaged_line_is_a_problem_and_the_rest_goes_on(here: Path) -> None:
    write(here, "c.csv", "id,text\n1,Zürich\n".encode() + b"2,caf\xe9\n3,three\n")
    result = load("c.csv")
    assert [d.doc for d in result.documents] == ["c.csv#1", "c.csv#3"]
    assert str(one(result)) == "c.csv:3: not UTF-8 text (invalid byte 0xe9)"


def test_csv_utf16_with_bom(here: Path) -> None:
    write(here, "c.csv", codecs.BOM_UTF16_LE + "text,source\nÉté,Le Monde\n".encode("utf-16-le"))
    (document,) = load("c.csv").documents
    assert (document.text, document.outlet) == ("Été", "Le Monde")


# --- stories ---------------------------------------------------------------------------------


def test_default_story_is_one_per_run_unless_an_event_names_it(here: Path) -> None:
    write(here, "in/a.txt", GOOD)
    write(here, "in/sub/b.md", "---\nevent: kerman\n---\nBody\n")
    assert [d.story for d in load("in").documents] == ["", "kerman"]


def test_group_by_folder(here: Path) -> None:
    write(here, "in/top.txt", GOOD)
    write(here, "in/beirut/r1.md", "---\nevent: other\n---\nBody\n")
    write(here, "in/kabul/deep/r2.txt", GOOD)
    write(here, "in/kabul/c.jsonl", '{"text": "x"}\n')
    write(here, "lone/x.txt", GOOD)
    result = load("in", "lone/x.txt", group_by="folder")
    assert [(d.doc, d.story) for d in result.documents] == [
        ("in/beirut/r1.md", "beirut"),
        ("in/kabul/c.jsonl#1", "in/kabul/c.jsonl"),
        ("in/kabul/deep/r2.txt", "kabul/deep"),
        ("in/top.txt", "in"),
        ("lone/x.txt", "lone"),
    ]


def test_group_by_field(here: Path) -> None:
    write(here, "a.md", "---\nsource: AP\ndesk: world\ndate: 2024-01-11\n---\nBody\n")
    write(here, "b.txt", GOOD)
    assert [d.story for d in load("a.md", "b.txt", group_by="desk").documents] == ["world", ""]
    assert [d.story for d in load("a.md", "b.txt", group_by="source").documents] == ["AP", ""]
    assert [d.story for d in load("a.md", group_by="date").documents] == ["2024-01-11"]
    assert [d.story for d in load("b.txt", group_by="title").documents] == [""]  # standard


@pytest.mark.parametrize(("group_by", "nearest"), [("dsk", "desk"), ("Desk", "desk"),
                                                   ("sorce", "source")])
def test_group_by_a_field_no_report_states_is_a_usage_error(here: Path, group_by: str,
                                                           nearest: str) -> None:
    write(here, "a.md", "---\nsource: AP\ndesk: world\n---\nBody\n")
    write(here, "c.jsonl", json.dumps({"text": GOOD, "desk": "x"}) + "\n")
    with pytest.raises(FactcheckError, match=f"--group-by '{group_by}'.*nearest: {nearest}"):
        load("a.md", "c.jsonl", group_by=group_by)
    with pytest.raises(FactcheckError, match="nearest"):
        list(iter_documents(["a.md"], group_by=group_by))  # streamed: after the last report


def test_story_of_is_the_one_rule() -> None:
    fields = {"event": "e", "outlet": "AP", "metadata": {"n": 3, "tags": ["a"]}}
    assert story_of(fields, None, "f") == "e"
    assert story_of({"metadata": {}}, None, "f") == ""
    assert story_of(fields, "folder", "f") == "f"
    assert story_of(fields, "outlet", "f") == "AP"
    assert story_of(fields, "n", "f") == "3"
    assert story_of(fields, "tags", "f") == ""
    assert story_of(fields, "absent", "f") == ""


def test_problems_come_in_path_order(here: Path) -> None:
    write(here, "in/a/bad.md", "---\n[\n---\nx\n")
    write(here, "in/b.txt", "")
    write(here, "in/c.jsonl", "nope\n")
    write(here, "in/d.txt", GOOD)
    result = load("in")
    assert [p.path for p in result.problems] == ["in/a/bad.md", "in/b.txt", "in/c.jsonl"]


# --- hostile nesting and aliases (issue 16) ------------------------------------------------


def test_a_jsonl_record_nested_too_deep_is_skipped_and_the_rest_read(here: Path) -> None:
    deep = '{"text": "4 people were hurt.", "x": ' + "[" * 600 + "]" * 600 + "}"
    deeper = '{"text": "4 people were hurt.", "x": ' + "[" * 5000 + "]" * 5000 + "}"
    good = json.dumps({"text": GOOD})
    write(here, "c.jsonl", "\n".join([good, deep, deeper, good]) + "\n")
    write(here, "r.txt", GOOD)
    result = load("c.jsonl", "r.txt")
    assert len(result.documents) == 3
    assert [(p.path, p.line) for p in result.problems] == [("c.jsonl", 2), ("c.jsonl", 3)]
    assert all("nested more than 64 deep" in p.message for p in result.problems)


@pytest.mark.parametrize("value", ["[" * 600 + "]" * 600, "{a: " * 100 + "1" + "}" * 100])
def test_front_matter_nested_too_deep_is_a_problem_and_the_body_is_read(
        here: Path, value: str) -> None:
    write(here, "r.md", f"---\ntitle: T\nx: {value}\n---\n{GOOD}")
    result = load("r.md")
    assert len(result.documents) == 1 and result.documents[0].title is None
    problem = one(result)
    assert (problem.path, problem.line) == ("r.md", 3)
    assert "nested more than 64 deep" in problem.message


def test_front_matter_aliases_are_refused_at_once_and_the_body_is_read(here: Path) -> None:
    laughs = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for previous, name in zip("abcdefghi", "bcdefghij", strict=True):
        laughs += f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    write(here, "r.md", f"---\n{laughs}---\n{GOOD}")
    started = time.perf_counter()
    result = load("r.md")
    assert time.perf_counter() - started < 2
    assert len(result.documents) == 1
    problem = one(result)
    assert (problem.path, problem.line) == ("r.md", 3)
    assert "aliases" in problem.message


def test_a_folder_tree_too_deep_is_a_problem_and_the_rest_read(here: Path) -> None:
    write(here, "corpus/top.txt", GOOD)
    folder = here / "corpus"
    for _ in range(1000):  # a path of 2,000 characters: within every file system's limit
        folder = folder / "d"
        folder.mkdir()  # one at a time: mkdir(parents=True) recurses
    write(folder, "bottom.txt", GOOD)
    write(here, "corpus/" + "d/" * 64 + "ok.txt", GOOD)  # just within the limit
    try:
        result = load("corpus")
    finally:  # pytest's own clean-up of tmp_path recurses: empty the tree from the bottom
        for _ in range(1000):
            for entry in folder.iterdir():
                entry.unlink()
            folder.rmdir()
            folder = folder.parent
    assert sorted(d.doc for d in result.documents) == ["corpus/" + "d/" * 64 + "ok.txt",
                                                       "corpus/top.txt"]
    problem = one(result)
    assert "folder nested more than 64 deep" in problem.message
    assert problem.path == "corpus/" + "/".join(["d"] * 65)
