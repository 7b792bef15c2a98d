"""llama.cpp thread choice: an explicit setting wins; otherwise cores other processes keep busy are left to them.

The module must also run where Linux's interfaces are missing (macOS has no sched_getaffinity and no
/proc; Windows has neither, nor a load average): those paths are taken here by removing them."""

import builtins
import os
import subprocess
import sys
import time

import pytest

from digest_core.cpu import IdleCores, idle_cores, usable_cores
from summarizer.config import Settings


def test_an_explicit_thread_count_wins():
    assert idle_cores(3) == 3
    assert IdleCores(fixed=2).pick() == 2


def test_the_setting_reaches_the_thread_count(monkeypatch):
    monkeypatch.setenv("DIGEST_LLAMA_THREADS", "3")
    assert idle_cores(Settings().llama_threads) == 3


def test_no_setting_measures_the_idle_cores(monkeypatch):
    monkeypatch.setenv("DIGEST_LLAMA_THREADS", "3")  # the environment is the caller's to read, not this module's
    assert 1 <= idle_cores(None) <= max(len(os.sched_getaffinity(0)), 1)
    assert 1 <= idle_cores(0) <= max(len(os.sched_getaffinity(0)), 1)


def _without_proc(monkeypatch):
    real_open = builtins.open

    def no_proc(path, *args, **kwargs):
        if str(path).startswith("/proc/"):
            raise FileNotFoundError(path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", no_proc)


def test_macos_like_platform_without_affinity_or_proc(monkeypatch):
    monkeypatch.delattr(os, "sched_getaffinity")
    _without_proc(monkeypatch)
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    monkeypatch.setattr(os, "getloadavg", lambda: (2.2, 0.0, 0.0))
    assert usable_cores() == 6
    assert IdleCores().pick() == 4  # six cores, two busy by the load average


def test_windows_like_platform_without_affinity_proc_or_load_average(monkeypatch):
    monkeypatch.delattr(os, "sched_getaffinity")
    monkeypatch.delattr(os, "getloadavg")
    _without_proc(monkeypatch)
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    assert IdleCores().pick() == 3  # nothing to measure: every usable core, at most four
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert usable_cores() == 1 and IdleCores().pick() == 1


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="measures other processes through Linux's /proc")
def test_cores_busy_with_other_processes_are_left_to_them():
    cores = len(os.sched_getaffinity(0))
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(cores)]
    try:
        time.sleep(0.5)
        governor = IdleCores()
        # Our own CPU time does not count as "others": burn some of it during the sample window.
        end = time.monotonic() + 0.6
        while time.monotonic() < end:
            pass
        assert governor.pick() == 1
    finally:
        for p in spinners:
            p.kill()
            p.wait()
