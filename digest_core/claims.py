"""Claims: split sources into sentences and group the ones that state the same fact across sources.

Shared: the coverage metric (evals/coverage.py: which claims does a summary carry?) and the
digest (summarizer/select.py: which claims to write) both start from these groups. Choosing
among them is the digest's business and lives in summarizer.

A claim is a group of sentences, from one or more sources, that say the same thing.
Its salience combines how many independent sources carry it (copies of one report
count once), how central it is to the cluster (or to the user's query) and how early
the sources place it. Opinion, loaded wording and non-statements are set aside here so
the writer never sees them as facts.
"""

from __future__ import annotations

import re

import numpy as np

from pydantic import BaseModel, Field

from digest_core.loaded import is_subjective, loaded_terms
from digest_core.syndication import independent_count
from digest_core.text import ends_sentence, split_sentences

SAME_FACT = 0.69  # cosine between MiniLM vectors of two sentences that state the same fact
MIN_WORDS, MAX_WORDS = 6, 60


class SourceSentence(BaseModel):
    """One sentence of one source; ``passage_id`` points back at the stored passage when there is one."""

    text: str
    source: str
    passage_id: str = ""
    position: int  # order of the sentence within its document, for narrative ordering
    loaded_terms: list[str] = Field(default_factory=list)
    opinion: bool = False


class Claim(BaseModel):
    """Sentences from one or more sources that state the same fact."""

    id: int
    text: str  # the representative sentence
    members: list[SourceSentence]
    sources: list[str]
    independent_sources: int
    salience: float


def _keep(text: str) -> bool:
    n_words = len(text.split())
    return (MIN_WORDS <= n_words <= MAX_WORDS and ends_sentence(text, (".",)) and not quote_fragment(text))


def quote_fragment(text: str) -> bool:
    """A piece of a longer quotation: a quotation mark opened or closed in another sentence ('We affirm the
    history," Biden added.'; '"This is a state we have to win.'). Stated as a fact, it would put a speaker's
    words in the digest's own voice, or cut them from who said them."""
    straight = text.count('"')
    if straight % 2 == 1 or text.count("“") != text.count("”"):
        return True
    # Single quotation marks, as some outlets quote ("'Most masks don't work,' Paul said"): told from apostrophes by
    # where they stand: an opening one is a left mark, or a straight one before a capital after a space or at the
    # start; a closing one follows punctuation, before a space or the end.
    opened = len(_SINGLE_OPEN.findall(text))
    closed = len(_SINGLE_CLOSE.findall(text))
    return opened != closed


_SINGLE_OPEN = re.compile(r"‘|(?:^|(?<=\s))'(?=[A-Z0-9])")
_SINGLE_CLOSE = re.compile(r"(?<=[,.!?])['’](?=\s|$)")


def sentences_of(chunks: list[tuple[str, str, str]]) -> tuple[list[SourceSentence], list[SourceSentence]]:
    """(factual sentences, opinion sentences) from ``(source, passage_id, text)`` chunks in document order."""
    usable: list[SourceSentence] = []
    opinion: list[SourceSentence] = []
    positions: dict[str, int] = {}
    for source, passage_id, chunk in chunks:
        for text in split_sentences(chunk):
            position = positions.get(source, 0)
            positions[source] = position + 1
            if not _keep(text):
                continue
            sentence = SourceSentence(
                text=text,
                source=source,
                passage_id=passage_id,
                position=position,
                loaded_terms=[t.text for t in loaded_terms(text) if not t.attributed],
                opinion=is_subjective(text),
            )
            (opinion if sentence.opinion else usable).append(sentence)
    return usable, opinion


def group_claims(
    sentences: list[SourceSentence],
    vectors: np.ndarray,
    duplicate_of: dict[str, str],
    focus: np.ndarray | None = None,
    claim_type: type[Claim] = Claim,  # a subclass, to carry the caller's own fields (the digest's `used`)
) -> list[Claim]:
    """Greedy leader clustering in reading order; deterministic for a given input."""
    if not sentences:
        return []
    doc_lengths: dict[str, int] = {}
    for s in sentences:
        doc_lengths[s.source] = max(doc_lengths.get(s.source, 0), s.position + 1)
    order = sorted(range(len(sentences)), key=lambda i: (sentences[i].position, sentences[i].source))
    groups: list[list[int]] = []
    leaders: list[int] = []
    for i in order:
        # Join the most similar group whose leader and centre both state the same fact, and that has no
        # sentence of this source yet: one outlet rarely says one fact twice, while neighbouring sentences
        # of one outlet often look alike (this stops chains of loosely related sentences).
        best, best_sim = None, SAME_FACT
        for g, members in enumerate(groups):
            if any(sentences[m].source == sentences[i].source for m in members):
                continue
            centroid = vectors[members].mean(axis=0)
            sim = min(float(vectors[i] @ vectors[leaders[g]]), float(vectors[i] @ centroid / (np.linalg.norm(centroid) + 1e-9)))
            if sim >= best_sim:
                best, best_sim = g, sim
        if best is None:
            groups.append([i])
            leaders.append(i)
        else:
            groups[best].append(i)

    anchor = focus if focus is not None else vectors.mean(axis=0)
    anchor = anchor / (np.linalg.norm(anchor) + 1e-9)
    claims: list[Claim] = []
    for g, members in enumerate(groups):
        member_sentences = [sentences[i] for i in members]
        sources = sorted({s.source for s in member_sentences})
        independent = independent_count(set(sources), duplicate_of)
        centroid = vectors[members].mean(axis=0)
        centrality = float(centroid @ anchor / (np.linalg.norm(centroid) + 1e-9))
        position = float(np.mean([sentences[i].position / max(doc_lengths[sentences[i].source], 1) for i in members]))
        salience = 0.35 * (independent - 1) + centrality + 0.25 * (1.0 - position)
        # Representative: closest to the group centre, preferring plain wording and shorter sentences.
        rep = max(
            members,
            key=lambda i: float(vectors[i] @ centroid) - 0.002 * len(sentences[i].text.split()),
        )
        claims.append(
            claim_type(
                id=g,
                text=sentences[rep].text,
                members=sorted(member_sentences, key=lambda s: (s.source, s.position)),
                sources=sources,
                independent_sources=independent,
                salience=round(salience, 4),
            )
        )
    claims.sort(key=lambda c: -c.salience)
    for new_id, claim in enumerate(claims):
        claim.id = new_id
    return claims
