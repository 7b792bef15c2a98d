"""How many CPU threads llama.cpp should use right now.

Both the digest writer (summarizer/backends/llamacpp.py) and the evaluator's LM signal
(evals/lm.py) run llama.cpp, whose threads spin-wait for each other: on a busy machine more
threads can be several times slower than fewer.
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

    def __init__(self) -> None:
        fixed = os.environ.get("DIGEST_LLAMA_THREADS", "").strip()
        self.fixed = int(fixed) if fixed.isdigit() and int(fixed) > 0 else None
        self.cores = max(len(os.sched_getaffinity(0)), 1)
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
            return int(max(1, min(self.cores, 4, round(self.cores - os.getloadavg()[0]))))
        if time.monotonic() - last[0] < min_interval:
            time.sleep(min_interval - (time.monotonic() - last[0]))
        now = self._sample()
        if now is None:
            return 1
        self._last = now
        others = max(0.0, (now[1] - last[1]) - (now[2] - last[2])) / max(now[0] - last[0], 1e-3)
        return int(max(1, min(self.cores, 4, round(self.cores - others))))


def idle_cores() -> int:
    """``DIGEST_LLAMA_THREADS`` if set, else the cores that other processes leave idle (at least one)."""
    return IdleCores().pick()
