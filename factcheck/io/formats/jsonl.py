"""JSONL corpora: one JSON object a line, read a line at a time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...yamlio import MAX_NESTING, nesting_depth
from ..encodings import scrub
from ..inputs import open_input
from ..intake import Intake
from ..model import Document
from .base import InputFormat
from .corpus import numbered_lines, record

_TOO_DEEP = object()  # a record the decoder could not nest deep enough to read


def read_jsonl(path: Path, name: str, folder: str, base: dict[str, Any], intake: Intake
               ) -> Iterator[Document]:
    """The records of a JSONL corpus, read a line at a time."""
    ids: set[str] = set()
    with open_input(path) as handle:
        for line, text in numbered_lines(handle, name, intake):
            if text is None or not text.strip():
                continue
            try:
                raw = json.loads(text)
            except RecursionError:  # deeper than the JSON decoder itself goes
                raw = _TOO_DEEP
            except ValueError as exc:
                message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
                intake.problem(name, f"not JSON ({message})", line)
                continue
            if raw is _TOO_DEEP or nesting_depth(raw) > MAX_NESTING:
                # every later stage walks a record's values recursively
                intake.problem(name, f"record nested more than {MAX_NESTING} deep", line)
                continue
            if not isinstance(raw, dict):
                intake.problem(name, "not a JSON object", line)
                continue
            document = record(scrub(raw), name, line, base, ids, intake)
            if document is not None:
                yield document


FORMAT = InputFormat("jsonl", (".jsonl", ".ndjson"), read_jsonl)
