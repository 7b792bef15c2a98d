"""The optional LM signal: evidence must make a faithful sentence more likely than an invented one,
and reusing the cached source prefix must give exactly what a fresh evaluation gives."""

import pytest

pytest.importorskip("llama_cpp")


@pytest.fixture(scope="module")
def lm():
    from evals.lm import LikelihoodRatio

    return LikelihoodRatio(n_threads=1)


@pytest.mark.slow
def test_evidence_raises_the_likelihood_of_a_faithful_sentence_more(lm, source_paths):
    evidence = source_paths[0].read_text(encoding="utf-8")[:600]
    faithful = lm.score("The Port City council voted 7 to 2 on Tuesday to approve a new bridge.", evidence)
    invented = lm.score("The bridge will also carry a light-rail line funded by a federal grant.", evidence)
    assert faithful > invented
    assert faithful > 0.5  # the evidence clearly helps the model predict a sentence it contains


@pytest.mark.slow
def test_rewinding_the_cached_prefix_matches_a_fresh_evaluation(lm, source_paths):
    from evals.lm import LikelihoodRatio

    first = source_paths[0].read_text(encoding="utf-8")[:600]
    other = source_paths[1].read_text(encoding="utf-8")[:400]
    long_one = "The council approved the bridge after a long debate about its cost and the river traffic it would block."
    short_one = "The vote was 7 to 2."
    # Score a long sentence, then a short one on the same cached prefix (stale positions past the
    # prefix must not leak), then switch source and back (the prefix must be rebuilt correctly).
    lm.score(long_one, first)
    reused = lm.score(short_one, first)
    lm.score(long_one, other)
    switched_back = lm.score(short_one, first)
    fresh = LikelihoodRatio(n_threads=1).score(short_one, first)
    assert reused == pytest.approx(fresh, abs=1e-3)
    assert switched_back == pytest.approx(fresh, abs=1e-3)
    # And the source matters: the same sentence given an unrelated source gains less.
    assert lm.score(short_one, other) < fresh


@pytest.mark.slow
def test_sentences_scored_together_do_not_see_each_other(lm, source_paths):
    """One batched decode holds several sentences, each in its own sequence over the shared source prefix:
    a sentence's value must not depend on its neighbours (only float rounding may differ)."""
    source = source_paths[0].read_text(encoding="utf-8")[:600]
    sentences = [
        "The Port City council voted 7 to 2 on Tuesday to approve a new bridge.",
        "The bridge will also carry a light-rail line funded by a federal grant.",
        "Construction is scheduled to begin next month.",
        "",
        "The mayor called the vote a historic day for the city and thanked the residents who came to speak.",
    ]
    together = lm.score_many(sentences, source)
    reversed_order = lm.score_many(sentences[::-1], source)[::-1]
    alone = [lm.score(s, source) for s in sentences]
    assert together[3] == 0.0  # an empty sentence has no tokens to score
    for t, r, a in zip(together, reversed_order, alone):
        assert t == pytest.approx(r, abs=2e-3)
        assert t == pytest.approx(a, abs=2e-2)
    # Had the sequences attended to each other, the repeated sentence would become nearly free to predict.
    repeated = lm.score_many([sentences[0], sentences[0]], source)
    assert repeated[1] == pytest.approx(repeated[0], abs=2e-3)
