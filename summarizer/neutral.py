"""Neutral wording for sentences the digest takes from a source as they stand (the guard's fallback).

Sentences with loaded words in the writer's own voice never become claims (`digest_core.claims` sets them
aside as opinion), so what an extracted sentence can still carry is emphasis: intensifiers that
add the outlet's weight and no fact ("a very broad outline", "deeply divided"). Those are stripped
outside quotations (a quoted speaker's words stay as said); loaded terms the sentence attributes to
someone stay, attributed. A connective that ties the sentence to the one before it in its report ("But",
"However,") goes too: in a digest that sentence follows another. The guard also drops a wire dateline
(`meta.strip_dateline`). Any change is checked again by the guard before it is used.
"""

from __future__ import annotations

import re

# Adverbs of degree that grade what follows without stating a fact. Not "sharply", "nearly" or "only":
# those change what a figure or a claim says.
INTENSIFIERS = ("very", "extremely", "incredibly", "hugely", "massively", "utterly", "truly", "really", "deeply",
                "enormously", "tremendously", "exceedingly", "remarkably", "staggeringly", "wildly")
# "very few", "the very first", "the very same" state a quantity or an identity, not emphasis.
_KEEP_AFTER = r"(?!(?:few|little|many|much|first|last|same|end|beginning|least|most|top|start|next)\b)"
_INTENSIFIER = re.compile(r"\b(?:" + "|".join(INTENSIFIERS) + r")\s+" + _KEEP_AFTER + r"(?=[a-z])", re.I)
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")
def strip_emphasis(text: str) -> str:
    """``text`` without intensifiers outside quotations; the rest as written."""
    quoted = [m.span() for m in _QUOTED.finditer(text)]

    def keep_if_quoted(match: re.Match) -> str:
        inside = any(start <= match.start() < end for start, end in quoted)
        return match.group(0) if inside else ""

    stripped = _INTENSIFIER.sub(keep_if_quoted, text)
    if stripped and stripped[0].islower() and text[0].isupper():
        stripped = stripped[0].upper() + stripped[1:]
    return stripped


# "But", "And", "Yet" before the subject; "However,", "Still," and the like only with their comma ("Still images",
# "So far" and "Instead of" are no connectives).
_OPENING_CONNECTIVE = re.compile(r"^(?:(?:But|And|Yet)\s+(?!,)|(?:However|Still|Meanwhile|Nevertheless|Nonetheless|"
                                 r"Instead|Moreover|Also),\s+)(?=\S)")


def strip_connective(text: str) -> str:
    """``text`` without an opening connective that points to the sentence before it in its report."""
    stripped = _OPENING_CONNECTIVE.sub("", text, count=1)
    if stripped == text or len(stripped.split()) < 4:
        return text
    return stripped[0].upper() + stripped[1:]
