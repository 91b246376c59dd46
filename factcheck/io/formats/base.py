"""An input format: the file suffixes it reads, and how one file of it becomes documents."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..intake import Intake
from ..model import Document

# read(path, name, folder, base, intake): the documents of one file. `name` is the file as
# inputs are named, `folder` its folder (its story with --group-by folder), `base` the fields
# its folder's manifest gives it. A problem with one record is told to `intake` and the rest
# read; one that makes the whole file unusable raises `inputs.Skip`.
Reader = Callable[[Path, str, str, dict[str, Any], Intake], Iterator[Document]]


@dataclass(frozen=True)
class InputFormat:
    """A kind of input file: its name, the suffixes that mark it (lower case), its reader."""

    name: str
    suffixes: tuple[str, ...]
    read: Reader
