"""Text-generation backends behind one protocol; `make_backend` is the only constructor callers need.

    from summarizer.backends import make_backend
    llm = make_backend("local")                      # bundled SmolLM2-135M, offline
    llm = make_backend("openai", api_model="gpt-4o-mini")
    llm.complete([{"role": "user", "content": "Hi"}], max_tokens=20).text

Concrete modules are imported inside make_backend so that importing this package does not load
llama.cpp or the OpenAI client.
"""

from __future__ import annotations

import os
from typing import Literal

from .base import (
    AuthError,
    Backend,
    BackendError,
    BackendUnavailable,
    Completion,
    ContextTooSmall,
    ModelFileError,
    sanitize_untrusted,
)

BackendKind = Literal["local", "openai"]
KINDS: tuple[str, ...] = ("local", "openai")

__all__ = ["AuthError", "Backend", "BackendError", "BackendKind", "BackendUnavailable", "Completion",
           "ContextTooSmall", "ModelFileError", "from_langchain", "make_backend", "sanitize_untrusted"]


def from_langchain(chat_model, *, context_length: int = 8192, model: str | None = None) -> Backend:
    """Any LangChain chat model as the digest's writer: ``run_digest(paths, settings, backend=from_langchain(chat))``."""
    from .langchain_adapter import from_langchain as adapt  # LangChain loads only when asked for

    return adapt(chat_model, context_length=context_length, model=model)


def make_backend(kind: BackendKind, *, model_path: str | os.PathLike[str] | None = None, base_url: str | None = None,
                 api_key: str | None = None, api_model: str | None = None, offline: bool = False,
                 n_ctx: int | None = None, n_threads: int | None = None, timeout: float = 60.0, max_retries: int = 3, backoff_base: float = 1.0,
                 schema_mode: str = "auto", context_length: int = 8192, headers: dict[str, str] | None = None,
                 ca_bundle: str | os.PathLike[str] | None = None) -> Backend:
    """Build a backend. `offline=True` (from --offline / DIGEST_OFFLINE=1) forbids the API backend.

    n_threads defaults to the cores other processes leave idle (digest_core.cpu.idle_cores); on a machine
    busy with other work, fewer threads can be several times faster, because llama.cpp's threads
    spin-wait for each other. `headers` (extra HTTP headers, e.g. a gateway's key) and `ca_bundle` (PEM file
    of trusted certificate authorities) apply to the API backend only.
    """
    if kind == "local":
        from .llamacpp import LlamaCppBackend

        return LlamaCppBackend(model_path, n_ctx=n_ctx, n_threads=n_threads)
    if kind == "openai":
        if offline:
            raise BackendError("the API backend needs the network; --offline/DIGEST_OFFLINE=1 forbids it")
        from .openai_compat import OpenAICompatBackend

        return OpenAICompatBackend(base_url=base_url, api_key=api_key, model=api_model, timeout=timeout,
                                   max_retries=max_retries, backoff_base=backoff_base,
                                   schema_mode=schema_mode,  # type: ignore[arg-type]
                                   context_length=context_length, headers=headers, ca_bundle=ca_bundle)
    raise BackendError(f"unknown backend {kind!r}; choose one of: {', '.join(KINDS)}")
