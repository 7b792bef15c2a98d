"""Adapters that let the standalone evaluator use this project's backends and prompts.

`evals` imports nothing from here: `digest eval --judge llm` passes a `BackendJudge` (which
satisfies `evals.llm_judge.JsonLLM`) into `evals.llm_judge.apply_llm_judge`, and `--ragas`
passes an OpenAI-compatible endpoint (`ragas_config`) into `evals.ragas_faithfulness`.
"""

from __future__ import annotations

from typing import Any, Callable, Literal

from pydantic import BaseModel, Field

from digest_core.errors import UserError
from evals.records import Report

from .backends import Backend
from .backends.openai_compat import OPENAI_URL, is_local_url
from .config import Settings
from .credentials import redact_url
from .prompts import render_messages


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
        raise UserError(RAGAS_NEEDS_ENDPOINT)
    base_url = (base_url or OPENAI_URL).rstrip("/")
    if settings.offline and not is_local_url(base_url):
        raise UserError(f"--ragas would send the summary to {redact_url(base_url)}; "
                              "--offline/DIGEST_OFFLINE=1 forbids it")
    if not settings.api_key() and not is_local_url(base_url):
        raise UserError(f"--ragas: OPENAI_API_KEY is not set for {redact_url(base_url)}")
    if settings.openai_request_headers() or settings.ca_bundle:
        # ragas builds its own OpenAI client from a URL and a key; it would go without them and be refused.
        raise UserError("--ragas cannot send DIGEST_OPENAI_HEADERS or use DIGEST_CA_BUNDLE; "
                              "use --judge llm, or an endpoint that needs neither")
    return RagasConfig(base_url=base_url, model=settings.api_model, api_key=settings.api_key(),
                       max_tokens=max_tokens or DEFAULT_MAX_TOKENS, timeout=max(settings.api_timeout, 120.0))


class OptionalJudges:
    """What `digest eval --judge llm` / `--ragas` add on top of the offline judge.

    Built before any scoring so that a missing endpoint or model fails in one line, at once.
    """

    def __init__(self, settings: Settings, judge: str = "offline", ragas: bool = False):
        if judge not in ("offline", "llm"):
            raise UserError(f"--judge must be offline or llm, not {judge!r}")
        self.llm: BackendJudge | None = None
        self.ragas: Any = None
        if ragas:
            from evals.ragas_faithfulness import RagasUnavailable, check_endpoint

            self.ragas = ragas_config(settings)
            try:
                check_endpoint(self.ragas)
            except RagasUnavailable as exc:
                raise UserError(str(exc)) from None
        if judge == "llm":
            from .pipeline import build_backend

            self.llm = BackendJudge(build_backend(settings), seed=settings.seed)

    def apply(self, report: Report, warn: Callable[[str], None] = lambda message: None) -> Report:
        """Run the LLM judge and/or ragas on a scored report; problems become per-sentence errors."""
        if self.llm is not None:
            from evals.llm_judge import apply_llm_judge

            apply_llm_judge(report, self.llm, model=self.llm.model)
            section = report.llm_judge
            if section.errors:
                warn(f"LLM judge gave no verdict for {section.errors} of {len(report.sentences)} sentences: "
                     f"{section.first_error}")
        if self.ragas is not None:
            from evals.ragas_faithfulness import RagasUnavailable, add_ragas

            try:
                add_ragas(report, self.ragas)
            except RagasUnavailable as exc:  # the endpoint went away after the check
                raise UserError(str(exc)) from None
            if report.ragas.errors:
                first = next(s.ragas.error for s in report.sentences if s.ragas and s.ragas.error)
                warn(f"ragas could not score {report.ragas.errors} of {len(report.sentences)} sentences: {first}")
        return report


def summary_lines(report: Report) -> list[str]:
    from evals.report_extras import summary_lines as lines

    return lines(report)
