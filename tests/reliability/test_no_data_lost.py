"""No data lost: atomic outputs, an interrupted ingest that a rerun completes, idempotent re-ingest, and two
processes ingesting into one store at once."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from summarizer.ingest import ingest, prepare
from summarizer.stores import ChromaStore

from ..conftest import VENV_BIN, run_cli



def story_corpus(folder: Path, n: int, words: str = "harbour") -> Path:
    """``n`` distinct small articles (distinct text, so each has its own passages)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        paragraphs = [f"Report {i}.{j}: the {words} council said on day {j} that crew {i} finished section {j} of "
                      f"the bridge, which cost {i * 10 + j} thousand euros." for j in range(12)]
        (folder / f"{words}_{i:02d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return folder


def stored(store_dir: Path) -> dict[str, list[str]]:
    """Passage ids per document, and a check that each document is complete and of one version."""
    store = ChromaStore(store_dir=store_dir)
    by_doc: dict[str, list[str]] = {}
    for p in store.passages():
        by_doc.setdefault(p.source_path, []).append(p.id)
    for path in by_doc:
        sha, n = store.document_state(path)
        assert sha is not None, f"{path} is stored incomplete or mixed ({n} passages)"
    return {k: sorted(v) for k, v in by_doc.items()}


WRITER = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from digest_core.files import write_atomic
    path = Path(sys.argv[1])
    big = [{"n": i, "text": "x" * 2000} for i in range(2000)]  # ~4 MB: a write takes long enough to interrupt
    i = 0
    while True:
        write_atomic(path, json.dumps({"version": i, "items": big}))
        i += 1
""")


def test_outputs_are_replaced_atomically_even_when_the_writer_is_killed(tmp_path):
    target = tmp_path / "digest.json"
    target.write_text(json.dumps({"version": -1, "items": []}), encoding="utf-8")
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(target)])
    try:
        deadline = time.monotonic() + 6
        reads = 0
        while time.monotonic() < deadline:
            json.loads(target.read_text(encoding="utf-8"))  # a half-written file would fail to parse here
            reads += 1
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    final = json.loads(target.read_text(encoding="utf-8"))
    assert reads > 10 and final["version"] >= 0
    assert not [p for p in tmp_path.iterdir() if p.name != "digest.json" and not p.name.endswith(".tmp")]


def test_a_partly_stored_document_is_completed_by_a_rerun(tmp_path):
    corpus = story_corpus(tmp_path / "c", 2)
    store = ChromaStore(store_dir=tmp_path / "store")
    first, _ = ingest([corpus], store)
    expected = stored(tmp_path / "store")
    # An ingest killed mid-document leaves only some of its passages: simulate exactly that.
    path = sorted(expected)[0]
    lost = expected[path][: len(expected[path]) // 2]
    store._collection.delete(ids=lost)
    assert store.document_state(path)[0] is None  # seen as incomplete, not as done

    rerun, _ = ingest([corpus], store)
    assert rerun.chunks_added == len(lost)
    assert stored(tmp_path / "store") == expected


def test_a_replacement_interrupted_between_add_and_delete_is_finished_by_a_rerun(tmp_path):
    corpus = story_corpus(tmp_path / "c", 1)
    store = ChromaStore(store_dir=tmp_path / "store")
    ingest([corpus], store)
    doc = next(corpus.iterdir())
    doc.write_text("A corrected report. The bridge reopened on Saturday, not Friday, the council said.\n",
                   encoding="utf-8")
    _, passages, _, _ = prepare([doc], 5 * 2**20)
    # The new version's passages went in, then the process died before the old ones were deleted.
    store._collection.upsert(ids=[p.id for p in passages], documents=[p.text for p in passages],
                             metadatas=[p.metadata(len(passages)) for p in passages])
    rerun, _ = ingest([corpus], store)
    assert [p.text for p in store.passages()] == [p.text for p in passages]
    assert rerun.chunks_total == len(passages)


def test_a_killed_ingest_leaves_a_store_that_a_rerun_completes(tmp_path):
    corpus = story_corpus(tmp_path / "c", 30)
    reference = run_cli("ingest", str(corpus), "--store", str(tmp_path / "ref"), "--json", cwd=tmp_path)
    assert reference.returncode == 0, reference.stderr
    expected = stored(tmp_path / "ref")

    store = tmp_path / "store"
    proc = subprocess.Popen([str(VENV_BIN / "digest"), "ingest", str(corpus), "--store", str(store)], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not (store / "chroma.sqlite3").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.5)  # into the embedding and writing of the 30 documents
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    rerun = run_cli("ingest", str(corpus), "--store", str(store), "--json", cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout)["chunks_total"] == json.loads(reference.stdout)["chunks_total"]
    assert stored(store) == expected


def test_reingest_through_the_cli_adds_nothing(tmp_path, story):
    first = run_cli("ingest", str(story), "--store", str(tmp_path / "s"), "--json", cwd=tmp_path)
    again = run_cli("ingest", str(story), "--store", str(tmp_path / "s"), "--json", cwd=tmp_path)
    assert first.returncode == again.returncode == 0
    one, two = json.loads(first.stdout), json.loads(again.stdout)
    assert one["chunks_added"] == one["chunks_total"] > 0
    assert two["chunks_added"] == 0 and two["chunks_total"] == one["chunks_total"]


def test_two_processes_ingesting_into_one_store_do_not_corrupt_it(tmp_path):
    a = story_corpus(tmp_path / "a", 12, "harbour")
    b = story_corpus(tmp_path / "b", 12, "river")
    store = tmp_path / "store"
    procs = [subprocess.Popen([str(VENV_BIN / "digest"), "ingest", str(c), "--store", str(store), "--json"],
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in (a, b)]
    outputs = [p.communicate(timeout=600) for p in procs]
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err
    results = [json.loads(out) for out, _ in outputs]
    ids = stored(store)
    assert len(ids) == 24
    assert sum(len(v) for v in ids.values()) == sum(r["chunks_added"] for r in results)
    assert max(r["chunks_total"] for r in results) == sum(len(v) for v in ids.values())
