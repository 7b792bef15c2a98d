"""Write + verify: the chosen claims (or, in abstractive mode, the passages) as guarded, cited digest sentences."""

from __future__ import annotations

from dataclasses import dataclass, field

from digest_core.loaded import loaded_terms
from digest_core.progress import SILENT, Progress
from digest_core.syndication import independent_count

from ..backends import Backend
from ..claims import is_instruction
from ..prompts import render_messages
from ..records import Citation, Claim, DigestSentence, Disagreement, Passage, SourceSentence
from .budget import TokenBudget
from .sentence import claim_inputs, write_sentence
from .synthesis import attribute, disagreement_sentences
from .verify import Guard, guarded_sentence, parse_draft

ABSTRACTIVE_MAX_TOKENS = 700
PROMPT_TOKENS = 300  # the abstractive prompt's instructions around the passage listing
PASSAGE_MARKER_TOKENS = 6  # "[n] " and the line break before each passage


@dataclass
class Composer:
    backend: Backend
    guard: Guard
    duplicate_of: dict[str, str]
    seed: int = 0
    temperature: float = 0.0
    # a failed sentence gets a second attempt before the fallback (verify.guarded_sentence), and an unreadable
    # answer the backend's repair turn (structured_output): both or neither
    rewrite: bool = True
    sentences: list[SourceSentence] = field(default_factory=list)  # source sentences: passage ids for quotes
    notes: list[str] = field(default_factory=list)  # context reductions etc., reported once each

    def from_claims(self, selected: list[Claim], disagreements: list[Disagreement],
                    progress: Progress = SILENT) -> list[DigestSentence]:
        """One guarded sentence per claim, plus a both-sides sentence where independent sources disagree."""
        disagreement_of = {d.claim_id: d for d in disagreements}
        written: list[DigestSentence] = []
        for claim in selected:
            inputs = claim_inputs(claim, self.duplicate_of)

            def write(previous: str | None, reason: str | None, inputs=inputs) -> str | None:
                return write_sentence(self.backend, inputs, previous=previous, reason=reason, seed=self.seed,
                                      temperature=self.temperature, warn=self.notes.append,
                                      repair=self.rewrite)

            text, origin, score, why = guarded_sentence(claim, self.guard, write, rewrite=self.rewrite)
            # every digested source is a candidate, not only those whose sentences formed the claim: another
            # article may say the same thing in other words (or within a longer sentence); the evaluator decides
            others = [s.name for s in self.guard.sources if s.name not in claim.sources]
            supporting = self.guard.supporting_sources(text, claim, others)
            citations = citations_for(claim, supporting) + self.corroborating(text, claim, supporting)
            if not citations:  # only other sources support it, and none has a sentence to quote
                citations = citations_for(claim, self.guard.supporting_sources(text, claim))
            cited = {c.source for c in citations}
            independent = max(claim.independent_sources, independent_count(cited, self.duplicate_of))
            written.append(
                DigestSentence(
                    # Attribution follows the fact (the claim's independent sources); citations follow the
                    # wording (only sources that support this very sentence, for citation precision).
                    text=attribute(text, independent),
                    citations=citations,
                    origin=origin,  # type: ignore[arg-type]
                    faithfulness=score.faithfulness,
                    verdict=score.verdict,
                    claim_id=claim.id,
                    fallback_reason=why,
                )
            )
            if claim.id in disagreement_of:
                for sentence, citation in disagreement_sentences(disagreement_of[claim.id]):
                    check = self.guard.scorer.score_sentence(sentence, self.guard.sources, cited=[citation.source])
                    written.append(
                        DigestSentence(text=sentence, citations=[citation], origin="extracted",
                                       faithfulness=check.faithfulness, verdict=check.verdict, claim_id=claim.id)
                    )
            progress.advance()
        return written

    def corroborating(self, text: str, claim: Claim, supporting: list[str]) -> list[Citation]:
        """Citations of the supporting sources outside the claim, each quoting its sentence nearest ``text``."""
        members = set(claim.sources)
        out: list[Citation] = []
        for name in supporting:
            if name in members:
                continue
            # the quote is the source's nearest sentence that reports (never an instruction planted in it)
            quote = next((e for e in self.guard.evidence_in(text, name) if not is_instruction(e)), None)
            if quote is None:
                continue
            passage = next((s.passage_id for s in self.sentences if s.source == name and quote in s.text), "")
            out.append(Citation(source=name, passage_id=passage, quote=quote))
        return out

    def abstractive(self, passages: list[Passage], max_sentences: int) -> list[DigestSentence]:
        """A capable model writes the whole digest with [n] passage markers; every sentence is then guarded.

        A sentence that fails its check, or cites nothing, is replaced by the source sentence the
        evaluator found as its best evidence, cited to that source.
        """
        budget = TokenBudget(self.backend, reserve=ABSTRACTIVE_MAX_TOKENS + PROMPT_TOKENS)
        numbered = budget.leading(passages, lambda p: p.text, overhead=PASSAGE_MARKER_TOKENS)
        if len(numbered) < len(passages):
            self.notes.append(
                f"abstractive mode: {len(passages) - len(numbered)} passages left out to fit the model's "
                f"{self.backend.context_length}-token context"
            )
        listing = "\n".join(f"[{i + 1}] {p.text}" for i, p in enumerate(numbered))
        messages = render_messages("abstractive_digest", passages=listing, max_sentences=str(max_sentences))
        completion = self.backend.complete(messages, max_tokens=ABSTRACTIVE_MAX_TOKENS, temperature=self.temperature, seed=self.seed)
        written: list[DigestSentence] = []
        for sentence in parse_draft(completion.text)[:max_sentences]:
            cited = [numbered[n - 1] for n in sentence.citations if 0 < n <= len(numbered)]
            names = sorted({p.source for p in cited})
            score = self.guard.scorer.score_sentence(sentence.text, self.guard.sources, cited=names or None)
            loaded = [t for t in loaded_terms(sentence.text) if not t.attributed]
            ok = names and score.verdict == "supported" and score.citation_supported and not loaded
            if ok:
                citations = [Citation(source=p.source, passage_id=p.id, quote=p.text) for p in cited]
                written.append(DigestSentence(text=sentence.text, citations=_unique(citations), origin="generated",
                                              faithfulness=score.faithfulness, verdict=score.verdict))
                continue
            if not score.evidence:
                continue
            best = score.evidence[0]
            if any(w.text == best.text for w in written):
                continue  # two failed sentences can share their best evidence; say it once
            passage = next((p for p in passages if p.source == best.source and best.text in p.text), None)
            check = self.guard.scorer.score_sentence(best.text, self.guard.sources, cited=[best.source])
            written.append(DigestSentence(
                text=best.text, origin="extracted", faithfulness=check.faithfulness, verdict=check.verdict,
                citations=[Citation(source=best.source, passage_id=passage.id if passage else "", quote=best.text)],
            ))
        return written


def _unique(citations: list[Citation]) -> list[Citation]:
    seen: dict[str, Citation] = {}
    for citation in citations:
        seen.setdefault(citation.source, citation)
    return list(seen.values())


def citations_for(claim: Claim, sources: list[str]) -> list[Citation]:
    by_source: dict[str, Citation] = {}
    for member in claim.members:
        if member.source not in sources:
            continue
        by_source.setdefault(member.source, Citation(source=member.source, passage_id=member.passage_id, quote=member.text))
    return list(by_source.values())
