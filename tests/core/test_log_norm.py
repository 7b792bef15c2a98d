"""The LM signal's log-softmax normaliser: split among threads, in a kept scratch array, and the same to the bit
as the plain formula it replaced (so every figure built on it is unchanged)."""

import numpy as np

from digest_core.llama_runtime import LogNormaliser


def plain(logits: np.ndarray) -> np.ndarray:
    peak = logits.max(axis=1, keepdims=True)
    return peak[:, 0].astype(np.float64) + np.log(np.exp(logits - peak).sum(axis=1, dtype=np.float64))


def test_every_split_gives_the_plain_formulas_figures_to_the_bit():
    rng = np.random.default_rng(7)
    logits = (rng.standard_normal((300, 49152)) * 4).astype(np.float32)
    for threads in (1, 2, 3):
        normaliser = LogNormaliser(threads)
        for rows in (1, 2, 17, 300, 5):  # growing, then smaller than the scratch kept from before
            assert np.array_equal(normaliser(logits[:rows]), plain(logits[:rows])), (threads, rows)
    odd = (rng.standard_normal((9, 1000)) * 4).astype(np.float32)  # another vocabulary size
    assert np.array_equal(LogNormaliser(2)(odd), plain(odd))
