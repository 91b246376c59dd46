"""The input formats, in one list: the loader reads a file by the format its suffix names."""

from __future__ import annotations

import os

from . import csv, jsonl, text
from .base import InputFormat

# Report files first, then corpora: the order in which "reports are … files" names them.
INPUT_FORMATS: tuple[InputFormat, ...] = (text.FORMAT, jsonl.FORMAT, csv.FORMAT)
SUFFIXES = tuple(suffix for kind in INPUT_FORMATS for suffix in kind.suffixes)
_BY_SUFFIX = {suffix: kind for kind in INPUT_FORMATS for suffix in kind.suffixes}


def suffix_of(name: str) -> str:
    """A file name's suffix, lower case (`.md`), or "" for none."""
    return os.path.splitext(name)[1].lower()


def format_of(name: str) -> InputFormat | None:
    """The format a file name's suffix names; None when factcheck reads no such file."""
    return _BY_SUFFIX.get(suffix_of(name))
