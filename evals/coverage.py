"""Coverage: does a summary carry what the sources agree matters?

The sources' sentences are grouped into claims (`digest_core.claims`); the salient ones are
those that at least two independent sources carry (copies of one report count once),
or, with fewer sources, the top claims by salience. A claim is covered when the summary
supports it: the faithfulness judge run the other way round, the claim checked against
the summary as its only source.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from pydantic import BaseModel, Field

from digest_core.claims import Claim, SourceSentence, group_claims, sentences_of
from digest_core.text import reported_content

from .language import analyse, core_statements
from .records import SourceText
from digest_core.syndication import find_duplicates

MIN_SALIENT = 4  # salient claims at least: corroborated ones first, then the most salient others
COVERED = 0.5  # judge probability at which the summary is taken to carry the claim
FORWARD_SIM = 0.7  # a summary sentence this close to a claim's wording, and supported by it, carries the claim


class CoveredClaim(BaseModel):
    text: str
    sources: list[str]
    independent_sources: int
    score: float
    by: str | None = None  # the summary text (a sentence or two adjacent ones) that carries it


class CoverageReport(BaseModel):
    coverage: float | None
    covered: list[CoveredClaim] = Field(default_factory=list)
    missed: list[CoveredClaim] = Field(default_factory=list)
    by_source: dict[str, float | None] = Field(default_factory=dict)
    salient_rule: str = ""


def source_claims(sources: Sequence[SourceText], scorer) -> tuple[list[Claim], dict[str, str]]:
    """All claims of the sources, most salient first, and which sources copy which."""
    duplicate_of = find_duplicates({s.name: s.text for s in sources})
    usable = _usable(tuple((s.name, s.text) for s in sources))
    if not usable:
        return [], duplicate_of
    vectors = scorer.embedder.embed([s.text for s in usable])
    return group_claims(list(usable), vectors, duplicate_of), duplicate_of


def prefetch(sources: Sequence[SourceText], scorer, priority: int = 0) -> None:
    """Start embedding, in the background, the source sentences coverage groups into claims (see
    ``Scorer.prefetch``): ``digest eval`` starts it before judging the summary, which needs none of them."""
    prefetch = getattr(scorer.embedder, "prefetch", None)
    if prefetch is not None:
        prefetch([s.text for s in _usable(tuple((s.name, s.text) for s in sources))], priority=priority)


@lru_cache(maxsize=4)
def _usable(sources: tuple[tuple[str, str], ...]) -> tuple[SourceSentence, ...]:
    """The factual sentences of (name, text) sources; kept for the few latest sets, as they are asked twice."""
    return tuple(sentences_of([(name, "", text) for name, text in sources])[0])


def salient_claims(claims: list[Claim]) -> tuple[list[Claim], str]:
    """Claims carried by two or more independent sources; when fewer than MIN_SALIENT are, the most
    salient single-source claims fill the set up to MIN_SALIENT (a short cluster still has a story)."""
    corroborated = [c for c in claims if c.independent_sources >= 2]
    if len(corroborated) >= MIN_SALIENT:
        return corroborated, "claims carried by at least two independent sources"
    fill = [c for c in claims if c.independent_sources < 2][: MIN_SALIENT - len(corroborated)]
    chosen = {id(c) for c in corroborated + fill}
    top = [c for c in claims if id(c) in chosen]
    return top, (f"{len(corroborated)} claims carried by at least two independent sources and the "
                 f"{len(fill)} most salient others (fewer than {MIN_SALIENT} corroborated)")


PREFILTER_SLACK = 0.1  # a passage of two wordings can sit a little closer to a sentence than either wording alone
CORROBORATE_TOP = 12  # claims, most salient first, whose corroboration is re-read by the judge


def corroborate(claims: list[Claim], sources: Sequence[SourceText], duplicate_of: dict[str, str], scorer,
                limit: int = CORROBORATE_TOP) -> list[Claim]:
    """Claims with their independent sources counted by reading, not by wording.

    Grouping by sentence similarity misses the same fact told in other words by another outlet;
    here the judge asks each other independent source whether it states the claim's core fact
    (the same reading coverage uses), and the source is added to the claim when it does.
    """
    if len(sources) < 2:
        return claims
    index = scorer.index(list(sources))
    names = [s.name for s in sources]
    top = claims[:limit]
    cores = core_statements([c.text for c in top])
    vectors = scorer.embedder.embed(cores) if top else []
    # The cores judged below (a claim some independent source does not yet carry), parsed in one batch
    # rather than one at a time inside the judge.
    independent = {duplicate_of.get(n, n) for n in names}
    analyse([reported_content(core) for claim, core in zip(top, cores)
             if independent - {duplicate_of.get(n, n) for n in claim.sources}])
    out: list[Claim] = []
    for claim, core, vector in zip(top, cores, vectors):
        have = {duplicate_of.get(n, n) for n in claim.sources}
        added = []
        for k, name in enumerate(names):
            if duplicate_of.get(name, name) in have:
                continue
            if scorer.corroborates(core, vector, index, {k}, whose=False):
                added.append(name)
                have.add(duplicate_of.get(name, name))
        out.append(claim.model_copy(update={"sources": claim.sources + added, "independent_sources": len(have)})
                   if added else claim)
    return out + claims[limit:]


def score_coverage(summary_sentences: Sequence[str], sources: Sequence[SourceText], scorer) -> CoverageReport:
    claims, duplicate_of = source_claims(sources, scorer)
    salient, rule = salient_claims(corroborate(claims, sources, duplicate_of, scorer))
    if not salient or not summary_sentences:
        return CoverageReport(coverage=None if not salient else 0.0, salient_rule=rule,
                              missed=[_as_item(c, 0.0, None) for c in salient])
    # The summary as one text: a claim it states across two adjacent sentences is found as a pair.
    summary = [SourceText(name="summary", text="\n\n".join(summary_sentences))]
    # Every core _carried checks, parsed and embedded in one batch each instead of one at a time.
    scorer.warm_sentences(core_statements([w for claim in salient for w in _wordings(claim)]))
    covered: list[CoveredClaim] = []
    missed: list[CoveredClaim] = []
    for claim in salient:
        best, by = _carried(claim, summary, summary_sentences, scorer)
        item = _as_item(claim, best, by)
        (covered if best >= COVERED else missed).append(item)
    by_source: dict[str, float | None] = {}
    for source in sources:
        own = [c for c in covered + missed if source.name in c.sources]
        by_source[source.name] = round(sum(c in covered for c in own) / len(own), 4) if own else None
    return CoverageReport(
        coverage=round(len(covered) / len(salient), 4), covered=covered, missed=missed, by_source=by_source,
        salient_rule=rule,
    )


def _carried(claim: Claim, summary: list[SourceText], sentences: Sequence[str], scorer) -> tuple[float, str | None]:
    """How surely the summary carries the claim, checked both ways.

    Reverse: the summary states the core of one of the claim's wordings (evals.language.core_statement:
    its main clause without time, place, reasons, relative clauses); a detail the summary dropped
    does not uncover the claim.
    Forward: a summary sentence is supported by one of the claim's wordings and is close to it,
    which credits a summary that keeps the fact but drops a detail ("about 2,000 were evacuated"
    for "about 2,000 were evacuated from the valley below the dam").
    """
    wordings = _wordings(claim)
    best, by = 0.0, None
    for text in dict.fromkeys(core_statements(wordings)):
        result = scorer.score_sentence(text, summary, whose=False)
        if result.verdict == "supported" and result.faithfulness > best:
            best, by = result.faithfulness, (result.evidence[0].text if result.evidence else None)
    if best > 0:
        return max(best, COVERED), by
    claim_source = [SourceText(name=f"claim {claim.id}", text=" ".join(wordings))]
    # Only sentences near some wording can pass the closeness bar below: skip scoring the others.
    near = scorer.embedder.embed(list(sentences)) @ scorer.embedder.embed(wordings).T
    for sentence, sims in zip(sentences, near):
        if float(sims.max()) < FORWARD_SIM - PREFILTER_SLACK:
            continue
        result = scorer.score_sentence(sentence, claim_source, whose=False)
        close = result.features.get("sim", 0.0) >= FORWARD_SIM
        if close and result.verdict == "supported" and result.faithfulness > best:
            best, by = result.faithfulness, sentence
    return best, by


def _wordings(claim: Claim) -> list[str]:
    return list(dict.fromkeys([claim.text] + [m.text for m in claim.members]))


def _as_item(claim: Claim, score: float, by: str | None) -> CoveredClaim:
    return CoveredClaim(text=claim.text, sources=claim.sources, independent_sources=claim.independent_sources,
                        score=round(score, 4), by=by)
