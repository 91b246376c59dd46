"""Atomic outputs: the umask's mode (an old file's kept), sets replaced together or not at
all, missing folders made, and errors that name the user's file, never a temporary one."""

from __future__ import annotations

import errno
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from factcheck import fileio
from factcheck.fileio import TargetFile, replace_all, temporary_beside, write_text_atomic


@pytest.fixture()
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_new_file_takes_the_umasks_mode(tmp_path: Path, umask_022: None) -> None:
    write_text_atomic(tmp_path / "out.txt", "x")
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == 0o644
    os.umask(0o027)
    write_text_atomic(tmp_path / "other.txt", "x")
    assert (tmp_path / "other.txt").stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
def test_a_replaced_file_keeps_its_mode(tmp_path: Path, umask_022: None, mode: int) -> None:
    target = tmp_path / "claims.csv"
    target.write_text("old")
    target.chmod(mode)
    write_text_atomic(target, "new")
    assert target.read_text() == "new" and target.stat().st_mode & 0o777 == mode


def test_a_missing_folder_is_made(tmp_path: Path) -> None:
    write_text_atomic(tmp_path / "a" / "b" / "out.txt", "x")
    assert (tmp_path / "a" / "b" / "out.txt").read_text() == "x"


def _pair(tmp_path: Path) -> list[tuple[Path, Path]]:
    first, second = tmp_path / "claims.csv", tmp_path / "findings.csv"
    return [(temporary_beside(first, lambda h: h.write("new claims")), first),
            (temporary_beside(second, lambda h: h.write("new findings")), second)]


def test_a_set_is_replaced_whole_or_not_at_all(tmp_path: Path) -> None:
    """findings.csv cannot be replaced (a folder stands there): claims.csv keeps its old text."""
    (tmp_path / "claims.csv").write_text("old claims")
    (tmp_path / "findings.csv").mkdir()
    pairs = _pair(tmp_path)
    with pytest.raises(IsADirectoryError) as caught:
        replace_all(pairs)
    assert caught.value.filename == str(tmp_path / "findings.csv")
    assert (tmp_path / "claims.csv").read_text() == "old claims"
    assert _leftovers(tmp_path) == []


def test_a_new_file_of_a_failed_set_is_removed(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    pairs = _pair(tmp_path)
    real_replace = os.replace

    def second_fails(src: object, dst: object) -> None:
        if str(dst).endswith("findings.csv"):
            raise OSError(errno.EXDEV, "Invalid cross-device link", str(src), str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(fileio.os, "replace", second_fails)
    with pytest.raises(OSError) as caught:
        replace_all(pairs)
    assert caught.value.errno == errno.EXDEV
    assert caught.value.filename == str(tmp_path / "findings.csv")
    assert caught.value.filename2 is None
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_full_disk_names_the_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC names no file: the error (its own type kept) names the file the user asked for,
    and no temporary file is left."""
    target = tmp_path / "out.txt"
    target.write_text("old")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio.os, "fsync", full)
    with pytest.raises(OSError) as caught:
        write_text_atomic(target, "new")
    assert type(caught.value) is OSError and caught.value.errno == errno.ENOSPC
    assert caught.value.filename == str(target)
    assert target.read_text() == "old" and _leftovers(tmp_path) == []


def test_a_write_error_names_the_target() -> None:
    class Full(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    handle = TargetFile(Full(), Path("out/claims.csv"))
    with pytest.raises(OSError) as caught:
        handle.write("x")
    assert caught.value.filename == "out/claims.csv"


def test_a_symlinked_target_is_put_back_as_a_link(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere.csv"
    real.write_text("old claims")
    (tmp_path / "claims.csv").symlink_to(real)
    (tmp_path / "findings.csv").mkdir()
    with pytest.raises(IsADirectoryError):
        replace_all(_pair(tmp_path))
    assert (tmp_path / "claims.csv").is_symlink() and real.read_text() == "old claims"
    assert _leftovers(tmp_path) == []
