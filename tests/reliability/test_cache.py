"""The LLM cache: content-addressed on disk, keyed by everything that decides the answer, robust to corrupt
entries, bypassed by --no-cache. The model behind it is a real HTTP server on 127.0.0.1 that counts requests."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from summarizer.backends.openai_compat import OpenAICompatBackend
from summarizer.cache import CachedBackend, model_identity
from summarizer.write.sentence import WrittenSentence

from ..conftest import run_cli
from .conftest import api_env, chat_body, sentence_reply

HELLO = [{"role": "user", "content": "Say hello."}]


def cached(server, cache_dir: Path, model: str = "scripted") -> CachedBackend:
    return CachedBackend(OpenAICompatBackend(base_url=server.base_url, api_key="k", model=model, backoff_base=0.01),
                         cache_dir)


def test_a_repeated_call_is_answered_from_disk(scripted_server, tmp_path):
    server = scripted_server([(200, chat_body("hello"))])
    first = cached(server, tmp_path / "cache")
    out = first.complete(HELLO, max_tokens=8)
    assert out.text == "hello" and len(server.requests) == 1
    real_seconds = first.stats()["llm_seconds"]
    assert real_seconds > 0

    again = first.complete(HELLO, max_tokens=8)
    assert again.text == "hello" and again.seconds == 0.0
    assert first.stats()["llm_seconds"] == real_seconds  # only calls that really ran count
    # A new process (a rerun after a crash) finds the same entry.
    second = cached(server, tmp_path / "cache")
    assert second.complete(HELLO, max_tokens=8).text == "hello"
    assert len(server.requests) == 1
    assert second.stats()["cache_hits"] == 1 and second.stats()["cache_misses"] == 0


@pytest.mark.parametrize("change", [
    {"max_tokens": 9}, {"temperature": 0.5}, {"seed": 1}, {"stop": ["\n"]},
    {"json_schema": WrittenSentence.model_json_schema()}, {"messages": [{"role": "user", "content": "Say hi."}]},
    {"model": "other-model"},
], ids=lambda c: next(iter(c)))
def test_everything_that_decides_the_answer_is_in_the_key(scripted_server, tmp_path, change):
    server = scripted_server([(200, chat_body("hello"))])
    cached(server, tmp_path / "cache").complete(HELLO, max_tokens=8)
    params = {"messages": HELLO, "max_tokens": 8, **change}
    model = params.pop("model", "scripted")
    cached(server, tmp_path / "cache", model=model).complete(**params)
    assert len(server.requests) == 2


def test_a_corrupt_entry_is_a_miss_and_is_rewritten(scripted_server, tmp_path):
    server = scripted_server([(200, chat_body("hello"))])
    backend = cached(server, tmp_path / "cache")
    backend.complete(HELLO, max_tokens=8)
    [entry] = list((tmp_path / "cache").rglob("*.json"))
    for garbage in (b"{\"key\": \"trunc", os.urandom(200), b"[]", json.dumps({"key": "other"}).encode()):
        entry.write_bytes(garbage)
        assert backend.complete(HELLO, max_tokens=8).text == "hello"
        assert json.loads(entry.read_text())["completion"]["text"] == "hello"
    assert len(server.requests) == 5
    assert not [p for p in (tmp_path / "cache").rglob("*") if p.name.endswith(".tmp")]


def test_structured_output_is_cached_too(scripted_server, tmp_path):
    server = scripted_server([(200, sentence_reply("The bridge reopened on Friday after repairs."))])
    for _ in range(2):
        result = cached(server, tmp_path / "cache").structured(HELLO, WrittenSentence, max_tokens=40)
        assert result is not None and result.sentence.startswith("The bridge")
    assert len(server.requests) == 1


def test_a_local_model_file_is_identified_by_path_size_and_mtime(tmp_path):
    class Local:  # stands for LlamaCppBackend, whose identity is its file
        name, model, context_length = "llamacpp", "m", 2048
        model_path = tmp_path / "m.gguf"

    Local.model_path.write_bytes(b"GGUF" + b"\0" * 100)
    before = model_identity(Local())
    os.utime(Local.model_path, ns=(1, 1))
    assert model_identity(Local()) != before  # a replaced model file never reuses old answers
    assert model_identity(Local())["size"] == 104


def test_a_rerun_pays_nothing_and_no_cache_pays_again(scripted_server, story, tmp_path):
    server = scripted_server([(200, sentence_reply())])

    def run(out: str, *flags: str):
        result = run_cli("run", str(story), "--backend", "openai", "--api-model", "scripted", "--max-sentences", "2",
                         "--store", str(tmp_path / "store"), "--out", str(tmp_path / out), *flags,
                         cwd=tmp_path, env=api_env(server.base_url))
        assert result.returncode == 0, result.stderr
        return json.loads((tmp_path / out / "digest.json").read_text())

    first = run("one")
    calls = len(server.requests)
    assert calls > 0 and first["timings"]["llm_cache_misses"] == calls and first["timings"]["llm_cache_hits"] == 0
    assert any((tmp_path / "store" / "llm-cache").rglob("*.json"))

    second = run("two")
    assert len(server.requests) == calls  # every prompt answered from the cache
    assert second["timings"]["llm_cache_hits"] == calls and second["timings"]["llm_cache_misses"] == 0
    assert second["timings"]["llm"] == 0.0
    assert second["sentences"] == first["sentences"]

    third = run("three", "--no-cache")
    assert len(server.requests) == 2 * calls
    assert "llm_cache_hits" not in third["timings"]


def test_the_cache_stays_under_its_size_cap_and_keeps_what_was_used_last(scripted_server, tmp_path):
    """Past the cap, least recently used entries go; an entry read recently survives an older untouched one."""
    server = scripted_server([(200, chat_body("x" * 2000))] * 12)
    cache_dir = tmp_path / "cache"
    backend = cached(server, cache_dir)
    prompts = [[{"role": "user", "content": f"prompt {k}"}] for k in range(6)]
    for k, prompt in enumerate(prompts):
        backend.complete(prompt, max_tokens=8)
        entry = next(cache_dir.glob(f"??/{backend.key(prompt, max_tokens=8, temperature=0.0, seed=0, json_schema=None, stop=None)}.json"))
        os.utime(entry, ns=(k * 10**9, k * 10**9))  # distinct, ordered use times
    entry_size = max(p.stat().st_size for p in cache_dir.glob("??/*.json"))
    backend.complete(prompts[0], max_tokens=8)  # a hit: prompt 0 becomes the most recently used
    assert len(server.requests) == 6

    capped = CachedBackend(backend.inner, cache_dir, max_bytes=int(entry_size * 4.5))  # opening prunes
    left = list(cache_dir.glob("??/*.json"))
    assert sum(p.stat().st_size for p in left) <= entry_size * 4.5 * 0.8 + 1
    assert capped.stats()["cache_pruned"] == 6 - len(left) > 0
    capped.complete(prompts[0], max_tokens=8)  # kept: it was used last
    assert len(server.requests) == 6
    capped.complete(prompts[1], max_tokens=8)  # the oldest untouched entry was deleted: asked again
    assert len(server.requests) == 7
