"""Worker processes for the independent parts of a build, and the progress line that follows them.

Workers are forked (on systems that can), so they inherit the loaded portal and plan instead of
receiving it pickled; each task names its item, and its result comes back pickled. This process
takes the tasks no worker has started yet, so N jobs fork N - 1 workers. Elsewhere, or with one job,
the same tasks run in this process alone.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any, TextIO, TypeVar

from . import output

T = TypeVar("T")
R = TypeVar("R")

_SHARED: dict[str, Any] = {}


def default_jobs() -> int:
    """Return the number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _worker_started() -> None:
    """In each worker: leave Ctrl+C to the main process (it stops the workers), and die with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent()


def die_with_parent() -> None:
    """In a forked process: ask Linux to end it when its parent ends (elsewhere nothing changes: an
    orphaned worker ends when its task queue closes, a build's child when its pipe breaks)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the parent died before the line above ran
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _call(task: Callable[[Any, Any], R], name: str, item: Any, collect: bool) -> R:
    return _done(task, _SHARED[name], item, collect)


def _done(task: Callable[[Any, T], R], context: Any, item: T, collect: bool) -> R:
    """Return task(context, item); when `collect`, then collect the cyclic garbage it left, unless this
    process's passes have already taken their share of its time (see `run`)."""
    started = time.process_time()
    result = task(context, item)
    if collect:
        ended = time.process_time()
        _SPENT[0] += ended - started
        if _SPENT[1] <= COLLECT_SHARE * _SPENT[0]:
            gc.collect()
            _give_back()
            _SPENT[1] += time.process_time() - ended
    return result


# A pass reads every object made since the tasks began, the results this process holds included: at
# 3,000 documents ~15 ms after a part of ~300 ms, at 10,000 ~60 ms, and more as a province's parts pile
# up (85,000 documents, a pass after every part: 1,981 against 1,484 CPU-s for the cold build). Each
# process passes only while its passes have taken at most this share of its tasks' CPU time, so a small
# portal collects after (nearly) every part and a large one every few parts (3,000 documents with
# search: 218 MiB at the peak with this share, 227-235 with 0.05, 215-217 with a pass after every part).
COLLECT_SHARE = 0.1
_SPENT = [0.0, 0.0]  # this process: CPU seconds in tasks, in passes (since `run` began)


def _give_back() -> None:
    """Return the C heap's free pages to the system (glibc keeps them for the next allocation; a large
    part's, such as the portal's own pages, would otherwise stay with the process to its end)."""
    if _TRIM is not None:
        _TRIM(0)


def _trimmer() -> Callable[[int], int] | None:
    try:
        import ctypes

        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not glibc
        return None


_TRIM = _trimmer()


def run(task: Callable[[Any, T], R], items: Sequence[T], context: Any, jobs: int,
        progress: Progress | None = None, collect: bool = False,
        done: Callable[[R], None] | None = None) -> list[R]:
    """Return [task(context, item) for item in items], computed by `jobs` processes: this one and
    `jobs - 1` forked workers. `done`, when given, is called in this process with each result as soon
    as it is there (in the order they finish).

    `context` reaches the workers by inheritance, never by pickling. Results keep the items' order.
    With `collect`, each process collects the cyclic garbage a task left as soon as it ends, and gives
    the free memory back: for tasks that leave much of it (a part of the site: its pages, navigation
    and templates refer to each other), which the build's rare collections (pipeline.few_collections)
    would keep until the end. The pass reads only what the tasks made (the objects made before are
    frozen below). At 3,000 documents it keeps each rendering process about 30 MiB smaller (two
    processes: 227 -> 186 MiB at the peak). The passes take about 1.5 CPU seconds, nearly all of it
    freeing the garbage found, but the build as a whole took no more CPU (three runs of each, one after
    the other: 28.0, 29.7, 30.5 CPU-s with them, 29.3, 33.0, 32.6 without): memory reused instead of
    new pages touched.
    """
    name = f"ctx-{id(context)}"
    _SHARED[name] = context

    def finished(result: R) -> R:
        if done:
            done(result)
        if progress:
            progress.advance()
        return result

    _SPENT[:] = [0.0, 0.0]  # the forked workers start from these too
    # Keep the collector off the objects made before the tasks: the passes after each task then read only
    # what the tasks made, and a forked worker does not write to (and so copy) the pages it shares with
    # this process when a collection would have visited the objects on them.
    gc.freeze()
    try:
        # Forking a process that runs other threads (the preview server) is unsafe: work here then.
        if jobs <= 1 or len(items) <= 1 or "fork" not in multiprocessing.get_all_start_methods() \
                or threading.active_count() > 1:
            results = []
            for item in items:
                results.append(finished(_done(task, context, item, collect)))
            return results
        # This process works too, on the tasks no worker has taken yet, so `jobs` processes work with one
        # worker fewer: each worker's writes copy the pages it shares with this process (reference counts
        # change as it reads the portal), this process's own do not.
        pool = ProcessPoolExecutor(max_workers=min(jobs - 1, len(items) - 1),
                                   mp_context=multiprocessing.get_context("fork"), initializer=_worker_started)
        try:
            # The workers are forked during the first submit; a stop raised inside a fork hook would be
            # dropped by Python, so stops wait until every task is queued (and arrive in the loop below).
            with output.signals_held():
                futures = {pool.submit(_call, task, name, item, collect): index for index, item in enumerate(items)}
            results_by_index: dict[int, R] = {}
            pending = set(futures)
            for future, index in futures.items():  # in the items' order: longest first, where sorted so
                if future.cancel():  # no worker has taken it: do it here
                    pending.discard(future)
                    results_by_index[index] = finished(_done(task, context, items[index], collect))
                for ended in [f for f in pending if f.done()]:
                    pending.discard(ended)
                    results_by_index[futures[ended]] = finished(ended.result())  # a worker's failure stops all now
            while pending:
                finished_now, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished_now:
                    results_by_index[futures[future]] = finished(future.result())
            pool.shutdown(wait=True)
        except BaseException:
            # Stopped (Ctrl+C, SIGTERM) or failed: end the workers now rather than wait for their tasks.
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        return [results_by_index[i] for i in range(len(items))]
    finally:
        _SHARED.pop(name, None)
        gc.unfreeze()


class Progress:
    """"12/120 đơn vị · 00:14 · còn khoảng 02:06": a bar redrawn in place on a terminal, a plain line
    every few seconds (and at the end) when the output is a file or a pipe."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None, interval: float = 5.0) -> None:
        self.total = total
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.done = 0
        self.started = time.monotonic()
        self.interval = interval
        self._last = 0.0

    def advance(self, count: int = 1) -> None:
        """Count `count` more items done and show it."""
        self.done += count
        now = time.monotonic()
        if self.tty:
            self.stream.write("\r" + self.line(now) + "\x1b[K")
            if self.done >= self.total:
                self.stream.write("\n")
            self.stream.flush()
        elif self.done >= self.total or now - self._last >= self.interval:
            self._last = now
            self.stream.write(self.line(now) + "\n")
            self.stream.flush()

    def line(self, now: float | None = None) -> str:
        """Return the progress as text."""
        elapsed = (now or time.monotonic()) - self.started
        parts = [f"{self.done}/{self.total} {self.label}", _clock(elapsed)]
        if 0 < self.done < self.total:
            parts.append("còn khoảng " + _clock(elapsed / self.done * (self.total - self.done)))
        text = " · ".join(parts)
        if self.tty:
            width = 24
            filled = int(width * self.done / self.total) if self.total else width
            text = "[" + "#" * filled + "-" * (width - filled) + "] " + text
        return text


def _clock(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes:02d}:{rest:02d}"
