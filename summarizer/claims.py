"""Stage: claims, for the digest: passages in, grouped claims out (the grouping itself lives in evals)."""

from __future__ import annotations

from evals.claims import Claim, SourceSentence, group_claims, select_claims, sentences_of

from .records import Passage

__all__ = ["Claim", "SourceSentence", "group_claims", "select_claims", "source_sentences"]


def source_sentences(passages: list[Passage]) -> tuple[list[SourceSentence], list[SourceSentence]]:
    """(factual, opinion) sentences of article passages; reader comments are never reporting."""
    ordered = sorted((p for p in passages if p.kind == "article"), key=lambda p: (p.source, p.index))
    return sentences_of([(p.source, p.id, p.text) for p in ordered])
