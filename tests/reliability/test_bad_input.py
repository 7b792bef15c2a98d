"""Bad input to every command (ingest, run, eval): one line per problem naming the file and what was done,
a non-zero exit only when nothing usable remained, and never a traceback (unless --debug)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from summarizer.stores import ChromaStore

from ..conftest import run_cli
from .conftest import HARBOUR_A, one_line_error

HTML = """<!doctype html><html><head><title>Bridge reopens</title>
<script>var tracker = "SCRIPT_MARKER"; document.write("SCRIPT_MARKER");</script>
<style>.x { content: "STYLE_MARKER"; }</style></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World NAV_MARKER</a></li></ul></nav>
<article><h1>Bridge reopens</h1>
<p>The Kessel harbour bridge reopened to traffic on Friday after two years of repairs, the city council said.</p>
<p>The repairs cost 40 million euros, according to the council's statement.</p></article>
<footer>Copyright 2024 FOOTER_MARKER. All rights reserved.</footer></body></html>
"""


def make_messy_folder(root: Path) -> Path:
    """Every kind of bad file next to two good ones (a plain article and an HTML page with chrome)."""
    root.mkdir()
    (root / "good.txt").write_text(HARBOUR_A, encoding="utf-8")
    (root / "page.html").write_text(HTML, encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.md").write_text("  \n\t\n   \n", encoding="utf-8")
    (root / "image.txt").write_bytes(bytes(range(256)) * 64)  # binary behind a text extension
    (root / "latin.txt").write_bytes("The caf\xe9 in M\xfcnchen raised prices by 10 percent last year, its owner said.".encode("cp1252"))
    (root / "garbled.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 10 + b" the end.")  # undecodable even as cp1252
    (root / "report.pdf").write_bytes(b"%PDF-1.4 binary")
    (root / "data.json").write_text("{}", encoding="utf-8")
    loop = root / "loop"
    loop.mkdir()
    (loop / "again").symlink_to(loop, target_is_directory=True)
    return root


def test_ingest_reports_every_bad_file_on_one_line_and_keeps_the_good_ones(tmp_path):
    folder = make_messy_folder(tmp_path / "in")
    result = run_cli("ingest", str(folder), str(tmp_path / "missing.txt"), "--store", str(tmp_path / "store"),
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()

    def line_for(name: str) -> str:
        found = [line for line in lines if name in line]
        assert len(found) == 1, f"expected one line naming {name}:\n{result.stderr}"
        return found[0]

    assert "empty" in line_for("empty.txt")
    assert "empty" in line_for("blank.md")
    assert "binary" in line_for("image.txt")
    assert "cp1252" in line_for("latin.txt")  # decoded with a warning, not dropped
    assert "undecodable" in line_for("garbled.txt")
    assert "unsupported file type '.pdf'" in line_for("report.pdf")
    assert "unsupported file type '.json'" in line_for("data.json")
    assert "no such file" in line_for("missing.txt")
    assert "symlink loop" in line_for("again")
    assert "3 documents" in result.stdout  # good.txt, page.html, latin.txt

    store = ChromaStore(store_dir=tmp_path / "store")
    html_text = " ".join(p.text for p in store.passages() if p.source == "page.html")
    assert "reopened to traffic on Friday" in html_text
    for marker in ("SCRIPT_MARKER", "STYLE_MARKER", "NAV_MARKER", "FOOTER_MARKER"):
        assert marker not in html_text


def test_a_folder_with_nothing_usable_fails_for_every_command(tmp_path):
    folder = tmp_path / "junk"
    folder.mkdir()
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "bin.md").write_bytes(b"\x00\xff" * 500)
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")

    ingest = run_cli("ingest", str(folder), "--store", str(tmp_path / "s"), cwd=tmp_path)
    assert ingest.returncode == 1
    assert "nothing usable" in one_line_error(ingest.stderr)
    assert "empty.txt" in ingest.stderr and "bin.md" in ingest.stderr and "notes.docx" in ingest.stderr

    run = run_cli("run", str(folder), "--store", str(tmp_path / "s"), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert run.returncode == 1  # as ingest: bad input, not a failure of the tool (README)
    assert "nothing usable" in one_line_error(run.stderr)
    assert not (tmp_path / "out").exists()

    summary = tmp_path / "summary.md"
    summary.write_text("The bridge reopened on Friday [1].\n", encoding="utf-8")
    evaluation = run_cli("eval", str(summary), "--sources", str(folder), cwd=tmp_path)
    assert evaluation.returncode == 1
    assert "no usable source" in one_line_error(evaluation.stderr)


def test_eval_with_bad_summary_files_is_one_line(tmp_path, story):
    missing = run_cli("eval", str(tmp_path / "nope.md"), "--sources", str(story), cwd=tmp_path)
    assert missing.returncode != 0 and "nope.md" in one_line_error(missing.stderr)

    binary = tmp_path / "summary.json"
    binary.write_bytes(b"\x00\x01\x02garbage\xff")
    bad = run_cli("eval", str(binary), "--sources", str(story), cwd=tmp_path)
    assert bad.returncode != 0 and "summary.json" in one_line_error(bad.stderr)


def test_eval_skips_bad_sources_and_scores_against_the_rest(tmp_path, story):
    (story / "empty.txt").write_text("", encoding="utf-8")
    (story / "slides.pdf").write_bytes(b"%PDF")
    summary = tmp_path / "summary.md"
    summary.write_text("The Kessel harbour bridge reopened on Friday after two years of repairs [1][2].\n",
                       encoding="utf-8")
    result = run_cli("eval", str(summary), "--sources", str(story), "--json", str(tmp_path / "r.json"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert any("empty.txt" in line and "empty" in line for line in result.stderr.splitlines())
    assert any("slides.pdf" in line and "unsupported" in line for line in result.stderr.splitlines())
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["sentences"][0]["verdict"] == "supported"


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    """20 MB of plausible text (distinct sentences, so nothing dedupes it away)."""
    path = tmp_path_factory.mktemp("big") / "huge.txt"
    with path.open("w", encoding="utf-8") as handle:
        i = 0
        while handle.tell() < 20 * 1024 * 1024:
            handle.write(f"Report {i}: the council said on day {i} that {i % 97} crews worked on bridge section "
                         f"{i % 13}, at a cost of {i * 7 % 1000} thousand euros.\n\n")
            i += 1
    return path


def test_a_20_mb_file_is_truncated_with_the_limit_named_in_bounded_time(tmp_path, big_file):
    started = time.monotonic()
    result = run_cli("ingest", str(big_file), "--store", str(tmp_path / "store"), "--json", cwd=tmp_path,
                     prefix=["/usr/bin/time", "-f", "MAXRSS_KB=%M"] if os.path.exists("/usr/bin/time") else None)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["documents"] == 1
    size_warning = [w for w in data["warnings"] if "huge.txt" in w and "5 MB file size limit" in w]
    assert size_warning, data["warnings"]
    assert any("huge.txt" in w and "kept the first 100,000" in w for w in data["warnings"])
    assert data["chunks_total"] < 400  # the text cap bounds the embedding work
    assert elapsed < 180, f"ingest of a 20 MB file took {elapsed:.0f}s"
    rss = [line for line in result.stderr.splitlines() if line.startswith("MAXRSS_KB=")]
    if rss:  # the file is read up to the limit only: memory stays far below 20 MB x decoding overhead
        assert int(rss[0].split("=")[1]) < 1_500_000


def test_the_file_size_limit_is_configurable_and_named(tmp_path, big_file):
    result = run_cli("ingest", str(big_file), "--store", str(tmp_path / "store"), "--json", cwd=tmp_path,
                     env={"DIGEST_MAX_FILE_MB": "0.05"})
    assert result.returncode == 0, result.stderr
    warnings = json.loads(result.stdout)["warnings"]
    assert any("20.0 MB is over the 0.05 MB file size limit (DIGEST_MAX_FILE_MB)" in w for w in warnings), warnings


def test_debug_flag_shows_the_traceback_that_is_otherwise_hidden(tmp_path, story):
    store = tmp_path / "store"
    store.mkdir()
    (store / "chroma.sqlite3").write_bytes(os.urandom(8192))  # a corrupt store
    plain = run_cli("ingest", str(story), "--store", str(store), cwd=tmp_path)
    assert plain.returncode == 2
    assert str(store) in one_line_error(plain.stderr)
    debug = run_cli("--debug", "ingest", str(story), "--store", str(store), cwd=tmp_path)
    assert debug.returncode != 0
    assert "Traceback" in debug.stderr


def test_run_digests_the_usable_files_and_names_the_rest(tmp_path, scripted_server):
    from .conftest import api_env, sentence_reply

    folder = make_messy_folder(tmp_path / "in")
    server = scripted_server([(200, sentence_reply())])
    result = run_cli("run", str(folder), str(tmp_path / "missing.txt"), "--backend", "openai", "--api-model", "s",
                     "--max-sentences", "2", "--store", str(tmp_path / "store"), "--out", str(tmp_path / "out"),
                     cwd=tmp_path, env=api_env(server.base_url))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for name in ("empty.txt", "image.txt", "report.pdf", "missing.txt", "garbled.txt"):
        assert sum(name in line for line in result.stderr.splitlines()) == 1, result.stderr
    digest = json.loads((tmp_path / "out" / "digest.json").read_text())
    assert {s["name"] for s in digest["sources"]} == {"good.txt", "page.html", "latin.txt"}
    assert any("image.txt" in w for w in digest["warnings"])
