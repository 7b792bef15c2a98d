"""How many CPU threads llama.cpp should use right now.

Both the digest writer (summarizer/backends/llamacpp.py) and the evaluator's LM signal
(evals/lm.py) run llama.cpp, whose threads spin-wait for each other: on a busy machine more
threads can be several times slower than fewer. A thread count the user set (``llama_threads``
in the digest's Settings) is passed in by the caller; this module reads no configuration.

Portable: the cores this process may use come from ``os.sched_getaffinity`` where it exists
(Linux), else ``os.cpu_count``; the other processes' load from /proc/stat (Linux), else the load
average (macOS), else nothing is measured and all usable cores (at most 4) are taken (Windows).
"""

from __future__ import annotations

import os
import time


class IdleCores:
    """How many llama.cpp threads to use now: the cores that other processes leave idle, at least one.

    On this 2-core machine two threads ran 1.9x faster than one when it was otherwise idle, but
    under load (average 8) one thread was 4x faster than two, whose threads wait on each other.
    The load average is no guide (it stayed near 1.0 on an idle machine here), so the busy time of
    the other processes is read from /proc/stat, minus this process's own CPU time, between calls.
    """

    def __init__(self, fixed: int | None = None) -> None:
        self.fixed = fixed if fixed and fixed > 0 else None
        self.cores = usable_cores()
        self._last = self._sample()

    @staticmethod
    def _sample() -> tuple[float, float, float] | None:
        """(wall seconds, busy CPU seconds of the whole machine, CPU seconds of this process)."""
        try:
            with open("/proc/stat", encoding="ascii") as handle:
                fields = [int(v) for v in handle.readline().split()[1:]]
        except (OSError, ValueError):
            return None
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        busy = (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")
        own = os.times()
        return time.monotonic(), busy, own.user + own.system

    def pick(self, min_interval: float = 0.25) -> int:
        if self.fixed:
            return self.fixed
        last = self._last
        if last is None:
            others = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
            return int(max(1, min(self.cores, 4, round(self.cores - others))))
        if time.monotonic() - last[0] < min_interval:
            time.sleep(min_interval - (time.monotonic() - last[0]))
        now = self._sample()
        if now is None:
            return 1
        self._last = now
        others = max(0.0, (now[1] - last[1]) - (now[2] - last[2])) / max(now[0] - last[0], 1e-3)
        return int(max(1, min(self.cores, 4, round(self.cores - others))))


def usable_cores() -> int:
    """The cores this process may run on: its affinity set where the platform has one (Linux)."""
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return max(os.cpu_count() or 1, 1)


def idle_cores(fixed: int | None = None) -> int:
    """``fixed`` if given, else the cores that other processes leave idle (at least one)."""
    return IdleCores(fixed).pick()
