"""Corpora, whatever their format: lines read within the size limit, and a record made a report.

A corpus holds many reports, a record each (`text`, and optional `id`, `source`, `date`,
`title`, `url`, `event` or any other column). A record that cannot be used is a problem at its
line, and the rest of the corpus is read.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from .. import inputs
from ..encodings import CODEC_NAMES, LONE_SURROGATE, corpus_encoding
from ..inputs import CHUNK, Skip, megabytes
from ..intake import Intake
from ..metadata import inline_date, merge_fields, read_metadata
from ..model import Document


def numbered_lines(handle: BinaryIO, name: str, intake: Intake
                   ) -> Iterator[tuple[int, str | None]]:
    """Numbered lines of a corpus, line ends kept, each at most `inputs.MAX_INPUT_BYTES` long.

    A line that is too long or cannot be decoded is a problem and comes as None: the rest of
    the file goes on. The encoding is the whole file's (`corpus_encoding`).
    """
    encoding = corpus_encoding(handle)
    wide = encoding in ("utf-16", "utf-32")
    # surrogateescape: a byte that is not UTF-8 costs its line, not the rest of the file.
    reader = io.TextIOWrapper(handle, encoding=encoding, newline="",
                              errors="strict" if wide else "surrogateescape")
    number = 0
    try:
        while line := reader.readline(inputs.MAX_INPUT_BYTES + 1):
            number += 1
            if len(line) > inputs.MAX_INPUT_BYTES and not line.endswith(("\n", "\r")):
                while (rest := reader.readline(CHUNK)) and not rest.endswith(("\n", "\r")):
                    pass  # the rest of the line, dropped a chunk at a time
                limit = megabytes(inputs.MAX_INPUT_BYTES)
                intake.problem(name, f"line is over the {limit} limit for one record", number)
                yield number, None
            elif bad := LONE_SURROGATE.search(line):
                byte = ord(bad.group()) - 0xDC00  # surrogateescape's mark of a raw byte
                intake.problem(name, f"not UTF-8 text (invalid byte 0x{byte:02x})", number)
                yield number, None
            else:
                yield number, line
    except UnicodeDecodeError as exc:
        codec = CODEC_NAMES[encoding]
        raise Skip(f"not {codec} text ({exc.reason}) after line {number}") from None
    finally:
        if not handle.closed:
            reader.detach()  # the caller closes the file, and may read on


def record(
    raw: Mapping[str, Any],
    name: str,
    line: int,
    base: dict[str, Any],
    ids: set[str],
    intake: Intake,
) -> Document | None:
    """One corpus record (a JSON object or a CSV row as a mapping), or None when skipped."""
    lower = {key.lower(): key for key in raw}
    text_key = lower.get("text")
    text = raw.get(text_key) if text_key is not None else None
    if not isinstance(text, str):
        what = "has no 'text'" if text is None else "has a 'text' that is not a string"
        intake.problem(name, f"record {what}", line)
        return None
    if not text.strip():
        intake.problem(name, "empty report", line)
        return None
    id_key = lower.get("id", lower.get("doc_id"))
    record_id = raw.get(id_key) if id_key is not None else None
    record_id = str(record_id) if record_id not in (None, "") else str(line)
    rest = {k: v for k, v in raw.items() if k not in (text_key, id_key)}
    stated = read_metadata(rest, name, lambda _key: line, intake.problems)
    inline, body_start = inline_date(text, 0, name, intake.problems)
    fields = merge_fields(base, inline, stated)
    title = fields.get("title")
    if isinstance(title, str) and title.strip() and not text[body_start:].lstrip().startswith(
            title.strip()):
        # A record's title is its headline: read it as the text's first line.
        headline = f"# {' '.join(title.split())}\n\n"
        text = text[:body_start] + headline + text[body_start:]
    # Some corpora file one article under several incidents: keep each `doc` distinct.
    doc = f"{name}#{record_id}" if record_id not in ids else f"{name}#{record_id}@{line}"
    ids.add(record_id)
    return intake.document(
        fields, name, doc=doc, text=text, body_start=body_start, path=name, record=line
    )
