"""CSV corpora: a header with a `text` column, then a row a report, streamed."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import inputs
from ..inputs import Skip, megabytes, open_input
from ..intake import Intake
from ..model import Document
from .base import InputFormat
from .corpus import numbered_lines, record


def read_csv(path: Path, name: str, folder: str, base: dict[str, Any], intake: Intake
             ) -> Iterator[Document]:
    """The rows of a CSV corpus with a `text` column, streamed."""
    _limit_csv_fields()
    ids: set[str] = set()
    with open_input(path) as handle:
        # A line lost to a problem is read as a blank line, so line numbers stay the file's.
        reader = csv.reader(text if text is not None else "\n"
                            for _, text in numbered_lines(handle, name, intake))
        previous = 1
        try:
            header = next(reader, None)
            if header is None:
                raise Skip("empty report")
            columns = [column.strip() for column in header]
            if "text" not in (column.lower() for column in columns):
                raise Skip(f"no 'text' column (columns: {', '.join(columns)})", 1)
            seen: set[str] = set()
            for column in columns:
                # a second column of one name would silently stand for the first
                if column and column.lower() in seen:
                    raise Skip(f"the header names column '{column}' twice (columns: "
                               f"{', '.join(columns)}); give each column one name", 1)
                seen.add(column.lower())
            previous = reader.line_num
            for row in reader:
                row_line, previous = previous + 1, reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) != len(columns):
                    message = f"row has {len(row)} fields, the header has {len(columns)}"
                    intake.problem(name, message, row_line)
                    continue
                raw = {
                    column: value
                    for column, value in zip(columns, row, strict=True)
                    if value != "" or column.lower() == "text"
                }
                document = record(raw, name, row_line, base, ids, intake)
                if document is not None:
                    yield document
        except csv.Error as exc:
            message = f"not valid CSV ({exc})"
            if "field limit" in str(exc):
                limit = megabytes(inputs.MAX_INPUT_BYTES)
                message = (f"a field is over the {limit} limit for one record (a quote never "
                           "closed?); the rest of the file is skipped")
            raise Skip(message, previous + 1) from None


def _limit_csv_fields() -> None:
    # News texts exceed the csv module's 128 KiB default; a quote never closed must not read a
    # whole corpus into one field.
    csv.field_size_limit(inputs.MAX_INPUT_BYTES)


FORMAT = InputFormat("csv", (".csv",), read_csv)
