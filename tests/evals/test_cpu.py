"""llama.cpp thread choice: an explicit setting wins; otherwise cores other processes keep busy are left to them."""

import os
import subprocess
import sys
import time

from evals.cpu import IdleCores, idle_cores


def test_the_environment_setting_wins(monkeypatch):
    monkeypatch.setenv("DIGEST_LLAMA_THREADS", "3")
    assert idle_cores() == 3


def test_a_bad_setting_is_ignored_not_fatal(monkeypatch):
    monkeypatch.setenv("DIGEST_LLAMA_THREADS", "many")
    assert 1 <= idle_cores() <= max(len(os.sched_getaffinity(0)), 1)


def test_cores_busy_with_other_processes_are_left_to_them(monkeypatch):
    monkeypatch.delenv("DIGEST_LLAMA_THREADS", raising=False)
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
