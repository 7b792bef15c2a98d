"""Adapters that let the standalone evaluator use this project's backends and prompts.

`evals` imports nothing from here: `digest eval --judge llm` passes a `BackendJudge` (which
satisfies `evals.llm_judge.JsonLLM`) into `evals.llm_judge.apply_llm_judge`, and `--ragas`
passes an OpenAI-compatible endpoint (`ragas_config`) into `evals.ragas_faithfulness`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from .backends import Backend
from .backends.openai_compat import OPENAI_URL, is_local_url
from .config import Settings
from .prompts import render_messages


class UserFacingError(Exception):
    """Raised with a one-line message the CLI prints as is."""


class JudgeAnswer(BaseModel):
    """The judge_sentence prompt's answer; its JSON schema becomes a llama.cpp grammar."""

    verdict: Literal["supported", "unsupported", "contradicted"]
    reason: str = Field(max_length=200)


class BackendJudge:
    """`judge(evidence, sentence) -> dict | None` over any Backend and prompts/judge_sentence.txt.

    `Backend.structured` validates the answer and retries once with the error shown to the model;
    None after that means malformed output. Backend errors propagate; the evaluator reports them
    on the sentence.
    """

    def __init__(self, backend: Backend, *, max_tokens: int = 120, seed: int = 0):
        self.backend = backend
        self.max_tokens = max_tokens
        self.seed = seed

    @property
    def model(self) -> str:
        return f"{self.backend.name}:{self.backend.model}"

    def judge(self, evidence: str, sentence: str) -> dict[str, Any] | None:
        messages = render_messages("judge_sentence", evidence=evidence, sentence=sentence)
        answer = self.backend.structured(messages, JudgeAnswer, max_tokens=self.max_tokens, seed=self.seed)
        return None if answer is None else answer.model_dump()


RAGAS_NEEDS_ENDPOINT = (
    "--ragas needs an OpenAI-compatible endpoint: with the local backend, serve the model with "
    "`python -m llama_cpp.server --model <file.gguf> --host 127.0.0.1 --port 8000` and set "
    "OPENAI_BASE_URL=http://127.0.0.1:8000/v1"
)


def ragas_config(settings: Settings, max_tokens: int | None = None) -> Any:
    """Where ragas should send its requests, from the same settings as the backends.

    ragas only speaks to OpenAI clients, so nothing is started behind the user's back: the local
    backend needs OPENAI_BASE_URL pointing at a running server; the openai backend uses its own
    endpoint (api.openai.com unless OPENAI_BASE_URL says otherwise).
    """
    from evals.ragas_faithfulness import DEFAULT_MAX_TOKENS, RagasConfig

    base_url = settings.openai_base_url
    if settings.backend == "local" and not base_url:
        raise UserFacingError(RAGAS_NEEDS_ENDPOINT)
    base_url = (base_url or OPENAI_URL).rstrip("/")
    if settings.offline and not is_local_url(base_url):
        raise UserFacingError(f"--ragas would send the summary to {base_url}; --offline/DIGEST_OFFLINE=1 forbids it")
    if not settings.openai_api_key and not is_local_url(base_url):
        raise UserFacingError(f"--ragas: OPENAI_API_KEY is not set for {base_url}")
    return RagasConfig(base_url=base_url, model=settings.api_model, api_key=settings.openai_api_key,
                       max_tokens=max_tokens or DEFAULT_MAX_TOKENS, timeout=max(settings.api_timeout, 120.0))
