"""The write stage's one token budget, counted by the real local model's tokenizer."""

from __future__ import annotations

from summarizer.backends.llamacpp import LlamaCppBackend
from summarizer.write.budget import PER_MESSAGE_OVERHEAD, TokenBudget
from summarizer.write.sentence import MAX_TOKENS, REPAIR_ALLOWANCE, _messages, fit_to_context

PASSAGE = ("The regional council voted on Tuesday to rebuild the old river bridge, which engineers closed in March "
           "after finding cracks in two of its supports, and to open a temporary ferry for the months of work.")


def test_the_leading_passages_that_fit_are_kept_and_the_next_one_would_not_fit():
    backend = LlamaCppBackend(n_ctx=448)
    budget = TokenBudget(backend, reserve=200)
    passages = [f"{i}. {PASSAGE}" for i in range(8)]
    kept = budget.leading(passages, lambda p: p, overhead=6)
    costs = [backend.count_tokens(p) + 6 for p in passages]
    assert 0 < len(kept) < len(passages) and kept == passages[: len(kept)]
    assert sum(costs[: len(kept)]) <= 448 - 200 < sum(costs[: len(kept) + 1])


def test_a_claim_prompt_cut_to_fit_fits_the_same_budget_and_would_not_have_before():
    backend = LlamaCppBackend(n_ctx=448)
    budget = TokenBudget(backend, reserve=MAX_TOKENS + REPAIR_ALLOWANCE)
    texts = [f"{PASSAGE} {PASSAGE}"] * 3
    fitted, cut = fit_to_context(backend, texts)
    assert cut and fitted and not budget.fits(_messages(texts, None, None))
    messages = _messages(fitted, None, None)
    assert budget.fits(messages)
    assert budget.prompt_cost(messages) == sum(backend.count_tokens(m["content"]) + PER_MESSAGE_OVERHEAD
                                               for m in messages)
