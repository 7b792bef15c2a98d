"""Stage: verify. Every written sentence is checked against its cited sources by the evaluator.

A sentence that fails is rewritten once with the failure named; if it fails again,
the claim's plainest source wording is used as it stands. The evaluator is
imported from `evals` (the guard depends on the evaluator, never the reverse); the
write stage reaches the evaluator through this module and `synthesis` only, so the
model's draft is read here too (``parse_draft``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from evals import Scorer, SourceText
from evals.judge import Judge
from evals.language import analyse
from digest_core.loaded import first_person, loaded_terms
from digest_core.text import reported_content
from evals.parse import parse_text
from evals.records import SentenceScore, SummarySentence

from ..meta import strip_dateline
from ..neutral import strip_connective, strip_emphasis
from ..records import Claim, Document
from ..select import plainest_wording

PASS_FAITHFULNESS = 0.7  # stricter than the evaluator's own 'supported' line: a digest may only say what is sure


@dataclass
class Verdict:
    ok: bool
    score: SentenceScore
    reason: str

    # The reason as the model should read it: no scores or counts, which a small model copies into its answer.
    hint: str = ""


class Guard:
    def __init__(self, sources: list[SourceText], scorer: Scorer | None = None):
        self.sources = sources
        # The guard judges at the corroboration bar, stricter than the evaluator's verdict cut (evals.judge).
        self.scorer = scorer or Scorer(judge=Judge.strict())

    @classmethod
    def of_documents(cls, documents: Sequence[Document]) -> "Guard":
        """The guard of a digest of ``documents``: their article text is what every sentence is checked against."""
        return cls([SourceText(name=d.name, text=d.article_text()) for d in documents])

    def check(self, text: str, claim: Claim) -> Verdict:
        score = self.scorer.score_sentence(text, self.sources, cited=claim.sources)
        loaded = [t.text for t in loaded_terms(text) if not t.attributed]
        problems: list[tuple[str, str]] = []  # (for the reader, for the model)
        if score.verdict != "supported":
            shown = score.findings[:2]
            details = "; ".join(f.detail for f in shown) or "the sources do not say this"
            hints = "; ".join(_hint(f) for f in shown) or "the sources do not say this"
            problems.append((f"{score.verdict}: {details}", f"{score.verdict}: {hints}"))
        elif score.citation_supported is False:
            problems.append(("the cited sources do not support it",) * 2)
        elif score.faithfulness < PASS_FAITHFULNESS:
            problems.append((f"low faithfulness {score.faithfulness:.2f}",
                             "it strays from what the sources say; keep to their words"))
        if loaded:
            problems.append((f"uses loaded wording in its own voice: {', '.join(loaded)}",) * 2)
        if not has_verb(text):
            problems.append(("not a sentence: it has no verb", "write a whole sentence, with a verb"))
        if first_person(text):
            problems.append(("someone's words without quotation marks or speaker (first person)",
                             "say who said it, in the third person"))
        return Verdict(ok=not problems, score=score, reason="; ".join(r for r, _ in problems),
                       hint="; ".join(h for _, h in problems))


    def supporting_sources(self, text: str, claim: Claim, others: Sequence[str] = ()) -> list[str]:
        """The sources that on their own support ``text`` (precise citations, in the ALCE sense): the claim's,
        then ``others`` (sources that did not state the claim in a sentence of their own but may corroborate it).

        Falls back to the source whose sentence was extracted, or else to all of the claim's
        sources, so a sentence never loses every citation.
        """
        candidates = list(dict.fromkeys([*claim.sources, *others]))
        supporting = self.scorer.supporting(text, self.sources, candidates)
        if supporting:
            return supporting
        exact = sorted({m.source for m in claim.members if m.text == text})
        return exact or list(claim.sources)

    def evidence_in(self, text: str, source: str) -> list[str]:
        """The sentences of ``source`` the evaluator finds closest to ``text``, best first (what a citation quotes)."""
        own = [s for s in self.sources if s.name == source]
        return [e.text for e in self.scorer.score_sentence(text, own).evidence] if own else []


def has_verb(text: str) -> bool:
    """A statement, not a phrase: the parse finds a clause with a finite verb and a subject ("The wisdom of the
    American people." has no clause; "The House Democrats, led by lead manager Jamie Raskin." has only a
    participle; an "according to ..." tag does not count)."""
    (analysis,) = analyse([reported_content(text)])  # the guard's scorer has parsed it already: memoised
    return bool(analysis.clauses) and analysis.states


def parse_draft(text: str) -> list[SummarySentence]:
    """The sentences of a model-written draft with their [n] markers, read as the evaluator reads a summary
    (its sentence splitter and citation syntax); headings the model may add are not sentences."""
    return parse_text(re.sub(r"(?m)^#.*$", "", text)).sentences


def _hint(finding) -> str:
    """A finding as the model should read it: the words the sources do not use, without the count."""
    if finding.check == "soft word alignment":
        return "words the sources do not use: " + ", ".join(finding.words[:8])
    return finding.detail


def guarded_sentence(
    claim: Claim,
    guard: Guard,
    write: Callable[[str | None, str | None], str | None],
    *,
    rewrite: bool = True,
) -> tuple[str, str, SentenceScore, str | None]:
    """(text, origin, score, why the fallback fired) for one claim: generated, rewritten once, or extracted.

    Without ``rewrite`` a failed first attempt goes straight to the extracted fallback (no second LLM call).
    """
    reasons: list[str] = []
    first = write(None, None)
    if first:
        verdict = guard.check(first, claim)
        if verdict.ok:
            return first, "generated", verdict.score, None
        reasons.append(f"first attempt: {verdict.reason}")
        if rewrite:
            second = write(first, verdict.hint)
            if second:
                verdict = guard.check(second, claim)
                if verdict.ok:
                    return second, "rewritten", verdict.score, reasons[0]
                reasons.append(f"rewrite: {verdict.reason}")
            else:
                reasons.append("rewrite: no usable output")
    else:
        reasons.append("first attempt: no usable output")
    fallback = plainest_wording(claim)
    verdict = guard.check(fallback, claim)
    plain = strip_connective(strip_emphasis(strip_dateline(fallback)))
    if plain != fallback:  # the source's dateline, emphasis and connective stripped, if the guard still passes it
        plain_verdict = guard.check(plain, claim)
        if plain_verdict.ok or not verdict.ok:
            fallback, verdict = plain, plain_verdict
    return fallback, "extracted", verdict.score, "; ".join(reasons)
