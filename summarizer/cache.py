"""An on-disk, content-addressed cache of LLM completions, as a Backend wrapper.

    backend = CachedBackend(make_backend("local"), Path(".digest/llm-cache"))

A rerun after a crash, or a CI job with a warm cache, pays only for prompts it has not seen. The
key is the sha256 of everything that decides the answer: backend kind, model identity (file path,
size and mtime for a local GGUF; base URL and model id for an API), messages, max_tokens,
temperature, seed, json_schema and stop. One JSON file per entry, written atomically (temp file and
rename) so two processes sharing a cache never read half an entry; an unreadable entry is a miss.

Size: the cache is capped (``DIGEST_CACHE_MAX_MB``, 256 MB by default). A hit refreshes its entry's
modification time; when the cap is passed, the least recently used entries are deleted until the
cache is back under 80 % of it. The check runs when the cache is opened and every 100 writes.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .backends.base import Backend, Completion, Message, M, structured_output
from .credentials import redact, redact_url

FORMAT = 1  # bump when the key or the entry layout changes, so old entries are never misread
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
_PRUNE_EVERY = 100  # writes between size checks


def model_identity(backend: Backend) -> dict[str, Any]:
    """What identifies the weights behind ``backend`` without hashing a file of hundreds of MB."""
    path = getattr(backend, "model_path", None)
    if path is not None:
        try:
            st = Path(path).stat()
            return {"path": str(Path(path).resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
        except OSError:
            return {"path": str(path)}
    base_url = getattr(backend, "base_url", None)
    return {"base_url": redact_url(base_url) if base_url else None, "model": backend.model}


class CachedBackend:
    """Same protocol as the backend it wraps; `stats()` adds cache_hits and cache_misses."""

    def __init__(self, inner: Backend, cache_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES):
        self.inner = inner
        self.cache_dir = Path(cache_dir)
        self.max_bytes = max_bytes
        self._writes = 0
        self.name = inner.name
        self.model = inner.model
        self.context_length = inner.context_length
        self._identity = model_identity(inner)
        self.hits = 0
        self.misses = 0
        self.pruned = 0
        self.prune()

    def __getattr__(self, attr: str) -> Any:  # model_path, special_tokens, ... of the wrapped backend
        if attr == "inner":  # not set yet (copy/pickle): avoid endless recursion
            raise AttributeError(attr)
        return getattr(self.inner, attr)

    def key(self, messages: list[Message], **params: Any) -> str:
        material = {"format": FORMAT, "backend": self.inner.name, "model": self._identity,
                    "messages": messages, **params}
        blob = json.dumps(material, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.cache_dir / key[:2] / f"{key}.json"

    def _read(self, key: str) -> Completion | None:
        try:
            path = self._path(key)
            entry = json.loads(path.read_text(encoding="utf-8"))
            if entry.get("key") != key:
                return None  # a file moved or written by something else: not ours to trust
            c = entry["completion"]
            os.utime(path)  # recently used: the last to be pruned
            return Completion(text=str(c["text"]), prompt_tokens=int(c["prompt_tokens"]),
                              completion_tokens=int(c["completion_tokens"]), seconds=0.0,
                              finish_reason=c.get("finish_reason"))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # missing, truncated or corrupt: a miss, and the entry is rewritten

    def _write(self, key: str, messages: list[Message], completion: Completion) -> None:
        path = self._path(key)
        entry = {"key": key, "backend": self.inner.name, "model": self._identity, "messages": messages,
                 "completion": {"text": completion.text, "prompt_tokens": completion.prompt_tokens,
                                "completion_tokens": completion.completion_tokens,
                                "finish_reason": completion.finish_reason, "seconds": completion.seconds}}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(redact(json.dumps(entry, ensure_ascii=False)))  # no API key or token, ever
            os.replace(tmp, path)
        except OSError:
            return  # a cache that cannot be written (full disk, read-only) must not fail the run
        self._writes += 1
        if self._writes % _PRUNE_EVERY == 0:
            self.prune()

    def prune(self) -> int:
        """Delete least recently used entries while the cache is over ``max_bytes``; returns how many."""
        entries = []
        try:
            for path in self.cache_dir.glob("??/*.json"):
                try:
                    st = path.stat()
                except OSError:
                    continue  # removed meanwhile by another process
                entries.append((st.st_mtime_ns, st.st_size, path))
        except OSError:
            return 0
        total = sum(size for _, size, _ in entries)
        if total <= self.max_bytes:
            return 0
        removed = 0
        for _, size, path in sorted(entries):
            if total <= self.max_bytes * 0.8:
                break
            try:
                path.unlink()
            except OSError:
                continue
            total -= size
            removed += 1
        self.pruned += removed
        return removed

    def complete(self, messages: list[Message], *, max_tokens: int, temperature: float = 0.0, seed: int = 0,
                 json_schema: dict[str, Any] | None = None, stop: list[str] | None = None) -> Completion:
        key = self.key(messages, max_tokens=max_tokens, temperature=temperature, seed=seed,
                       json_schema=json_schema, stop=stop or None)
        cached = self._read(key)
        if cached is not None:
            self.hits += 1
            return cached
        result = self.inner.complete(messages, max_tokens=max_tokens, temperature=temperature, seed=seed,
                                     json_schema=json_schema, stop=stop)
        self.misses += 1
        self._write(key, messages, result)
        return result

    def structured(self, messages: list[Message], model_cls: type[M], *, max_tokens: int = 256,
                   temperature: float = 0.0, seed: int = 0, repair: bool = True) -> M | None:
        # Through our own complete(), so every attempt (and the repair turn) is cached.
        return structured_output(self, messages, model_cls, max_tokens=max_tokens,  # type: ignore[arg-type]
                                 temperature=temperature, seed=seed, repair=repair)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def stats(self) -> dict[str, float | int]:
        return {**self.inner.stats(), "cache_hits": self.hits, "cache_misses": self.misses, "cache_pruned": self.pruned}
