"""ragas' Faithfulness metric beside ours, through any OpenAI-compatible endpoint.

Each summary sentence is scored on its own as ragas' ``response``, with the passages our aligner
retrieved for it (``SentenceScore.evidence``) as ``retrieved_contexts`` and a generic
``user_input``; the summary-level figure is the mean over the sentences ragas could score.

ragas' natural interface is an OpenAI client (its ``collections.Faithfulness`` only accepts an
instructor-based LLM), so this module takes ``base_url``/``api_key``/``model`` and nothing else:
for the bundled model, serve it with ``python -m llama_cpp.server``. The instructor client is
built by hand (PLATFORM.md): against servers other than api.openai.com it uses instructor's
``Mode.JSON_SCHEMA``, i.e. ``response_format={"type": "json_object", "schema": ...}``, which
llama-cpp-python's server turns into a decoding grammar. A small model still often runs into
max_tokens or returns no statement: every such failure is reported per sentence as an explicit
error string, never as NaN and never as an exception.
"""

from __future__ import annotations

import asyncio
import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence
from urllib.parse import urlparse

from digest_core.errors import UserError
from evals.records import RagasScore, RagasSection, Report

# ragas posts usage analytics to its own server unless told not to; this tool promises no
# network beyond the endpoint it was given.
os.environ.setdefault("RAGAS_DO_NOT_TRACK", "true")

USER_INPUT = "Summarise the news reported in the source articles."
DEFAULT_MAX_TOKENS = 1024  # ragas' own default (InstructorModelArgs)


class RagasUnavailable(UserError):
    """The endpoint cannot be reached, or ragas cannot be imported; str() is one line."""


@dataclass
class RagasConfig:
    base_url: str
    model: str
    api_key: str | None = None
    max_tokens: int = DEFAULT_MAX_TOKENS
    timeout: float = 120.0
    # instructor retries re-ask on validation errors; 0 keeps the cost per sentence predictable
    # (IncompleteOutputException is never retried by instructor anyway).
    retries: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    served_models: list[str] = field(default_factory=list)  # filled by check_endpoint


def _one_line(text: object, limit: int = 240) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def error_string(exc: BaseException) -> str:
    return _one_line(f"{type(exc).__name__}: {exc}" if str(exc).strip() else type(exc).__name__)


def _is_openai_proper(url: str) -> bool:
    return (urlparse(url).hostname or "").lower() == "api.openai.com"


def check_endpoint(config: RagasConfig) -> None:
    """Fail fast, with one line, when nothing answers at ``base_url`` (rather than N identical errors)."""
    import httpx

    url = config.base_url.rstrip("/") + "/models"
    headers = {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}
    try:
        response = httpx.get(url, headers=headers, timeout=min(config.timeout, 10.0))
    except httpx.HTTPError as exc:
        raise RagasUnavailable(f"--ragas: cannot reach the OpenAI-compatible endpoint at {config.base_url} "
                               f"({error_string(exc)})") from None
    if response.status_code in (401, 403):
        raise RagasUnavailable(f"--ragas: the endpoint at {config.base_url} rejected the API key "
                               f"(HTTP {response.status_code}); check OPENAI_API_KEY")
    try:  # which model answers, for the report (llama.cpp's server ignores the requested name)
        config.served_models = [m["id"] for m in response.json().get("data", [])][:5]
    except (ValueError, AttributeError, KeyError, TypeError):
        config.served_models = []


def make_ragas_llm(config: RagasConfig) -> Any:
    """An ``InstructorLLM`` over an AsyncOpenAI client, in the JSON mode this endpoint understands."""
    try:
        import instructor
        from openai import AsyncOpenAI
        from ragas.llms.base import InstructorLLM, InstructorModelArgs
    except ImportError as exc:  # pragma: no cover - ragas is a hard dependency
        raise RagasUnavailable(f"--ragas: ragas cannot be imported ({error_string(exc)})") from None
    raw = AsyncOpenAI(base_url=config.base_url, api_key=config.api_key or "sk-no-key-required",
                      timeout=config.timeout, max_retries=0)
    mode = instructor.Mode.JSON if _is_openai_proper(config.base_url) else instructor.Mode.JSON_SCHEMA
    client = instructor.from_openai(raw, mode=mode)
    args = InstructorModelArgs(max_tokens=config.max_tokens)
    return InstructorLLM(client=client, model=config.model, provider="openai", model_args=args,
                         max_retries=config.retries, **config.extra)


async def _score_one(metric: Any, response: str, contexts: list[str]) -> RagasScore:
    started = time.perf_counter()
    if not contexts:
        return RagasScore(error="no retrieved context for this sentence", seconds=0.0)
    try:
        result = await metric.ascore(user_input=USER_INPUT, response=response, retrieved_contexts=contexts)
        value = float(result.value)
    except Exception as exc:  # noqa: BLE001 - each failure is reported on its sentence
        return RagasScore(error=error_string(exc), seconds=round(time.perf_counter() - started, 3))
    seconds = round(time.perf_counter() - started, 3)
    if math.isnan(value) or math.isinf(value):
        # ragas returns NaN when the model produced no statement or no verdict.
        return RagasScore(error="ragas produced no statement/verdict for this sentence (it would report NaN)",
                          seconds=seconds)
    return RagasScore(score=round(min(max(value, 0.0), 1.0), 4), seconds=seconds)


async def _score_all(metric: Any, items: Sequence[tuple[str, list[str]]]) -> list[RagasScore]:
    # Sequential on purpose: a local server decodes one request at a time anyway.
    return [await _score_one(metric, response, contexts) for response, contexts in items]


def score_sentences(items: Sequence[tuple[str, list[str]]], config: RagasConfig, *,
                    check: bool = True) -> list[RagasScore]:
    """ragas Faithfulness of each (sentence, contexts) pair; one RagasScore per pair, in order."""
    if check:
        check_endpoint(config)
    from ragas.metrics.collections import Faithfulness

    metric = Faithfulness(llm=make_ragas_llm(config))
    return asyncio.run(_score_all(metric, items))


def summarize(scores: Sequence[RagasScore], config: RagasConfig, seconds: float) -> RagasSection:
    """The ``report.ragas`` section: mean over scored sentences (null when none), errors counted."""
    values = [s.score for s in scores if s.score is not None]
    return RagasSection(
        metric="ragas.metrics.collections.Faithfulness (ragas 0.4.3), one sentence per sample",
        faithfulness=round(sum(values) / len(values), 4) if values else None,
        scored=len(values),
        errors=sum(1 for s in scores if s.error is not None),
        model=config.model,
        served_models=[Path(m).name if "/" in m else m for m in config.served_models],
        base_url=config.base_url,
        seconds=round(seconds, 3),
        sentences=[s.model_copy() for s in scores],
    )


def add_ragas(report: Report, config: RagasConfig) -> Report:
    """Score every sentence of ``report`` with ragas; attach per-sentence results and ``report.ragas``.

    Raises RagasUnavailable (one line) only when the endpoint does not answer at all.
    """
    started = time.perf_counter()
    items = [(s.text, [e.text for e in s.evidence]) for s in report.sentences]
    scores = score_sentences(items, config)
    for sentence, score in zip(report.sentences, scores):
        sentence.ragas = score
    report.ragas = summarize(scores, config, time.perf_counter() - started)
    return report
