"""The optional LM signal: evidence must make a faithful sentence more likely than an invented one."""

import pytest

pytest.importorskip("llama_cpp")


@pytest.mark.slow
def test_evidence_raises_the_likelihood_of_a_faithful_sentence_more(source_paths):
    from evals.lm import LikelihoodRatio

    lm = LikelihoodRatio()
    evidence = source_paths[0].read_text(encoding="utf-8")[:600]
    faithful = lm.score("The Port City council voted 7 to 2 on Tuesday to approve a new bridge.", evidence)
    invented = lm.score("The bridge will also carry a light-rail line funded by a federal grant.", evidence)
    assert faithful > invented
    assert faithful > 0.5  # the evidence clearly helps the model predict a sentence it contains
