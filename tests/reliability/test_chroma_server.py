"""Chroma server mode end to end: `chroma run` on 127.0.0.1, then ingest, run (the local model on a small
story) and eval, as a user would. Nothing may land in an embedded store when a server is given."""

from __future__ import annotations

import json

import pytest

from summarizer.stores import ChromaStore

from ..conftest import run_cli
from .conftest import write_story


@pytest.fixture(scope="module")
def server_run(chroma_server, tmp_path_factory):
    work = tmp_path_factory.mktemp("server-mode")
    story = write_story(work / "story")
    env = {"DIGEST_COLLECTION": "reliability-server"}
    ingest = run_cli("ingest", str(story), "--chroma-url", chroma_server, "--json", cwd=work, env=env)
    run = run_cli("run", str(story), "--chroma-url", chroma_server, "--out", str(work / "out"),
                  "--max-sentences", "2", "--quiet", cwd=work, env=env)
    return work, story, env, ingest, run


def test_ingest_writes_to_the_server_and_is_idempotent(server_run, chroma_server):
    work, story, env, ingest, _ = server_run
    assert ingest.returncode == 0, ingest.stderr
    data = json.loads(ingest.stdout)
    assert data["documents"] == 2 and data["chunks_total"] >= 2
    stored = ChromaStore(url=chroma_server, collection="reliability-server").passages()
    assert {p.source for p in stored} == {"harbour_a.txt", "harbour_b.txt"}
    again = run_cli("ingest", str(story), "--chroma-url", chroma_server, "--json", cwd=work, env=env)
    assert json.loads(again.stdout)["chunks_added"] == 0
    assert not (work / ".digest" / "chroma.sqlite3").exists()  # no embedded store on the side


def test_run_reads_the_server_and_writes_a_cited_digest(server_run):
    work, _, _, _, run = server_run
    assert run.returncode == 0, run.stderr
    digest = json.loads((work / "out" / "digest.json").read_text())
    assert digest["sentences"] and all(s["citations"] for s in digest["sentences"])
    assert {c["source"] for s in digest["sentences"] for c in s["citations"]} <= {"harbour_a.txt", "harbour_b.txt"}
    assert digest["timings"]["llm_cache_misses"] > 0


def test_a_rerun_against_the_server_is_served_by_the_llm_cache(server_run, chroma_server):
    work, story, env, _, _ = server_run
    rerun = run_cli("run", str(story), "--chroma-url", chroma_server, "--out", str(work / "again"),
                    "--max-sentences", "2", "--quiet", cwd=work, env=env)
    assert rerun.returncode == 0, rerun.stderr
    first = json.loads((work / "out" / "digest.json").read_text())
    second = json.loads((work / "again" / "digest.json").read_text())
    assert second["timings"]["llm_cache_misses"] == 0 and second["timings"]["llm"] == 0.0
    assert second["sentences"] == first["sentences"]


def test_eval_scores_the_server_mode_digest(server_run):
    work, story, _, _, run = server_run
    assert run.returncode == 0, run.stderr
    result = run_cli("eval", str(work / "out" / "digest.json"), "--sources", str(story),
                     "--json", str(work / "report.json"), cwd=work)
    assert result.returncode == 0, result.stderr
    report = json.loads((work / "report.json").read_text())
    assert len(report["sentences"]) >= 1
    assert report["summary"]["faithfulness"] > 0.5
