"""The embedder's memo: a text embedded again (the digest's report re-reads its sources) gives the same vector."""

import numpy as np

from evals.embedding import Embedder


def test_repeated_texts_come_back_identical_and_in_order():
    embedder = Embedder()
    first = embedder.embed(["The council approved the bridge.", "Ferries may lose business."])
    again = embedder.embed(["Ferries may lose business.", "The council approved the bridge.", "Ferries may lose business."])
    assert np.array_equal(again[0], first[1]) and np.array_equal(again[1], first[0]) and np.array_equal(again[2], first[1])
    fresh = Embedder().embed(["Ferries may lose business."])[0]  # no memo: computed from scratch
    assert np.allclose(fresh, first[1], atol=1e-5)
    assert embedder.embed([]).shape == (0, 384)
