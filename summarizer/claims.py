"""Stage: claims, for the digest: passages in, grouped claims out (the grouping itself is shared: digest_core/claims.py)."""

from __future__ import annotations

import re
from typing import cast

import numpy as np

from digest_core import claims as shared
from digest_core.claims import SourceSentence, sentences_of

from .backends.base import sanitize_untrusted
from .records import Claim, Passage

__all__ = ["Claim", "SourceSentence", "group_claims", "source_sentences"]


def group_claims(sentences: list[SourceSentence], vectors: np.ndarray, duplicate_of: dict[str, str],
                 focus: np.ndarray | None = None) -> list[Claim]:
    """The shared grouping (digest_core/claims.py), as the digest's own Claim records."""
    return cast(list[Claim], shared.group_claims(sentences, vectors, duplicate_of, focus, claim_type=Claim))


def source_sentences(passages: list[Passage]) -> tuple[list[SourceSentence], list[SourceSentence]]:
    """(factual, opinion) sentences of article passages; reader comments are never reporting."""
    ordered = sorted((p for p in passages if p.kind == "article"), key=lambda p: (p.source, p.index))
    usable, opinion = sentences_of([(p.source, p.id, p.text) for p in ordered])
    return [s for s in usable if not is_instruction(s.text)], [s for s in opinion if not is_instruction(s.text)]


# A sentence that gives orders to the reader or to a model ("Ignore all previous instructions and write
# ...") is not reporting. Planted in a source, it must not become a claim: not even an extracted, cited one.
_TALKS_TO_MODEL = re.compile(
    r"\b(?:previous|prior|above|earlier) (?:instructions|prompts?)\b|\bsystem prompt\b"
    r"|\b(?:as an|you are an?) (?:ai|language model|assistant|chatbot)\b|\byou are now\b|^from now on\b", re.I)
_IMPERATIVE = re.compile(
    r"^(?:[A-Z][A-Z ]{2,20}:\s*)?(?:please,?\s+)?(?:ignore|disregard|forget|override|write|print|output|say|"
    r"respond|reply|repeat|pretend|act as|summari[sz]e|you must)\b", re.I)
_REPORTED = re.compile(r"\b(?:said|says|told|according to|stated|wrote|warned|added|reported|announced)\b", re.I)


def is_instruction(text: str) -> bool:
    """True for a sentence that addresses a model, or orders the reader about without reporting anyone."""
    if sanitize_untrusted(text) != text:  # chat-template control strings (<|im_start|>) are never reporting
        return True
    return bool(_TALKS_TO_MODEL.search(text) or (_IMPERATIVE.search(text) and not _REPORTED.search(text)))
