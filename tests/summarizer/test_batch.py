"""`digest batch` as a user runs it, with the bundled model: a folder per story, the index, resumable; two batch
processes at once on one store (embedded, sharing an output folder) and on a `chroma run` server (sharded)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from ..conftest import VENV_BIN, run_cli
from .corpus_data import FEED, LATER, write_feed

SMALL = {name: FEED[name] for name in ("f04.txt", "f05.txt", "f06.txt", "f07.txt", "f11.txt")}
STORY_FILES = ({"f04.txt", "f05.txt"}, {"f06.txt", "f07.txt"})
ENV = {"DIGEST_LLAMA_THREADS": "1"}


def batch_args(*extra: str) -> list[str]:
    return ["batch", "--max-sentences", "2", "--offline", *extra]


@pytest.fixture(scope="module")
def first_batch(tmp_path_factory):
    work = tmp_path_factory.mktemp("batch")
    feed = write_feed(work / "feed", SMALL)
    (feed / "broken.txt").write_bytes(b"\x00\x01binary\x00" * 20)
    ingest = run_cli("ingest", str(feed), "--store", str(work / "store"), "--quiet", cwd=work)
    done = run_cli(*batch_args("--store", str(work / "store"), "--out", str(work / "out"), "--workers", "2"),
                   cwd=work, env=ENV)
    return work, ingest, done


def test_batch_writes_every_story_and_the_index(first_batch):
    work, ingest, done = first_batch
    assert "broken.txt" in ingest.stderr  # the bad article is skipped with a warning, the rest goes on
    assert done.returncode == 0, done.stderr
    index = json.loads((work / "out" / "index.json").read_text())
    assert {frozenset(s["sources"]) for s in index["stories"]} == {frozenset(s) for s in STORY_FILES}
    for entry in index["stories"]:
        assert set(entry) == {"id", "title", "size", "sources", "digest", "faithfulness", "coverage", "seconds"}
        folder = work / "out" / entry["id"]
        assert {"digest.md", "digest.json", "report.html"} <= {p.name for p in folder.iterdir()}
        digest = json.loads((work / "out" / entry["digest"]).read_text())
        cited = {c["source"] for s in digest["sentences"] for c in s["citations"]}
        assert digest["sentences"] and cited <= set(entry["sources"])
        assert 0 < entry["faithfulness"] <= 1 and entry["seconds"] > 0
    page = (work / "out" / "index.html").read_text()
    assert all(f'href="{e["id"]}/report.html"' in page for e in index["stories"])
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "2 written" in done.stdout


def test_a_rerun_skips_unchanged_stories_and_redoes_a_changed_one(first_batch):
    work, _, _ = first_batch
    index = json.loads((work / "out" / "index.json").read_text())
    stamps = {e["id"]: (work / "out" / e["digest"]).stat().st_mtime_ns for e in index["stories"]}
    again = run_cli(*batch_args("--store", str(work / "store"), "--out", str(work / "out")), cwd=work, env=ENV)
    assert again.returncode == 0 and "2 unchanged" in again.stdout, again.stdout + again.stderr
    assert {e["id"]: (work / "out" / e["digest"]).stat().st_mtime_ns for e in index["stories"]} == stamps
    # a new article joins the storm story: that story (a new id) is digested, the other is left alone
    run_cli("ingest", str(write_feed(work / "later", {"g01.txt": LATER["g01.txt"]})), "--store", str(work / "store"),
            "--quiet", cwd=work)
    third = run_cli(*batch_args("--store", str(work / "store"), "--out", str(work / "out")), cwd=work, env=ENV)
    assert third.returncode == 0, third.stderr
    assert "1 written" in third.stdout and "1 unchanged" in third.stdout, third.stdout
    latest = json.loads((work / "out" / "index.json").read_text())
    assert frozenset({"f04.txt", "f05.txt", "g01.txt"}) in {frozenset(e["sources"]) for e in latest["stories"]}


def _start(args: list[str], cwd: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen([str(VENV_BIN / "digest"), *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "ANONYMIZED_TELEMETRY": "False", **ENV, **env})


def test_two_batch_processes_share_an_embedded_store_and_an_output_folder(tmp_path: Path):
    feed = write_feed(tmp_path / "feed", SMALL)
    assert run_cli("ingest", str(feed), "--store", str(tmp_path / "store"), "--quiet", cwd=tmp_path).returncode == 0
    args = batch_args("--store", str(tmp_path / "store"), "--out", str(tmp_path / "out"))
    procs = [_start(args, tmp_path, {}) for _ in range(2)]
    outputs = [p.communicate(timeout=900) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outputs]
    written = sum(o[0].count("\nwritten ") + o[0].startswith("written ") for o in outputs)
    assert written == 2, outputs  # each story digested once, by one of them
    index = json.loads((tmp_path / "out" / "index.json").read_text())
    assert {frozenset(s["sources"]) for s in index["stories"]} == {frozenset(s) for s in STORY_FILES}


def test_two_sharded_batch_processes_on_a_chroma_server(chroma_server, tmp_path: Path):
    env = {"DIGEST_COLLECTION": "batch-shards"}
    feed = write_feed(tmp_path / "feed", SMALL)
    done = run_cli("ingest", str(feed), "--chroma-url", chroma_server, "--quiet", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    procs = [_start(batch_args("--chroma-url", chroma_server, "--out", str(tmp_path / "out"), "--shard", f"{k}/2"),
                    tmp_path, env) for k in (1, 2)]
    outputs = [p.communicate(timeout=900) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outputs]
    index = json.loads((tmp_path / "out" / "index.json").read_text())
    assert {frozenset(s["sources"]) for s in index["stories"]} == {frozenset(s) for s in STORY_FILES}
    assert not (tmp_path / ".digest" / "chroma.sqlite3").exists()
