"""Exclusive file locks on Linux, macOS and Windows, with the standard library only.

POSIX takes `flock` on the open file, Windows `msvcrt.locking` on its first byte. Either way the
operating system drops the lock when its holder closes the file or dies, so a crashed process
never leaves a store or a story locked. The platform's module is imported when a lock is first
taken, not when this module is: a top-level ``import fcntl`` stopped ingest, run and eval on Windows.
The lock file itself is left in place (it is empty; deleting it would race with the next taker).
"""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path
from types import TracebackType

from .errors import UserError


class LockBusy(Exception):
    """Another holder kept the lock for as long as the caller chose to wait; callers say what that means."""


class _Flock:
    """POSIX: a lock on the open file description, so two opens of the file exclude each other even in one process."""

    def __init__(self, fcntl) -> None:
        self._fcntl = fcntl

    def take(self, fd: int, block: bool) -> bool:
        mode = self._fcntl.LOCK_EX if block else self._fcntl.LOCK_EX | self._fcntl.LOCK_NB
        try:
            self._fcntl.flock(fd, mode)
        except BlockingIOError:
            return False
        return True

    def drop(self, fd: int) -> None:
        self._fcntl.flock(fd, self._fcntl.LOCK_UN)


class _Msvcrt:
    """Windows: byte 0 of the file, locked without waiting (``LK_LOCK`` would give up after 10 s on its own)."""

    # A lock held elsewhere fails with EACCES (the C runtime's "locking violation"); anything else is a real error.
    _HELD_ELSEWHERE = {errno.EACCES, getattr(errno, "EDEADLOCK", errno.EDEADLK)}

    def __init__(self, msvcrt) -> None:
        self._msvcrt = msvcrt

    def take(self, fd: int, block: bool) -> bool:
        while True:
            os.lseek(fd, 0, os.SEEK_SET)  # the region starts at the file position
            try:
                self._msvcrt.locking(fd, self._msvcrt.LK_NBLCK, 1)
                return True
            except OSError as exc:
                if exc.errno not in self._HELD_ELSEWHERE:
                    raise
            if not block:
                return False
            time.sleep(0.05)

    def drop(self, fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        self._msvcrt.locking(fd, self._msvcrt.LK_UNLCK, 1)


def _backend() -> _Flock | _Msvcrt:
    """The lock primitive of this platform, looked up at each lock (cheap: both modules are built in)."""
    try:
        import fcntl
    except ImportError:
        pass
    else:
        return _Flock(fcntl)
    try:
        import msvcrt
    except ImportError:
        raise UserError("this Python has neither fcntl (POSIX) nor msvcrt (Windows), so digest cannot lock its "
                        "files; run it on Linux, macOS or Windows") from None
    return _Msvcrt(msvcrt)


class HeldLock:
    """A lock that is held; release it with `release()` or by leaving a ``with`` block."""

    def __init__(self, fd: int, backend: _Flock | _Msvcrt) -> None:
        self._fd: int | None = fd
        self._backend = backend

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            self._backend.drop(fd)
        finally:
            os.close(fd)  # closing releases it too, should the unlock itself fail

    def __enter__(self) -> HeldLock:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.release()


def acquire(path: Path, wait: float | None = None, poll: float = 0.2) -> HeldLock:
    """An exclusive lock on ``path`` (created if missing), taken before this returns.

    ``wait`` None waits as long as it takes; 0 tries once; otherwise it tries every ``poll`` seconds and
    raises `LockBusy` after ``wait`` seconds. Taking it before the ``with`` block (rather than inside a
    context manager) means a `LockBusy` can only come from taking this lock, never from the block's body.
    """
    backend = _backend()
    # Opened without truncation: a holder on Windows may hold a byte range that truncating would touch.
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)  # as open(path, "w") did, less the umask
    try:
        if wait is None:
            taken = backend.take(fd, block=True)
        else:
            deadline = time.monotonic() + wait
            while not (taken := backend.take(fd, block=False)) and time.monotonic() < deadline:
                time.sleep(poll)
        if not taken:
            raise LockBusy(str(path))
    except BaseException:
        os.close(fd)
        raise
    return HeldLock(fd, backend)
