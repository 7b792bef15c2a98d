"""A Python without fcntl, as on Windows, for the lock tests; importable, and runnable as a script.

`simulate` hides fcntl and puts in a stand-in for Windows' msvcrt whose `locking` is POSIX `lockf` on the same
byte range. So the code that runs is digest_core.locks' Windows path (seek to byte 0, LK_NBLCK, EACCES read as
"held elsewhere", LK_UNLCK), and the exclusion the tests observe is a real kernel lock, released when its holder
exits, as LockFileEx's is. One difference: lockf locks belong to the process, so only separate processes
exclude each other here; the tests take the second lock in another process (which is also the case that matters).

As a script:
  python no_fcntl.py hold [--fcntl] PATH...   lock each PATH (without fcntl unless --fcntl), print "held", and let
                                              go at a line or end of file on stdin (or when killed)
  python no_fcntl.py try PATH                 take PATH once without fcntl and print "taken" or "busy"
  python no_fcntl.py run SCRIPT ARGS...       run a console script (the installed `digest`) without fcntl
"""

from __future__ import annotations

import errno
import os
import runpy
import subprocess  # noqa: F401 - imported before the stand-in: it takes "msvcrt imports" to mean Windows
import sys
import types
from pathlib import Path
from typing import Callable

LK_UNLCK, LK_LOCK, LK_NBLCK = 0, 1, 2  # the C runtime's values (sys/locking.h)


def lockf_msvcrt(calls: list[int]) -> types.ModuleType:
    """msvcrt with `locking(fd, mode, nbytes)` done by lockf from the current position; modes used are recorded."""
    module = types.ModuleType("msvcrt")

    def locking(fd: int, mode: int, nbytes: int) -> None:
        calls.append(mode)
        if mode == LK_UNLCK:
            os.lockf(fd, os.F_ULOCK, nbytes)
        elif mode == LK_NBLCK:
            try:
                os.lockf(fd, os.F_TLOCK, nbytes)
            except OSError as exc:
                if exc.errno not in (errno.EACCES, errno.EAGAIN):
                    raise
                # what the C runtime reports for a byte range locked by someone else
                raise PermissionError(errno.EACCES, "Permission denied") from None
        else:  # LK_LOCK gives up after 10 s on Windows: the lock module must not use it
            raise AssertionError(f"msvcrt.locking mode {mode} is not used by digest_core.locks")

    module.locking = locking
    module.LK_UNLCK, module.LK_LOCK, module.LK_NBLCK = LK_UNLCK, LK_LOCK, LK_NBLCK
    return module


def simulate(setitem: Callable[[dict, str, object], None]) -> list[int]:
    """Make ``import fcntl`` fail and ``import msvcrt`` give the stand-in; returns the list its calls go to.

    ``setitem`` is monkeypatch.setitem in a test (undone after it), or a plain assignment in a script.
    """
    calls: list[int] = []
    setitem(sys.modules, "fcntl", None)  # None in sys.modules makes the import raise ImportError
    setitem(sys.modules, "msvcrt", lockf_msvcrt(calls))
    return calls


def _assign(mapping: dict, key: str, value: object) -> None:
    mapping[key] = value


def main(argv: list[str]) -> None:
    command, rest = argv[0], argv[1:]
    if command == "run":
        simulate(_assign)
        sys.argv = rest
        runpy.run_path(rest[0], run_name="__main__")
        return
    if rest[0] == "--fcntl":
        rest = rest[1:]
    else:
        simulate(_assign)
    from digest_core.locks import LockBusy, acquire

    if command == "try":
        try:
            acquire(Path(rest[0]), wait=0).release()
            print("taken")
        except LockBusy:
            print("busy")
        return
    assert command == "hold", argv
    held = [acquire(Path(path)) for path in rest]
    print("held", flush=True)
    sys.stdin.readline()
    for lock in held:
        lock.release()


if __name__ == "__main__":
    main(sys.argv[1:])
