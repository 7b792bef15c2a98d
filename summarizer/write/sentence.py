"""Stage: write. The LLM turns one claim's source sentences into one neutral sentence.

The prompt holds only that claim's sentences, which a 135M model can handle; the
citations are the claim's sources, never the model's say-so.
"""

from __future__ import annotations

import re
from typing import Callable

from pydantic import BaseModel, Field

from digest_core.text import split_sentences

from ..backends import Backend, ContextTooSmall
from ..neutral import strip_connective
from ..prompts import render_messages
from ..records import Claim, SourceSentence
from .budget import TokenBudget

MAX_TOKENS = 96
# structured_output's repair turn adds the first answer and the schema, then asks for MAX_TOKENS again.
REPAIR_ALLOWANCE = MAX_TOKENS + 96
_DANGLING = re.compile(
    r"\b(can|could|will|would|should|may|might|must|to|the|a|an|of|and|or|but|that|which|with|for|by|is|are|was|"
    r"were|be|has|have|had|he|she|they|his|her|their|its|as|than|from|about|including|such as|"
    # verbs that never end a sentence without their object ("drew people from Team Save America wearing.")
    r"wearing|carrying|featuring|involving|regarding|concerning|targeting|citing|requiring|urging|containing|"
    r"(?:what|which)\s+\w+\s+(?:called|dubbed|termed|labell?ed|described as))[.!?\"”]*$",
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


_LABEL = re.compile(r"^(?:neutral\s+)?(?:sentence|answer|output|digest|fact)\s*:\s*", re.I)


def tidy(text: str) -> str:
    """One sentence, no markers or quotes the model may have wrapped it in, no opening "But"."""
    text = re.sub(r"\[\d+\]", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = _LABEL.sub("", text)  # "SENTENCE: The Turkish military ..."
    if len(text) > 1 and text[0] == text[-1] == '"' and text.count('"') == 2:  # wrapped whole, not a quotation in it
        text = text[1:-1].strip()
    sentences = split_sentences(text)  # not at "Feb." or "U.S.": the evaluator's splitter knows abbreviations
    if sentences and len(sentences[0].split()) >= 5:
        text = sentences[0]
    if text and text[-1] not in ".!?\"”":
        text += "."
    return strip_connective(text[:1].upper() + text[1:])  # "But now Moore ...": in a digest it follows another fact


def _messages(texts: list[str], previous: str | None, reason: str | None) -> list[dict[str, str]]:
    sources = "\n".join(texts)
    if previous is None:
        return render_messages("write_sentence", sources=sources)
    return render_messages("rewrite_sentence", sources=sources, previous=previous, reason=reason or "")


def fit_to_context(backend: Backend, texts: list[str], previous: str | None = None,
                   reason: str | None = None) -> tuple[list[str], bool]:
    """(source texts whose prompt fits the model's context, whether anything was cut).

    Fewest cuts first: drop the claim's extra sentences, then shorten the one left. Empty when not
    even a few words fit, so the caller extracts instead of failing the whole run.
    """
    if not texts:
        return [], False
    budget = TokenBudget(backend, reserve=MAX_TOKENS + REPAIR_ALLOWANCE)

    def too_long(candidate: list[str]) -> bool:
        return not budget.fits(_messages(candidate, previous, reason))

    kept = list(texts)
    while len(kept) > 1 and too_long(kept):
        kept.pop()
    words = kept[0].split() if kept else []
    while len(words) >= 4 and too_long([" ".join(words)]):
        words = words[: len(words) * 3 // 4]
    if len(words) < 4:
        return [], True
    fitted = kept if len(words) == len(kept[0].split()) else [" ".join(words) + " ..."]
    return fitted, fitted != texts


def write_sentence(
    backend: Backend, inputs: list[SourceSentence], *, previous: str | None = None, reason: str | None = None,
    seed: int = 0, temperature: float = 0.0, warn: Callable[[str], None] | None = None, repair: bool = True,
) -> str | None:
    """One neutral sentence for a claim, or None when the model gave nothing usable.

    ``repair``: an answer that is not the asked-for JSON gets the backend's repair turn (see ``structured_output``).

    Input that does not fit the model's context is reduced (``warn`` says so) rather than failing the run.
    """
    texts, cut = fit_to_context(backend, [s.text for s in inputs], previous, reason)
    if cut and warn:
        warn(f"the {backend.context_length}-token context of {backend.model} is too small for some source sentences; "
             "the model saw fewer or shortened sentences" + ("" if texts else ", or none (source text used as is)"))
    if not texts:
        return None
    try:
        result = backend.structured(_messages(texts, previous, reason), WrittenSentence, max_tokens=MAX_TOKENS,
                                    temperature=temperature, seed=seed, repair=repair)
    except ContextTooSmall as exc:  # our estimate was short (template, repair turn): extract instead
        if warn:
            warn(f"{exc}; source text used as is")
        return None
    if result is None:
        return None
    text = tidy(result.sentence)
    if cut_off(text) or repeats_itself(text, texts):
        return None
    return text


def cut_off(text: str) -> bool:
    """A fragment or a sentence that stops mid-thought ("... Putin believes he can.", "The list of"); an object
    pronoun may end a sentence ("... urged the court to uphold it.")."""
    return len(text.split()) < 4 or bool(_DANGLING.search(text))


REPEAT_WORDS = 3  # a run of this many words said twice


def _runs(text: str) -> list[tuple[str, ...]]:
    tokens = re.findall(r"[a-z0-9']+", text.lower())
    return [tuple(tokens[i: i + REPEAT_WORDS]) for i in range(len(tokens) - REPEAT_WORDS + 1)]


def repeats_itself(text: str, sources: list[str]) -> bool:
    """The model looping: a run of words said twice in one sentence ("... and increasing the age for buying tobacco
    products, while also increasing the minimum age for buying tobacco products"), which no source sentence it was
    given says twice."""
    twice = _repeated(text)
    return bool(twice) and not any(twice & _repeated(source) for source in sources)


def _repeated(text: str) -> set[tuple[str, ...]]:
    runs = _runs(text)
    return {run for run in runs if runs.count(run) > 1}
