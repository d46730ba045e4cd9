"""Work spread over worker processes: the workers never outlive the process that started them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Two slow tasks on two forked workers; each worker prints its process id first.
SLOW_WORK = """
import os, time
from peerdir import parallel
parallel.PARALLEL_FROM = 1
parallel.os.cpu_count = lambda: 2
def slow(shared, task):
    print(os.getpid(), flush=True)
    time.sleep(120)
parallel.map_sharing(slow, None, [1, 2], 2, one_at_a_time=True)
"""


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (an ended one may linger as a zombie)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers end with their parent only on Linux (prctl)")
def test_workers_end_when_the_process_that_started_them_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", SLOW_WORK], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    workers = [int(parent.stdout.readline()) for _ in range(2)]
    assert all(running(pid) for pid in workers)
    parent.kill()
    parent.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in workers if running(pid)]
    for pid in left:  # a failing run leaves nothing behind either
        os.kill(pid, signal.SIGKILL)
    assert not left
