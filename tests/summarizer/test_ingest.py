"""Ingest into a real Chroma (embedded and server) with the real offline embedder."""

import json
import shutil
import socket
import subprocess

import pytest

from summarizer.ingest import ingest
from summarizer.stores import ChromaStore, StoreError

from ..conftest import run_cli


@pytest.fixture
def corpus(tmp_path, seeds_dir):
    folder = tmp_path / "corpus"
    shutil.copytree(seeds_dir, folder)
    return folder


def test_ingest_is_idempotent_and_replaces_changed_files(tmp_path, corpus):
    store = ChromaStore(store_dir=tmp_path / "store")
    first, docs = ingest([corpus], store)
    assert first.documents == 5 and first.chunks_added == first.chunks_total > 10
    again, _ = ingest([corpus], store)
    assert again.chunks_added == 0 and again.chunks_total == first.chunks_total

    changed = corpus / "002_004267367ffada76.txt"
    changed.write_text("A new short report. The harbour reopened on Tuesday.\n", encoding="utf-8")
    third, _ = ingest([corpus], store)
    assert third.chunks_added == 1
    texts = [p.text for p in store.passages([str(changed.resolve())])]
    assert texts == ["A new short report. The harbour reopened on Tuesday."]


def test_what_a_newer_version_reads_from_an_unchanged_file_replaces_what_an_older_one_stored(tmp_path):
    from summarizer.corpus import sync_articles

    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "a.txt").write_text("Title: Harbour reopens after the storm\nOutlet: Coast Post\n\nThe harbour reopened "
                                  "on Tuesday after a week of repairs, the port authority said.\n", encoding="utf-8")
    store = ChromaStore(store_dir=tmp_path / "store")
    ingest([folder], store)
    path = str((folder / "a.txt").resolve())
    # What an older version stored for the same text: another title (say, its header parser cut a quotation mark)
    got = store._collection.get(where={"source_path": path}, include=["metadatas"])
    store._collection.update(ids=got["ids"], metadatas=[{**m, "title": "Harbour reopens after the"} for m in got["metadatas"]])
    records, _, _ = sync_articles(store)
    assert [r.title for r in records] == ["Harbour reopens after the"]

    again, _ = ingest([folder], store)
    assert again.chunks_added == 0  # nothing embedded again: the text is the same
    assert {p.title for p in store.passages([path])} == {"Harbour reopens after the storm"}
    assert {p.outlet for p in store.passages([path])} == {"Coast Post"}
    records, _, _ = sync_articles(store)
    assert [r.title for r in records] == ["Harbour reopens after the storm"]


def test_comments_are_stored_as_a_labelled_kind(tmp_path, corpus):
    store = ChromaStore(store_dir=tmp_path / "store")
    ingest([corpus], store)
    passages = store.passages()
    comments = [p for p in passages if p.kind == "comments"]
    assert comments and {p.source for p in comments} == {"001_d2692e86a73d5c36.txt"}
    articles = " ".join(p.text for p in passages if p.kind == "article")
    for marker in ("Read Next", "fedilink", "olor sit amet", "@NBCNews", "meat grinder"):
        assert marker not in articles
    # Retrieval by meaning works through our own embedder.
    hits = store.query("Which group of nations met when some of the talks happened?", k=3)
    assert any("Contact Group" in h.passage.text for h in hits)


def test_server_mode_matches_embedded(chroma_server, corpus, tmp_path):
    store = ChromaStore(url=chroma_server, collection="server-test")
    result, _ = ingest([corpus], store)
    embedded = ChromaStore(store_dir=tmp_path / "emb")
    expected, _ = ingest([corpus], embedded)
    assert result.chunks_total == expected.chunks_total
    assert [p.id for p in store.passages()] == [p.id for p in embedded.passages()]
    again, _ = ingest([corpus], store)
    assert again.chunks_added == 0


def test_unreachable_server_is_one_clear_line():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(StoreError, match=f"127.0.0.1:{port}"):
        ChromaStore(url=f"http://127.0.0.1:{port}")


def test_cli_json_offline_in_a_network_namespace(tmp_path, corpus):
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-n", "true"]).returncode != 0:
        pytest.skip("unshare -n is not available here (needs root or user namespaces)")
    result = run_cli("ingest", str(corpus), "--json", cwd=tmp_path, prefix=["unshare", "-n"])
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["documents"] == 5 and data["chunks_added"] == data["chunks_total"] > 0
    assert set(data) == {"schema_version", "documents", "chunks_added", "chunks_total", "skipped", "warnings"}
    assert data["schema_version"] == "1"
    assert (tmp_path / ".digest").is_dir()


def test_no_socket_is_opened_to_the_outside(tmp_path, corpus):
    """pytest-socket allows only loopback in this suite; an outside connection would raise here."""
    from pytest_socket import SocketConnectBlockedError

    with pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    store = ChromaStore(store_dir=tmp_path / "store")
    result, _ = ingest([corpus], store)
    assert result.documents == 5


def test_bad_inputs_get_one_line_each_and_exit_codes(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("The bridge opened on Friday after two years of work, the city said.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("   \n\n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 prices rose by 10 percent in M\xfcnchen last year.".encode("latin-1"))
    (tmp_path / "slides.pdf").write_bytes(b"%PDF-1.4")
    loop = tmp_path / "loop"
    loop.mkdir()
    (loop / "self").symlink_to(loop)
    result = run_cli(
        "ingest", str(tmp_path), str(tmp_path / "missing.txt"), "--store", str(tmp_path / "store"), "--json", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    assert data["documents"] == 2  # good.txt and latin.txt
    reasons = {s["path"].split("/")[-1]: s["reason"] for s in data["skipped"]}
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "unsupported" in reasons["slides.pdf"]
    assert "no such file" in reasons["missing.txt"]
    assert any("latin.txt" in w and "cp1252" in w for w in data["warnings"])

    nothing = run_cli("ingest", str(tmp_path / "missing.txt"), "--store", str(tmp_path / "s2"), cwd=tmp_path)
    assert nothing.returncode == 1
    assert "Traceback" not in nothing.stderr and "missing.txt" in nothing.stderr
