"""The embedder's memo: a text embedded again (the digest's report re-reads its sources) gives the same vector."""

import numpy as np

from digest_core.embedding import Embedder


def test_repeated_texts_come_back_identical_and_in_order():
    embedder = Embedder()
    first = embedder.embed(["The council approved the bridge.", "Ferries may lose business."])
    again = embedder.embed(["Ferries may lose business.", "The council approved the bridge.", "Ferries may lose business."])
    assert np.array_equal(again[0], first[1]) and np.array_equal(again[1], first[0]) and np.array_equal(again[2], first[1])
    fresh = Embedder().embed(["Ferries may lose business."])[0]  # no memo: computed from scratch
    assert np.allclose(fresh, first[1], atol=1e-5)
    assert embedder.embed([]).shape == (0, 384)


def test_texts_of_mixed_lengths_are_batched_by_tokens_and_embed_as_they_would_alone():
    from digest_core.embedding import _packed

    texts = ["truce", "talks", "", "The council approved the bridge after a long debate about ferries and tolls. " * 3,
             "Officials raised the possibility of negotiations.", "Kyiv"]
    together = Embedder().embed(texts)
    alone = np.stack([Embedder().embed([t])[0] for t in texts])
    assert np.allclose(together, alone, atol=1e-5)
    embedder = Embedder()
    encodings = embedder._tokenizer.encode_batch([t or " " for t in texts])
    batches = _packed(encodings, 64)
    assert sorted(i for b in batches for i in b) == list(range(len(texts)))
    long = texts.index(texts[3])
    assert [long] in batches  # the long sentence is not padded against single words


def test_prefetched_texts_come_back_identical_whether_done_or_still_being_embedded():
    texts = ["truce", "The council approved the bridge after a long debate.", "", "Kyiv",
             "Officials raised the possibility of negotiations with Russia."]
    plain = Embedder().embed(texts)
    embedder = Embedder()
    embedder.prefetch(texts[:2])
    embedder.prefetch(texts)  # the first two are already on their way: not embedded twice
    embedder.prefetch(texts)  # nothing new
    got = embedder.embed(texts[::-1])[::-1]  # waits for whatever is still running
    assert np.array_equal(got, plain)  # a vector does not depend on the batch it was made in
    assert not embedder._pending and embedder.embed(texts).shape == (5, 384)
