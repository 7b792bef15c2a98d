"""Faults, each met through the real CLI: an API server that misbehaves on purpose (a real HTTP server on
127.0.0.1, not a mock of the client), a Chroma server that is down, a corrupt or locked store, a file
that is not a model, and a model whose context is too small for the input."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from digest_core.llama_runtime import bundled_model_path
from digest_core.locks import acquire
from summarizer.backends import ContextTooSmall
from summarizer.backends.llamacpp import LlamaCppBackend
from summarizer.backends.openai_compat import OpenAICompatBackend
from summarizer.records import SourceSentence
from summarizer.write.sentence import MAX_TOKENS, WrittenSentence, _messages, write_sentence

from ..conftest import free_port, run_cli
from .conftest import api_env, chat_body, error_body, one_line_error, sentence_reply


def run_api(story: Path, tmp_path: Path, base_url: str, **env: str):
    return run_cli("run", str(story), "--backend", "openai", "--api-model", "scripted", "--no-cache",
                   "--store", str(tmp_path / "store"), "--out", str(tmp_path / "out"), "--max-sentences", "2",
                   cwd=tmp_path, env=api_env(base_url, **env))


# ----------------------------------------------------------------------------- the API backend
@pytest.mark.parametrize(
    "step, expected",
    [((429, error_body("slow down")), "HTTP 429"), ((503, error_body("overloaded")), "HTTP 503"),
     ("drop", "cannot reach the model server")],
    ids=["429", "503", "closed-mid-response"],
)
def test_api_faults_retry_with_backoff_then_fail_clearly(scripted_server, story, tmp_path, step, expected):
    server = scripted_server([step])
    started = time.monotonic()
    result = run_api(story, tmp_path, server.base_url)
    elapsed = time.monotonic() - started
    assert result.returncode == 2
    line = one_line_error(result.stderr)
    assert expected in line and "after 3 attempts" in line and server.base_url in line
    assert len(server.requests) == 3  # DIGEST_API_RETRIES=2: one try and two retries
    assert elapsed > 3.0  # backoff of 1 s then 2 s between the attempts
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_a_timeout_is_retried_then_named(scripted_server, story, tmp_path):
    server = scripted_server([("sleep", 4)])
    result = run_api(story, tmp_path, server.base_url, DIGEST_API_TIMEOUT="1", DIGEST_API_RETRIES="1")
    assert result.returncode == 2
    assert "did not answer within 1 s (after 2 attempts)" in one_line_error(result.stderr)


def test_transient_faults_are_survived(scripted_server, story, tmp_path):
    server = scripted_server([(429, error_body("slow down")), "drop", (500, error_body("oops")), (200, sentence_reply())])
    result = run_api(story, tmp_path, server.base_url, DIGEST_API_RETRIES="3")  # three faults in a row, then a reply
    assert result.returncode == 0, result.stderr
    digest = json.loads((tmp_path / "out" / "digest.json").read_text())
    assert digest["sentences"] and all(s["citations"] for s in digest["sentences"])
    assert len(server.requests) > 3


def test_a_wrong_api_key_is_named_without_retrying(scripted_server, story, tmp_path):
    server = scripted_server([(401, error_body("Invalid API key"))])
    result = run_api(story, tmp_path, server.base_url)
    assert result.returncode == 2
    assert "rejected the API key (HTTP 401)" in one_line_error(result.stderr)
    assert len(server.requests) == 1  # a refusal is not worth retrying


def test_a_missing_api_key_for_a_remote_url_fails_before_any_request(story, tmp_path):
    env = {"OPENAI_BASE_URL": "https://api.example.invalid/v1", "OPENAI_API_KEY": "", "DIGEST_OPENAI_API_KEY": ""}
    result = run_cli("run", str(story), "--backend", "openai", "--store", str(tmp_path / "s"), cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert "OPENAI_API_KEY is not set" in one_line_error(result.stderr)


# ----------------------------------------------------------------------------- stores
def test_a_chroma_server_that_is_down_is_named_with_its_url(story, tmp_path):
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    for args in (["ingest", str(story)], ["run", str(story), "--out", str(tmp_path / "out")]):
        result = run_cli(*args, "--chroma-url", url, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert f"cannot reach the Chroma server at {url}" in one_line_error(result.stderr)


@pytest.mark.parametrize("garbage", [b"not a database at all", os.urandom(64 * 1024)], ids=["text", "random"])
def test_a_corrupt_store_is_one_line_naming_it(story, tmp_path, garbage):
    store = tmp_path / "store"
    store.mkdir()
    (store / "chroma.sqlite3").write_bytes(garbage)
    for args in (["ingest", str(story)], ["run", str(story), "--out", str(tmp_path / "out")]):
        result = run_cli(*args, "--store", str(store), cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        line = one_line_error(result.stderr)
        assert f"cannot open the store at {store}" in line and "move the folder aside" in line


def hold_lock(store: Path, seconds: float) -> threading.Thread:
    """Take the store's writer lock in this process, as another `digest ingest` would, for ``seconds``."""
    store.mkdir(parents=True, exist_ok=True)
    held = acquire(store / "ingest.lock")

    def release() -> None:
        time.sleep(seconds)
        held.release()

    thread = threading.Thread(target=release, daemon=True)
    thread.start()
    return thread


def test_a_locked_store_makes_a_writer_wait_then_refuse_clearly(story, tmp_path):
    store = tmp_path / "store"
    holder = hold_lock(store, 8)
    refused = run_cli("ingest", str(story), "--store", str(store), cwd=tmp_path, env={"DIGEST_LOCK_TIMEOUT": "1"})
    assert refused.returncode == 2
    assert "being written by another digest process" in one_line_error(refused.stderr)
    holder.join()

    hold_lock(store, 3)
    started = time.monotonic()
    waited = run_cli("ingest", str(store.parent / "story"), "--store", str(store), cwd=tmp_path)
    assert waited.returncode == 0, waited.stderr
    assert time.monotonic() - started > 2.5  # it waited for the lock instead of writing alongside


# ----------------------------------------------------------------------------- models
def test_a_file_that_is_not_a_model_is_one_line(story, tmp_path):
    notes = tmp_path / "notes.gguf"
    notes.write_text("these are my notes, not a model\n", encoding="utf-8")
    result = run_cli("run", str(story), "--model", str(notes), "--store", str(tmp_path / "s"), cwd=tmp_path)
    assert result.returncode == 2
    assert f"not a GGUF model file (wrong magic bytes): {notes}" in one_line_error(result.stderr)

    truncated = tmp_path / "cut.gguf"
    with bundled_model_path().open("rb") as handle:
        truncated.write_bytes(handle.read(2 * 1024 * 1024))
    result = run_cli("run", str(story), "--model", str(truncated), "--store", str(tmp_path / "s"), cwd=tmp_path)
    assert result.returncode == 2
    assert f"could not load the model (corrupt or unsupported GGUF): {truncated}" in one_line_error(result.stderr)


LONG = ("The Kessel harbour bridge, which first opened in 1931 and carries the main coastal road over the "
        "river mouth, reopened to traffic on Friday after two years of repairs costing 40 million euros, "
        "the city council said in a statement that also thanked residents for their patience during the work.")


def long_inputs(n: int) -> list[SourceSentence]:
    # Two long sentences per source: ~150 tokens each, so three sources overflow a 448-token context.
    return [SourceSentence(text=f"{LONG} {LONG}", source=f"s{i}.txt", passage_id=f"p{i}", position=0) for i in range(n)]


def test_a_context_too_small_for_the_input_is_reduced_and_reported():
    backend = LlamaCppBackend(n_ctx=448)
    inputs = long_inputs(3)
    with pytest.raises(ContextTooSmall):  # without reduction this claim does not fit
        backend.structured(_messages([s.text for s in inputs], None, None), WrittenSentence, max_tokens=MAX_TOKENS)
    notes: list[str] = []
    text = write_sentence(backend, inputs, warn=notes.append)
    assert notes and "448-token context" in notes[0] and "shortened" in notes[0]
    assert text is None or "bridge" in text.lower()


def test_an_api_context_error_falls_back_to_the_source_text(scripted_server):
    server = scripted_server([(400, error_body("This model's maximum context length is 512 tokens"))])
    backend = OpenAICompatBackend(base_url=server.base_url, api_key="k", model="scripted", backoff_base=0.01)
    notes: list[str] = []
    assert write_sentence(backend, long_inputs(1), warn=notes.append) is None
    assert notes and "does not fit" in notes[0]
