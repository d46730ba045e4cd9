"""Independent pieces of work spread over every core once there are enough of them.

Checking record files and rendering program pages are each thousands of independent
steps: on a machine with several cores they finish in a fraction of the time. Below
``PARALLEL_FROM`` items, starting worker processes costs more than it saves.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 500

_inherited: Any = None


def worker_count(items: int) -> int:
    """How many processes to use for ``items`` pieces of work: 1 means do it here."""
    return 1 if items < PARALLEL_FROM else min(os.cpu_count() or 1, 8)


def map_sharing(function: Callable[[Any, T], R], shared: Any, tasks: Sequence[T], items: int, *, one_at_a_time: bool = False) -> list[R]:
    """``[function(shared, task) for task in tasks]``, on forked worker processes when
    ``items`` (the pieces of work the tasks hold between them) are many. The workers
    inherit ``shared`` from this process when they are forked instead of receiving a
    pickled copy, which at thousands of records would cost as much as the work; tasks
    travel pickled, so they should be small.

    Tasks are handed out in batches, which costs little when they are many and alike.
    ``one_at_a_time`` is for a few tasks of very different sizes, listed longest first:
    each worker takes the next as soon as it is free, so the short ones even out the end.
    """
    global _inherited
    workers = worker_count(items)
    if workers == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(shared, task) for task in tasks]
    _inherited = shared
    # Without this, the collector in each worker would walk (and so copy) every object
    # the worker inherited.
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_end_with, initargs=(os.getpid(),)) as pool:
            jobs = [(function, task) for task in tasks]
            batch = 1 if one_at_a_time else max(1, len(jobs) // (workers * 4))
            return list(pool.map(_call_with_inherited, jobs, chunksize=batch))
    finally:
        gc.unfreeze()
        _inherited = None


_PR_SET_PDEATHSIG = 1


def _end_with(parent: int) -> None:
    """Make this worker end when the process that forked it does, even when that process
    is killed mid-build (a stopped ``mkdocs serve``, say): idle workers would otherwise
    wait for work forever. Linux only; elsewhere workers end with their pool as usual."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # it ended before the line above took effect
        os._exit(1)


def _call_with_inherited(job: tuple[Callable[[Any, T], R], T]) -> R:
    function, task = job
    return function(_inherited, task)
