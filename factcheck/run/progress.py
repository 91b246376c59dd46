"""Progress: a rich progress bar on stderr for long runs, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import IO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from ..report.safetext import is_terminal


class RunProgress:
    """Reports done, their rate and the time left; nothing at all when not `enabled`.

    Use as a context manager: `scanning()` while the corpus is first read (its size is not
    known yet), then `reading(total)` and `advance(n)` as reports are done.
    """

    def __init__(self, enabled: bool, stream: IO[str] | None = None) -> None:
        self.enabled = enabled
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        if enabled:
            console = Console(file=stream or sys.stderr, stderr=stream is None)
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("reports"),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                TextColumn("left"),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            )

    def __enter__(self) -> RunProgress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.stop()

    def scanning(self) -> None:
        if self._progress is not None:
            self._task = self._progress.add_task("scanning", total=None, rate="")

    def scanned(self, count: int) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=count)

    def reading(self, total: int) -> None:
        if self._progress is not None:
            if self._task is not None:
                self._progress.remove_task(self._task)
            self._task = self._progress.add_task("reading", total=total, rate="")

    def advance(self, count: int) -> None:
        if self._progress is None or self._task is None:
            return
        self._progress.advance(self._task, count)
        speed = self._progress.tasks[-1].speed
        rate = f"{speed:,.0f}/s" if speed else ""
        self._progress.update(self._task, rate=rate)


def run_progress(quiet: bool = False, stream: IO[str] | None = None) -> RunProgress:
    """A progress bar on stderr (or `stream`) when it is a terminal and the run is not quiet."""
    target = stream or sys.stderr
    return RunProgress(not quiet and is_terminal(target), stream)
