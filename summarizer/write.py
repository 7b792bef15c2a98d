"""Stage: write. The LLM turns one claim's source sentences into one neutral sentence.

The prompt holds only that claim's sentences, which a 135M model can handle; the
citations are the claim's sources, never the model's say-so.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from .backends import Backend, BackendError
from .prompts import render_messages
from .records import Claim, SourceSentence

MAX_TOKENS = 96
_DANGLING = re.compile(
    r"\b(can|could|will|would|should|may|might|must|to|the|a|an|of|and|or|but|that|which|with|for|by|is|are|was|"
    r"were|be|has|have|had|he|she|they|it|his|her|their|its|as|than|from|about)[.!?\"”]*$",
    re.I,
)


class WrittenSentence(BaseModel):
    sentence: str = Field(..., min_length=8, max_length=400)


def claim_inputs(claim: Claim, duplicate_of: dict[str, str], limit: int = 3) -> list[SourceSentence]:
    """Up to ``limit`` member sentences, one per independent source, plainest wording first."""
    picked: list[SourceSentence] = []
    seen: set[str] = set()
    for member in sorted(claim.members, key=lambda m: (len(m.loaded_terms), len(m.text))):
        root = duplicate_of.get(member.source, member.source)
        if root in seen:
            continue
        seen.add(root)
        picked.append(member)
    return picked[:limit]


def tidy(text: str) -> str:
    """One sentence, no markers or quotes the model may have wrapped it in."""
    text = re.sub(r"\[\d+\]", "", text)
    text = re.sub(r"\s+", " ", text).strip().strip('"').strip()
    first = re.match(r"(.+?[.!?])(\s|$)", text)
    if first and len(first.group(1).split()) >= 5:
        text = first.group(1)
    if text and text[-1] not in ".!?\"”":
        text += "."
    return text[:1].upper() + text[1:]


def write_sentence(
    backend: Backend, inputs: list[SourceSentence], *, previous: str | None = None, reason: str | None = None, seed: int = 0
) -> str | None:
    """One neutral sentence for a claim, or None when the model gave nothing usable."""
    sources = "\n".join(s.text for s in inputs)
    if previous is None:
        messages = render_messages("write_sentence", sources=sources)
    else:
        messages = render_messages("rewrite_sentence", sources=sources, previous=previous, reason=reason or "")
    try:
        result = backend.structured(messages, WrittenSentence, max_tokens=MAX_TOKENS, temperature=0.0, seed=seed)
    except BackendError:
        raise
    if result is None:
        return None
    text = tidy(result.sentence)
    if len(text.split()) < 4 or _DANGLING.search(text):
        return None  # cut off mid-thought ("... Putin believes he can.")
    return text
