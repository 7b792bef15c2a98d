"""digest_core.locks: exclusive, blocking or fail-fast, released when the holder lets go or dies; and the same
behaviour of ingest, batch and the store on a Python without fcntl (Windows' msvcrt path, see no_fcntl.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from digest_core.locks import LockBusy, acquire

from ..conftest import run_cli
from ..reliability.conftest import one_line_error
from ..summarizer.corpus_data import FEED, write_feed
from .no_fcntl import LK_NBLCK, LK_UNLCK, simulate

HELPER = Path(__file__).with_name("no_fcntl.py")
ROOT = Path(__file__).resolve().parents[2]
# The children import this tree's digest_core and summarizer, whatever the current folder.
CHILD_ENV = {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
WITHOUT_FCNTL = [sys.executable, str(HELPER), "run"]  # a run_cli prefix


@pytest.fixture
def without_fcntl(monkeypatch) -> list[int]:
    """This process has no fcntl; the msvcrt calls the lock module makes are recorded in the returned list."""
    return simulate(monkeypatch.setitem)


@contextmanager
def held_elsewhere(*paths: Path, fcntl: bool = False) -> Iterator[subprocess.Popen]:
    """``paths`` locked by another process (without fcntl unless ``fcntl``) until the block ends."""
    args = [sys.executable, str(HELPER), "hold", *(["--fcntl"] if fcntl else []), *map(str, paths)]
    holder = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, **CHILD_ENV})
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        if holder.poll() is None:
            holder.stdin.close()  # end of input: the holder lets go and exits
        holder.wait(timeout=30)


def release_later(lock, seconds: float) -> threading.Thread:
    thread = threading.Thread(target=lambda: (time.sleep(seconds), lock.release()), daemon=True)
    thread.start()
    return thread


# ----------------------------------------------------------------------------- the lock itself (fcntl here)


def test_two_holders_exclude_each_other_until_the_first_lets_go(tmp_path):
    path = tmp_path / "ingest.lock"
    first = acquire(path)
    with pytest.raises(LockBusy):
        acquire(path, wait=0)
    started = time.monotonic()
    with pytest.raises(LockBusy):
        acquire(path, wait=0.6, poll=0.1)
    assert time.monotonic() - started >= 0.6  # it kept trying for the time it was given
    first.release()
    with acquire(path, wait=0):
        pass
    assert path.exists()  # the lock file stays where it was (empty), as the store's and batch's always did


def test_a_waiting_taker_gets_the_lock_when_the_holder_lets_go(tmp_path):
    path = tmp_path / ".index.lock"
    for wait in (None, 5.0):  # blocking, and polling with a deadline
        release_later(acquire(path), 0.5)
        started = time.monotonic()
        with acquire(path, wait=wait, poll=0.05):
            assert time.monotonic() - started >= 0.4


@pytest.mark.parametrize("fcntl", [True, False], ids=["fcntl", "without-fcntl"])
def test_a_holder_that_dies_releases_the_lock(tmp_path, fcntl, monkeypatch):
    path = tmp_path / "open.lock"
    if not fcntl:
        simulate(monkeypatch.setitem)
    with held_elsewhere(path, fcntl=fcntl) as holder:
        with pytest.raises(LockBusy):
            acquire(path, wait=0)
        holder.kill()  # no unlock, no close: the operating system must let go for it
        holder.wait(timeout=30)
        with acquire(path, wait=5):
            pass


# ----------------------------------------------------------------------------- without fcntl


def test_without_fcntl_the_lock_goes_through_msvcrt(tmp_path, without_fcntl):
    with pytest.raises(ImportError):
        import fcntl  # noqa: F401
    with acquire(tmp_path / "open.lock"):
        assert without_fcntl == [LK_NBLCK]
    assert without_fcntl == [LK_NBLCK, LK_UNLCK]


def test_without_fcntl_two_processes_exclude_each_other(tmp_path, without_fcntl):
    path = tmp_path / ".s1.lock"
    with held_elsewhere(path):
        with pytest.raises(LockBusy):
            acquire(path, wait=0)
        with pytest.raises(LockBusy):
            acquire(path, wait=0.3, poll=0.1)
    with acquire(path, wait=0):  # the holder let go
        pass
    with acquire(path):  # and the other way round: this process holds it, another cannot take it
        other = subprocess.run([sys.executable, str(HELPER), "try", str(path)], capture_output=True, text=True,
                               env={**os.environ, **CHILD_ENV}, timeout=60)
        assert (other.returncode, other.stdout.strip()) == (0, "busy"), other.stderr


def test_without_fcntl_a_busy_store_makes_ingest_wait_then_refuse_with_the_same_message(tmp_path, without_fcntl):
    story = write_feed(tmp_path / "story", {name: FEED[name] for name in ("f04.txt", "f05.txt")})
    store = tmp_path / "store"
    store.mkdir()
    with held_elsewhere(store / "ingest.lock"):
        refused = run_cli("ingest", str(story), "--store", str(store), cwd=tmp_path, prefix=WITHOUT_FCNTL,
                          env={**CHILD_ENV, "DIGEST_LOCK_TIMEOUT": "1"})
    assert refused.returncode == 2
    assert one_line_error(refused.stderr) == (f"error: {store} is being written by another digest process "
                                              "(waited 1 s, DIGEST_LOCK_TIMEOUT); try again when it has finished")
    done = run_cli("ingest", str(story), "--store", str(store), "--quiet", cwd=tmp_path, prefix=WITHOUT_FCNTL,
                   env=CHILD_ENV)
    assert done.returncode == 0, done.stderr  # the store's open lock and the writer lock, both without fcntl
    assert (store / "chroma.sqlite3").exists()


def test_without_fcntl_batch_skips_the_stories_another_process_is_writing(tmp_path, without_fcntl):
    feed = write_feed(tmp_path / "feed", {name: FEED[name] for name in ("f04.txt", "f05.txt", "f06.txt", "f07.txt")})
    store, out = tmp_path / "store", tmp_path / "out"
    assert run_cli("ingest", str(feed), "--store", str(store), "--quiet", cwd=tmp_path, prefix=WITHOUT_FCNTL,
                   env=CHILD_ENV).returncode == 0
    listed = run_cli("stories", "--json", "--store", str(store), cwd=tmp_path, prefix=WITHOUT_FCNTL, env=CHILD_ENV)
    ids = [story["id"] for story in json.loads(listed.stdout)["stories"]]
    assert len(ids) == 2, listed.stdout
    out.mkdir()
    with held_elsewhere(*(out / f".{story_id}.lock" for story_id in ids)):
        batch = run_cli("batch", "--store", str(store), "--offline", "--out", str(out), cwd=tmp_path, prefix=WITHOUT_FCNTL, env=CHILD_ENV)
    assert batch.returncode == 0, batch.stderr
    assert "2 stories: 2 busy" in batch.stdout  # skipped, not digested twice, and no model was loaded for them
    assert json.loads((out / "index.json").read_text())["stories"] == []  # the index was still written (locked)
