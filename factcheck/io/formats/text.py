"""Report files: plain text and Markdown, one report each, with front matter or an inline date."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ... import yamlio
from .. import inputs
from ..encodings import decode
from ..inputs import Skip
from ..intake import Intake
from ..metadata import front_matter, inline_date, merge_fields, read_metadata
from ..model import Document
from .base import InputFormat


def read_report(path: Path, name: str, folder: str, base: dict[str, Any], intake: Intake
                ) -> Iterator[Document]:
    """One report file: decoded text, front matter, inline date."""
    text = decode(inputs.read_bytes(path))
    if not text.strip():
        raise Skip("empty report")
    raw, body_start = front_matter(text, name, intake.problems)
    stated: dict[str, Any] = {}
    if raw is not None:
        stated = read_metadata(raw, name, lambda k: yamlio.line_of(raw, k), intake.problems)
    inline, body_start = inline_date(text, body_start, name, intake.problems)
    if not text[body_start:].strip():
        raise Skip("empty report")
    # The file's own front matter wins over its inline date, which wins over the manifest.
    fields = merge_fields(base, inline, stated)
    yield intake.document(fields, folder, doc=name, text=text, body_start=body_start, path=name)


FORMAT = InputFormat("text", (".txt", ".md", ".markdown"), read_report)
