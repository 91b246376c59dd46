"""Engines: where units of work run — this process, N local processes, or a Dask cluster."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol, TypeVar

from ..errors import FactcheckError

Unit = TypeVar("Unit")
Result = TypeVar("Result")

ENGINES = ("local", "dask")

# The function a worker process runs every unit through, and what it was given to start with
# (the rule set): sent once per process, not once per unit.
_worker_state: dict[str, Any] = {}
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def worker_state() -> dict[str, Any]:
    """What this worker process was started with (`start_worker`)."""
    return _worker_state


def start_worker(state: dict[str, Any], parent: int | None = None) -> None:
    """Set up a worker process: its state, and Ctrl-C left to the parent, which stops the run
    and reports it once (a worker would print a traceback of its own). With the `parent`'s
    pid, the worker dies with it, even when the parent is killed (SIGKILL)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is not None:
        die_with_parent(parent)
    _worker_state.clear()
    _worker_state.update(state)


def die_with_parent(parent: int) -> None:
    """Ask Linux to send this process SIGKILL when its parent dies (PR_SET_PDEATHSIG); a
    parent gone already ends it now. Elsewhere, nothing: the pool's own pipes end a worker
    whose parent has exited, only a killed parent can leave one behind there."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl (a libc without it): as elsewhere
        return
    if os.getppid() != parent:  # the parent died before the call above
        os._exit(1)


def pool_size(jobs: int, stories: int | None = None) -> int:
    """The worker processes a run starts: what `--jobs` asks, but never more than the cores
    or the stories to read (an idle worker is only a cost, and `-j 100000` must not fork
    100,000 processes)."""
    bounds = [jobs, available_cores(), *([stories] if stories is not None else [])]
    return max(1, min(bounds))


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity call
        return os.cpu_count() or 1


def parse_jobs(value: str | int | None) -> int:
    """`--jobs`: a count of processes, or 0 / `auto` for one per core."""
    text = str(value if value is not None else 1).strip().lower()
    if text == "auto":
        return available_cores()
    try:
        jobs = int(text)
    except ValueError:
        raise FactcheckError(f"--jobs must be a number of processes or 'auto', not {value!r}"
                             ) from None
    if jobs < 0:
        raise FactcheckError(f"--jobs must be 0 (one per core), 'auto' or more, not {jobs}")
    return jobs or available_cores()


class Engine(Protocol):
    """Runs a function over units of work and gives the results back in the units' order."""

    workers: int

    def prepare(self, function: Callable[[], Any]) -> None:
        """Start the workers now, each running `function` once (building what every unit
        needs), so that their start-up overlaps the caller's own work."""
        ...

    def map(self, function: Callable[[Any], Result], units: Iterable[Any]) -> Iterator[Result]:
        ...

    def close(self) -> None:
        ...


class InProcess:
    """Every unit in this process, one after another: the plain run."""

    workers = 1

    def __init__(self, state: dict[str, Any]) -> None:
        self._state = dict(state)

    def prepare(self, function: Callable[[], Any]) -> None:
        pass  # nothing to start: the first unit builds what it needs

    def map(self, function: Callable[[Any], Result], units: Iterable[Any]) -> Iterator[Result]:
        _worker_state.clear()
        _worker_state.update(self._state)
        for unit in units:
            yield function(unit)

    def close(self) -> None:
        _worker_state.clear()


def _in_order(submit: Callable[[Any], Future], units: Iterable[Any], window: int
              ) -> Iterator[Any]:
    """Results in the units' order, with at most `window` units submitted and not yet taken:
    the input is read as fast as the workers go, never all at once."""
    pending: deque[Future] = deque()
    try:
        for unit in units:
            pending.append(submit(unit))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


class Processes:
    """N worker processes on this machine (spawned, as on macOS and Windows)."""

    def __init__(self, jobs: int, state: dict[str, Any]) -> None:
        self.workers = jobs
        context = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=start_worker,
                                         initargs=(state, os.getpid()))

    def prepare(self, function: Callable[[], Any]) -> None:
        # The pool spawns a process for each task no idle worker takes: one task per worker
        # starts them all (a spawned worker takes most of a second to import and set up).
        for _ in range(self.workers):
            self._pool.submit(function)

    def map(self, function: Callable[[Any], Result], units: Iterable[Any]) -> Iterator[Result]:
        try:
            yield from _in_order(lambda unit: self._pool.submit(function, unit), units,
                                 window=2 * self.workers + 1)
        except BrokenProcessPool:
            raise FactcheckError("a worker process stopped unexpectedly (out of memory, or "
                                 "killed); nothing was written") from None

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskCluster:
    """Workers of a Dask cluster: the scheduler at `address`, or a local cluster of `jobs`
    single-threaded worker processes."""

    def __init__(self, address: str | None, jobs: int, state: dict[str, Any]) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise FactcheckError("--engine dask needs the dask extra: "
                                 "pip install 'factcheck[dask]'") from None
        self._cluster = None
        try:
            if address:
                self._client = Client(address, timeout="10s")
            else:
                self._cluster = LocalCluster(n_workers=jobs, threads_per_worker=1,
                                             processes=True, dashboard_address=None)
                self._client = Client(self._cluster)
        except (OSError, TimeoutError) as error:
            self._close_cluster()
            where = f"the Dask scheduler at {address}" if address else "a local Dask cluster"
            raise FactcheckError(f"cannot reach {where}: {error}") from None
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))
        # The state goes to every worker once; each unit refers to it.
        self._state = self._client.scatter(state, broadcast=True, hash=False)

    def prepare(self, function: Callable[[], Any]) -> None:
        pass  # a cluster's workers are running already; the first unit builds the rest

    def map(self, function: Callable[[Any], Result], units: Iterable[Any]) -> Iterator[Result]:
        def submit(unit: Any) -> Future:
            return self._client.submit(_with_state, function, unit, self._state, pure=False)
        yield from _in_order(submit, units, window=2 * self.workers + 1)

    def _close_cluster(self) -> None:
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def close(self) -> None:
        self._client.close()
        self._close_cluster()


def _with_state(function: Callable[[Any], Result], unit: Any, state: dict[str, Any]) -> Result:
    """A unit on a Dask worker: the state scattered to it, then the function."""
    if _worker_state.get("token") != state.get("token"):
        _worker_state.clear()
        _worker_state.update(state)
    return function(unit)


def make_engine(engine: str, jobs: int, scheduler: str | None, state: dict[str, Any],
                stories: int | None = None) -> Engine:
    """The engine `--engine`, `--jobs` and `--scheduler` ask for, with local workers no more
    than the cores and the `stories` (`pool_size`)."""
    jobs = pool_size(jobs, stories)
    if engine not in ENGINES:
        raise FactcheckError(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if engine == "dask":
        return DaskCluster(scheduler, jobs, state)
    if scheduler:
        raise FactcheckError("--scheduler needs --engine dask")
    return InProcess(state) if jobs == 1 else Processes(jobs, state)
